/* tt-advisor.h: the infusion advisor (DESIGN.md, "The advisor's contract").
 *
 * At every step of the resampling grid the advisor reads the signal state, the infusion the
 * clinician confirmed and the target band, and returns one advice: hold, increase, decrease,
 * stop, rescue bolus, or no advice (signal). It aims at the middle of the band: it holds while MAP
 * is in the band's middle part and corrects by small steps from the outer parts. tt_advisor_step() is a pure function of its
 * arguments; TtAdvisor is a small wrapper that remembers the times of the last rate change, the
 * last bolus and since when MAP has been above the band.
 *
 * Units: rates µg/kg/min (and mL/h for the loaded syringe), pressures mmHg, slopes mmHg/min,
 * boluses µg (and mL), times ms on the case clock.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tt-dose.h"
#include "tt-signal.h"

G_BEGIN_DECLS

#define TT_ADVISOR_ERROR (tt_advisor_error_quark ())

typedef enum {
  TT_ADVISOR_ERROR_BAND,
  TT_ADVISOR_ERROR_START_RATE,
  TT_ADVISOR_ERROR_PARAMS,
} TtAdvisorError;

/* CLINICAL.md §3 [est]: lower bound max(65, 80 % of baseline), upper = lower + 20; editable with
 * the lower bound 55–100 mmHg and the upper at least lower + 10, at most 130 mmHg. */
#define TT_BAND_LOW_MIN          55.0
#define TT_BAND_LOW_MAX         100.0
#define TT_BAND_WIDTH_MIN        10.0
#define TT_BAND_HIGH_MAX        130.0
/* INDUCT's infusion (CLINICAL.md §1): the rate a stopped infusion is (re)started at. */
#define TT_ADVISOR_START_RATE    0.05
/* INDUCT's bolus (CLINICAL.md §1): the rescue bolus drawn at the checklist. */
#define TT_ADVISOR_BOLUS_UG     10.0

typedef enum {
  TT_ADVICE_HOLD,
  TT_ADVICE_INCREASE,
  TT_ADVICE_DECREASE,
  TT_ADVICE_STOP,
  TT_ADVICE_RESCUE_BOLUS,   /* a bolus now; the rate may increase too (change > 0) */
  TT_ADVICE_NO_ADVICE,      /* the signal or the setup cannot be trusted: the rate stays */
  TT_N_ADVICE_KINDS
} TtAdviceKind;

typedef enum {
  TT_REASON_SIGNAL_FLAGGED,     /* the current sample is an artifact (flush, zeroing, …) */
  TT_REASON_SIGNAL_STALE,       /* no valid sample for more than 10 s */
  TT_REASON_NO_SIGNAL,          /* no valid MAP at all yet */
  TT_REASON_SETUP_INVALID,      /* weight, concentration, rate, band … out of range */
  TT_REASON_IN_BAND,
  TT_REASON_BELOW_BAND,         /* increase */
  TT_REASON_FALLING,            /* in the band but will leave it downwards: increase early */
  TT_REASON_START,              /* infusion stopped and MAP below the band: start it */
  TT_REASON_RISING,             /* below the band but rising into it: hold */
  TT_REASON_WAITING,            /* the last change has not acted yet: hold */
  TT_REASON_LINE_DELAY,         /* the drug has not reached the patient yet (unprimed line): hold */
  TT_REASON_AT_LIMIT,           /* below the band at the soft maximum: hold */
  TT_REASON_CRITICAL,           /* below the critical threshold: bolus and/or increase */
  TT_REASON_FALLING_FAST,       /* falling fast toward the critical threshold: bolus */
  TT_REASON_ABOVE_BAND,         /* decrease or stop */
  TT_REASON_ABOVE_BAND_BRIEF,   /* above the band too briefly to act (intubation): hold */
  TT_REASON_ABOVE_BAND_FALLING, /* above the band but coming back: hold */
  TT_REASON_STOPPED,            /* the infusion is stopped and MAP is not below the band */
  TT_REASON_LOW_IN_BAND,        /* in the band's lower part and not coming back to the middle:
                                 * increase a little */
  TT_REASON_HIGH_IN_BAND,       /* in the band's upper part for long and not coming back to the
                                 * middle: decrease a little */
  TT_N_REASONS
} TtAdviceReason;

/* The limits that shaped an advice. */
typedef enum {
  TT_LIMIT_NONE           = 0,
  TT_LIMIT_STEP           = 1 << 0,   /* step capped at the advisor's max step */
  TT_LIMIT_STEP_RATIO     = 1 << 1,   /* increase capped at step_ratio × the current rate */
  TT_LIMIT_CRITICAL_STEP  = 1 << 2,   /* a step beyond the max step, MAP being critically low */
  TT_LIMIT_START          = 1 << 3,   /* start rate capped at the step limit */
  TT_LIMIT_SOFT_MAX       = 1 << 4,   /* capped at (or held at) the soft maximum */
  TT_LIMIT_ABOVE_SOFT_MAX = 1 << 5,   /* the advised rate is above the soft maximum: confirm */
  TT_LIMIT_HARD_MAX       = 1 << 6,   /* capped at the hard maximum */
  TT_LIMIT_SOFT_MIN       = 1 << 7,   /* a decrease stopped at the soft minimum, or a stop */
  TT_LIMIT_REEVAL         = 1 << 8,   /* a wanted rate change waits for the re-evaluation time */
  TT_LIMIT_LINE_DELAY     = 1 << 9,   /* an unprimed line delays the drug by more than the warning */
  TT_LIMIT_BOLUS_LOCKOUT  = 1 << 10,  /* a wanted bolus is locked out */
  TT_LIMIT_BOLUS_SOFT_MAX = 1 << 11,  /* the bolus is capped at the bolus soft maximum */
  TT_LIMIT_NO_BOLUS       = 1 << 12,  /* a bolus is wanted but none was drawn */
  TT_N_LIMIT_FLAGS        = 13
} TtLimitFlags;

/* The advisor's tuning. tt_advisor_params_init() fills the defaults; every figure is from
 * CLINICAL.md or marked [est] there and in the README section "The advisor". */
typedef struct {
  TtLimits limits;               /* per line type (CLINICAL.md §2) */
  gint64   reeval_ms;            /* 120 000 [est]: no rate change sooner after the last */
  gint64   band_reeval_ms;       /* 240 000 [est]: the same for a correction while MAP is in the
                                  * band (from its outer parts toward the middle) */
  gint64   critical_reeval_ms;   /* 60 000 [est]: the same when MAP is critically low */
  gint64   bolus_lockout_ms;     /* 120 000 [est]: no bolus sooner after the last */
  gint64   above_band_hold_ms;   /* 120 000 [est]: MAP above the band's middle part this long
                                  * before reducing, and no early increase this long after it
                                  * was above the band */
  double   above_band_hysteresis;/* 3 mmHg [est]: the "high since" clock stops only 3 mmHg below
                                  * the middle part's top (TtAdvisor) */
  double   hold_fraction;        /* 0.25 [est]: the middle part, where the advisor holds, is the
                                  * middle ± this fraction of the band's width */
  gint64   line_delay_warn_ms;   /* 120 000 [est]: warn when an unprimed line delays the drug longer */
  gint64   hold_review_ms;       /* 30 000 [est]: the next review shown for a plain hold */
  double   step_min;             /* 0.01 µg/kg/min [est]: the smallest step, and its resolution */
  double   step_max;             /* 0.02 µg/kg/min [est]: the largest step */
  double   critical_step_max;    /* 0.04 µg/kg/min [est]: largest step when critical, no bolus */
  double   gain;                 /* 0.002 µg/kg/min per mmHg [est]: step per mmHg off the band */
  double   horizon_min;          /* 1 min [est]: MAP predicted this far ahead from its slope */
  double   slope_clamp;          /* 10 mmHg/min [est]: slopes beyond are treated as ±10 */
  double   coming_back;          /* 2 mmHg/min [est]: MAP above the middle part and falling at
                                  * least this fast is coming back by itself: no decrease */
  double   fast_fall;            /* 5 mmHg/min [est]: a fall at least this fast … */
  double   fast_fall_horizon_min;/* 1 min [est]: … reaching the critical threshold this soon */
  double   critical_offset;      /* 10 mmHg [est]: critical threshold = lower bound − 10 … */
  double   critical_floor;       /* 50 mmHg [est]: … never below 50 */
} TtAdvisorParams;

/* Everything one step depends on. Durations < 0 mean "never". */
typedef struct {
  TtSignalState signal;
  double        rate;                 /* µg/kg/min the clinician confirmed is running */
  double        concentration;        /* µg/mL in the syringe */
  double        weight_kg;
  double        unprimed_ml;          /* drug-free fluid still in the line ahead of the drug: 0
                                       * when the line was primed to the cannula, or once the
                                       * drug has reached the patient */
  double        band_low;             /* mmHg */
  double        band_high;            /* mmHg */
  double        start_rate;           /* µg/kg/min to (re)start a stopped infusion at */
  double        bolus_ug;             /* rescue bolus drawn; 0 when none */
  double        bolus_concentration;  /* µg/mL of the bolus syringe */
  gint64        since_change_ms;      /* since the last rate change; < 0: none */
  gint64        since_bolus_ms;       /* since the last bolus; < 0: none */
  gint64        above_band_ms;        /* how long MAP has been above the band without a break */
  gint64        high_ms;              /* how long MAP has been above the band's middle part
                                       * without a break (TtAdvisor: with the hysteresis) */
  gint64        since_above_band_ms;  /* since MAP was last above the band; < 0: never */
} TtAdvisorInput;

/* One advice. Every double is finite; every string is set except bolus_text and limit_text,
 * which are NULL when there is no bolus or nothing limited the advice (and all of them with
 * tt_advisor_decide()). */
typedef struct {
  gint64          t_ms;
  TtAdviceKind    kind;
  TtAdviceReason  reason;
  TtLimitFlags    limits;
  double          current_rate;    /* µg/kg/min running now */
  double          current_ml_h;
  double          rate;            /* µg/kg/min advised; = current_rate when the rate holds */
  double          ml_h;            /* mL/h for the loaded syringe (unrounded) */
  double          change;          /* rate − current_rate, µg/kg/min */
  gboolean        bolus;
  double          bolus_ug;        /* 0 without a bolus */
  double          bolus_ml;
  double          critical_mmhg;   /* the critical threshold used; 0 when the band is invalid */
  gint64          next_review_ms;  /* when the advisor will next consider a rate change */
  char           *title;           /* "Increase to 0.11 µg/kg/min" */
  char           *rate_text;       /* "0.11 µg/kg/min = 23.8 mL/h (now 0.09, +0.02 µg/kg/min)" */
  char           *bolus_text;      /* "10 µg = 0.5 mL of 20 µg/mL" or NULL */
  char           *sentence;        /* "MAP 53 mmHg is 17 mmHg below the band and falling …" */
  char           *limit_text;      /* "Step capped at +0.02 µg/kg/min (max step [est])." or NULL */
} TtAdvice;

GQuark        tt_advisor_error_quark        (void);

void          tt_advisor_params_init        (TtAdvisorParams       *params,
                                             TtLineType             line);
gboolean      tt_advisor_params_validate    (const TtAdvisorParams *params,
                                             GError               **error);
void          tt_advisor_input_init         (TtAdvisorInput        *input);
gboolean      tt_advisor_validate_input     (const TtAdvisorParams *params,
                                             const TtAdvisorInput  *input,
                                             GError               **error);

void          tt_advisor_default_band       (double                 baseline_map,
                                             double                *low,
                                             double                *high);
gboolean      tt_advisor_validate_band      (double                 low,
                                             double                 high,
                                             GError               **error);
double        tt_advisor_critical_threshold (const TtAdvisorParams *params,
                                             double                 band_low);

/* The advisor. @out is overwritten (clear it first if it holds an advice). */
void          tt_advisor_step               (const TtAdvisorParams *params,
                                             const TtAdvisorInput  *input,
                                             TtAdvice              *out);
/* The same decision, numbers and flags only (every string NULL): for simulations. */
void          tt_advisor_decide             (const TtAdvisorParams *params,
                                             const TtAdvisorInput  *input,
                                             TtAdvice              *out);

void          tt_advice_clear               (TtAdvice              *advice);
void          tt_advice_copy                (const TtAdvice        *src,
                                             TtAdvice              *dest);
const char   *tt_advice_kind_to_string      (TtAdviceKind           kind);
const char   *tt_advice_reason_to_string    (TtAdviceReason         reason);
char         *tt_limit_flags_to_string      (TtLimitFlags           flags);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TtAdvice, tt_advice_clear)

/* The stateful wrapper: feed it the clinician's answers and every grid step's signal. */
typedef struct _TtAdvisor TtAdvisor;

TtAdvisor    *tt_advisor_new                (const TtAdvisorParams *params);
void          tt_advisor_free               (TtAdvisor             *self);
const TtAdvisorParams *tt_advisor_get_params (TtAdvisor            *self);
void          tt_advisor_set_infusion       (TtAdvisor             *self,
                                             double                 concentration,
                                             double                 weight_kg,
                                             double                 unprimed_ml);
void          tt_advisor_set_band           (TtAdvisor             *self,
                                             double                 low,
                                             double                 high);
void          tt_advisor_set_start_rate     (TtAdvisor             *self,
                                             double                 start_rate);
void          tt_advisor_set_bolus          (TtAdvisor             *self,
                                             double                 bolus_ug,
                                             double                 concentration);
void          tt_advisor_set_texts          (TtAdvisor             *self,
                                             gboolean               texts);
void          tt_advisor_rate_set           (TtAdvisor             *self,
                                             gint64                 t_ms,
                                             double                 rate);
void          tt_advisor_bolus_given        (TtAdvisor             *self,
                                             gint64                 t_ms);
double        tt_advisor_get_rate           (TtAdvisor             *self);
double        tt_advisor_get_unprimed_ml    (TtAdvisor             *self);
void          tt_advisor_update             (TtAdvisor             *self,
                                             const TtSignalState   *signal,
                                             TtAdvice              *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtAdvisor, tt_advisor_free)

G_END_DECLS
