/* tt-dose.h: norepinephrine dose arithmetic, validation of what a clinician enters, and the
 * soft and hard limits (CLINICAL.md §2).
 *
 * Units, everywhere: rates in µg/kg/min (the clinical unit) or mL/h (what the pump is set to),
 * concentrations in µg/mL, weights in kg, boluses in µg or mL, times in ms on the case clock.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TT_DOSE_ERROR (tt_dose_error_quark ())

/* Which field was wrong: each error message names the field, the value with its unit and the
 * allowed range. */
typedef enum {
  TT_DOSE_ERROR_WEIGHT,
  TT_DOSE_ERROR_CONCENTRATION,
  TT_DOSE_ERROR_RATE,
  TT_DOSE_ERROR_BOLUS,
  TT_DOSE_ERROR_DEAD_SPACE,
  TT_DOSE_ERROR_LIMITS,
} TtDoseError;

/* Patient weight and concentration ranges accepted at setup (CLINICAL.md §2; the issue). */
#define TT_DOSE_WEIGHT_MIN_KG        30.0
#define TT_DOSE_WEIGHT_MAX_KG       250.0
#define TT_DOSE_CONCENTRATION_MIN     1.0
#define TT_DOSE_CONCENTRATION_MAX   200.0
/* The smallest bolus worth drawing up [est]; CLINICAL.md §1 lists 5, 10 and 20 µg as usual. */
#define TT_DOSE_BOLUS_MIN_UG          1.0
/* Dead space of the line between the syringe and the patient's blood [est]: an extension line
 * holds about 1 mL per metre; more than 10 mL is a typing error. */
#define TT_DOSE_DEAD_SPACE_MAX_ML    10.0

typedef enum {
  TT_LINE_PERIPHERAL,
  TT_LINE_CENTRAL,
} TtLineType;

/* The limits an advice and an entered value are checked against. Defaults per line type come
 * from CLINICAL.md §2 (all [est] there except the pump-library soft minimum); preferences may
 * override them within tt_limits_validate(). Rates in µg/kg/min, boluses in µg. */
typedef struct {
  TtLineType line;
  double     rate_soft_min;    /* 0.01: below this (but above 0) asks for confirmation */
  double     rate_soft_max;    /* 0.3 central, 0.2 peripheral [est]: above asks for confirmation */
  double     rate_hard_max;    /* 1.0 [est]: above is refused */
  double     step_ratio;       /* 2 [est]: an increase to more than 2× the current rate is flagged */
  double     step_abs;         /* 0.05 [est]: a change of more than 0.05 µg/kg/min is flagged */
  double     bolus_soft_max;   /* 20 µg [est] */
  double     bolus_hard_max;   /* 50 µg [est] */
  double     guard_ratio;      /* 5: an entry ≥ 5× the current one may be a 10-fold error */
} TtLimits;

/* The answer of the 10-fold guard for a value a clinician entered. */
typedef enum {
  TT_DOSE_CHECK_OK,        /* within every limit */
  TT_DOSE_CHECK_CONFIRM,   /* allowed after the clinician confirms the reason shown */
  TT_DOSE_CHECK_REFUSED,   /* outside the hard limit or not a dose: the GError says why */
} TtDoseCheck;

GQuark       tt_dose_error_quark            (void);

void         tt_limits_init                 (TtLimits    *limits,
                                             TtLineType   line);
gboolean     tt_limits_validate             (const TtLimits *limits,
                                             GError     **error);
const char  *tt_line_type_describe          (TtLineType   line);

/* Conversions. They assume validated inputs; a weight or concentration ≤ 0 gives 0. */
double       tt_dose_ug_min                 (double       rate_ug_kg_min,
                                             double       weight_kg);
double       tt_dose_ml_h                   (double       rate_ug_kg_min,
                                             double       weight_kg,
                                             double       concentration);
double       tt_dose_rate_from_ml_h         (double       ml_h,
                                             double       weight_kg,
                                             double       concentration);
double       tt_dose_rate_from_ug_min       (double       ug_min,
                                             double       weight_kg);
double       tt_dose_bolus_ml               (double       bolus_ug,
                                             double       concentration);
double       tt_dose_bolus_ug               (double       bolus_ml,
                                             double       concentration);
/* What a pump is set to: 0.1 mL/h from 1 mL/h up, 0.01 mL/h below. */
double       tt_dose_round_ml_h             (double       ml_h);

/* Syringe and line. The _ms functions return FALSE when nothing flows (rate ≤ 0). */
double       tt_dose_volume_ml              (double       ml_h,
                                             gint64       duration_ms);
double       tt_dose_syringe_left_ml        (double       volume_ml,
                                             double       ml_h,
                                             gint64       duration_ms);
gboolean     tt_dose_time_to_empty_ms       (double       volume_ml,
                                             double       ml_h,
                                             gint64      *out_ms);
gboolean     tt_dose_transport_delay_ms     (double       dead_space_ml,
                                             double       ml_h,
                                             gint64      *out_ms);

/* Validation: a GError in TT_DOSE_ERROR naming the field, the value and the allowed range. */
gboolean     tt_dose_validate_weight        (double       weight_kg,
                                             GError     **error);
gboolean     tt_dose_validate_concentration (double       concentration,
                                             GError     **error);
gboolean     tt_dose_is_standard_concentration (double    concentration);
const double *tt_dose_standard_concentrations (guint     *n);
gboolean     tt_dose_validate_rate          (const TtLimits *limits,
                                             double       rate_ug_kg_min,
                                             GError     **error);
gboolean     tt_dose_validate_bolus         (const TtLimits *limits,
                                             double       bolus_ug,
                                             GError     **error);
gboolean     tt_dose_validate_dead_space    (double       dead_space_ml,
                                             GError     **error);

/* The 10-fold guard. @current is what runs now (rate) or the bolus drawn at the checklist; 0 when
 * none. On CONFIRM, @reason (if not NULL) receives the sentence the GUI shows; on REFUSED, @error
 * is set. */
TtDoseCheck  tt_dose_check_rate             (const TtLimits *limits,
                                             double       current,
                                             double       entered,
                                             char       **reason,
                                             GError     **error);
TtDoseCheck  tt_dose_check_bolus            (const TtLimits *limits,
                                             double       current,
                                             double       entered,
                                             char       **reason,
                                             GError     **error);

/* Formatting, with units, in the current locale. */
char        *tt_dose_format_number          (double       value,
                                             int          min_decimals,
                                             int          max_decimals);
char        *tt_dose_format_rate            (double       rate_ug_kg_min);
char        *tt_dose_format_change          (double       change_ug_kg_min);
char        *tt_dose_format_ml_h            (double       ml_h);
char        *tt_dose_format_rate_both       (double       rate_ug_kg_min,
                                             double       weight_kg,
                                             double       concentration);
char        *tt_dose_format_bolus           (double       bolus_ug,
                                             double       concentration);
char        *tt_dose_format_duration        (gint64       ms);

G_END_DECLS
