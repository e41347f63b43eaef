/* tt-about.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* What the About window needs from the metainfo. */
typedef struct {
  char *name;
  char *summary;
  char *developer;
  char *license;
  char *homepage;
  char *issue_url;
  char *version;        /* the newest release */
  char *release_notes;  /* its description, as the markup AdwAboutWindow takes */
} TtMetainfo;

void        tt_metainfo_clear     (TtMetainfo    *info);
gboolean    tt_metainfo_parse     (const char    *xml,
                                   gssize         length,
                                   TtMetainfo    *info,
                                   GError       **error);
GtkWindow  *tt_about_window_new   (GtkWindow     *parent);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TtMetainfo, tt_metainfo_clear)

G_END_DECLS
