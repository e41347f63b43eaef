/* tt-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "tt-case-log.h"
#include "tt-checklist-page.h"
#include "tt-history-page.h"
#include "tt-debrief-page.h"
#include "tt-instructor-panel.h"
#include "tt-line-feed.h"
#include "tt-monitor-page.h"
#include "tt-mllp-feed.h"
#include "tt-patient-feed.h"
#include "tt-recording-load.h"
#include "tt-replay-bar.h"
#include "tt-replay-feed.h"
#include "tt-review-page.h"
#include "tt-setup-page.h"
#include "tt-start-page.h"
#include "tt-settings.h"
#include "tt-summary-page.h"
#include "tt-training-chooser.h"
#include "tt-window.h"

struct _TtWindow
{
  AdwApplicationWindow  parent_instance;

  /* template widgets */
  AdwHeaderBar         *header_bar;
  AdwWindowTitle       *window_title;
  GtkButton            *back_button;
  GtkButton            *nav_back_button;
  GtkLabel             *mode_label;
  GtkMenuButton        *primary_menu_button;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  TtStartPage          *start_page;
  TtSetupPage          *setup_page;
  TtChecklistPage      *checklist_page;
  TtMonitorPage        *monitor_page;
  TtSummaryPage        *summary_page;
  TtHistoryPage        *history_page;
  TtReviewPage         *review_page;
  GtkRevealer          *replay_revealer;
  TtReplayBar          *replay_bar;
  TtTrainingChooser    *training_chooser;
  TtDebriefPage        *debrief_page;
  TtInstructorPanel    *instructor_panel;
  AdwFlap              *flap;
  GtkToggleButton      *instructor_button;
  GtkButton            *debrief_button;
  GtkLabel             *case_label;
  GtkButton            *end_button;
  GtkLabel             *log_label;

  /* owned */
  TtSession            *session;
  GSignalGroup         *session_signals;
  GSignalGroup         *case_signals;
  GtkFileChooserNative *chooser;
  GCancellable         *loading;
  TtTraining           *training;
  guint                 n_alert_sounds;
  TtStore              *store;
  GSignalGroup         *store_signals;
  GCancellable         *resuming;
  AdwToast             *log_toast;
  char                 *last_toast;
  gboolean              store_ready;
};

enum {
  PROP_0,
  PROP_SESSION,
  PROP_TRAINING,
  PROP_INSTRUCTOR_VISIBLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TtWindow, tt_window, ADW_TYPE_APPLICATION_WINDOW)

static GSettings *
get_settings (TtWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return TT_IS_APPLICATION (app) ? tt_application_get_settings (TT_APPLICATION (app)) : NULL;
}

static void store_changed_cb (TtWindow *self);

TtWindow *
tt_window_new (TtApplication *application)
{
  TtWindow *self = g_object_new (TT_TYPE_WINDOW, "application", application, NULL);
  GSettings *settings = tt_application_get_settings (application);

  /* The window's size is remembered between runs; bound, so no save-on-close code is needed. */
  g_settings_bind (settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
  /* The pages that read the session log follow the application's. */
  g_object_bind_property (application, "store", self->start_page, "store", G_BINDING_SYNC_CREATE);
  g_object_bind_property (application, "store", self->history_page, "store",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (application, "store", self->review_page, "store", G_BINDING_SYNC_CREATE);
  /* Cases are written to it, and its trouble is shown. */
  g_signal_connect_object (application, "notify::store", G_CALLBACK (store_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (application, "notify::store-error", G_CALLBACK (store_changed_cb),
                           self, G_CONNECT_SWAPPED);
  store_changed_cb (self);

  return self;
}

void
tt_window_show_page (TtWindow   *self,
                     const char *name)
{
  g_return_if_fail (TT_IS_WINDOW (self));

  gtk_stack_set_visible_child_name (self->stack, name);
}

const char *
tt_window_get_visible_page (TtWindow *self)
{
  g_return_val_if_fail (TT_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

void
tt_window_add_toast (TtWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (TT_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

const char *
tt_window_get_last_toast (TtWindow *self)
{
  g_return_val_if_fail (TT_IS_WINDOW (self), NULL);
  return self->last_toast;
}

static void
show_toast (TtWindow   *self,
            const char *message,
            guint       timeout_s)
{
  AdwToast *toast = adw_toast_new (message);

  g_free (self->last_toast);
  self->last_toast = g_strdup (message);
  adw_toast_set_timeout (toast, timeout_s);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* The session log */

const char *
tt_window_get_log_problem (TtWindow *self)
{
  g_return_val_if_fail (TT_IS_WINDOW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->log_label)))
    return NULL;
  return gtk_widget_get_tooltip_text (GTK_WIDGET (self->log_label));
}

/* While the log cannot be written the header says so and a toast stays until writing resumes;
 * the case goes on either way (the store keeps in memory what it could not write). Never a
 * dialog over the case. */
static void
update_log_status (TtWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  const GError *error = self->store != NULL ? tt_store_get_error (self->store) : NULL;
  const char *open_error = self->store == NULL && TT_IS_APPLICATION (app)
                           ? tt_application_get_store_error (TT_APPLICATION (app)) : NULL;
  g_autofree char *message = NULL;

  if (error != NULL)
    /* Translators: the reason follows ("database or disk is full", …). */
    message = g_strdup_printf (_("The session log cannot be written: %s. The case goes on; what "
                                 "is not written yet is kept and written as soon as possible."),
                               error->message);
  else if (open_error != NULL)
    message = g_strdup_printf (_("The session log could not be opened: %s. Cases are not "
                                 "recorded."), open_error);

  gtk_widget_set_visible (GTK_WIDGET (self->log_label), message != NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->log_label), message);
  if (message != NULL)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->log_label),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
      if (self->log_toast == NULL)
        {
          self->log_toast = g_object_ref (adw_toast_new (message));
          adw_toast_set_timeout (self->log_toast, 0);
          adw_toast_set_priority (self->log_toast, ADW_TOAST_PRIORITY_HIGH);
          adw_toast_overlay_add_toast (self->toast_overlay, self->log_toast);
        }
      else
        adw_toast_set_title (self->log_toast, message);
    }
  else if (self->log_toast != NULL)
    {
      adw_toast_dismiss (self->log_toast);
      g_clear_object (&self->log_toast);
      show_toast (self, _("The session log is written again."), 4);
    }
}

/* A case gets the log once it has opened, or NULL when it could not be opened. */
static void
give_store (TtWindow *self)
{
  if (self->session != NULL && self->store_ready && !tt_session_has_store (self->session))
    tt_session_set_store (self->session, self->store);
}

static void
store_changed_cb (TtWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  TtStore *store;

  if (self->store_ready || !TT_IS_APPLICATION (app))
    return;
  store = tt_application_get_store (TT_APPLICATION (app));
  if (store == NULL && tt_application_get_store_error (TT_APPLICATION (app)) == NULL)
    return;
  self->store_ready = TRUE;
  g_set_object (&self->store, store);
  g_signal_group_set_target (self->store_signals, store);
  give_store (self);
  update_log_status (self);
  if (store != NULL && tt_store_get_notice (store) != NULL)
    show_toast (self, tt_store_get_notice (store), 0);
}

static TtFeed *live_feed    (TtWindow    *self,
                             char       **source);
static void    set_training (TtWindow    *self,
                             TtTraining  *training);

/* Recordings are read on a worker thread, with their size and modification time, so that a case
 * resumed after a crash finds the same file again (and sees when it is no longer the same). */
typedef struct {
  char        *path;
  gint64       size;        /* in: the size expected, or -1; out: the size found */
  gint64       mtime_us;    /* likewise, the modification time in µs */
  gboolean     changed;     /* out: not the file expected (nothing was read) */
  TtRecording *recording;   /* out */
} LoadJob;

static void
load_job_free (LoadJob *job)
{
  g_free (job->path);
  g_clear_pointer (&job->recording, tt_recording_free);
  g_free (job);
}

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadJob *job = task_data;
  g_autoptr(GFile) file = g_file_new_for_path (job->path);
  g_autoptr(GFileInfo) info = NULL;
  GError *error = NULL;
  gint64 size, mtime_us;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_TIME_MODIFIED "," G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC,
                            G_FILE_QUERY_INFO_NONE, cancellable, &error);
  if (info == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  size = g_file_info_get_size (info);
  mtime_us = (gint64) g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED) *
             G_USEC_PER_SEC +
             g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC);
  if ((job->size >= 0 && job->size != size) || (job->mtime_us >= 0 && job->mtime_us != mtime_us))
    {
      job->changed = TRUE;
      g_task_return_boolean (task, TRUE);
      return;
    }
  job->size = size;
  job->mtime_us = mtime_us;
  job->recording = tt_recording_load_file_full (job->path, NULL, cancellable, &error);
  if (job->recording == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* @size and @mtime_us: what the file must still be (-1: anything). The callback gets the job
 * (g_task_get_task_data) when g_task_propagate_boolean() succeeds. */
static void
load_recording_async (const char          *path,
                      gint64               size,
                      gint64               mtime_us,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  LoadJob *job = g_new0 (LoadJob, 1);

  job->path = g_strdup (path);
  job->size = size;
  job->mtime_us = mtime_us;
  g_task_set_source_tag (task, load_recording_async);
  g_task_set_task_data (task, job, (GDestroyNotify) load_job_free);
  g_task_run_in_thread (task, load_thread);
}

/* Resuming an interrupted case: the log is read, the case rebuilt, its feed made again (the
 * training case's patient restored, the replay's recording read back, the live monitor feed of
 * the preferences), then the store's session resumed and the case opened. */
typedef struct {
  TtWindow      *self;
  gint64         id;
  TtStoreCase   *logged;
  TtCase        *kase;
  TtFeed        *feed;
  gint64         resume_ms;      /* the case clock it goes on from; -1: the wall clock's */
  gint64         feed_from_ms;   /* the feed's own clock it goes on from */
  TtTrainingRun *run;            /* a training case's run, its patient restored */
  GArray        *samples;        /* that patient's numerics up to the log's end */
  char          *notice;         /* a toast once the case is open */
} ResumeData;

static void
resume_data_free (ResumeData *data)
{
  g_object_unref (data->self);
  g_clear_pointer (&data->logged, tt_store_case_free);
  g_clear_object (&data->kase);
  g_clear_object (&data->feed);
  g_clear_pointer (&data->run, tt_training_run_free);
  g_clear_pointer (&data->samples, g_array_unref);
  g_free (data->notice);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ResumeData, resume_data_free)

static void
resume_failed (TtWindow     *self,
               const GError *error)
{
  g_clear_object (&self->resuming);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Translators: the reason follows. */
      g_autofree char *message = g_strdup_printf (_("The case could not be resumed: %s"),
                                                  error->message);

      show_toast (self, message, 0);
    }
}

static void
resumed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(ResumeData) data = user_data;
  TtWindow *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStoreSession) store_session = tt_store_resume_session_finish (TT_STORE (source),
                                                                           result, &error);
  g_autoptr(TtSession) session = NULL;
  g_autoptr(TtTraining) training = NULL;
  gint64 resume_ms;

  if (store_session == NULL)
    {
      resume_failed (self, error);
      return;
    }
  /* The case clock goes on as the wall clock did, so that its times stay the time of day. */
  resume_ms = data->resume_ms >= 0 ? data->resume_ms
                                   : g_get_real_time () / 1000 -
                                     tt_case_get_start_unix_ms (data->kase);
  session = tt_session_new_resumed (data->kase, data->feed, TT_STORE (source), store_session,
                                    data->logged, resume_ms, data->feed_from_ms, &error);
  g_clear_object (&self->resuming);
  if (session == NULL)
    {
      resume_failed (self, error);
      return;
    }
  if (data->run != NULL)
    training = tt_training_new_resumed (session, data->run,
                                        data->logged->info->setup.patient_title, data->samples);
  if (data->feed != NULL && !tt_feed_start (data->feed, &error))
    show_toast (self, error->message, 6);
  tt_window_set_session (self, session);
  if (training != NULL)
    set_training (self, training);
  if (data->notice != NULL)
    show_toast (self, data->notice, 0);
}

static void
resume_session (ResumeData *data)
{
  GCancellable *cancellable = data->self->resuming;
  TtStore *store = data->self->store;
  gint64 id = data->id;

  tt_store_resume_session_async (store, id, cancellable, resumed_cb, data);
}

static void
patient_restored_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(ResumeData) data = user_data;
  g_autoptr(GError) error = NULL;
  TtPatient *patient = g_task_propagate_pointer (G_TASK (result), &error);
  const TtStoreSessionInfo *info = data->logged->info;
  g_autofree char *description = NULL;
  guint kept = 0;

  if (patient == NULL)
    {
      resume_failed (data->self, error);
      return;
    }
  /* Translators: the feed's description, e.g. "Virtual patient (training): Typical patient". */
  description = g_strdup_printf (_("Virtual patient (training): %s"),
                                 info->setup.patient_title != NULL ? info->setup.patient_title
                                                                   : "");
  data->feed = TT_FEED (tt_patient_feed_new_for_patient (patient, description));
  data->feed_from_ms = data->resume_ms;
  /* What the monitor had received before the crash, for the debrief. */
  while (kept < data->samples->len &&
         g_array_index (data->samples, TtSample, kept).t_ms <= info->last_t_ms)
    kept++;
  g_array_set_size (data->samples, kept);
  resume_session (g_steal_pointer (&data));
}

static void
restore_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ResumeData *data = task_data;

  g_task_return_pointer (task, tt_training_run_restore (data->run, data->resume_ms, data->samples),
                         (GDestroyNotify) tt_patient_free);
}

/* A training case: the same virtual patient, given the logged inputs at their times up to where
 * the case goes on (on a worker thread), or, when the log does not have it (an older Titrate),
 * a new typical patient as before. */
static void
resume_training (ResumeData *data)
{
  const TtStoreSetup *s = &data->logged->info->setup;
  g_autoptr(GError) error = NULL;
  TtPatientParams params;

  if (s->patient != NULL && s->patient_seed >= 0 && s->patient_seed <= G_MAXUINT32 &&
      tt_patient_params_from_string (s->patient, &params, &error))
    {
      g_autoptr(GTask) task = NULL;
      const TtTrainingInput *inputs = (const TtTrainingInput *) (gpointer)
                                      data->logged->training_inputs->data;

      data->run = tt_training_run_new (&params, (guint32) s->patient_seed);
      for (guint i = 0; i < data->logged->training_inputs->len; i++)
        tt_training_run_add (data->run, &inputs[i]);
      data->resume_ms = MAX (g_get_real_time () / 1000 - tt_case_get_start_unix_ms (data->kase),
                             tt_case_get_now_ms (data->kase));
      data->samples = g_array_new (FALSE, FALSE, sizeof (TtSample));
      task = g_task_new (NULL, data->self->resuming, patient_restored_cb, data);
      g_task_set_source_tag (task, resume_training);
      g_task_set_task_data (task, data, NULL);
      g_task_run_in_thread (task, restore_thread);
      return;
    }
  if (error != NULL)
    /* Translators: the reason follows. */
    data->notice = g_strdup_printf (_("The virtual patient of this training case could not be "
                                      "read back (%s): it goes on with a new typical patient."),
                                    error->message);
  else
    data->notice = g_strdup (_("This training case was logged without its virtual patient (by an "
                               "older Titrate): it goes on with a new typical patient."));
  data->feed = TT_FEED (tt_patient_feed_new (TT_PATIENT_SCENARIO_TYPICAL, g_random_int ()));
  resume_session (data);
}

static void
recording_reloaded_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(ResumeData) data = user_data;
  g_autoptr(GError) error = NULL;
  LoadJob *job = g_task_get_task_data (G_TASK (result));
  const TtStoreSetup *s = &data->logged->info->setup;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          resume_failed (data->self, error);
          return;
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        /* Translators: the recording's full path follows. */
        data->notice = g_strdup_printf (_("The recording %s is not there any more: the case "
                                          "resumes without its samples."), s->source_path);
      else
        /* Translators: the recording's full path, then the reason. */
        data->notice = g_strdup_printf (_("The recording %s cannot be read (%s): the case "
                                          "resumes without its samples."), s->source_path,
                                        error->message);
    }
  else if (job->changed)
    /* Translators: the recording's full path follows. */
    data->notice = g_strdup_printf (_("The recording %s has changed since the case began: the "
                                      "case resumes without its samples."), s->source_path);
  else
    {
      g_autoptr(TtReplayFeed) feed = tt_replay_feed_new (g_steal_pointer (&job->recording));
      /* Where the log stopped, on the recording's clock. */
      gint64 position = MAX (data->logged->info->last_t_ms - s->feed_offset_ms, 0);

      if (position >= tt_replay_feed_get_duration (feed))
        /* Translators: the recording's full path follows. */
        data->notice = g_strdup_printf (_("The recording %s had been played to its end: the "
                                          "case resumes without new samples."), s->source_path);
      else
        {
          tt_replay_feed_seek (feed, position + 1);
          data->feed = TT_FEED (g_steal_pointer (&feed));
          data->feed_from_ms = position;
        }
    }
  resume_session (g_steal_pointer (&data));
}

/* A replay: the recording read again (off the main thread) and played on from where the log
 * stopped; when it is gone or changed, the case goes on without samples and a toast says why. */
static void
resume_replay (ResumeData *data)
{
  const TtStoreSetup *s = &data->logged->info->setup;

  if (s->source_path == NULL)
    {
      data->notice = g_strdup (_("This replay was logged without the place of its recording (by "
                                 "an older Titrate): the case resumes without its samples."));
      resume_session (data);
      return;
    }
  load_recording_async (s->source_path, s->source_size, s->source_mtime_us, data->self->resuming,
                        recording_reloaded_cb, data);
}

static void
resume_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(ResumeData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *live_source = NULL;

  data->logged = tt_store_load_session_finish (TT_STORE (source), result, &error);
  if (data->logged != NULL && data->logged->info->state != TT_STORE_STATE_INTERRUPTED)
    g_set_error (&error, TT_STORE_ERROR, TT_STORE_ERROR_IN_USE,
                 _("session %" PRId64 " is %s, not interrupted"), data->id,
                 tt_store_state_to_string (data->logged->info->state));
  else if (data->logged != NULL)
    data->kase = tt_case_log_rebuild (data->logged, &error);
  if (data->kase == NULL)
    {
      resume_failed (data->self, error);
      return;
    }
  switch (data->logged->info->setup.mode)
    {
    case TT_STORE_MODE_TRAINING:
      resume_training (g_steal_pointer (&data));
      break;
    case TT_STORE_MODE_REPLAY:
      resume_replay (g_steal_pointer (&data));
      break;
    case TT_STORE_MODE_LIVE:
    default:
      /* The monitor feed the preferences set up (HL7 or line stream). */
      data->feed = live_feed (data->self, &live_source);
      resume_session (g_steal_pointer (&data));
      break;
    }
}

/* win.resume-interrupted: reads the session back (off the main thread), rebuilds its case from
 * the log and opens it again, recording into the same session. */
static void
resume_interrupted_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  TtWindow *self = TT_WINDOW (widget);
  ResumeData *data;

  if (self->store == NULL || self->session != NULL || self->resuming != NULL)
    return;
  self->resuming = g_cancellable_new ();
  data = g_new0 (ResumeData, 1);
  data->self = g_object_ref (self);
  data->id = g_variant_get_int64 (parameter);
  data->resume_ms = -1;
  tt_store_load_session_async (self->store, data->id, self->resuming, resume_loaded_cb, data);
}

/* Header: the page's title, the case label, and TRAINING or LIVE on every page of a case. */
static void
update_header (TtWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  GtkStackPage *stack_page = gtk_stack_get_page (self->stack,
                                                 gtk_stack_get_visible_child (self->stack));
  TtCase *kase = self->session ? tt_session_get_case (self->session) : NULL;
  const TtCaseSetup *setup = kase ? tt_case_get_setup (kase) : NULL;
  const char *title = _("Titrate");
  g_autofree char *subtitle = NULL;

  if (kase != NULL && g_strcmp0 (page, "monitor") == 0)
    {
      /* The monitor's header: the case clock ("Induction + 06:32") over where the data comes
       * from, the case on the left, End case on the right (as the wireframe has it). */
      title = tt_monitor_page_get_title (self->monitor_page);
      subtitle = g_strdup (tt_monitor_page_get_subtitle (self->monitor_page));
    }
  else if (kase != NULL)
    {
      if (stack_page != NULL)
        title = gtk_stack_page_get_title (stack_page);
      if (setup != NULL)
        /* Translators: the header's subtitle: case label · where the data comes from. */
        subtitle = g_strdup_printf (_("%s · %s"), setup->label, tt_case_get_source (kase));
      else
        subtitle = g_strdup (tt_case_get_source (kase));
    }
  if (kase == NULL && g_strcmp0 (page, "history") == 0)
    {
      title = _("History");
    }
  else if (kase == NULL && g_strcmp0 (page, "review") == 0)
    {
      title = _("Review and Replay");
      subtitle = g_strdup (tt_review_page_get_title (self->review_page));
    }
  else if (g_strcmp0 (page, "training") == 0 && stack_page != NULL)
    title = gtk_stack_page_get_title (stack_page);
  /* A training case replaying a recording: its transport under the monitor. */
  {
    TtFeed *feed = self->session ? tt_session_get_feed (self->session) : NULL;

    tt_replay_bar_set_feed (self->replay_bar, TT_IS_REPLAY_FEED (feed) ? TT_REPLAY_FEED (feed)
                                                                       : NULL);
    gtk_revealer_set_reveal_child (self->replay_revealer, TT_IS_REPLAY_FEED (feed) &&
                                   g_strcmp0 (page, "monitor") == 0);
  }
  gtk_widget_set_visible (GTK_WIDGET (self->nav_back_button), kase == NULL &&
                          (g_strcmp0 (page, "history") == 0 || g_strcmp0 (page, "review") == 0 ||
                           g_strcmp0 (page, "training") == 0));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back",
                                 gtk_widget_get_visible (GTK_WIDGET (self->nav_back_button)));
  /* Summary and debrief of a training case lead to each other; the instructor's panel is there
   * as long as the training case is. */
  gtk_widget_set_visible (GTK_WIDGET (self->debrief_button), self->training != NULL &&
                          g_strcmp0 (page, "summary") == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->instructor_button), self->training != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->case_label), kase != NULL &&
                          g_strcmp0 (page, "monitor") == 0);
  gtk_label_set_text (self->case_label, kase != NULL
                      ? tt_monitor_page_get_case_summary (self->monitor_page) : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->end_button), kase != NULL &&
                          g_strcmp0 (page, "monitor") == 0);
  adw_window_title_set_title (self->window_title, title != NULL ? title : "");
  adw_window_title_set_subtitle (self->window_title, subtitle ? subtitle : "");
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), g_strcmp0 (page, "checklist") == 0);

  gtk_widget_set_visible (GTK_WIDGET (self->mode_label),
                          kase != NULL || g_strcmp0 (page, "review") == 0);
  gtk_widget_remove_css_class (GTK_WIDGET (self->mode_label), "training-mark");
  gtk_widget_remove_css_class (GTK_WIDGET (self->mode_label), "live-mark");
  /* A review or replay of a logged case is never live, whatever the case was. */
  if ((kase != NULL && tt_case_get_training (kase)) ||
      (kase == NULL && g_strcmp0 (page, "review") == 0))
    {
      gtk_label_set_label (self->mode_label, _("TRAINING"));
      gtk_widget_add_css_class (GTK_WIDGET (self->mode_label), "training-mark");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->mode_label),
                                   _("Training: not a live patient"));
    }
  else if (kase != NULL)
    {
      gtk_label_set_label (self->mode_label, _("LIVE"));
      gtk_widget_add_css_class (GTK_WIDGET (self->mode_label), "live-mark");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->mode_label),
                                   _("Live: data from the patient monitor"));
    }
}

/* The page follows the case's state. */
static void
case_state_cb (TtWindow *self)
{
  TtCase *kase = self->session ? tt_session_get_case (self->session) : NULL;
  const char *page = "start";

  if (kase != NULL)
    switch (tt_case_get_state (kase))
      {
      case TT_CASE_STATE_SETUP:
        page = "setup";
        break;
      case TT_CASE_STATE_CHECKLIST:
      case TT_CASE_STATE_READY:
        page = "checklist";
        break;
      case TT_CASE_STATE_ENDED:
        page = self->training != NULL ? "debrief" : "summary";
        break;
      case TT_CASE_STATE_INDUCTION:
      case TT_CASE_STATE_MAINTENANCE:
      case TT_CASE_STATE_INTERRUPTED:
      default:
        page = "monitor";
        break;
      }
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), page) != 0)
    {
      GtkWidget *child = gtk_stack_get_child_by_name (self->stack, page);

      gtk_stack_set_visible_child (self->stack, child);
      /* Keyboard users start on the new page's first control (the label, the first item). */
      gtk_root_set_focus (GTK_ROOT (self), NULL);
      gtk_widget_child_focus (child, GTK_DIR_TAB_FORWARD);
    }
  update_header (self);
}

static void
session_error_cb (TtWindow   *self,
                  const char *message)
{
  show_toast (self, message, 6);
}

static void
update_actions (TtWindow *self)
{
  gboolean open = self->session != NULL;
  gboolean ended = open && tt_case_get_state (tt_session_get_case (self->session)) ==
                           TT_CASE_STATE_ENDED;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-live-case", !open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-training-case", !open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.choose-training", !open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.start-training", !open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-start", !open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-recording", !open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.close-case", open);
  /* The history and the review are away from a case: not while one is open. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-history", !open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.review-session", !open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.instructor-panel",
                                 self->training != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-summary", ended);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-debrief",
                                 ended && self->training != NULL);
}

static void
case_ended_cb (TtWindow *self)
{
  update_actions (self);
  /* After the end the instructor has nothing left to change: the debrief gets the room. */
  if (self->session != NULL &&
      tt_case_get_state (tt_session_get_case (self->session)) == TT_CASE_STATE_ENDED)
    adw_flap_set_reveal_flap (self->flap, FALSE);
}

TtTraining *
tt_window_get_training (TtWindow *self)
{
  g_return_val_if_fail (TT_IS_WINDOW (self), NULL);
  return self->training;
}

/* The training case's controls join the window (training.* actions, the instructor's panel, the
 * debrief); NULL takes them away. */
static void
set_training (TtWindow   *self,
              TtTraining *training)
{
  if (!g_set_object (&self->training, training))
    return;
  gtk_widget_insert_action_group (GTK_WIDGET (self), "training",
                                  training ? tt_training_get_actions (training) : NULL);
  tt_instructor_panel_set_training (self->instructor_panel, training);
  tt_debrief_page_set_training (self->debrief_page, training);
  if (training == NULL)
    adw_flap_set_reveal_flap (self->flap, FALSE);
  update_actions (self);
  update_header (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRAINING]);
}

guint
tt_window_get_n_alert_sounds (TtWindow *self)
{
  g_return_val_if_fail (TT_IS_WINDOW (self), 0);
  return self->n_alert_sounds;
}

/* A new high or medium priority alert sounds once, when the preference asks for it; the bedside
 * monitor stays the alarm, so low priority alerts are silent. */
static void
alerts_changed_cb (TtWindow   *self,
                   guint       position,
                   guint       removed,
                   guint       added,
                   GListModel *alerts)
{
  GSettings *settings = get_settings (self);

  if (settings == NULL || !g_settings_get_boolean (settings, "alert-sounds"))
    return;
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(TtAlert) alert = g_list_model_get_item (alerts, i);

      if (tt_alert_get_priority (alert) >= TT_ALERT_PRIORITY_MEDIUM &&
          !tt_alert_get_acknowledged (alert))
        {
          gtk_widget_error_bell (GTK_WIDGET (self));
          self->n_alert_sounds++;
          return;
        }
    }
}

TtSession *
tt_window_get_session (TtWindow *self)
{
  g_return_val_if_fail (TT_IS_WINDOW (self), NULL);
  return self->session;
}

void
tt_window_set_session (TtWindow  *self,
                       TtSession *session)
{
  g_return_if_fail (TT_IS_WINDOW (self));
  g_return_if_fail (session == NULL || TT_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->training != NULL && tt_training_get_session (self->training) != session)
    set_training (self, NULL);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_func (tt_case_get_alerts (tt_session_get_case (self->session)),
                                          alerts_changed_cb, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    g_signal_connect_object (tt_case_get_alerts (tt_session_get_case (session)), "items-changed",
                             G_CALLBACK (alerts_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "case",
                                  session ? tt_session_get_actions (session) : NULL);
  g_signal_group_set_target (self->session_signals, session);
  g_signal_group_set_target (self->case_signals, session ? tt_session_get_case (session) : NULL);
  update_actions (self);
  give_store (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
  case_state_cb (self);
}

/* Opens a case from @feed (may be NULL while no feed is available) and starts the feed. */
static void
open_case (TtWindow          *self,
           gboolean           training,
           const char        *source,
           TtFeed            *feed,
           const TtCaseSetup *defaults)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(TtCase) kase = tt_case_new (training, source, g_date_time_to_unix (now) * 1000 +
                                        g_date_time_get_microsecond (now) / 1000);
  g_autoptr(TtSession) session = tt_session_new (kase, feed);
  g_autoptr(GError) error = NULL;
  GSettings *settings = get_settings (self);

  tt_session_set_setup_defaults (session, defaults);
  /* Each case starts with the preferences' chart window; the keys 1–4 change it for this case. */
  if (settings != NULL)
    tt_monitor_page_set_chart_window_min (self->monitor_page,
                                          g_settings_get_int (settings, "chart-window-min"));
  /* The case goes to the session log: tt_window_set_session() gives it the application's, or
   * does when the log has opened (meanwhile what the case logs waits in memory). */
  if (feed != NULL && !tt_feed_start (feed, &error))
    session_error_cb (self, error->message);
  tt_window_set_session (self, session);
}

/* What a new case starts from: the department's preferences (band rule, limits, bolus,
 * concentration); a figure stored outside its range is replaced by the default and said so. */
static TtCaseSetup *
new_case_defaults (TtWindow *self)
{
  GSettings *settings = get_settings (self);
  TtCaseSetup *defaults = tt_case_setup_new ();
  g_autoptr(GString) problems = g_string_new (NULL);

  if (settings != NULL)
    tt_settings_load_case_defaults (settings, defaults, problems);
  if (problems->len > 0)
    {
      /* Translators: a preference outside its range, e.g. "Peripheral line: Limit …". */
      g_autofree char *message = g_strdup_printf (_("Preferences not used: %s"), problems->str);

      session_error_cb (self, message);
    }
  return defaults;
}

/* Opens a training case with the virtual patient made from @params and @seed. */
static void
open_training (TtWindow              *self,
               const TtPatientParams *params,
               guint32                seed,
               const char            *title,
               double                 speed)
{
  g_autoptr(TtPatientFeed) feed = NULL;
  g_autoptr(TtCaseSetup) defaults = new_case_defaults (self);
  g_autoptr(TtTraining) training = NULL;
  g_autofree char *description = NULL;
  g_autofree char *source = NULL;

  /* The setup starts from what the chart says of the patient (weight, baseline MAP) and what
   * is in the pump (the syringe, an unprimed line), as a clinician would read them. */
  defaults->weight_kg = params->weight_kg;
  defaults->baseline_map = params->baseline_map;
  defaults->concentration = params->concentration_ug_ml;
  if (!params->line_primed)
    defaults->dead_space_ml = params->dead_space_ml;
  tt_case_setup_apply_band_rule (defaults);

  /* Translators: the feed's description, e.g. "Virtual patient (training): Typical patient". */
  description = g_strdup_printf (_("Virtual patient (training): %s"), title);
  feed = tt_patient_feed_new_with_params (params, seed, description);
  tt_patient_feed_set_speed (feed, speed);
  /* Translators: where a training case's data come from, e.g. "virtual patient: Typical
   * patient". */
  source = g_strdup_printf (_("virtual patient: %s"), title);
  open_case (self, TRUE, source, TT_FEED (feed), defaults);
  training = tt_training_new (self->session, params, seed, title);
  set_training (self, training);
}

/* The training case the chooser describes: its patient, seed and speed. */
static void
open_chosen_training (TtWindow *self)
{
  TtPatientParams params;
  guint32 seed;
  g_autofree char *title = NULL;

  tt_training_chooser_get_patient (self->training_chooser, &params, &seed, &title);
  open_training (self, &params, seed, title,
                 tt_training_chooser_get_speed (self->training_chooser));
}

/* Training at once, without the chooser (titrate --training): a typical patient, a new seed. */
static void
new_training_case_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  TtWindow *self = TT_WINDOW (widget);

  tt_training_chooser_set_scenario (self->training_chooser, TT_PATIENT_SCENARIO_TYPICAL);
  tt_training_chooser_set_seed (self->training_chooser, g_random_int_range (0, G_MAXINT32));
  tt_training_chooser_set_speed (self->training_chooser, 1);
  open_chosen_training (self);
}

static void
choose_training_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  TtWindow *self = TT_WINDOW (widget);

  /* A new patient each time unless the instructor types a seed to repeat one. */
  tt_training_chooser_set_seed (self->training_chooser, g_random_int_range (0, G_MAXINT32));
  tt_window_show_page (self, "training");
  gtk_root_set_focus (GTK_ROOT (self), NULL);
  gtk_widget_child_focus (GTK_WIDGET (self->training_chooser), GTK_DIR_TAB_FORWARD);
  update_header (self);
}

static void
start_training_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  open_chosen_training (TT_WINDOW (widget));
}

static void
show_start_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  TtWindow *self = TT_WINDOW (widget);

  tt_window_show_page (self, "start");
  update_header (self);
}

static void
show_summary_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TtWindow *self = TT_WINDOW (widget);

  tt_window_show_page (self, "summary");
  update_header (self);
}

static void
show_debrief_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TtWindow *self = TT_WINDOW (widget);

  tt_window_show_page (self, "debrief");
  update_header (self);
}

/* The live feed the preferences set up: the HL7 listener, else the line stream; NULL (and a
 * toast pointing to the preferences) when neither is on. */
static TtFeed *
live_feed (TtWindow  *self,
           char     **source)
{
  GSettings *settings = get_settings (self);

  if (settings != NULL && g_settings_get_boolean (settings, "hl7-enabled"))
    {
      g_autofree char *address = g_settings_get_string (settings, "hl7-address");
      int port = g_settings_get_int (settings, "hl7-port");

      /* Translators: "HL7 monitor feed on 127.0.0.1:2575". */
      *source = g_strdup_printf (_("HL7 monitor feed on %s:%d"), address, port);
      return TT_FEED (tt_mllp_feed_new (*address != '\0' ? address : NULL, (guint16) port));
    }
  if (settings != NULL && g_settings_get_boolean (settings, "line-enabled"))
    {
      if (g_settings_get_enum (settings, "line-source") == 1)
        {
          g_autofree char *device = g_settings_get_string (settings, "line-device");

          /* Translators: "line stream from /dev/ttyUSB0". */
          *source = g_strdup_printf (_("line stream from %s"), device);
          return TT_FEED (tt_line_feed_new_device (device,
                                                   (guint) g_settings_get_int (settings,
                                                                               "line-baud")));
        }
      else
        {
          g_autofree char *address = g_settings_get_string (settings, "line-address");
          int port = g_settings_get_int (settings, "line-port");

          /* Translators: "line stream on 127.0.0.1:2576". */
          *source = g_strdup_printf (_("line stream on %s:%d"), address, port);
          return TT_FEED (tt_line_feed_new_tcp (*address != '\0' ? address : NULL,
                                                (guint16) port));
        }
    }
  return NULL;
}

static void
new_live_case_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  TtWindow *self = TT_WINDOW (widget);
  g_autofree char *source = NULL;
  g_autoptr(TtFeed) feed = live_feed (self, &source);
  g_autoptr(TtCaseSetup) defaults = NULL;

  if (feed == NULL)
    {
      AdwToast *toast = adw_toast_new (_("No patient monitor is set up: turn on the HL7 monitor "
                                         "feed or the line stream in Preferences, or start a "
                                         "training case."));

      adw_toast_set_button_label (toast, _("_Preferences"));
      adw_toast_set_action_name (toast, "app.preferences");
      adw_toast_set_timeout (toast, 0);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
      return;
    }
  defaults = new_case_defaults (self);
  open_case (self, FALSE, source, feed, defaults);
}

typedef struct {
  TtWindow *self;
  char     *name;
  char     *path;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_object_unref (data->self);
  g_free (data->name);
  g_free (data->path);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadData, load_data_free)

static void
recording_loaded_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(LoadData) data = user_data;
  TtWindow *self = data->self;
  const char *name = data->name;
  g_autoptr(GError) error = NULL;
  LoadJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(TtReplayFeed) feed = NULL;
  g_autofree char *source_text = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_clear_object (&self->loading);
      /* Translators: "case1.csv: line 12: MAP value 'abc' is not a number". */
      message = g_strdup_printf (_("%s: %s"), name, error->message);
      session_error_cb (self, message);
      return;
    }
  g_clear_object (&self->loading);
  feed = tt_replay_feed_new (g_steal_pointer (&job->recording));
  /* Translators: "replay of case1.vital". */
  source_text = g_strdup_printf (_("replay of %s"), name);
  open_case (self, TRUE, source_text, TT_FEED (feed), NULL);
  /* The session keeps where the file is (never shown), to find it again after a crash. */
  tt_case_log_set_recording (tt_session_get_case_log (self->session), data->path, job->size,
                             job->mtime_us);
}

void
tt_window_open_recording (TtWindow *self,
                          GFile    *file)
{
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  LoadData *data;

  g_return_if_fail (TT_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  name = g_file_get_basename (file);

  if (path == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("%s: only files on this computer can be replayed"), name);

      session_error_cb (self, message);
      return;
    }
  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  self->loading = g_cancellable_new ();
  data = g_new0 (LoadData, 1);
  data->self = g_object_ref (self);
  data->name = g_steal_pointer (&name);
  data->path = g_strdup (path);
  load_recording_async (path, -1, -1, self->loading, recording_loaded_cb, data);
}

static void
chooser_response_cb (TtWindow             *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file != NULL)
    tt_window_open_recording (self, file);
}

static void
open_recording_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TtWindow *self = TT_WINDOW (widget);
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;
  gtk_file_filter_set_name (all, _("Recordings (CSV, VitalDB .vital, WFDB .hea)"));
  gtk_file_filter_add_suffix (all, "csv");
  gtk_file_filter_add_suffix (all, "vital");
  gtk_file_filter_add_suffix (all, "hea");
  self->chooser = gtk_file_chooser_native_new (_("Open a Recording"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"),
                                               _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Closes the case (ending it, which is logged) and returns to the start page. */
static void
close_case_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  TtWindow *self = TT_WINDOW (widget);
  TtSession *session = self->session;
  TtCase *kase;
  g_autoptr(GError) error = NULL;

  if (session == NULL)
    return;
  kase = tt_session_get_case (session);
  if (tt_case_get_state (kase) != TT_CASE_STATE_ENDED &&
      !tt_case_end (kase, tt_session_now_ms (session), &error))
    {
      session_error_cb (self, error->message);
      return;
    }
  tt_window_set_session (self, NULL);
}

static void
show_page (TtWindow   *self,
           const char *name)
{
  GtkWidget *child = gtk_stack_get_child_by_name (self->stack, name);

  gtk_stack_set_visible_child (self->stack, child);
  /* Keyboard users start on the new page's first control. */
  gtk_root_set_focus (GTK_ROOT (self), NULL);
  gtk_widget_child_focus (child, GTK_DIR_TAB_FORWARD);
}

static void
show_history_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  show_page (TT_WINDOW (widget), "history");
}

static void
review_session_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TtWindow *self = TT_WINDOW (widget);

  if (tt_review_page_get_store (self->review_page) == NULL)
    return;
  tt_review_page_load (self->review_page, g_variant_get_int64 (parameter));
  show_page (self, "review");
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TtWindow *self = TT_WINDOW (widget);
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  show_page (self, g_strcmp0 (page, "review") == 0 ? "history" : "start");
}

TtHistoryPage *
tt_window_get_history_page (TtWindow *self)
{
  g_return_val_if_fail (TT_IS_WINDOW (self), NULL);
  return self->history_page;
}

TtReviewPage *
tt_window_get_review_page (TtWindow *self)
{
  g_return_val_if_fail (TT_IS_WINDOW (self), NULL);
  return self->review_page;
}

TtReplayBar *
tt_window_get_replay_bar (TtWindow *self)
{
  g_return_val_if_fail (TT_IS_WINDOW (self), NULL);
  return self->replay_bar;
}

TtSetupPage *
tt_window_get_setup_page (TtWindow *self)
{
  g_return_val_if_fail (TT_IS_WINDOW (self), NULL);
  return self->setup_page;
}

TtChecklistPage *
tt_window_get_checklist_page (TtWindow *self)
{
  g_return_val_if_fail (TT_IS_WINDOW (self), NULL);
  return self->checklist_page;
}

const char *
tt_window_get_mode_mark (TtWindow *self)
{
  g_return_val_if_fail (TT_IS_WINDOW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->mode_label)))
    return NULL;
  return gtk_label_get_label (self->mode_label);
}

static void
tt_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TtWindow *self = TT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_TRAINING:
      g_value_set_object (value, self->training);
      break;
    case PROP_INSTRUCTOR_VISIBLE:
      /* The action's state is also read while the template is built and torn down. */
      g_value_set_boolean (value, ADW_IS_FLAP (self->flap) && adw_flap_get_reveal_flap (self->flap));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  TtWindow *self = TT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tt_window_set_session (self, g_value_get_object (value));
      break;
    case PROP_INSTRUCTOR_VISIBLE:
      /* Only a training case has an instructor. */
      if (ADW_IS_FLAP (self->flap))
        adw_flap_set_reveal_flap (self->flap,
                                  g_value_get_boolean (value) && self->training != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_window_dispose (GObject *object)
{
  TtWindow *self = TT_WINDOW (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  g_cancellable_cancel (self->resuming);
  g_clear_object (&self->resuming);
  if (self->store_signals != NULL)
    g_signal_group_set_target (self->store_signals, NULL);
  g_clear_object (&self->store_signals);
  g_clear_object (&self->store);
  g_clear_object (&self->log_toast);
  g_clear_pointer (&self->last_toast, g_free);
  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  if (self->case_signals != NULL)
    g_signal_group_set_target (self->case_signals, NULL);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->case_signals);
  g_clear_object (&self->training);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (tt_window_parent_class)->dispose (object);
}

static void
flap_revealed_cb (TtWindow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INSTRUCTOR_VISIBLE]);
}

static void
tt_window_class_init (TtWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = tt_window_get_property;
  object_class->set_property = tt_window_set_property;
  object_class->dispose = tt_window_dispose;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TT_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TRAINING] =
    g_param_spec_object ("training", NULL, NULL, TT_TYPE_TRAINING,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_INSTRUCTOR_VISIBLE] =
    g_param_spec_boolean ("instructor-visible", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TT_TYPE_START_PAGE);
  g_type_ensure (TT_TYPE_SETUP_PAGE);
  g_type_ensure (TT_TYPE_CHECKLIST_PAGE);
  g_type_ensure (TT_TYPE_MONITOR_PAGE);
  g_type_ensure (TT_TYPE_SUMMARY_PAGE);
  g_type_ensure (TT_TYPE_HISTORY_PAGE);
  g_type_ensure (TT_TYPE_REVIEW_PAGE);
  g_type_ensure (TT_TYPE_REPLAY_BAR);
  g_type_ensure (TT_TYPE_TRAINING_CHOOSER);
  g_type_ensure (TT_TYPE_DEBRIEF_PAGE);
  g_type_ensure (TT_TYPE_INSTRUCTOR_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/tt-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TtWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, mode_label);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, start_page);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, setup_page);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, checklist_page);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, monitor_page);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, summary_page);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, case_label);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, end_button);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, log_label);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, nav_back_button);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, history_page);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, review_page);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, replay_revealer);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, replay_bar);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, training_chooser);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, debrief_page);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, instructor_panel);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, instructor_button);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, debrief_button);

  gtk_widget_class_install_action (widget_class, "win.new-live-case", NULL, new_live_case_action);
  gtk_widget_class_install_action (widget_class, "win.new-training-case", NULL,
                                   new_training_case_action);
  gtk_widget_class_install_action (widget_class, "win.open-recording", NULL,
                                   open_recording_action);
  gtk_widget_class_install_action (widget_class, "win.close-case", NULL, close_case_action);
  gtk_widget_class_install_action (widget_class, "win.resume-interrupted", "x",
                                   resume_interrupted_action);
  gtk_widget_class_install_action (widget_class, "win.show-history", NULL, show_history_action);
  gtk_widget_class_install_action (widget_class, "win.review-session", "x",
                                   review_session_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.choose-training", NULL,
                                   choose_training_action);
  gtk_widget_class_install_action (widget_class, "win.start-training", NULL,
                                   start_training_action);
  gtk_widget_class_install_action (widget_class, "win.show-start", NULL, show_start_action);
  gtk_widget_class_install_action (widget_class, "win.show-summary", NULL, show_summary_action);
  gtk_widget_class_install_action (widget_class, "win.show-debrief", NULL, show_debrief_action);
  gtk_widget_class_install_property_action (widget_class, "win.instructor-panel",
                                            "instructor-visible");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "case.edit-setup", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "case.end", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK,
                                       "win.show-history", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.instructor-panel", NULL);
}

static void
tt_window_init (TtWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->session_signals = g_signal_group_new (TT_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "error",
                                  G_CALLBACK (session_error_cb), self);
  self->store_signals = g_signal_group_new (TT_TYPE_STORE);
  g_signal_group_connect_swapped (self->store_signals, "notify::error",
                                  G_CALLBACK (update_log_status), self);
  self->case_signals = g_signal_group_new (TT_TYPE_CASE);
  g_signal_group_connect_swapped (self->case_signals, "notify::state",
                                  G_CALLBACK (case_state_cb), self);
  g_signal_group_connect_swapped (self->case_signals, "notify::label",
                                  G_CALLBACK (update_header), self);
  g_signal_group_connect_swapped (self->case_signals, "notify::state",
                                  G_CALLBACK (case_ended_cb), self);

  /* The pages follow the window's session. */
  g_object_bind_property (self, "session", self->setup_page, "session", G_BINDING_DEFAULT);
  g_object_bind_property (self, "session", self->checklist_page, "session", G_BINDING_DEFAULT);
  g_object_bind_property (self, "session", self->monitor_page, "session", G_BINDING_DEFAULT);
  g_object_bind_property (self, "session", self->summary_page, "session", G_BINDING_DEFAULT);
  /* The monitor's header follows its case clock. */
  g_signal_connect_object (self->monitor_page, "notify::title", G_CALLBACK (update_header),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->monitor_page, "notify::subtitle", G_CALLBACK (update_header),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->monitor_page, "notify::case-summary",
                           G_CALLBACK (update_header), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->stack, "notify::visible-child", G_CALLBACK (update_header),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->review_page, "notify::title", G_CALLBACK (update_header),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flap, "notify::reveal-flap", G_CALLBACK (flap_revealed_cb),
                           self, G_CONNECT_SWAPPED);
  update_actions (self);
  update_header (self);
}
