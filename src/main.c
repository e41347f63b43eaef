/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fontconfig/fontconfig.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "tt-application.h"

/* On GNOME (or in the Flatpak, on GNOME's runtime) the chart's text in GNOME's interface font, as
 * the rest of the window (Adwaita Sans from GNOME 48 on, Cantarell before), where fontconfig's
 * "sans" is often DejaVu Sans. PLplot's cairo driver takes its sans-serif family from this
 * variable when a chart's stream opens, and the chart measures its labels in the same family. Set
 * before any thread starts (setenv is not thread-safe); left alone elsewhere, when already set, or
 * when neither font is installed. */
static void
choose_chart_font (void)
{
  static const char *const families[] = { "Adwaita Sans", "Cantarell" };
  const char *desktop = g_getenv ("XDG_CURRENT_DESKTOP");

  if (g_getenv ("PLPLOT_FREETYPE_SANS_FAMILY") != NULL ||
      (g_getenv ("FLATPAK_ID") == NULL && (desktop == NULL || strstr (desktop, "GNOME") == NULL)) ||
      !FcInit ())
    return;
  for (guint i = 0; i < G_N_ELEMENTS (families); i++)
    {
      FcPattern *pattern = FcNameParse ((const FcChar8 *) families[i]);
      FcPattern *match = NULL;
      FcChar8 *family = NULL;
      FcResult result;
      gboolean installed;

      FcConfigSubstitute (NULL, pattern, FcMatchPattern);
      FcDefaultSubstitute (pattern);
      match = FcFontMatch (NULL, pattern, &result);
      installed = match != NULL &&
                  FcPatternGetString (match, FC_FAMILY, 0, &family) == FcResultMatch &&
                  g_ascii_strcasecmp ((const char *) family, families[i]) == 0;
      if (match != NULL)
        FcPatternDestroy (match);
      FcPatternDestroy (pattern);
      if (installed)
        {
          g_setenv ("PLPLOT_FREETYPE_SANS_FAMILY", families[i], FALSE);
          return;
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TtApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  choose_chart_font ();

  app = tt_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
