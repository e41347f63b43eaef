/* test-hl7.c: the HL7 v2 parser and ACK builder against GE's and Philips's PCD-01 messages and
 * hand-made quirks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "tt-hl7.h"
#include "tt-test-feeds.h"

static gint64
local_ms (int y, int mo, int d, int h, int mi, double s)
{
  g_autoptr(GDateTime) dt = g_date_time_new_local (y, mo, d, h, mi, s);

  return g_date_time_to_unix (dt) * 1000 + (gint64) llround (fmod (s, 1.0) * 1000);
}

static gint64
utc_ms (int y, int mo, int d, int h, int mi, double s)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (y, mo, d, h, mi, s);

  return g_date_time_to_unix (dt) * 1000 + (gint64) llround (fmod (s, 1.0) * 1000);
}

static TtHl7Message *
parse_text (const char *text, GError **error)
{
  return tt_hl7_parse (text, strlen (text), NULL, NULL, error);
}

static void
test_ge (void)
{
  g_autoptr(GBytes) bytes = tt_test_shared_bytes ("hl7/ge_b40_pcd01_ibp.hl7");
  g_autoptr(TtHl7Message) msg = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ack = NULL;
  const TtSample *s;
  gsize len;
  const char *data;

  if (bytes == NULL)
    return;
  data = g_bytes_get_data (bytes, &len);
  msg = tt_hl7_parse (data, len, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (msg->control_id, ==, "004097134535");
  g_assert_cmpstr (msg->message_type, ==, "ORU^R01^ORU_R01");
  g_assert_cmpstr (msg->sending_application, ==, "VSP^080019FFFE134535^EUI-64");
  g_assert_cmpstr (msg->sending_facility, ==, "GE Healthcare");
  g_assert_cmpstr (msg->version, ==, "2.6");
  g_assert_cmpint (msg->message_unix_ms, ==, local_ms (2013, 1, 22, 13, 41, 0));
  g_assert_cmpuint (msg->observations->len, ==, 4);
  g_assert_cmpuint (msg->samples->len, ==, 1);
  s = &g_array_index (msg->samples, TtSample, 0);
  g_assert_cmpint (s->t_ms, ==, local_ms (2013, 1, 22, 13, 41, 0));
  g_assert_cmpfloat (s->map, ==, 95);
  g_assert_cmpfloat (s->sbp, ==, 112);
  g_assert_cmpfloat (s->dbp, ==, 76);
  g_assert_cmpfloat (s->hr, ==, 80);

  ack = tt_hl7_build_ack (msg, "AA", NULL, 1700000000123);
  g_assert_cmpstr (ack, ==,
                   "MSH|^~\\&|Titrate|Titrate|VSP^080019FFFE134535^EUI-64|GE Healthcare|"
                   "20231114221320.123+0000||ACK^R01^ACK|ACK1700000000123|P|2.6\r"
                   "MSA|AA|004097134535\r");
}

/* Spaces in MSH fields, a repeating PID-3, a reference range, an enumerated value, a time zone. */
static void
test_philips (void)
{
  g_autoptr(GBytes) bytes = tt_test_shared_bytes ("hl7/philips_picix_pocd_ig_example_numeric_part.hl7");
  g_autoptr(TtHl7Message) msg = NULL;
  g_autoptr(GError) error = NULL;
  const TtSample *s;
  gsize len;
  const char *data;

  if (bytes == NULL)
    return;
  data = g_bytes_get_data (bytes, &len);
  msg = tt_hl7_parse (data, len, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (msg->sending_application, ==, "SendingApplication");
  g_assert_cmpstr (msg->receiving_facility, ==, "ReceivingFacility");
  g_assert_cmpstr (msg->control_id, ==, "HP0425230332.872USDANRMMD1NBR488");
  g_assert_cmpstr (msg->processing_id, ==, "D");
  g_assert_cmpint (msg->message_unix_ms, ==, utc_ms (2021, 4, 26, 3, 3, 32.872));
  g_assert_cmpuint (msg->samples->len, ==, 1);
  s = &g_array_index (msg->samples, TtSample, 0);
  /* Heart rate only; its time is OBR-7. */
  g_assert_true (isnan (s->map));
  g_assert_cmpfloat (s->hr, ==, 60);
  g_assert_cmpint (s->t_ms, ==, utc_ms (2021, 4, 26, 3, 3, 31.496));
}

static void
test_classify (void)
{
  const char * const custom[] = { "RAD", NULL };
  TtHl7Options options = { custom };

  g_assert_cmpint (tt_hl7_classify ("150035^MDC_PRESS_BLD_ART_MEAN^MDC", NULL), ==, TT_HL7_KIND_MAP);
  g_assert_cmpint (tt_hl7_classify ("150039^MDC_PRESS_BLD_ART_ABP_MEAN^MDC", NULL), ==,
                   TT_HL7_KIND_MAP);
  g_assert_cmpint (tt_hl7_classify ("150037^MDC_PRESS_BLD_ART_ABP_SYS^MDC", NULL), ==,
                   TT_HL7_KIND_SBP);
  g_assert_cmpint (tt_hl7_classify ("150038", NULL), ==, TT_HL7_KIND_DBP);
  g_assert_cmpint (tt_hl7_classify ("147842^MDC_ECG_CARD_BEAT_RATE^MDC", NULL), ==, TT_HL7_KIND_HR);
  g_assert_cmpint (tt_hl7_classify ("^^^^MDC_PRESS_BLD_ART_MEAN", NULL), ==, TT_HL7_KIND_MAP);
  g_assert_cmpint (tt_hl7_classify ("76214-6^Invasive Mean blood pressure^LN", NULL), ==,
                   TT_HL7_KIND_MAP);
  g_assert_cmpint (tt_hl7_classify ("^ART MEAN^local", NULL), ==, TT_HL7_KIND_MAP);
  g_assert_cmpint (tt_hl7_classify ("ABPm", NULL), ==, TT_HL7_KIND_MAP);
  g_assert_cmpint (tt_hl7_classify ("IBP1-S", NULL), ==, TT_HL7_KIND_SBP);
  g_assert_cmpint (tt_hl7_classify ("0815^ART (Dia)^99LOCAL", NULL), ==, TT_HL7_KIND_DBP);
  /* The cuff is never taken for the arterial line. */
  g_assert_cmpint (tt_hl7_classify ("150301^MDC_PRESS_CUFF_SYS^MDC", NULL), ==, TT_HL7_KIND_NONE);
  g_assert_cmpint (tt_hl7_classify ("8478-0^Mean blood pressure^LN", NULL), ==, TT_HL7_KIND_NONE);
  g_assert_cmpint (tt_hl7_classify ("NBPm", NULL), ==, TT_HL7_KIND_NONE);
  g_assert_cmpint (tt_hl7_classify ("ARTERIAL", NULL), ==, TT_HL7_KIND_NONE);
  /* A configured label list replaces the defaults. */
  g_assert_cmpint (tt_hl7_classify ("RAD MEAN", &options), ==, TT_HL7_KIND_MAP);
  g_assert_cmpint (tt_hl7_classify ("RAD MEAN", NULL), ==, TT_HL7_KIND_NONE);
  g_assert_cmpint (tt_hl7_classify ("ART MEAN", &options), ==, TT_HL7_KIND_NONE);
}

static void
test_time (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  gint64 t = 0;

  g_assert_true (tt_hl7_parse_time ("20130122134100", utc, &t));
  g_assert_cmpint (t, ==, utc_ms (2013, 1, 22, 13, 41, 0));
  g_assert_true (tt_hl7_parse_time ("2013", utc, &t));
  g_assert_cmpint (t, ==, utc_ms (2013, 1, 1, 0, 0, 0));
  g_assert_true (tt_hl7_parse_time ("20130122134100.5+0100", utc, &t));
  g_assert_cmpint (t, ==, utc_ms (2013, 1, 22, 12, 41, 0.5));
  g_assert_true (tt_hl7_parse_time ("201301221341-0330", utc, &t));
  g_assert_cmpint (t, ==, utc_ms (2013, 1, 22, 17, 11, 0));
  g_assert_false (tt_hl7_parse_time ("2013013", utc, &t));
  g_assert_false (tt_hl7_parse_time ("20131322", utc, &t));
  g_assert_false (tt_hl7_parse_time ("20130231", utc, &t));
  g_assert_false (tt_hl7_parse_time ("2013-01-22", utc, &t));
  g_assert_false (tt_hl7_parse_time ("19600101", utc, &t));
  g_assert_false (tt_hl7_parse_time ("", utc, &t));
}

#define MSH "MSH|^~\\&|MON|ICU|||20240201100000+0000||ORU^R01|MSG1|P|2.6\r"
#define OBR "OBR|1|||x|||20240201100000+0000\r"

static void
test_units_and_times (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtHl7Message) msg = NULL;
  const TtSample *s;

  /* kPa converted; two times in one message give two samples in time order; X skipped; LF ends
   * segments. */
  msg = parse_text (MSH "\n" OBR
                    "OBX|1|NM|150035^MDC_PRESS_BLD_ART_MEAN^MDC||12.6|kPa|||||R|||20240201100002+0000\n"
                    "OBX|2|NM|150035^MDC_PRESS_BLD_ART_MEAN^MDC||80|mmHg|||||R|||20240201100001+0000\n"
                    "OBX|3|NM|150033^MDC_PRESS_BLD_ART_SYS^MDC||999|mmHg|||||X|||20240201100001+0000\n"
                    "OBX|4|NM|149522^MDC_BLD_PULS_RATE_INV^MDC||71|/min|||||R\n", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (msg->samples->len, ==, 3);
  s = &g_array_index (msg->samples, TtSample, 0);
  g_assert_cmpint (s->t_ms, ==, utc_ms (2024, 2, 1, 10, 0, 0));
  g_assert_true (isnan (s->map));
  g_assert_cmpfloat (s->hr, ==, 71);
  s = &g_array_index (msg->samples, TtSample, 1);
  g_assert_cmpint (s->t_ms, ==, utc_ms (2024, 2, 1, 10, 0, 1));
  g_assert_cmpfloat (s->map, ==, 80);
  g_assert_true (isnan (s->sbp));
  s = &g_array_index (msg->samples, TtSample, 2);
  g_assert_cmpfloat_with_epsilon (s->map, 12.6 * 7.50062, 1e-9);
}

static void
assert_error (const char *text, int code, const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtHl7Message) msg = parse_text (text, &error);

  g_assert_null (msg);
  g_assert_error (error, TT_HL7_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_bad_messages (void)
{
  g_autoptr(TtHl7Message) header = NULL;
  g_autoptr(TtHl7Message) msg = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ack = NULL;
  static const char adt[] = "MSH|^~\\&|HIS|H|||20240201||ADT^A01|77|P|2.5\rPID|1\r";

  assert_error ("hello", TT_HL7_ERROR_NOT_HL7,
                "Not an HL7 message: it does not start with an MSH segment");
  assert_error ("", TT_HL7_ERROR_NOT_HL7,
                "Not an HL7 message: it does not start with an MSH segment");
  assert_error (MSH OBR "OBX|6|NM|150035^MDC_PRESS_BLD_ART_MEAN^MDC||abc|mmHg|||||R\r",
                TT_HL7_ERROR_MALFORMED,
                "OBX 6, value (OBX-5) of 150035^MDC_PRESS_BLD_ART_MEAN^MDC: “abc” is not a number");
  assert_error (MSH OBR "OBX|2|NM|150035^MDC_PRESS_BLD_ART_MEAN^MDC||90|cmH2O|||||R\r",
                TT_HL7_ERROR_UNIT,
                "OBX 2: the unit “cmH2O” of 150035^MDC_PRESS_BLD_ART_MEAN^MDC is neither mmHg "
                "nor kPa");
  assert_error (MSH OBR "OBX|3|NM|149522||80|mmHg|||||R\r", TT_HL7_ERROR_UNIT,
                "OBX 3: the unit “mmHg” of 149522 is not beats per minute");
  assert_error (MSH OBR "OBX|1|NM|150035||90|mmHg|||||R|||yesterday\r", TT_HL7_ERROR_MALFORMED,
                "OBX 1, observation time (OBX-14): “yesterday” is not an HL7 date and time "
                "(YYYYMMDDHHMMSS)");
  assert_error ("MSH|^~\\&|A|B|||2024-02-01||ORU^R01|1|P|2.6\r", TT_HL7_ERROR_MALFORMED,
                "MSH 1, message time (MSH-7): “2024-02-01” is not an HL7 date and time "
                "(YYYYMMDDHHMMSS)");
  assert_error (MSH OBR "OBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||97|%|||||R\r",
                TT_HL7_ERROR_NO_DATA,
                "The message holds no arterial pressure (MDC 150035, 150039 …) and no heart rate");

  /* Binary garbage. */
  {
    static const char garbage[] = "MSH|\0\xff\xfe";

    msg = tt_hl7_parse (garbage, sizeof garbage, NULL, &header, &error);
    g_assert_null (msg);
    g_assert_null (header);
    g_assert_error (error, TT_HL7_ERROR, TT_HL7_ERROR_NOT_HL7);
    g_assert_cmpstr (error->message, ==, "Not an HL7 message: it holds binary data (a NUL byte)");
    g_clear_error (&error);
  }

  /* Another message type: refused, but the header is there to answer AE. */
  msg = tt_hl7_parse (adt, strlen (adt), NULL, &header, &error);
  g_assert_null (msg);
  g_assert_error (error, TT_HL7_ERROR, TT_HL7_ERROR_UNSUPPORTED);
  g_assert_cmpstr (error->message, ==,
                   "Message type “ADT^A01” is not supported; Titrate reads observations (ORU^R01)");
  g_assert_nonnull (header);
  g_assert_cmpstr (header->control_id, ==, "77");
  ack = tt_hl7_build_ack (header, "AE", "type ADT^A01 | not ORU", 1700000000000);
  g_assert_cmpstr (ack, ==,
                   "MSH|^~\\&|Titrate|Titrate|HIS|H|20231114221320.000+0000||ACK^R01^ACK|"
                   "ACK1700000000000|P|2.5\r"
                   "MSA|AE|77|type ADT\\S\\A01 \\F\\ not ORU\r"
                   "ERR|||207^Application internal error^HL70357|E||||type ADT\\S\\A01 \\F\\ not ORU\r");
  g_clear_pointer (&ack, g_free);
  ack = tt_hl7_build_ack (NULL, "AR", "not HL7", 1700000000000);
  g_assert_cmpstr (ack, ==,
                   "MSH|^~\\&|Titrate|Titrate|||20231114221320.000+0000||ACK^R01^ACK|"
                   "ACK1700000000000|P|2.6\r"
                   "MSA|AR||not HL7\r"
                   "ERR|||207^Application internal error^HL70357|E||||not HL7\r");
}

static void
test_clock (void)
{
  TtHl7Clock clock = { 0 };

  g_assert_cmpint (tt_hl7_clock_map (&clock, 1000000, 40), ==, 40);
  tt_hl7_clock_update (&clock, 1000000, 50);
  g_assert_cmpint (tt_hl7_clock_map (&clock, 1000500, 60), ==, 550);
  /* A batch: the newest time arrives 10 ms late, older ones keep their spacing. */
  tt_hl7_clock_update (&clock, 1010000, 10060);
  g_assert_cmpuint (clock.n_resets, ==, 0);
  g_assert_cmpint (tt_hl7_clock_map (&clock, 1005000, 10060), ==, 5050);
  /* The monitor's clock jumps by 16 minutes: re-anchored to the arrival. */
  tt_hl7_clock_update (&clock, 2000000, 11000);
  g_assert_cmpuint (clock.n_resets, ==, 1);
  g_assert_cmpint (tt_hl7_clock_map (&clock, 2000000, 11000), ==, 11000);
  /* No device time: the arrival time. */
  g_assert_cmpint (tt_hl7_clock_map (&clock, -1, 777), ==, 777);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hl7/ge", test_ge);
  g_test_add_func ("/hl7/philips", test_philips);
  g_test_add_func ("/hl7/classify", test_classify);
  g_test_add_func ("/hl7/time", test_time);
  g_test_add_func ("/hl7/units-and-times", test_units_and_times);
  g_test_add_func ("/hl7/bad-messages", test_bad_messages);
  g_test_add_func ("/hl7/clock", test_clock);

  return g_test_run ();
}
