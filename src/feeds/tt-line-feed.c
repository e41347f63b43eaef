/* tt-line-feed.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <errno.h>
#include <fcntl.h>
#include <gio/gunixinputstream.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "tt-line-feed.h"
#include "tt-signal.h"

#define READ_CHUNK 8192
#define MAX_CONNECTIONS 4
#define WATCHDOG_MS 250

typedef enum {
  SOURCE_TCP,
  SOURCE_STREAM,
  SOURCE_DEVICE,
} SourceKind;

typedef struct _Reader Reader;

struct _TtLineFeed
{
  TtFeed           parent_instance;

  SourceKind       kind;
  char            *address;
  guint16          port;
  guint16          bound_port;
  GInputStream    *stream;        /* SOURCE_STREAM */
  char            *path;          /* SOURCE_DEVICE */
  guint            baud;
  TtFeedClockFunc  clock;
  gpointer         clock_data;

  GSocketService  *service;
  GList           *readers;       /* of Reader *, one reference each */
  guint            watchdog_id;
  gint64           start_us;
  gint64           last_sample_ms;
  gint64           last_emitted_ms;
  TtLineStats      stats;
};

struct _Reader
{
  grefcount     ref;
  TtLineFeed   *feed;            /* NULL once closed */
  GIOStream    *connection;      /* TCP only */
  GInputStream *in;
  GCancellable *cancellable;
  char         *name;
  guint8       *buffer;
  GByteArray   *line;
  gboolean      overlong;
  guint         line_number;
  gboolean      anchored;
  gint64        offset_ms;       /* feed time − bridge time */
  gint64        last_source_ms;
};

G_DEFINE_FINAL_TYPE (TtLineFeed, tt_line_feed, TT_TYPE_FEED)

enum {
  BAD_LINE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gint64
monotonic_clock (gpointer user_data)
{
  return g_get_monotonic_time ();
}

static gint64
now_ms (TtLineFeed *self)
{
  return (self->clock (self->clock_data) - self->start_us) / 1000;
}

static gboolean
parse_value (const char *text,
             double     *out)
{
  char *end = NULL;

  if (*text == '\0' || g_ascii_strcasecmp (text, "nan") == 0)
    {
      *out = NAN;
      return TRUE;
    }
  *out = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (*out);
}

gboolean
tt_line_parse (const char  *line,
               gsize        len,
               TtSample    *sample,
               GError     **error)
{
  static const char * const names[] = { "time", "MAP", "SBP", "DBP", "HR" };
  g_autofree char *copy = NULL;
  g_auto(GStrv) fields = NULL;
  guint n;
  gint64 t;
  double values[5] = { NAN, NAN, NAN, NAN, NAN };

  sample->t_ms = -1;
  if (memchr (line, '\0', len) != NULL || !g_utf8_validate (line, len, NULL))
    {
      g_set_error (error, TT_FEED_ERROR, TT_FEED_ERROR_LINE,
                   _("binary data, not a line of text"));
      return FALSE;
    }
  copy = g_strstrip (g_strndup (line, len));
  if (*copy == '\0' || *copy == '#')
    return TRUE;
  fields = g_strsplit (copy, ",", -1);
  n = g_strv_length (fields);
  if (n < 2 || n > 5)
    {
      g_set_error (error, TT_FEED_ERROR, TT_FEED_ERROR_LINE,
                   _("%u fields; expected t_ms,map[,sbp,dbp,hr]"), n);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    g_strstrip (fields[i]);
  if (!g_ascii_string_to_signed (fields[0], 10, 0, TT_LINE_MAX_T_MS, &t, NULL))
    {
      g_set_error (error, TT_FEED_ERROR, TT_FEED_ERROR_LINE,
                   _("time “%.40s” is not a whole number of ms from 0 to %" PRId64),
                   fields[0], TT_LINE_MAX_T_MS);
      return FALSE;
    }
  for (guint i = 1; i < n; i++)
    if (!parse_value (fields[i], &values[i]))
      {
        g_set_error (error, TT_FEED_ERROR, TT_FEED_ERROR_LINE,
                     _("%s value “%.40s” is not a number"), names[i], fields[i]);
        return FALSE;
      }
  if (isnan (values[1]))
    {
      g_set_error (error, TT_FEED_ERROR, TT_FEED_ERROR_LINE, _("the MAP value is missing"));
      return FALSE;
    }
  *sample = tt_sample_init (t, values[1]);
  sample->sbp = values[2];
  sample->dbp = values[3];
  sample->hr = values[4];
  return TRUE;
}

static Reader *
reader_ref (Reader *reader)
{
  g_ref_count_inc (&reader->ref);
  return reader;
}

static void
reader_unref (Reader *reader)
{
  if (!g_ref_count_dec (&reader->ref))
    return;
  g_clear_object (&reader->connection);
  g_clear_object (&reader->in);
  g_clear_object (&reader->cancellable);
  g_free (reader->name);
  g_free (reader->buffer);
  g_byte_array_unref (reader->line);
  g_free (reader);
}

static void
reader_close (Reader     *reader,
              const char *reason)
{
  TtLineFeed *self = reader->feed;

  if (self == NULL)
    return;
  reader->feed = NULL;
  g_cancellable_cancel (reader->cancellable);
  if (reader->connection != NULL)
    g_io_stream_close (reader->connection, NULL, NULL);
  self->readers = g_list_remove (self->readers, reader);
  if (reason != NULL)
    {
      g_autofree char *message = g_strdup_printf ("%s: %s", reader->name, reason);

      /* A stream that ends (standard input, a file) ends the feed; a TCP client may come back. */
      if (self->kind == SOURCE_TCP)
        tt_feed_set_status_message (TT_FEED (self), message);
      else
        tt_feed_set_status (TT_FEED (self), TT_FEED_STATUS_ENDED, message);
    }
  reader_unref (reader);
}

static void
bad_line (Reader     *reader,
          const char *reason)
{
  TtLineFeed *self = reader->feed;
  g_autofree char *message = g_strdup_printf (_("%s, line %u: %s"), reader->name,
                                              reader->line_number, reason);

  self->stats.bad_lines++;
  tt_feed_set_status_message (TT_FEED (self), message);
  g_signal_emit (self, signals[BAD_LINE], 0, reader->line_number, message);
}

static void
handle_line (Reader       *reader,
             const guint8 *data,
             gsize         len)
{
  TtLineFeed *self = reader->feed;
  g_autoptr(GError) error = NULL;
  TtSample sample;
  gint64 arrival = now_ms (self);

  self->stats.lines++;
  if (len > 0 && data[len - 1] == '\r')
    len--;
  if (!tt_line_parse ((const char *) data, len, &sample, &error))
    {
      bad_line (reader, error->message);
      return;
    }
  if (sample.t_ms < 0)
    return;
  if (reader->anchored && sample.t_ms < reader->last_source_ms)
    {
      g_autofree char *reason =
        g_strdup_printf (_("time %" PRId64 " ms is earlier than the previous line’s %"
                           PRId64 " ms"), sample.t_ms, reader->last_source_ms);

      bad_line (reader, reason);
      return;
    }
  if (!reader->anchored)
    {
      reader->anchored = TRUE;
      reader->offset_ms = arrival - sample.t_ms;
    }
  reader->last_source_ms = sample.t_ms;
  sample.t_ms += reader->offset_ms;
  if (sample.t_ms <= self->last_emitted_ms)
    return;   /* a second bridge behind the first: time only moves forward */
  self->last_emitted_ms = sample.t_ms;
  self->last_sample_ms = arrival;
  self->stats.samples++;
  tt_feed_emit_samples (TT_FEED (self), &sample, 1);
}

static void
process (Reader       *reader,
         const guint8 *data,
         gsize         len)
{
  while (len > 0 && reader->feed != NULL)
    {
      const guint8 *end = memchr (data, '\n', len);
      gsize n = end != NULL ? (gsize) (end - data) : len;

      if (!reader->overlong)
        {
          if (reader->line->len + n > TT_LINE_MAX_BYTES)
            {
              reader->overlong = TRUE;
              g_byte_array_set_size (reader->line, 0);
            }
          else
            g_byte_array_append (reader->line, data, n);
        }
      if (end == NULL)
        return;
      reader->line_number++;
      if (reader->overlong)
        {
          g_autofree char *reason = g_strdup_printf (_("longer than %u bytes"), TT_LINE_MAX_BYTES);

          reader->feed->stats.lines++;
          bad_line (reader, reason);
          reader->overlong = FALSE;
        }
      else
        handle_line (reader, reader->line->data, reader->line->len);
      g_byte_array_set_size (reader->line, 0);
      data += n + 1;
      len -= n + 1;
    }
}

static void start_read (Reader *reader);

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Reader *reader = user_data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (reader->feed == NULL)
    {
      reader_unref (reader);
      return;
    }
  if (n < 0)
    reader_close (reader, error->message);
  else if (n == 0)
    {
      /* A last line without a line end still counts. */
      if (reader->line->len > 0 && !reader->overlong)
        {
          reader->line_number++;
          handle_line (reader, reader->line->data, reader->line->len);
        }
      if (reader->feed != NULL)
        reader_close (reader, _("the input ended"));
    }
  else
    {
      g_autoptr(TtLineFeed) self G_GNUC_UNUSED = g_object_ref (reader->feed);

      process (reader, reader->buffer, n);
    }
  if (reader->feed != NULL)
    start_read (reader);
  else
    reader_unref (reader);
}

static void
start_read (Reader *reader)
{
  g_input_stream_read_async (reader->in, reader->buffer, READ_CHUNK, G_PRIORITY_DEFAULT,
                             reader->cancellable, read_cb, reader);
}

static void
add_reader (TtLineFeed   *self,
            GInputStream *in,
            GIOStream    *connection,
            const char   *name)
{
  Reader *reader = g_new0 (Reader, 1);

  g_ref_count_init (&reader->ref);
  reader->feed = self;
  reader->in = g_object_ref (in);
  reader->connection = connection != NULL ? g_object_ref (connection) : NULL;
  reader->cancellable = g_cancellable_new ();
  reader->name = g_strdup (name);
  reader->buffer = g_malloc (READ_CHUNK);
  reader->line = g_byte_array_new ();
  self->readers = g_list_prepend (self->readers, reader);
  start_read (reader_ref (reader));
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  TtLineFeed *self = TT_LINE_FEED (user_data);
  g_autoptr(GSocketAddress) address = g_socket_connection_get_remote_address (connection, NULL);
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;

  if (G_IS_INET_SOCKET_ADDRESS (address))
    {
      g_autofree char *host =
        g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));

      name = g_strdup_printf ("%s:%u", host,
                              g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));
    }
  else
    name = g_strdup (_("a client"));

  self->stats.connections_total++;
  if (g_list_length (self->readers) >= MAX_CONNECTIONS)
    {
      self->stats.connections_refused++;
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      message = g_strdup_printf (_("Connection from %s refused: already %u connections"), name,
                                 MAX_CONNECTIONS);
      tt_feed_set_status_message (TT_FEED (self), message);
      return TRUE;
    }
  add_reader (self, g_io_stream_get_input_stream (G_IO_STREAM (connection)),
              G_IO_STREAM (connection), name);
  message = g_strdup_printf (_("Bridge connected from %s"), name);
  tt_feed_set_status_message (TT_FEED (self), message);
  return TRUE;
}

static gboolean
watchdog_cb (gpointer user_data)
{
  TtLineFeed *self = TT_LINE_FEED (user_data);

  if (tt_feed_get_status (TT_FEED (self)) == TT_FEED_STATUS_CONNECTED &&
      now_ms (self) - self->last_sample_ms > TT_SIGNAL_STALE_MS)
    tt_feed_set_status (TT_FEED (self), TT_FEED_STATUS_STALE, _("No samples for 10 s"));
  return G_SOURCE_CONTINUE;
}

static speed_t
baud_constant (guint baud)
{
  switch (baud)
    {
    case 9600:
      return B9600;
    case 19200:
      return B19200;
    case 38400:
      return B38400;
    case 57600:
      return B57600;
    case 115200:
      return B115200;
    default:
      return B0;
    }
}

static GInputStream *
open_device (TtLineFeed  *self,
             GError     **error)
{
  int fd = g_open (self->path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC, 0);
  int saved;

  if (fd < 0)
    {
      saved = errno;
      g_set_error (error, TT_FEED_ERROR, TT_FEED_ERROR_DEVICE, _("Cannot open “%s”: %s"),
                   self->path, g_strerror (saved));
      return NULL;
    }
  /* Only a terminal has a line discipline to set: raw bytes, 8N1, no modem control. */
  if (isatty (fd))
    {
      struct termios tio;
      speed_t speed = baud_constant (self->baud);
      gboolean configured = FALSE;

      if (speed == B0)
        {
          g_set_error (error, TT_FEED_ERROR, TT_FEED_ERROR_DEVICE,
                       _("Baud rate %u is not offered; choose 9600, 19200, 38400, 57600 or "
                         "115200"), self->baud);
          close (fd);
          return NULL;
        }
      if (tcgetattr (fd, &tio) == 0)
        {
          cfmakeraw (&tio);
          tio.c_cflag |= CLOCAL | CREAD;
          tio.c_cflag &= ~(CSTOPB | PARENB);
          tio.c_cc[VMIN] = 1;
          tio.c_cc[VTIME] = 0;
          cfsetispeed (&tio, speed);
          cfsetospeed (&tio, speed);
          configured = tcsetattr (fd, TCSANOW, &tio) == 0;
        }
      /* Reading the settings or writing them back failed: errno says why. */
      if (!configured)
        {
          saved = errno;
          g_set_error (error, TT_FEED_ERROR, TT_FEED_ERROR_DEVICE,
                       _("Cannot configure the serial port “%s”: %s"), self->path,
                       g_strerror (saved));
          close (fd);
          return NULL;
        }
    }
  return g_unix_input_stream_new (fd, TRUE);
}

static gboolean
tt_line_feed_start (TtFeed  *feed,
                    GError **error)
{
  TtLineFeed *self = TT_LINE_FEED (feed);
  g_autofree char *message = NULL;

  if (self->service != NULL || self->readers != NULL)
    return TRUE;
  self->start_us = self->clock (self->clock_data);
  self->last_sample_ms = 0;
  self->last_emitted_ms = G_MININT64;

  switch (self->kind)
    {
    case SOURCE_TCP:
      {
        g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (self->address);
        g_autoptr(GSocketAddress) address = NULL;
        g_autoptr(GSocketAddress) effective = NULL;
        g_autoptr(GSocketService) service = NULL;
        g_autoptr(GError) local_error = NULL;

        if (inet == NULL)
          {
            g_set_error (error, TT_FEED_ERROR, TT_FEED_ERROR_ENDPOINT,
                         _("“%s” is not an IP address (for example 127.0.0.1 or ::1)"),
                         self->address);
            return FALSE;
          }
        address = g_inet_socket_address_new (inet, self->port);
        service = g_socket_service_new ();
        if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service), address,
                                            G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                            &effective, &local_error))
          {
            g_set_error (error, TT_FEED_ERROR, TT_FEED_ERROR_LISTEN,
                         _("Cannot listen for the line stream on %s port %u: %s"), self->address,
                         self->port, local_error->message);
            return FALSE;
          }
        self->bound_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
        g_signal_connect_object (service, "incoming", G_CALLBACK (incoming_cb), self, 0);
        g_socket_service_start (service);
        self->service = g_steal_pointer (&service);
        message = g_strdup_printf (_("Waiting for a line stream on %s port %u"), self->address,
                                   self->bound_port);
        break;
      }
    case SOURCE_STREAM:
      add_reader (self, self->stream, NULL, tt_feed_get_description (feed));
      message = g_strdup_printf (_("Reading %s"), tt_feed_get_description (feed));
      break;
    case SOURCE_DEVICE:
      {
        g_autoptr(GInputStream) in = open_device (self, error);

        if (in == NULL)
          return FALSE;
        add_reader (self, in, NULL, self->path);
        message = g_strdup_printf (_("Reading %s"), self->path);
        break;
      }
    default:
      g_assert_not_reached ();
    }
  self->watchdog_id = g_timeout_add (WATCHDOG_MS, watchdog_cb, self);
  tt_feed_set_status (feed, TT_FEED_STATUS_WAITING, message);
  return TRUE;
}

static void
tt_line_feed_stop (TtFeed *feed)
{
  TtLineFeed *self = TT_LINE_FEED (feed);

  g_clear_handle_id (&self->watchdog_id, g_source_remove);
  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
      g_signal_handlers_disconnect_by_data (self->service, self);
      g_clear_object (&self->service);
    }
  while (self->readers != NULL)
    reader_close (self->readers->data, NULL);
}

static void
tt_line_feed_dispose (GObject *object)
{
  tt_line_feed_stop (TT_FEED (object));
  G_OBJECT_CLASS (tt_line_feed_parent_class)->dispose (object);
}

static void
tt_line_feed_finalize (GObject *object)
{
  TtLineFeed *self = TT_LINE_FEED (object);

  g_free (self->address);
  g_free (self->path);
  g_clear_object (&self->stream);
  G_OBJECT_CLASS (tt_line_feed_parent_class)->finalize (object);
}

static void
tt_line_feed_class_init (TtLineFeedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TtFeedClass *feed_class = TT_FEED_CLASS (klass);

  object_class->dispose = tt_line_feed_dispose;
  object_class->finalize = tt_line_feed_finalize;
  feed_class->start = tt_line_feed_start;
  feed_class->stop = tt_line_feed_stop;

  /* A line that was skipped: its number and the message that says why. */
  signals[BAD_LINE] =
    g_signal_new ("bad-line", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
}

static void
tt_line_feed_init (TtLineFeed *self)
{
  self->clock = monotonic_clock;
  self->last_emitted_ms = G_MININT64;
}

TtLineFeed *
tt_line_feed_new_tcp (const char *address,
                      guint16     port)
{
  g_autofree char *description = NULL;
  TtLineFeed *self;

  address = address != NULL ? address : "127.0.0.1";
  description = g_strdup_printf (_("live from the line stream on %s port %u"), address, port);
  self = g_object_new (TT_TYPE_LINE_FEED, "training", FALSE, "description", description, NULL);
  self->kind = SOURCE_TCP;
  self->address = g_strdup (address);
  self->port = port;
  return self;
}

TtLineFeed *
tt_line_feed_new_stream (GInputStream *stream,
                         const char   *description)
{
  TtLineFeed *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  self = g_object_new (TT_TYPE_LINE_FEED, "training", FALSE,
                       "description", description != NULL ? description : _("standard input"),
                       NULL);
  self->kind = SOURCE_STREAM;
  self->stream = g_object_ref (stream);
  return self;
}

TtLineFeed *
tt_line_feed_new_device (const char *path,
                         guint       baud)
{
  g_autofree char *description = NULL;
  TtLineFeed *self;

  g_return_val_if_fail (path != NULL, NULL);
  description = g_strdup_printf (_("live from %s"), path);
  self = g_object_new (TT_TYPE_LINE_FEED, "training", FALSE, "description", description, NULL);
  self->kind = SOURCE_DEVICE;
  self->path = g_strdup (path);
  self->baud = baud;
  return self;
}

guint16
tt_line_feed_get_port (TtLineFeed *self)
{
  g_return_val_if_fail (TT_IS_LINE_FEED (self), 0);
  return self->bound_port != 0 ? self->bound_port : self->port;
}

void
tt_line_feed_get_stats (TtLineFeed  *self,
                        TtLineStats *stats)
{
  g_return_if_fail (TT_IS_LINE_FEED (self));
  *stats = self->stats;
}

void
tt_line_feed_set_clock (TtLineFeed      *self,
                        TtFeedClockFunc  clock,
                        gpointer         user_data)
{
  g_return_if_fail (TT_IS_LINE_FEED (self));
  self->clock = clock != NULL ? clock : monotonic_clock;
  self->clock_data = user_data;
}
