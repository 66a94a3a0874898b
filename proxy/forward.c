/* forward.c: one exchange per request of the child.  The child's request
 * (a SoupServerMessage) is checked for the key as soon as its headers are
 * read, then sent upstream as a SoupMessage with the agent's token; both
 * bodies stream through with at most a few chunks in memory:
 *
 *   child body   got-chunk → UaBodyPipe → upstream request body stream
 *   upstream body  read_bytes_async → append → wrote-chunk → next read
 */
#include "config.h"

#include "proxy.h"

#include <string.h>

#include "bodypipe.h"
#include "hop.h"
#include "key.h"
#include "url-policy.h"

/* Size of each read of the upstream body, and how many of them may wait
 * to be written to the child: the memory an exchange holds at most. */
#define RESPONSE_CHUNK (64 * 1024)
#define RESPONSE_CHUNKS_MAX 2

#define EXCHANGE_KEY "ua-proxy-exchange"

typedef struct {
  gint refs;
  UaProxy *proxy;
  SoupServerMessage *msg;    /* the child's request */
  SoupMessage *upstream;
  UaBodyPipe *body;          /* NULL without a request body */
  GInputStream *response;    /* the upstream body */
  GCancellable *cancel;
  guint unwritten;           /* chunks appended to msg, not written yet */
  gboolean reading;          /* a read of the upstream body in flight */
  gboolean done;             /* msg finished: nothing more goes to it */
} Exchange;

static Exchange *
exchange_ref (Exchange *ex)
{
  g_atomic_int_inc (&ex->refs);
  return ex;
}

static void
exchange_unref (Exchange *ex)
{
  if (!g_atomic_int_dec_and_test (&ex->refs))
    return;
  if (ex->response != NULL)
    g_input_stream_close (ex->response, NULL, NULL);
  g_clear_object (&ex->response);
  g_clear_object (&ex->upstream);
  g_clear_object (&ex->body);
  g_clear_object (&ex->cancel);
  g_free (ex);
}

/* An answer of the proxy's own: a status and one line of text. */
static void
answer (SoupServerMessage *msg, guint status, const char *text)
{
  g_autofree char *body = g_strdup_printf ("uipauth-proxy: %s\n", text);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=utf-8",
                                    SOUP_MEMORY_COPY, body, strlen (body));
}

static void
refuse (SoupServerMessage *msg, guint status, const char *text)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  answer (msg, status, text);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    soup_message_headers_replace (headers, "WWW-Authenticate", "Bearer realm=\"uipauth-proxy\"");
  soup_message_headers_replace (headers, "Connection", "close");
}

static void
fail (Exchange *ex, guint status, const char *text)
{
  g_printerr ("uipauth-proxy: %s %s: %s\n", soup_server_message_get_method (ex->msg),
              g_uri_get_path (soup_server_message_get_uri (ex->msg)), text);
  if (ex->body != NULL)
    ua_body_pipe_abandon (ex->body, TRUE);
  answer (ex->msg, status, text);
  soup_server_message_unpause (ex->msg);
}

/* The upstream broke off in the middle of a body: the child must see a
 * broken connection, never a short body passed off as whole. */
static void
cut (Exchange *ex)
{
  GSocket *socket = soup_server_message_get_socket (ex->msg);

  if (socket != NULL)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
  soup_server_message_unpause (ex->msg);
}

/* ---- the upstream body, to the child -------------------------------- */

static void read_more (Exchange *ex);

static void
on_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Exchange *ex = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source),
                                                              result, &error);
  SoupMessageBody *body;

  ex->reading = FALSE;
  if (ex->done)
    goto out;
  body = soup_server_message_get_response_body (ex->msg);
  if (bytes == NULL)
    cut (ex);
  else if (g_bytes_get_size (bytes) == 0)
    {
      soup_message_body_complete (body);
      soup_server_message_unpause (ex->msg);
    }
  else
    {
      soup_message_body_append_bytes (body, bytes);
      ex->unwritten++;
      soup_server_message_unpause (ex->msg);
      read_more (ex);
    }
out:
  exchange_unref (ex);
}

static void
read_more (Exchange *ex)
{
  if (ex->reading || ex->done || ex->unwritten >= RESPONSE_CHUNKS_MAX)
    return;
  ex->reading = TRUE;
  g_input_stream_read_bytes_async (ex->response, RESPONSE_CHUNK, G_PRIORITY_DEFAULT,
                                   ex->cancel, on_read, exchange_ref (ex));
}

static void
on_wrote_chunk (SoupServerMessage *msg, gpointer user_data)
{
  Exchange *ex = user_data;

  if (ex->unwritten > 0)
    ex->unwritten--;
  read_more (ex);
}

/* A redirect to the profile's own host comes back through the proxy, so
 * that the child never sends its key (or anything) there directly. */
static void
rewrite_location (Exchange *ex, SoupMessageHeaders *headers)
{
  const char *location = soup_message_headers_get_one (headers, "Location");
  const char *base = ex->proxy->upstream_base;
  size_t n = strlen (base);
  g_autofree char *local = NULL;

  if (location == NULL || g_ascii_strncasecmp (location, base, n) != 0
      || (location[n] != '\0' && location[n] != '/' && location[n] != '?'))
    return;
  local = g_strconcat (ex->proxy->own_base, location + n, NULL);
  soup_message_headers_replace (headers, "Location", local);
}

static void
relay_head (Exchange *ex)
{
  SoupMessageHeaders *from = soup_message_get_response_headers (ex->upstream);
  SoupMessageHeaders *to = soup_server_message_get_response_headers (ex->msg);
  guint status = soup_message_get_status (ex->upstream);

  /* Answered as is; the next request asks the agent again, in case the
   * token was revoked. */
  if (status == SOUP_STATUS_UNAUTHORIZED)
    ua_proxy_tokens_refused (ex->proxy->tokens);
  soup_server_message_set_status (ex->msg, status, soup_message_get_reason_phrase (ex->upstream));
  ua_proxy_hop_copy (from, to, UA_HOP_RESPONSE);
  rewrite_location (ex, to);
  /* 204 and 304 have no body and so no framing, whatever the headers say. */
  if (status == SOUP_STATUS_NO_CONTENT || status == SOUP_STATUS_NOT_MODIFIED)
    soup_message_headers_set_encoding (to, SOUP_ENCODING_NONE);
  else if (soup_message_headers_get_encoding (from) == SOUP_ENCODING_CONTENT_LENGTH)
    soup_message_headers_set_content_length (to, soup_message_headers_get_content_length (from));
  else
    soup_message_headers_set_encoding (to, SOUP_ENCODING_CHUNKED);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (ex->msg), FALSE);
  g_signal_connect (ex->msg, "wrote-chunk", G_CALLBACK (on_wrote_chunk), ex);
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Exchange *ex = user_data;
  g_autoptr(GError) error = NULL;

  ex->response = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (ex->done)
    goto out;
  /* Whatever of the child's body the upstream did not read, it did not want. */
  if (ex->body != NULL)
    ua_body_pipe_abandon (ex->body, TRUE);
  if (ex->response == NULL)
    {
      g_autofree char *text = g_strdup_printf ("cannot reach %s: %s",
                                               ex->proxy->upstream_base, error->message);
      fail (ex, SOUP_STATUS_BAD_GATEWAY, text);
      goto out;
    }
  relay_head (ex);
  soup_server_message_unpause (ex->msg);
  read_more (ex);
out:
  exchange_unref (ex);
}

/* ---- the child's request, upstream ---------------------------------- */

/* The profile's host and base path, then the child's path and query as
 * it sent them: an absolute URL naming another host changes nothing. */
static GUri *
target (Exchange *ex)
{
  GUri *asked = soup_server_message_get_uri (ex->msg);
  GUri *base = ex->proxy->upstream;
  g_autofree char *path = g_strconcat (g_uri_get_path (base), g_uri_get_path (asked), NULL);

  return g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (base), NULL,
                      g_uri_get_host (base), g_uri_get_port (base), path,
                      g_uri_get_query (asked), NULL);
}

static void
attach_body (Exchange *ex, SoupMessageHeaders *headers)
{
  const char *type = soup_message_headers_get_one (headers, "Content-Type");

  if (ex->body == NULL)
    return;
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    soup_message_set_request_body (ex->upstream, type, G_INPUT_STREAM (ex->body),
                                   soup_message_headers_get_content_length (headers));
  else
    soup_message_set_request_body (ex->upstream, type, G_INPUT_STREAM (ex->body), -1);
}

static void
send_upstream (Exchange *ex, const char *bearer)
{
  SoupMessageHeaders *from = soup_server_message_get_request_headers (ex->msg);
  g_autoptr(GUri) uri = target (ex);

  ex->upstream = soup_message_new_from_uri (soup_server_message_get_method (ex->msg), uri);
  /* A redirect is the child's to follow, through us, or not. */
  soup_message_add_flags (ex->upstream, SOUP_MESSAGE_NO_REDIRECT);
  ua_proxy_hop_copy (from, soup_message_get_request_headers (ex->upstream), UA_HOP_REQUEST);
  soup_message_headers_replace (soup_message_get_request_headers (ex->upstream),
                                "Authorization", bearer);
  attach_body (ex, from);
  soup_session_send_async (ex->proxy->session, ex->upstream, G_PRIORITY_DEFAULT,
                           ex->cancel, on_sent, exchange_ref (ex));
}

static void
on_token (const char *bearer, const char *message, gpointer user_data)
{
  Exchange *ex = user_data;

  if (!ex->done && bearer != NULL)
    send_upstream (ex, bearer);
  else if (!ex->done)
    fail (ex, SOUP_STATUS_SERVICE_UNAVAILABLE, message);
  exchange_unref (ex);
}

/* ---- the child's message -------------------------------------------- */

static void
on_got_chunk (SoupServerMessage *msg, GBytes *chunk, gpointer user_data)
{
  Exchange *ex = user_data;

  ua_body_pipe_push (ex->body, chunk);
}

static void
on_got_body (SoupServerMessage *msg, gpointer user_data)
{
  Exchange *ex = user_data;

  ua_body_pipe_end (ex->body);
}

static void
on_finished (SoupServerMessage *msg, gpointer user_data)
{
  Exchange *ex = user_data;

  ex->done = TRUE;
  g_cancellable_cancel (ex->cancel);
  if (ex->body != NULL)
    ua_body_pipe_abandon (ex->body, FALSE);
  g_signal_handlers_disconnect_by_data (msg, ex);
}

static gboolean
has_body (SoupMessageHeaders *headers)
{
  switch (soup_message_headers_get_encoding (headers))
    {
    case SOUP_ENCODING_NONE:
      return FALSE;
    case SOUP_ENCODING_CONTENT_LENGTH:
      return soup_message_headers_get_content_length (headers) > 0;
    default:
      return TRUE;
    }
}

static void
exchange_start (UaProxy *proxy, SoupServerMessage *msg)
{
  Exchange *ex = g_new0 (Exchange, 1);

  ex->refs = 1;
  ex->proxy = proxy;
  ex->msg = msg;
  ex->cancel = g_cancellable_new ();
  /* The message holds the first reference; it outlives every callback. */
  g_object_set_data_full (G_OBJECT (msg), EXCHANGE_KEY, ex, (GDestroyNotify) exchange_unref);
  g_signal_connect (msg, "finished", G_CALLBACK (on_finished), ex);
  if (has_body (soup_server_message_get_request_headers (msg)))
    {
      ex->body = ua_body_pipe_new (msg);
      g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), ex);
      g_signal_connect (msg, "got-body", G_CALLBACK (on_got_body), ex);
    }
  ua_proxy_tokens_get (proxy->tokens, on_token, exchange_ref (ex));
}

/* Runs as soon as a request's headers are read, before its body. */
static void
on_request_headers (SoupServer *server, SoupServerMessage *msg, const char *path,
                    GHashTable *query, gpointer user_data)
{
  UaProxy *proxy = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  /* Bodies stream through (or, refused, go nowhere): never kept whole. */
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  if (!ua_proxy_key_matches (proxy->key, soup_message_headers_get_one (headers, "Authorization")))
    refuse (msg, SOUP_STATUS_UNAUTHORIZED,
            "this proxy serves only the command uipauth exec started for it");
  else if (soup_server_message_get_method (msg) == SOUP_METHOD_CONNECT)
    refuse (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "CONNECT is not forwarded");
  else
    exchange_start (proxy, msg);
}

/* Runs once the child's body is read: unless an answer is already there,
 * wait for the upstream's. */
static void
on_request_read (SoupServer *server, SoupServerMessage *msg, const char *path,
                 GHashTable *query, gpointer user_data)
{
  if (soup_server_message_get_status (msg) == 0)
    soup_server_message_pause (msg);
}

void
ua_proxy_forward_install (UaProxy *proxy)
{
  soup_server_add_early_handler (proxy->server, NULL, on_request_headers, proxy, NULL);
  soup_server_add_handler (proxy->server, NULL, on_request_read, proxy, NULL);
}
