/* test-accessibility.c: the Keyboard Shortcuts window lists every key the app binds and every
 * listed key exists; the training chooser and the instructor panel work from the keyboard; the
 * training and preferences screens in the high-contrast style (ADW_DEBUG_HIGH_CONTRAST=1, as
 * libadwaita 1.2 offers no API to force it), light and dark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "tt-application.h"
#include "tt-preferences-window.h"
#include "tt-test-gui.h"
#include "tt-training-chooser.h"
#include "tt-window.h"

static TtApplication *app;

static TtWindow *
get_window (void)
{
  return tt_test_app_window (app);
}

static gpointer
window_child (const char *name)
{
  return tt_test_window_child (get_window (), name);
}

/* Every accelerator of the overlay, one per key ("<Alt>i", "F9", …). */
static GPtrArray *
overlay_accels (GPtrArray **actions)
{
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource (RESOURCE_PREFIX "/gtk/help-overlay.ui");
  g_autoptr(GSList) objects = gtk_builder_get_objects (builder);
  GPtrArray *accels = g_ptr_array_new_with_free_func (g_free);

  *actions = g_ptr_array_new_with_free_func (g_free);
  for (GSList *l = objects; l != NULL; l = l->next)
    {
      g_autofree char *accelerator = NULL;
      g_autofree char *action = NULL;
      g_auto(GStrv) keys = NULL;

      if (!GTK_IS_SHORTCUTS_SHORTCUT (l->data))
        continue;
      g_object_get (l->data, "accelerator", &accelerator, "action-name", &action, NULL);
      if (action != NULL)
        g_ptr_array_add (*actions, g_steal_pointer (&action));
      if (accelerator == NULL)
        continue;
      keys = g_strsplit (accelerator, " ", -1);
      for (guint i = 0; keys[i] != NULL; i++)
        {
          guint key;
          GdkModifierType mods;

          /* A listed key that does not parse is a typo in the overlay. */
          g_assert_true (gtk_accelerator_parse (keys[i], &key, &mods));
          g_ptr_array_add (accels, gtk_accelerator_name (key, mods));
        }
    }
  return accels;
}

static gboolean
listed (GPtrArray  *accels,
        const char *accel)
{
  guint key;
  GdkModifierType mods;
  g_autofree char *name = NULL;

  g_assert_true (gtk_accelerator_parse (accel, &key, &mods));
  name = gtk_accelerator_name (key, mods);
  for (guint i = 0; i < accels->len; i++)
    if (g_str_equal (g_ptr_array_index (accels, i), name))
      return TRUE;
  return FALSE;
}

/* Every key a widget class of the window binds, and every application accelerator, is listed. */
static void
test_shortcuts_complete (void)
{
  g_autoptr(GPtrArray) actions = NULL;
  g_autoptr(GPtrArray) accels = overlay_accels (&actions);
  g_auto(GStrv) app_actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  /* The bindings installed by the widgets (tt-window, tt-monitor-page, tt-advice-card,
   * tt-checklist-page, tt-chart-view, tt-history-page, tt-review-page, tt-replay-bar). */
  static const char *bound[] = {
    "<Alt>Left", "<Control>e", "<Control>h", "Escape", "F9", "<Control>f",
    "<Alt>i", "<Alt>t", "<Alt>s", "<Alt>p", "<Alt>n", "<Alt>a", "<Alt>c", "<Alt>d", "<Alt>b",
    "<Alt>k", "1", "2", "3", "4", "5", "6", "Left", "Right", "Page_Up", "Page_Down", "End",
    "space", "plus", "minus", "<Alt>1", "<Alt>2",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bound); i++)
    if (!listed (accels, bound[i]))
      g_error ("%s is bound but not in the Keyboard Shortcuts window", bound[i]);

  /* Application accelerators (Ctrl+N, Ctrl+T, Ctrl+O, Ctrl+comma, Ctrl+Q, Ctrl+?) are listed by
   * their action. */
  for (guint i = 0; app_actions[i] != NULL; i++)
    {
      g_auto(GStrv) keys = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                   app_actions[i]);
      gboolean found = FALSE;

      if (keys[0] == NULL)
        continue;
      for (guint j = 0; j < actions->len; j++)
        found = found || g_str_equal (g_ptr_array_index (actions, j), app_actions[i]);
      if (!found)
        g_error ("%s (%s) is not in the Keyboard Shortcuts window", app_actions[i], keys[0]);
    }
  /* And every action the overlay names has a key. */
  for (guint j = 0; j < actions->len; j++)
    {
      g_auto(GStrv) keys = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                   g_ptr_array_index (actions, j));

      if (keys[0] == NULL)
        g_error ("%s is listed without a key", (char *) g_ptr_array_index (actions, j));
    }
}

/* The chooser and the instructor's controls from the keyboard alone. */
static void
test_keyboard (void)
{
  TtWindow *window = get_window ();
  TtTrainingChooser *chooser = window_child ("training_chooser");
  GtkWidget *focus;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.choose-training", NULL));
  tt_test_spin (50);
  /* The keyboard starts on the first scenario. */
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (chooser)));
  g_assert_nonnull (gtk_widget_get_ancestor (focus, ADW_TYPE_ACTION_ROW));

  /* Tab reaches the Start button. */
  for (guint i = 0; i < 40 && !GTK_IS_BUTTON (gtk_root_get_focus (GTK_ROOT (window))); i++)
    gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD);
  g_assert_true (GTK_IS_BUTTON (gtk_root_get_focus (GTK_ROOT (window))));

  tt_training_chooser_set_seed (chooser, 3);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.start-training", NULL));
  tt_test_spin (50);
  g_assert_nonnull (tt_window_get_training (window));
  /* F9 shows and hides the panel, and the header's toggle follows. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.instructor-panel", NULL));
  tt_test_spin (20);
  g_assert_true (adw_flap_get_reveal_flap (window_child ("flap")));
  g_assert_true (gtk_toggle_button_get_active (window_child ("instructor_button")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.instructor-panel", NULL));
  tt_test_spin (20);
  g_assert_false (adw_flap_get_reveal_flap (window_child ("flap")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close-case", NULL));
  tt_test_spin (20);
}

/* A window just presented may take a while to be mapped on a loaded machine (or under the
 * sanitizers): screenshots wait for it. */
static void
wait_mapped (GtkWidget *widget)
{
  gint64 limit = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!gtk_widget_get_mapped (widget) && g_get_monotonic_time () < limit)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (gtk_widget_get_mapped (widget));
}

static void
screenshots (GtkWidget  *widget,
             const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *light_name = g_strconcat (name, "-hc-light", NULL);
  g_autofree char *dark_name = g_strconcat (name, "-hc-dark", NULL);
  g_autofree char *light = NULL;
  g_autofree char *dark = NULL;

  wait_mapped (widget);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  tt_test_spin (300);
  light = tt_test_screenshot (widget, light_name);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  tt_test_spin (300);
  dark = tt_test_screenshot (widget, dark_name);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  g_test_message ("screenshots: %s, %s", light, dark);
}

static void
test_high_contrast (void)
{
  TtWindow *window = get_window ();
  GListModel *toplevels = gtk_window_get_toplevels ();
  TtPreferencesWindow *prefs = NULL;

  g_assert_true (adw_style_manager_get_high_contrast (adw_style_manager_get_default ()));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.choose-training", NULL));
  screenshots (GTK_WIDGET (window), "training-chooser");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.start-training", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.instructor-panel", NULL));
  screenshots (GTK_WIDGET (window), "training-instructor");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close-case", NULL));

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  tt_test_spin (200);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && prefs == NULL; i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (TT_IS_PREFERENCES_WINDOW (toplevel))
        prefs = TT_PREFERENCES_WINDOW (toplevel);
    }
  g_assert_nonnull (prefs);
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), "limits");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (gtk_widget_get_template_child (
                               GTK_WIDGET (prefs), TT_TYPE_PREFERENCES_WINDOW,
                               "peripheral_soft_max_spin")), 1.2);
  screenshots (GTK_WIDGET (prefs), "preferences-limits");
  gtk_window_destroy (GTK_WINDOW (prefs));
}

/* The Keyboard Shortcuts window itself, each section, for legibility. */
static void
test_shortcuts_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWindow *overlay = NULL;
  static const char *sections[] = { "shortcuts", "monitor", "history" };

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (get_window ()), "win.show-help-overlay",
                                             NULL));
  tt_test_spin (200);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && overlay == NULL; i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (GTK_IS_SHORTCUTS_WINDOW (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        overlay = toplevel;
    }
  g_assert_nonnull (overlay);
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      g_autofree char *name = g_strdup_printf ("shortcuts-%s", sections[i]);

      g_object_set (overlay, "section-name", sections[i], NULL);
      screenshots (GTK_WIDGET (overlay), name);
    }
  gtk_widget_set_visible (GTK_WIDGET (overlay), FALSE);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* libadwaita 1.2 reads the system's high-contrast setting only; this forces it. */
  g_setenv ("ADW_DEBUG_HIGH_CONTRAST", "1", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  app = tt_test_app_new ();
  g_application_activate (G_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (get_window ()), 1280, 800);
  tt_test_spin (300);

  g_test_add_func ("/accessibility/shortcuts-complete", test_shortcuts_complete);
  g_test_add_func ("/accessibility/keyboard", test_keyboard);
  g_test_add_func ("/accessibility/high-contrast", test_high_contrast);
  g_test_add_func ("/accessibility/shortcuts-window", test_shortcuts_window);

  status = g_test_run ();

  gtk_widget_activate_action (GTK_WIDGET (get_window ()), "win.close-case", NULL);
  tt_test_app_free (&app);
  return status;
}
