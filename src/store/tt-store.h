/* tt-store.h: the session log. One sqlite database; writes are queued without waiting and committed
 * by a worker thread in batches at least every TT_STORE_COMMIT_INTERVAL_MS; reads run on a worker
 * thread (the _async functions) with their results on the caller's main context.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tt-recording.h"
#include "tt-sample.h"
#include "tt-training-run.h"

G_BEGIN_DECLS

#define TT_STORE_ERROR (tt_store_error_quark ())

typedef enum {
  TT_STORE_ERROR_FAILED,
  TT_STORE_ERROR_CORRUPT,      /* the file is damaged or not a database (it was moved aside) */
  TT_STORE_ERROR_TOO_NEW,      /* written by a newer Titrate: left untouched */
  TT_STORE_ERROR_NOT_FOUND,    /* no such session */
  TT_STORE_ERROR_DISK_FULL,
  TT_STORE_ERROR_READ_ONLY,
  TT_STORE_ERROR_IN_USE,       /* the session is being recorded by a running Titrate */
  TT_STORE_ERROR_INVALID,      /* a setup value that cannot be stored */
} TtStoreError;

/* How often the writer commits while samples arrive: at most this much is lost by a crash. */
#define TT_STORE_COMMIT_INTERVAL_MS 200

/* While the disk is full or read-only the store keeps what it could not write in memory, at most
 * this many samples (one hour at 125 Hz, ≈ 22 MB); beyond that the oldest are dropped and the gap is
 * logged as a "log-gap" event once writing resumes. Retries happen every TT_STORE_RETRY_MS. */
#define TT_STORE_BACKLOG_MAX_SAMPLES (125 * 3600)
#define TT_STORE_RETRY_MS 1000

typedef enum {
  TT_STORE_MODE_LIVE,
  TT_STORE_MODE_TRAINING,      /* virtual patient */
  TT_STORE_MODE_REPLAY,        /* a recorded case */
} TtStoreMode;

typedef enum {
  TT_STORE_STATE_OPEN,         /* being recorded */
  TT_STORE_STATE_ENDED,
  TT_STORE_STATE_INTERRUPTED,  /* found open at start-up: Titrate stopped without ending it */
} TtStoreState;

typedef enum {
  TT_STORE_ANSWER_PENDING,
  TT_STORE_ANSWER_ACCEPTED,    /* the advised rate or bolus was given */
  TT_STORE_ANSWER_CHANGED,     /* another rate was set: actual_rate_* */
  TT_STORE_ANSWER_DECLINED,    /* not followed: decline_reason */
} TtStoreAnswer;

/* The setup snapshot of a case. Rates in µg/kg/min, doses in µg, pressures in mmHg; NAN where not
 * set (a replay of a recording may leave weight, concentration and line type unknown). Strings are owned by the struct when the store returns it (tt_store_setup_clear). */
typedef struct {
  char        *label;
  TtStoreMode  mode;
  gint64       start_unix_ms;        /* wall-clock UTC at the start of the case */
  double       weight_kg;
  double       baseline_map;
  double       band_low;
  double       band_high;
  double       critical_map;         /* the hypotension threshold drawn on the trend */
  double       concentration_ug_ml;
  char        *line_type;            /* "central" or "peripheral" */
  double       start_rate;
  double       bolus_dose_ug;
  double       rate_soft_max;
  double       rate_hard_max;
  double       bolus_soft_max_ug;
  double       bolus_hard_max_ug;
  char        *app_version;          /* NULL when writing: this build's version */
  char        *source;               /* where the samples came from: a replay's file, a feed */
  double       syringe_ml;           /* volume in the syringe at the start (since version 3) */
  double       dead_space_ml;        /* unprimed line volume (since version 3) */
  /* Since version 4, to resume a case as it was; NULL / -1 when not known. */
  char        *patient;              /* training: tt_patient_params_to_string() */
  gint64       patient_seed;         /* training: the patient's seed, -1 when none */
  char        *patient_title;        /* training: "Elderly patient, severe fall" */
  char        *source_path;          /* replay: the recording's absolute path (never shown) */
  gint64       source_size;          /* replay: its size in bytes, -1 when not known */
  gint64       source_mtime_us;      /* replay: its modification time, -1 when not known */
  gint64       feed_offset_ms;       /* read only: case clock − the feed's clock (0 at first;
                                      * tt_store_set_feed_offset() after a resume) */
} TtStoreSetup;

typedef struct {
  gint64        id;
  TtStoreSetup  setup;
  TtStoreState  state;
  gint64        end_unix_ms;         /* 0 while not ended */
  gint64        end_t_ms;            /* case clock at the end, -1 while not ended */
  gint64        last_t_ms;           /* time of the last stored sample, -1 if none */
} TtStoreSessionInfo;

typedef struct {
  gint64  t_ms;
  char   *item;
  char   *override_reason;           /* NULL: checked; else the logged reason for skipping it */
} TtStoreChecklistItem;

typedef struct {
  guint          seq;                /* 1, 2, … within the session */
  gint64         t_ms;
  char          *kind;               /* the advisor's kind: "hold", "increase", "bolus", … */
  char          *reason_code;
  char          *reason_text;
  double         rate_ug_kg_min;     /* advised rate, NAN for none */
  double         rate_ml_h;
  double         bolus_ug;           /* advised bolus, NAN for none */
  char          *limits;             /* the limits that capped it, NULL if none */
  TtStoreAnswer  answer;
  gint64         answer_t_ms;        /* -1 while pending */
  double         actual_rate_ug_kg_min;
  double         actual_rate_ml_h;
  char          *decline_reason;
} TtStoreAdvice;

typedef struct {
  gint64 t_ms;
  double rate_ug_kg_min;
  double rate_ml_h;
  guint  advice_seq;                 /* the advice it answered, 0 for none */
} TtStoreRateChange;

typedef struct {
  gint64 t_ms;
  double dose_ug;
  guint  advice_seq;
} TtStoreBolus;

typedef struct {
  guint   seq;
  gint64  t_ms;
  char   *priority;                  /* "high", "medium", "low" */
  char   *kind;
  char   *text;
  gint64  ack_t_ms;                  /* -1 while not acknowledged */
  gint64  cleared_t_ms;              /* when its condition ended, -1 while active (version 3) */
} TtStoreAlert;

/* A whole session read back: samples and events in @recording (format "session"). */
typedef struct {
  TtStoreSessionInfo *info;
  TtRecording        *recording;
  GArray             *checklist;     /* of TtStoreChecklistItem */
  GArray             *advice;        /* of TtStoreAdvice, by seq */
  GArray             *rate_changes;  /* of TtStoreRateChange */
  GArray             *boluses;       /* of TtStoreBolus */
  GArray             *alerts;        /* of TtStoreAlert, by seq */
  GArray             *training_inputs; /* of TtTrainingInput, as given (version 4) */
} TtStoreCase;

/* A session being written. Every call on it returns at once: the row goes to the writer thread. */
typedef struct _TtStoreSession TtStoreSession;

#define TT_TYPE_STORE (tt_store_get_type ())
G_DECLARE_FINAL_TYPE (TtStore, tt_store, TT, STORE, GObject)

GQuark              tt_store_error_quark          (void);
const char         *tt_store_mode_to_string       (TtStoreMode          mode);
const char         *tt_store_state_to_string      (TtStoreState         state);
const char         *tt_store_answer_to_string     (TtStoreAnswer        answer);

void                tt_store_setup_init           (TtStoreSetup        *setup);
void                tt_store_setup_clear          (TtStoreSetup        *setup);
void                tt_store_session_info_free    (TtStoreSessionInfo  *info);
void                tt_store_case_free            (TtStoreCase         *store_case);
const TtStoreAdvice *tt_store_case_find_advice    (const TtStoreCase   *store_case,
                                                   guint                seq);

/* $XDG_DATA_HOME/titrate/sessions.db */
char               *tt_store_default_path         (void);

/* Opens (creating, migrating, marking sessions left open by a dead process as interrupted) the
 * database at @path, or the default one when NULL. A damaged file is renamed aside and a new log is
 * started: tt_store_get_notice() then says so. */
void                tt_store_open_async           (const char          *path,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
TtStore            *tt_store_open_finish          (GAsyncResult        *result,
                                                   GError             **error);
/* The same, blocking: for titrate-cli and tests. */
TtStore            *tt_store_open                 (const char          *path,
                                                   GError             **error);

const char         *tt_store_get_path             (TtStore             *self);
/* A message about what happened at open (a damaged file kept aside), or NULL. */
const char         *tt_store_get_notice           (TtStore             *self);
/* Why writing is failing right now (disk full, read-only…), or NULL; property "error". */
const GError       *tt_store_get_error            (TtStore             *self);
/* Samples queued or kept in memory, not yet committed. */
guint               tt_store_get_pending_samples  (TtStore             *self);

TtStoreSession     *tt_store_begin_session        (TtStore             *self,
                                                   const TtStoreSetup  *setup,
                                                   GError             **error);
/* The clinician changed the setup after the session began (back from the checklist): the
 * session's snapshot becomes @setup (its mode, start, version and source are kept). */
gboolean            tt_store_update_setup         (TtStoreSession      *session,
                                                   const TtStoreSetup  *setup,
                                                   GError             **error);
TtStoreSession     *tt_store_session_ref          (TtStoreSession      *session);
void                tt_store_session_unref        (TtStoreSession      *session);
/* The database id once the writer has inserted the session, else 0. */
gint64              tt_store_session_get_id       (TtStoreSession      *session);

void                tt_store_add_samples          (TtStoreSession      *session,
                                                   const TtSample      *samples,
                                                   guint                n_samples);
void                tt_store_add_event            (TtStoreSession      *session,
                                                   gint64               t_ms,
                                                   const char          *kind,
                                                   const char          *text);
void                tt_store_add_checklist        (TtStoreSession      *session,
                                                   gint64               t_ms,
                                                   const char          *item,
                                                   const char          *override_reason);
/* Returns the advice's seq, to answer it with. @advice's seq and answer fields are ignored. */
guint               tt_store_add_advice           (TtStoreSession      *session,
                                                   const TtStoreAdvice *advice);
void                tt_store_answer_advice        (TtStoreSession      *session,
                                                   guint                seq,
                                                   TtStoreAnswer        answer,
                                                   gint64               t_ms,
                                                   double               actual_rate_ug_kg_min,
                                                   double               actual_rate_ml_h,
                                                   const char          *decline_reason);
void                tt_store_add_rate_change      (TtStoreSession      *session,
                                                   gint64               t_ms,
                                                   double               rate_ug_kg_min,
                                                   double               rate_ml_h,
                                                   guint                advice_seq);
void                tt_store_add_bolus            (TtStoreSession      *session,
                                                   gint64               t_ms,
                                                   double               dose_ug,
                                                   guint                advice_seq);
guint               tt_store_add_alert            (TtStoreSession      *session,
                                                   gint64               t_ms,
                                                   const char          *priority,
                                                   const char          *kind,
                                                   const char          *text);
void                tt_store_ack_alert            (TtStoreSession      *session,
                                                   guint                seq,
                                                   gint64               t_ms);
/* The alert's condition ended (acknowledged or not). */
void                tt_store_clear_alert          (TtStoreSession      *session,
                                                   guint                seq,
                                                   gint64               t_ms);
/* An input the virtual patient of a training case received, on the patient's clock (kind, value,
 * artifact and duration as TtTrainingInput has them). */
void                tt_store_add_training_input   (TtStoreSession      *session,
                                                   const TtTrainingInput *input);
/* A resumed case's feed runs on its own clock: case clock = feed clock + @offset_ms from now on. */
void                tt_store_set_feed_offset      (TtStoreSession      *session,
                                                   gint64               offset_ms);
void                tt_store_end_session          (TtStoreSession      *session,
                                                   gint64               end_t_ms);

/* Waits until everything queued so far is committed (or writing fails): titrate-cli and tests. */
gboolean            tt_store_flush                (TtStore             *self,
                                                   GError             **error);
void                tt_store_flush_async          (TtStore             *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean            tt_store_flush_finish         (TtStore             *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

/* Reads see everything queued before the call. The blocking forms are for titrate-cli and tests. */
GPtrArray          *tt_store_list_sessions        (TtStore             *self,
                                                   GError             **error);
void                tt_store_list_sessions_async  (TtStore             *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GPtrArray          *tt_store_list_sessions_finish (TtStore             *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
/* Sessions found open at start-up (state interrupted), to offer for resume or close. */
GPtrArray          *tt_store_find_interrupted     (TtStore             *self,
                                                   GError             **error);
void                tt_store_find_interrupted_async  (TtStore             *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GPtrArray          *tt_store_find_interrupted_finish (TtStore             *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
TtStoreCase        *tt_store_load_session         (TtStore             *self,
                                                   gint64               id,
                                                   GError             **error);
void                tt_store_load_session_async   (TtStore             *self,
                                                   gint64               id,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
TtStoreCase        *tt_store_load_session_finish  (TtStore             *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
/* Continues an interrupted session: new samples are appended after its last one. */
TtStoreSession     *tt_store_resume_session       (TtStore             *self,
                                                   gint64               id,
                                                   GError             **error);
void                tt_store_resume_session_async (TtStore             *self,
                                                   gint64               id,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
TtStoreSession     *tt_store_resume_session_finish (TtStore            *self,
                                                    GAsyncResult       *result,
                                                    GError            **error);
/* Marks an interrupted session ended, at its last sample (queued like every write). */
void                tt_store_close_interrupted    (TtStore             *self,
                                                   gint64               id);
/* Deletes a session and everything in it; refuses one that is being recorded. */
gboolean            tt_store_delete_session       (TtStore             *self,
                                                   gint64               id,
                                                   GError             **error);
void                tt_store_delete_session_async (TtStore             *self,
                                                   gint64               id,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean            tt_store_delete_session_finish (TtStore            *self,
                                                    GAsyncResult       *result,
                                                    GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtStoreSession, tt_store_session_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtStoreSessionInfo, tt_store_session_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtStoreCase, tt_store_case_free)

G_END_DECLS
