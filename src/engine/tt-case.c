/* tt-case.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "tt-case.h"

/* Allowed ranges of the setup that tt-dose does not cover: plausibility bounds for adults chosen
 * here [est]. Weight, concentration, rates, boluses and dead space are tt-dose's. */
#define LABEL_MAX_CHARS        32
#define BASELINE_MIN           40.0     /* [est] */
#define BASELINE_MAX           160.0    /* [est] */
#define SYRINGE_MIN_ML         5.0      /* [est] */
#define SYRINGE_MAX_ML         100.0    /* [est] */

/* Setup defaults for the form [est]: INDUCT's 0.05 µg/kg/min and 10 µg bolus (CLINICAL.md §1),
 * the peripheral 20 µg/mL syringe (§2), a 50 mL syringe and 1 mL of extension line. */
#define DEFAULT_WEIGHT_KG      70.0
#define DEFAULT_BASELINE       90.0
#define DEFAULT_CONCENTRATION  20.0
#define DEFAULT_START_RATE     0.05
#define DEFAULT_BOLUS_UG       10.0
#define DEFAULT_SYRINGE_ML     50.0
#define DEFAULT_DEAD_SPACE_ML  1.0

struct _TtCase
{
  GObject        parent_instance;

  gboolean       training;
  char          *source;
  gint64         start_unix_ms;

  TtCaseState    state;
  TtCaseState    interrupted_state;
  gint64         now_ms;
  gint64         t0_ms;
  TtCaseSetup   *setup;
  TtLimits       limits;

  GListStore    *checklist;
  char          *override_reason;

  GArray        *events;          /* of TtCaseEvent */
  GArray        *rate_changes;    /* of TtRateChange */

  /* The infusion, integrated piecewise: what was delivered up to segment_ms, and what the
   * current syringe held then; the current rate applies from segment_ms on. */
  double         rate;
  double         mlh;
  gint64         segment_ms;
  double         delivered_ml;
  double         syringe_left_at_segment;
  gint64         last_bolus_ms;
  guint          bolus_count;
  double         bolus_total_ug;

  TtCaseAdvice  *advice;
  guint          n_advice;
  guint          answers[TT_ANSWER_DECLINED + 1];

  GListStore    *alerts;

  /* What the derived properties last notified, so that notify fires only on change. */
  struct {
    double       infused_ml;
    double       total_ug;
    double       syringe_left_ml;
    gint64       time_to_empty_ms;
  } shown;
};

G_DEFINE_FINAL_TYPE (TtCase, tt_case, G_TYPE_OBJECT)

G_DEFINE_QUARK (tt-case-error-quark, tt_case_error)

G_DEFINE_BOXED_TYPE (TtCaseSetup, tt_case_setup, tt_case_setup_copy, tt_case_setup_free)
G_DEFINE_BOXED_TYPE (TtCaseAdvice, tt_case_advice, tt_case_advice_copy, tt_case_advice_free)

G_DEFINE_ENUM_TYPE (TtCaseState, tt_case_state,
  G_DEFINE_ENUM_VALUE (TT_CASE_STATE_SETUP, "setup"),
  G_DEFINE_ENUM_VALUE (TT_CASE_STATE_CHECKLIST, "checklist"),
  G_DEFINE_ENUM_VALUE (TT_CASE_STATE_READY, "ready"),
  G_DEFINE_ENUM_VALUE (TT_CASE_STATE_INDUCTION, "induction"),
  G_DEFINE_ENUM_VALUE (TT_CASE_STATE_MAINTENANCE, "maintenance"),
  G_DEFINE_ENUM_VALUE (TT_CASE_STATE_ENDED, "ended"),
  G_DEFINE_ENUM_VALUE (TT_CASE_STATE_INTERRUPTED, "interrupted"))

G_DEFINE_ENUM_TYPE (TtCaseEventKind, tt_case_event_kind,
  G_DEFINE_ENUM_VALUE (TT_CASE_EVENT_INDUCTION, "induction"),
  G_DEFINE_ENUM_VALUE (TT_CASE_EVENT_INTUBATION, "intubation"),
  G_DEFINE_ENUM_VALUE (TT_CASE_EVENT_INCISION, "incision"),
  G_DEFINE_ENUM_VALUE (TT_CASE_EVENT_POSITION, "position"),
  G_DEFINE_ENUM_VALUE (TT_CASE_EVENT_NOTE, "note"),
  G_DEFINE_ENUM_VALUE (TT_CASE_EVENT_BOLUS, "bolus"),
  G_DEFINE_ENUM_VALUE (TT_CASE_EVENT_RATE, "rate"),
  G_DEFINE_ENUM_VALUE (TT_CASE_EVENT_SYRINGE, "syringe"),
  G_DEFINE_ENUM_VALUE (TT_CASE_EVENT_END, "end"))

G_DEFINE_ENUM_TYPE (TtAnswer, tt_answer,
  G_DEFINE_ENUM_VALUE (TT_ANSWER_NONE, "none"),
  G_DEFINE_ENUM_VALUE (TT_ANSWER_ACCEPTED, "accepted"),
  G_DEFINE_ENUM_VALUE (TT_ANSWER_CHANGED, "changed"),
  G_DEFINE_ENUM_VALUE (TT_ANSWER_DECLINED, "declined"))

enum {
  PROP_0,
  PROP_STATE,
  PROP_TRAINING,
  PROP_SOURCE,
  PROP_START_UNIX_MS,
  PROP_NOW_MS,
  PROP_T0_MS,
  PROP_SETUP,
  PROP_LABEL,
  PROP_CHECKLIST,
  PROP_CHECKLIST_DONE,
  PROP_OVERRIDE_REASON,
  PROP_RATE,
  PROP_RATE_MLH,
  PROP_INFUSED_ML,
  PROP_TOTAL_UG,
  PROP_TOTAL_UG_PER_KG,
  PROP_BOLUS_COUNT,
  PROP_SYRINGE_LEFT_ML,
  PROP_TIME_TO_EMPTY_MS,
  PROP_ADVICE,
  PROP_ALERTS,
  N_PROPS
};

enum {
  SIGNAL_LOG,
  SIGNAL_EVENT_ADDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Names and descriptions */

static const char *
enum_nick (GType type,
           int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *v = g_enum_get_value (klass, value);

  return v != NULL ? v->value_nick : "invalid";
}

const char *
tt_case_state_to_string (TtCaseState state)
{
  return enum_nick (TT_TYPE_CASE_STATE, state);
}

const char *
tt_case_event_kind_to_string (TtCaseEventKind kind)
{
  return enum_nick (TT_TYPE_CASE_EVENT_KIND, kind);
}

const char *
tt_answer_to_string (TtAnswer answer)
{
  return enum_nick (TT_TYPE_ANSWER, answer);
}

static const char *
line_to_string (TtLineType line)
{
  return line == TT_LINE_CENTRAL ? "central" : "peripheral";
}

const char *
tt_case_state_describe (TtCaseState state)
{
  switch (state)
    {
    case TT_CASE_STATE_SETUP:
      return C_("case state", "Setup");
    case TT_CASE_STATE_CHECKLIST:
      return C_("case state", "Checklist");
    case TT_CASE_STATE_READY:
      return C_("case state", "Ready for induction");
    case TT_CASE_STATE_INDUCTION:
      return C_("case state", "Induction");
    case TT_CASE_STATE_MAINTENANCE:
      return C_("case state", "Maintenance");
    case TT_CASE_STATE_ENDED:
      return C_("case state", "Ended");
    case TT_CASE_STATE_INTERRUPTED:
      return C_("case state", "Interrupted");
    default:
      return "";
    }
}

const char *
tt_case_event_kind_describe (TtCaseEventKind kind)
{
  switch (kind)
    {
    case TT_CASE_EVENT_INDUCTION:
      return C_("event", "Induction");
    case TT_CASE_EVENT_INTUBATION:
      return C_("event", "Intubation");
    case TT_CASE_EVENT_INCISION:
      return C_("event", "Incision");
    case TT_CASE_EVENT_POSITION:
      return C_("event", "Position change");
    case TT_CASE_EVENT_NOTE:
      return C_("event", "Note");
    case TT_CASE_EVENT_BOLUS:
      return C_("event", "Bolus");
    case TT_CASE_EVENT_RATE:
      return C_("event", "Rate change");
    case TT_CASE_EVENT_SYRINGE:
      return C_("event", "New syringe");
    case TT_CASE_EVENT_END:
      return C_("event", "End of case");
    case TT_N_CASE_EVENTS:
    default:
      return "";
    }
}

/* A number for the screen, in tt-dose's format: at most @decimals decimals. */
static char *
format_number (double value,
               int    decimals)
{
  return tt_dose_format_number (value, 0, decimals);
}

/* Setup */

TtCaseSetup *
tt_case_setup_new (void)
{
  TtCaseSetup *setup = g_new0 (TtCaseSetup, 1);

  setup->label = g_strdup ("");
  setup->weight_kg = DEFAULT_WEIGHT_KG;
  setup->baseline_map = DEFAULT_BASELINE;
  tt_case_setup_default_band (setup->baseline_map, &setup->target_lo, &setup->target_hi);
  setup->line = TT_LINE_PERIPHERAL;
  setup->concentration = DEFAULT_CONCENTRATION;
  setup->start_rate = DEFAULT_START_RATE;
  setup->bolus_ug = DEFAULT_BOLUS_UG;
  setup->syringe_ml = DEFAULT_SYRINGE_ML;
  setup->dead_space_ml = DEFAULT_DEAD_SPACE_ML;
  tt_band_rule_init (&setup->band_rule);
  tt_limits_init (&setup->limits[TT_LINE_PERIPHERAL], TT_LINE_PERIPHERAL);
  tt_limits_init (&setup->limits[TT_LINE_CENTRAL], TT_LINE_CENTRAL);
  return setup;
}

TtCaseSetup *
tt_case_setup_copy (const TtCaseSetup *setup)
{
  TtCaseSetup *copy;

  g_return_val_if_fail (setup != NULL, NULL);

  copy = g_memdup2 (setup, sizeof *setup);
  copy->label = g_strdup (setup->label);
  return copy;
}

void
tt_case_setup_free (TtCaseSetup *setup)
{
  if (setup == NULL)
    return;
  g_free (setup->label);
  g_free (setup);
}

/* Band rule */

static gboolean check_range (double       value,
                             double       lo,
                             double       hi,
                             const char  *field,
                             const char  *unit,
                             GError     **error);

static const char *band_rule_names[] = {
  [TT_BAND_RULE_LARGER] = "larger",
  [TT_BAND_RULE_ABSOLUTE] = "absolute",
  [TT_BAND_RULE_RELATIVE] = "relative",
};

const char *
tt_band_rule_kind_to_string (TtBandRuleKind kind)
{
  g_return_val_if_fail (kind <= TT_BAND_RULE_RELATIVE, "invalid");
  return band_rule_names[kind];
}

gboolean
tt_band_rule_kind_from_string (const char     *name,
                               TtBandRuleKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (band_rule_names); i++)
    if (g_strcmp0 (name, band_rule_names[i]) == 0)
      {
        *kind = i;
        return TRUE;
      }
  return FALSE;
}

void
tt_band_rule_init (TtBandRule *rule)
{
  g_return_if_fail (rule != NULL);

  *rule = (TtBandRule) {
    .kind = TT_BAND_RULE_LARGER,
    .absolute_lo = TT_CASE_TARGET_ABSOLUTE_LO,
    .relative_pct = TT_CASE_TARGET_RELATIVE_LO * 100,
    .width = TT_CASE_TARGET_DEFAULT_WIDTH,
    .critical_offset = TT_CASE_CRITICAL_BELOW_LO,
  };
}

gboolean
tt_band_rule_validate (const TtBandRule  *rule,
                       GError           **error)
{
  g_return_val_if_fail (rule != NULL, FALSE);

  if (rule->kind > TT_BAND_RULE_RELATIVE)
    {
      g_set_error (error, TT_CASE_ERROR, TT_CASE_ERROR_INVALID,
                   _("Band rule %d is unknown (allowed: larger, absolute, relative)"),
                   (int) rule->kind);
      return FALSE;
    }
  return check_range (rule->absolute_lo, TT_CASE_TARGET_LO_MIN, TT_CASE_TARGET_LO_MAX,
                      _("Hypotension threshold"), _("mmHg"), error) &&
         check_range (rule->relative_pct, TT_BAND_RULE_RELATIVE_MIN_PCT,
                      TT_BAND_RULE_RELATIVE_MAX_PCT, _("Lower bound of baseline"), "%", error) &&
         check_range (rule->width, TT_CASE_TARGET_MIN_WIDTH, TT_BAND_RULE_WIDTH_MAX,
                      _("Band width"), _("mmHg"), error) &&
         check_range (rule->critical_offset, TT_BAND_RULE_CRITICAL_MIN,
                      TT_BAND_RULE_CRITICAL_MAX, _("Critical offset"), _("mmHg"), error);
}

void
tt_band_rule_apply (const TtBandRule *rule,
                    double            baseline_map,
                    double           *target_lo,
                    double           *target_hi)
{
  double relative, lo;

  g_return_if_fail (rule != NULL && target_lo != NULL && target_hi != NULL);

  relative = rule->relative_pct / 100 * baseline_map;
  switch (rule->kind)
    {
    case TT_BAND_RULE_ABSOLUTE:
      lo = rule->absolute_lo;
      break;
    case TT_BAND_RULE_RELATIVE:
      lo = relative;
      break;
    case TT_BAND_RULE_LARGER:
    default:
      lo = MAX (rule->absolute_lo, relative);
      break;
    }
  /* Whole mmHg: the band is read and agreed aloud ("77–97"), never to a decimal. */
  lo = CLAMP (round (lo), TT_CASE_TARGET_LO_MIN, TT_CASE_TARGET_LO_MAX);
  *target_lo = lo;
  *target_hi = MIN (lo + round (rule->width), TT_CASE_TARGET_HI_MAX);
}

void
tt_case_setup_default_band (double  baseline_map,
                            double *target_lo,
                            double *target_hi)
{
  TtBandRule rule;

  tt_band_rule_init (&rule);
  tt_band_rule_apply (&rule, baseline_map, target_lo, target_hi);
}

void
tt_case_setup_apply_band_rule (TtCaseSetup *setup)
{
  g_return_if_fail (setup != NULL);

  tt_band_rule_apply (&setup->band_rule, setup->baseline_map, &setup->target_lo,
                      &setup->target_hi);
}

double
tt_case_setup_critical_map (const TtCaseSetup *setup)
{
  g_return_val_if_fail (setup != NULL, NAN);

  return MAX (setup->target_lo - setup->band_rule.critical_offset, TT_CASE_CRITICAL_FLOOR);
}

void
tt_case_setup_get_limits (const TtCaseSetup *setup,
                          TtLimits          *limits)
{
  g_return_if_fail (setup != NULL && limits != NULL);

  *limits = setup->limits[setup->line == TT_LINE_CENTRAL ? TT_LINE_CENTRAL : TT_LINE_PERIPHERAL];
  limits->line = setup->line;
}

/* "0.05 µg/kg/min = 10.8 mL/h". */
static char *
format_rate (const TtCaseSetup *setup,
             double             rate)
{
  return tt_dose_format_rate_both (rate, setup->weight_kg, setup->concentration);
}

static double
rate_mlh (const TtCaseSetup *setup,
          double             rate)
{
  return tt_dose_ml_h (rate, setup->weight_kg, setup->concentration);
}

/* A range check in tt-dose's words: "Baseline MAP 200 mmHg is outside 40–160 mmHg". */
static gboolean
check_range (double       value,
             double       lo,
             double       hi,
             const char  *field,
             const char  *unit,
             GError     **error)
{
  g_autofree char *v = NULL;
  g_autofree char *l = NULL;
  g_autofree char *h = NULL;

  if (value >= lo && value <= hi)
    return TRUE;
  v = format_number (value, 1);
  l = format_number (lo, 1);
  h = format_number (hi, 1);
  /* Translators: "Baseline MAP 200 mmHg is outside 40–160 mmHg". */
  g_set_error (error, TT_CASE_ERROR, TT_CASE_ERROR_INVALID,
               _("%s %s %s is outside %s–%s %s"), field, v, unit, l, h, unit);
  return FALSE;
}

/* Turns tt-dose's answer into a GError: refused (its error), or flagged and not confirmed. */
static gboolean
guard_result (TtDoseCheck   check,
              char         *reason,
              gboolean      confirmed,
              const char   *field,
              char         *value,
              GError      **error)
{
  g_autofree char *owned_reason = reason;
  g_autofree char *owned_value = value;

  if (check == TT_DOSE_CHECK_REFUSED)
    return FALSE;
  if (check == TT_DOSE_CHECK_CONFIRM && !confirmed)
    {
      /* Translators: "Starting rate 0.50 µg/kg/min = 108.0 mL/h: 0.50 µg/kg/min is above the
       * soft limit … Confirm if intended." */
      g_set_error (error, TT_CASE_ERROR, TT_CASE_ERROR_NEEDS_CONFIRMATION,
                   _("%s %s: %s Confirm if intended."), field, owned_value, owned_reason);
      return FALSE;
    }
  return TRUE;
}

/* A starting rate has no current rate to step from: only the limits apply, so the guard is asked
 * about a "change" from the entry to itself. */
static gboolean
check_start_rate (const TtCaseSetup  *setup,
                  GError            **error)
{
  TtLimits limits;
  char *reason = NULL;
  TtDoseCheck check;

  tt_case_setup_get_limits (setup, &limits);
  check = tt_dose_check_rate (&limits, setup->start_rate, setup->start_rate, &reason, error);
  return guard_result (check, reason, setup->confirmed, _("Starting rate"),
                       format_rate (setup, setup->start_rate), error);
}

static gboolean
check_bolus (const TtCaseSetup  *setup,
             double              drawn_ug,
             double              dose_ug,
             gboolean            confirmed,
             GError            **error)
{
  TtLimits limits;
  char *reason = NULL;
  TtDoseCheck check;

  tt_case_setup_get_limits (setup, &limits);
  check = tt_dose_check_bolus (&limits, drawn_ug, dose_ug, &reason, error);
  return guard_result (check, reason, confirmed, _("Rescue bolus"),
                       tt_dose_format_bolus (dose_ug, setup->concentration), error);
}

gboolean
tt_case_setup_check_field (const TtCaseSetup  *setup,
                           TtSetupField        field,
                           GError            **error)
{
  g_return_val_if_fail (setup != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  switch (field)
    {
    case TT_SETUP_LABEL:
      {
        g_autofree char *label = g_strstrip (g_strdup (setup->label ? setup->label : ""));
        glong length = g_utf8_strlen (label, -1);

        if (length == 0)
          {
            g_set_error (error, TT_CASE_ERROR, TT_CASE_ERROR_INVALID,
                         _("Case label: enter a pseudonymous label of 1–%d characters, "
                           "never the patient’s name."), LABEL_MAX_CHARS);
            return FALSE;
          }
        if (length > LABEL_MAX_CHARS)
          {
            g_set_error (error, TT_CASE_ERROR, TT_CASE_ERROR_INVALID,
                         _("Case label: %ld characters is outside the allowed length 1–%d "
                           "characters."), length, LABEL_MAX_CHARS);
            return FALSE;
          }
        return TRUE;
      }
    case TT_SETUP_WEIGHT:
      return tt_dose_validate_weight (setup->weight_kg, error);
    case TT_SETUP_BASELINE:
      return check_range (setup->baseline_map, BASELINE_MIN, BASELINE_MAX,
                          _("Baseline MAP"), _("mmHg"), error);
    case TT_SETUP_TARGET_LO:
      return check_range (setup->target_lo, TT_CASE_TARGET_LO_MIN, TT_CASE_TARGET_LO_MAX,
                          _("Lower bound"), _("mmHg"), error);
    case TT_SETUP_TARGET_HI:
      {
        double lo = CLAMP (setup->target_lo, TT_CASE_TARGET_LO_MIN, TT_CASE_TARGET_LO_MAX);

        return check_range (setup->target_hi, lo + TT_CASE_TARGET_MIN_WIDTH,
                            TT_CASE_TARGET_HI_MAX, _("Upper bound"), _("mmHg"), error);
      }
    case TT_SETUP_CONCENTRATION:
      return tt_dose_validate_concentration (setup->concentration, error);
    case TT_SETUP_START_RATE:
      return check_start_rate (setup, error);
    case TT_SETUP_BOLUS:
      return check_bolus (setup, 0, setup->bolus_ug, setup->confirmed, error);
    case TT_SETUP_SYRINGE:
      return check_range (setup->syringe_ml, SYRINGE_MIN_ML, SYRINGE_MAX_ML,
                          _("Syringe volume"), _("mL"), error);
    case TT_SETUP_DEAD_SPACE:
      return tt_dose_validate_dead_space (setup->dead_space_ml, error);
    case TT_N_SETUP_FIELDS:
    default:
      g_return_val_if_reached (FALSE);
    }
}

gboolean
tt_case_setup_check (const TtCaseSetup  *setup,
                     TtSetupField       *bad_field,
                     GError            **error)
{
  g_return_val_if_fail (setup != NULL, FALSE);

  for (TtSetupField f = 0; f < TT_N_SETUP_FIELDS; f++)
    if (!tt_case_setup_check_field (setup, f, error))
      {
        if (bad_field != NULL)
          *bad_field = f;
        return FALSE;
      }
  return TRUE;
}

/* Advice */

TtCaseAdvice *
tt_case_advice_new (gint64      t_ms,
                    double      rate,
                    double      bolus_ug,
                    const char *summary,
                    const char *reason)
{
  TtCaseAdvice *advice = g_new0 (TtCaseAdvice, 1);

  advice->t_ms = t_ms;
  advice->rate = rate;
  advice->bolus_ug = bolus_ug;
  advice->summary = g_strdup (summary);
  advice->reason = g_strdup (reason);
  return advice;
}

TtCaseAdvice *
tt_case_advice_copy (const TtCaseAdvice *advice)
{
  TtCaseAdvice *copy;

  g_return_val_if_fail (advice != NULL, NULL);

  copy = g_memdup2 (advice, sizeof *advice);
  copy->summary = g_strdup (advice->summary);
  copy->reason = g_strdup (advice->reason);
  return copy;
}

void
tt_case_advice_free (TtCaseAdvice *advice)
{
  if (advice == NULL)
    return;
  g_free (advice->summary);
  g_free (advice->reason);
  g_free (advice);
}

/* Logging and notification */

static void
emit_log (TtCase       *self,
          gint64        t_ms,
          const char   *kind,
          GVariantDict *dict)
{
  g_autoptr(GVariant) details = g_variant_ref_sink (g_variant_dict_end (dict));

  g_signal_emit (self, signals[SIGNAL_LOG], 0, t_ms, kind, details);
}

static void
notify (TtCase *self,
        guint   prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_state (TtCase      *self,
           TtCaseState  state,
           gint64       t_ms)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);

  if (self->state == state)
    return;
  g_variant_dict_insert (&dict, "from", "s", tt_case_state_to_string (self->state));
  g_variant_dict_insert (&dict, "to", "s", tt_case_state_to_string (state));
  self->state = state;
  emit_log (self, t_ms, "state", &dict);
  notify (self, PROP_STATE);
}

static gboolean
state_error (TtCase      *self,
             GError     **error,
             const char  *what)
{
  g_set_error (error, TT_CASE_ERROR, TT_CASE_ERROR_STATE,
               /* Translators: "Start induction: not possible while the case is in Setup." */
               _("%s: not possible while the case is in %s."),
               what, tt_case_state_describe (self->state));
  return FALSE;
}

static gboolean
is_running (TtCase *self)
{
  return self->state == TT_CASE_STATE_INDUCTION || self->state == TT_CASE_STATE_MAINTENANCE;
}

/* Alerts */

static int
compare_alerts (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  TtAlert *x = (TtAlert *) a;
  TtAlert *y = (TtAlert *) b;
  int px = tt_alert_get_priority (x);
  int py = tt_alert_get_priority (y);

  if (px != py)
    return py - px;
  return (tt_alert_get_raised_ms (x) > tt_alert_get_raised_ms (y)) -
         (tt_alert_get_raised_ms (x) < tt_alert_get_raised_ms (y));
}

static gboolean
find_alert_position (TtCase      *self,
                     TtAlertKind  kind,
                     guint       *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->alerts));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TtAlert) alert = g_list_model_get_item (G_LIST_MODEL (self->alerts), i);

      if (tt_alert_get_kind (alert) == kind)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

TtAlert *
tt_case_find_alert (TtCase      *self,
                    TtAlertKind  kind)
{
  guint position;
  g_autoptr(TtAlert) alert = NULL;

  g_return_val_if_fail (TT_IS_CASE (self), NULL);

  if (!find_alert_position (self, kind, &position))
    return NULL;
  alert = g_list_model_get_item (G_LIST_MODEL (self->alerts), position);
  /* The list store holds the reference that keeps it alive. */
  return alert;
}

static void
raise_alert (TtCase      *self,
             TtAlertKind  kind,
             const char  *text)
{
  TtAlert *existing = tt_case_find_alert (self, kind);
  g_autoptr(TtAlert) alert = NULL;
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);

  if (existing != NULL)
    {
      tt_alert_set_text (existing, text);
      return;
    }
  alert = tt_alert_new (kind, self->now_ms, text);
  g_list_store_insert_sorted (self->alerts, alert, compare_alerts, NULL);
  g_variant_dict_insert (&dict, "alert", "s", tt_alert_kind_to_string (kind));
  g_variant_dict_insert (&dict, "priority", "s",
                         tt_alert_priority_to_string (tt_alert_get_priority (alert)));
  g_variant_dict_insert (&dict, "text", "s", text);
  emit_log (self, self->now_ms, "alert-raised", &dict);
}

static void
clear_alert (TtCase      *self,
             TtAlertKind  kind)
{
  guint position;
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);

  if (!find_alert_position (self, kind, &position))
    return;
  g_list_store_remove (self->alerts, position);
  g_variant_dict_insert (&dict, "alert", "s", tt_alert_kind_to_string (kind));
  emit_log (self, self->now_ms, "alert-cleared", &dict);
}

gboolean
tt_case_acknowledge_alert (TtCase       *self,
                           TtAlertKind   kind,
                           gint64        t_ms,
                           GError      **error)
{
  TtAlert *alert;
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);

  g_return_val_if_fail (TT_IS_CASE (self), FALSE);

  alert = tt_case_find_alert (self, kind);
  if (alert == NULL)
    {
      g_set_error (error, TT_CASE_ERROR, TT_CASE_ERROR_STATE,
                   _("Acknowledge: there is no “%s” alert."), tt_alert_kind_to_string (kind));
      return FALSE;
    }
  if (!tt_case_tick (self, t_ms, error))
    return FALSE;
  if (tt_alert_get_acknowledged (alert))
    return TRUE;
  tt_alert_acknowledge (alert, t_ms);
  g_variant_dict_insert (&dict, "alert", "s", tt_alert_kind_to_string (kind));
  emit_log (self, t_ms, "alert-acknowledged", &dict);
  /* An override has no condition that could clear it: acknowledging it is its end. */
  if (kind == TT_ALERT_CHECKLIST_OVERRIDE)
    clear_alert (self, kind);
  return TRUE;
}

/* Infusion */

static double
segment_delivered_ml (TtCase *self)
{
  double ml = tt_dose_volume_ml (self->mlh, self->now_ms - self->segment_ms);

  return MIN (ml, self->syringe_left_at_segment);
}

double
tt_case_get_infused_ml (TtCase *self)
{
  g_return_val_if_fail (TT_IS_CASE (self), NAN);
  return self->delivered_ml + segment_delivered_ml (self);
}

double
tt_case_get_syringe_left_ml (TtCase *self)
{
  g_return_val_if_fail (TT_IS_CASE (self), NAN);

  if (self->setup == NULL)
    return NAN;
  return self->syringe_left_at_segment - segment_delivered_ml (self);
}

gint64
tt_case_get_time_to_empty_ms (TtCase *self)
{
  g_return_val_if_fail (TT_IS_CASE (self), -1);

  gint64 ms;

  if (self->state == TT_CASE_STATE_ENDED ||
      !tt_dose_time_to_empty_ms (tt_case_get_syringe_left_ml (self), self->mlh, &ms))
    return -1;
  return ms;
}

double
tt_case_get_total_ug (TtCase *self)
{
  g_return_val_if_fail (TT_IS_CASE (self), NAN);

  if (self->setup == NULL)
    return 0;
  return tt_case_get_infused_ml (self) * self->setup->concentration + self->bolus_total_ug;
}

double
tt_case_get_total_ug_per_kg (TtCase *self)
{
  g_return_val_if_fail (TT_IS_CASE (self), NAN);

  if (self->setup == NULL)
    return 0;
  return tt_case_get_total_ug (self) / self->setup->weight_kg;
}

/* Closes the current segment of the infusion at the case clock, so that a new rate or syringe
 * applies from now on. */
static void
close_segment (TtCase *self)
{
  double ml = segment_delivered_ml (self);

  self->delivered_ml += ml;
  self->syringe_left_at_segment -= ml;
  self->segment_ms = self->now_ms;
}

static void
update_infusion_alerts (TtCase *self)
{
  gint64 tte = tt_case_get_time_to_empty_ms (self);

  if (is_running (self) && tte >= 0 && tte <= TT_CASE_SYRINGE_WARN_MS)
    {
      g_autofree char *left = format_number (tt_case_get_syringe_left_ml (self), 1);
      g_autofree char *mlh = format_number (self->mlh, 1);
      g_autofree char *text = NULL;

      if (tte == 0)
        text = g_strdup_printf (_("Syringe empty at %s mL/h: the infusion is not running"), mlh);
      else
        text = g_strdup_printf (_("Syringe empty in %d min at %s mL/h (%s mL left)"),
                                (int) ((tte + 59999) / 60000), mlh, left);
      raise_alert (self, TT_ALERT_SYRINGE_EMPTY, text);
    }
  else
    clear_alert (self, TT_ALERT_SYRINGE_EMPTY);

  if (is_running (self) && self->rate > self->limits.rate_soft_max + 1e-9)
    {
      g_autofree char *rate = format_rate (self->setup, self->rate);
      g_autofree char *soft = format_rate (self->setup, self->limits.rate_soft_max);
      g_autofree char *text = g_strdup_printf (_("Rate %s is above the soft limit %s"), rate, soft);

      raise_alert (self, TT_ALERT_SOFT_LIMIT, text);
    }
  else
    clear_alert (self, TT_ALERT_SOFT_LIMIT);
}

/* Notifies the derived figures of the infusion that changed since they were last shown. */
static void
notify_infusion (TtCase *self)
{
  double infused = tt_case_get_infused_ml (self);
  double total = tt_case_get_total_ug (self);
  double left = tt_case_get_syringe_left_ml (self);
  gint64 tte = tt_case_get_time_to_empty_ms (self);

  if (infused != self->shown.infused_ml)
    {
      self->shown.infused_ml = infused;
      notify (self, PROP_INFUSED_ML);
    }
  if (total != self->shown.total_ug)
    {
      self->shown.total_ug = total;
      notify (self, PROP_TOTAL_UG);
      notify (self, PROP_TOTAL_UG_PER_KG);
    }
  if (left != self->shown.syringe_left_ml && !(isnan (left) && isnan (self->shown.syringe_left_ml)))
    {
      self->shown.syringe_left_ml = left;
      notify (self, PROP_SYRINGE_LEFT_ML);
    }
  if (tte != self->shown.time_to_empty_ms)
    {
      self->shown.time_to_empty_ms = tte;
      notify (self, PROP_TIME_TO_EMPTY_MS);
    }
}

static void
apply_rate (TtCase   *self,
            double    rate,
            TtAnswer  answer)
{
  TtRateChange change;
  TtCaseEvent event = { 0 };
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);

  close_segment (self);
  self->rate = rate;
  self->mlh = rate_mlh (self->setup, rate);

  change = (TtRateChange) {
    .t_ms = self->now_ms, .rate = rate, .mlh = self->mlh, .answer = answer,
  };
  g_array_append_val (self->rate_changes, change);

  g_variant_dict_insert (&dict, "rate_ug_kg_min", "d", rate);
  g_variant_dict_insert (&dict, "mlh", "d", self->mlh);
  g_variant_dict_insert (&dict, "answer", "s", tt_answer_to_string (answer));
  emit_log (self, self->now_ms, "rate", &dict);

  event.t_ms = self->now_ms;
  event.kind = TT_CASE_EVENT_RATE;
  event.text = format_rate (self->setup, rate);
  event.value = rate;
  event.id = self->events->len + 1;
  g_array_append_val (self->events, event);
  g_signal_emit (self, signals[SIGNAL_EVENT_ADDED], 0,
                 &g_array_index (self->events, TtCaseEvent, self->events->len - 1));

  notify (self, PROP_RATE);
  notify (self, PROP_RATE_MLH);
  update_infusion_alerts (self);
  notify_infusion (self);
}

/* The 10-fold guard for a rate the clinician enters (tt_dose_check_rate()). */
static gboolean
check_new_rate (TtCase    *self,
                double     rate,
                gboolean   confirmed,
                GError   **error)
{
  char *reason = NULL;
  TtDoseCheck check = tt_dose_check_rate (&self->limits, self->rate, rate, &reason, error);

  return guard_result (check, reason, confirmed, _("Rate"), format_rate (self->setup, rate),
                       error);
}

/* Checklist */

static void
item_text (const TtCaseSetup  *setup,
           TtChecklistId       id,
           char              **title,
           char              **detail)
{
  switch (id)
    {
    case TT_CHECKLIST_PUMP_PRIMED:
      {
        double ml_h = rate_mlh (setup, setup->start_rate);
        g_autofree char *mlh = tt_dose_format_ml_h (ml_h);
        gint64 delay_ms;

        *title = g_strdup (_("Pump primed, line primed to the cannula"));
        if (tt_dose_transport_delay_ms (1.0, ml_h, &delay_ms))
          {
            g_autofree char *d = tt_dose_format_duration (delay_ms);

            /* Translators: the transport delay of an unprimed line (CLINICAL.md §2). */
            *detail = g_strdup_printf (_("Starting rate %s: each unprimed mL delays the "
                                         "drug ≈ %s"), mlh, d);
          }
        else
          *detail = g_strdup (_("Starting rate 0 mL/h: the infusion starts when a rate is set"));
        break;
      }
    case TT_CHECKLIST_SYRINGE:
      {
        g_autofree char *mg = format_number (setup->concentration * setup->syringe_ml / 1000, 2);
        g_autofree char *ml = format_number (setup->syringe_ml, 1);
        g_autofree char *c = format_number (setup->concentration, 1);

        /* Translators: "Syringe preloaded: 1 mg in 50 mL = 20 µg/mL". */
        *title = g_strdup_printf (_("Syringe preloaded: %s mg in %s mL = %s µg/mL"), mg, ml, c);
        *detail = g_strdup (_("Matches the concentration in setup"));
        break;
      }
    case TT_CHECKLIST_IV_ACCESS:
      *title = g_strdup (_("IV access secured and patent"));
      *detail = g_strdup (_("Carrier flow running"));
      break;
    case TT_CHECKLIST_RESCUE_BOLUS:
      {
        g_autofree char *ug = format_number (setup->bolus_ug, 1);
        g_autofree char *ml = tt_dose_format_number (tt_dose_bolus_ml (setup->bolus_ug,
                                                                       setup->concentration),
                                                     0, 2);
        g_autofree char *c = format_number (setup->concentration, 1);

        *title = g_strdup_printf (_("Rescue bolus drawn: %s µg in %s mL"), ug, ml);
        *detail = g_strdup_printf (_("Of %s µg/mL, labelled, within reach"), c);
        break;
      }
    case TT_CHECKLIST_ARTERIAL_LINE:
      *title = g_strdup (_("Arterial line zeroed and levelled"));
      *detail = g_strdup (_("High-risk patient: invasive monitoring required"));
      break;
    case TT_CHECKLIST_MAP_TARGET:
      {
        g_autofree char *lo = format_number (setup->target_lo, 0);
        g_autofree char *hi = format_number (setup->target_hi, 0);
        g_autofree char *crit = format_number (tt_case_setup_critical_map (setup), 0);

        *title = g_strdup_printf (_("MAP target agreed with the team: %s–%s mmHg"), lo, hi);
        /* Translators: [est] marks an engineering estimate (CLINICAL.md). */
        *detail = g_strdup_printf (_("Critical threshold %s mmHg (lower bound − 10) [est]"), crit);
        break;
      }
    case TT_N_CHECKLIST_ITEMS:
    default:
      g_assert_not_reached ();
    }
}

TtChecklistItem *
tt_case_get_checklist_item (TtCase        *self,
                            TtChecklistId  id)
{
  g_autoptr(TtChecklistItem) item = NULL;

  g_return_val_if_fail (TT_IS_CASE (self), NULL);
  g_return_val_if_fail (id < TT_N_CHECKLIST_ITEMS, NULL);

  item = g_list_model_get_item (G_LIST_MODEL (self->checklist), id);
  return item;
}

guint
tt_case_get_checklist_done (TtCase *self)
{
  guint done = 0;

  g_return_val_if_fail (TT_IS_CASE (self), 0);

  for (TtChecklistId id = 0; id < TT_N_CHECKLIST_ITEMS; id++)
    done += tt_checklist_item_get_done (tt_case_get_checklist_item (self, id));
  return done;
}

static void
log_item (TtCase          *self,
          const char      *kind,
          TtChecklistItem *item,
          const char      *why)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);

  g_variant_dict_insert (&dict, "item", "s",
                         tt_checklist_id_to_string (tt_checklist_item_get_id (item)));
  g_variant_dict_insert (&dict, "title", "s", tt_checklist_item_get_title (item));
  g_variant_dict_insert (&dict, "detail", "s", tt_checklist_item_get_detail (item));
  if (why != NULL)
    g_variant_dict_insert (&dict, "why", "s", why);
  emit_log (self, self->now_ms, kind, &dict);
}

/* Checklist ↔ ready follows the ticks unless the checklist was overridden. */
static void
update_ready (TtCase *self)
{
  gboolean complete = tt_case_get_checklist_done (self) == TT_N_CHECKLIST_ITEMS;

  if (self->state == TT_CASE_STATE_CHECKLIST && complete)
    set_state (self, TT_CASE_STATE_READY, self->now_ms);
  else if (self->state == TT_CASE_STATE_READY && !complete && self->override_reason == NULL)
    set_state (self, TT_CASE_STATE_CHECKLIST, self->now_ms);
}

gboolean
tt_case_tick_item (TtCase         *self,
                   TtChecklistId   id,
                   gint64          t_ms,
                   GError        **error)
{
  TtChecklistItem *item;

  g_return_val_if_fail (TT_IS_CASE (self), FALSE);
  g_return_val_if_fail (id < TT_N_CHECKLIST_ITEMS, FALSE);

  if (self->state != TT_CASE_STATE_CHECKLIST && self->state != TT_CASE_STATE_READY)
    return state_error (self, error, _("Checklist"));
  if (!tt_case_tick (self, t_ms, error))
    return FALSE;
  item = tt_case_get_checklist_item (self, id);
  if (tt_checklist_item_get_done (item))
    return TRUE;
  tt_checklist_item_set_ticked_ms (item, t_ms);
  log_item (self, "checklist-tick", item, NULL);
  notify (self, PROP_CHECKLIST_DONE);
  update_ready (self);
  return TRUE;
}

gboolean
tt_case_untick_item (TtCase         *self,
                     TtChecklistId   id,
                     gint64          t_ms,
                     GError        **error)
{
  TtChecklistItem *item;

  g_return_val_if_fail (TT_IS_CASE (self), FALSE);
  g_return_val_if_fail (id < TT_N_CHECKLIST_ITEMS, FALSE);

  if (self->state != TT_CASE_STATE_CHECKLIST && self->state != TT_CASE_STATE_READY)
    return state_error (self, error, _("Checklist"));
  if (!tt_case_tick (self, t_ms, error))
    return FALSE;
  item = tt_case_get_checklist_item (self, id);
  if (!tt_checklist_item_get_done (item))
    return TRUE;
  tt_checklist_item_set_ticked_ms (item, -1);
  log_item (self, "checklist-untick", item, NULL);
  notify (self, PROP_CHECKLIST_DONE);
  update_ready (self);
  return TRUE;
}

gboolean
tt_case_override_checklist (TtCase      *self,
                            const char  *reason,
                            gint64       t_ms,
                            GError     **error)
{
  g_autofree char *why = g_strstrip (g_strdup (reason ? reason : ""));
  g_autofree char *text = NULL;
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);
  guint done;

  g_return_val_if_fail (TT_IS_CASE (self), FALSE);

  if (self->state != TT_CASE_STATE_CHECKLIST)
    return state_error (self, error, _("Override"));
  if (*why == '\0')
    {
      g_set_error (error, TT_CASE_ERROR, TT_CASE_ERROR_INVALID,
                   _("Override: type the reason why induction starts with the checklist "
                     "incomplete; it is logged and shown in the report."));
      return FALSE;
    }
  if (!tt_case_tick (self, t_ms, error))
    return FALSE;

  done = tt_case_get_checklist_done (self);
  self->override_reason = g_steal_pointer (&why);
  g_variant_dict_insert (&dict, "reason", "s", self->override_reason);
  g_variant_dict_insert (&dict, "confirmed", "u", done);
  for (TtChecklistId id = 0; id < TT_N_CHECKLIST_ITEMS; id++)
    if (!tt_checklist_item_get_done (tt_case_get_checklist_item (self, id)))
      g_variant_dict_insert (&dict, tt_checklist_id_to_string (id), "s", "open");
  emit_log (self, t_ms, "checklist-override", &dict);
  notify (self, PROP_OVERRIDE_REASON);

  /* Translators: "Checklist overridden (3 of 6 confirmed): emergency". */
  text = g_strdup_printf (_("Checklist overridden (%u of %d confirmed): %s"),
                          done, TT_N_CHECKLIST_ITEMS, self->override_reason);
  raise_alert (self, TT_ALERT_CHECKLIST_OVERRIDE, text);
  set_state (self, TT_CASE_STATE_READY, t_ms);
  return TRUE;
}

const char *
tt_case_get_override_reason (TtCase *self)
{
  g_return_val_if_fail (TT_IS_CASE (self), NULL);
  return self->override_reason;
}

GListModel *
tt_case_get_checklist (TtCase *self)
{
  g_return_val_if_fail (TT_IS_CASE (self), NULL);
  return G_LIST_MODEL (self->checklist);
}

/* Setup and state */

static void
log_setup (TtCase *self)
{
  const TtCaseSetup *s = self->setup;
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);

  g_variant_dict_insert (&dict, "label", "s", s->label);
  g_variant_dict_insert (&dict, "weight_kg", "d", s->weight_kg);
  g_variant_dict_insert (&dict, "baseline_map_mmhg", "d", s->baseline_map);
  g_variant_dict_insert (&dict, "target_lo_mmhg", "d", s->target_lo);
  g_variant_dict_insert (&dict, "target_hi_mmhg", "d", s->target_hi);
  g_variant_dict_insert (&dict, "critical_mmhg", "d", tt_case_setup_critical_map (s));
  g_variant_dict_insert (&dict, "line", "s", line_to_string (s->line));
  g_variant_dict_insert (&dict, "concentration_ug_ml", "d", s->concentration);
  g_variant_dict_insert (&dict, "start_rate_ug_kg_min", "d", s->start_rate);
  g_variant_dict_insert (&dict, "start_mlh", "d", rate_mlh (s, s->start_rate));
  g_variant_dict_insert (&dict, "bolus_ug", "d", s->bolus_ug);
  g_variant_dict_insert (&dict, "syringe_ml", "d", s->syringe_ml);
  g_variant_dict_insert (&dict, "dead_space_ml", "d", s->dead_space_ml);
  g_variant_dict_insert (&dict, "confirmed", "b", s->confirmed);
  g_variant_dict_insert (&dict, "training", "b", self->training);
  g_variant_dict_insert (&dict, "source", "s", self->source ? self->source : "");
  g_variant_dict_insert (&dict, "start_unix_ms", "x", self->start_unix_ms);
  emit_log (self, self->now_ms, "setup", &dict);
}

const TtCaseSetup *
tt_case_get_setup (TtCase *self)
{
  g_return_val_if_fail (TT_IS_CASE (self), NULL);
  return self->setup;
}

gboolean
tt_case_set_setup (TtCase             *self,
                   const TtCaseSetup  *setup,
                   gint64              t_ms,
                   GError            **error)
{
  g_autofree char *old_label = NULL;

  g_return_val_if_fail (TT_IS_CASE (self), FALSE);
  g_return_val_if_fail (setup != NULL, FALSE);

  if (self->state != TT_CASE_STATE_SETUP)
    return state_error (self, error, _("Setup"));
  if (!tt_case_setup_check (setup, NULL, error))
    return FALSE;
  /* The department's figures were checked when they were set; a setup built by hand is checked
   * here, so that no limit outside CLINICAL.md's can reach the infusion. */
  if (!tt_band_rule_validate (&setup->band_rule, error) ||
      !tt_limits_validate (&setup->limits[TT_LINE_PERIPHERAL], error) ||
      !tt_limits_validate (&setup->limits[TT_LINE_CENTRAL], error))
    return FALSE;
  if (!tt_case_tick (self, t_ms, error))
    return FALSE;

  old_label = self->setup ? g_strdup (self->setup->label) : NULL;
  g_clear_pointer (&self->setup, tt_case_setup_free);
  self->setup = tt_case_setup_copy (setup);
  g_strstrip (self->setup->label);
  tt_case_setup_get_limits (self->setup, &self->limits);
  self->syringe_left_at_segment = self->setup->syringe_ml;
  log_setup (self);

  /* A tick confirms what the item said; when that text changes, the tick no longer holds. */
  for (TtChecklistId id = 0; id < TT_N_CHECKLIST_ITEMS; id++)
    {
      TtChecklistItem *item = tt_case_get_checklist_item (self, id);
      g_autofree char *title = NULL;
      g_autofree char *detail = NULL;

      item_text (self->setup, id, &title, &detail);
      if (tt_checklist_item_get_done (item) &&
          (g_strcmp0 (title, tt_checklist_item_get_title (item)) != 0 ||
           g_strcmp0 (detail, tt_checklist_item_get_detail (item)) != 0))
        {
          tt_checklist_item_set_ticked_ms (item, -1);
          log_item (self, "checklist-untick", item, "setup changed");
        }
      tt_checklist_item_set_text (item, title, detail);
    }

  notify (self, PROP_SETUP);
  if (g_strcmp0 (old_label, self->setup->label) != 0)
    notify (self, PROP_LABEL);
  notify (self, PROP_CHECKLIST_DONE);
  notify_infusion (self);
  set_state (self, TT_CASE_STATE_CHECKLIST, t_ms);
  update_ready (self);
  return TRUE;
}

gboolean
tt_case_edit_setup (TtCase  *self,
                    gint64   t_ms,
                    GError **error)
{
  g_return_val_if_fail (TT_IS_CASE (self), FALSE);

  if (self->state != TT_CASE_STATE_CHECKLIST && self->state != TT_CASE_STATE_READY)
    return state_error (self, error, _("Edit setup"));
  if (!tt_case_tick (self, t_ms, error))
    return FALSE;
  /* An override applied to the checklist as it was; a changed setup needs a new decision. */
  if (self->override_reason != NULL)
    {
      g_clear_pointer (&self->override_reason, g_free);
      clear_alert (self, TT_ALERT_CHECKLIST_OVERRIDE);
      notify (self, PROP_OVERRIDE_REASON);
    }
  set_state (self, TT_CASE_STATE_SETUP, t_ms);
  return TRUE;
}

static void
add_event (TtCase          *self,
           TtCaseEventKind  kind,
           const char      *text,
           double           value)
{
  TtCaseEvent event = {
    .id = self->events->len + 1,
    .t_ms = self->now_ms,
    .kind = kind,
    .text = g_strdup (text),
    .value = value,
  };
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);

  g_array_append_val (self->events, event);
  g_variant_dict_insert (&dict, "event", "s", tt_case_event_kind_to_string (kind));
  if (text != NULL)
    g_variant_dict_insert (&dict, "text", "s", text);
  if (isfinite (value))
    g_variant_dict_insert (&dict, "value", "d", value);
  emit_log (self, self->now_ms, "event", &dict);
  g_signal_emit (self, signals[SIGNAL_EVENT_ADDED], 0,
                 &g_array_index (self->events, TtCaseEvent, self->events->len - 1));
}

gboolean
tt_case_start_induction (TtCase  *self,
                         gint64   t_ms,
                         GError **error)
{
  g_return_val_if_fail (TT_IS_CASE (self), FALSE);

  if (self->state != TT_CASE_STATE_READY)
    {
      if (self->state == TT_CASE_STATE_CHECKLIST)
        {
          g_set_error (error, TT_CASE_ERROR, TT_CASE_ERROR_STATE,
                       _("Start induction: %u of %d checklist items are confirmed; confirm the "
                         "rest or override with a reason."),
                       tt_case_get_checklist_done (self), TT_N_CHECKLIST_ITEMS);
          return FALSE;
        }
      return state_error (self, error, _("Start induction"));
    }
  if (!tt_case_tick (self, t_ms, error))
    return FALSE;

  self->t0_ms = t_ms;
  self->segment_ms = t_ms;
  notify (self, PROP_T0_MS);
  set_state (self, TT_CASE_STATE_INDUCTION, t_ms);
  add_event (self, TT_CASE_EVENT_INDUCTION, self->override_reason, NAN);
  apply_rate (self, self->setup->start_rate, TT_ANSWER_NONE);
  return TRUE;
}

gboolean
tt_case_tick (TtCase  *self,
              gint64   now_ms,
              GError **error)
{
  g_return_val_if_fail (TT_IS_CASE (self), FALSE);

  if (now_ms < self->now_ms)
    {
      g_set_error (error, TT_CASE_ERROR, TT_CASE_ERROR_TIME,
                   _("Time %" PRId64 " ms is before the case clock (%" PRId64
                     " ms); case times never go backwards."), now_ms, self->now_ms);
      return FALSE;
    }
  if (self->state == TT_CASE_STATE_ENDED || now_ms == self->now_ms)
    return TRUE;

  self->now_ms = now_ms;
  notify (self, PROP_NOW_MS);
  if (self->state == TT_CASE_STATE_INDUCTION && now_ms >= self->t0_ms + TT_CASE_INDUCTION_WINDOW_MS)
    set_state (self, TT_CASE_STATE_MAINTENANCE, self->t0_ms + TT_CASE_INDUCTION_WINDOW_MS);
  if (self->setup != NULL)
    {
      update_infusion_alerts (self);
      notify_infusion (self);
    }
  return TRUE;
}

gboolean
tt_case_end (TtCase  *self,
             gint64   t_ms,
             GError **error)
{
  g_return_val_if_fail (TT_IS_CASE (self), FALSE);

  if (self->state == TT_CASE_STATE_ENDED)
    return state_error (self, error, _("End case"));
  if (!tt_case_tick (self, t_ms, error))
    return FALSE;

  if (self->setup != NULL)
    {
      close_segment (self);
      self->rate = 0;
      self->mlh = 0;
      notify (self, PROP_RATE);
      notify (self, PROP_RATE_MLH);
    }
  add_event (self, TT_CASE_EVENT_END, NULL, NAN);
  tt_case_set_advice (self, NULL);
  set_state (self, TT_CASE_STATE_ENDED, t_ms);
  for (TtAlertKind kind = 0; kind < TT_N_ALERT_KINDS; kind++)
    clear_alert (self, kind);
  if (self->setup != NULL)
    notify_infusion (self);
  return TRUE;
}

void
tt_case_interrupt (TtCase *self)
{
  g_return_if_fail (TT_IS_CASE (self));

  if (self->state == TT_CASE_STATE_ENDED || self->state == TT_CASE_STATE_INTERRUPTED)
    return;
  self->interrupted_state = self->state;
  set_state (self, TT_CASE_STATE_INTERRUPTED, self->now_ms);
}

gboolean
tt_case_resume (TtCase  *self,
                gint64   t_ms,
                GError **error)
{
  g_return_val_if_fail (TT_IS_CASE (self), FALSE);

  if (self->state != TT_CASE_STATE_INTERRUPTED)
    return state_error (self, error, _("Resume"));
  if (!tt_case_tick (self, t_ms, error))
    return FALSE;
  set_state (self, self->interrupted_state, t_ms);
  /* The induction window may have ended while the case was interrupted. */
  if (self->state == TT_CASE_STATE_INDUCTION && t_ms >= self->t0_ms + TT_CASE_INDUCTION_WINDOW_MS)
    set_state (self, TT_CASE_STATE_MAINTENANCE, t_ms);
  if (self->setup != NULL)
    update_infusion_alerts (self);
  return TRUE;
}

/* Events */

gboolean
tt_case_add_event (TtCase           *self,
                   TtCaseEventKind   kind,
                   const char       *text,
                   gint64            t_ms,
                   GError          **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text ? text : ""));

  g_return_val_if_fail (TT_IS_CASE (self), FALSE);

  if (kind != TT_CASE_EVENT_INTUBATION && kind != TT_CASE_EVENT_INCISION &&
      kind != TT_CASE_EVENT_POSITION && kind != TT_CASE_EVENT_NOTE)
    {
      g_set_error (error, TT_CASE_ERROR, TT_CASE_ERROR_INVALID,
                   _("Event: “%s” is recorded through its own action, not as an event."),
                   tt_case_event_kind_to_string (kind));
      return FALSE;
    }
  if (self->state < TT_CASE_STATE_CHECKLIST || self->state > TT_CASE_STATE_MAINTENANCE)
    return state_error (self, error, tt_case_event_kind_describe (kind));
  if (kind == TT_CASE_EVENT_NOTE && *stripped == '\0')
    {
      g_set_error (error, TT_CASE_ERROR, TT_CASE_ERROR_INVALID,
                   _("Note: type the text of the note."));
      return FALSE;
    }
  if (!tt_case_tick (self, t_ms, error))
    return FALSE;
  add_event (self, kind, *stripped != '\0' ? stripped : NULL, NAN);
  return TRUE;
}

GArray *
tt_case_get_events (TtCase *self)
{
  g_return_val_if_fail (TT_IS_CASE (self), NULL);
  return self->events;
}

/* Infusion API */

double
tt_case_get_rate (TtCase *self)
{
  g_return_val_if_fail (TT_IS_CASE (self), NAN);
  return self->rate;
}

double
tt_case_get_rate_mlh (TtCase *self)
{
  g_return_val_if_fail (TT_IS_CASE (self), NAN);
  return self->mlh;
}

GArray *
tt_case_get_rate_changes (TtCase *self)
{
  g_return_val_if_fail (TT_IS_CASE (self), NULL);
  return self->rate_changes;
}

gint64
tt_case_get_last_rate_change_ms (TtCase *self)
{
  g_return_val_if_fail (TT_IS_CASE (self), -1);

  if (self->rate_changes->len == 0)
    return -1;
  return g_array_index (self->rate_changes, TtRateChange, self->rate_changes->len - 1).t_ms;
}

gint64
tt_case_get_last_bolus_ms (TtCase *self)
{
  g_return_val_if_fail (TT_IS_CASE (self), -1);
  return self->last_bolus_ms;
}

guint
tt_case_get_bolus_count (TtCase *self)
{
  g_return_val_if_fail (TT_IS_CASE (self), 0);
  return self->bolus_count;
}

double
tt_case_get_bolus_total_ug (TtCase *self)
{
  g_return_val_if_fail (TT_IS_CASE (self), NAN);
  return self->bolus_total_ug;
}

gboolean
tt_case_set_rate (TtCase   *self,
                  double    rate,
                  gboolean  confirmed,
                  gint64    t_ms,
                  GError  **error)
{
  g_return_val_if_fail (TT_IS_CASE (self), FALSE);

  if (!is_running (self))
    return state_error (self, error, _("Rate"));
  if (!check_new_rate (self, rate, confirmed, error))
    return FALSE;
  if (!tt_case_tick (self, t_ms, error))
    return FALSE;
  apply_rate (self, rate, TT_ANSWER_NONE);
  return TRUE;
}

static void
apply_bolus (TtCase *self,
             double  dose_ug)
{
  g_autofree char *text = tt_dose_format_bolus (dose_ug, self->setup->concentration);

  self->bolus_count++;
  self->bolus_total_ug += dose_ug;
  self->last_bolus_ms = self->now_ms;
  add_event (self, TT_CASE_EVENT_BOLUS, text, dose_ug);
  notify (self, PROP_BOLUS_COUNT);
  notify_infusion (self);
}

gboolean
tt_case_give_bolus (TtCase   *self,
                    double    dose_ug,
                    gboolean  confirmed,
                    gint64    t_ms,
                    GError  **error)
{
  g_return_val_if_fail (TT_IS_CASE (self), FALSE);

  if (self->state < TT_CASE_STATE_READY || self->state > TT_CASE_STATE_MAINTENANCE)
    return state_error (self, error, _("Bolus"));
  if (!check_bolus (self->setup, self->setup->bolus_ug, dose_ug, confirmed, error))
    return FALSE;
  if (!tt_case_tick (self, t_ms, error))
    return FALSE;
  apply_bolus (self, dose_ug);
  return TRUE;
}

gboolean
tt_case_replace_syringe (TtCase  *self,
                         double   volume_ml,
                         gint64   t_ms,
                         GError **error)
{
  g_autofree char *text = NULL;
  g_autofree char *ml = NULL;

  g_return_val_if_fail (TT_IS_CASE (self), FALSE);

  if (self->state < TT_CASE_STATE_READY || self->state > TT_CASE_STATE_MAINTENANCE)
    return state_error (self, error, _("New syringe"));
  if (!check_range (volume_ml, SYRINGE_MIN_ML, SYRINGE_MAX_ML,
                    _("Syringe volume"), _("mL"), error))
    return FALSE;
  if (!tt_case_tick (self, t_ms, error))
    return FALSE;

  close_segment (self);
  self->syringe_left_at_segment = volume_ml;
  ml = format_number (volume_ml, 1);
  text = g_strdup_printf (_("%s mL"), ml);
  add_event (self, TT_CASE_EVENT_SYRINGE, text, volume_ml);
  update_infusion_alerts (self);
  notify_infusion (self);
  return TRUE;
}

/* Advice and answers */

const TtCaseAdvice *
tt_case_get_advice (TtCase *self)
{
  g_return_val_if_fail (TT_IS_CASE (self), NULL);
  return self->advice;
}

void
tt_case_set_advice (TtCase             *self,
                    const TtCaseAdvice *advice)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);

  g_return_if_fail (TT_IS_CASE (self));

  if (advice == NULL && self->advice == NULL)
    return;
  g_clear_pointer (&self->advice, tt_case_advice_free);
  if (advice != NULL)
    {
      self->advice = tt_case_advice_copy (advice);
      self->advice->id = ++self->n_advice;
      g_variant_dict_insert (&dict, "advice", "u", self->advice->id);
      if (isfinite (advice->rate))
        {
          g_variant_dict_insert (&dict, "rate_ug_kg_min", "d", advice->rate);
          if (self->setup != NULL)
            g_variant_dict_insert (&dict, "mlh", "d",
                                   rate_mlh (self->setup, advice->rate));
        }
      if (advice->bolus_ug > 0)
        g_variant_dict_insert (&dict, "bolus_ug", "d", advice->bolus_ug);
      if (advice->summary != NULL)
        g_variant_dict_insert (&dict, "summary", "s", advice->summary);
      if (advice->reason != NULL)
        g_variant_dict_insert (&dict, "reason", "s", advice->reason);
      emit_log (self, MAX (advice->t_ms, self->now_ms), "advice", &dict);
    }
  notify (self, PROP_ADVICE);
}

static void
log_answer (TtCase      *self,
            TtAnswer     answer,
            double       rate,
            const char  *reason)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);

  g_variant_dict_insert (&dict, "advice", "u", self->advice->id);
  g_variant_dict_insert (&dict, "answer", "s", tt_answer_to_string (answer));
  if (isfinite (rate))
    {
      g_variant_dict_insert (&dict, "rate_ug_kg_min", "d", rate);
      g_variant_dict_insert (&dict, "mlh", "d", rate_mlh (self->setup, rate));
    }
  if (reason != NULL)
    g_variant_dict_insert (&dict, "reason", "s", reason);
  emit_log (self, self->now_ms, "answer", &dict);
  self->answers[answer]++;
}

static gboolean
check_answerable (TtCase      *self,
                  const char  *what,
                  GError     **error)
{
  if (!is_running (self))
    return state_error (self, error, what);
  if (self->advice == NULL)
    {
      g_set_error (error, TT_CASE_ERROR, TT_CASE_ERROR_STATE,
                   _("%s: there is no advice to answer."), what);
      return FALSE;
    }
  return TRUE;
}

gboolean
tt_case_accept_advice (TtCase  *self,
                       gint64   t_ms,
                       GError **error)
{
  double rate;
  double bolus;

  g_return_val_if_fail (TT_IS_CASE (self), FALSE);

  if (!check_answerable (self, _("Accept"), error))
    return FALSE;
  rate = self->advice->rate;
  bolus = self->advice->bolus_ug;
  /* The advisor keeps to the hard limits already; a broken advice must still never reach the
   * infusion state. */
  if (isfinite (rate) && !check_new_rate (self, rate, TRUE, error))
    return FALSE;
  if (bolus > 0 && !check_bolus (self->setup, 0, bolus, TRUE, error))
    return FALSE;
  if (!tt_case_tick (self, t_ms, error))
    return FALSE;

  log_answer (self, TT_ANSWER_ACCEPTED, rate, NULL);
  if (bolus > 0)
    apply_bolus (self, bolus);
  if (isfinite (rate) && rate != self->rate)
    apply_rate (self, rate, TT_ANSWER_ACCEPTED);
  tt_case_set_advice (self, NULL);
  return TRUE;
}

gboolean
tt_case_change_advice (TtCase   *self,
                       double    actual_rate,
                       gboolean  confirmed,
                       gint64    t_ms,
                       GError  **error)
{
  g_return_val_if_fail (TT_IS_CASE (self), FALSE);

  if (!check_answerable (self, _("Change"), error))
    return FALSE;
  if (!check_new_rate (self, actual_rate, confirmed, error))
    return FALSE;
  if (!tt_case_tick (self, t_ms, error))
    return FALSE;

  log_answer (self, TT_ANSWER_CHANGED, actual_rate, NULL);
  if (actual_rate != self->rate)
    apply_rate (self, actual_rate, TT_ANSWER_CHANGED);
  tt_case_set_advice (self, NULL);
  return TRUE;
}

gboolean
tt_case_decline_advice (TtCase      *self,
                        const char  *reason,
                        gint64       t_ms,
                        GError     **error)
{
  g_autofree char *why = g_strstrip (g_strdup (reason ? reason : ""));

  g_return_val_if_fail (TT_IS_CASE (self), FALSE);

  if (!check_answerable (self, _("Decline"), error))
    return FALSE;
  if (*why == '\0')
    {
      g_set_error (error, TT_CASE_ERROR, TT_CASE_ERROR_INVALID,
                   _("Decline: pick or type a reason; it is logged."));
      return FALSE;
    }
  if (!tt_case_tick (self, t_ms, error))
    return FALSE;

  log_answer (self, TT_ANSWER_DECLINED, NAN, why);
  tt_case_set_advice (self, NULL);
  return TRUE;
}

guint
tt_case_get_answer_count (TtCase   *self,
                          TtAnswer  answer)
{
  g_return_val_if_fail (TT_IS_CASE (self), 0);
  g_return_val_if_fail (answer <= TT_ANSWER_DECLINED, 0);
  return self->answers[answer];
}

/* Alerts from the signal */

GListModel *
tt_case_get_alerts (TtCase *self)
{
  g_return_val_if_fail (TT_IS_CASE (self), NULL);
  return G_LIST_MODEL (self->alerts);
}

void
tt_case_update_signal (TtCase              *self,
                       const TtSignalState *state)
{
  g_return_if_fail (TT_IS_CASE (self));
  g_return_if_fail (state != NULL);

  /* A late grid step cannot move the clock back; its figures are already out of date. */
  if (state->t_ms < self->now_ms || self->setup == NULL)
    return;
  if (self->state < TT_CASE_STATE_CHECKLIST || self->state > TT_CASE_STATE_MAINTENANCE)
    return;
  tt_case_tick (self, state->t_ms, NULL);

  if (state->valid && isfinite (state->map))
    {
      double critical = tt_case_setup_critical_map (self->setup);

      clear_alert (self, TT_ALERT_NO_SIGNAL);
      if (state->map < critical)
        {
          g_autofree char *map = format_number (state->map, 0);
          g_autofree char *crit = format_number (critical, 0);
          g_autofree char *text =
            g_strdup_printf (_("MAP %s mmHg is below the critical threshold %s mmHg"), map, crit);

          raise_alert (self, TT_ALERT_MAP_CRITICAL, text);
        }
      else
        clear_alert (self, TT_ALERT_MAP_CRITICAL);
    }
  else if (state->stale || state->quality != TT_QUALITY_VALID)
    {
      g_autofree char *text = NULL;

      if (state->stale && state->last_valid_ms >= 0)
        text = g_strdup_printf (_("No valid arterial signal for %d s: advice held"),
                                (int) ((state->t_ms - state->last_valid_ms) / 1000));
      else if (state->stale)
        text = g_strdup (_("No valid arterial signal yet: advice held"));
      else
        text = g_strdup_printf (_("Artifact: %s; advice held"),
                                tt_quality_describe (state->quality));
      raise_alert (self, TT_ALERT_NO_SIGNAL, text);
    }
}

/* GObject */

TtCase *
tt_case_new (gboolean    training,
             const char *source,
             gint64      start_unix_ms)
{
  TtCase *self = g_object_new (TT_TYPE_CASE, NULL);

  self->training = training;
  self->source = g_strdup (source);
  self->start_unix_ms = start_unix_ms;
  return self;
}

TtCaseState
tt_case_get_state (TtCase *self)
{
  g_return_val_if_fail (TT_IS_CASE (self), TT_CASE_STATE_SETUP);
  return self->state;
}

gboolean
tt_case_get_training (TtCase *self)
{
  g_return_val_if_fail (TT_IS_CASE (self), TRUE);
  return self->training;
}

const char *
tt_case_get_source (TtCase *self)
{
  g_return_val_if_fail (TT_IS_CASE (self), NULL);
  return self->source;
}

gint64
tt_case_get_start_unix_ms (TtCase *self)
{
  g_return_val_if_fail (TT_IS_CASE (self), 0);
  return self->start_unix_ms;
}

gint64
tt_case_get_now_ms (TtCase *self)
{
  g_return_val_if_fail (TT_IS_CASE (self), 0);
  return self->now_ms;
}

gint64
tt_case_get_t0_ms (TtCase *self)
{
  g_return_val_if_fail (TT_IS_CASE (self), -1);
  return self->t0_ms;
}

static void
tt_case_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  TtCase *self = TT_CASE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_TRAINING:
      g_value_set_boolean (value, self->training);
      break;
    case PROP_SOURCE:
      g_value_set_string (value, self->source);
      break;
    case PROP_START_UNIX_MS:
      g_value_set_int64 (value, self->start_unix_ms);
      break;
    case PROP_NOW_MS:
      g_value_set_int64 (value, self->now_ms);
      break;
    case PROP_T0_MS:
      g_value_set_int64 (value, self->t0_ms);
      break;
    case PROP_SETUP:
      g_value_set_boxed (value, self->setup);
      break;
    case PROP_LABEL:
      g_value_set_string (value, self->setup ? self->setup->label : NULL);
      break;
    case PROP_CHECKLIST:
      g_value_set_object (value, self->checklist);
      break;
    case PROP_CHECKLIST_DONE:
      g_value_set_uint (value, tt_case_get_checklist_done (self));
      break;
    case PROP_OVERRIDE_REASON:
      g_value_set_string (value, self->override_reason);
      break;
    case PROP_RATE:
      g_value_set_double (value, self->rate);
      break;
    case PROP_RATE_MLH:
      g_value_set_double (value, self->mlh);
      break;
    case PROP_INFUSED_ML:
      g_value_set_double (value, tt_case_get_infused_ml (self));
      break;
    case PROP_TOTAL_UG:
      g_value_set_double (value, tt_case_get_total_ug (self));
      break;
    case PROP_TOTAL_UG_PER_KG:
      g_value_set_double (value, tt_case_get_total_ug_per_kg (self));
      break;
    case PROP_BOLUS_COUNT:
      g_value_set_uint (value, self->bolus_count);
      break;
    case PROP_SYRINGE_LEFT_ML:
      g_value_set_double (value, tt_case_get_syringe_left_ml (self));
      break;
    case PROP_TIME_TO_EMPTY_MS:
      g_value_set_int64 (value, tt_case_get_time_to_empty_ms (self));
      break;
    case PROP_ADVICE:
      g_value_set_boxed (value, self->advice);
      break;
    case PROP_ALERTS:
      g_value_set_object (value, self->alerts);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_case_dispose (GObject *object)
{
  TtCase *self = TT_CASE (object);

  g_clear_object (&self->checklist);
  g_clear_object (&self->alerts);

  G_OBJECT_CLASS (tt_case_parent_class)->dispose (object);
}

static void
clear_event (gpointer data)
{
  TtCaseEvent *event = data;

  g_free (event->text);
}

static void
tt_case_finalize (GObject *object)
{
  TtCase *self = TT_CASE (object);

  g_free (self->source);
  g_free (self->override_reason);
  g_clear_pointer (&self->setup, tt_case_setup_free);
  g_clear_pointer (&self->advice, tt_case_advice_free);
  g_clear_pointer (&self->events, g_array_unref);
  g_clear_pointer (&self->rate_changes, g_array_unref);

  G_OBJECT_CLASS (tt_case_parent_class)->finalize (object);
}

static void
tt_case_class_init (TtCaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = tt_case_get_property;
  object_class->dispose = tt_case_dispose;
  object_class->finalize = tt_case_finalize;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, TT_TYPE_CASE_STATE, TT_CASE_STATE_SETUP, flags);
  properties[PROP_TRAINING] = g_param_spec_boolean ("training", NULL, NULL, FALSE, flags);
  properties[PROP_SOURCE] = g_param_spec_string ("source", NULL, NULL, NULL, flags);
  properties[PROP_START_UNIX_MS] =
    g_param_spec_int64 ("start-unix-ms", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_NOW_MS] =
    g_param_spec_int64 ("now-ms", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_T0_MS] =
    g_param_spec_int64 ("t0-ms", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_SETUP] =
    g_param_spec_boxed ("setup", NULL, NULL, TT_TYPE_CASE_SETUP, flags);
  properties[PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, NULL, flags);
  properties[PROP_CHECKLIST] =
    g_param_spec_object ("checklist", NULL, NULL, G_TYPE_LIST_MODEL, flags);
  properties[PROP_CHECKLIST_DONE] =
    g_param_spec_uint ("checklist-done", NULL, NULL, 0, TT_N_CHECKLIST_ITEMS, 0, flags);
  properties[PROP_OVERRIDE_REASON] =
    g_param_spec_string ("override-reason", NULL, NULL, NULL, flags);
  properties[PROP_RATE] =
    g_param_spec_double ("rate", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  properties[PROP_RATE_MLH] =
    g_param_spec_double ("rate-mlh", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  properties[PROP_INFUSED_ML] =
    g_param_spec_double ("infused-ml", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  properties[PROP_TOTAL_UG] =
    g_param_spec_double ("total-ug", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  properties[PROP_TOTAL_UG_PER_KG] =
    g_param_spec_double ("total-ug-per-kg", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  properties[PROP_BOLUS_COUNT] =
    g_param_spec_uint ("bolus-count", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_SYRINGE_LEFT_ML] =
    g_param_spec_double ("syringe-left-ml", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, flags);
  properties[PROP_TIME_TO_EMPTY_MS] =
    g_param_spec_int64 ("time-to-empty-ms", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_ADVICE] =
    g_param_spec_boxed ("advice", NULL, NULL, TT_TYPE_CASE_ADVICE, flags);
  properties[PROP_ALERTS] =
    g_param_spec_object ("alerts", NULL, NULL, G_TYPE_LIST_MODEL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_LOG] =
    g_signal_new ("log", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_STRING, G_TYPE_VARIANT);
  signals[SIGNAL_EVENT_ADDED] =
    g_signal_new ("event-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
tt_case_init (TtCase *self)
{
  self->t0_ms = -1;
  self->last_bolus_ms = -1;
  self->shown.syringe_left_ml = NAN;
  self->shown.time_to_empty_ms = -1;
  self->checklist = g_list_store_new (TT_TYPE_CHECKLIST_ITEM);
  for (TtChecklistId id = 0; id < TT_N_CHECKLIST_ITEMS; id++)
    {
      g_autoptr(TtChecklistItem) item = tt_checklist_item_new (id);

      g_list_store_append (self->checklist, item);
    }
  self->alerts = g_list_store_new (TT_TYPE_ALERT);
  self->events = g_array_new (FALSE, TRUE, sizeof (TtCaseEvent));
  g_array_set_clear_func (self->events, clear_event);
  self->rate_changes = g_array_new (FALSE, TRUE, sizeof (TtRateChange));
}
