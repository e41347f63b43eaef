/* tt-advice-card.h: the advisor's current advice and the clinician's three answers.
 *
 * The card shows a TtAdvice as the advisor computed it (what to do in µg/kg/min and mL/h, or µg and
 * mL for a bolus; why; the limit that capped it; when it looks again). Its buttons name the
 * session's case.* actions (accept-advice, change-advice, decline-advice, bolus-given); Change and
 * Decline open inline forms in place of the body, never a dialog over the trend.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tt-advisor.h"
#include "tt-case.h"

G_BEGIN_DECLS

#define TT_TYPE_ADVICE_CARD (tt_advice_card_get_type ())

G_DECLARE_FINAL_TYPE (TtAdviceCard, tt_advice_card, TT, ADVICE_CARD, GtkWidget)

GtkWidget  *tt_advice_card_new            (void);
TtCase     *tt_advice_card_get_case       (TtAdviceCard   *self);
void        tt_advice_card_set_case       (TtAdviceCard   *self,
                                           TtCase         *kase);
/* The advice to show (copied), or NULL for none (before induction). */
void        tt_advice_card_show_advice    (TtAdviceCard   *self,
                                           const TtAdvice *advice);
gboolean    tt_advice_card_get_answerable (TtAdviceCard   *self);

G_END_DECLS
