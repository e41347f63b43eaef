/* tt-settings.h: what the preferences mean for a new case. The keys live in
 * data/io.github.titrate.Titrate.gschema.xml; the figures are checked by the engine
 * (tt_band_rule_validate(), tt_limits_validate()) before they are stored and again when they are
 * read, so that a key edited by hand outside Titrate never reaches a case.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tt-case.h"

G_BEGIN_DECLS

/* The band rule of the keys; FALSE (and @error set, @rule holding CLINICAL.md's defaults) when
 * the stored figures are not valid. */
gboolean  tt_settings_get_band_rule      (GSettings         *settings,
                                          TtBandRule        *rule,
                                          GError           **error);
/* The limits of @line (rates of its key, boluses of limits-bolus); FALSE (and @error set,
 * @limits holding the defaults) when the stored figures are not valid together. */
gboolean  tt_settings_get_limits         (GSettings         *settings,
                                          TtLineType         line,
                                          TtLimits          *limits,
                                          GError           **error);
/* Stores the rate limits of limits->line and the bolus limits, only when tt_limits_validate()
 * accepts them together with the other line's; otherwise stores nothing and sets @error. */
gboolean  tt_settings_set_limits         (GSettings         *settings,
                                          const TtLimits    *limits,
                                          GError           **error);
/* The concentrations offered (sorted, each checked by tt-dose); a new array of double. */
GArray   *tt_settings_get_concentrations (GSettings         *settings);
/* Fills what a new case starts from: the band rule and the band it gives for the setup's
 * baseline, the limits per line type, the rescue bolus and the concentration. Figures that are
 * not valid are replaced by CLINICAL.md's defaults and listed in @problems (may be NULL): one
 * sentence per key. */
void      tt_settings_load_case_defaults (GSettings         *settings,
                                          TtCaseSetup       *setup,
                                          GString           *problems);

G_END_DECLS
