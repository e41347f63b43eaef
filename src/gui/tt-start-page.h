/* tt-start-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TT_TYPE_START_PAGE (tt_start_page_get_type ())

G_DECLARE_FINAL_TYPE (TtStartPage, tt_start_page, TT, START_PAGE, GtkWidget)

G_END_DECLS
