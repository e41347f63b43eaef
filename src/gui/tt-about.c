/* tt-about.c: the About window, built from the metainfo embedded in the GResource so it
 * always says what the software centre listing says.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "tt-about.h"

typedef struct {
  TtMetainfo *info;
  GString    *text;        /* character data of the element being read */
  GString    *notes;       /* release-notes markup of the newest release */
  char       *url_type;    /* the type attribute of the <url> being read */
  int         release;     /* how many <release> elements have started */
  int         skip_depth;  /* > 0 while inside a translated (xml:lang) element */
  gboolean    in_developer;
  gboolean    in_release_description;
} ParseState;

void
tt_metainfo_clear (TtMetainfo *info)
{
  g_clear_pointer (&info->name, g_free);
  g_clear_pointer (&info->summary, g_free);
  g_clear_pointer (&info->developer, g_free);
  g_clear_pointer (&info->license, g_free);
  g_clear_pointer (&info->homepage, g_free);
  g_clear_pointer (&info->issue_url, g_free);
  g_clear_pointer (&info->version, g_free);
  g_clear_pointer (&info->release_notes, g_free);
}

/* g_set_str() arrived in GLib 2.76; Debian 12 has 2.74. */
static void
replace_str (char       **dest,
             const char  *value)
{
  g_free (*dest);
  *dest = g_strdup (value);
}

static const char *
find_attribute (const char **names,
                const char **values,
                const char  *wanted)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (g_strcmp0 (names[i], wanted) == 0)
      return values[i];
  return NULL;
}

/* The markup subset that AdwAboutWindow accepts in release notes. */
static gboolean
is_notes_element (const char *element)
{
  return g_str_equal (element, "p") || g_str_equal (element, "ul") ||
         g_str_equal (element, "ol") || g_str_equal (element, "li") ||
         g_str_equal (element, "em") || g_str_equal (element, "code");
}

static void
start_element (GMarkupParseContext  *context,
               const char           *element,
               const char          **attr_names,
               const char          **attr_values,
               gpointer              user_data,
               GError              **error)
{
  ParseState *state = user_data;

  /* Translations are the gettext catalogue's job; read the original text only. */
  if (state->skip_depth > 0 || find_attribute (attr_names, attr_values, "xml:lang") != NULL)
    {
      state->skip_depth++;
      return;
    }

  g_string_truncate (state->text, 0);

  if (g_str_equal (element, "developer"))
    state->in_developer = TRUE;
  else if (g_str_equal (element, "release"))
    {
      state->release++;
      if (state->release == 1)
        state->info->version = g_strdup (find_attribute (attr_names, attr_values, "version"));
    }
  else if (g_str_equal (element, "description") && state->release == 1)
    state->in_release_description = TRUE;
  else if (g_str_equal (element, "url"))
    replace_str (&state->url_type, find_attribute (attr_names, attr_values, "type"));

  if (state->in_release_description && is_notes_element (element))
    g_string_append_printf (state->notes, "<%s>", element);
}

static void
end_element (GMarkupParseContext  *context,
             const char           *element,
             gpointer              user_data,
             GError              **error)
{
  ParseState *state = user_data;
  const char *parent;
  g_autofree char *text = NULL;

  if (state->skip_depth > 0)
    {
      state->skip_depth--;
      return;
    }

  text = g_strstrip (g_strdup (state->text->str));
  parent = g_markup_parse_context_get_element_stack (context)->next
             ? g_markup_parse_context_get_element_stack (context)->next->data
             : NULL;

  if (state->in_release_description)
    {
      if (g_str_equal (element, "description"))
        state->in_release_description = FALSE;
      else if (is_notes_element (element))
        {
          g_autofree char *escaped = g_markup_escape_text (text, -1);
          g_string_append_printf (state->notes, "%s</%s>", escaped, element);
        }
    }
  else if (g_str_equal (element, "developer"))
    state->in_developer = FALSE;
  else if (g_str_equal (element, "name") && state->in_developer)
    replace_str (&state->info->developer, text);
  else if (g_str_equal (element, "name") && g_strcmp0 (parent, "component") == 0)
    replace_str (&state->info->name, text);
  else if (g_str_equal (element, "summary") && g_strcmp0 (parent, "component") == 0)
    replace_str (&state->info->summary, text);
  else if (g_str_equal (element, "project_license"))
    replace_str (&state->info->license, text);
  else if (g_str_equal (element, "url") && g_strcmp0 (state->url_type, "homepage") == 0)
    replace_str (&state->info->homepage, text);
  else if (g_str_equal (element, "url") && g_strcmp0 (state->url_type, "bugtracker") == 0)
    replace_str (&state->info->issue_url, text);

  g_string_truncate (state->text, 0);
}

static void
text_cb (GMarkupParseContext  *context,
         const char           *text,
         gsize                 text_len,
         gpointer              user_data,
         GError              **error)
{
  ParseState *state = user_data;

  if (state->skip_depth == 0)
    g_string_append_len (state->text, text, text_len);
}

gboolean
tt_metainfo_parse (const char  *xml,
                   gssize       length,
                   TtMetainfo  *info,
                   GError     **error)
{
  static const GMarkupParser parser = { start_element, end_element, text_cb, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) notes = g_string_new (NULL);
  g_autofree char *url_type = NULL;
  ParseState state = { .info = info, .text = text, .notes = notes };
  gboolean ok;

  memset (info, 0, sizeof *info);
  context = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &state, NULL);
  ok = g_markup_parse_context_parse (context, xml, length, error) &&
       g_markup_parse_context_end_parse (context, error);
  url_type = g_steal_pointer (&state.url_type);

  if (!ok)
    {
      tt_metainfo_clear (info);
      return FALSE;
    }

  if (info->name == NULL || info->version == NULL)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_MISSING_ATTRIBUTE,
                           "metainfo has no <name> or no <release version=…>");
      tt_metainfo_clear (info);
      return FALSE;
    }

  info->release_notes = g_string_free (g_steal_pointer (&notes), FALSE);
  return TRUE;
}

GtkWindow *
tt_about_window_new (GtkWindow *parent)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(TtMetainfo) info = { 0 };
  AdwAboutWindow *about;
  gsize size;
  const char *data;

  bytes = g_resources_lookup_data (RESOURCE_PREFIX "/" APP_ID ".metainfo.xml",
                                   G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  /* The metainfo is compiled into the binary; failing here is a build error, not a user's. */
  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &size);
  if (!tt_metainfo_parse (data, size, &info, &error))
    g_error ("Embedded metainfo is invalid: %s", error->message);

  about = ADW_ABOUT_WINDOW (adw_about_window_new ());
  gtk_window_set_transient_for (GTK_WINDOW (about), parent);
  adw_about_window_set_application_name (about, info.name);
  adw_about_window_set_application_icon (about, APP_ID);
  adw_about_window_set_version (about, info.version);
  adw_about_window_set_developer_name (about, info.developer);
  adw_about_window_set_website (about, info.homepage);
  adw_about_window_set_issue_url (about, info.issue_url);
  adw_about_window_set_release_notes_version (about, info.version);
  adw_about_window_set_release_notes (about, info.release_notes);
  adw_about_window_set_license_type (about, GTK_LICENSE_GPL_3_0);
  adw_about_window_set_comments (about,
    _("Steady blood pressure through induction of anaesthesia.\n\n"
      "Intended use: decision support for a qualified anaesthetist running a norepinephrine "
      "infusion in adult patients. Titrate never drives a pump; the clinician confirms every "
      "change. It is not an alarm system: the bedside monitor stays the primary alarm. "
      "Not for use in children."));
  adw_about_window_set_copyright (about, "© 2026 The Titrate developers");
  adw_about_window_set_translator_credits (about, _("translator-credits"));

  return GTK_WINDOW (about);
}
