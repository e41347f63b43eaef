/* tt-case.h: the case model. One anaesthetic case from setup to its end: the setup, the readiness
 * checklist, the case clock and state, the events, the infusion the clinician confirmed, the
 * current advice and the clinician's answers, and the alerts. A plain GObject: no GTK, no I/O, no
 * wall clock. Every time is an argument in ms on the case's monotonic clock.
 *
 * Everything that changes is a property with notify (for the GUI to bind) and is also reported
 * through the "log" signal (for the store to write), so neither needs to know the other.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <gio/gio.h>

#include "tt-alert.h"
#include "tt-checklist-item.h"
#include "tt-dose.h"
#include "tt-signal.h"

G_BEGIN_DECLS

/* Target band (CLINICAL.md §3): default lower bound max(65, 80 % of baseline), upper = lower + 20
 * [est]; lower editable within 55–100; upper at least lower + 10 and at most 130. */
#define TT_CASE_TARGET_ABSOLUTE_LO     65.0
#define TT_CASE_TARGET_RELATIVE_LO     0.80
#define TT_CASE_TARGET_DEFAULT_WIDTH   20.0   /* [est] */
#define TT_CASE_TARGET_LO_MIN          55.0
#define TT_CASE_TARGET_LO_MAX          100.0
#define TT_CASE_TARGET_MIN_WIDTH       10.0
#define TT_CASE_TARGET_HI_MAX          130.0
/* Critical threshold for a rescue bolus (CLINICAL.md §3): lower bound − 10, never below 50 [est]. */
#define TT_CASE_CRITICAL_BELOW_LO      10.0   /* [est] */
#define TT_CASE_CRITICAL_FLOOR         50.0   /* [est] */

/* The rule that turns a baseline into the default band (CLINICAL.md §3 [est]): the lower bound is
 * the larger of an absolute threshold (65 mmHg) and a percentage of the baseline (80 %), or either
 * alone; the upper bound lies a fixed width above it; the critical threshold a fixed offset below
 * it, never below TT_CASE_CRITICAL_FLOOR. The department may change the figures (preferences)
 * within the ranges below; tt_band_rule_validate() words what is outside them. */
typedef enum {
  TT_BAND_RULE_LARGER = 0,     /* max (absolute, relative % of baseline): the default */
  TT_BAND_RULE_ABSOLUTE,       /* the absolute threshold only */
  TT_BAND_RULE_RELATIVE,       /* the percentage of the baseline only */
} TtBandRuleKind;

#define TT_BAND_RULE_RELATIVE_MIN_PCT   50.0    /* [est] */
#define TT_BAND_RULE_RELATIVE_MAX_PCT   100.0
#define TT_BAND_RULE_WIDTH_MAX          40.0    /* [est]; the minimum is TT_CASE_TARGET_MIN_WIDTH */
#define TT_BAND_RULE_CRITICAL_MIN       5.0     /* [est] */
#define TT_BAND_RULE_CRITICAL_MAX       30.0    /* [est] */

typedef struct {
  TtBandRuleKind kind;
  double         absolute_lo;      /* mmHg, 55–100; default 65 */
  double         relative_pct;     /* % of baseline, 50–100; default 80 */
  double         width;            /* mmHg, 10–40; default 20 [est] */
  double         critical_offset;  /* mmHg below the lower bound, 5–30; default 10 [est] */
} TtBandRule;

void         tt_band_rule_init             (TtBandRule       *rule);
gboolean     tt_band_rule_validate         (const TtBandRule *rule,
                                            GError          **error);
/* The band of @rule for @baseline_map, in whole mmHg, clamped to the editable ranges. */
void         tt_band_rule_apply            (const TtBandRule *rule,
                                            double            baseline_map,
                                            double           *target_lo,
                                            double           *target_hi);
const char  *tt_band_rule_kind_to_string   (TtBandRuleKind    kind);
gboolean     tt_band_rule_kind_from_string (const char       *name,
                                            TtBandRuleKind   *kind);

/* The analysis window after the start of induction (CLINICAL.md §3): the case moves from
 * induction to maintenance when it ends. */
#define TT_CASE_INDUCTION_WINDOW_MS    (15 * 60 * 1000)
/* DESIGN.md "Alerts": syringe empty within 15 min at the current rate. */
#define TT_CASE_SYRINGE_WARN_MS        (15 * 60 * 1000)

#define TT_CASE_ERROR (tt_case_error_quark ())

typedef enum {
  TT_CASE_ERROR_INVALID,             /* a value outside its allowed range */
  TT_CASE_ERROR_NEEDS_CONFIRMATION,  /* the 10-fold guard: allowed, but only when confirmed */
  TT_CASE_ERROR_STATE,               /* not possible in the case's current state */
  TT_CASE_ERROR_TIME,                /* a time earlier than the case clock */
} TtCaseError;

typedef enum {
  TT_CASE_STATE_SETUP,
  TT_CASE_STATE_CHECKLIST,
  TT_CASE_STATE_READY,         /* every checklist item confirmed, or overridden with a reason */
  TT_CASE_STATE_INDUCTION,     /* from t0 (start of induction) for TT_CASE_INDUCTION_WINDOW_MS */
  TT_CASE_STATE_MAINTENANCE,
  TT_CASE_STATE_ENDED,
  TT_CASE_STATE_INTERRUPTED,   /* found open after a crash: resume or end */
} TtCaseState;

/* The fields of the setup, to attach an error to the row that shows it. */
typedef enum {
  TT_SETUP_LABEL,
  TT_SETUP_WEIGHT,
  TT_SETUP_BASELINE,
  TT_SETUP_TARGET_LO,
  TT_SETUP_TARGET_HI,
  TT_SETUP_CONCENTRATION,
  TT_SETUP_START_RATE,
  TT_SETUP_BOLUS,
  TT_SETUP_SYRINGE,
  TT_SETUP_DEAD_SPACE,
  TT_N_SETUP_FIELDS
} TtSetupField;

typedef enum {
  TT_CASE_EVENT_INDUCTION,
  TT_CASE_EVENT_INTUBATION,
  TT_CASE_EVENT_INCISION,
  TT_CASE_EVENT_POSITION,
  TT_CASE_EVENT_NOTE,
  TT_CASE_EVENT_BOLUS,
  TT_CASE_EVENT_RATE,          /* the confirmed infusion rate changed */
  TT_CASE_EVENT_SYRINGE,       /* a new syringe was loaded */
  TT_CASE_EVENT_END,
  TT_N_CASE_EVENTS
} TtCaseEventKind;

typedef enum {
  TT_ANSWER_NONE,              /* not answered yet */
  TT_ANSWER_ACCEPTED,          /* set on the pump as advised */
  TT_ANSWER_CHANGED,           /* the clinician set another rate, entered here */
  TT_ANSWER_DECLINED,          /* not followed, with a reason */
} TtAnswer;

GType tt_case_state_get_type      (void) G_GNUC_CONST;
GType tt_case_event_kind_get_type (void) G_GNUC_CONST;
GType tt_answer_get_type          (void) G_GNUC_CONST;
#define TT_TYPE_CASE_STATE (tt_case_state_get_type ())
#define TT_TYPE_CASE_EVENT_KIND (tt_case_event_kind_get_type ())
#define TT_TYPE_ANSWER (tt_answer_get_type ())

/* What the clinician enters before the checklist. Units: kg, mmHg, µg/mL, µg/kg/min, µg, mL. */
typedef struct {
  char       *label;           /* pseudonymous case label, never a name */
  double      weight_kg;
  double      baseline_map;
  double      target_lo;
  double      target_hi;
  TtLineType  line;
  double      concentration;   /* µg/mL */
  double      start_rate;      /* µg/kg/min */
  double      bolus_ug;        /* rescue bolus, drawn from the same concentration */
  double      syringe_ml;      /* volume in the syringe when the infusion starts */
  double      dead_space_ml;   /* unprimed volume between the syringe and the cannula */
  gboolean    confirmed;       /* the clinician confirmed what the 10-fold guard flagged */
  /* The department's defaults the case was set up with (preferences): the band rule (its
   * critical offset sets the critical threshold) and the limits per line type, indexed by
   * TtLineType. tt_case_setup_new() fills CLINICAL.md's defaults. */
  TtBandRule  band_rule;
  TtLimits    limits[TT_LINE_CENTRAL + 1];
} TtCaseSetup;

#define TT_TYPE_CASE_SETUP (tt_case_setup_get_type ())
GType        tt_case_setup_get_type (void) G_GNUC_CONST;
/* A setup filled with the defaults below (weight 70 kg, baseline 90 mmHg, band from baseline,
 * peripheral line, 20 µg/mL, 0.05 µg/kg/min, 10 µg bolus, 50 mL syringe, 1 mL dead space). */
TtCaseSetup *tt_case_setup_new      (void);
TtCaseSetup *tt_case_setup_copy     (const TtCaseSetup *setup);
void         tt_case_setup_free     (TtCaseSetup       *setup);

/* The default band for a baseline (CLINICAL.md §3, the default rule). */
void         tt_case_setup_default_band   (double             baseline_map,
                                           double            *target_lo,
                                           double            *target_hi);
/* Sets the setup's band from its baseline by its band rule. */
void         tt_case_setup_apply_band_rule (TtCaseSetup      *setup);
/* Lower bound − the rule's critical offset, never below TT_CASE_CRITICAL_FLOOR. */
double       tt_case_setup_critical_map   (const TtCaseSetup *setup);
/* The limits for the setup's line type (setup->limits[setup->line]); conversions and formatting
 * are tt-dose's: tt_dose_ml_h (rate, setup->weight_kg, setup->concentration) and so on. */
void         tt_case_setup_get_limits     (const TtCaseSetup *setup,
                                           TtLimits          *limits);
/* Checks one field; the error names the field, the value and the allowed range (in TT_DOSE_ERROR
 * for what tt-dose validates, in TT_CASE_ERROR otherwise). The 10-fold guard fails with
 * TT_CASE_ERROR_NEEDS_CONFIRMATION and tt-dose's reason unless setup->confirmed is set. */
gboolean     tt_case_setup_check_field    (const TtCaseSetup *setup,
                                           TtSetupField       field,
                                           GError           **error);
/* Checks every field; on failure sets @bad_field (if not NULL) to the first one that failed. */
gboolean     tt_case_setup_check          (const TtCaseSetup *setup,
                                           TtSetupField      *bad_field,
                                           GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtCaseSetup, tt_case_setup_free)

/* One entry of the case's timeline (events are what the chart marks). */
typedef struct {
  guint            id;         /* 1, 2, … in order */
  gint64           t_ms;
  TtCaseEventKind  kind;
  char            *text;       /* free text or a description; may be NULL */
  double           value;      /* µg for a bolus, µg/kg/min for a rate, mL for a syringe; else NAN */
} TtCaseEvent;

/* One step of the confirmed infusion rate (the chart draws these as a step line). */
typedef struct {
  gint64    t_ms;
  double    rate;              /* µg/kg/min */
  double    mlh;               /* mL/h at the setup's weight and concentration */
  TtAnswer  answer;            /* the answer that set it, or TT_ANSWER_NONE for a direct change */
} TtRateChange;

/* The advice the case holds until the clinician answers it. The advisor's own result is turned
 * into this by the caller; the case keeps only what the answer needs and the log records. */
typedef struct {
  guint    id;                 /* set by the case */
  gint64   t_ms;
  double   rate;               /* advised µg/kg/min; NAN when the advice does not change the rate */
  double   bolus_ug;           /* advised bolus in µg; 0 when none */
  char    *summary;            /* what to do, e.g. "Increase to 0.11 µg/kg/min" */
  char    *reason;             /* the sentence a clinician reads in two seconds */
} TtCaseAdvice;

#define TT_TYPE_CASE_ADVICE (tt_case_advice_get_type ())
GType         tt_case_advice_get_type (void) G_GNUC_CONST;
TtCaseAdvice *tt_case_advice_new      (gint64              t_ms,
                                       double              rate,
                                       double              bolus_ug,
                                       const char         *summary,
                                       const char         *reason);
TtCaseAdvice *tt_case_advice_copy     (const TtCaseAdvice *advice);
void          tt_case_advice_free     (TtCaseAdvice       *advice);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtCaseAdvice, tt_case_advice_free)

#define TT_TYPE_CASE (tt_case_get_type ())

/* Signals:
 *   "log" (gint64 t_ms, const char *kind, GVariant *details): every change, for the session log.
 *       kind is one of "setup", "state", "checklist-tick", "checklist-untick",
 *       "checklist-override", "event", "rate", "bolus", "syringe", "advice", "answer",
 *       "alert-raised", "alert-acknowledged", "alert-cleared"; details is an a{sv} dictionary
 *       with the figures (units in the key names: "rate_ug_kg_min", "mlh", "dose_ug", …).
 *   "event-added" (const TtCaseEvent *event): a new entry of the timeline, for the chart.
 *
 * Properties (all read-only, with notify): state, training, source, start-unix-ms, now-ms, t0-ms,
 * setup (TtCaseSetup), label, checklist (GListModel), checklist-done, override-reason, rate,
 * rate-mlh, infused-ml, total-ug, total-ug-per-kg, bolus-count, syringe-left-ml,
 * time-to-empty-ms, advice (TtCaseAdvice), alerts (GListModel). */
G_DECLARE_FINAL_TYPE (TtCase, tt_case, TT, CASE, GObject)

/* @training: a virtual patient or a replay (shown with the TRAINING mark); @source describes the
 * feed ("virtual patient", "HL7 monitor feed", "replay of case1.csv"); @start_unix_ms is the
 * wall-clock start in UTC, stored once, read by the caller. */
TtCase             *tt_case_new                  (gboolean            training,
                                                  const char         *source,
                                                  gint64              start_unix_ms);

TtCaseState         tt_case_get_state            (TtCase             *self);
gboolean            tt_case_get_training         (TtCase             *self);
const char         *tt_case_get_source           (TtCase             *self);
gint64              tt_case_get_start_unix_ms    (TtCase             *self);
/* The case clock: the latest time the case has seen. */
gint64              tt_case_get_now_ms           (TtCase             *self);
/* Time of the start of induction (t0), or -1 before. */
gint64              tt_case_get_t0_ms            (TtCase             *self);
/* Advances the case clock: infusion totals, the syringe, induction → maintenance. */
gboolean            tt_case_tick                 (TtCase             *self,
                                                  gint64              now_ms,
                                                  GError            **error);

/* Setup. NULL until set. Setting it moves setup → checklist; it checks every field first. */
const TtCaseSetup  *tt_case_get_setup            (TtCase             *self);
gboolean            tt_case_set_setup            (TtCase             *self,
                                                  const TtCaseSetup  *setup,
                                                  gint64              t_ms,
                                                  GError            **error);
/* Back from the checklist to the setup. Items keep their tick unless what they confirm changes. */
gboolean            tt_case_edit_setup           (TtCase             *self,
                                                  gint64              t_ms,
                                                  GError            **error);

/* Checklist: a GListModel of TtChecklistItem in TtChecklistId order. */
GListModel         *tt_case_get_checklist        (TtCase             *self);
TtChecklistItem    *tt_case_get_checklist_item   (TtCase             *self,
                                                  TtChecklistId       id);
guint               tt_case_get_checklist_done   (TtCase             *self);
gboolean            tt_case_tick_item            (TtCase             *self,
                                                  TtChecklistId       id,
                                                  gint64              t_ms,
                                                  GError            **error);
gboolean            tt_case_untick_item          (TtCase             *self,
                                                  TtChecklistId       id,
                                                  gint64              t_ms,
                                                  GError            **error);
/* Makes the case ready with items still open; @reason must say why (it is logged and reported). */
gboolean            tt_case_override_checklist   (TtCase             *self,
                                                  const char         *reason,
                                                  gint64              t_ms,
                                                  GError            **error);
const char         *tt_case_get_override_reason  (TtCase             *self);

/* State changes. */
gboolean            tt_case_start_induction      (TtCase             *self,
                                                  gint64              t_ms,
                                                  GError            **error);
gboolean            tt_case_end                  (TtCase             *self,
                                                  gint64              t_ms,
                                                  GError            **error);
/* For crash recovery: a case rebuilt from the log is marked interrupted, then resumed or ended. */
void                tt_case_interrupt            (TtCase             *self);
gboolean            tt_case_resume               (TtCase             *self,
                                                  gint64              t_ms,
                                                  GError            **error);

/* Events (intubation, incision, position, note). Induction, bolus, rate, syringe and end have
 * their own functions below. */
gboolean            tt_case_add_event            (TtCase             *self,
                                                  TtCaseEventKind     kind,
                                                  const char         *text,
                                                  gint64              t_ms,
                                                  GError            **error);
/* Every event so far, of TtCaseEvent, in time order. */
GArray             *tt_case_get_events           (TtCase             *self);

/* Infusion, as the clinician confirmed it. */
double              tt_case_get_rate             (TtCase             *self);
double              tt_case_get_rate_mlh         (TtCase             *self);
/* Rate changes so far, of TtRateChange, in time order. */
GArray             *tt_case_get_rate_changes     (TtCase             *self);
gint64              tt_case_get_last_rate_change_ms (TtCase          *self);
gint64              tt_case_get_last_bolus_ms    (TtCase             *self);
guint               tt_case_get_bolus_count      (TtCase             *self);
double              tt_case_get_bolus_total_ug   (TtCase             *self);
/* Total NE given: infusion delivered so far plus boluses, in µg and µg/kg. */
double              tt_case_get_total_ug         (TtCase             *self);
double              tt_case_get_total_ug_per_kg  (TtCase             *self);
double              tt_case_get_infused_ml       (TtCase             *self);
double              tt_case_get_syringe_left_ml  (TtCase             *self);
/* Time until the syringe is empty at the current rate, or -1 when the infusion is stopped. */
gint64              tt_case_get_time_to_empty_ms (TtCase             *self);
/* A rate the clinician set without an advice. tt_dose_check_rate() applies: what it flags needs
 * @confirmed (else TT_CASE_ERROR_NEEDS_CONFIRMATION with its reason); above the hard limit is
 * refused. The same holds for a bolus (tt_dose_check_bolus() against the bolus drawn). */
gboolean            tt_case_set_rate             (TtCase             *self,
                                                  double              rate,
                                                  gboolean            confirmed,
                                                  gint64              t_ms,
                                                  GError            **error);
gboolean            tt_case_give_bolus           (TtCase             *self,
                                                  double              dose_ug,
                                                  gboolean            confirmed,
                                                  gint64              t_ms,
                                                  GError            **error);
gboolean            tt_case_replace_syringe      (TtCase             *self,
                                                  double              volume_ml,
                                                  gint64              t_ms,
                                                  GError            **error);

/* Advice and answers. The answer, not the advice, changes the infusion. */
const TtCaseAdvice *tt_case_get_advice           (TtCase             *self);
void                tt_case_set_advice           (TtCase             *self,
                                                  const TtCaseAdvice *advice);
gboolean            tt_case_accept_advice        (TtCase             *self,
                                                  gint64              t_ms,
                                                  GError            **error);
gboolean            tt_case_change_advice        (TtCase             *self,
                                                  double              actual_rate,
                                                  gboolean            confirmed,
                                                  gint64              t_ms,
                                                  GError            **error);
gboolean            tt_case_decline_advice       (TtCase             *self,
                                                  const char         *reason,
                                                  gint64              t_ms,
                                                  GError            **error);
guint               tt_case_get_answer_count     (TtCase             *self,
                                                  TtAnswer            answer);

/* Alerts: a GListModel of the active TtAlert, highest priority first. */
GListModel         *tt_case_get_alerts           (TtCase             *self);
TtAlert            *tt_case_find_alert           (TtCase             *self,
                                                  TtAlertKind         kind);
gboolean            tt_case_acknowledge_alert    (TtCase             *self,
                                                  TtAlertKind         kind,
                                                  gint64              t_ms,
                                                  GError            **error);
/* Feeds the signal state of each grid step: raises and clears the MAP-critical and no-signal
 * alerts and advances the clock. */
void                tt_case_update_signal        (TtCase             *self,
                                                  const TtSignalState *state);

/* Stable identifiers for the log; never translated. */
const char         *tt_case_state_to_string      (TtCaseState         state);
const char         *tt_case_event_kind_to_string (TtCaseEventKind     kind);
const char         *tt_answer_to_string          (TtAnswer            answer);
/* For the screen. */
const char         *tt_case_state_describe       (TtCaseState         state);
const char         *tt_case_event_kind_describe  (TtCaseEventKind     kind);

GQuark              tt_case_error_quark          (void);

G_END_DECLS
