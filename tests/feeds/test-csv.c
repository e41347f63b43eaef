/* test-csv.c: the CSV reader: both formats, and every error message exactly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "tt-csv.h"

static TtRecording *
parse (const char  *text,
       const char  *map_column,
       GError     **error)
{
  TtCsvOptions options = { map_column, NULL };

  return tt_csv_parse (text, strlen (text), &options, error);
}

static const TtSample *
sample (TtRecording *r,
        guint        i)
{
  return &g_array_index (r->samples, TtSample, i);
}

static const TtRecordingEvent *
event (TtRecording *r,
       guint        i)
{
  return &g_array_index (r->events, TtRecordingEvent, i);
}

static void
test_engine_format (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtRecording) r = parse ("time_s,map,sbp,dbp,hr,event\n"
                                    "0,80,120,60,70,\n"
                                    "1,81,,,,induction\n"
                                    "2,,,,,Intubation\n"
                                    "3,nan,,,,\n"
                                    "4.5,79.5,118,62,71,Propofol 150 mg\n",
                                    NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (r->format, ==, "csv");
  g_assert_cmpstr (r->map_source, ==, "map");
  g_assert_cmpint (r->start_unix_ms, ==, 0);
  g_assert_cmpuint (r->samples->len, ==, 3);
  g_assert_cmpint (sample (r, 0)->t_ms, ==, 0);
  g_assert_cmpfloat (sample (r, 0)->map, ==, 80);
  g_assert_cmpfloat (sample (r, 0)->sbp, ==, 120);
  g_assert_cmpfloat (sample (r, 0)->dbp, ==, 60);
  g_assert_cmpfloat (sample (r, 0)->hr, ==, 70);
  g_assert_cmpint (sample (r, 0)->quality, ==, TT_QUALITY_VALID);
  g_assert_cmpint (sample (r, 1)->t_ms, ==, 1000);
  g_assert_true (isnan (sample (r, 1)->sbp));
  g_assert_true (isnan (sample (r, 1)->hr));
  g_assert_cmpint (sample (r, 2)->t_ms, ==, 4500);
  g_assert_cmpfloat (sample (r, 2)->map, ==, 79.5);

  g_assert_cmpuint (r->events->len, ==, 3);
  g_assert_cmpint (event (r, 0)->t_ms, ==, 1000);
  g_assert_cmpstr (event (r, 0)->kind, ==, "induction");
  g_assert_cmpint (event (r, 1)->t_ms, ==, 2000);
  g_assert_cmpstr (event (r, 1)->kind, ==, "intubation");
  g_assert_cmpstr (event (r, 2)->kind, ==, "note");
  g_assert_cmpstr (event (r, 2)->text, ==, "Propofol 150 mg");
  g_assert_cmpint (tt_recording_find_event (r, "induction"), ==, 1000);
}

/* A VitalDB export: MAP from the default list (ART_MBP comes before ABP_MEAN), SBP/DBP/HR from the
 * same device as the MAP column. */
static void
test_vitaldb (void)
{
  const char *text =
    "Time,Intellivue/ABP_SYS,Solar8000/HR,Solar8000/ART_SBP,Solar8000/ART_DBP,Solar8000/ART_MBP,"
    "Intellivue/ABP_MEAN,Intellivue/ABP_DIA,Intellivue/HR,BIS/BIS\n"
    "0.0,130,72,121,61,81,91,70,73,45\n"
    "2.0,131,74,123,63,83,92,71,75,44\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(TtRecording) r = parse (text, NULL, &error);
  g_autoptr(TtRecording) r2 = NULL;
  g_autoptr(TtRecording) r3 = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (r->map_source, ==, "Solar8000/ART_MBP");
  g_assert_cmpuint (r->samples->len, ==, 2);
  g_assert_cmpint (sample (r, 1)->t_ms, ==, 2000);
  g_assert_cmpfloat (sample (r, 1)->map, ==, 83);
  g_assert_cmpfloat (sample (r, 1)->sbp, ==, 123);
  g_assert_cmpfloat (sample (r, 1)->dbp, ==, 63);
  g_assert_cmpfloat (sample (r, 1)->hr, ==, 74);

  /* Explicit, by full name: SBP/DBP/HR follow the device (Intellivue). */
  r2 = parse (text, "Intellivue/ABP_MEAN", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r2->map_source, ==, "Intellivue/ABP_MEAN");
  g_assert_cmpfloat (sample (r2, 0)->map, ==, 91);
  g_assert_cmpfloat (sample (r2, 0)->sbp, ==, 130);
  g_assert_cmpfloat (sample (r2, 0)->dbp, ==, 70);
  g_assert_cmpfloat (sample (r2, 0)->hr, ==, 73);

  /* Explicit, by track name in another case. */
  r3 = parse (text, "abp_mean", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r3->map_source, ==, "Intellivue/ABP_MEAN");

  /* A caller's own candidate list. */
  {
    const char * const mine[] = { "BIS", NULL };
    TtCsvOptions options = { NULL, mine };
    g_autoptr(TtRecording) r4 = tt_csv_parse (text, strlen (text), &options, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (r4->map_source, ==, "BIS/BIS");
    g_assert_cmpfloat (sample (r4, 0)->map, ==, 45);
  }
}

/* Semicolons with decimal commas, ISO 8601 times (with a space or a T, with or without a zone), a
 * byte-order mark, CRLF, comments and blank lines. */
static void
test_semicolon_iso (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtRecording) r = parse ("\xEF\xBB\xBF# exported by a monitor\r\n"
                                    "Time;Intellivue/ABP_MEAN;Event\r\n"
                                    "\r\n"
                                    "2024-03-01 08:00:00;91,5;\r\n"
                                    "2024-03-01T08:00:01.5Z;90;induction\r\n"
                                    "2024-03-01T09:00:02+01:00;89;\r\n",
                                    NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (r->samples->len, ==, 3);
  g_assert_cmpint (r->start_unix_ms, ==, G_GINT64_CONSTANT (1709280000000));
  g_assert_cmpint (sample (r, 0)->t_ms, ==, 0);
  g_assert_cmpfloat (sample (r, 0)->map, ==, 91.5);
  g_assert_cmpint (sample (r, 1)->t_ms, ==, 1500);
  g_assert_cmpint (sample (r, 2)->t_ms, ==, 2000);
  g_assert_cmpint (tt_recording_find_event (r, "induction"), ==, 1500);
}

static void
test_tabs_and_quotes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtRecording) r = parse ("time_s\tmap\tevent\n0\t80\t\"bolus\"\n1\t 81 \t\n", NULL,
                                    &error);
  g_autoptr(TtRecording) r2 = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (r->samples->len, ==, 2);
  g_assert_cmpfloat (sample (r, 1)->map, ==, 81);
  g_assert_cmpstr (event (r, 0)->kind, ==, "bolus");

  r2 = parse ("time_s,map,event\n0,80,\"note, with \"\"comma\"\"\"\n1,81,\n", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (event (r2, 0)->kind, ==, "note");
  g_assert_cmpstr (event (r2, 0)->text, ==, "note, with \"comma\"");
  /* A trailing delimiter is tolerated. */
  g_clear_pointer (&r2, tt_recording_free);
  r2 = parse ("time_s,map\n0,80,\n1,81,,\n", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r2->samples->len, ==, 2);
}

static void
assert_error (const char *text,
              gsize       length,
              const char *map_column,
              TtCsvError  code,
              const char *message)
{
  g_autoptr(GError) error = NULL;
  TtCsvOptions options = { map_column, NULL };
  TtRecording *r = tt_csv_parse (text, length, &options, &error);

  g_assert_null (r);
  g_assert_error (error, TT_CSV_ERROR, (int) code);
  g_assert_cmpstr (error->message, ==, message);
}

#define ERR(text, code, message) assert_error ((text), strlen (text), NULL, (code), (message))

static void
test_errors (void)
{
  g_autoptr(GString) twelve = g_string_new ("time_s,map\n");

  ERR ("", TT_CSV_ERROR_EMPTY, "the file is empty; expected a header line such as 'time_s,map'");
  ERR ("  \n\n# nothing\n", TT_CSV_ERROR_EMPTY,
       "the file is empty; expected a header line such as 'time_s,map'");

  for (guint i = 0; i < 10; i++)
    g_string_append_printf (twelve, "%u,80\n", i);
  g_string_append (twelve, "10,abc\n");
  ERR (twelve->str, TT_CSV_ERROR_VALUE, "line 12, column 2: MAP value 'abc' is not a number");

  ERR ("time_s,map,sbp\n0,80,x1\n", TT_CSV_ERROR_VALUE,
       "line 2, column 3: SBP value 'x1' is not a number");
  ERR ("time_s,map,dbp\n0,80,0x10\n", TT_CSV_ERROR_VALUE,
       "line 2, column 3: DBP value '0x10' is not a number");
  ERR ("time_s,map,hr\n0,80,7O\n", TT_CSV_ERROR_VALUE,
       "line 2, column 3: HR value '7O' is not a number");
  ERR ("time_s,map\n0,inf\n", TT_CSV_ERROR_VALUE,
       "line 2, column 2: MAP value 'inf' is not a finite number");
  ERR ("time_s,map\n0,80,5\n", TT_CSV_ERROR_FIELDS, "line 2: 3 fields, but the header (line 1) has 2");
  ERR ("time_s,map,hr\n0,80\n", TT_CSV_ERROR_FIELDS, "line 2: 2 fields, but the header (line 1) has 3");
  ERR ("time_s,map,event\n0,80,\"open\n", TT_CSV_ERROR_FIELDS,
       "line 2, column 3: a quoted field is not closed");
  ERR ("time_s,\"map\n", TT_CSV_ERROR_FIELDS, "line 1, column 2: a quoted field is not closed");

  ERR ("map,time_s\n80,\n", TT_CSV_ERROR_VALUE, "line 2, column 2: the time is missing");
  ERR ("time_s,map\n-1,80\n", TT_CSV_ERROR_VALUE,
       "line 2, column 1: time '-1' is negative; times are seconds from the start of the recording");
  ERR ("time_s,map\n1e11,80\n", TT_CSV_ERROR_VALUE,
       "line 2, column 1: time '1e11' is too large (at most 10000000000 s)");
  ERR ("time_s,map\nnan,80\n", TT_CSV_ERROR_VALUE,
       "line 2, column 1: time 'nan' is not a finite number");
  ERR ("time_s,map\nyesterday,80\n", TT_CSV_ERROR_VALUE,
       "line 2, column 1: time 'yesterday' is neither seconds nor an ISO 8601 date and time");
  ERR ("time_s,map\n0,80\n2024-01-01T00:00:00Z,80\n", TT_CSV_ERROR_VALUE,
       "line 3, column 1: time '2024-01-01T00:00:00Z' is not in seconds like the first row's");
  ERR ("time,map\n2024-01-01T00:00:00Z,80\n5,80\n", TT_CSV_ERROR_VALUE,
       "line 3, column 1: time '5' is not a date and time like the first row's");
  ERR ("time_s,map\n5,80\n4.5,81\n", TT_CSV_ERROR_TIME_ORDER,
       "line 3, column 1: time '4.5' is earlier than the previous row's ('5'); rows must be in time "
       "order");
  ERR ("time,map\n2024-01-01T00:00:01Z,80\n2024-01-01T00:00:00Z,80\n", TT_CSV_ERROR_TIME_ORDER,
       "line 3, column 1: time '2024-01-01T00:00:00Z' is earlier than the previous row's "
       "('2024-01-01T00:00:01Z'); rows must be in time order");

  ERR ("time,map\n2012-03-01T08:00:00Z,80\n2024-03-01T08:00:00Z,80\n", TT_CSV_ERROR_TIME_ORDER,
       "line 3, column 1: time '2024-03-01T08:00:00Z' is more than 7 days after the first row's; "
       "a recording longer than that is not analysed");
  ERR ("time_s,map\n0,80\n604800,80\n604800.001,80\n", TT_CSV_ERROR_TIME_ORDER,
       "line 4, column 1: time '604800.001' is more than 7 days after the first row's; a "
       "recording longer than that is not analysed");
  ERR ("t,map\n0,80\n", TT_CSV_ERROR_HEADER,
       "line 1: no time column; expected one of: time_s, time, timestamp, datetime");
  ERR ("# a comment\ntime,pressure\n0,80\n", TT_CSV_ERROR_HEADER,
       "line 2: no MAP column; expected one of: map, ART_MBP, ABP_MEAN, ART_MEAN, IBP1_MEAN, "
       "ABPMean, or name the column to use");
  assert_error ("time,map\n0,80\n", 14, "ABP", TT_CSV_ERROR_HEADER,
                "line 1: no column named 'ABP'; the columns are: time, map");

  ERR ("time_s,map\n0,\n1,nan\n2,NA\n", TT_CSV_ERROR_NO_DATA, "no row has a MAP value in column 'map'");
  assert_error ("time_s,map\n0,8\0\n", 16, NULL, TT_CSV_ERROR_ENCODING,
                "line 2: contains a NUL byte; this is not a CSV text file");

  /* Long and invalid values are quoted back shortened and as valid UTF-8. */
  ERR ("time_s,map\n0,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
       TT_CSV_ERROR_VALUE,
       "line 2, column 2: MAP value 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…' is not a number");
  ERR ("time_s,map\n0,\xff\xfe\n", TT_CSV_ERROR_VALUE,
       "line 2, column 2: MAP value '\xef\xbf\xbd\xef\xbf\xbd' is not a number");
}

/* Mutations of a valid file: every result is either a recording or an error, never both or
 * neither, and never a crash (the fuzz target does this at scale). */
static void
test_mutations (void)
{
  const char *base = "time_s;map;sbp;dbp;hr;event\n0;80,5;120;60;70;\n1;81;121;61;71;induction\n"
                     "2;\"82\";122;62;72;note\n";
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  gsize len = strlen (base);

  for (guint i = 0; i < 20000; i++)
    {
      g_autofree char *buf = g_memdup2 (base, len);
      g_autoptr(GError) error = NULL;
      TtRecording *r;
      guint n = g_rand_int_range (rand, 1, 4);
      gsize cut = g_rand_int_range (rand, 0, len + 1);

      for (guint k = 0; k < n; k++)
        buf[g_rand_int_range (rand, 0, len)] = (char) g_rand_int_range (rand, 0, 256);
      r = tt_csv_parse (buf, cut, NULL, &error);
      g_assert_true ((r == NULL) != (error == NULL));
      tt_recording_free (r);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv/engine-format", test_engine_format);
  g_test_add_func ("/csv/vitaldb", test_vitaldb);
  g_test_add_func ("/csv/semicolon-iso", test_semicolon_iso);
  g_test_add_func ("/csv/tabs-and-quotes", test_tabs_and_quotes);
  g_test_add_func ("/csv/errors", test_errors);
  g_test_add_func ("/csv/mutations", test_mutations);

  return g_test_run ();
}
