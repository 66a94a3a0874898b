#include "config.h"

#include "listener.h"

#include <string.h>

#include "ua-error.h"
#include "ua-secret.h"

struct UaListener {
  GSocketService *service;
  GPtrArray *peers;        /* UaListenerPeer being read or answered */
  char *path;              /* the redirect's path */
  UaListenerRedirect on_redirect;
  gpointer user_data;
  gboolean closed;
};

struct UaListenerPeer {
  UaListener *listener;    /* NULL once closed */
  GSocketConnection *connection;
  GCancellable *cancellable;
  guint deadline;
  GByteArray *buf;
  char *page;              /* the answer being written */
  gint refs;               /* the list's, each pending read or write, the owner's */
  gboolean answered;       /* a request line came: no longer silent */
  char chunk[1024];
};

typedef UaListenerPeer Peer;

static void peer_close (Peer *peer);

UaListenerPeer *
ua_listener_peer_ref (UaListenerPeer *peer)
{
  peer->refs++;
  return peer;
}

void
ua_listener_peer_unref (UaListenerPeer *peer)
{
  if (--peer->refs > 0)
    return;
  g_object_unref (peer->connection);
  g_object_unref (peer->cancellable);
  ua_wipe (peer->buf->data, peer->buf->len);
  g_byte_array_unref (peer->buf);
  ua_wipe (peer->chunk, sizeof peer->chunk);
  g_free (peer->page);
  g_free (peer);
}

static gboolean
peer_too_slow (gpointer data)
{
  Peer *peer = data;

  peer->deadline = 0;
  peer_close (peer);
  return G_SOURCE_REMOVE;
}

/* Idempotent; pending reads and writes see the cancellation and let go. */
static void
peer_close (Peer *peer)
{
  UaListener *listener = peer->listener;

  if (listener == NULL)
    return;
  peer->listener = NULL;
  g_cancellable_cancel (peer->cancellable);
  g_clear_handle_id (&peer->deadline, g_source_remove);
  g_io_stream_close (G_IO_STREAM (peer->connection), NULL, NULL);
  g_ptr_array_remove (listener->peers, peer); /* drops the list's reference */
}

static void
page_written (GObject *source, GAsyncResult *res, gpointer data)
{
  Peer *peer = data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), res, NULL, NULL);
  peer_close (peer);
  ua_listener_peer_unref (peer);
}

static const char *
reason (guint status)
{
  switch (status)
    {
    case 200: return "OK";
    case 404: return "Not Found";
    case 409: return "Conflict";
    default: return "Bad Request";
    }
}

/* Self-contained: the page may load nothing (the CSP says so too), so
 * the browser makes no request that could carry the redirect's URL. */
static const char page_style[] =
  "body{font:16px/1.5 sans-serif;background:#f2f4f7;color:#1f2933;margin:0}"
  "main{max-width:34em;margin:4em auto;background:#fff;border-radius:8px;"
  "padding:1.5em 2em;border-top:6px solid #c92a2a;"
  "box-shadow:0 1px 4px rgba(0,0,0,.15)}"
  ".ok main{border-top-color:#2f9e44}"
  "h1{font-size:1.5em;margin:.2em 0 .6em}"
  "h1::before{content:'\\2717';color:#c92a2a;margin-right:.4em}"
  ".ok h1::before{content:'\\2713';color:#2f9e44}"
  ".by{color:#616e7c;font-size:.85em;margin-top:2em}";

static const char page_headers[] =
  "Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\n"
  "Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'; "
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'\r\n"
  "X-Content-Type-Options: nosniff\r\nConnection: close\r\n";

/* @text's lines become paragraphs; everything is escaped. */
static char *
page_body (guint status, const char *title, const char *text)
{
  g_autofree char *t = g_markup_escape_text (title, -1);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GString *html = g_string_new (NULL);

  g_string_append_printf (html, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
                          "<meta charset=\"utf-8\"><meta name=\"viewport\" "
                          "content=\"width=device-width\"><title>uipauth: %s</title>"
                          "<style>%s</style></head>\n<body class=\"%s\"><main>"
                          "<h1>%s</h1>\n", t, page_style,
                          status == 200 ? "ok" : "failed", t);
  for (char **line = lines; *line != NULL; line++)
    {
      g_autofree char *x = g_markup_escape_text (*line, -1);

      if (*x != '\0')
        g_string_append_printf (html, "<p>%s</p>\n", x);
    }
  g_string_append (html, "<p class=\"by\">uipauth sign-in listener</p>"
                   "</main></body></html>\n");
  return g_string_free (html, FALSE);
}

void
ua_listener_answer (UaListenerPeer *peer, guint status, const char *title,
                    const char *text)
{
  g_autofree char *body = NULL;
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (peer->connection));

  if (peer->listener == NULL || peer->page != NULL)
    return;
  body = page_body (status, title, text);
  peer->page = g_strdup_printf ("HTTP/1.1 %u %s\r\nContent-Type: text/html; "
                                "charset=utf-8\r\nContent-Length: %zu\r\n%s\r\n%s",
                                status, reason (status), strlen (body), page_headers,
                                body);
  /* The write may not take longer than reading the request could. */
  g_clear_handle_id (&peer->deadline, g_source_remove);
  peer->deadline = g_timeout_add_seconds (UA_LISTENER_PEER_TIMEOUT_S, peer_too_slow, peer);
  g_output_stream_write_all_async (out, peer->page, strlen (peer->page),
                                   G_PRIORITY_DEFAULT, peer->cancellable,
                                   page_written, ua_listener_peer_ref (peer));
}

static void
peer_request (Peer *peer)
{
  UaListener *listener = peer->listener;
  UaRedirect r;
  UaRedirectResult result = ua_redirect_parse ((const char *) peer->buf->data,
                                               peer->buf->len, listener->path, &r);

  peer->answered = TRUE;
  g_clear_handle_id (&peer->deadline, g_source_remove);
  switch (result)
    {
    case UA_REDIRECT_OK:
      listener->on_redirect (peer, &r, listener->user_data);
      break;
    case UA_REDIRECT_OTHER:
      ua_listener_answer (peer, 404, "Not found", "This is uipauth's sign-in "
                          "listener; there is nothing at this address.");
      break;
    case UA_REDIRECT_INCOMPLETE:
    case UA_REDIRECT_BAD:
    default:
      ua_listener_answer (peer, 400, "Bad request", "uipauth could not read this request.");
      break;
    }
  ua_redirect_clear (&r);
}

static void read_more (Peer *peer);

static gboolean
has_line (const Peer *peer)
{
  return memchr (peer->buf->data, '\n', peer->buf->len) != NULL
         || peer->buf->len >= UA_REDIRECT_MAX_LINE;
}

static void
chunk_read (GObject *source, GAsyncResult *res, gpointer data)
{
  Peer *peer = data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), res, NULL);

  if (peer->listener == NULL)
    ;
  else if (n <= 0)
    peer_close (peer);
  else
    {
      g_byte_array_append (peer->buf, (const guint8 *) peer->chunk, n);
      if (has_line (peer))
        peer_request (peer);
      else
        read_more (peer);
    }
  ua_listener_peer_unref (peer);
}

static void
read_more (Peer *peer)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (peer->connection));

  g_input_stream_read_async (in, peer->chunk, sizeof peer->chunk, G_PRIORITY_DEFAULT,
                             peer->cancellable, chunk_read, ua_listener_peer_ref (peer));
}

/* All slots taken: the oldest connection that has sent no request yet
 * (a browser's preconnect, or someone holding slots) makes room. */
static gboolean
make_room (UaListener *listener)
{
  for (guint i = 0; i < listener->peers->len; i++)
    {
      Peer *peer = listener->peers->pdata[i];

      if (!peer->answered)
        {
          peer_close (peer);
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
incoming (GSocketService *service, GSocketConnection *connection,
          GObject *source, gpointer data)
{
  UaListener *listener = data;
  Peer *peer;

  if (listener->closed
      || (listener->peers->len >= UA_LISTENER_MAX_PEERS && !make_room (listener)))
    return FALSE; /* closed when libgio drops it */
  peer = g_new0 (Peer, 1);
  peer->refs = 1; /* the list's */
  peer->listener = listener;
  peer->connection = g_object_ref (connection);
  peer->cancellable = g_cancellable_new ();
  peer->buf = g_byte_array_new ();
  peer->deadline = g_timeout_add_seconds (UA_LISTENER_PEER_TIMEOUT_S, peer_too_slow, peer);
  g_ptr_array_add (listener->peers, peer);
  read_more (peer);
  return TRUE;
}

/* The loopback addresses to listen on for @uri, its port and path.
 * Only http:// to localhost, 127.0.0.1 or [::1] with a port. */
static GPtrArray *
listen_addresses (const char *uri, char **path, GError **error)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GPtrArray) addrs = g_ptr_array_new_with_free_func (g_object_unref);
  const char *host;
  gint port;

  if (parsed == NULL || g_ascii_strcasecmp (g_uri_get_scheme (parsed), "http") != 0
      || (host = g_uri_get_host (parsed)) == NULL
      || (port = g_uri_get_port (parsed)) <= 0 || g_uri_get_query (parsed) != NULL)
    goto bad;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    {
      g_ptr_array_add (addrs, g_inet_socket_address_new_from_string ("127.0.0.1", port));
      g_ptr_array_add (addrs, g_inet_socket_address_new_from_string ("::1", port));
    }
  else if (g_str_equal (host, "127.0.0.1") || g_str_equal (host, "::1"))
    g_ptr_array_add (addrs, g_inet_socket_address_new_from_string (host, port));
  else
    goto bad;
  *path = g_strdup (*g_uri_get_path (parsed) ? g_uri_get_path (parsed) : "/");
  return g_steal_pointer (&addrs);
bad:
  g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
               "redirect_uri \"%.200s\" is not http://localhost:PORT[/PATH] (or "
               "127.0.0.1 or [::1]); fix it with \"uipauth add NAME --replace "
               "--redirect-uri ...\"", uri);
  return NULL;
}

UaListener *
ua_listener_new (const char *redirect_uri, const char *what,
                 UaListenerRedirect on_redirect, gpointer user_data, GError **error)
{
  g_autoptr(UaListener) listener = g_new0 (UaListener, 1);
  g_autoptr(GPtrArray) addrs = NULL;
  GSocketListener *sockets;

  listener->peers = g_ptr_array_new_with_free_func ((GDestroyNotify) ua_listener_peer_unref);
  listener->on_redirect = on_redirect;
  listener->user_data = user_data;
  listener->service = g_socket_service_new ();
  if ((addrs = listen_addresses (redirect_uri, &listener->path, error)) == NULL)
    return NULL;
  sockets = G_SOCKET_LISTENER (listener->service);
  /* For localhost, IPv6 may be missing, not IPv4. */
  for (guint i = 0; i < addrs->len; i++)
    {
      g_autoptr(GError) e = NULL;

      if (!g_socket_listener_add_address (sockets, addrs->pdata[i], G_SOCKET_TYPE_STREAM,
                                          G_SOCKET_PROTOCOL_TCP, NULL, NULL, &e)
          && (i == 0 || addrs->len == 1))
        {
          g_set_error (error, UA_ERROR, UA_ERR_INTERNAL,
                       "profile \"%s\": cannot listen for the sign-in at %s: %s; "
                       "is another \"uipauth login\" or uipathcli using the port?",
                       what, redirect_uri, e->message);
          return NULL;
        }
    }
  g_signal_connect (listener->service, "incoming", G_CALLBACK (incoming), listener);
  g_socket_service_start (listener->service);
  return g_steal_pointer (&listener);
}

void
ua_listener_close (UaListener *listener)
{
  if (listener->closed)
    return;
  listener->closed = TRUE;
  g_socket_service_stop (listener->service);
  g_socket_listener_close (G_SOCKET_LISTENER (listener->service));
}

void
ua_listener_free (UaListener *listener)
{
  if (listener == NULL)
    return;
  ua_listener_close (listener);
  while (listener->peers->len > 0)
    peer_close (listener->peers->pdata[0]);
  g_ptr_array_unref (listener->peers);
  g_signal_handlers_disconnect_by_data (listener->service, listener);
  g_object_unref (listener->service);
  g_free (listener->path);
  g_free (listener);
}
