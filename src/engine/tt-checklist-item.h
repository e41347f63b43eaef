/* tt-checklist-item.h: one item of the readiness checklist (issue 7, DESIGN.md). The case writes
 * its text from the setup, so each item says exactly what is confirmed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  TT_CHECKLIST_PUMP_PRIMED,     /* pump primed and line primed to the cannula */
  TT_CHECKLIST_SYRINGE,         /* syringe preloaded, concentration confirmed against the setup */
  TT_CHECKLIST_IV_ACCESS,       /* IV access secured and patent */
  TT_CHECKLIST_RESCUE_BOLUS,    /* rescue bolus drawn (dose and volume shown) */
  TT_CHECKLIST_ARTERIAL_LINE,   /* arterial line zeroed and levelled */
  TT_CHECKLIST_MAP_TARGET,      /* MAP target agreed with the team */
  TT_N_CHECKLIST_ITEMS
} TtChecklistId;

GType tt_checklist_id_get_type (void) G_GNUC_CONST;
#define TT_TYPE_CHECKLIST_ID (tt_checklist_id_get_type ())

#define TT_TYPE_CHECKLIST_ITEM (tt_checklist_item_get_type ())

G_DECLARE_FINAL_TYPE (TtChecklistItem, tt_checklist_item, TT, CHECKLIST_ITEM, GObject)

TtChecklistItem *tt_checklist_item_new           (TtChecklistId     id);
TtChecklistId    tt_checklist_item_get_id        (TtChecklistItem  *self);
const char      *tt_checklist_item_get_title     (TtChecklistItem  *self);
const char      *tt_checklist_item_get_detail    (TtChecklistItem  *self);
gboolean         tt_checklist_item_get_done      (TtChecklistItem  *self);
/* Case-clock time of the tick, or -1 while not done. */
gint64           tt_checklist_item_get_ticked_ms (TtChecklistItem  *self);

/* For the case: an item changes only through the case, which logs every change. */
void             tt_checklist_item_set_text      (TtChecklistItem  *self,
                                                  const char       *title,
                                                  const char       *detail);
void             tt_checklist_item_set_ticked_ms (TtChecklistItem  *self,
                                                  gint64            t_ms);

/* Stable identifier for the log ("pump-primed", …); never translated. */
const char      *tt_checklist_id_to_string       (TtChecklistId     id);
gboolean         tt_checklist_id_from_string     (const char       *name,
                                                  TtChecklistId    *id);

G_END_DECLS
