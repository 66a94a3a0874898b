/* orchestrator.c: the fake Orchestrator that `exec --proxy` is tested
 * against.  Every endpoint first checks the bearer as /api/check does
 * (a live token of ours, or a --pat), so a request that arrives with the
 * proxy's key, an expired token or none gets 401.  Endpoints, below any
 * prefix ending in /orchestrator_/:
 *
 *   odata/...            200 {"@odata.count":0,"value":[]}
 *   echo                 200, text: the method, path, query and every
 *                        request header, one "name: value" line each
 *   upload (POST, PUT)   200 {"bytes":N}: the body counted, never kept
 *   download?bytes=N     N bytes streamed (chunked with &chunked=1; with
 *                        &break=M the connection is closed after M)
 *   redirect?to=URL      302 to URL
 *   hop                  200 "ok" with hop-by-hop headers a proxy must drop
 *   nocontent            204, no body
 *   deny                 401 {"message":"denied here"}, token or not
 */
#include "orchestrator.h"

#include <string.h>

#include "check.h"
#include "reply.h"

#define UPLOAD_COUNT_KEY "orchestrator-upload-bytes"
/* Downloads go out in chunks of this size, one at a time. */
#define DOWNLOAD_CHUNK (64 * 1024)
#define DOWNLOAD_MAX (G_GUINT64_CONSTANT (4) << 30)

typedef struct {
  guint64 left;
  guint64 break_at;  /* bytes left when the connection is cut, or 0 */
} Download;

static void
on_upload_chunk (SoupServerMessage *msg,
                 GBytes            *chunk,
                 gpointer           user_data)
{
  guint64 *count = g_object_get_data (G_OBJECT (msg), UPLOAD_COUNT_KEY);

  *count += g_bytes_get_size (chunk);
}

/* Before the body is read: count it as it streams in. */
static void
on_headers (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  if (!g_str_has_suffix (path, ID_ORCHESTRATOR_BASE "upload"))
    return;
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_object_set_data_full (G_OBJECT (msg), UPLOAD_COUNT_KEY, g_new0 (guint64, 1), g_free);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_upload_chunk), NULL);
}

void
id_orchestrator_install (IdServer *srv)
{
  soup_server_add_early_handler (srv->soup, NULL, on_headers, srv, NULL);
}

static void
reply_text (SoupServerMessage *msg,
            GString           *text)
{
  id_reply_raw (msg, SOUP_STATUS_OK, "text/plain; charset=utf-8", text->str, text->len);
}

static void
handle_echo (SoupServerMessage *msg)
{
  g_autoptr(GString) text = g_string_new (NULL);
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;

  g_string_append_printf (text, "method: %s\npath: %s\nquery: %s\n",
                          soup_server_message_get_method (msg), g_uri_get_path (uri),
                          g_uri_get_query (uri) ? g_uri_get_query (uri) : "");
  soup_message_headers_iter_init (&iter, soup_server_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_string_append_printf (text, "header %s: %s\n", name, value);
  reply_text (msg, text);
}

static void
handle_upload (SoupServerMessage *msg)
{
  guint64 *count = g_object_get_data (G_OBJECT (msg), UPLOAD_COUNT_KEY);
  g_autofree char *body = g_strdup_printf ("{\"bytes\":%" G_GUINT64_FORMAT "}",
                                           count ? *count : 0);

  id_reply_raw (msg, SOUP_STATUS_OK, ID_JSON_TYPE, body, strlen (body));
}

static void
download_next (SoupServerMessage *msg,
               Download          *download)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  gsize n = MIN (download->left, DOWNLOAD_CHUNK);

  /* Shut down under libsoup's feet: it must not end the body properly. */
  if (download->break_at > 0 && download->left <= download->break_at)
    {
      g_socket_shutdown (soup_server_message_get_socket (msg), TRUE, TRUE, NULL);
      soup_server_message_unpause (msg);
      return;
    }
  if (n == 0)
    soup_message_body_complete (body);
  else
    {
      soup_message_body_append_take (body, memset (g_malloc (n), 'x', n), n);
      download->left -= n;
    }
  soup_server_message_unpause (msg);
}

static void
on_download_wrote_chunk (SoupServerMessage *msg,
                         gpointer           user_data)
{
  download_next (msg, user_data);
}

static void
handle_download (SoupServerMessage *msg,
                 GHashTable        *query)
{
  const char *bytes = query ? g_hash_table_lookup (query, "bytes") : NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  Download *download = g_new0 (Download, 1);
  guint64 n = 0;

  if (bytes == NULL || !g_ascii_string_to_unsigned (bytes, 10, 0, DOWNLOAD_MAX, &n, NULL))
    {
      g_free (download);
      id_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bytes=N is required");
      return;
    }
  download->left = n;
  bytes = g_hash_table_lookup (query, "break");
  if (bytes != NULL && g_ascii_string_to_unsigned (bytes, 10, 1, n, &download->break_at, NULL))
    download->break_at = n - download->break_at;
  g_object_set_data_full (G_OBJECT (msg), "orchestrator-download", download, g_free);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (headers, "application/octet-stream", NULL);
  if (g_hash_table_contains (query, "chunked"))
    soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  else
    soup_message_headers_set_content_length (headers, (goffset) n);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (on_download_wrote_chunk), download);
  download_next (msg, download);
}

static void
handle_redirect (SoupServerMessage *msg,
                 GHashTable        *query)
{
  const char *to = query ? g_hash_table_lookup (query, "to") : NULL;

  soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, to ? to : "/");
}

static void
handle_hop (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  static const char *const hop[][2] = {
    { "Connection", "X-Hop-Named" }, { "X-Hop-Named", "dropped" },
    { "Keep-Alive", "timeout=5" }, { "Proxy-Authenticate", "Basic realm=\"x\"" },
    { "Proxy-Connection", "keep-alive" }, { "Upgrade", "h2c" },
    { "Trailer", "X-Checksum" }, { "X-End-To-End", "kept" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (hop); i++)
    soup_message_headers_append (headers, hop[i][0], hop[i][1]);
  id_reply_raw (msg, SOUP_STATUS_OK, "text/plain", "ok\n", 3);
}

static void
handle_deny (SoupServerMessage *msg)
{
  static const char body[] = "{\"message\":\"denied here\"}";

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "WWW-Authenticate", "Bearer error=\"insufficient_scope\"");
  id_reply_raw (msg, SOUP_STATUS_UNAUTHORIZED, ID_JSON_TYPE, body, sizeof body - 1);
}

void
id_orchestrator_handle (IdServer          *srv,
                        SoupServerMessage *msg,
                        const char        *path)
{
  const char *what = strstr (path, ID_ORCHESTRATOR_BASE) + strlen (ID_ORCHESTRATOR_BASE);
  g_autoptr(GHashTable) query = NULL;
  const char *q = g_uri_get_query (soup_server_message_get_uri (msg));

  if (g_str_equal (what, "deny"))
    {
      handle_deny (msg);
      return;
    }
  if (!id_check_bearer (srv, msg))
    return;
  if (q != NULL)
    query = soup_form_decode (q);
  if (g_str_has_prefix (what, "odata/"))
    id_reply_raw (msg, SOUP_STATUS_OK, ID_JSON_TYPE, "{\"@odata.count\":0,\"value\":[]}", 29);
  else if (g_str_equal (what, "echo"))
    handle_echo (msg);
  else if (g_str_equal (what, "upload"))
    handle_upload (msg);
  else if (g_str_equal (what, "download"))
    handle_download (msg, query);
  else if (g_str_equal (what, "redirect"))
    handle_redirect (msg, query);
  else if (g_str_equal (what, "hop"))
    handle_hop (msg);
  else if (g_str_equal (what, "nocontent"))
    soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}
