/* tt-history-item.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "tt-dose.h"
#include "tt-format.h"
#include "tt-history-item.h"

struct _TtHistoryItem
{
  GObject             parent_instance;

  TtStoreSessionInfo *info;
  char               *title;
  char               *subtitle;
  char               *metrics_text;
  char               *search_text;
  gboolean            has_metrics;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_SUBTITLE,
  PROP_METRICS_TEXT,
  PROP_DETAILS,
  PROP_SEARCH_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TtHistoryItem, tt_history_item, G_TYPE_OBJECT)

const char *
tt_history_mode_describe (TtStoreMode mode)
{
  switch (mode)
    {
    case TT_STORE_MODE_LIVE:
      return _("Live");
    case TT_STORE_MODE_TRAINING:
      return _("Training");
    case TT_STORE_MODE_REPLAY:
      return _("Replay");
    default:
      return "";
    }
}

static GDateTime *
local_time (gint64 unix_ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_ms / 1000);

  return utc != NULL ? g_date_time_to_local (utc) : NULL;
}

char *
tt_history_format_date (gint64 unix_ms)
{
  g_autoptr(GDateTime) local = local_time (unix_ms);

  if (local == NULL)
    return g_strdup ("–");
  /* Translators: a session's start: the locale's date and the time, see strftime. */
  return g_date_time_format (local, _("%x %H:%M"));
}

gint64
tt_history_item_get_duration_ms (TtHistoryItem *self)
{
  g_return_val_if_fail (TT_IS_HISTORY_ITEM (self), 0);

  if (self->info->end_t_ms >= 0)
    return self->info->end_t_ms;
  return MAX (self->info->last_t_ms, 0);
}

static void
update_texts (TtHistoryItem *self)
{
  const TtStoreSessionInfo *info = self->info;
  g_autoptr(GDateTime) local = local_time (info->setup.start_unix_ms);
  g_autofree char *date = tt_history_format_date (info->setup.start_unix_ms);
  g_autofree char *duration = tt_dose_format_duration (tt_history_item_get_duration_ms (self));
  g_autofree char *iso = local ? g_date_time_format (local, "%Y-%m-%d") : g_strdup ("");
  g_autofree char *month = local ? g_date_time_format (local, "%B %Y") : g_strdup ("");
  g_autofree char *day = local ? g_date_time_format (local, "%A %e %B") : g_strdup ("");
  const char *mode = tt_history_mode_describe (info->setup.mode);
  const char *state = NULL;

  if (info->setup.label != NULL && *info->setup.label != '\0')
    self->title = g_strdup (info->setup.label);
  else
    /* Translators: the title of a session logged without a label. */
    self->title = g_strdup_printf (_("Session %" PRId64), info->id);

  if (info->state == TT_STORE_STATE_INTERRUPTED)
    state = _("interrupted");
  else if (info->state == TT_STORE_STATE_OPEN)
    state = _("being recorded");
  if (state != NULL)
    /* Translators: date · mode · duration · state, "28/11/26 08:12 · Live · 45 min · interrupted". */
    self->subtitle = g_strdup_printf (_("%s · %s · %s · %s"), date, mode, duration, state);
  else
    /* Translators: date · mode · duration, "28/11/26 08:12 · Live · 45 min". */
    self->subtitle = g_strdup_printf (_("%s · %s · %s"), date, mode, duration);

  /* The search matches the label, the date as shown, as ISO 8601, by month and by weekday, and
   * the mode. */
  self->search_text = g_strjoin (" ", self->title, date, iso, month, day, mode,
                                 state != NULL ? state : "", NULL);
  self->metrics_text = g_strdup ("…");
}

TtHistoryItem *
tt_history_item_new (TtStoreSessionInfo *info)
{
  TtHistoryItem *self;

  g_return_val_if_fail (info != NULL, NULL);

  self = g_object_new (TT_TYPE_HISTORY_ITEM, NULL);
  self->info = info;
  update_texts (self);
  return self;
}

const TtStoreSessionInfo *
tt_history_item_get_info (TtHistoryItem *self)
{
  g_return_val_if_fail (TT_IS_HISTORY_ITEM (self), NULL);
  return self->info;
}

gint64
tt_history_item_get_id (TtHistoryItem *self)
{
  g_return_val_if_fail (TT_IS_HISTORY_ITEM (self), 0);
  return self->info->id;
}

const char *
tt_history_item_get_title (TtHistoryItem *self)
{
  g_return_val_if_fail (TT_IS_HISTORY_ITEM (self), NULL);
  return self->title;
}

const char *
tt_history_item_get_subtitle (TtHistoryItem *self)
{
  g_return_val_if_fail (TT_IS_HISTORY_ITEM (self), NULL);
  return self->subtitle;
}

const char *
tt_history_item_get_metrics_text (TtHistoryItem *self)
{
  g_return_val_if_fail (TT_IS_HISTORY_ITEM (self), NULL);
  return self->metrics_text;
}

const char *
tt_history_item_get_search_text (TtHistoryItem *self)
{
  g_return_val_if_fail (TT_IS_HISTORY_ITEM (self), NULL);
  return self->search_text;
}

gboolean
tt_history_item_has_metrics (TtHistoryItem *self)
{
  g_return_val_if_fail (TT_IS_HISTORY_ITEM (self), FALSE);
  return self->has_metrics;
}

void
tt_history_item_set_metrics (TtHistoryItem              *self,
                             const TtStoreReviewMetrics *metrics,
                             const char                 *error_message)
{
  g_return_if_fail (TT_IS_HISTORY_ITEM (self));

  g_free (self->metrics_text);
  self->has_metrics = TRUE;
  if (metrics == NULL)
    {
      /* Translators: shown instead of a session's metrics. */
      self->metrics_text = g_strdup_printf (_("Metrics not available: %s"), error_message);
    }
  else
    {
      /* The trial's primary window when the case has an induction mark, else the whole case. */
      TtMetricsWindow w = metrics->have[TT_WINDOW_FIRST15] ? TT_WINDOW_FIRST15 : TT_WINDOW_CASE;
      const TtWindowMetrics *m = &metrics->windows[w];
      g_autofree char *in_band = tt_format_with_unit (m->in_band_pct, 0, "%");
      g_autofree char *aut = tt_format_with_unit (m->below[0].aut_mmhg_min, 1, _("mmHg·min"));

      if (!metrics->have[w])
        self->metrics_text = g_strdup (_("No monitored time"));
      else if (w == TT_WINDOW_FIRST15)
        /* Translators: key metrics of the 15 min after induction, "In band 67 % · AUT<65 25 mmHg·min". */
        self->metrics_text = g_strdup_printf (_("0–15 min: in band %s · AUT<65 %s"), in_band, aut);
      else
        /* Translators: key metrics of a case without induction mark. */
        self->metrics_text = g_strdup_printf (_("Whole case: in band %s · AUT<65 %s"), in_band, aut);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METRICS_TEXT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAILS]);
}

static void
tt_history_item_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TtHistoryItem *self = TT_HISTORY_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->info ? self->info->id : 0);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_SUBTITLE:
      g_value_set_string (value, self->subtitle);
      break;
    case PROP_METRICS_TEXT:
      g_value_set_string (value, self->metrics_text);
      break;
    case PROP_DETAILS:
      g_value_take_string (value, g_strconcat (self->subtitle, "\n", self->metrics_text, NULL));
      break;
    case PROP_SEARCH_TEXT:
      g_value_set_string (value, self->search_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_history_item_finalize (GObject *object)
{
  TtHistoryItem *self = TT_HISTORY_ITEM (object);

  g_clear_pointer (&self->info, tt_store_session_info_free);
  g_free (self->title);
  g_free (self->subtitle);
  g_free (self->metrics_text);
  g_free (self->search_text);

  G_OBJECT_CLASS (tt_history_item_parent_class)->finalize (object);
}

static void
tt_history_item_class_init (TtHistoryItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tt_history_item_finalize;
  object_class->get_property = tt_history_item_get_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SUBTITLE] =
    g_param_spec_string ("subtitle", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_METRICS_TEXT] =
    g_param_spec_string ("metrics-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DETAILS] =
    g_param_spec_string ("details", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SEARCH_TEXT] =
    g_param_spec_string ("search-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tt_history_item_init (TtHistoryItem *self)
{
}
