/* test-history-page.c: the session log in the window: the start page's recent and interrupted
 * sessions, the history list with its metrics, the search, opening a case for review, deleting
 * after a confirmation, exporting, and screenshots. The log is a temporary database written
 * through the store and given to the app with TITRATE_DB.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <sqlite3.h>

#include "tt-application.h"
#include "tt-history-actions.h"
#include "tt-history-item.h"
#include "tt-start-page.h"
#include "tt-test-gui.h"
#include "tt-test-sessions.h"
#include "tt-window.h"

/* 2026-03-10 08:14:00 UTC and the two days after. */
#define DAY_MS G_GINT64_CONSTANT (86400000)
#define START_UNIX_MS G_GINT64_CONSTANT (1773130440000)

static TtApplication *app;
static char *dir;
static char *db_path;
static gint64 case1, sim7, crash;

static TtWindow *
get_window (void)
{
  return tt_test_app_window (app);
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

/* Spins until @object's boolean property "busy" is FALSE (at most 10 s). */
static void
wait_idle (gpointer object)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gboolean busy = TRUE;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_object_get (object, "busy", &busy, NULL);
      if (!busy)
        break;
    }
  g_assert_false (busy);
  tt_test_spin (50);
}

static TtHistoryItem *
item_at (GListModel *model,
         guint       i)
{
  TtHistoryItem *item = g_list_model_get_item (model, i);

  g_object_unref (item);   /* the model keeps it */
  return item;
}

static TtStartPage *
start_page (void)
{
  return TT_START_PAGE (gtk_widget_get_template_child (GTK_WIDGET (get_window ()), TT_TYPE_WINDOW,
                                                       "start_page"));
}

static TtHistoryPage *
history (void)
{
  return tt_window_get_history_page (get_window ());
}

static void
set_search (const char *text)
{
  GtkEditable *entry = GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (history ()),
                                                                    TT_TYPE_HISTORY_PAGE,
                                                                    "search_entry"));

  gtk_editable_set_text (entry, text);
  tt_test_spin (50);
}

static void
test_start_page (void)
{
  TtStartPage *start = start_page ();
  GListModel *recent, *interrupted;

  g_assert_cmpstr (tt_window_get_visible_page (get_window ()), ==, "start");
  wait_idle (start);
  recent = tt_start_page_get_recent (start);
  g_assert_cmpuint (g_list_model_get_n_items (recent), ==, 3);
  /* Newest first. */
  g_assert_cmpstr (tt_history_item_get_title (item_at (recent, 0)), ==, "Crash case");
  g_assert_cmpstr (tt_history_item_get_title (item_at (recent, 1)), ==, "Sim 7");
  g_assert_cmpstr (tt_history_item_get_title (item_at (recent, 2)), ==, "OR 3 / case 1");
  g_assert_cmpstr (tt_history_item_get_subtitle (item_at (recent, 2)), ==,
                   "03/10/26 08:14 · Live · 20 min");
  g_assert_cmpstr (tt_history_item_get_subtitle (item_at (recent, 0)), ==,
                   "03/12/26 08:14 · Live · 3 min · interrupted");

  /* The case found open at start-up is offered for review or close. */
  interrupted = tt_start_page_get_interrupted (start);
  g_assert_cmpuint (g_list_model_get_n_items (interrupted), ==, 1);
  g_assert_cmpint (tt_history_item_get_id (item_at (interrupted, 0)), ==, crash);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (
                   GTK_WIDGET (start), TT_TYPE_START_PAGE, "interrupted_group"))));
}

static void
test_close_interrupted (void)
{
  TtStartPage *start = start_page ();
  TtStore *store = tt_application_get_store (app);
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GError) error = NULL;
  const TtStoreSessionInfo *info;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (start), "start.close-interrupted", "x",
                                             crash));
  tt_test_spin (50);
  wait_idle (start);
  g_assert_cmpuint (g_list_model_get_n_items (tt_start_page_get_interrupted (start)), ==, 0);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (
                    GTK_WIDGET (start), TT_TYPE_START_PAGE, "interrupted_group"))));
  /* Closed at its last sample, and still in the log. */
  sessions = tt_store_list_sessions (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sessions->len, ==, 3);
  info = g_ptr_array_index (sessions, 2);
  g_assert_cmpint (info->id, ==, crash);
  g_assert_cmpint (info->state, ==, TT_STORE_STATE_ENDED);
  g_assert_cmpint (info->end_t_ms, ==, 3 * TT_TEST_MIN_MS - 1000);
}

static void
test_history_list (void)
{
  GListModel *model;
  TtHistoryItem *item;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (get_window ()), "win.show-history",
                                             NULL));
  tt_test_spin (100);
  g_assert_cmpstr (tt_window_get_visible_page (get_window ()), ==, "history");
  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (gtk_widget_get_template_child (
                     GTK_WIDGET (get_window ()), TT_TYPE_WINDOW, "window_title"))), ==, "History");
  wait_idle (history ());
  g_assert_cmpstr (tt_history_page_get_state (history ()), ==, "list");
  model = tt_history_page_get_model (history ());
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);

  item = item_at (model, 2);
  g_assert_cmpint (tt_history_item_get_id (item), ==, case1);
  g_assert_cmpstr (tt_history_item_get_title (item), ==, "OR 3 / case 1");
  g_assert_cmpint (tt_history_item_get_duration_ms (item), ==, 20 * TT_TEST_MIN_MS);
  /* 10 of 15 min in the band; 5 min 5 mmHg under 65. */
  g_assert_cmpstr (tt_history_item_get_metrics_text (item), ==,
                   "0–15 min: in band 67 % · AUT<65 25 mmHg·min");
  g_assert_cmpstr (tt_history_item_get_subtitle (item_at (model, 1)), ==,
                   "03/11/26 08:14 · Training · 20 min");
  /* Closed at start-up, it is no longer "interrupted". */
  g_assert_cmpstr (tt_history_item_get_subtitle (item_at (model, 0)), ==,
                   "03/12/26 08:14 · Live · 3 min");
  g_assert_cmpstr (tt_history_item_get_metrics_text (item_at (model, 0)), ==,
                   "0–15 min: in band 100 % · AUT<65 0 mmHg·min");
}

static void
test_history_search (void)
{
  GListModel *model = tt_history_page_get_model (history ());

  /* Ctrl+F's action puts the focus in the search field. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (history ()), "history.search", NULL));
  tt_test_spin (50);
  {
    GtkWidget *entry = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (history ()),
                                                                  TT_TYPE_HISTORY_PAGE,
                                                                  "search_entry"));
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (get_window ()));

    g_assert_nonnull (focus);
    g_assert_true (focus == entry || gtk_widget_is_ancestor (focus, entry));
  }

  set_search ("sim");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_cmpstr (tt_history_item_get_title (item_at (model, 0)), ==, "Sim 7");
  set_search ("2026-03-10");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_cmpint (tt_history_item_get_id (item_at (model, 0)), ==, case1);
  set_search ("03/12/26");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_cmpint (tt_history_item_get_id (item_at (model, 0)), ==, crash);
  set_search ("march 2026");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  set_search ("wednesday");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_cmpint (tt_history_item_get_id (item_at (model, 0)), ==, sim7);
  set_search ("LIVE");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  set_search ("no such case");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_cmpstr (tt_history_page_get_state (history ()), ==, "no-results");
  set_search ("");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  g_assert_cmpstr (tt_history_page_get_state (history ()), ==, "list");
}

static void
test_history_open (void)
{
  TtReviewPage *review = tt_window_get_review_page (get_window ());
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (get_window ()), "win.review-session", "x",
                                             case1));
  while (g_strcmp0 (tt_review_page_get_state (review), "content") != 0 &&
         g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  tt_test_spin (100);
  g_assert_cmpstr (tt_window_get_visible_page (get_window ()), ==, "review");
  g_assert_cmpstr (tt_review_page_get_state (review), ==, "content");
  g_assert_cmpstr (tt_review_page_get_title (review), ==, "OR 3 / case 1");
  g_assert_cmpint (tt_review_page_get_review (review)->store_case->recording->samples->len, ==,
                   1200);
  /* Not live: the window says TRAINING over the review, whatever the case was. */
  g_assert_cmpstr (tt_window_get_mode_mark (get_window ()), ==, "TRAINING");

  /* Back to the list (Alt+← or the header's button). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (get_window ()), "win.back", NULL));
  tt_test_spin (100);
  g_assert_cmpstr (tt_window_get_visible_page (get_window ()), ==, "history");
  g_assert_null (tt_window_get_mode_mark (get_window ()));
  wait_idle (history ());
}

static AdwMessageDialog *
wait_dialog (void)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  GtkWindow *dialog = NULL;

  while (dialog == NULL && g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
    }
  g_assert_nonnull (dialog);
  return ADW_MESSAGE_DIALOG (dialog);
}

static void
test_history_delete (void)
{
  GListModel *model = tt_history_page_get_model (history ());
  TtStore *store = tt_application_get_store (app);
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;

  /* Asked first; cancelling keeps it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (history ()), "history.delete", "x",
                                             sim7));
  dialog = wait_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Delete “Sim 7”?");
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "delete"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  tt_test_spin (200);
  wait_idle (history ());
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);

  /* Confirmed: gone from the log and from the list. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (history ()), "history.delete", "x",
                                             sim7));
  dialog = wait_dialog ();
  adw_message_dialog_response (dialog, "delete");
  gtk_window_destroy (GTK_WINDOW (dialog));
  tt_test_spin (300);
  wait_idle (history ());
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpint (tt_history_item_get_id (item_at (model, i)), !=, sim7);
  sessions = tt_store_list_sessions (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sessions->len, ==, 2);
}

static void
exported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  int *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (tt_history_actions_export_finish (result, &error));
  g_assert_no_error (error);
  *done = 1;
}

static void
test_history_export (void)
{
  TtStore *store = tt_application_get_store (app);
  static const char *formats[] = { "csv", "pdf", "vital" };
  g_autofree char *name = tt_history_actions_file_name ("OR 3 / case 1", START_UNIX_MS, "pdf");

  /* The name offered: no slash, the local date. */
  g_assert_cmpstr (name, ==, "OR 3   case 1 2026-03-10.pdf");
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *file_name = g_strconcat ("export.", formats[i], NULL);
      g_autofree char *path = g_build_filename (dir, file_name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autofree char *contents = NULL;
      gsize length;
      int done = 0;

      tt_history_actions_export_to_file (store, case1, formats[i], file, NULL, exported_cb, &done);
      g_assert_true (tt_test_wait_until (&done, 10000));
      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      if (i == 0)
        g_assert_nonnull (strstr (contents, "\ntime_s,map,sbp,dbp,hr,event,event_text,quality\n"));
      else if (i == 1)
        g_assert_true (g_str_has_prefix (contents, "%PDF-"));
      else
        /* .vital files are gzip. */
        g_assert_true (length > 2 && (guint8) contents[0] == 0x1f && (guint8) contents[1] == 0x8b);
    }
}

static void
test_history_screenshots (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *light = NULL;
  g_autofree char *dark = NULL;

  g_assert_cmpstr (tt_window_get_visible_page (get_window ()), ==, "history");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  tt_test_spin (300);
  light = tt_test_screenshot (GTK_WIDGET (get_window ()), "history-light");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  tt_test_spin (300);
  dark = tt_test_screenshot (GTK_WIDGET (get_window ()), "history-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  g_test_message ("screenshots: %s, %s", light, dark);

  /* The start page with its recent sessions. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (get_window ()), "win.back", NULL));
  /* Past the stack's crossfade. */
  tt_test_spin (800);
  g_assert_cmpstr (tt_window_get_visible_page (get_window ()), ==, "start");
  g_free (light);
  light = tt_test_screenshot (GTK_WIDGET (get_window ()), "start-recent-light");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (get_window ()), "win.show-history",
                                             NULL));
  tt_test_spin (100);
  wait_idle (history ());
}

/* Writes the log before the app starts: three sessions, the last one left open as a crash would
 * leave it (its lock free), which the app finds interrupted at start-up. */
static void
write_log (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open (db_path, &error);
  g_autoptr(TtStoreSession) session = NULL;
  TtStoreSetup setup;
  sqlite3 *db = NULL;
  char *sql;

  g_assert_no_error (error);
  case1 = tt_test_write_dip (store, "OR 3 / case 1", TT_STORE_MODE_LIVE, START_UNIX_MS);
  sim7 = tt_test_write_dip (store, "Sim 7", TT_STORE_MODE_TRAINING, START_UNIX_MS + DAY_MS);

  tt_test_session_setup (&setup, "Crash case", TT_STORE_MODE_LIVE, START_UNIX_MS + 2 * DAY_MS);
  session = tt_store_begin_session (store, &setup, &error);
  g_assert_no_error (error);
  tt_store_add_event (session, 0, "induction", NULL);
  for (gint64 t = 0; t < 3 * TT_TEST_MIN_MS; t += 1000)
    tt_test_add_map (session, t, 78);
  tt_store_end_session (session, 3 * TT_TEST_MIN_MS);
  g_assert_true (tt_store_flush (store, &error));
  crash = tt_store_session_get_id (session);
  g_clear_pointer (&session, tt_store_session_unref);
  g_clear_object (&store);

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  sql = sqlite3_mprintf ("UPDATE sessions SET state = 'open', end_unix_ms = NULL, end_t_ms = NULL "
                         "WHERE id = %lld", (long long) crash);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_free (sql);
  sqlite3_close (db);
}

int
main (int argc, char *argv[])
{
  int status;

  g_setenv ("TZ", "UTC", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  dir = tt_test_tmpdir ();
  db_path = g_build_filename (dir, "sessions.db", NULL);
  write_log ();
  g_setenv ("TITRATE_DB", db_path, TRUE);

  app = tt_test_app_new ();
  g_application_activate (G_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (get_window ()), 1280, 800);
  g_assert_nonnull (tt_test_app_wait_store (app));
  g_assert_cmpstr (tt_store_get_path (tt_application_get_store (app)), ==, db_path);
  tt_test_spin (300);

  g_test_add_func ("/history/start-page", test_start_page);
  g_test_add_func ("/history/close-interrupted", test_close_interrupted);
  g_test_add_func ("/history/list", test_history_list);
  g_test_add_func ("/history/search", test_history_search);
  g_test_add_func ("/history/open", test_history_open);
  g_test_add_func ("/history/screenshots", test_history_screenshots);
  g_test_add_func ("/history/delete", test_history_delete);
  g_test_add_func ("/history/export", test_history_export);

  status = g_test_run ();

  tt_test_app_free (&app);
  tt_test_rmdir (dir);
  g_free (db_path);
  g_free (dir);
  return status;
}
