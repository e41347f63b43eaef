/* tt-csv.c: the CSV reader documented in tt-csv.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "tt-csv.h"
#include "tt-grid.h"

G_DEFINE_QUARK (tt-csv-error-quark, tt_csv_error)

const char * const tt_csv_default_map_columns[] = {
  "map", "ART_MBP", "ABP_MEAN", "ART_MEAN", "IBP1_MEAN", "ABPMean", NULL,
};
const char * const tt_csv_time_columns[] = { "time_s", "time", "timestamp", "datetime", NULL };
const char * const tt_csv_sbp_columns[] = {
  "sbp", "ART_SBP", "ABP_SYS", "ART_SYS", "IBP1_SYS", "ABPSys", NULL,
};
const char * const tt_csv_dbp_columns[] = {
  "dbp", "ART_DBP", "ABP_DIA", "ART_DIA", "IBP1_DIA", "ABPDias", NULL,
};
const char * const tt_csv_hr_columns[] = { "hr", "ECG_HR", "PLETH_HR", "PULSE", NULL };
static const char * const event_columns[] = { "event", "events", NULL };

/* Longest value quoted back in a message. */
#define QUOTE_MAX 40

typedef enum { TIME_UNKNOWN, TIME_SECONDS, TIME_ISO } TimeKind;

typedef struct {
  char delim;
  GPtrArray *fields;      /* of char *, the current line's fields */
} Splitter;

/* A field as it may appear in a message: valid UTF-8, at most QUOTE_MAX characters. */
static char *
quote_value (const char *value)
{
  g_autofree char *valid = g_utf8_make_valid (value, -1);

  if (g_utf8_strlen (valid, -1) > QUOTE_MAX)
    {
      g_autofree char *cut = g_utf8_substring (valid, 0, QUOTE_MAX);

      return g_strconcat (cut, "…", NULL);
    }
  return g_steal_pointer (&valid);
}

/* Splits one line (without its end) into fields. FALSE with @bad_column set on an unclosed quote. */
static gboolean
split_line (Splitter   *sp,
            const char *line,
            gsize       len,
            guint      *bad_column)
{
  g_autoptr(GString) field = g_string_new (NULL);
  gsize i = 0;

  g_ptr_array_set_size (sp->fields, 0);
  for (;;)
    {
      g_string_truncate (field, 0);
      while (i < len && (line[i] == ' ' || line[i] == '\t') && line[i] != sp->delim)
        i++;
      if (i < len && line[i] == '"')
        {
          gboolean closed = FALSE;

          for (i++; i < len; i++)
            {
              if (line[i] == '"')
                {
                  if (i + 1 < len && line[i + 1] == '"')
                    {
                      g_string_append_c (field, '"');
                      i++;
                      continue;
                    }
                  closed = TRUE;
                  i++;
                  break;
                }
              g_string_append_c (field, line[i]);
            }
          if (!closed)
            {
              *bad_column = sp->fields->len + 1;
              return FALSE;
            }
          while (i < len && line[i] != sp->delim)
            i++;
        }
      else
        {
          while (i < len && line[i] != sp->delim)
            g_string_append_c (field, line[i++]);
        }
      g_ptr_array_add (sp->fields, g_strstrip (g_strdup (field->str)));
      if (i >= len)
        break;
      i++;   /* the delimiter */
    }
  return TRUE;
}

static char
detect_delimiter (const char *line,
                  gsize       len)
{
  const char candidates[] = { ',', ';', '\t' };
  guint counts[3] = { 0, 0, 0 };
  gboolean quoted = FALSE;
  guint best = 0;

  for (gsize i = 0; i < len; i++)
    {
      if (line[i] == '"')
        quoted = !quoted;
      else if (!quoted)
        for (guint k = 0; k < 3; k++)
          if (line[i] == candidates[k])
            counts[k]++;
    }
  for (guint k = 1; k < 3; k++)
    if (counts[k] > counts[best])
      best = k;
  return candidates[best];
}

static gboolean
name_matches (const char *header,
              const char *candidate)
{
  const char *slash;

  if (g_ascii_strcasecmp (header, candidate) == 0)
    return TRUE;
  slash = strrchr (header, '/');
  return slash != NULL && strchr (candidate, '/') == NULL &&
         g_ascii_strcasecmp (slash + 1, candidate) == 0;
}

/* The device part of "Device/TRACK" (up to and including the slash), or "" */
static char *
device_of (const char *header)
{
  const char *slash = strrchr (header, '/');

  return slash != NULL ? g_strndup (header, slash - header + 1) : g_strdup ("");
}

/* Index of the column matching the earliest candidate: first among the columns of @device (when
 * given), then among all; -1 when none matches. */
static int
find_column (GPtrArray          *names,
             const char * const *candidates,
             const char         *device)
{
  gsize dlen = device != NULL ? strlen (device) : 0;

  for (int pass = dlen > 0 ? 0 : 1; pass < 2; pass++)
    for (guint c = 0; candidates[c] != NULL; c++)
      for (guint i = 0; i < names->len; i++)
        if (name_matches (names->pdata[i], candidates[c]) &&
            (pass == 1 || g_ascii_strncasecmp (names->pdata[i], device, dlen) == 0))
          return (int) i;
  return -1;
}

static gboolean
is_missing (const char *value)
{
  return *value == '\0' || g_ascii_strcasecmp (value, "nan") == 0 ||
         g_ascii_strcasecmp (value, "na") == 0 || g_ascii_strcasecmp (value, "null") == 0;
}

/* Parses a number; FALSE if @text is not one entirely. */
static gboolean
parse_number (const char *text,
              gboolean    decimal_comma,
              double     *out)
{
  g_autofree char *copy = NULL;
  char *end = NULL;

  if (decimal_comma && strchr (text, ',') != NULL)
    {
      copy = g_strdup (text);
      g_strdelimit (copy, ",", '.');
      text = copy;
    }
  if (*text == '\0')
    return FALSE;
  /* g_ascii_strtod accepts hexadecimal; a CSV of pressures never means that. */
  if (strchr (text, 'x') != NULL || strchr (text, 'X') != NULL)
    return FALSE;
  *out = g_ascii_strtod (text, &end);
  return end != NULL && *end == '\0' && end != text;
}

static gboolean
parse_value (const char  *text,
             const char  *label,
             gboolean     decimal_comma,
             guint        line,
             guint        column,
             double      *out,
             GError     **error)
{
  if (is_missing (text))
    {
      *out = NAN;
      return TRUE;
    }
  if (!parse_number (text, decimal_comma, out))
    {
      g_autofree char *q = quote_value (text);

      g_set_error (error, TT_CSV_ERROR, TT_CSV_ERROR_VALUE,
                   _("line %u, column %u: %s value '%s' is not a number"), line, column, label, q);
      return FALSE;
    }
  if (!isfinite (*out))
    {
      g_autofree char *q = quote_value (text);

      g_set_error (error, TT_CSV_ERROR, TT_CSV_ERROR_VALUE,
                   _("line %u, column %u: %s value '%s' is not a finite number"), line, column,
                   label, q);
      return FALSE;
    }
  return TRUE;
}

/* An ISO 8601 date and time in µs since the epoch; FALSE if @text is not one. */
static gboolean
parse_iso (const char *text,
           gint64     *unix_us)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *copy = g_strdup (text);

  /* "2024-03-01 08:15:02" is common in exports: GLib wants the T. */
  if (strlen (copy) > 10 && copy[10] == ' ')
    copy[10] = 'T';
  dt = g_date_time_new_from_iso8601 (copy, utc);
  if (dt == NULL)
    return FALSE;
  *unix_us = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  return TRUE;
}

static gboolean
parse_time (const char  *text,
            TimeKind    *kind,
            gboolean     decimal_comma,
            guint        line,
            guint        column,
            gint64      *first_us,
            gint64      *t_ms,
            GError     **error)
{
  g_autofree char *q = quote_value (text);
  double seconds;
  gint64 us;

  if (*text == '\0')
    {
      g_set_error (error, TT_CSV_ERROR, TT_CSV_ERROR_VALUE,
                   _("line %u, column %u: the time is missing"), line, column);
      return FALSE;
    }

  if (parse_number (text, decimal_comma, &seconds))
    {
      if (*kind == TIME_ISO)
        {
          g_set_error (error, TT_CSV_ERROR, TT_CSV_ERROR_VALUE,
                       _("line %u, column %u: time '%s' is not a date and time like the first "
                         "row's"), line, column, q);
          return FALSE;
        }
      if (!isfinite (seconds))
        {
          g_set_error (error, TT_CSV_ERROR, TT_CSV_ERROR_VALUE,
                       _("line %u, column %u: time '%s' is not a finite number"), line, column, q);
          return FALSE;
        }
      if (seconds < 0)
        {
          g_set_error (error, TT_CSV_ERROR, TT_CSV_ERROR_VALUE,
                       _("line %u, column %u: time '%s' is negative; times are seconds from the "
                         "start of the recording"), line, column, q);
          return FALSE;
        }
      if (seconds > TT_CSV_MAX_TIME_S)
        {
          g_set_error (error, TT_CSV_ERROR, TT_CSV_ERROR_VALUE,
                       _("line %u, column %u: time '%s' is too large (at most %.0f s)"), line,
                       column, q, TT_CSV_MAX_TIME_S);
          return FALSE;
        }
      *kind = TIME_SECONDS;
      *t_ms = (gint64) llround (seconds * 1000.0);
      return TRUE;
    }

  if (parse_iso (text, &us))
    {
      if (*kind == TIME_SECONDS)
        {
          g_set_error (error, TT_CSV_ERROR, TT_CSV_ERROR_VALUE,
                       _("line %u, column %u: time '%s' is not in seconds like the first row's"),
                       line, column, q);
          return FALSE;
        }
      if (*kind == TIME_UNKNOWN)
        {
          *kind = TIME_ISO;
          *first_us = us;
        }
      /* Rounded to the millisecond, relative to the first row. */
      *t_ms = (us - *first_us + (us >= *first_us ? 500 : -500)) / 1000;
      return TRUE;
    }

  g_set_error (error, TT_CSV_ERROR, TT_CSV_ERROR_VALUE,
               _("line %u, column %u: time '%s' is neither seconds nor an ISO 8601 date and time"),
               line, column, q);
  return FALSE;
}

static char *
join_names (const char * const *names)
{
  return g_strjoinv (", ", (char **) names);
}

TtRecording *
tt_csv_parse (const char         *data,
              gsize               length,
              const TtCsvOptions *options,
              GError            **error)
{
  g_autoptr(TtRecording) recording = tt_recording_new ("csv");
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *device = NULL;
  g_autofree char *prev_time_text = NULL;
  Splitter sp = { ',', NULL };
  const char * const *map_candidates;
  gsize pos = 0;
  guint line_no = 0, n_columns = 0;
  int col_time = -1, col_map = -1, col_sbp = -1, col_dbp = -1, col_hr = -1, col_event = -1;
  TimeKind kind = TIME_UNKNOWN;
  gint64 first_us = 0, prev_t = G_MININT64, first_t = 0;
  gboolean decimal_comma = FALSE;
  guint header_line = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  map_candidates = options != NULL && options->map_columns != NULL ? options->map_columns
                                                                    : tt_csv_default_map_columns;
  sp.fields = fields;

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    pos = 3;

  while (pos < length)
    {
      const char *line = data + pos;
      const char *nl = memchr (line, '\n', length - pos);
      gsize len = nl != NULL ? (gsize) (nl - line) : length - pos;
      guint bad_column = 0;
      gsize k;

      pos += len + (nl != NULL ? 1 : 0);
      line_no++;
      if (len > 0 && line[len - 1] == '\r')
        len--;
      if (memchr (line, '\0', len) != NULL)
        {
          g_set_error (error, TT_CSV_ERROR, TT_CSV_ERROR_ENCODING,
                       _("line %u: contains a NUL byte; this is not a CSV text file"), line_no);
          return NULL;
        }
      for (k = 0; k < len && g_ascii_isspace (line[k]); k++)
        ;
      if (k == len || line[k] == '#')
        continue;

      if (names == NULL)
        {
          /* The header. */
          header_line = line_no;
          sp.delim = detect_delimiter (line, len);
          decimal_comma = sp.delim == ';';
          if (!split_line (&sp, line, len, &bad_column))
            {
                  g_set_error (error, TT_CSV_ERROR, TT_CSV_ERROR_FIELDS,
                           _("line %u, column %u: a quoted field is not closed"), line_no,
                           bad_column);
              return NULL;
            }
          names = g_ptr_array_new_with_free_func (g_free);
          for (guint i = 0; i < sp.fields->len; i++)
            g_ptr_array_add (names, g_utf8_make_valid (sp.fields->pdata[i], -1));
          n_columns = names->len;

          col_time = find_column (names, tt_csv_time_columns, NULL);
          if (col_time < 0)
            {
              g_autofree char *list = join_names (tt_csv_time_columns);

                  g_set_error (error, TT_CSV_ERROR, TT_CSV_ERROR_HEADER,
                           _("line %u: no time column; expected one of: %s"), line_no, list);
              return NULL;
            }
          if (options != NULL && options->map_column != NULL)
            {
              const char * const explicit[] = { options->map_column, NULL };

              col_map = find_column (names, explicit, NULL);
              if (col_map < 0)
                {
                  g_autofree char *q = quote_value (options->map_column);
                  g_autofree char *list = NULL;

                  g_ptr_array_add (names, NULL);
                  list = join_names ((const char * const *) names->pdata);
                          g_set_error (error, TT_CSV_ERROR, TT_CSV_ERROR_HEADER,
                               _("line %u: no column named '%s'; the columns are: %s"), line_no, q,
                               list);
                  return NULL;
                }
            }
          else
            {
              col_map = find_column (names, map_candidates, NULL);
              if (col_map < 0)
                {
                  g_autofree char *list = join_names (map_candidates);

                          g_set_error (error, TT_CSV_ERROR, TT_CSV_ERROR_HEADER,
                               _("line %u: no MAP column; expected one of: %s, or name the column "
                                 "to use"), line_no, list);
                  return NULL;
                }
            }
          device = device_of (names->pdata[col_map]);
          col_sbp = find_column (names, tt_csv_sbp_columns, device);
          col_dbp = find_column (names, tt_csv_dbp_columns, device);
          col_hr = find_column (names, tt_csv_hr_columns, device);
          col_event = find_column (names, event_columns, NULL);
          g_free (recording->map_source);
          recording->map_source = g_strdup (names->pdata[col_map]);
          continue;
        }

      /* A data row. */
      if (!split_line (&sp, line, len, &bad_column))
        {
          g_set_error (error, TT_CSV_ERROR, TT_CSV_ERROR_FIELDS,
                       _("line %u, column %u: a quoted field is not closed"), line_no, bad_column);
          return NULL;
        }
      /* Trailing empty fields (a delimiter at the end of the line) are tolerated. */
      while (sp.fields->len > n_columns && *(char *) sp.fields->pdata[sp.fields->len - 1] == '\0')
        g_ptr_array_set_size (sp.fields, sp.fields->len - 1);
      if (sp.fields->len != n_columns)
        {
          guint n = sp.fields->len;

          g_set_error (error, TT_CSV_ERROR, TT_CSV_ERROR_FIELDS,
                       _("line %u: %u fields, but the header (line %u) has %u"), line_no, n,
                       header_line, n_columns);
          return NULL;
        }

      {
        const char *time_text = sp.fields->pdata[col_time];
        TtSample s;
        gint64 t_ms;
        double map;

        if (!parse_time (time_text, &kind, decimal_comma, line_no, col_time + 1, &first_us, &t_ms,
                         error))
          {
              return NULL;
          }
        if (t_ms < prev_t)
          {
            g_autofree char *q = quote_value (time_text);
            g_autofree char *qp = quote_value (prev_time_text);

              g_set_error (error, TT_CSV_ERROR, TT_CSV_ERROR_TIME_ORDER,
                         _("line %u, column %u: time '%s' is earlier than the previous row's "
                           "('%s'); rows must be in time order"), line_no, col_time + 1, q, qp);
            return NULL;
          }
        if (prev_t == G_MININT64)
          first_t = t_ms;
        else if (t_ms - first_t > TT_GRID_MAX_SPAN_MS)
          {
            g_autofree char *q = quote_value (time_text);

            g_set_error (error, TT_CSV_ERROR, TT_CSV_ERROR_TIME_ORDER,
                         _("line %u, column %u: time '%s' is more than %d days after the first "
                           "row's; a recording longer than that is not analysed"), line_no,
                         col_time + 1, q, (int) (TT_GRID_MAX_SPAN_MS / (24 * 3600 * 1000)));
            return NULL;
          }
        prev_t = t_ms;
        g_free (prev_time_text);
        prev_time_text = g_strdup (time_text);

        if (!parse_value (sp.fields->pdata[col_map], "MAP", decimal_comma, line_no, col_map + 1,
                          &map, error))
          {
              return NULL;
          }
        s = tt_sample_init (t_ms, map);
        if ((col_sbp >= 0 && !parse_value (sp.fields->pdata[col_sbp], "SBP", decimal_comma,
                                           line_no, col_sbp + 1, &s.sbp, error)) ||
            (col_dbp >= 0 && !parse_value (sp.fields->pdata[col_dbp], "DBP", decimal_comma,
                                           line_no, col_dbp + 1, &s.dbp, error)) ||
            (col_hr >= 0 && !parse_value (sp.fields->pdata[col_hr], "HR", decimal_comma,
                                          line_no, col_hr + 1, &s.hr, error)))
          {
              return NULL;
          }
        if (!isnan (map))
          g_array_append_val (recording->samples, s);
        if (col_event >= 0 && *(char *) sp.fields->pdata[col_event] != '\0')
          tt_recording_add_event_label (recording, t_ms, sp.fields->pdata[col_event]);
      }
    }

  if (names == NULL)
    {
      g_set_error (error, TT_CSV_ERROR, TT_CSV_ERROR_EMPTY,
                   _("the file is empty; expected a header line such as 'time_s,map'"));
      return NULL;
    }
  if (recording->samples->len == 0)
    {
      g_set_error (error, TT_CSV_ERROR, TT_CSV_ERROR_NO_DATA,
                   _("no row has a MAP value in column '%s'"), recording->map_source);
      return NULL;
    }
  if (kind == TIME_ISO)
    recording->start_unix_ms = first_us / 1000;

  return g_steal_pointer (&recording);
}
