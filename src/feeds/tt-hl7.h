/* tt-hl7.h: HL7 v2 ORU^R01 observation messages as IHE PCD-01 gateways send them (GE, Philips,
 * Dräger), and the original-mode acknowledgements they expect.
 *
 * An OBX becomes an arterial mean, systolic or diastolic pressure or a heart rate when its
 * identifier (OBX-3) is one of the IEEE 11073 MDC codes or LOINC codes below, or when its label
 * names an arterial channel from a configurable list (ART, ABP, IBP1, …) with a suffix for mean,
 * systolic or diastolic. Non-invasive pressures are never taken. Pressures in kPa are converted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tt-sample.h"

G_BEGIN_DECLS

#define TT_HL7_ERROR (tt_hl7_error_quark ())

typedef enum {
  TT_HL7_ERROR_NOT_HL7,       /* no MSH segment */
  TT_HL7_ERROR_MALFORMED,     /* a field the message needs is unreadable */
  TT_HL7_ERROR_UNSUPPORTED,   /* not an ORU^R01 */
  TT_HL7_ERROR_UNIT,          /* a pressure in a unit that is not mmHg or kPa */
  TT_HL7_ERROR_NO_DATA,       /* no arterial pressure and no heart rate */
} TtHl7Error;

typedef enum {
  TT_HL7_KIND_NONE,
  TT_HL7_KIND_MAP,
  TT_HL7_KIND_SBP,
  TT_HL7_KIND_DBP,
  TT_HL7_KIND_HR,
} TtHl7Kind;

/* Arterial channel labels recognised by default (TtHl7Options.labels = NULL). */
#define TT_HL7_DEFAULT_LABELS "ART", "ABP", "IBP1", "IBP", "AP", "ART1", "P1"

typedef struct {
  /* Arterial channel labels, NULL-terminated; NULL for the defaults. "ART" matches labels such as
   * "ART MEAN", "ARTm", "ART_MBP", "ART (Sys)", "ART-D". */
  const char * const *labels;
} TtHl7Options;

typedef struct {
  TtHl7Kind  kind;
  double     value;        /* mmHg or /min */
  gint64     time_unix_ms; /* from OBX-14, else OBR-7, else MSH-7; -1 when none */
  char      *identifier;   /* OBX-3 as sent */
  char      *unit;         /* OBX-6 as sent */
} TtHl7Observation;

typedef struct {
  char   *sending_application;   /* MSH-3 */
  char   *sending_facility;      /* MSH-4 */
  char   *receiving_application; /* MSH-5 */
  char   *receiving_facility;    /* MSH-6 */
  gint64  message_unix_ms;       /* MSH-7, -1 when absent */
  char   *message_type;          /* MSH-9, e.g. "ORU^R01^ORU_R01" */
  char   *control_id;            /* MSH-10 */
  char   *processing_id;         /* MSH-11 */
  char   *version;               /* MSH-12 */

  GArray *observations;          /* of TtHl7Observation: only the recognised ones */
  /* One sample per distinct observation time, in time order; t_ms is the device's unix time in
   * ms, or -1 when the message carries no time at all. Absent values are NAN. */
  GArray *samples;               /* of TtSample */
} TtHl7Message;

GQuark        tt_hl7_error_quark      (void);

/* Parses one message (segments separated by CR, LF or CR LF, without MLLP framing). On an error
 * that still leaves the header readable, *header_out (if not NULL) receives a message holding
 * only the MSH fields, so that the caller can answer with AE. */
TtHl7Message *tt_hl7_parse            (const char          *data,
                                       gsize                len,
                                       const TtHl7Options  *options,
                                       TtHl7Message       **header_out,
                                       GError             **error);
void          tt_hl7_message_free     (TtHl7Message        *message);

/* The kind of an OBX identifier (OBX-3 as sent, e.g. "150035^MDC_PRESS_BLD_ART_MEAN^MDC"). */
TtHl7Kind     tt_hl7_classify         (const char          *identifier,
                                       const TtHl7Options  *options);

/* "YYYY[MM[DD[HH[MM[SS[.S…]]]]]][+/-ZZZZ]" → unix ms; without an offset, in @local_zone. */
gboolean      tt_hl7_parse_time       (const char          *text,
                                       GTimeZone           *local_zone,
                                       gint64              *unix_ms);

/* An original-mode ACK (MSH + MSA, and ERR for AE/AR) for @message (NULL when even its header
 * was unreadable), segments ended by CR, no MLLP framing. @code is "AA", "AE" or "AR";
 * @reason explains AE and AR. */
char         *tt_hl7_build_ack        (const TtHl7Message  *message,
                                       const char          *code,
                                       const char          *reason,
                                       gint64               now_unix_ms);

/* Device clock → receiver clock. The first message anchors the device's clock to the
 * receiver's; device time then carries the spacing between samples, and the anchor is reset
 * when the newest time of a message and its arrival drift apart by more than
 * TT_HL7_MAX_SKEW_MS (a monitor whose clock was set, a gateway that stalled), so that a wrong
 * monitor clock never shifts the trend. */
#define TT_HL7_MAX_SKEW_MS 5000   /* [est] engineering choice: well above network jitter */

typedef struct {
  gboolean anchored;
  gint64   offset_ms;
  guint    n_resets;
} TtHl7Clock;

/* Call once per message with its newest device time (-1 when it has none) and the arrival time
 * on the receiver's clock. */
void          tt_hl7_clock_update     (TtHl7Clock          *clock,
                                       gint64               newest_device_unix_ms,
                                       gint64               receive_ms);
/* A device time on the receiver's clock (the arrival time when the device gave none). */
gint64        tt_hl7_clock_map        (const TtHl7Clock    *clock,
                                       gint64               device_unix_ms,
                                       gint64               receive_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtHl7Message, tt_hl7_message_free)

G_END_DECLS
