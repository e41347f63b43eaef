/* tt-summary-page.c: what a case came to. Every figure is the engine's; the page lays them out per
 * window (0–15 min after induction, induction to end, whole case) with their units.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tt-chart-view.h"
#include "tt-export-csv.h"
#include "tt-export-vital.h"
#include "tt-format.h"
#include "tt-report.h"
#include "tt-summary-page.h"

struct _TtSummaryPage
{
  GtkWidget      parent_instance;

  /* template widgets */
  GtkLabel      *title_label;
  TtChartView   *chart_view;
  GtkLabel      *metrics_title_label;
  GtkGrid       *metrics_grid;
  GtkLabel      *adherence_label;
  GtkLabel      *adherence_detail_label;
  GtkLabel      *drug_label;
  GtkLabel      *override_label;
  GtkLabel      *export_label;

  /* borrowed: the table's value cells */
  GtkLabel      *cells[TT_N_SUMMARY_ROWS][TT_N_WINDOWS];

  /* owned */
  GtkFileChooserNative *chooser;
  char          *chooser_format;
  TtSession     *session;
  TtCase        *kase;
  GSignalGroup  *case_signals;
};

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_EXPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TtSummaryPage, tt_summary_page, GTK_TYPE_WIDGET)

static char *
format_span (const TtWindowMetrics *m,
             gint64                 t0)
{
  g_autofree char *start = tt_format_clock (m->start_ms - t0);
  g_autofree char *end = tt_format_clock (m->end_ms - t0);

  return g_strdup_printf ("%s – %s", start, end);
}

void
tt_summary_page_format_metrics (const TtWindowMetrics *m,
                                gint64                 t0,
                                char                 **text)
{
  g_autofree char *mean = tt_format_number (m->mean_mmhg, 0);
  g_autofree char *sd = tt_format_number (m->sd_mmhg, 1);

  /* Window times are shown from the start of induction (as the chart labels them). */
  text[TT_SUMMARY_ROW_SPAN] = format_span (m, t0 >= 0 ? t0 : m->start_ms);
  text[TT_SUMMARY_ROW_VALID] = tt_format_with_unit (m->valid_min, 1, _("min"));
  text[TT_SUMMARY_ROW_EXCLUDED] = tt_format_with_unit (m->excluded_min, 1, _("min"));
  text[TT_SUMMARY_ROW_IN_BAND] = tt_format_with_unit (m->in_band_pct, 0, "%");
  text[TT_SUMMARY_ROW_BELOW_65] = tt_format_with_unit (m->below[0].time_min, 1, _("min"));
  text[TT_SUMMARY_ROW_AUT_65] = tt_format_with_unit (m->below[0].aut_mmhg_min, 1,
                                                     _("mmHg·min"));
  text[TT_SUMMARY_ROW_TWA_65] = tt_format_with_unit (m->below[0].twa_mmhg, 2, _("mmHg"));
  text[TT_SUMMARY_ROW_EPISODES_65] = g_strdup_printf ("%u", m->below[0].episodes);
  /* Index 2 of below[] is 55 mmHg (tt_metrics_below_mmhg). */
  text[TT_SUMMARY_ROW_BELOW_55] = tt_format_with_unit (m->below[2].time_min, 1, _("min"));
  text[TT_SUMMARY_ROW_MEAN_SD] = isfinite (m->mean_mmhg)
                                 ? g_strdup_printf (_("%s ± %s mmHg"), mean, sd) : NULL;
  text[TT_SUMMARY_ROW_ARV] = tt_format_with_unit (m->arv_mmhg_per_min, 1, _("mmHg/min"));
  text[TT_SUMMARY_ROW_LOWEST_1] = tt_format_with_unit (m->lowest_sustained_mmhg[0], 0,
                                                       _("mmHg"));
  text[TT_SUMMARY_ROW_MDAPE] = tt_format_with_unit (m->mdape_pct, 1, "%");
}

void
tt_summary_page_set_metrics (TtSummaryPage         *self,
                             TtMetricsWindow               window,
                             const TtWindowMetrics *m,
                             gint64                 grid_ms)
{
  char *text[TT_N_SUMMARY_ROWS] = { NULL };

  g_return_if_fail (TT_IS_SUMMARY_PAGE (self));
  g_return_if_fail (window < TT_N_WINDOWS);

  if (m != NULL)
    {
      tt_summary_page_format_metrics (m, self->kase != NULL ? tt_case_get_t0_ms (self->kase) : -1,
                                      text);
      /* Here ARV also names the grid it was computed on. */
      if (isfinite (m->arv_mmhg_per_min))
        {
          g_autofree char *arv = g_steal_pointer (&text[TT_SUMMARY_ROW_ARV]);
          g_autofree char *grid = tt_format_number (grid_ms / 1000.0, 1);

          text[TT_SUMMARY_ROW_ARV] = g_strdup_printf (_("%s, %s s grid"), arv, grid);
        }
    }
  for (guint row = 0; row < TT_N_SUMMARY_ROWS; row++)
    {
      gtk_label_set_text (self->cells[row][window], text[row] != NULL ? text[row] : "–");
      g_free (text[row]);
    }
}

static void
update_case (TtSummaryPage *self)
{
  const TtCaseSetup *setup;
  g_autofree char *title = NULL;
  g_autofree char *adherence = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *drug = NULL;
  g_autofree char *override = NULL;
  guint accepted, changed, declined, answered;

  if (self->kase == NULL)
    return;
  setup = tt_case_get_setup (self->kase);
  accepted = tt_case_get_answer_count (self->kase, TT_ANSWER_ACCEPTED);
  changed = tt_case_get_answer_count (self->kase, TT_ANSWER_CHANGED);
  declined = tt_case_get_answer_count (self->kase, TT_ANSWER_DECLINED);
  answered = accepted + changed + declined;

  {
    g_autofree char *started = tt_format_wall_time (tt_case_get_start_unix_ms (self->kase), 0,
                                                    FALSE);
    g_autofree char *duration = tt_format_clock (tt_case_get_now_ms (self->kase));

    /* Translators: "Case 0427 · started 08:14 · 48:10 · Ended". */
    title = g_strdup_printf (_("%s · started %s · %s · %s"),
                             setup != NULL ? setup->label : _("Case"), started, duration,
                             tt_case_state_describe (tt_case_get_state (self->kase)));
  }
  adherence = g_strdup_printf (ngettext ("%u advice answered", "%u advices answered", answered),
                               answered);
  detail = g_strdup_printf (_("Accepted %u · changed %u · declined %u"), accepted, changed,
                            declined);
  {
    g_autofree char *total = tt_format_number (round (tt_case_get_total_ug (self->kase)), 0);
    g_autofree char *per_kg = tt_format_number (tt_case_get_total_ug_per_kg (self->kase), 2);
    g_autofree char *ml = tt_format_number (tt_case_get_infused_ml (self->kase), 1);
    guint boluses = tt_case_get_bolus_count (self->kase);

    drug = g_strdup_printf (ngettext ("Total NE %s µg (%s µg/kg) · infused %s mL · %u bolus",
                                      "Total NE %s µg (%s µg/kg) · infused %s mL · %u boluses",
                                      boluses),
                            total, per_kg, ml, boluses);
  }
  if (tt_case_get_override_reason (self->kase) != NULL)
    override = g_strdup_printf (_("◆ Checklist overridden: %s"),
                                tt_case_get_override_reason (self->kase));

  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->adherence_label, adherence);
  gtk_label_set_text (self->adherence_detail_label, detail);
  gtk_label_set_text (self->drug_label, drug);
  gtk_label_set_text (self->override_label, override != NULL ? override : "");
  gtk_widget_set_visible (GTK_WIDGET (self->override_label), override != NULL);
}

/* The figures of the monitor's metrics, and the chart over the whole case. */
static void
update_metrics (TtSummaryPage *self)
{
  TtMonitor *monitor = self->session != NULL ? tt_session_get_monitor (self->session) : NULL;
  TtWindowMetrics m;

  for (TtMetricsWindow w = 0; w < TT_N_WINDOWS; w++)
    {
      gboolean ok = monitor != NULL && tt_monitor_get_metrics (monitor, w, &m);

      tt_summary_page_set_metrics (self, w, ok ? &m : NULL,
                                   monitor != NULL ? tt_monitor_get_grid_ms (monitor) : 0);
    }
  if (self->kase != NULL)
    {
      /* The whole case, in whole minutes (at least the 5 min the view offers). */
      gint64 minutes = (tt_case_get_now_ms (self->kase) + 59999) / 60000;

      tt_chart_view_set_window_minutes (self->chart_view, (int) CLAMP (minutes, 5, 24 * 60));
    }
}

/* The summary stands for an ended case: its figures are taken when it ends (and when the page
 * is given a case that has ended). */
static void
case_state_cb (TtSummaryPage *self)
{
  update_case (self);
  if (tt_case_get_state (self->kase) == TT_CASE_STATE_ENDED)
    update_metrics (self);
}

TtCase *
tt_summary_page_get_case (TtSummaryPage *self)
{
  g_return_val_if_fail (TT_IS_SUMMARY_PAGE (self), NULL);

  return self->kase;
}

TtSession *
tt_summary_page_get_session (TtSummaryPage *self)
{
  g_return_val_if_fail (TT_IS_SUMMARY_PAGE (self), NULL);

  return self->session;
}

void
tt_summary_page_set_session (TtSummaryPage *self,
                             TtSession     *session)
{
  TtCase *kase;

  g_return_if_fail (TT_IS_SUMMARY_PAGE (self));
  g_return_if_fail (session == NULL || TT_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;
  kase = session != NULL ? tt_session_get_case (session) : NULL;
  g_set_object (&self->kase, kase);
  g_signal_group_set_target (self->case_signals, self->kase);
  gtk_widget_set_visible (GTK_WIDGET (self->export_label), FALSE);
  if (session != NULL)
    tt_chart_view_set_chart (self->chart_view, tt_session_get_chart (session));
  else
    {
      g_autoptr(TtChart) empty = tt_chart_new ();

      tt_chart_view_set_chart (self->chart_view, empty);
    }
  update_metrics (self);
  update_case (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

/* Export: the case is read back from the session log (after everything queued is committed)
 * and written as CSV, .vital or the PDF report. The PDF's chart is drawn by PLplot on the main
 * thread; files are written with GIO's async functions or on a worker thread, so the screen never
 * waits on the disk. */

typedef struct {
  TtSummaryPage *page;
  char          *format;
  GFile         *file;
  TtStoreCase   *store_case;
} Export;

static void
export_free (Export *export)
{
  g_clear_object (&export->page);
  g_free (export->format);
  g_clear_object (&export->file);
  g_clear_pointer (&export->store_case, tt_store_case_free);
  g_free (export);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Export, export_free)

static void
export_done (Export       *export,
             const GError *error)
{
  TtSummaryPage *self = export->page;
  g_autofree char *name = g_file_get_basename (export->file);
  g_autofree char *text = NULL;

  if (error == NULL)
    /* Translators: "Saved Case 0427 2025-03-10.pdf". */
    text = g_strdup_printf (_("Saved %s"), name);
  else
    text = g_strdup_printf (_("Could not save %s: %s"), name, error->message);
  gtk_label_set_text (self->export_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->export_label), TRUE);
  g_signal_emit (self, signals[SIGNAL_EXPORTED], 0, export->file, error);
}

static void
export_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Export *export = task_data;
  g_autofree char *path = g_file_get_path (export->file);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (g_str_equal (export->format, "vital"))
    ok = tt_export_vital_to_file (export->store_case, path, &error);
  else
    ok = tt_export_csv_to_file (export->store_case, path, &error);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
export_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Export) export = user_data;
  g_autoptr(GError) error = NULL;

  if (G_IS_FILE (source))
    g_file_replace_contents_finish (G_FILE (source), result, NULL, &error);
  else
    g_task_propagate_boolean (G_TASK (result), &error);
  export_done (export, error);
}

static void
export_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Export) export = user_data;
  g_autoptr(GError) error = NULL;

  export->store_case = tt_store_load_session_finish (TT_STORE (source), result, &error);
  if (export->store_case == NULL)
    {
      export_done (export, error);
      return;
    }
  if (g_str_equal (export->format, "pdf"))
    {
      g_autoptr(GBytes) pdf = tt_report_render (export->store_case, &error);
      GFile *file = export->file;

      if (pdf == NULL)
        {
          export_done (export, error);
          return;
        }
      g_file_replace_contents_bytes_async (file, pdf, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL,
                                           export_written_cb, g_steal_pointer (&export));
    }
  else
    {
      g_autoptr(GTask) task = g_task_new (NULL, NULL, export_written_cb, export);

      g_task_set_task_data (task, g_steal_pointer (&export), NULL);
      g_task_run_in_thread (task, export_thread);
    }
}

static void
export_flushed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Export) export = user_data;
  g_autoptr(GError) error = NULL;
  TtCaseLog *case_log = export->page->session != NULL
                        ? tt_session_get_case_log (export->page->session) : NULL;
  TtStoreSession *session = case_log != NULL ? tt_case_log_get_session (case_log) : NULL;
  gint64 id = session != NULL ? tt_store_session_get_id (session) : 0;

  if (!tt_store_flush_finish (TT_STORE (source), result, &error))
    {
      export_done (export, error);
      return;
    }
  if (id <= 0)
    {
      g_set_error_literal (&error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND,
                           _("the case is not in the session log"));
      export_done (export, error);
      return;
    }
  tt_store_load_session_async (TT_STORE (source), id, NULL, export_loaded_cb,
                               g_steal_pointer (&export));
}

/* Writes the case to @file as @format ("csv", "vital" or "pdf"); "exported" says when and how it
 * went. The file chooser's answer calls this; so do the tests. */
void
tt_summary_page_export (TtSummaryPage *self,
                        const char    *format,
                        GFile         *file)
{
  TtCaseLog *case_log;
  Export *export;

  g_return_if_fail (TT_IS_SUMMARY_PAGE (self));
  g_return_if_fail (format != NULL && G_IS_FILE (file));

  export = g_new0 (Export, 1);
  export->page = g_object_ref (self);
  export->format = g_strdup (format);
  export->file = g_object_ref (file);

  case_log = self->session != NULL ? tt_session_get_case_log (self->session) : NULL;
  if (case_log == NULL || tt_case_log_get_store (case_log) == NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND,
                                                     _("the case is not being logged"));

      export_done (export, error);
      export_free (export);
      return;
    }
  gtk_label_set_text (self->export_label, _("Saving…"));
  gtk_widget_set_visible (GTK_WIDGET (self->export_label), TRUE);
  tt_store_flush_async (tt_case_log_get_store (case_log), NULL, export_flushed_cb, export);
}

static void
chooser_response_cb (TtSummaryPage        *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    tt_summary_page_export (self, self->chooser_format, file);
  g_clear_object (&self->chooser);
}

/* The portal's file chooser (the Flatpak has no access to the file system otherwise). */
static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TtSummaryPage *self = TT_SUMMARY_PAGE (widget);
  const char *format = g_variant_get_string (parameter, NULL);
  const TtCaseSetup *setup = self->kase != NULL ? tt_case_get_setup (self->kase) : NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autofree char *date = NULL;
  g_autofree char *name = NULL;

  if (self->chooser != NULL || self->kase == NULL)
    return;
  g_free (self->chooser_format);
  self->chooser_format = g_strdup (format);
  start = g_date_time_new_from_unix_local (tt_case_get_start_unix_ms (self->kase) / 1000);
  date = start != NULL ? g_date_time_format (start, "%Y-%m-%d") : g_strdup ("");
  name = g_strdup_printf ("%s %s.%s", setup != NULL ? setup->label : _("Case"), date, format);
  self->chooser = gtk_file_chooser_native_new (_("Export the Case"),
                                               GTK_WINDOW (gtk_widget_get_root (widget)),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                               _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static GtkLabel *
add_cell (TtSummaryPage *self,
          const char    *text,
          int            column,
          int            row,
          gboolean       header)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), column == 0 ? 0 : 1);
  gtk_widget_set_hexpand (label, column > 0);
  if (header)
    gtk_widget_add_css_class (label, "heading");
  else if (column == 0)
    gtk_widget_add_css_class (label, "dim-label");
  else
    gtk_widget_add_css_class (label, "numeric");
  gtk_grid_attach (self->metrics_grid, label, column, row, 1, 1);
  return GTK_LABEL (label);
}

static void
build_table (TtSummaryPage *self)
{
  const char *rows[TT_N_SUMMARY_ROWS] = {
    [TT_SUMMARY_ROW_SPAN] = _("Window (from induction)"),
    [TT_SUMMARY_ROW_VALID] = _("Valid time"),
    [TT_SUMMARY_ROW_EXCLUDED] = _("Excluded (artifact, gap)"),
    [TT_SUMMARY_ROW_IN_BAND] = _("In target band"),
    [TT_SUMMARY_ROW_BELOW_65] = _("Time below 65 mmHg"),
    [TT_SUMMARY_ROW_AUT_65] = _("Area below 65 mmHg (AUT)"),
    [TT_SUMMARY_ROW_TWA_65] = _("Time-weighted average below 65"),
    [TT_SUMMARY_ROW_EPISODES_65] = _("Episodes below 65 (≥ 1 min)"),
    [TT_SUMMARY_ROW_BELOW_55] = _("Time below 55 mmHg"),
    [TT_SUMMARY_ROW_MEAN_SD] = _("Mean ± SD"),
    [TT_SUMMARY_ROW_ARV] = _("ARV"),
    [TT_SUMMARY_ROW_LOWEST_1] = _("Lowest MAP sustained 1 min"),
    [TT_SUMMARY_ROW_MDAPE] = _("MDAPE from the band's middle"),
  };
  const char *windows[TT_N_WINDOWS] = {
    [TT_WINDOW_FIRST15] = _("0–15 min"),
    [TT_WINDOW_INDUCTION] = _("Induction to end"),
    [TT_WINDOW_CASE] = _("Whole case"),
  };

  add_cell (self, "", 0, 0, TRUE);
  for (TtMetricsWindow w = 0; w < TT_N_WINDOWS; w++)
    add_cell (self, windows[w], 1 + w, 0, TRUE);
  for (guint row = 0; row < TT_N_SUMMARY_ROWS; row++)
    {
      add_cell (self, rows[row], 0, 1 + row, FALSE);
      for (TtMetricsWindow w = 0; w < TT_N_WINDOWS; w++)
        self->cells[row][w] = add_cell (self, "–", 1 + w, 1 + row, FALSE);
    }
}

static void
tt_summary_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TtSummaryPage *self = TT_SUMMARY_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_summary_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TtSummaryPage *self = TT_SUMMARY_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tt_summary_page_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_summary_page_dispose (GObject *object)
{
  TtSummaryPage *self = TT_SUMMARY_PAGE (object);
  GtkWidget *child;

  if (self->case_signals != NULL)
    g_signal_group_set_target (self->case_signals, NULL);
  g_clear_object (&self->case_signals);
  g_clear_object (&self->kase);
  g_clear_object (&self->session);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->chooser_format, g_free);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tt_summary_page_parent_class)->dispose (object);
}

static void
tt_summary_page_class_init (TtSummaryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = tt_summary_page_get_property;
  object_class->set_property = tt_summary_page_set_property;
  object_class->dispose = tt_summary_page_dispose;

  g_type_ensure (TT_TYPE_CHART_VIEW);

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TT_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* "exported" (GFile *file, const GError *error): an export finished; @error is NULL on success. */
  signals[SIGNAL_EXPORTED] = g_signal_new ("exported", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                           G_TYPE_FILE, G_TYPE_POINTER);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/tt-summary-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TtSummaryPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, TtSummaryPage, chart_view);
  gtk_widget_class_bind_template_child (widget_class, TtSummaryPage, metrics_title_label);
  gtk_widget_class_bind_template_child (widget_class, TtSummaryPage, metrics_grid);
  gtk_widget_class_bind_template_child (widget_class, TtSummaryPage, adherence_label);
  gtk_widget_class_bind_template_child (widget_class, TtSummaryPage, adherence_detail_label);
  gtk_widget_class_bind_template_child (widget_class, TtSummaryPage, drug_label);
  gtk_widget_class_bind_template_child (widget_class, TtSummaryPage, override_label);
  gtk_widget_class_bind_template_child (widget_class, TtSummaryPage, export_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  gtk_widget_class_install_action (widget_class, "summary.export", "s", export_action);
}

static void
tt_summary_page_init (TtSummaryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  build_table (self);

  self->case_signals = g_signal_group_new (TT_TYPE_CASE);
  g_signal_group_connect_swapped (self->case_signals, "notify::state",
                                  G_CALLBACK (case_state_cb), self);
  g_signal_group_connect_swapped (self->case_signals, "notify::now-ms",
                                  G_CALLBACK (update_case), self);
}
