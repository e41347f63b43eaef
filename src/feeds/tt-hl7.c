/* tt-hl7.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "tt-hl7.h"

G_DEFINE_QUARK (tt-hl7-error-quark, tt_hl7_error)

#define KPA_TO_MMHG 7.50062

static const char * const default_labels[] = { TT_HL7_DEFAULT_LABELS, NULL };

typedef struct {
  const char *code;
  TtHl7Kind   kind;
} Code;

/* IEEE 11073-10101 (MDC) codes, as numbers and as reference ids, and LOINC codes. The generic
 * LOINC blood pressures (8478-0 …) are left out on purpose: gateways use them for the cuff too. */
static const Code codes[] = {
  { "150035", TT_HL7_KIND_MAP }, { "MDC_PRESS_BLD_ART_MEAN", TT_HL7_KIND_MAP },
  { "150039", TT_HL7_KIND_MAP }, { "MDC_PRESS_BLD_ART_ABP_MEAN", TT_HL7_KIND_MAP },
  { "150033", TT_HL7_KIND_SBP }, { "MDC_PRESS_BLD_ART_SYS", TT_HL7_KIND_SBP },
  { "150037", TT_HL7_KIND_SBP }, { "MDC_PRESS_BLD_ART_ABP_SYS", TT_HL7_KIND_SBP },
  { "150034", TT_HL7_KIND_DBP }, { "MDC_PRESS_BLD_ART_DIA", TT_HL7_KIND_DBP },
  { "150038", TT_HL7_KIND_DBP }, { "MDC_PRESS_BLD_ART_ABP_DIA", TT_HL7_KIND_DBP },
  { "149522", TT_HL7_KIND_HR }, { "MDC_BLD_PULS_RATE_INV", TT_HL7_KIND_HR },
  { "147842", TT_HL7_KIND_HR }, { "MDC_ECG_CARD_BEAT_RATE", TT_HL7_KIND_HR },
  { "76214-6", TT_HL7_KIND_MAP }, { "76215-3", TT_HL7_KIND_SBP }, { "76213-8", TT_HL7_KIND_DBP },
  { "8867-4", TT_HL7_KIND_HR },
};

static const char * const mean_suffixes[] = { "MEAN", "M", "MBP", "MAP", NULL };
static const char * const sys_suffixes[] = { "SYS", "S", "SBP", "SYST", NULL };
static const char * const dia_suffixes[] = { "DIA", "D", "DBP", "DIAS", "DIAST", NULL };

typedef struct {
  char field;
  char component;
  char repetition;
  char escape;
  char subcomponent;
} Separators;

static void
observation_clear (gpointer data)
{
  TtHl7Observation *obs = data;

  g_free (obs->identifier);
  g_free (obs->unit);
}

void
tt_hl7_message_free (TtHl7Message *message)
{
  if (message == NULL)
    return;
  g_free (message->sending_application);
  g_free (message->sending_facility);
  g_free (message->receiving_application);
  g_free (message->receiving_facility);
  g_free (message->message_type);
  g_free (message->control_id);
  g_free (message->processing_id);
  g_free (message->version);
  g_clear_pointer (&message->observations, g_array_unref);
  g_clear_pointer (&message->samples, g_array_unref);
  g_free (message);
}

static TtHl7Message *
message_new (void)
{
  TtHl7Message *message = g_new0 (TtHl7Message, 1);

  message->message_unix_ms = -1;
  message->observations = g_array_new (FALSE, FALSE, sizeof (TtHl7Observation));
  g_array_set_clear_func (message->observations, observation_clear);
  message->samples = g_array_new (FALSE, FALSE, sizeof (TtSample));
  return message;
}

/* Component @n (1-based) of @field, trimmed; "" when absent. */
static char *
component (const char *field,
           char        separator,
           guint       n)
{
  const char *start = field;
  const char *end;

  for (guint i = 1; i < n; i++)
    {
      start = strchr (start, separator);
      if (start == NULL)
        return g_strdup ("");
      start++;
    }
  end = strchr (start, separator);
  return g_strstrip (end != NULL ? g_strndup (start, end - start) : g_strdup (start));
}

/* The first repetition of @field. */
static char *
first_repetition (const char *field,
                  char        repetition)
{
  const char *end = strchr (field, repetition);

  return end != NULL ? g_strndup (field, end - field) : g_strdup (field);
}

static const char *
field_of (char       **fields,
          guint        n_fields,
          guint        n)
{
  return n < n_fields ? fields[n] : "";
}

static gboolean
label_kind (const char          *text,
            const char * const  *labels,
            TtHl7Kind           *kind)
{
  for (guint i = 0; labels[i] != NULL; i++)
    {
      gsize n = strlen (labels[i]);
      g_autoptr(GString) rest = NULL;

      if (n == 0 || g_ascii_strncasecmp (text, labels[i], n) != 0)
        continue;
      rest = g_string_new (NULL);
      for (const char *p = text + n; *p != '\0'; p++)
        if (!strchr (" _-()./", *p))
          g_string_append_c (rest, g_ascii_toupper (*p));
      if (g_strv_contains (mean_suffixes, rest->str))
        *kind = TT_HL7_KIND_MAP;
      else if (g_strv_contains (sys_suffixes, rest->str))
        *kind = TT_HL7_KIND_SBP;
      else if (g_strv_contains (dia_suffixes, rest->str))
        *kind = TT_HL7_KIND_DBP;
      else
        continue;
      return TRUE;
    }
  return FALSE;
}

static TtHl7Kind
classify (const char          *identifier,
          char                 separator,
          const TtHl7Options  *options)
{
  const char * const *labels = options != NULL && options->labels != NULL ? options->labels
                                                                          : default_labels;
  /* Identifier, text and the alternate identifier and text (OBX-3.1, .2, .4, .5). */
  static const guint parts[] = { 1, 2, 4, 5 };

  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    {
      g_autofree char *text = component (identifier, separator, parts[p]);

      if (*text == '\0')
        continue;
      for (guint c = 0; c < G_N_ELEMENTS (codes); c++)
        if (g_str_equal (text, codes[c].code))
          return codes[c].kind;
    }
  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    {
      g_autofree char *text = component (identifier, separator, parts[p]);
      TtHl7Kind kind;

      if (*text != '\0' && label_kind (text, labels, &kind))
        return kind;
    }
  return TT_HL7_KIND_NONE;
}

TtHl7Kind
tt_hl7_classify (const char         *identifier,
                 const TtHl7Options *options)
{
  g_return_val_if_fail (identifier != NULL, TT_HL7_KIND_NONE);
  return classify (identifier, '^', options);
}

static gboolean
take_digits (const char **p,
             guint        n,
             int         *out)
{
  int v = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit ((*p)[i]))
        return FALSE;
      v = v * 10 + ((*p)[i] - '0');
    }
  *p += n;
  *out = v;
  return TRUE;
}

gboolean
tt_hl7_parse_time (const char *text,
                   GTimeZone  *local_zone,
                   gint64     *unix_ms)
{
  const char *p = text;
  int year, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  int frac_ms = 0;
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) dt = NULL;

  while (*p == ' ')
    p++;
  if (!take_digits (&p, 4, &year))
    return FALSE;
  if (g_ascii_isdigit (*p) && !take_digits (&p, 2, &month))
    return FALSE;
  if (g_ascii_isdigit (*p) && !take_digits (&p, 2, &day))
    return FALSE;
  if (g_ascii_isdigit (*p) && !take_digits (&p, 2, &hour))
    return FALSE;
  if (g_ascii_isdigit (*p) && !take_digits (&p, 2, &minute))
    return FALSE;
  if (g_ascii_isdigit (*p) && !take_digits (&p, 2, &second))
    return FALSE;
  if (*p == '.')
    {
      int scale = 100;

      p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      for (; g_ascii_isdigit (*p); p++)
        {
          frac_ms += (*p - '0') * scale;
          scale /= 10;
        }
    }
  if (*p == '+' || *p == '-')
    {
      int zh, zm;
      char sign = *p++;
      g_autofree char *identifier = NULL;

      if (!take_digits (&p, 2, &zh) || !take_digits (&p, 2, &zm) || zh > 23 || zm > 59)
        return FALSE;
      identifier = g_strdup_printf ("%c%02d:%02d", sign, zh, zm);
      zone = g_time_zone_new_identifier (identifier);
      if (zone == NULL)
        return FALSE;
    }
  while (*p == ' ')
    p++;
  if (*p != '\0' || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 ||
      second > 59 || year < 1)
    return FALSE;
  dt = g_date_time_new (zone != NULL ? zone : local_zone, year, month, day, hour, minute, second);
  if (dt == NULL)
    return FALSE;
  *unix_ms = g_date_time_to_unix (dt) * 1000 + frac_ms;
  /* Before 1970 is no monitor's clock, and negative times mean "none" to the callers. */
  return *unix_ms >= 0;
}

static gboolean
parse_number (const char *text,
              double     *out)
{
  char *end = NULL;

  if (*text == '\0')
    return FALSE;
  *out = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (*out);
}

/* The factor to mmHg of a pressure unit (OBX-6), or 0 when it is not a pressure unit we take.
 * An empty unit is taken as mmHg, the unit every arterial channel reports by default. */
static double
pressure_factor (const char *unit,
                 char        separator)
{
  g_autofree char *code = component (unit, separator, 1);
  g_autofree char *text = component (unit, separator, 2);
  static const char * const mmhg[] = { "266016", "MDC_DIM_MMHG", "mmHg", "mm[Hg]", "mm Hg", NULL };
  static const char * const kpa[] = { "265987", "MDC_DIM_KILO_PASCAL", "kPa", NULL };

  if (*code == '\0' && *text == '\0')
    return 1.0;
  for (guint i = 0; mmhg[i] != NULL; i++)
    if (g_ascii_strcasecmp (code, mmhg[i]) == 0 || g_ascii_strcasecmp (text, mmhg[i]) == 0)
      return 1.0;
  for (guint i = 0; kpa[i] != NULL; i++)
    if (g_ascii_strcasecmp (code, kpa[i]) == 0 || g_ascii_strcasecmp (text, kpa[i]) == 0)
      return KPA_TO_MMHG;
  return 0.0;
}

static gboolean
rate_unit (const char *unit,
           char        separator)
{
  g_autofree char *code = component (unit, separator, 1);
  g_autofree char *text = component (unit, separator, 2);
  static const char * const rates[] = {
    "264864", "MDC_DIM_BEAT_PER_MIN", "/min", "bpm", "{beats}/min", "{beat}/min", "1/min", NULL
  };

  if (*code == '\0' && *text == '\0')
    return TRUE;
  for (guint i = 0; rates[i] != NULL; i++)
    if (g_ascii_strcasecmp (code, rates[i]) == 0 || g_ascii_strcasecmp (text, rates[i]) == 0)
      return TRUE;
  return FALSE;
}

static int
compare_observation_time (gconstpointer a,
                          gconstpointer b)
{
  const TtHl7Observation *oa = a, *ob = b;

  return (oa->time_unix_ms > ob->time_unix_ms) - (oa->time_unix_ms < ob->time_unix_ms);
}

static void
build_samples (TtHl7Message *message)
{
  g_autoptr(GArray) sorted = g_array_sized_new (FALSE, FALSE, sizeof (TtHl7Observation),
                                                message->observations->len);

  g_array_append_vals (sorted, message->observations->data, message->observations->len);
  /* Sorting a copy of the structs: the strings stay owned by message->observations. */
  g_array_sort (sorted, compare_observation_time);
  for (guint i = 0; i < sorted->len;)
    {
      gint64 t = g_array_index (sorted, TtHl7Observation, i).time_unix_ms;
      TtSample sample = tt_sample_init (t, NAN);

      for (; i < sorted->len && g_array_index (sorted, TtHl7Observation, i).time_unix_ms == t; i++)
        {
          const TtHl7Observation *obs = &g_array_index (sorted, TtHl7Observation, i);
          double *slot = obs->kind == TT_HL7_KIND_MAP ? &sample.map
                       : obs->kind == TT_HL7_KIND_SBP ? &sample.sbp
                       : obs->kind == TT_HL7_KIND_DBP ? &sample.dbp : &sample.hr;

          /* Two channels of one kind (a second arterial line): the first one sent wins. */
          if (isnan (*slot))
            *slot = obs->value;
        }
      if (!isnan (sample.map) || !isnan (sample.hr))
        g_array_append_val (message->samples, sample);
    }
}

static gboolean
malformed (GError     **error,
           const char  *segment,
           guint        seq,
           const char  *what,
           const char  *value,
           const char  *expected)
{
  g_autofree char *valid = g_utf8_make_valid (value, MIN (strlen (value), 80));

  g_set_error (error, TT_HL7_ERROR, TT_HL7_ERROR_MALFORMED,
               _("%s %u, %s: “%s” is not %s"), segment, seq, what, valid, expected);
  return FALSE;
}

static gboolean
parse_obx (TtHl7Message        *message,
           char               **fields,
           guint                n_fields,
           const Separators    *sep,
           gint64               group_time_ms,
           GTimeZone           *zone,
           const TtHl7Options  *options,
           GError             **error)
{
  const char *identifier = field_of (fields, n_fields, 3);
  g_autofree char *status = component (field_of (fields, n_fields, 11), sep->component, 1);
  g_autofree char *first = NULL;
  g_autofree char *value_text = NULL;
  g_autofree char *time_text = NULL;
  g_autofree char *set_id = component (field_of (fields, n_fields, 1), sep->component, 1);
  const char *unit = field_of (fields, n_fields, 6);
  TtHl7Observation obs = { 0 };
  guint64 seq = 0;
  double factor = 1.0;

  obs.kind = classify (identifier, sep->component, options);
  if (obs.kind == TT_HL7_KIND_NONE)
    return TRUE;
  /* Cannot be obtained, deleted, wrong, not asked, pending: no value to take. */
  if (strchr ("XDWNI", status[0]) != NULL && status[0] != '\0')
    return TRUE;

  g_ascii_string_to_unsigned (set_id, 10, 0, G_MAXUINT, &seq, NULL);
  first = first_repetition (field_of (fields, n_fields, 5), sep->repetition);
  value_text = component (first, sep->component, 1);
  if (*value_text == '\0')
    return TRUE;
  if (!parse_number (value_text, &obs.value))
    {
      g_autofree char *id = g_utf8_make_valid (identifier, -1);
      g_autofree char *what = g_strdup_printf (_("value (OBX-5) of %s"), id);

      return malformed (error, "OBX", seq, what, value_text, _("a number"));
    }

  if (obs.kind == TT_HL7_KIND_HR)
    {
      if (!rate_unit (unit, sep->component))
        {
          g_autofree char *u = g_utf8_make_valid (unit, -1);
          g_autofree char *id = g_utf8_make_valid (identifier, -1);

          g_set_error (error, TT_HL7_ERROR, TT_HL7_ERROR_UNIT,
                       _("OBX %u: the unit “%s” of %s is not beats per minute"), (guint) seq, u,
                       id);
          return FALSE;
        }
    }
  else
    {
      factor = pressure_factor (unit, sep->component);
      if (factor == 0.0)
        {
          g_autofree char *u = g_utf8_make_valid (unit, -1);
          g_autofree char *id = g_utf8_make_valid (identifier, -1);

          g_set_error (error, TT_HL7_ERROR, TT_HL7_ERROR_UNIT,
                       _("OBX %u: the unit “%s” of %s is neither mmHg nor kPa"), (guint) seq, u,
                       id);
          return FALSE;
        }
    }
  obs.value *= factor;

  time_text = component (field_of (fields, n_fields, 14), sep->component, 1);
  obs.time_unix_ms = group_time_ms;
  if (*time_text != '\0' && !tt_hl7_parse_time (time_text, zone, &obs.time_unix_ms))
    return malformed (error, "OBX", seq, _("observation time (OBX-14)"), time_text,
                      _("an HL7 date and time (YYYYMMDDHHMMSS)"));

  obs.identifier = g_strdup (identifier);
  obs.unit = g_strdup (unit);
  g_array_append_val (message->observations, obs);
  return TRUE;
}

TtHl7Message *
tt_hl7_parse (const char          *data,
              gsize                len,
              const TtHl7Options  *options,
              TtHl7Message       **header_out,
              GError             **error)
{
  g_autoptr(TtHl7Message) message = NULL;
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autofree char *text = NULL;
  g_auto(GStrv) segments = NULL;
  g_auto(GStrv) msh = NULL;
  g_autofree char *type = NULL, *trigger = NULL;
  char fs[2] = { 0 };
  Separators sep = { '|', '^', '~', '\\', '&' };
  gint64 group_time = -1;
  guint first = 0, n_msh;
  const char *encoding;

  if (header_out != NULL)
    *header_out = NULL;
  if (memchr (data, '\0', len) != NULL)
    {
      g_set_error (error, TT_HL7_ERROR, TT_HL7_ERROR_NOT_HL7,
                   _("Not an HL7 message: it holds binary data (a NUL byte)"));
      return NULL;
    }
  text = g_strndup (data, len);
  segments = g_strsplit_set (text, "\r\n", -1);
  /* Leading blank lines and a UTF-8 byte order mark are tolerated. */
  while (segments[first] != NULL && g_strstrip (segments[first])[0] == '\0')
    first++;
  if (segments[first] != NULL && g_str_has_prefix (segments[first], "\xef\xbb\xbf"))
    memmove (segments[first], segments[first] + 3, strlen (segments[first]) - 2);
  if (segments[first] == NULL || !g_str_has_prefix (segments[first], "MSH") ||
      strlen (segments[first]) < 8 || g_ascii_isalnum (segments[first][3]))
    {
      g_set_error (error, TT_HL7_ERROR, TT_HL7_ERROR_NOT_HL7,
                   _("Not an HL7 message: it does not start with an MSH segment"));
      return NULL;
    }

  sep.field = segments[first][3];
  fs[0] = sep.field;
  msh = g_strsplit (segments[first], fs, -1);
  n_msh = g_strv_length (msh);
  encoding = msh[1];
  if (strlen (encoding) >= 1)
    sep.component = encoding[0];
  if (strlen (encoding) >= 2)
    sep.repetition = encoding[1];
  if (strlen (encoding) >= 3)
    sep.escape = encoding[2];
  if (strlen (encoding) >= 4)
    sep.subcomponent = encoding[3];

  /* MSH-n is msh[n - 1]: the field separator itself is MSH-1. Spaces around values are a
   * common quirk and are trimmed. */
  message = message_new ();
  message->sending_application = g_strstrip (g_strdup (field_of (msh, n_msh, 2)));
  message->sending_facility = g_strstrip (g_strdup (field_of (msh, n_msh, 3)));
  message->receiving_application = g_strstrip (g_strdup (field_of (msh, n_msh, 4)));
  message->receiving_facility = g_strstrip (g_strdup (field_of (msh, n_msh, 5)));
  message->message_type = g_strstrip (g_strdup (field_of (msh, n_msh, 8)));
  message->control_id = g_strstrip (g_strdup (field_of (msh, n_msh, 9)));
  message->processing_id = g_strstrip (g_strdup (field_of (msh, n_msh, 10)));
  message->version = g_strstrip (g_strdup (field_of (msh, n_msh, 11)));

  if (header_out != NULL)
    {
      TtHl7Message *header = message_new ();

      header->sending_application = g_strdup (message->sending_application);
      header->sending_facility = g_strdup (message->sending_facility);
      header->receiving_application = g_strdup (message->receiving_application);
      header->receiving_facility = g_strdup (message->receiving_facility);
      header->message_type = g_strdup (message->message_type);
      header->control_id = g_strdup (message->control_id);
      header->processing_id = g_strdup (message->processing_id);
      header->version = g_strdup (message->version);
      *header_out = header;
    }

  {
    g_autofree char *time_text = component (field_of (msh, n_msh, 6), sep.component, 1);

    if (*time_text != '\0' &&
        !tt_hl7_parse_time (time_text, zone, &message->message_unix_ms))
      {
        malformed (error, "MSH", 1, _("message time (MSH-7)"), time_text,
                   _("an HL7 date and time (YYYYMMDDHHMMSS)"));
        return NULL;
      }
  }
  type = component (message->message_type, sep.component, 1);
  trigger = component (message->message_type, sep.component, 2);
  if (!g_str_equal (type, "ORU") || !g_str_equal (trigger, "R01"))
    {
      g_autofree char *valid = g_utf8_make_valid (message->message_type, -1);

      g_set_error (error, TT_HL7_ERROR, TT_HL7_ERROR_UNSUPPORTED,
                   _("Message type “%s” is not supported; Titrate reads observations (ORU^R01)"),
                   valid);
      return NULL;
    }

  group_time = message->message_unix_ms;
  for (guint i = first + 1; segments[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      guint n_fields;
      char *segment = g_strstrip (segments[i]);

      if (*segment == '\0')
        continue;
      fields = g_strsplit (segment, fs, -1);
      n_fields = g_strv_length (fields);
      if (g_str_equal (fields[0], "OBR"))
        {
          g_autofree char *time_text = component (field_of (fields, n_fields, 7), sep.component, 1);

          group_time = message->message_unix_ms;
          if (*time_text != '\0' && !tt_hl7_parse_time (time_text, zone, &group_time))
            {
              malformed (error, "OBR", 1, _("observation time (OBR-7)"), time_text,
                         _("an HL7 date and time (YYYYMMDDHHMMSS)"));
              return NULL;
            }
        }
      else if (g_str_equal (fields[0], "OBX"))
        {
          if (!parse_obx (message, fields, n_fields, &sep, group_time, zone, options, error))
            return NULL;
        }
    }

  build_samples (message);
  if (message->samples->len == 0)
    {
      g_set_error (error, TT_HL7_ERROR, TT_HL7_ERROR_NO_DATA,
                   _("The message holds no arterial pressure (MDC 150035, 150039 …) and no heart "
                     "rate"));
      return NULL;
    }
  return g_steal_pointer (&message);
}

/* A field copied from the message it answers: components kept, only the field separator
 * escaped and line breaks removed. */
static void
append_field (GString    *out,
              const char *text)
{
  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    if (*p == '|')
      g_string_append (out, "\\F\\");
    else if (*p == '\r' || *p == '\n')
      g_string_append_c (out, ' ');
    else
      g_string_append_c (out, *p);
}

/* Text for an HL7 field: separators escaped, line breaks removed. */
static void
append_escaped (GString    *out,
                const char *text)
{
  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    switch (*p)
      {
      case '|':
        g_string_append (out, "\\F\\");
        break;
      case '^':
        g_string_append (out, "\\S\\");
        break;
      case '~':
        g_string_append (out, "\\R\\");
        break;
      case '&':
        g_string_append (out, "\\T\\");
        break;
      case '\\':
        g_string_append (out, "\\E\\");
        break;
      case '\r':
      case '\n':
        g_string_append_c (out, ' ');
        break;
      default:
        g_string_append_c (out, *p);
      }
}

char *
tt_hl7_build_ack (const TtHl7Message *message,
                  const char         *code,
                  const char         *reason,
                  gint64              now_unix_ms)
{
  g_autoptr(GString) ack = g_string_new ("MSH|^~\\&|Titrate|Titrate|");
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (now_unix_ms / 1000);
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d%H%M%S");

  g_return_val_if_fail (code != NULL, NULL);

  if (message != NULL)
    {
      append_field (ack, message->sending_application);
      g_string_append_c (ack, '|');
      append_field (ack, message->sending_facility);
    }
  else
    g_string_append_c (ack, '|');
  g_string_append_printf (ack, "|%s.%03d+0000||ACK^R01^ACK|ACK%" G_GINT64_FORMAT "|",
                          stamp, (int) (now_unix_ms % 1000), now_unix_ms);
  append_escaped (ack, message != NULL && message->processing_id != NULL &&
                       message->processing_id[0] != '\0' ? message->processing_id : "P");
  g_string_append_c (ack, '|');
  append_escaped (ack, message != NULL && message->version != NULL && message->version[0] != '\0'
                       ? message->version : "2.6");
  g_string_append (ack, "\rMSA|");
  append_escaped (ack, code);
  g_string_append_c (ack, '|');
  if (message != NULL)
    append_field (ack, message->control_id);
  if (!g_str_equal (code, "AA") && reason != NULL)
    {
      g_string_append_c (ack, '|');
      append_escaped (ack, reason);
      g_string_append (ack, "\rERR|||207^Application internal error^HL70357|E||||");
      append_escaped (ack, reason);
    }
  g_string_append_c (ack, '\r');
  return g_string_free (g_steal_pointer (&ack), FALSE);
}

void
tt_hl7_clock_update (TtHl7Clock *clock,
                     gint64      newest_device_unix_ms,
                     gint64      receive_ms)
{
  if (newest_device_unix_ms < 0)
    return;
  if (!clock->anchored)
    {
      clock->anchored = TRUE;
      clock->offset_ms = receive_ms - newest_device_unix_ms;
      return;
    }
  if (ABS (newest_device_unix_ms + clock->offset_ms - receive_ms) > TT_HL7_MAX_SKEW_MS)
    {
      clock->offset_ms = receive_ms - newest_device_unix_ms;
      clock->n_resets++;
    }
}

gint64
tt_hl7_clock_map (const TtHl7Clock *clock,
                  gint64            device_unix_ms,
                  gint64            receive_ms)
{
  if (device_unix_ms < 0 || !clock->anchored)
    return receive_ms;
  return device_unix_ms + clock->offset_ms;
}
