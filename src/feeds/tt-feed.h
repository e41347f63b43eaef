/* tt-feed.h: what every source of samples has in common (virtual patient, replay of a recording,
 * HL7/MLLP listener, line stream). Feeds deliver on the main context of the thread that called
 * tt_feed_start() and never block it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "tt-sample.h"

G_BEGIN_DECLS

typedef enum {
  TT_FEED_STATUS_STOPPED,     /* not started, or stopped */
  TT_FEED_STATUS_WAITING,     /* started, nothing received yet (a listener waiting for a client) */
  TT_FEED_STATUS_CONNECTED,   /* samples are arriving */
  TT_FEED_STATUS_STALE,       /* started, but no sample for more than 10 s */
  TT_FEED_STATUS_ENDED,       /* a recording played to its end */
  TT_FEED_STATUS_ERROR,       /* failed; the status message says why */
} TtFeedStatus;

GType tt_feed_status_get_type (void) G_GNUC_CONST;
#define TT_TYPE_FEED_STATUS (tt_feed_status_get_type ())

#define TT_TYPE_FEED (tt_feed_get_type ())

G_DECLARE_DERIVABLE_TYPE (TtFeed, tt_feed, TT, FEED, GObject)

struct _TtFeedClass
{
  GObjectClass parent_class;

  /* Subclasses start and stop their source here; the base class handles the status. */
  gboolean (*start) (TtFeed   *self,
                     GError  **error);
  void     (*stop)  (TtFeed   *self);

  /* signals */
  void     (*samples) (TtFeed         *self,
                       const TtSample *samples,
                       guint           n_samples);
  void     (*event)   (TtFeed         *self,
                       gint64          t_ms,
                       const char     *kind,
                       const char     *text);

  gpointer padding[8];
};

gboolean      tt_feed_start              (TtFeed          *self,
                                          GError         **error);
void          tt_feed_stop               (TtFeed          *self);
TtFeedStatus  tt_feed_get_status         (TtFeed          *self);
const char   *tt_feed_get_status_message (TtFeed          *self);
gboolean      tt_feed_get_training       (TtFeed          *self);
const char   *tt_feed_get_description    (TtFeed          *self);

/* For subclasses. */
void          tt_feed_set_status         (TtFeed          *self,
                                          TtFeedStatus     status,
                                          const char      *message);
/* Keeps the current status and replaces its message. */
void          tt_feed_set_status_message (TtFeed          *self,
                                          const char      *message);
void          tt_feed_emit_samples       (TtFeed          *self,
                                          const TtSample  *samples,
                                          guint            n_samples);
void          tt_feed_emit_event         (TtFeed          *self,
                                          gint64           t_ms,
                                          const char      *kind,
                                          const char      *text);

G_END_DECLS
