/* tt-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tt-about.h"
#include "tt-application.h"
#include "tt-preferences-window.h"
#include "tt-window.h"
#include "titrate-resources.h"

struct _TtApplication
{
  AdwApplication  parent_instance;

  /* owned */
  GSettings      *settings;
  TtStore        *store;
  char           *store_error;
  GCancellable   *opening;

  /* --training: open a training case with the virtual patient at start-up */
  gboolean        open_training;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_STORE_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TtApplication, tt_application, ADW_TYPE_APPLICATION)

TtApplication *
tt_application_new (void)
{
  return g_object_new (TT_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

GSettings *
tt_application_get_settings (TtApplication *self)
{
  g_return_val_if_fail (TT_IS_APPLICATION (self), NULL);

  return self->settings;
}

TtStore *
tt_application_get_store (TtApplication *self)
{
  g_return_val_if_fail (TT_IS_APPLICATION (self), NULL);

  return self->store;
}

const char *
tt_application_get_store_error (TtApplication *self)
{
  g_return_val_if_fail (TT_IS_APPLICATION (self), NULL);

  return self->store_error;
}

static void
store_opened_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TtApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  TtStore *store = tt_store_open_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->opening);
  if (store == NULL)
    {
      g_message ("The session log could not be opened: %s", error->message);
      self->store_error = g_strdup (error->message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE_ERROR]);
      return;
    }
  self->store = store;
  if (tt_store_get_notice (store) != NULL)
    g_message ("%s", tt_store_get_notice (store));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/* Tests and administrators choose the log with TITRATE_DB; everyone else gets the default. */
static void
open_store (TtApplication *self)
{
  const char *path = g_getenv ("TITRATE_DB");

  self->opening = g_cancellable_new ();
  tt_store_open_async (path != NULL && *path != '\0' ? path : NULL, self->opening,
                       store_opened_cb, g_object_ref (self));
}

static void
about_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GtkWindow *about = tt_about_window_new (gtk_application_get_active_window (app));

  gtk_window_present (about);
}

static void
preferences_action_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  TtApplication *self = TT_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  TtPreferencesWindow *prefs = tt_preferences_window_new (self->settings);

  gtk_window_set_transient_for (GTK_WINDOW (prefs), parent);
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "about", about_action_cb },
  { "preferences", preferences_action_cb },
  { "quit", quit_action_cb },
};

static void
tt_application_activate (GApplication *app)
{
  TtApplication *self = TT_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (tt_window_new (self));

  gtk_window_present (window);
  if (self->open_training)
    {
      self->open_training = FALSE;
      gtk_widget_activate_action (GTK_WIDGET (window), "win.new-training-case", NULL);
    }
}

static int
tt_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  TtApplication *self = TT_APPLICATION (app);

  if (g_variant_dict_contains (options, "training"))
    self->open_training = TRUE;
  return -1;
}

static void
tt_application_startup (GApplication *app)
{
  TtApplication *self = TT_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *prefs_accels[] = { "<Control>comma", NULL };
  static const char *live_accels[] = { "<Control>n", NULL };
  static const char *training_accels[] = { "<Control>t", NULL };
  static const char *recording_accels[] = { "<Control>o", NULL };

  G_APPLICATION_CLASS (tt_application_parent_class)->startup (app);

  self->settings = g_settings_new (APP_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", prefs_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.new-live-case", live_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.choose-training",
                                         training_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.open-recording",
                                         recording_accels);
  open_store (self);
}

static void
tt_application_dispose (GObject *object)
{
  TtApplication *self = TT_APPLICATION (object);

  g_cancellable_cancel (self->opening);
  g_clear_object (&self->opening);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_pointer (&self->store_error, g_free);

  G_OBJECT_CLASS (tt_application_parent_class)->dispose (object);
}

static void
tt_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TtApplication *self = TT_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_STORE_ERROR:
      g_value_set_string (value, self->store_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_application_class_init (TtApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  /* Referencing the resource keeps its object file (and its registering constructor) in the
   * link when the GUI comes from a static library. */
  g_assert (titrate_get_resource () != NULL);

  object_class->dispose = tt_application_dispose;
  object_class->get_property = tt_application_get_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TT_TYPE_STORE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STORE_ERROR] =
    g_param_spec_string ("store-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  app_class->activate = tt_application_activate;
  app_class->handle_local_options = tt_application_handle_local_options;
  app_class->startup = tt_application_startup;
}

static void
tt_application_init (TtApplication *self)
{
  g_application_add_main_option (G_APPLICATION (self), "training", 0, G_OPTION_FLAG_NONE,
                                 G_OPTION_ARG_NONE,
                                 _("Open a training case with the virtual patient"), NULL);
}
