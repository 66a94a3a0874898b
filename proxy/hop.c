#include "config.h"

#include "hop.h"

#include <string.h>

static const char *const hop_by_hop[] = {
  "Connection", "Keep-Alive", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
};

/* The proxy frames bodies itself and adds its own token; libsoup's
 * server dates every answer itself, so the upstream's Date would be a
 * second one. */
static const char *const own_request[] = {
  "Host", "Authorization", "Content-Length", "Expect",
};
static const char *const own_response[] = { "Content-Length", "Date" };

static gboolean
in_list (const char *name, const char *const *list, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (g_ascii_strcasecmp (name, list[i]) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
named_by_connection (const char *name, const char *connection)
{
  g_auto(GStrv) tokens = NULL;

  if (connection == NULL)
    return FALSE;
  tokens = g_strsplit (connection, ",", -1);
  for (char **t = tokens; *t != NULL; t++)
    if (g_ascii_strcasecmp (g_strstrip (*t), name) == 0)
      return TRUE;
  return FALSE;
}

gboolean
ua_proxy_hop_drops (const char *name, const char *connection, UaHopDirection direction)
{
  if (g_ascii_strncasecmp (name, "Proxy-", 6) == 0
      || in_list (name, hop_by_hop, G_N_ELEMENTS (hop_by_hop))
      || named_by_connection (name, connection))
    return TRUE;
  if (direction == UA_HOP_REQUEST)
    return in_list (name, own_request, G_N_ELEMENTS (own_request));
  return in_list (name, own_response, G_N_ELEMENTS (own_response));
}

void
ua_proxy_hop_copy (SoupMessageHeaders *from, SoupMessageHeaders *to,
                   UaHopDirection direction)
{
  const char *connection = soup_message_headers_get_list (from, "Connection");
  SoupMessageHeadersIter iter;
  const char *name, *value;

  soup_message_headers_iter_init (&iter, from);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (!ua_proxy_hop_drops (name, connection, direction))
      soup_message_headers_append (to, name, value);
}
