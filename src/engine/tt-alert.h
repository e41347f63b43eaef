/* tt-alert.h: one advisory raised by the case (DESIGN.md "Alerts"). Alerts are advisories, never
 * alarms: the bedside monitor stays the primary alarm system.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Priority per IEC 60601-1-8 semantics (CLINICAL.md §7); shown by colour, text and shape. */
typedef enum {
  TT_ALERT_PRIORITY_LOW,
  TT_ALERT_PRIORITY_MEDIUM,
  TT_ALERT_PRIORITY_HIGH,
} TtAlertPriority;

/* What raised the alert. Each kind is active at most once at a time. */
typedef enum {
  TT_ALERT_MAP_CRITICAL,        /* MAP below the critical threshold: high */
  TT_ALERT_NO_SIGNAL,           /* no valid signal for > 10 s, or an artifact: medium */
  TT_ALERT_SOFT_LIMIT,          /* confirmed rate above the soft limit: medium */
  TT_ALERT_SYRINGE_EMPTY,       /* syringe empty within 15 min at the current rate: low */
  TT_ALERT_CHECKLIST_OVERRIDE,  /* the checklist was overridden with a reason: low */
  TT_N_ALERT_KINDS
} TtAlertKind;

GType tt_alert_priority_get_type (void) G_GNUC_CONST;
GType tt_alert_kind_get_type     (void) G_GNUC_CONST;
#define TT_TYPE_ALERT_PRIORITY (tt_alert_priority_get_type ())
#define TT_TYPE_ALERT_KIND (tt_alert_kind_get_type ())

#define TT_TYPE_ALERT (tt_alert_get_type ())

G_DECLARE_FINAL_TYPE (TtAlert, tt_alert, TT, ALERT, GObject)

TtAlert         *tt_alert_new                 (TtAlertKind      kind,
                                               gint64           t_ms,
                                               const char      *text);
TtAlertKind      tt_alert_get_kind            (TtAlert         *self);
TtAlertPriority  tt_alert_get_priority        (TtAlert         *self);
const char      *tt_alert_get_text            (TtAlert         *self);
void             tt_alert_set_text            (TtAlert         *self,
                                               const char      *text);
gint64           tt_alert_get_raised_ms       (TtAlert         *self);
gboolean         tt_alert_get_acknowledged    (TtAlert         *self);
/* Case-clock time of the acknowledgement, or -1. */
gint64           tt_alert_get_acknowledged_ms (TtAlert         *self);
void             tt_alert_acknowledge         (TtAlert         *self,
                                               gint64           t_ms);

TtAlertPriority  tt_alert_kind_get_priority   (TtAlertKind      kind);
/* Stable identifiers for the log; never translated. */
const char      *tt_alert_kind_to_string      (TtAlertKind      kind);
const char      *tt_alert_priority_to_string  (TtAlertPriority  priority);
/* The priority as a word for the screen ("HIGH"), so that colour is never the only cue. */
const char      *tt_alert_priority_describe   (TtAlertPriority  priority);

G_END_DECLS
