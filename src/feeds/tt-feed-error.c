/* tt-feed-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tt-feed-error.h"

G_DEFINE_QUARK (tt-feed-error-quark, tt_feed_error)

gboolean
tt_endpoint_parse (const char  *text,
                   char       **address,
                   guint16     *port,
                   GError     **error)
{
  g_autofree char *host = NULL;
  const char *port_text = text;
  guint64 value;

  *address = NULL;
  if (text[0] == '[')
    {
      const char *close = strchr (text, ']');

      if (close == NULL || close[1] != ':')
        {
          g_set_error (error, TT_FEED_ERROR, TT_FEED_ERROR_ENDPOINT,
                       _("“%s” is not [ADDRESS]:PORT"), text);
          return FALSE;
        }
      host = g_strndup (text + 1, close - text - 1);
      port_text = close + 2;
    }
  else if (strchr (text, ':') != NULL)
    {
      const char *colon = strrchr (text, ':');

      host = g_strndup (text, colon - text);
      port_text = colon + 1;
    }
  if (host != NULL && !g_hostname_is_ip_address (host))
    {
      g_set_error (error, TT_FEED_ERROR, TT_FEED_ERROR_ENDPOINT,
                   _("“%s” is not an IP address (for example 127.0.0.1 or ::1)"), host);
      return FALSE;
    }
  if (!g_ascii_string_to_unsigned (port_text, 10, 1, 65535, &value, NULL))
    {
      g_set_error (error, TT_FEED_ERROR, TT_FEED_ERROR_ENDPOINT,
                   _("Port “%s” is not a number from 1 to 65535"), port_text);
      return FALSE;
    }
  *address = g_steal_pointer (&host);
  *port = value;
  return TRUE;
}
