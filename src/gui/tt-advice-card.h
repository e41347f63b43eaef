/* tt-advice-card.h: the advisor's current advice and the clinician's three answers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tt-case.h"

G_BEGIN_DECLS

#define TT_TYPE_ADVICE_CARD (tt_advice_card_get_type ())

G_DECLARE_FINAL_TYPE (TtAdviceCard, tt_advice_card, TT, ADVICE_CARD, GtkWidget)

GtkWidget  *tt_advice_card_new             (void);
TtCase     *tt_advice_card_get_case        (TtAdviceCard *self);
void        tt_advice_card_set_case        (TtAdviceCard *self,
                                            TtCase       *kase);
void        tt_advice_card_set_heading     (TtAdviceCard *self,
                                            const char   *time_text,
                                            const char   *title);
void        tt_advice_card_set_bolus       (TtAdviceCard *self,
                                            double        bolus_ug,
                                            double        bolus_ml,
                                            double        concentration_ug_ml);
void        tt_advice_card_set_rate        (TtAdviceCard *self,
                                            double        rate_ug_kg_min,
                                            double        rate_ml_h,
                                            double        current_ug_kg_min,
                                            double        change_ug_kg_min);
void        tt_advice_card_set_reason      (TtAdviceCard *self,
                                            const char   *reason,
                                            const char   *limit);
void        tt_advice_card_set_next_review (TtAdviceCard *self,
                                            int           seconds);
gboolean    tt_advice_card_get_answerable  (TtAdviceCard *self);

G_END_DECLS
