/* tt-store.c: the session log.
 *
 * The main thread only appends operations to a queue under a mutex (no allocation larger than a
 * chunk of samples, no disk access). A writer thread owns the read-write connection: it takes the
 * whole queue at most every TT_STORE_COMMIT_INTERVAL_MS and writes it in one transaction with
 * cached prepared statements. A batch that fails for a reason that may pass (disk full, read-only,
 * busy, I/O) is rolled back and kept in memory, bounded, and retried every TT_STORE_RETRY_MS; the
 * failure is published as the "error" property on the main context.
 *
 * A session being recorded holds an advisory lock (flock) on a small file beside the database; the
 * kernel drops it when the process dies, so at the next open a session still "open" whose lock can
 * be taken belongs to a process that is gone and is marked interrupted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include "tt-store.h"
#include "tt-store-private.h"
#include "tt-store-schema.h"

G_DEFINE_QUARK (tt-store-error-quark, tt_store_error)

typedef enum {
  OP_BEGIN,
  OP_SAMPLES,
  OP_EVENT,
  OP_CHECKLIST,
  OP_ADVICE,
  OP_ANSWER,
  OP_RATE,
  OP_BOLUS,
  OP_ALERT,
  OP_ACK,
  OP_CLEAR,
  OP_SETUP,
  OP_END,
  OP_INPUT,
  OP_OFFSET,
  OP_RESUME,
  OP_CLOSE_INTERRUPTED,
  OP_SQL,
  N_OPS
} OpType;

/* One cached statement per operation (OP_SQL has none). */
static const char * const op_sql[N_OPS] = {
  [OP_BEGIN] =
    "INSERT INTO sessions (label, mode, state, app_version, start_unix_ms, weight_kg, baseline_map,"
    " band_low, band_high, critical_map, concentration_ug_ml, line_type, start_rate, bolus_dose_ug,"
    " rate_soft_max, rate_hard_max, bolus_soft_max_ug, bolus_hard_max_ug, source, syringe_ml,"
    " dead_space_ml, patient, patient_seed, patient_title, source_path, source_size,"
    " source_mtime_us)"
    " VALUES (?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
    " ?)",
  [OP_SAMPLES] =
    "INSERT INTO samples (session_id, t_ms, map, sbp, dbp, hr, quality)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)",
  [OP_EVENT] = "INSERT INTO events (session_id, t_ms, kind, text) VALUES (?, ?, ?, ?)",
  [OP_CHECKLIST] =
    "INSERT INTO checklist (session_id, t_ms, item, override_reason) VALUES (?, ?, ?, ?)",
  [OP_ADVICE] =
    "INSERT INTO advice (session_id, seq, t_ms, kind, reason_code, reason_text, rate_ug_kg_min,"
    " rate_ml_h, bolus_ug, limits) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  [OP_ANSWER] =
    "UPDATE advice SET answer = ?, answer_t_ms = ?, actual_rate_ug_kg_min = ?,"
    " actual_rate_ml_h = ?, decline_reason = ? WHERE session_id = ? AND seq = ?",
  [OP_RATE] =
    "INSERT INTO rate_changes (session_id, t_ms, rate_ug_kg_min, rate_ml_h, advice_seq)"
    " VALUES (?, ?, ?, ?, ?)",
  [OP_BOLUS] = "INSERT INTO boluses (session_id, t_ms, dose_ug, advice_seq) VALUES (?, ?, ?, ?)",
  [OP_ALERT] =
    "INSERT INTO alerts (session_id, seq, t_ms, priority, kind, text) VALUES (?, ?, ?, ?, ?, ?)",
  [OP_ACK] = "UPDATE alerts SET ack_t_ms = ? WHERE session_id = ? AND seq = ?",
  [OP_CLEAR] = "UPDATE alerts SET cleared_t_ms = ? WHERE session_id = ? AND seq = ?",
  [OP_SETUP] =
    "UPDATE sessions SET label = ?, weight_kg = ?, baseline_map = ?, band_low = ?, band_high = ?,"
    " critical_map = ?, concentration_ug_ml = ?, line_type = ?, start_rate = ?, bolus_dose_ug = ?,"
    " rate_soft_max = ?, rate_hard_max = ?, bolus_soft_max_ug = ?, bolus_hard_max_ug = ?,"
    " syringe_ml = ?, dead_space_ml = ? WHERE id = ?",
  [OP_END] =
    "UPDATE sessions SET state = 'ended', end_unix_ms = ?, end_t_ms = ? WHERE id = ?",
  [OP_INPUT] =
    "INSERT INTO training_inputs (session_id, t_ms, kind, value, artifact, duration_ms)"
    " VALUES (?, ?, ?, ?, ?, ?)",
  [OP_OFFSET] = "UPDATE sessions SET feed_offset_ms = ? WHERE id = ?",
  [OP_RESUME] = "UPDATE sessions SET state = 'open' WHERE id = ? AND state = 'interrupted'",
  [OP_CLOSE_INTERRUPTED] =
    "UPDATE sessions SET state = 'ended', end_unix_ms = ?1,"
    " end_t_ms = coalesce ((SELECT max (t_ms) FROM samples WHERE session_id = ?2), 0)"
    " WHERE id = ?2 AND state = 'interrupted'",
  [OP_SQL] = NULL,
};

typedef struct _Shared Shared;

struct _TtStoreSession {
  gatomicrefcount  ref;
  Shared          *shared;
  gint64           id;          /* committed id, under shared->lock */
  gint64           writer_id;   /* writer thread: id inserted in the current transaction */
  int              lock_fd;     /* writer thread: the flock held while recording, or -1 */
  guint            next_advice; /* main thread */
  guint            next_alert;  /* main thread */
  gboolean         ended;       /* main thread */
};

typedef struct {
  OpType          type;
  guint64         seq;
  TtStoreSession *session;
  gint64          id;           /* OP_CLOSE_INTERRUPTED */
  gint64          t_ms;
  guint           n;            /* advice, alert seq or advice_seq */
  int             code;         /* answer */
  double          d[3];
  char           *s[4];
  const char     *sql;          /* OP_SQL */
  TtStoreSetup    setup;        /* OP_BEGIN */
  GArray         *samples;      /* OP_SAMPLES */
  /* An event op standing for samples dropped from the backlog. */
  gboolean        gap;
  gint64          gap_count;
  gint64          gap_from_ms;
} Op;

struct _Shared {
  gatomicrefcount  ref;
  char            *path;

  GMutex           lock;
  GCond            cond;
  GQueue           queue;          /* of Op, under lock */
  guint64          queued_seq;     /* under lock: seq of the last op queued */
  guint64          done_seq;       /* under lock: every op up to this one is committed */
  guint64          failed_seq;     /* under lock: the last failed attempt covered ops up to this */
  gboolean         quit;           /* under lock */
  gboolean         flush;          /* under lock */
  GError          *error;          /* under lock: the current write failure */
  GPtrArray       *spare;          /* under lock: emptied sample arrays for reuse */
  int              pending_samples; /* atomic */

  /* Writer thread only. */
  GThread         *thread;
  sqlite3         *db;
  sqlite3_stmt    *stmt[N_OPS];
  GQueue           backlog;        /* of Op: failed batches, retried first */
  gint64           last_commit_us;
  char            *published;      /* message last sent to the main context */

  GMainContext    *context;
  GWeakRef         store;
};

struct _TtStore {
  GObject  parent_instance;

  Shared  *shared;
  char    *notice;
  GError  *error;
};

enum {
  PROP_0,
  PROP_PATH,
  PROP_ERROR,
  PROP_NOTICE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TtStore, tt_store, G_TYPE_OBJECT)

/* Stable codes of samples.quality (the README lists them); the engine's enum order may change. */
static const char * const quality_codes[] = {
  "valid", "out-of-range", "flush", "zeroing", "flat", "damped", "jump", "disconnected",
};

int
tt_store_quality_to_code (TtQuality quality)
{
  const char *name = tt_quality_to_string (quality);

  for (guint i = 0; i < G_N_ELEMENTS (quality_codes); i++)
    if (g_str_equal (quality_codes[i], name))
      return (int) i;
  return 1;
}

TtQuality
tt_store_quality_from_code (int code)
{
  /* A code written by a newer Titrate is read as an excluded sample, never as a valid one. */
  if (code < 0 || code >= (int) G_N_ELEMENTS (quality_codes))
    return TT_QUALITY_OUT_OF_RANGE;
  for (int q = 0; q < TT_N_QUALITIES; q++)
    if (g_str_equal (tt_quality_to_string (q), quality_codes[code]))
      return q;
  return TT_QUALITY_OUT_OF_RANGE;
}

static int quality_to_code_table[TT_N_QUALITIES];

const char *
tt_store_mode_to_string (TtStoreMode mode)
{
  switch (mode)
    {
    case TT_STORE_MODE_LIVE:
      return "live";
    case TT_STORE_MODE_TRAINING:
      return "training";
    case TT_STORE_MODE_REPLAY:
      return "replay";
    default:
      return "live";
    }
}

static gboolean
mode_from_string (const char  *text,
                  TtStoreMode *mode)
{
  for (int m = TT_STORE_MODE_LIVE; m <= TT_STORE_MODE_REPLAY; m++)
    if (g_strcmp0 (text, tt_store_mode_to_string (m)) == 0)
      {
        *mode = m;
        return TRUE;
      }
  return FALSE;
}

const char *
tt_store_state_to_string (TtStoreState state)
{
  switch (state)
    {
    case TT_STORE_STATE_OPEN:
      return "open";
    case TT_STORE_STATE_ENDED:
      return "ended";
    case TT_STORE_STATE_INTERRUPTED:
      return "interrupted";
    default:
      return "open";
    }
}

const char *
tt_store_answer_to_string (TtStoreAnswer answer)
{
  switch (answer)
    {
    case TT_STORE_ANSWER_PENDING:
      return "pending";
    case TT_STORE_ANSWER_ACCEPTED:
      return "accepted";
    case TT_STORE_ANSWER_CHANGED:
      return "changed";
    case TT_STORE_ANSWER_DECLINED:
      return "declined";
    default:
      return "pending";
    }
}

void
tt_store_setup_init (TtStoreSetup *setup)
{
  *setup = (TtStoreSetup) {
    .mode = TT_STORE_MODE_LIVE,
    .weight_kg = NAN,
    .baseline_map = NAN,
    .band_low = NAN,
    .band_high = NAN,
    .critical_map = NAN,
    .concentration_ug_ml = NAN,
    .start_rate = NAN,
    .bolus_dose_ug = NAN,
    .rate_soft_max = NAN,
    .rate_hard_max = NAN,
    .bolus_soft_max_ug = NAN,
    .bolus_hard_max_ug = NAN,
    .syringe_ml = NAN,
    .dead_space_ml = NAN,
    .patient_seed = -1,
    .source_size = -1,
    .source_mtime_us = -1,
  };
}

void
tt_store_setup_clear (TtStoreSetup *setup)
{
  g_clear_pointer (&setup->label, g_free);
  g_clear_pointer (&setup->line_type, g_free);
  g_clear_pointer (&setup->app_version, g_free);
  g_clear_pointer (&setup->source, g_free);
  g_clear_pointer (&setup->patient, g_free);
  g_clear_pointer (&setup->patient_title, g_free);
  g_clear_pointer (&setup->source_path, g_free);
}

static void
setup_copy (TtStoreSetup       *dest,
            const TtStoreSetup *src)
{
  *dest = *src;
  dest->label = g_strdup (src->label != NULL ? src->label : "");
  dest->line_type = g_strdup (src->line_type);
  dest->app_version = g_strdup (src->app_version != NULL ? src->app_version : PACKAGE_VERSION);
  dest->source = g_strdup (src->source);
  dest->patient = g_strdup (src->patient);
  dest->patient_title = g_strdup (src->patient_title);
  dest->source_path = g_strdup (src->source_path);
}

void
tt_store_session_info_free (TtStoreSessionInfo *info)
{
  if (info == NULL)
    return;
  tt_store_setup_clear (&info->setup);
  g_free (info);
}

static void
clear_checklist_item (gpointer data)
{
  TtStoreChecklistItem *item = data;

  g_free (item->item);
  g_free (item->override_reason);
}

static void
clear_advice (gpointer data)
{
  TtStoreAdvice *advice = data;

  g_free (advice->kind);
  g_free (advice->reason_code);
  g_free (advice->reason_text);
  g_free (advice->limits);
  g_free (advice->decline_reason);
}

static void
clear_alert (gpointer data)
{
  TtStoreAlert *alert = data;

  g_free (alert->priority);
  g_free (alert->kind);
  g_free (alert->text);
}

static TtStoreCase *
case_new (void)
{
  TtStoreCase *store_case = g_new0 (TtStoreCase, 1);

  store_case->recording = tt_recording_new ("session");
  store_case->checklist = g_array_new (FALSE, TRUE, sizeof (TtStoreChecklistItem));
  g_array_set_clear_func (store_case->checklist, clear_checklist_item);
  store_case->advice = g_array_new (FALSE, TRUE, sizeof (TtStoreAdvice));
  g_array_set_clear_func (store_case->advice, clear_advice);
  store_case->rate_changes = g_array_new (FALSE, TRUE, sizeof (TtStoreRateChange));
  store_case->boluses = g_array_new (FALSE, TRUE, sizeof (TtStoreBolus));
  store_case->alerts = g_array_new (FALSE, TRUE, sizeof (TtStoreAlert));
  g_array_set_clear_func (store_case->alerts, clear_alert);
  store_case->training_inputs = g_array_new (FALSE, TRUE, sizeof (TtTrainingInput));
  return store_case;
}

void
tt_store_case_free (TtStoreCase *store_case)
{
  if (store_case == NULL)
    return;
  tt_store_session_info_free (store_case->info);
  tt_recording_free (store_case->recording);
  g_array_unref (store_case->checklist);
  g_array_unref (store_case->advice);
  g_array_unref (store_case->rate_changes);
  g_array_unref (store_case->boluses);
  g_array_unref (store_case->alerts);
  g_array_unref (store_case->training_inputs);
  g_free (store_case);
}

const TtStoreAdvice *
tt_store_case_find_advice (const TtStoreCase *store_case,
                           guint              seq)
{
  for (guint i = 0; i < store_case->advice->len; i++)
    if (g_array_index (store_case->advice, TtStoreAdvice, i).seq == seq)
      return &g_array_index (store_case->advice, TtStoreAdvice, i);
  return NULL;
}

char *
tt_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "titrate", "sessions.db", NULL);
}

/* Session locks */

static char *
lock_path (const char *db_path,
           gint64      id)
{
  return g_strdup_printf ("%s-session-%" G_GINT64_FORMAT ".lock", db_path, id);
}

/* Takes the recording lock of session @id without waiting; -1 when another process holds it. */
static int
lock_session (const char *db_path,
              gint64      id)
{
  g_autofree char *path = lock_path (db_path, id);
  int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    return -1;
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

static void
unlock_session (const char *db_path,
                gint64      id,
                int        *fd,
                gboolean    remove_file)
{
  if (*fd < 0)
    return;
  if (remove_file)
    {
      g_autofree char *path = lock_path (db_path, id);

      g_unlink (path);
    }
  close (*fd);
  *fd = -1;
}

/* Shared state */

static Shared *
shared_ref (Shared *shared)
{
  g_atomic_ref_count_inc (&shared->ref);
  return shared;
}

static void
op_free (Op *op)
{
  if (op->session != NULL)
    tt_store_session_unref (op->session);
  for (guint i = 0; i < G_N_ELEMENTS (op->s); i++)
    g_free (op->s[i]);
  tt_store_setup_clear (&op->setup);
  g_clear_pointer (&op->samples, g_array_unref);
  g_free (op);
}

static void
shared_unref (Shared *shared)
{
  if (!g_atomic_ref_count_dec (&shared->ref))
    return;
  g_assert (shared->thread == NULL);
  g_queue_clear_full (&shared->queue, (GDestroyNotify) op_free);
  g_queue_clear_full (&shared->backlog, (GDestroyNotify) op_free);
  g_clear_error (&shared->error);
  g_ptr_array_unref (shared->spare);
  g_mutex_clear (&shared->lock);
  g_cond_clear (&shared->cond);
  g_weak_ref_clear (&shared->store);
  g_clear_pointer (&shared->context, g_main_context_unref);
  g_free (shared->published);
  g_free (shared->path);
  g_free (shared);
}

static Shared *
shared_new (const char *path)
{
  Shared *shared = g_new0 (Shared, 1);

  g_atomic_ref_count_init (&shared->ref);
  shared->path = g_strdup (path);
  g_mutex_init (&shared->lock);
  g_cond_init (&shared->cond);
  g_queue_init (&shared->queue);
  g_queue_init (&shared->backlog);
  g_weak_ref_init (&shared->store, NULL);
  shared->spare = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  return shared;
}

static void
enqueue (Shared *shared,
         Op     *op)
{
  g_mutex_lock (&shared->lock);
  op->seq = ++shared->queued_seq;
  g_queue_push_tail (&shared->queue, op);
  if (shared->queue.length == 1)
    g_cond_signal (&shared->cond);
  g_mutex_unlock (&shared->lock);
}

static Op *
op_new (OpType          type,
        TtStoreSession *session)
{
  Op *op = g_new0 (Op, 1);

  op->type = type;
  op->session = session != NULL ? tt_store_session_ref (session) : NULL;
  return op;
}

/* Publishing the writer's state on the main context */

typedef struct {
  Shared *shared;
  GError *error;
} Publish;

static void
publish_free (gpointer data)
{
  Publish *publish = data;

  g_clear_error (&publish->error);
  shared_unref (publish->shared);
  g_free (publish);
}

static gboolean
publish_cb (gpointer data)
{
  Publish *publish = data;
  g_autoptr(TtStore) self = g_weak_ref_get (&publish->shared->store);

  if (self == NULL)
    return G_SOURCE_REMOVE;
  g_clear_error (&self->error);
  self->error = g_steal_pointer (&publish->error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
  return G_SOURCE_REMOVE;
}

/* Called by the writer after each attempt: tells the main context when the state changed. */
static void
writer_publish (Shared       *shared,
                const GError *error)
{
  Publish *publish;
  GSource *source;

  if (g_strcmp0 (shared->published, error != NULL ? error->message : NULL) == 0)
    return;
  g_free (shared->published);
  shared->published = error != NULL ? g_strdup (error->message) : NULL;

  g_mutex_lock (&shared->lock);
  g_clear_error (&shared->error);
  shared->error = error != NULL ? g_error_copy (error) : NULL;
  g_cond_broadcast (&shared->cond);
  g_mutex_unlock (&shared->lock);

  if (shared->context == NULL)
    return;
  publish = g_new0 (Publish, 1);
  publish->shared = shared_ref (shared);
  publish->error = error != NULL ? g_error_copy (error) : NULL;
  /* An idle source, not g_main_context_invoke(): the main context is this thread's default too,
   * so invoke ran publish_cb right here whenever nobody held the context (the main thread
   * between two iterations, or waiting in tt_store_flush), and the "notify::error" handlers,
   * GTK's among them, ran on the writer thread. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, publish_cb, publish, publish_free);
  g_source_set_static_name (source, "[titrate] session log state");
  g_source_attach (source, shared->context);
  g_source_unref (source);
}

/* The writer */

static void
bind_double (sqlite3_stmt *stmt,
             int           index,
             double        value)
{
  /* NAN is "not given": stored as NULL. */
  if (isfinite (value))
    sqlite3_bind_double (stmt, index, value);
  else
    sqlite3_bind_null (stmt, index);
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *value)
{
  if (value != NULL)
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, index);
}

/* A count, size or time that is not known (negative) is stored as NULL. */
static void
bind_time (sqlite3_stmt *stmt,
           int           index,
           gint64        value)
{
  if (value >= 0)
    sqlite3_bind_int64 (stmt, index, value);
  else
    sqlite3_bind_null (stmt, index);
}

static void
bind_seq (sqlite3_stmt *stmt,
          int           index,
          guint         seq)
{
  if (seq > 0)
    sqlite3_bind_int64 (stmt, index, seq);
  else
    sqlite3_bind_null (stmt, index);
}

/* The setup's figures from its weight to its bolus hard maximum, at parameters @first to
 * @first + 12: a new session and a changed setup store them in the same order. */
static void
bind_setup_figures (sqlite3_stmt       *stmt,
                    int                 first,
                    const TtStoreSetup *s)
{
  bind_double (stmt, first, s->weight_kg);
  bind_double (stmt, first + 1, s->baseline_map);
  bind_double (stmt, first + 2, s->band_low);
  bind_double (stmt, first + 3, s->band_high);
  bind_double (stmt, first + 4, s->critical_map);
  bind_double (stmt, first + 5, s->concentration_ug_ml);
  bind_text (stmt, first + 6, s->line_type);
  bind_double (stmt, first + 7, s->start_rate);
  bind_double (stmt, first + 8, s->bolus_dose_ug);
  bind_double (stmt, first + 9, s->rate_soft_max);
  bind_double (stmt, first + 10, s->rate_hard_max);
  bind_double (stmt, first + 11, s->bolus_soft_max_ug);
  bind_double (stmt, first + 12, s->bolus_hard_max_ug);
}

static int
step_reset (sqlite3_stmt *stmt)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return rc == SQLITE_ROW ? SQLITE_DONE : rc;
}

/* Errors that say nothing about the row itself: the batch is kept and retried. */
static gboolean
is_transient (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
      return FALSE;
    default:
      return TRUE;
    }
}

static int
write_op (Shared *shared,
          Op     *op)
{
  sqlite3_stmt *stmt = shared->stmt[op->type];
  gint64 sid = op->session != NULL ? op->session->writer_id : 0;
  int rc = SQLITE_DONE;

  /* Rows of a session whose insert failed for good have nowhere to go. */
  if (op->session != NULL && op->type != OP_BEGIN && sid == 0)
    return SQLITE_DONE;

  switch (op->type)
    {
    case OP_BEGIN:
      {
        const TtStoreSetup *s = &op->setup;

        bind_text (stmt, 1, s->label);
        bind_text (stmt, 2, tt_store_mode_to_string (s->mode));
        bind_text (stmt, 3, s->app_version);
        sqlite3_bind_int64 (stmt, 4, s->start_unix_ms);
        bind_setup_figures (stmt, 5, s);
        bind_text (stmt, 18, s->source);
        bind_double (stmt, 19, s->syringe_ml);
        bind_double (stmt, 20, s->dead_space_ml);
        bind_text (stmt, 21, s->patient);
        bind_time (stmt, 22, s->patient_seed);
        bind_text (stmt, 23, s->patient_title);
        bind_text (stmt, 24, s->source_path);
        bind_time (stmt, 25, s->source_size);
        bind_time (stmt, 26, s->source_mtime_us);
        rc = step_reset (stmt);
        if (rc == SQLITE_DONE)
          {
            op->session->writer_id = sqlite3_last_insert_rowid (shared->db);
            op->session->lock_fd = lock_session (shared->path, op->session->writer_id);
          }
        break;
      }

    case OP_SAMPLES:
      for (guint i = 0; i < op->samples->len && rc == SQLITE_DONE; i++)
        {
          const TtSample *sample = &g_array_index (op->samples, TtSample, i);

          sqlite3_bind_int64 (stmt, 1, sid);
          sqlite3_bind_int64 (stmt, 2, sample->t_ms);
          bind_double (stmt, 3, sample->map);
          bind_double (stmt, 4, sample->sbp);
          bind_double (stmt, 5, sample->dbp);
          bind_double (stmt, 6, sample->hr);
          sqlite3_bind_int (stmt, 7, sample->quality < TT_N_QUALITIES
                                       ? quality_to_code_table[sample->quality] : 1);
          rc = sqlite3_step (stmt);
          sqlite3_reset (stmt);
        }
      break;

    /* An event and a checklist tick have the same parameters: time and two texts. */
    case OP_EVENT:
    case OP_CHECKLIST:
      sqlite3_bind_int64 (stmt, 1, sid);
      sqlite3_bind_int64 (stmt, 2, op->t_ms);
      bind_text (stmt, 3, op->s[0]);
      bind_text (stmt, 4, op->s[1]);
      rc = step_reset (stmt);
      break;

    case OP_ADVICE:
      sqlite3_bind_int64 (stmt, 1, sid);
      sqlite3_bind_int64 (stmt, 2, op->n);
      sqlite3_bind_int64 (stmt, 3, op->t_ms);
      bind_text (stmt, 4, op->s[0]);
      bind_text (stmt, 5, op->s[1]);
      bind_text (stmt, 6, op->s[2]);
      bind_double (stmt, 7, op->d[0]);
      bind_double (stmt, 8, op->d[1]);
      bind_double (stmt, 9, op->d[2]);
      bind_text (stmt, 10, op->s[3]);
      rc = step_reset (stmt);
      break;

    case OP_ANSWER:
      bind_text (stmt, 1, tt_store_answer_to_string (op->code));
      sqlite3_bind_int64 (stmt, 2, op->t_ms);
      bind_double (stmt, 3, op->d[0]);
      bind_double (stmt, 4, op->d[1]);
      bind_text (stmt, 5, op->s[0]);
      sqlite3_bind_int64 (stmt, 6, sid);
      sqlite3_bind_int64 (stmt, 7, op->n);
      rc = step_reset (stmt);
      break;

    case OP_RATE:
      sqlite3_bind_int64 (stmt, 1, sid);
      sqlite3_bind_int64 (stmt, 2, op->t_ms);
      bind_double (stmt, 3, op->d[0]);
      bind_double (stmt, 4, op->d[1]);
      bind_seq (stmt, 5, op->n);
      rc = step_reset (stmt);
      break;

    case OP_BOLUS:
      sqlite3_bind_int64 (stmt, 1, sid);
      sqlite3_bind_int64 (stmt, 2, op->t_ms);
      bind_double (stmt, 3, op->d[0]);
      bind_seq (stmt, 4, op->n);
      rc = step_reset (stmt);
      break;

    case OP_ALERT:
      sqlite3_bind_int64 (stmt, 1, sid);
      sqlite3_bind_int64 (stmt, 2, op->n);
      sqlite3_bind_int64 (stmt, 3, op->t_ms);
      bind_text (stmt, 4, op->s[0]);
      bind_text (stmt, 5, op->s[1]);
      bind_text (stmt, 6, op->s[2]);
      rc = step_reset (stmt);
      break;

    /* Acknowledging and clearing an alert both stamp it with a time. */
    case OP_ACK:
    case OP_CLEAR:
      sqlite3_bind_int64 (stmt, 1, op->t_ms);
      sqlite3_bind_int64 (stmt, 2, sid);
      sqlite3_bind_int64 (stmt, 3, op->n);
      rc = step_reset (stmt);
      break;

    case OP_SETUP:
      {
        const TtStoreSetup *s = &op->setup;

        bind_text (stmt, 1, s->label);
        bind_setup_figures (stmt, 2, s);
        bind_double (stmt, 15, s->syringe_ml);
        bind_double (stmt, 16, s->dead_space_ml);
        sqlite3_bind_int64 (stmt, 17, sid);
        rc = step_reset (stmt);
        break;
      }

    case OP_END:
      sqlite3_bind_int64 (stmt, 1, g_get_real_time () / 1000);
      sqlite3_bind_int64 (stmt, 2, op->t_ms);
      sqlite3_bind_int64 (stmt, 3, sid);
      rc = step_reset (stmt);
      break;

    case OP_INPUT:
      sqlite3_bind_int64 (stmt, 1, sid);
      sqlite3_bind_int64 (stmt, 2, op->t_ms);
      bind_text (stmt, 3, op->s[0]);
      bind_double (stmt, 4, op->d[0]);
      bind_text (stmt, 5, op->s[1]);
      sqlite3_bind_int64 (stmt, 6, (gint64) op->d[1]);
      rc = step_reset (stmt);
      break;

    case OP_OFFSET:
      sqlite3_bind_int64 (stmt, 1, op->t_ms);
      sqlite3_bind_int64 (stmt, 2, sid);
      rc = step_reset (stmt);
      break;

    case OP_RESUME:
      sqlite3_bind_int64 (stmt, 1, sid);
      rc = step_reset (stmt);
      if (rc == SQLITE_DONE && op->session->lock_fd < 0)
        op->session->lock_fd = lock_session (shared->path, sid);
      break;

    case OP_CLOSE_INTERRUPTED:
      sqlite3_bind_int64 (stmt, 1, g_get_real_time () / 1000);
      sqlite3_bind_int64 (stmt, 2, op->id);
      rc = step_reset (stmt);
      break;

    case OP_SQL:
    case N_OPS:
    default:
      g_assert_not_reached ();
    }
  return rc;
}

/* Writes @ops in one transaction. FALSE with @error set when the whole batch must be kept for a
 * retry; rows refused for good (a constraint) are reported and skipped. */
static gboolean
write_batch (Shared  *shared,
             GQueue  *ops,
             GError **error)
{
  g_autoptr(GError) local_error = NULL;
  int rc = SQLITE_DONE;

  if (!tt_store_schema_exec (shared->db, "BEGIN IMMEDIATE", error))
    return FALSE;

  for (GList *l = ops->head; l != NULL; l = l->next)
    {
      Op *op = l->data;

      rc = write_op (shared, op);
      if (rc == SQLITE_DONE)
        continue;
      if (is_transient (rc))
        break;
      g_warning ("Session log: an entry was refused and skipped: %s",
                 sqlite3_errmsg (shared->db));
      sqlite3_reset (shared->stmt[op->type]);
      rc = SQLITE_DONE;
    }

  if (rc != SQLITE_DONE)
    tt_store_set_sqlite_error (&local_error, shared->db, rc, _("Writing the session log"));
  else
    tt_store_schema_exec (shared->db, "COMMIT", &local_error);

  if (local_error != NULL)
    {
      for (guint i = 0; i < N_OPS; i++)
        if (shared->stmt[i] != NULL)
          sqlite3_reset (shared->stmt[i]);
      if (!sqlite3_get_autocommit (shared->db))
        tt_store_schema_exec (shared->db, "ROLLBACK", NULL);
      /* Session rows inserted in this batch are gone again. */
      for (GList *l = ops->head; l != NULL; l = l->next)
        {
          Op *op = l->data;

          if (op->type == OP_BEGIN && op->session->writer_id != 0)
            {
              unlock_session (shared->path, op->session->writer_id, &op->session->lock_fd, TRUE);
              op->session->writer_id = 0;
            }
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* Committed: make the new ids visible, release the locks of ended sessions. */
  g_mutex_lock (&shared->lock);
  for (GList *l = ops->head; l != NULL; l = l->next)
    {
      Op *op = l->data;

      if (op->type == OP_BEGIN)
        op->session->id = op->session->writer_id;
    }
  g_mutex_unlock (&shared->lock);
  for (GList *l = ops->head; l != NULL; l = l->next)
    {
      Op *op = l->data;

      if (op->type == OP_END && op->session->writer_id != 0)
        unlock_session (shared->path, op->session->writer_id, &op->session->lock_fd, TRUE);
    }
  return TRUE;
}

static void
queue_append (GQueue *dest,
              GQueue *src)
{
  if (src->head == NULL)
    return;
  if (dest->tail == NULL)
    *dest = *src;
  else
    {
      dest->tail->next = src->head;
      src->head->prev = dest->tail;
      dest->tail = src->tail;
      dest->length += src->length;
    }
  g_queue_init (src);
}

/* Keeps the backlog within TT_STORE_BACKLOG_MAX_SAMPLES by replacing its oldest samples with a
 * "log-gap" event per session that says what was lost. */
static void
bound_backlog (Shared *shared)
{
  g_autoptr(GHashTable) gaps = NULL;
  GQueue kept = G_QUEUE_INIT;
  Op *op;

  if (g_atomic_int_get (&shared->pending_samples) <= TT_STORE_BACKLOG_MAX_SAMPLES)
    return;

  gaps = g_hash_table_new (NULL, NULL);
  while ((op = g_queue_pop_head (&shared->backlog)) != NULL)
    {
      Op *gap;
      gint64 to_ms;

      if (op->gap)
        g_hash_table_insert (gaps, op->session, op);
      if (op->type != OP_SAMPLES || op->samples->len == 0 ||
          g_atomic_int_get (&shared->pending_samples) <= TT_STORE_BACKLOG_MAX_SAMPLES)
        {
          g_queue_push_tail (&kept, op);
          continue;
        }

      gap = g_hash_table_lookup (gaps, op->session);
      if (gap == NULL)
        {
          gap = op_new (OP_EVENT, op->session);
          gap->gap = TRUE;
          gap->seq = op->seq;
          gap->t_ms = g_array_index (op->samples, TtSample, 0).t_ms;
          gap->gap_from_ms = gap->t_ms;
          gap->s[0] = g_strdup ("log-gap");
          g_hash_table_insert (gaps, op->session, gap);
          g_queue_push_tail (&kept, gap);
        }
      to_ms = g_array_index (op->samples, TtSample, op->samples->len - 1).t_ms;
      gap->gap_count += op->samples->len;
      g_free (gap->s[1]);
      {
        char from[G_ASCII_DTOSTR_BUF_SIZE], to[G_ASCII_DTOSTR_BUF_SIZE];

        /* Logged text keeps the C locale's decimal point whatever the screen's locale. */
        g_ascii_formatd (from, sizeof from, "%.1f", gap->gap_from_ms / 1000.0);
        g_ascii_formatd (to, sizeof to, "%.1f", to_ms / 1000.0);
        gap->s[1] = g_strdup_printf ("%" G_GINT64_FORMAT " samples from %s s to %s s could not "
                                     "be written (the disk was full or read-only)",
                                     gap->gap_count, from, to);
      }
      g_atomic_int_add (&shared->pending_samples, -(int) op->samples->len);
      op_free (op);
    }
  shared->backlog = kept;
}

static guint
count_samples (GQueue *ops)
{
  guint n = 0;

  for (GList *l = ops->head; l != NULL; l = l->next)
    {
      Op *op = l->data;

      if (op->type == OP_SAMPLES)
        n += op->samples->len;
    }
  return n;
}

/* Keeps the sample arrays of written operations for the next ones: in steady state the main
 * thread then allocates no large block, and the writer frees none (glibc's free of a large block
 * can trim the heap while holding the allocator's lock that the main thread needs). */
#define MAX_SPARE_ARRAYS 64

static void
recycle_arrays (Shared *shared,
                GQueue *ops)
{
  g_mutex_lock (&shared->lock);
  for (GList *l = ops->head; l != NULL && shared->spare->len < MAX_SPARE_ARRAYS; l = l->next)
    {
      Op *op = l->data;

      if (op->samples != NULL && op->samples->len <= TT_STORE_SAMPLE_CHUNK)
        {
          g_array_set_size (op->samples, 0);
          g_ptr_array_add (shared->spare, g_steal_pointer (&op->samples));
        }
    }
  g_mutex_unlock (&shared->lock);
}

static gpointer
writer_thread (gpointer data)
{
  Shared *shared = data;
  gboolean quit = FALSE;

  for (guint i = 0; i < N_OPS; i++)
    if (op_sql[i] != NULL &&
        sqlite3_prepare_v3 (shared->db, op_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                            &shared->stmt[i], NULL) != SQLITE_OK)
      g_error ("Session log: cannot prepare a statement: %s", sqlite3_errmsg (shared->db));

  g_mutex_lock (&shared->lock);
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      GQueue tests = G_QUEUE_INIT;
      guint64 batch_seq;
      gint64 deadline;
      gboolean failing = shared->backlog.length > 0;

      if (!failing)
        {
          while (!shared->quit && shared->queue.length == 0)
            g_cond_wait (&shared->cond, &shared->lock);
          deadline = shared->last_commit_us + TT_STORE_COMMIT_INTERVAL_MS * 1000;
        }
      else
        deadline = g_get_monotonic_time () + TT_STORE_RETRY_MS * 1000;

      while (!shared->quit && !shared->flush && g_get_monotonic_time () < deadline)
        g_cond_wait_until (&shared->cond, &shared->lock, deadline);
      quit = shared->quit;
      shared->flush = FALSE;
      batch_seq = shared->queued_seq;

      for (GList *l = shared->queue.head; l != NULL;)
        {
          GList *next = l->next;

          if (((Op *) l->data)->type == OP_SQL)
            {
              g_queue_push_tail (&tests, l->data);
              g_queue_delete_link (&shared->queue, l);
            }
          l = next;
        }
      queue_append (&shared->backlog, &shared->queue);
      g_mutex_unlock (&shared->lock);

      for (GList *l = tests.head; l != NULL; l = l->next)
        tt_store_schema_exec (shared->db, ((Op *) l->data)->sql, NULL);
      g_queue_clear_full (&tests, (GDestroyNotify) op_free);

      if (shared->backlog.length == 0 || write_batch (shared, &shared->backlog, &error))
        {
          g_atomic_int_add (&shared->pending_samples, -(int) count_samples (&shared->backlog));
          recycle_arrays (shared, &shared->backlog);
          g_queue_clear_full (&shared->backlog, (GDestroyNotify) op_free);
          shared->last_commit_us = g_get_monotonic_time ();
          writer_publish (shared, NULL);
          g_mutex_lock (&shared->lock);
          shared->done_seq = batch_seq;
          g_cond_broadcast (&shared->cond);
        }
      else
        {
          bound_backlog (shared);
          writer_publish (shared, error);
          if (quit)
            g_warning ("Session log: %u samples could not be written before closing: %s",
                       count_samples (&shared->backlog), error->message);
          g_mutex_lock (&shared->lock);
          shared->failed_seq = batch_seq;
          g_cond_broadcast (&shared->cond);
        }

      if (quit && shared->queue.length == 0)
        break;
    }
  g_mutex_unlock (&shared->lock);

  for (guint i = 0; i < N_OPS; i++)
    g_clear_pointer (&shared->stmt[i], sqlite3_finalize);
  sqlite3_close (shared->db);
  shared->db = NULL;
  return NULL;
}

/* Opening */

static sqlite3 *
open_connection (const char  *path,
                 int          flags,
                 GError     **error)
{
  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2 (path, &db, flags | SQLITE_OPEN_NOMUTEX, NULL);

  if (rc != SQLITE_OK)
    {
      g_autofree char *what = g_strdup_printf (_("Opening the session log %s"), path);

      tt_store_set_sqlite_error (error, db, rc, what);
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_extended_result_codes (db, TRUE);
  if (!tt_store_schema_configure (db, error))
    {
      sqlite3_close (db);
      return NULL;
    }
  return db;
}

/* PRAGMA quick_check: NULL when the file is sound, else what sqlite found. */
static char *
check_file (sqlite3 *db)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = NULL;
  char *problem = NULL;
  int rc;

  if (tt_store_schema_get_version (db, &error) < 0)
    return g_strdup (error->message);
  rc = sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    problem = g_strdup (sqlite3_errmsg (db));
  else if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") != 0)
    {
      /* The first finding is enough for the message; skip sqlite's "*** in database" headers. */
      g_auto(GStrv) lines = g_strsplit ((const char *) sqlite3_column_text (stmt, 0), "\n", -1);
      const char *first = lines[0];

      for (guint i = 0; lines[i] != NULL; i++)
        if (!g_str_has_prefix (lines[i], "***"))
          {
            first = lines[i];
            break;
          }
      problem = g_strdup_printf (_("integrity check: %s"), first);
    }
  sqlite3_finalize (stmt);
  return problem;
}

/* Renames the damaged file (and its WAL) aside, never deleting anything. */
static char *
move_aside (const char  *path,
            GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  g_autofree char *aside = NULL;
  static const char * const suffixes[] = { "-wal", "-shm" };

  for (guint n = 0; aside == NULL || g_file_test (aside, G_FILE_TEST_EXISTS); n++)
    {
      g_free (aside);
      aside = n == 0 ? g_strdup_printf ("%s.damaged-%s", path, stamp)
                     : g_strdup_printf ("%s.damaged-%s-%u", path, stamp, n);
    }
  if (g_rename (path, aside) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_CORRUPT,
                   _("The session log %s is damaged and could not be moved aside: %s"),
                   path, g_strerror (saved_errno));
      return NULL;
    }
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (aside, suffixes[i], NULL);

      if (g_file_test (from, G_FILE_TEST_EXISTS))
        g_rename (from, to);
    }
  return g_steal_pointer (&aside);
}

/* Marks sessions left open by a process that is gone (their lock is free) as interrupted. */
static gboolean
mark_interrupted (sqlite3     *db,
                  const char  *path,
                  GError     **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, "SELECT id FROM sessions WHERE state = 'open'", -1, &stmt,
                               NULL);

  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      tt_store_set_sqlite_error (error, db, rc, _("Looking for interrupted sessions"));
      return FALSE;
    }

  rc = sqlite3_prepare_v2 (db, "UPDATE sessions SET state = 'interrupted' WHERE id = ?", -1,
                           &stmt, NULL);
  for (guint i = 0; rc == SQLITE_OK && i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      int fd = lock_session (path, id);

      if (fd < 0)
        continue;
      sqlite3_bind_int64 (stmt, 1, id);
      rc = step_reset (stmt);
      unlock_session (path, id, &fd, TRUE);
      if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_OK)
    {
      tt_store_set_sqlite_error (error, db, rc, _("Marking interrupted sessions"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
prepare_file (const char  *path,
              GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_FAILED,
                   _("Cannot create the folder %s for the session log: %s"),
                   dir, g_strerror (saved_errno));
      return FALSE;
    }
  /* Create the file ourselves so it is private from the first byte; sqlite gives its WAL and
   * shared-memory files the same mode. */
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, TT_STORE_ERROR,
                   saved_errno == EROFS || saved_errno == EACCES ? TT_STORE_ERROR_READ_ONLY
                                                                 : TT_STORE_ERROR_FAILED,
                   _("Cannot open the session log %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  if (fchmod (fd, 0600) != 0)
    g_debug ("Session log: cannot make %s private: %s", path, g_strerror (errno));
  close (fd);
  return TRUE;
}

static sqlite3 *
open_database (const char  *path,
               char       **notice,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *problem = NULL;
  sqlite3 *db;

  if (!prepare_file (path, error))
    return NULL;

  db = open_connection (path, SQLITE_OPEN_READWRITE, &local_error);
  if (db != NULL)
    problem = check_file (db);
  else if (g_error_matches (local_error, TT_STORE_ERROR, TT_STORE_ERROR_CORRUPT))
    problem = g_strdup (local_error->message);
  else
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (problem != NULL)
    {
      g_autofree char *aside = NULL;

      g_clear_pointer (&db, sqlite3_close);
      aside = move_aside (path, error);
      if (aside == NULL)
        return NULL;
      *notice = g_strdup_printf (_("The session log %s was damaged (%s). It was kept as %s and a "
                                   "new, empty session log was started."),
                                 path, problem, aside);
      if (!prepare_file (path, error))
        return NULL;
      db = open_connection (path, SQLITE_OPEN_READWRITE, error);
      if (db == NULL)
        return NULL;
    }

  /* WAL lets history reads run beside the writer; synchronous=FULL makes each commit durable. */
  if (!tt_store_schema_exec (db, "PRAGMA journal_mode = WAL", error) ||
      !tt_store_schema_exec (db, "PRAGMA synchronous = FULL", error) ||
      !tt_store_schema_migrate (db, TT_STORE_SCHEMA_VERSION, error) ||
      !mark_interrupted (db, path, error))
    {
      sqlite3_close (db);
      return NULL;
    }
  return db;
}

/* GObject */

static void
tt_store_dispose (GObject *object)
{
  TtStore *self = TT_STORE (object);

  if (self->shared != NULL && self->shared->thread != NULL)
    {
      g_mutex_lock (&self->shared->lock);
      self->shared->quit = TRUE;
      g_cond_broadcast (&self->shared->cond);
      g_mutex_unlock (&self->shared->lock);
      g_thread_join (self->shared->thread);
      self->shared->thread = NULL;
    }
  if (self->shared != NULL)
    g_weak_ref_set (&self->shared->store, NULL);

  G_OBJECT_CLASS (tt_store_parent_class)->dispose (object);
}

static void
tt_store_finalize (GObject *object)
{
  TtStore *self = TT_STORE (object);

  g_clear_pointer (&self->shared, shared_unref);
  g_clear_error (&self->error);
  g_free (self->notice);

  G_OBJECT_CLASS (tt_store_parent_class)->finalize (object);
}

static void
tt_store_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  TtStore *self = TT_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, tt_store_get_path (self));
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_NOTICE:
      g_value_set_string (value, self->notice);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_store_class_init (TtStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tt_store_dispose;
  object_class->finalize = tt_store_finalize;
  object_class->get_property = tt_store_get_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Why writing currently fails (disk full, read-only, damaged), or NULL while all is written.
   * The case keeps running in memory meanwhile; show this to the user. */
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_NOTICE] =
    g_param_spec_string ("notice", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  for (int q = 0; q < TT_N_QUALITIES; q++)
    quality_to_code_table[q] = tt_store_quality_to_code (q);
}

static void
tt_store_init (TtStore *self)
{
}

static TtStore *
store_new_opened (const char    *path,
                  GMainContext  *context,
                  GError       **error)
{
  g_autofree char *default_path = path == NULL ? tt_store_default_path () : NULL;
  g_autofree char *notice = NULL;
  g_autoptr(TtStore) self = NULL;
  sqlite3 *db;

  if (path == NULL)
    path = default_path;
  db = open_database (path, &notice, error);
  if (db == NULL)
    return NULL;

  self = g_object_new (TT_TYPE_STORE, NULL);
  self->notice = g_steal_pointer (&notice);
  self->shared = shared_new (path);
  self->shared->db = db;
  self->shared->context = g_main_context_ref (context);
  g_weak_ref_set (&self->shared->store, self);
  self->shared->thread = g_thread_new ("titrate-store", writer_thread, self->shared);
  return g_steal_pointer (&self);
}

TtStore *
tt_store_open (const char  *path,
               GError     **error)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();

  return store_new_opened (path, context, error);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  TtStore *self = store_new_opened (task_data, g_task_get_context (task), &error);

  if (self == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, self, g_object_unref);
}

void
tt_store_open_async (const char          *path,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, tt_store_open_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, open_thread);
}

TtStore *
tt_store_open_finish (GAsyncResult  *result,
                      GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
tt_store_get_path (TtStore *self)
{
  g_return_val_if_fail (TT_IS_STORE (self), NULL);
  return self->shared->path;
}

const char *
tt_store_get_notice (TtStore *self)
{
  g_return_val_if_fail (TT_IS_STORE (self), NULL);
  return self->notice;
}

const GError *
tt_store_get_error (TtStore *self)
{
  g_return_val_if_fail (TT_IS_STORE (self), NULL);
  return self->error;
}

guint
tt_store_get_pending_samples (TtStore *self)
{
  g_return_val_if_fail (TT_IS_STORE (self), 0);
  return (guint) g_atomic_int_get (&self->shared->pending_samples);
}

/* Writing */

static gboolean
check_value (double       value,
             double       min,
             double       max,
             const char  *field,
             const char  *unit,
             GError     **error)
{
  if (isfinite (value) && value >= min && value <= max)
    return TRUE;
  g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_INVALID,
               _("Session setup: %s %g %s cannot be stored (allowed: %g to %g %s)"),
               field, value, unit, min, max, unit);
  return FALSE;
}

/* Storage sanity only; the engine validates clinical ranges before a case starts. A replay of a
 * recording has no patient: weight, syringe and line may be unknown (NAN, NULL). */
static gboolean
check_setup (const TtStoreSetup  *setup,
             GError             **error)
{
  gboolean replay = setup->mode == TT_STORE_MODE_REPLAY;

  if (((!replay || !isnan (setup->weight_kg)) &&
       !check_value (setup->weight_kg, 0.1, 1000, _("weight"), "kg", error)) ||
      !check_value (setup->band_low, 0, 400, _("target band lower bound"), "mmHg", error) ||
      !check_value (setup->band_high, setup->band_low + 1, 400, _("target band upper bound"),
                    "mmHg", error) ||
      ((!replay || !isnan (setup->concentration_ug_ml)) &&
       !check_value (setup->concentration_ug_ml, 0.001, 100000, _("concentration"), "µg/mL",
                     error)))
    return FALSE;
  if (!replay && (setup->line_type == NULL || setup->line_type[0] == '\0'))
    {
      g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_INVALID,
                   _("Session setup: the line type is missing (allowed: central, peripheral)"));
      return FALSE;
    }
  return TRUE;
}

TtStoreSession *
tt_store_begin_session (TtStore             *self,
                        const TtStoreSetup  *setup,
                        GError             **error)
{
  TtStoreSession *session;
  Op *op;

  g_return_val_if_fail (TT_IS_STORE (self), NULL);
  g_return_val_if_fail (setup != NULL, NULL);

  if (!check_setup (setup, error))
    return NULL;

  session = g_new0 (TtStoreSession, 1);
  g_atomic_ref_count_init (&session->ref);
  session->shared = shared_ref (self->shared);
  session->lock_fd = -1;
  session->next_advice = 1;
  session->next_alert = 1;

  op = op_new (OP_BEGIN, session);
  setup_copy (&op->setup, setup);
  enqueue (self->shared, op);
  return session;
}

gboolean
tt_store_update_setup (TtStoreSession      *session,
                       const TtStoreSetup  *setup,
                       GError             **error)
{
  Op *op;

  g_return_val_if_fail (session != NULL, FALSE);
  g_return_val_if_fail (setup != NULL, FALSE);
  g_return_val_if_fail (!session->ended, FALSE);

  if (!check_setup (setup, error))
    return FALSE;
  op = op_new (OP_SETUP, session);
  setup_copy (&op->setup, setup);
  enqueue (session->shared, op);
  return TRUE;
}

TtStoreSession *
tt_store_session_ref (TtStoreSession *session)
{
  g_atomic_ref_count_inc (&session->ref);
  return session;
}

void
tt_store_session_unref (TtStoreSession *session)
{
  if (!g_atomic_ref_count_dec (&session->ref))
    return;
  /* No queued operation refers to it any more, so the writer is done with the lock: a session
   * dropped without being ended stays open and is found interrupted at the next start. */
  if (session->lock_fd >= 0)
    close (session->lock_fd);
  shared_unref (session->shared);
  g_free (session);
}

gint64
tt_store_session_get_id (TtStoreSession *session)
{
  gint64 id;

  g_mutex_lock (&session->shared->lock);
  id = session->id;
  g_mutex_unlock (&session->shared->lock);
  return id;
}

void
tt_store_add_samples (TtStoreSession *session,
                      const TtSample *samples,
                      guint           n_samples)
{
  Shared *shared = session->shared;

  g_return_if_fail (!session->ended);

  while (n_samples > 0)
    {
      Op *tail;
      guint n;

      g_mutex_lock (&shared->lock);
      tail = g_queue_peek_tail (&shared->queue);
      if (tail != NULL && tail->type == OP_SAMPLES && tail->session == session &&
          tail->samples->len < TT_STORE_SAMPLE_CHUNK)
        {
          n = MIN (n_samples, TT_STORE_SAMPLE_CHUNK - tail->samples->len);
          g_array_append_vals (tail->samples, samples, n);
          tail->seq = ++shared->queued_seq;
        }
      else
        {
          Op *op = op_new (OP_SAMPLES, session);

          n = MIN (n_samples, TT_STORE_SAMPLE_CHUNK);
          op->samples = shared->spare->len > 0
                        ? g_ptr_array_steal_index_fast (shared->spare, shared->spare->len - 1)
                        : g_array_sized_new (FALSE, FALSE, sizeof (TtSample),
                                             TT_STORE_SAMPLE_CHUNK);
          g_array_append_vals (op->samples, samples, n);
          op->seq = ++shared->queued_seq;
          g_queue_push_tail (&shared->queue, op);
          if (shared->queue.length == 1)
            g_cond_signal (&shared->cond);
        }
      g_mutex_unlock (&shared->lock);
      g_atomic_int_add (&shared->pending_samples, (int) n);
      samples += n;
      n_samples -= n;
    }
}

void
tt_store_add_event (TtStoreSession *session,
                    gint64          t_ms,
                    const char     *kind,
                    const char     *text)
{
  Op *op;

  g_return_if_fail (kind != NULL);

  op = op_new (OP_EVENT, session);
  op->t_ms = t_ms;
  op->s[0] = g_strdup (kind);
  op->s[1] = g_strdup (text);
  enqueue (session->shared, op);
}

void
tt_store_add_checklist (TtStoreSession *session,
                        gint64          t_ms,
                        const char     *item,
                        const char     *override_reason)
{
  Op *op;

  g_return_if_fail (item != NULL);
  g_return_if_fail (override_reason == NULL || override_reason[0] != '\0');

  op = op_new (OP_CHECKLIST, session);
  op->t_ms = t_ms;
  op->s[0] = g_strdup (item);
  op->s[1] = g_strdup (override_reason);
  enqueue (session->shared, op);
}

guint
tt_store_add_advice (TtStoreSession      *session,
                     const TtStoreAdvice *advice)
{
  Op *op;

  g_return_val_if_fail (advice != NULL && advice->kind != NULL, 0);

  op = op_new (OP_ADVICE, session);
  op->n = session->next_advice++;
  op->t_ms = advice->t_ms;
  op->s[0] = g_strdup (advice->kind);
  op->s[1] = g_strdup (advice->reason_code);
  op->s[2] = g_strdup (advice->reason_text);
  op->s[3] = g_strdup (advice->limits);
  op->d[0] = advice->rate_ug_kg_min;
  op->d[1] = advice->rate_ml_h;
  op->d[2] = advice->bolus_ug;
  enqueue (session->shared, op);
  return op->n;
}

void
tt_store_answer_advice (TtStoreSession *session,
                        guint           seq,
                        TtStoreAnswer   answer,
                        gint64          t_ms,
                        double          actual_rate_ug_kg_min,
                        double          actual_rate_ml_h,
                        const char     *decline_reason)
{
  Op *op;

  g_return_if_fail (seq > 0 && seq < session->next_advice);
  g_return_if_fail (answer != TT_STORE_ANSWER_PENDING);

  op = op_new (OP_ANSWER, session);
  op->n = seq;
  op->code = answer;
  op->t_ms = t_ms;
  op->d[0] = actual_rate_ug_kg_min;
  op->d[1] = actual_rate_ml_h;
  op->s[0] = g_strdup (decline_reason);
  enqueue (session->shared, op);
}

void
tt_store_add_rate_change (TtStoreSession *session,
                          gint64          t_ms,
                          double          rate_ug_kg_min,
                          double          rate_ml_h,
                          guint           advice_seq)
{
  Op *op;

  g_return_if_fail (isfinite (rate_ug_kg_min) && isfinite (rate_ml_h));

  op = op_new (OP_RATE, session);
  op->t_ms = t_ms;
  op->d[0] = rate_ug_kg_min;
  op->d[1] = rate_ml_h;
  op->n = advice_seq;
  enqueue (session->shared, op);
}

void
tt_store_add_bolus (TtStoreSession *session,
                    gint64          t_ms,
                    double          dose_ug,
                    guint           advice_seq)
{
  Op *op;

  g_return_if_fail (isfinite (dose_ug));

  op = op_new (OP_BOLUS, session);
  op->t_ms = t_ms;
  op->d[0] = dose_ug;
  op->n = advice_seq;
  enqueue (session->shared, op);
}

guint
tt_store_add_alert (TtStoreSession *session,
                    gint64          t_ms,
                    const char     *priority,
                    const char     *kind,
                    const char     *text)
{
  Op *op;

  g_return_val_if_fail (g_strcmp0 (priority, "high") == 0 || g_strcmp0 (priority, "medium") == 0 ||
                        g_strcmp0 (priority, "low") == 0, 0);
  g_return_val_if_fail (kind != NULL, 0);

  op = op_new (OP_ALERT, session);
  op->n = session->next_alert++;
  op->t_ms = t_ms;
  op->s[0] = g_strdup (priority);
  op->s[1] = g_strdup (kind);
  op->s[2] = g_strdup (text);
  enqueue (session->shared, op);
  return op->n;
}

void
tt_store_ack_alert (TtStoreSession *session,
                    guint           seq,
                    gint64          t_ms)
{
  Op *op;

  g_return_if_fail (seq > 0 && seq < session->next_alert);

  op = op_new (OP_ACK, session);
  op->n = seq;
  op->t_ms = t_ms;
  enqueue (session->shared, op);
}

void
tt_store_clear_alert (TtStoreSession *session,
                      guint           seq,
                      gint64          t_ms)
{
  Op *op;

  g_return_if_fail (seq > 0 && seq < session->next_alert);

  op = op_new (OP_CLEAR, session);
  op->n = seq;
  op->t_ms = t_ms;
  enqueue (session->shared, op);
}

void
tt_store_add_training_input (TtStoreSession        *session,
                             const TtTrainingInput *input)
{
  Op *op;

  g_return_if_fail (input != NULL && input->kind < TT_N_TRAINING_INPUTS);

  op = op_new (OP_INPUT, session);
  op->t_ms = input->t_ms;
  op->s[0] = g_strdup (tt_training_input_kind_to_string (input->kind));
  op->d[0] = input->value;
  if (input->kind == TT_TRAINING_INPUT_ARTIFACT && input->artifact < TT_N_ARTIFACTS)
    op->s[1] = g_strdup (tt_artifact_to_string (input->artifact));
  op->d[1] = (double) input->duration_ms;
  enqueue (session->shared, op);
}

void
tt_store_set_feed_offset (TtStoreSession *session,
                          gint64          offset_ms)
{
  Op *op = op_new (OP_OFFSET, session);

  op->t_ms = offset_ms;
  enqueue (session->shared, op);
}

void
tt_store_end_session (TtStoreSession *session,
                      gint64          end_t_ms)
{
  Op *op;

  g_return_if_fail (!session->ended);

  session->ended = TRUE;
  op = op_new (OP_END, session);
  op->t_ms = end_t_ms;
  enqueue (session->shared, op);
}

void
tt_store_exec_on_writer_for_testing (TtStore    *self,
                                     const char *sql)
{
  Op *op = op_new (OP_SQL, NULL);

  op->sql = sql;
  enqueue (self->shared, op);
}

/* Waits until every operation queued before the call is committed; with @stop_on_error, also
 * returns (FALSE) as soon as the writer reports a failure. */
static gboolean
wait_written (Shared   *shared,
              gboolean  stop_on_error,
              GError  **error)
{
  gboolean ok = TRUE;
  guint64 target;

  g_mutex_lock (&shared->lock);
  target = shared->queued_seq;
  shared->flush = TRUE;
  g_cond_broadcast (&shared->cond);
  while (shared->done_seq < target)
    {
      /* Give up only once an attempt that included these operations has failed. */
      if (shared->error != NULL && shared->failed_seq >= target)
        {
          if (stop_on_error)
            g_propagate_error (error, g_error_copy (shared->error));
          ok = FALSE;
          break;
        }
      g_cond_wait (&shared->cond, &shared->lock);
    }
  g_mutex_unlock (&shared->lock);
  return ok;
}

gboolean
tt_store_flush (TtStore  *self,
                GError  **error)
{
  g_return_val_if_fail (TT_IS_STORE (self), FALSE);
  return wait_written (self->shared, TRUE, error);
}

static void
flush_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;

  if (tt_store_flush (source_object, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
tt_store_flush_async (TtStore             *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, tt_store_flush_async);
  g_task_run_in_thread (task, flush_thread);
}

gboolean
tt_store_flush_finish (TtStore       *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Reading */

static double
column_double (sqlite3_stmt *stmt,
               int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NAN;
  return sqlite3_column_double (stmt, column);
}

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static gint64
column_time (sqlite3_stmt *stmt,
             int           column,
             gint64        missing)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return missing;
  return sqlite3_column_int64 (stmt, column);
}

static sqlite3 *
open_reader (TtStore  *self,
             int       flags,
             GError  **error)
{
  wait_written (self->shared, FALSE, NULL);
  return open_connection (self->shared->path, flags, error);
}

#define SESSION_COLUMNS \
  "id, label, mode, state, app_version, start_unix_ms, end_unix_ms, end_t_ms, weight_kg," \
  " baseline_map, band_low, band_high, critical_map, concentration_ug_ml, line_type, start_rate," \
  " bolus_dose_ug, rate_soft_max, rate_hard_max, bolus_soft_max_ug, bolus_hard_max_ug, source," \
  " (SELECT max (t_ms) FROM samples WHERE session_id = sessions.id), syringe_ml, dead_space_ml," \
  " patient, patient_seed, patient_title, source_path, source_size, source_mtime_us," \
  " feed_offset_ms"

static TtStoreSessionInfo *
read_session_row (sqlite3_stmt *stmt)
{
  TtStoreSessionInfo *info = g_new0 (TtStoreSessionInfo, 1);
  TtStoreSetup *s = &info->setup;
  const char *state = (const char *) sqlite3_column_text (stmt, 3);

  info->id = sqlite3_column_int64 (stmt, 0);
  s->label = column_text (stmt, 1);
  if (!mode_from_string ((const char *) sqlite3_column_text (stmt, 2), &s->mode))
    s->mode = TT_STORE_MODE_LIVE;
  info->state = g_strcmp0 (state, "ended") == 0 ? TT_STORE_STATE_ENDED
              : g_strcmp0 (state, "interrupted") == 0 ? TT_STORE_STATE_INTERRUPTED
              : TT_STORE_STATE_OPEN;
  s->app_version = column_text (stmt, 4);
  s->start_unix_ms = sqlite3_column_int64 (stmt, 5);
  info->end_unix_ms = column_time (stmt, 6, 0);
  info->end_t_ms = column_time (stmt, 7, -1);
  s->weight_kg = column_double (stmt, 8);
  s->baseline_map = column_double (stmt, 9);
  s->band_low = column_double (stmt, 10);
  s->band_high = column_double (stmt, 11);
  s->critical_map = column_double (stmt, 12);
  s->concentration_ug_ml = column_double (stmt, 13);
  s->line_type = column_text (stmt, 14);
  s->start_rate = column_double (stmt, 15);
  s->bolus_dose_ug = column_double (stmt, 16);
  s->rate_soft_max = column_double (stmt, 17);
  s->rate_hard_max = column_double (stmt, 18);
  s->bolus_soft_max_ug = column_double (stmt, 19);
  s->bolus_hard_max_ug = column_double (stmt, 20);
  s->source = column_text (stmt, 21);
  info->last_t_ms = column_time (stmt, 22, -1);
  s->syringe_ml = column_double (stmt, 23);
  s->dead_space_ml = column_double (stmt, 24);
  s->patient = column_text (stmt, 25);
  s->patient_seed = column_time (stmt, 26, -1);
  s->patient_title = column_text (stmt, 27);
  s->source_path = column_text (stmt, 28);
  s->source_size = column_time (stmt, 29, -1);
  s->source_mtime_us = column_time (stmt, 30, -1);
  s->feed_offset_ms = column_time (stmt, 31, 0);
  return info;
}

static GPtrArray *
query_sessions (TtStore     *self,
                const char  *sql,
                GError     **error)
{
  g_autoptr(GPtrArray) sessions =
    g_ptr_array_new_with_free_func ((GDestroyNotify) tt_store_session_info_free);
  sqlite3 *db = open_reader (self, SQLITE_OPEN_READONLY, error);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (db == NULL)
    return NULL;
  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (sessions, read_session_row (stmt));
      rc = SQLITE_OK;
    }
  if (rc != SQLITE_DONE)
    tt_store_set_sqlite_error (error, db, rc, _("Reading the list of sessions"));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return rc == SQLITE_DONE ? g_steal_pointer (&sessions) : NULL;
}

GPtrArray *
tt_store_list_sessions (TtStore  *self,
                        GError  **error)
{
  g_return_val_if_fail (TT_IS_STORE (self), NULL);
  return query_sessions (self, "SELECT " SESSION_COLUMNS " FROM sessions ORDER BY id", error);
}

GPtrArray *
tt_store_find_interrupted (TtStore  *self,
                           GError  **error)
{
  g_return_val_if_fail (TT_IS_STORE (self), NULL);
  return query_sessions (self,
                         "SELECT " SESSION_COLUMNS " FROM sessions"
                         " WHERE state = 'interrupted' ORDER BY id",
                         error);
}

typedef gboolean (*RowFunc) (sqlite3_stmt *stmt,
                             TtStoreCase  *store_case);

static gboolean
read_rows (sqlite3      *db,
           const char   *sql,
           gint64        id,
           RowFunc       func,
           TtStoreCase  *store_case,
           GError      **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    sqlite3_bind_int64 (stmt, 1, id);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      func (stmt, store_case);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      g_autofree char *what = g_strdup_printf (_("Reading session %" PRId64), id);

      tt_store_set_sqlite_error (error, db, rc, what);
      return FALSE;
    }
  return TRUE;
}

static gboolean
session_row (sqlite3_stmt *stmt,
             TtStoreCase  *store_case)
{
  store_case->info = read_session_row (stmt);
  return TRUE;
}

static gboolean
sample_row (sqlite3_stmt *stmt,
            TtStoreCase  *store_case)
{
  TtSample sample = {
    .t_ms = sqlite3_column_int64 (stmt, 0),
    .map = column_double (stmt, 1),
    .sbp = column_double (stmt, 2),
    .dbp = column_double (stmt, 3),
    .hr = column_double (stmt, 4),
    .quality = tt_store_quality_from_code (sqlite3_column_int (stmt, 5)),
  };

  g_array_append_val (store_case->recording->samples, sample);
  return TRUE;
}

static gboolean
event_row (sqlite3_stmt *stmt,
           TtStoreCase  *store_case)
{
  tt_recording_add_event (store_case->recording, sqlite3_column_int64 (stmt, 0),
                          (const char *) sqlite3_column_text (stmt, 1),
                          (const char *) sqlite3_column_text (stmt, 2));
  return TRUE;
}

static gboolean
checklist_row (sqlite3_stmt *stmt,
               TtStoreCase  *store_case)
{
  TtStoreChecklistItem item = {
    .t_ms = sqlite3_column_int64 (stmt, 0),
    .item = column_text (stmt, 1),
    .override_reason = column_text (stmt, 2),
  };

  g_array_append_val (store_case->checklist, item);
  return TRUE;
}

static gboolean
advice_row (sqlite3_stmt *stmt,
            TtStoreCase  *store_case)
{
  const char *answer = (const char *) sqlite3_column_text (stmt, 10);
  TtStoreAdvice advice = {
    .seq = (guint) sqlite3_column_int64 (stmt, 0),
    .t_ms = sqlite3_column_int64 (stmt, 1),
    .kind = column_text (stmt, 2),
    .reason_code = column_text (stmt, 3),
    .reason_text = column_text (stmt, 4),
    .rate_ug_kg_min = column_double (stmt, 5),
    .rate_ml_h = column_double (stmt, 6),
    .bolus_ug = column_double (stmt, 7),
    .limits = column_text (stmt, 8),
    .answer_t_ms = column_time (stmt, 9, -1),
    .actual_rate_ug_kg_min = column_double (stmt, 11),
    .actual_rate_ml_h = column_double (stmt, 12),
    .decline_reason = column_text (stmt, 13),
  };

  for (int a = TT_STORE_ANSWER_PENDING; a <= TT_STORE_ANSWER_DECLINED; a++)
    if (g_strcmp0 (answer, tt_store_answer_to_string (a)) == 0)
      advice.answer = a;
  g_array_append_val (store_case->advice, advice);
  return TRUE;
}

static gboolean
rate_row (sqlite3_stmt *stmt,
          TtStoreCase  *store_case)
{
  TtStoreRateChange change = {
    .t_ms = sqlite3_column_int64 (stmt, 0),
    .rate_ug_kg_min = column_double (stmt, 1),
    .rate_ml_h = column_double (stmt, 2),
    .advice_seq = (guint) sqlite3_column_int64 (stmt, 3),
  };

  g_array_append_val (store_case->rate_changes, change);
  return TRUE;
}

static gboolean
bolus_row (sqlite3_stmt *stmt,
           TtStoreCase  *store_case)
{
  TtStoreBolus bolus = {
    .t_ms = sqlite3_column_int64 (stmt, 0),
    .dose_ug = column_double (stmt, 1),
    .advice_seq = (guint) sqlite3_column_int64 (stmt, 2),
  };

  g_array_append_val (store_case->boluses, bolus);
  return TRUE;
}

static gboolean
alert_row (sqlite3_stmt *stmt,
           TtStoreCase  *store_case)
{
  TtStoreAlert alert = {
    .seq = (guint) sqlite3_column_int64 (stmt, 0),
    .t_ms = sqlite3_column_int64 (stmt, 1),
    .priority = column_text (stmt, 2),
    .kind = column_text (stmt, 3),
    .text = column_text (stmt, 4),
    .ack_t_ms = column_time (stmt, 5, -1),
    .cleared_t_ms = column_time (stmt, 6, -1),
  };

  g_array_append_val (store_case->alerts, alert);
  return TRUE;
}

/* An input of a kind or artifact this version does not know is left out (the patient cannot be
 * given it). */
static gboolean
training_input_row (sqlite3_stmt *stmt,
                    TtStoreCase  *store_case)
{
  const char *artifact = (const char *) sqlite3_column_text (stmt, 3);
  TtTrainingInput input = {
    .t_ms = sqlite3_column_int64 (stmt, 0),
    .value = column_double (stmt, 2),
    .artifact = TT_ARTIFACT_NONE,
    .duration_ms = column_time (stmt, 4, 0),
  };

  if (!tt_training_input_kind_from_string ((const char *) sqlite3_column_text (stmt, 1),
                                           &input.kind))
    return TRUE;
  if (input.kind == TT_TRAINING_INPUT_ARTIFACT &&
      (artifact == NULL || !tt_artifact_from_string (artifact, &input.artifact)))
    return TRUE;
  g_array_append_val (store_case->training_inputs, input);
  return TRUE;
}

static TtStoreCase *
load_case (sqlite3  *db,
           gint64    id,
           GError  **error)
{
  g_autoptr(TtStoreCase) store_case = case_new ();

  if (!read_rows (db, "SELECT " SESSION_COLUMNS " FROM sessions WHERE id = ?", id, session_row,
                  store_case, error))
    return NULL;
  if (store_case->info == NULL)
    {
      g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND,
                   _("There is no session %" PRId64 " in the session log"), id);
      return NULL;
    }
  store_case->recording->start_unix_ms = store_case->info->setup.start_unix_ms;
  store_case->recording->map_source = g_strdup ("session log");

  if (!read_rows (db,
                  "SELECT t_ms, map, sbp, dbp, hr, quality FROM samples WHERE session_id = ?"
                  " ORDER BY t_ms, rowid",
                  id, sample_row, store_case, error) ||
      !read_rows (db,
                  "SELECT t_ms, kind, text FROM events WHERE session_id = ? ORDER BY t_ms, id",
                  id, event_row, store_case, error) ||
      !read_rows (db,
                  "SELECT t_ms, item, override_reason FROM checklist WHERE session_id = ?"
                  " ORDER BY t_ms, id",
                  id, checklist_row, store_case, error) ||
      !read_rows (db,
                  "SELECT seq, t_ms, kind, reason_code, reason_text, rate_ug_kg_min, rate_ml_h,"
                  " bolus_ug, limits, answer_t_ms, answer, actual_rate_ug_kg_min,"
                  " actual_rate_ml_h, decline_reason FROM advice WHERE session_id = ?"
                  " ORDER BY seq",
                  id, advice_row, store_case, error) ||
      !read_rows (db,
                  "SELECT t_ms, rate_ug_kg_min, rate_ml_h, advice_seq FROM rate_changes"
                  " WHERE session_id = ? ORDER BY t_ms, id",
                  id, rate_row, store_case, error) ||
      !read_rows (db,
                  "SELECT t_ms, dose_ug, advice_seq FROM boluses WHERE session_id = ?"
                  " ORDER BY t_ms, id",
                  id, bolus_row, store_case, error) ||
      !read_rows (db,
                  "SELECT seq, t_ms, priority, kind, text, ack_t_ms, cleared_t_ms FROM alerts"
                  " WHERE session_id = ? ORDER BY seq",
                  id, alert_row, store_case, error) ||
      !read_rows (db,
                  "SELECT t_ms, kind, value, artifact, duration_ms FROM training_inputs"
                  " WHERE session_id = ? ORDER BY t_ms, id",
                  id, training_input_row, store_case, error))
    return NULL;
  return g_steal_pointer (&store_case);
}

TtStoreCase *
tt_store_load_session (TtStore  *self,
                       gint64    id,
                       GError  **error)
{
  TtStoreCase *store_case;
  sqlite3 *db;

  g_return_val_if_fail (TT_IS_STORE (self), NULL);

  db = open_reader (self, SQLITE_OPEN_READONLY, error);
  if (db == NULL)
    return NULL;
  /* One read transaction, so the case is a consistent snapshot while the writer goes on. */
  tt_store_schema_exec (db, "BEGIN", NULL);
  store_case = load_case (db, id, error);
  tt_store_schema_exec (db, "COMMIT", NULL);
  sqlite3_close (db);
  return store_case;
}

static gint64
query_int (sqlite3    *db,
           const char *sql,
           gint64      id)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = 0;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        value = sqlite3_column_int64 (stmt, 0);
    }
  sqlite3_finalize (stmt);
  return value;
}

static TtStoreSessionInfo *
get_info (TtStore  *self,
          sqlite3  *db,
          gint64    id,
          GError  **error)
{
  g_autoptr(TtStoreCase) store_case = case_new ();

  if (!read_rows (db, "SELECT " SESSION_COLUMNS " FROM sessions WHERE id = ?", id, session_row,
                  store_case, error))
    return NULL;
  if (store_case->info == NULL)
    {
      g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND,
                   _("There is no session %" PRId64 " in the session log"), id);
      return NULL;
    }
  return g_steal_pointer (&store_case->info);
}

TtStoreSession *
tt_store_resume_session (TtStore  *self,
                         gint64    id,
                         GError  **error)
{
  g_autoptr(TtStoreSessionInfo) info = NULL;
  TtStoreSession *session;
  sqlite3 *db;
  Op *op;

  g_return_val_if_fail (TT_IS_STORE (self), NULL);

  db = open_reader (self, SQLITE_OPEN_READONLY, error);
  if (db == NULL)
    return NULL;
  info = get_info (self, db, id, error);
  if (info != NULL && info->state != TT_STORE_STATE_INTERRUPTED)
    {
      g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_IN_USE,
                   _("Session %" PRId64 " cannot be resumed: it is %s, not interrupted"),
                   id, tt_store_state_to_string (info->state));
      g_clear_pointer (&info, tt_store_session_info_free);
    }
  if (info == NULL)
    {
      sqlite3_close (db);
      return NULL;
    }

  session = g_new0 (TtStoreSession, 1);
  g_atomic_ref_count_init (&session->ref);
  session->shared = shared_ref (self->shared);
  session->id = id;
  session->writer_id = id;
  session->lock_fd = -1;
  session->next_advice = query_int (db, "SELECT coalesce (max (seq), 0) + 1 FROM advice"
                                        " WHERE session_id = ?", id);
  session->next_alert = query_int (db, "SELECT coalesce (max (seq), 0) + 1 FROM alerts"
                                       " WHERE session_id = ?", id);
  sqlite3_close (db);

  op = op_new (OP_RESUME, session);
  enqueue (self->shared, op);
  return session;
}

void
tt_store_close_interrupted (TtStore *self,
                            gint64   id)
{
  Op *op;

  g_return_if_fail (TT_IS_STORE (self));

  op = op_new (OP_CLOSE_INTERRUPTED, NULL);
  op->id = id;
  enqueue (self->shared, op);
}

gboolean
tt_store_delete_session (TtStore  *self,
                         gint64    id,
                         GError  **error)
{
  g_autoptr(TtStoreSessionInfo) info = NULL;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db;
  int fd = -1;
  int rc;

  g_return_val_if_fail (TT_IS_STORE (self), FALSE);

  db = open_reader (self, SQLITE_OPEN_READWRITE, error);
  if (db == NULL)
    return FALSE;
  info = get_info (self, db, id, error);
  if (info == NULL)
    {
      sqlite3_close (db);
      return FALSE;
    }
  if (info->state == TT_STORE_STATE_OPEN && (fd = lock_session (self->shared->path, id)) < 0)
    {
      g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_IN_USE,
                   _("Session %" PRId64 " is being recorded and cannot be deleted; end "
                     "it first"), id);
      sqlite3_close (db);
      return FALSE;
    }

  rc = sqlite3_prepare_v2 (db, "DELETE FROM sessions WHERE id = ?", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      g_autofree char *what = g_strdup_printf (_("Deleting session %" PRId64), id);

      tt_store_set_sqlite_error (error, db, rc, what);
    }
  unlock_session (self->shared->path, id, &fd, TRUE);
  sqlite3_close (db);
  return rc == SQLITE_DONE;
}

/* The _async forms: each runs its blocking form in a GTask thread. */

typedef struct {
  gint64 id;
  int    kind;
} ReadJob;

enum {
  JOB_LIST,
  JOB_INTERRUPTED,
  JOB_LOAD,
  JOB_RESUME,
  JOB_DELETE,
};

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TtStore *self = source_object;
  ReadJob *job = task_data;
  GError *error = NULL;
  gpointer result = NULL;
  GDestroyNotify free_func = NULL;

  switch (job->kind)
    {
    case JOB_LIST:
      result = tt_store_list_sessions (self, &error);
      free_func = (GDestroyNotify) g_ptr_array_unref;
      break;
    case JOB_INTERRUPTED:
      result = tt_store_find_interrupted (self, &error);
      free_func = (GDestroyNotify) g_ptr_array_unref;
      break;
    case JOB_LOAD:
      result = tt_store_load_session (self, job->id, &error);
      free_func = (GDestroyNotify) tt_store_case_free;
      break;
    case JOB_RESUME:
      result = tt_store_resume_session (self, job->id, &error);
      free_func = (GDestroyNotify) tt_store_session_unref;
      break;
    case JOB_DELETE:
      if (tt_store_delete_session (self, job->id, &error))
        {
          g_task_return_boolean (task, TRUE);
          return;
        }
      break;
    default:
      g_assert_not_reached ();
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, free_func);
}

static void
run_job (TtStore             *self,
         int                  kind,
         gint64               id,
         gpointer             source_tag,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  ReadJob *job = g_new0 (ReadJob, 1);

  job->kind = kind;
  job->id = id;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, g_free);
  g_task_run_in_thread (task, read_thread);
}

void
tt_store_list_sessions_async (TtStore             *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (TT_IS_STORE (self));
  run_job (self, JOB_LIST, 0, tt_store_list_sessions_async, cancellable, callback, user_data);
}

GPtrArray *
tt_store_list_sessions_finish (TtStore       *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tt_store_find_interrupted_async (TtStore             *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (TT_IS_STORE (self));
  run_job (self, JOB_INTERRUPTED, 0, tt_store_find_interrupted_async, cancellable, callback,
           user_data);
}

GPtrArray *
tt_store_find_interrupted_finish (TtStore       *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tt_store_load_session_async (TtStore             *self,
                             gint64               id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (TT_IS_STORE (self));
  run_job (self, JOB_LOAD, id, tt_store_load_session_async, cancellable, callback, user_data);
}

TtStoreCase *
tt_store_load_session_finish (TtStore       *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tt_store_resume_session_async (TtStore             *self,
                               gint64               id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (TT_IS_STORE (self));
  run_job (self, JOB_RESUME, id, tt_store_resume_session_async, cancellable, callback, user_data);
}

TtStoreSession *
tt_store_resume_session_finish (TtStore       *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tt_store_delete_session_async (TtStore             *self,
                               gint64               id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (TT_IS_STORE (self));
  run_job (self, JOB_DELETE, id, tt_store_delete_session_async, cancellable, callback, user_data);
}

gboolean
tt_store_delete_session_finish (TtStore       *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
