#include "config.h"

#include "loopback.h"

#include <string.h>

GSocket *
ua_loopback_listen (guint16 *port)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GError) error = NULL;

  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                           G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (listener, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (listener, &error);
  g_assert_no_error (error);
  g_socket_set_timeout (listener, UA_LOOPBACK_IO_TIMEOUT_S);
  bound = g_socket_get_local_address (listener, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return g_steal_pointer (&listener);
}

void
ua_loopback_read_request (GSocket *socket, GString *request)
{
  char buf[4096];
  const char *end;
  gsize body_len = 0;

  while ((end = strstr (request->str, "\r\n\r\n")) == NULL)
    {
      gssize n = g_socket_receive (socket, buf, sizeof buf, NULL, NULL);
      if (n <= 0)
        return;
      g_string_append_len (request, buf, n);
    }
  for (const char *p = request->str; p < end; p = strstr (p, "\r\n") + 2)
    if (g_ascii_strncasecmp (p, "Content-Length:", 15) == 0)
      body_len = g_ascii_strtoull (p + 15, NULL, 10);
  while (request->len < (gsize) (end - request->str) + 4 + body_len)
    {
      gssize n = g_socket_receive (socket, buf, sizeof buf, NULL, NULL);
      if (n <= 0)
        return;
      g_string_append_len (request, buf, n);
      end = strstr (request->str, "\r\n\r\n");
    }
}

void
ua_loopback_send_all (GSocket *socket, const char *data, gsize len)
{
  while (len > 0)
    {
      gssize n = g_socket_send (socket, data, len, NULL, NULL);

      if (n <= 0)
        return;
      data += n;
      len -= (gsize) n;
    }
}

void
ua_loopback_send_text (GSocket *socket, const char *text)
{
  ua_loopback_send_all (socket, text, strlen (text));
}
