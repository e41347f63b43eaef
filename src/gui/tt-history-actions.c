/* tt-history-actions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tt-export-csv.h"
#include "tt-export-vital.h"
#include "tt-history-actions.h"
#include "tt-report.h"

static void
toast (GtkWidget  *widget,
       const char *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    {
      AdwToast *t = adw_toast_new (message);

      adw_toast_set_timeout (t, 6);
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), t);
    }
  else
    {
      g_message ("%s", message);
    }
}

/* Export */

typedef struct {
  TtStoreCase *store_case;
  char        *format;
  GFile       *file;
  GBytes      *pdf;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_pointer (&data->store_case, tt_store_case_free);
  g_free (data->format);
  g_clear_object (&data->file);
  g_clear_pointer (&data->pdf, g_bytes_unref);
  g_free (data);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ExportData *data = task_data;
  g_autoptr(GFileOutputStream) out = NULL;
  GError *error = NULL;
  gboolean ok;

  /* Replacing writes a temporary file renamed over the old one at close: never half a file. */
  out = g_file_replace (data->file, NULL, FALSE,
                        G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION, cancellable,
                        &error);
  if (out == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (data->pdf != NULL)
    ok = g_output_stream_write_all (G_OUTPUT_STREAM (out), g_bytes_get_data (data->pdf, NULL),
                                    g_bytes_get_size (data->pdf), NULL, cancellable, &error);
  else if (g_str_equal (data->format, "vital"))
    ok = tt_export_vital_write (data->store_case, G_OUTPUT_STREAM (out), cancellable, &error);
  else
    ok = tt_export_csv_write (data->store_case, G_OUTPUT_STREAM (out), cancellable, &error);
  if (ok)
    ok = g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, &error);
  else
    g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
export_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ExportData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->store_case = tt_store_load_session_finish (TT_STORE (source), result, &error);
  if (data->store_case == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* The report's chart is drawn by PLplot, which must stay on the main thread. */
  if (g_str_equal (data->format, "pdf"))
    {
      data->pdf = tt_report_render (data->store_case, &error);
      if (data->pdf == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  g_task_run_in_thread (task, write_thread);
}

void
tt_history_actions_export_to_file (TtStore             *store,
                                   gint64               id,
                                   const char          *format,
                                   GFile               *file,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportData *data;

  g_return_if_fail (TT_IS_STORE (store));
  g_return_if_fail (g_strv_contains ((const char *[]) { "csv", "pdf", "vital", NULL }, format));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, tt_history_actions_export_to_file);
  data = g_new0 (ExportData, 1);
  data->format = g_strdup (format);
  data->file = g_object_ref (file);
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  tt_store_load_session_async (store, id, cancellable, export_loaded_cb, g_steal_pointer (&task));
}

gboolean
tt_history_actions_export_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

char *
tt_history_actions_file_name (const char *title,
                              gint64      start_unix_ms,
                              const char *format)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (start_unix_ms / 1000);
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
  g_autofree char *date = local ? g_date_time_format (local, "%Y-%m-%d") : g_strdup ("");
  g_autofree char *name = g_strdup (title);

  /* Characters that file systems or the portal refuse in a name. */
  g_strdelimit (name, "/\\:*?\"<>|", ' ');
  return g_strdup_printf ("%s %s.%s", g_strstrip (name), date, format);
}

typedef struct {
  GtkWidget            *widget;
  TtStore              *store;
  GtkFileChooserNative *chooser;
  gint64                id;
  char                 *format;
} ChooseData;

static void
choose_data_free (ChooseData *data)
{
  g_clear_object (&data->widget);
  g_clear_object (&data->store);
  g_clear_object (&data->chooser);
  g_free (data->format);
  g_free (data);
}

static void
exported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GtkWidget) widget = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  GFile *file = ((ExportData *) g_task_get_task_data (G_TASK (result)))->file;
  g_autofree char *name = g_file_get_basename (file);

  if (tt_history_actions_export_finish (result, &error))
    /* Translators: "Saved OR 3 2026-11-28.pdf". */
    message = g_strdup_printf (_("Saved %s"), name);
  else
    /* Translators: "OR 3 2026-11-28.pdf was not saved: No space left on device". */
    message = g_strdup_printf (_("%s was not saved: %s"), name, error->message);
  toast (widget, message);
}

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     ChooseData      *data)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (file != NULL)
    tt_history_actions_export_to_file (data->store, data->id, data->format, file, NULL,
                                       exported_cb, g_object_ref (data->widget));
  gtk_native_dialog_destroy (dialog);
  choose_data_free (data);
}

void
tt_history_actions_export (GtkWidget  *widget,
                           TtStore    *store,
                           gint64      id,
                           const char *title,
                           gint64      start_unix_ms,
                           const char *format)
{
  GtkRoot *root;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  ChooseData *data;
  const char *heading;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (TT_IS_STORE (store));

  root = gtk_widget_get_root (widget);
  if (g_str_equal (format, "pdf"))
    {
      heading = _("Save the Case Report");
      gtk_file_filter_set_name (filter, _("PDF case report"));
      gtk_file_filter_add_suffix (filter, "pdf");
    }
  else if (g_str_equal (format, "vital"))
    {
      heading = _("Export as a VitalDB File");
      gtk_file_filter_set_name (filter, _("VitalDB recording (.vital)"));
      gtk_file_filter_add_suffix (filter, "vital");
    }
  else
    {
      heading = _("Export as CSV");
      gtk_file_filter_set_name (filter, _("Comma-separated values (.csv)"));
      gtk_file_filter_add_suffix (filter, "csv");
    }

  data = g_new0 (ChooseData, 1);
  data->widget = g_object_ref (widget);
  data->store = g_object_ref (store);
  data->id = id;
  data->format = g_strdup (format);
  data->chooser = gtk_file_chooser_native_new (heading, GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                           : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                                               _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (data->chooser), filter);
  name = tt_history_actions_file_name (title, start_unix_ms, format);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (data->chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (data->chooser), TRUE);
  g_signal_connect (data->chooser, "response", G_CALLBACK (chooser_response_cb), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (data->chooser));
}

/* Delete */

typedef struct {
  GtkWidget *widget;
  TtStore   *store;
  gint64     id;
  char      *title;
  char      *done_action;
} DeleteData;

static void
delete_data_free (DeleteData *data)
{
  g_clear_object (&data->widget);
  g_clear_object (&data->store);
  g_free (data->title);
  g_free (data->done_action);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeleteData, delete_data_free)

static void
deleted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(DeleteData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (tt_store_delete_session_finish (TT_STORE (source), result, &error))
    {
      /* Translators: "Session “OR 3 / case 1” deleted". */
      message = g_strdup_printf (_("Session “%s” deleted"), data->title);
      if (data->done_action != NULL)
        gtk_widget_activate_action (data->widget, data->done_action, NULL);
    }
  else
    {
      message = g_strdup_printf (_("Session “%s” was not deleted: %s"), data->title,
                                 error->message);
    }
  toast (data->widget, message);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    DeleteData       *data)
{
  if (g_strcmp0 (response, "delete") == 0)
    tt_store_delete_session_async (data->store, data->id, NULL, deleted_cb, data);
  else
    delete_data_free (data);
}

void
tt_history_actions_delete (GtkWidget  *widget,
                           TtStore    *store,
                           gint64      id,
                           const char *title,
                           const char *done_action)
{
  GtkRoot *root;
  GtkWidget *dialog;
  g_autofree char *heading = NULL;
  DeleteData *data;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (TT_IS_STORE (store));

  root = gtk_widget_get_root (widget);
  /* Translators: the question before a session is deleted. */
  heading = g_strdup_printf (_("Delete “%s”?"), title);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   _("The session is removed from the log on this computer with "
                                     "its trend, events, advice and answers. Exported files are "
                                     "kept. This cannot be undone."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  data = g_new0 (DeleteData, 1);
  data->widget = g_object_ref (widget);
  data->store = g_object_ref (store);
  data->id = id;
  data->title = g_strdup (title);
  data->done_action = g_strdup (done_action);
  g_signal_connect (dialog, "response", G_CALLBACK (delete_response_cb), data);
  gtk_window_present (GTK_WINDOW (dialog));
}
