/* listen.c: bind 127.0.0.1 and tell the test harness which port. */
#include "listen.h"

/* GSocketListener's default backlog of 10 would make a burst of a few
 * hundred connections wait on SYN retransmits (a second or more each),
 * which turns concurrency tests into timing tests.  The kernel caps
 * this at net.core.somaxconn. */
#define LISTEN_BACKLOG 1024

static GSocket *
loopback_socket (guint16   port,
                 GError  **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL || !g_socket_bind (socket, address, TRUE, error))
    return NULL;
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_listen (socket, error))
    return NULL;
  return g_steal_pointer (&socket);
}

gboolean
id_listen_loopback (SoupServer  *soup,
                    guint16      port,
                    guint16     *bound_port,
                    GError     **error)
{
  g_autoptr(GSocket) socket = loopback_socket (port, error);
  g_autoptr(GSocketAddress) local = NULL;

  if (socket == NULL || !soup_server_listen_socket (soup, socket, 0, error))
    return FALSE;
  local = g_socket_get_local_address (socket, error);
  if (local == NULL)
    return FALSE;
  *bound_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  return TRUE;
}

/* g_file_set_contents() writes a temporary file and renames it, so a
 * harness polling for the file never reads half a number. */
gboolean
id_write_port_file (const char  *path,
                    guint16      port,
                    GError     **error)
{
  g_autofree char *text = g_strdup_printf ("%u\n", port);

  return g_file_set_contents (path, text, -1, error);
}
