/* tt-history-actions.h: exporting and deleting a logged session, shared by the history and the
 * review pages: the file chooser or the confirmation, the work off the main thread (the PDF's
 * chart is drawn on it, as PLplot requires), and a toast saying how it went.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tt-store.h"

G_BEGIN_DECLS

/* Asks where to save session @id (started at @start_unix_ms) as @format ("csv", "pdf" or
 * "vital"), then writes it. */
void      tt_history_actions_export         (GtkWidget           *widget,
                                             TtStore             *store,
                                             gint64               id,
                                             const char          *title,
                                             gint64               start_unix_ms,
                                             const char          *format);
/* Writes session @id to @file as @format without asking (what the chooser's answer starts). */
void      tt_history_actions_export_to_file (TtStore             *store,
                                             gint64               id,
                                             const char          *format,
                                             GFile               *file,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean  tt_history_actions_export_finish  (GAsyncResult        *result,
                                             GError             **error);
/* The file name offered for session @title started at @start_unix_ms:
 * "OR 3 case 1 2026-11-28.csv". */
char     *tt_history_actions_file_name      (const char          *title,
                                             gint64               start_unix_ms,
                                             const char          *format);

/* Asks whether to delete session @id; once it is deleted, activates @done_action (may be NULL) on
 * @widget. */
void      tt_history_actions_delete         (GtkWidget           *widget,
                                             TtStore             *store,
                                             gint64               id,
                                             const char          *title,
                                             const char          *done_action);

G_END_DECLS
