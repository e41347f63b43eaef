/* tt-mllp-feed.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tt-hl7.h"
#include "tt-mllp-feed.h"
#include "tt-signal.h"

#define MLLP_START 0x0b
#define MLLP_END   0x1c
#define MLLP_CR    0x0d
#define READ_CHUNK 65536
/* ACKs a client has not read yet; beyond this it is not reading at all. */
#define MAX_PENDING_OUT (256 * 1024)
#define WATCHDOG_MS 250

typedef struct _Connection Connection;

struct _TtMllpFeed
{
  TtFeed           parent_instance;

  /* configuration */
  char            *address;
  guint16          port;
  guint            max_message_bytes;
  guint            max_connections;
  guint            frame_timeout_ms;
  guint            idle_timeout_ms;
  char           **labels;
  TtFeedClockFunc  clock;
  gpointer         clock_data;

  /* owned */
  GSocketService  *service;
  GList           *connections;     /* of Connection *, one reference each */
  guint            watchdog_id;
  guint16          bound_port;
  gint64           start_us;
  gint64           last_sample_ms;
  gint64           last_emitted_ms;
  TtHl7Clock       hl7_clock;
  TtMllpStats      stats;
  GArray          *scratch;         /* of TtSample */
};

struct _Connection
{
  grefcount           ref;
  TtMllpFeed         *feed;        /* NULL once the connection is closed */
  GSocketConnection  *connection;
  GCancellable       *cancellable;
  char               *peer;
  guint8             *buffer;
  GByteArray         *frame;
  gboolean            in_frame;
  gboolean            oversized;
  gboolean            seen_end;    /* 0x1C seen, waiting for 0x0D */
  gint64              last_activity_us;
  gint64              frame_start_us;
  GByteArray         *pending;     /* ACK bytes not yet handed to the socket */
  GBytes             *writing;     /* ACK bytes being written */
};

G_DEFINE_FINAL_TYPE (TtMllpFeed, tt_mllp_feed, TT_TYPE_FEED)

enum {
  PROP_0,
  PROP_ADDRESS,
  PROP_PORT,
  PROP_MAX_MESSAGE_BYTES,
  PROP_MAX_CONNECTIONS,
  PROP_FRAME_TIMEOUT_MS,
  PROP_IDLE_TIMEOUT_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gint64
monotonic_clock (gpointer user_data)
{
  return g_get_monotonic_time ();
}

static gint64
now_us (TtMllpFeed *self)
{
  return self->clock (self->clock_data);
}

static gint64
now_ms (TtMllpFeed *self)
{
  return (now_us (self) - self->start_us) / 1000;
}

static Connection *
connection_ref (Connection *conn)
{
  g_ref_count_inc (&conn->ref);
  return conn;
}

static void
connection_unref (Connection *conn)
{
  if (!g_ref_count_dec (&conn->ref))
    return;
  g_clear_object (&conn->connection);
  g_clear_object (&conn->cancellable);
  g_free (conn->peer);
  g_free (conn->buffer);
  g_byte_array_unref (conn->frame);
  g_byte_array_unref (conn->pending);
  g_clear_pointer (&conn->writing, g_bytes_unref);
  g_free (conn);
}

static void
connection_close (Connection *conn,
                  const char *reason)
{
  TtMllpFeed *self = conn->feed;
  g_autofree char *message = NULL;

  if (self == NULL)
    return;
  conn->feed = NULL;
  g_cancellable_cancel (conn->cancellable);
  /* Closing a socket does not wait: the kernel finishes the TCP goodbye on its own. */
  g_io_stream_close (G_IO_STREAM (conn->connection), NULL, NULL);
  self->connections = g_list_remove (self->connections, conn);
  self->stats.connections_open--;
  if (reason != NULL)
    {
      message = g_strdup_printf (_("Connection from %s closed: %s"), conn->peer, reason);
      tt_feed_set_status_message (TT_FEED (self), message);
    }
  connection_unref (conn);
}

static void write_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data);

static void
flush (Connection *conn)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (conn->connection));

  if (conn->writing != NULL || conn->pending->len == 0 || conn->feed == NULL)
    return;
  conn->writing = g_byte_array_free_to_bytes (conn->pending);
  conn->pending = g_byte_array_new ();
  g_output_stream_write_all_async (out, g_bytes_get_data (conn->writing, NULL),
                                   g_bytes_get_size (conn->writing), G_PRIORITY_DEFAULT,
                                   conn->cancellable, write_cb, connection_ref (conn));
}

static void
write_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Connection *conn = user_data;
  g_autoptr(GError) error = NULL;

  gboolean ok = g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL,
                                                 &error);

  g_clear_pointer (&conn->writing, g_bytes_unref);
  if (!ok)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        connection_close (conn, error->message);
    }
  else
    flush (conn);
  connection_unref (conn);
}

static void
send_ack (Connection *conn,
          const char *ack)
{
  static const guint8 start = MLLP_START, end[2] = { MLLP_END, MLLP_CR };

  if (conn->pending->len > MAX_PENDING_OUT)
    {
      connection_close (conn, _("the client does not read its acknowledgements"));
      return;
    }
  g_byte_array_append (conn->pending, &start, 1);
  g_byte_array_append (conn->pending, (const guint8 *) ack, strlen (ack));
  g_byte_array_append (conn->pending, end, 2);
  flush (conn);
}

static void
handle_message (Connection   *conn,
                const guint8 *data,
                gsize         len,
                gboolean      oversized)
{
  TtMllpFeed *self = conn->feed;
  g_autoptr(TtHl7Message) message = NULL;
  g_autoptr(TtHl7Message) header = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ack = NULL;
  const TtHl7Options options = { (const char * const *) self->labels };
  gint64 arrival = now_ms (self);
  gint64 real_ms = g_get_real_time () / 1000;

  self->stats.messages++;
  if (oversized)
    {
      g_autofree char *reason = NULL;

      self->stats.oversized++;
      self->stats.rejected++;
      /* What was kept still holds the header, so the AE can name the message. */
      tt_hl7_parse ((const char *) data, len, &options, &header, NULL);
      reason = g_strdup_printf (_("The message is larger than %u bytes"), self->max_message_bytes);
      ack = tt_hl7_build_ack (header, "AE", reason, real_ms);
      send_ack (conn, ack);
      tt_feed_set_status_message (TT_FEED (self), reason);
      return;
    }

  message = tt_hl7_parse ((const char *) data, len, &options, &header, &error);
  if (message == NULL)
    {
      g_autofree char *status = g_strdup_printf (_("A message was refused: %s"), error->message);

      self->stats.rejected++;
      /* Without a readable header there is nothing to accept or retry: reject (AR). */
      ack = tt_hl7_build_ack (header, header != NULL ? "AE" : "AR", error->message, real_ms);
      send_ack (conn, ack);
      tt_feed_set_status_message (TT_FEED (self), status);
      return;
    }

  self->stats.accepted++;
  ack = tt_hl7_build_ack (message, "AA", NULL, real_ms);
  send_ack (conn, ack);

  {
    gint64 newest = -1;

    for (guint i = 0; i < message->samples->len; i++)
      newest = MAX (newest, g_array_index (message->samples, TtSample, i).t_ms);
    tt_hl7_clock_update (&self->hl7_clock, newest, arrival);
  }
  g_array_set_size (self->scratch, 0);
  for (guint i = 0; i < message->samples->len; i++)
    {
      TtSample sample = g_array_index (message->samples, TtSample, i);

      sample.t_ms = tt_hl7_clock_map (&self->hl7_clock, sample.t_ms, arrival);
      /* Samples from before the feed started, or not newer than the last one (a message sent
       * twice), are left out so that time only moves forward. */
      if (sample.t_ms < 0 || sample.t_ms <= self->last_emitted_ms)
        continue;
      self->last_emitted_ms = sample.t_ms;
      g_array_append_val (self->scratch, sample);
    }
  if (self->scratch->len > 0)
    {
      self->stats.samples += self->scratch->len;
      self->last_sample_ms = arrival;
      tt_feed_emit_samples (TT_FEED (self), (const TtSample *) (gpointer) self->scratch->data,
                            self->scratch->len);
    }
}

/* MLLP framing: 0x0B starts a message, 0x1C 0x0D ends it; bytes between frames (line breaks some
 * senders add) are counted and dropped. */
static void
process (Connection   *conn,
         const guint8 *data,
         gsize         len)
{
  for (gsize i = 0; i < len && conn->feed != NULL; i++)
    {
      guint8 b = data[i];

      if (!conn->in_frame)
        {
          if (b == MLLP_START)
            {
              conn->in_frame = TRUE;
              conn->oversized = FALSE;
              conn->seen_end = FALSE;
              conn->frame_start_us = now_us (conn->feed);
              g_byte_array_set_size (conn->frame, 0);
            }
          else
            conn->feed->stats.garbage_bytes++;
          continue;
        }
      if (conn->seen_end)
        {
          conn->seen_end = FALSE;
          conn->in_frame = FALSE;
          handle_message (conn, conn->frame->data, conn->frame->len, conn->oversized);
          g_byte_array_set_size (conn->frame, 0);
          if (b != MLLP_CR)
            i--;   /* a sender that ends with 0x1C alone: read this byte again, outside */
          continue;
        }
      if (b == MLLP_END)
        {
          conn->seen_end = TRUE;
          continue;
        }
      if (b == MLLP_START)
        {
          /* A new frame before the end of the last: the sender gave up on it. */
          conn->frame_start_us = now_us (conn->feed);
          conn->oversized = FALSE;
          g_byte_array_set_size (conn->frame, 0);
          continue;
        }
      if (conn->frame->len < conn->feed->max_message_bytes)
        {
          /* Copy the run of ordinary bytes at once. */
          gsize run = 1;
          gsize room = conn->feed->max_message_bytes - conn->frame->len;

          while (i + run < len && run < room && data[i + run] != MLLP_END &&
                 data[i + run] != MLLP_START)
            run++;
          g_byte_array_append (conn->frame, data + i, run);
          i += run - 1;
        }
      else
        conn->oversized = TRUE;
    }
}

static void start_read (Connection *conn);

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Connection *conn = user_data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (conn->feed == NULL)
    {
      connection_unref (conn);
      return;
    }
  if (n < 0)
    connection_close (conn, error->message);
  else if (n == 0)
    connection_close (conn, conn->in_frame ? _("the client left in the middle of a message")
                                           : _("the client disconnected"));
  else
    {
      g_autoptr(TtMllpFeed) self = g_object_ref (conn->feed);

      conn->last_activity_us = now_us (self);
      process (conn, conn->buffer, n);
    }
  if (conn->feed != NULL)
    start_read (conn);   /* passes the reference on */
  else
    connection_unref (conn);
}

static void
start_read (Connection *conn)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (conn->connection));

  g_input_stream_read_async (in, conn->buffer, READ_CHUNK, G_PRIORITY_DEFAULT, conn->cancellable,
                             read_cb, conn);
}

static char *
describe_peer (GSocketConnection *connection)
{
  g_autoptr(GSocketAddress) address = g_socket_connection_get_remote_address (connection, NULL);

  if (G_IS_INET_SOCKET_ADDRESS (address))
    {
      GInetAddress *inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));
      g_autofree char *text = g_inet_address_to_string (inet);

      return g_strdup_printf ("%s:%u", text,
                              g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));
    }
  return g_strdup (_("an unknown peer"));
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  TtMllpFeed *self = TT_MLLP_FEED (user_data);
  Connection *conn;
  g_autofree char *message = NULL;

  self->stats.connections_total++;
  if (self->stats.connections_open >= self->max_connections)
    {
      g_autofree char *peer = describe_peer (connection);

      self->stats.connections_refused++;
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      message = g_strdup_printf (_("Connection from %s refused: already %u connections"), peer,
                                 self->max_connections);
      tt_feed_set_status_message (TT_FEED (self), message);
      return TRUE;
    }

  conn = g_new0 (Connection, 1);
  g_ref_count_init (&conn->ref);
  conn->feed = self;
  conn->connection = g_object_ref (connection);
  conn->cancellable = g_cancellable_new ();
  conn->peer = describe_peer (connection);
  conn->buffer = g_malloc (READ_CHUNK);
  conn->frame = g_byte_array_new ();
  conn->pending = g_byte_array_new ();
  conn->last_activity_us = now_us (self);
  self->connections = g_list_prepend (self->connections, conn);
  self->stats.connections_open++;
  message = g_strdup_printf (_("Monitor connected from %s"), conn->peer);
  tt_feed_set_status_message (TT_FEED (self), message);
  start_read (connection_ref (conn));
  return TRUE;
}

static gboolean
watchdog_cb (gpointer user_data)
{
  TtMllpFeed *self = TT_MLLP_FEED (user_data);
  gint64 now = now_us (self);
  GList *l = self->connections;

  while (l != NULL)
    {
      Connection *conn = l->data;

      l = l->next;
      if (conn->in_frame && now - conn->frame_start_us > (gint64) self->frame_timeout_ms * 1000)
        {
          g_autofree char *reason = g_strdup_printf (_("a message was not finished within %.1f s"),
                                                     self->frame_timeout_ms / 1000.0);
          self->stats.connections_timed_out++;
          connection_close (conn, reason);
        }
      else if (now - conn->last_activity_us > (gint64) self->idle_timeout_ms * 1000)
        {
          g_autofree char *reason = g_strdup_printf (_("nothing received for %.1f s"),
                                                     self->idle_timeout_ms / 1000.0);
          self->stats.connections_timed_out++;
          connection_close (conn, reason);
        }
    }

  if (tt_feed_get_status (TT_FEED (self)) == TT_FEED_STATUS_CONNECTED &&
      now_ms (self) - self->last_sample_ms > TT_SIGNAL_STALE_MS)
    tt_feed_set_status (TT_FEED (self), TT_FEED_STATUS_STALE,
                        self->connections != NULL ? _("No values from the monitor for 10 s")
                                                  : _("The monitor disconnected"));
  return G_SOURCE_CONTINUE;
}

static void
close_all (TtMllpFeed *self)
{
  while (self->connections != NULL)
    connection_close (self->connections->data, NULL);
}

static gboolean
tt_mllp_feed_start (TtFeed  *feed,
                    GError **error)
{
  TtMllpFeed *self = TT_MLLP_FEED (feed);
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GSocketService) service = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *message = NULL;

  if (self->service != NULL)
    return TRUE;
  inet = g_inet_address_new_from_string (self->address);
  if (inet == NULL)
    {
      g_set_error (error, TT_FEED_ERROR, TT_FEED_ERROR_ENDPOINT,
                   _("“%s” is not an IP address (for example 127.0.0.1 or ::1)"), self->address);
      return FALSE;
    }
  address = g_inet_socket_address_new (inet, self->port);
  service = g_socket_service_new ();
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &effective, &local_error))
    {
      g_set_error (error, TT_FEED_ERROR, TT_FEED_ERROR_LISTEN,
                   _("Cannot listen for HL7 on %s port %u: %s"), self->address, self->port,
                   local_error->message);
      return FALSE;
    }
  self->bound_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect_object (service, "incoming", G_CALLBACK (incoming_cb), self, 0);
  g_socket_service_start (service);
  self->service = g_steal_pointer (&service);

  self->start_us = now_us (self);
  self->last_sample_ms = 0;
  self->last_emitted_ms = -1;
  memset (&self->hl7_clock, 0, sizeof self->hl7_clock);
  self->watchdog_id = g_timeout_add (WATCHDOG_MS, watchdog_cb, self);
  message = g_strdup_printf (_("Waiting for HL7 messages on %s port %u"), self->address,
                             self->bound_port);
  tt_feed_set_status (feed, TT_FEED_STATUS_WAITING, message);
  return TRUE;
}

static void
tt_mllp_feed_stop (TtFeed *feed)
{
  TtMllpFeed *self = TT_MLLP_FEED (feed);

  g_clear_handle_id (&self->watchdog_id, g_source_remove);
  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
      g_signal_handlers_disconnect_by_data (self->service, self);
      g_clear_object (&self->service);
    }
  close_all (self);
}

static void
tt_mllp_feed_dispose (GObject *object)
{
  tt_mllp_feed_stop (TT_FEED (object));
  G_OBJECT_CLASS (tt_mllp_feed_parent_class)->dispose (object);
}

static void
tt_mllp_feed_finalize (GObject *object)
{
  TtMllpFeed *self = TT_MLLP_FEED (object);

  g_free (self->address);
  g_strfreev (self->labels);
  g_array_unref (self->scratch);
  G_OBJECT_CLASS (tt_mllp_feed_parent_class)->finalize (object);
}

static void
tt_mllp_feed_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TtMllpFeed *self = TT_MLLP_FEED (object);

  switch (prop_id)
    {
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_MAX_MESSAGE_BYTES:
      g_value_set_uint (value, self->max_message_bytes);
      break;
    case PROP_MAX_CONNECTIONS:
      g_value_set_uint (value, self->max_connections);
      break;
    case PROP_FRAME_TIMEOUT_MS:
      g_value_set_uint (value, self->frame_timeout_ms);
      break;
    case PROP_IDLE_TIMEOUT_MS:
      g_value_set_uint (value, self->idle_timeout_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_mllp_feed_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  TtMllpFeed *self = TT_MLLP_FEED (object);

  switch (prop_id)
    {
    case PROP_ADDRESS:
      g_free (self->address);
      self->address = g_strdup (g_value_get_string (value) != NULL ? g_value_get_string (value)
                                                                   : TT_MLLP_DEFAULT_ADDRESS);
      break;
    case PROP_PORT:
      self->port = g_value_get_uint (value);
      break;
    case PROP_MAX_MESSAGE_BYTES:
      self->max_message_bytes = g_value_get_uint (value);
      break;
    case PROP_MAX_CONNECTIONS:
      self->max_connections = g_value_get_uint (value);
      break;
    case PROP_FRAME_TIMEOUT_MS:
      self->frame_timeout_ms = g_value_get_uint (value);
      break;
    case PROP_IDLE_TIMEOUT_MS:
      self->idle_timeout_ms = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_mllp_feed_class_init (TtMllpFeedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TtFeedClass *feed_class = TT_FEED_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS |
                            G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = tt_mllp_feed_dispose;
  object_class->finalize = tt_mllp_feed_finalize;
  object_class->get_property = tt_mllp_feed_get_property;
  object_class->set_property = tt_mllp_feed_set_property;
  feed_class->start = tt_mllp_feed_start;
  feed_class->stop = tt_mllp_feed_stop;

  properties[PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL, TT_MLLP_DEFAULT_ADDRESS, flags);
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, 65535, 0, flags);
  properties[PROP_MAX_MESSAGE_BYTES] =
    g_param_spec_uint ("max-message-bytes", NULL, NULL, 64, 64 * 1024 * 1024,
                       TT_MLLP_DEFAULT_MAX_MESSAGE, flags);
  properties[PROP_MAX_CONNECTIONS] =
    g_param_spec_uint ("max-connections", NULL, NULL, 1, 1024, TT_MLLP_DEFAULT_MAX_CONNECTIONS,
                       flags);
  properties[PROP_FRAME_TIMEOUT_MS] =
    g_param_spec_uint ("frame-timeout-ms", NULL, NULL, 1, G_MAXUINT,
                       TT_MLLP_DEFAULT_FRAME_TIMEOUT_MS, flags);
  properties[PROP_IDLE_TIMEOUT_MS] =
    g_param_spec_uint ("idle-timeout-ms", NULL, NULL, 1, G_MAXUINT,
                       TT_MLLP_DEFAULT_IDLE_TIMEOUT_MS, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tt_mllp_feed_init (TtMllpFeed *self)
{
  self->clock = monotonic_clock;
  self->scratch = g_array_new (FALSE, FALSE, sizeof (TtSample));
  self->last_emitted_ms = -1;
}

TtMllpFeed *
tt_mllp_feed_new (const char *address,
                  guint16     port)
{
  g_autofree char *description =
    g_strdup_printf (_("live from the HL7 monitor feed on %s port %u"),
                     address != NULL ? address : TT_MLLP_DEFAULT_ADDRESS, port);

  return g_object_new (TT_TYPE_MLLP_FEED,
                       "address", address != NULL ? address : TT_MLLP_DEFAULT_ADDRESS,
                       "port", (guint) port,
                       "training", FALSE,
                       "description", description,
                       NULL);
}

guint16
tt_mllp_feed_get_port (TtMllpFeed *self)
{
  g_return_val_if_fail (TT_IS_MLLP_FEED (self), 0);
  return self->bound_port != 0 ? self->bound_port : self->port;
}

void
tt_mllp_feed_get_stats (TtMllpFeed  *self,
                        TtMllpStats *stats)
{
  g_return_if_fail (TT_IS_MLLP_FEED (self));
  *stats = self->stats;
}

void
tt_mllp_feed_set_labels (TtMllpFeed         *self,
                         const char * const *labels)
{
  g_return_if_fail (TT_IS_MLLP_FEED (self));
  g_strfreev (self->labels);
  self->labels = g_strdupv ((char **) labels);
}

void
tt_mllp_feed_set_clock (TtMllpFeed      *self,
                        TtFeedClockFunc  clock,
                        gpointer         user_data)
{
  g_return_if_fail (TT_IS_MLLP_FEED (self));
  self->clock = clock != NULL ? clock : monotonic_clock;
  self->clock_data = user_data;
}
