#include "config.h"

#include "http.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "ua-error.h"
#include "url-policy.h"

/* Growth step of the response buffer; token answers fit in the first one. */
#define BODY_INITIAL_SIZE 4096
/* Longest Content-Type or Retry-After header line looked at; longer ones
 * are ignored rather than truncated into something that parses. */
#define HEADER_MAX_LINE 1024
/* Retry-After beyond a day is clamped: the caller's backoff takes over. */
#define RETRY_AFTER_MAX_S (24 * 60 * 60)

#define USER_AGENT "uipauth/" UA_VERSION

/* The response body as it arrives.  It may hold a token, so every buffer
 * it outgrows is wiped before it is freed. */
typedef struct {
  char *data;
  size_t len;
  size_t cap;
  gboolean too_big;
} Body;

typedef struct {
  GCancellable *cancellable;
  Body body;
  UaHttpHeaders headers;
  char errbuf[CURL_ERROR_SIZE];
  /* Plain http: every address connected to must be loopback. */
  gboolean loopback_only;
  /* The first address refused for that, for the error message. */
  char refused_peer[INET6_ADDRSTRLEN];
  /* The loopback names pinned to loopback addresses (CURLOPT_RESOLVE). */
  struct curl_slist *pinned;
} Transfer;

gboolean
ua_http_global_init (GError **error)
{
  CURLcode rc = curl_global_init (CURL_GLOBAL_DEFAULT);

  if (rc != CURLE_OK)
    {
      g_set_error (error, UA_ERROR, UA_ERR_INTERNAL,
                   "cannot initialise libcurl: %s", curl_easy_strerror (rc));
      return FALSE;
    }
  return TRUE;
}

void
ua_http_global_cleanup (void)
{
  curl_global_cleanup ();
}

UaHttpRequest *
ua_http_request_new (const char *url)
{
  UaHttpRequest *request = g_new0 (UaHttpRequest, 1);
  const char *cap = g_getenv ("UIPAUTH_HTTP_TIMEOUT_MS");
  guint64 v;

  request->url = g_strdup (url);
  /* Tests of slow identity servers lower the timeouts, never raise them.
   * Read here, on the main loop, never on a worker thread. */
  request->timeout_cap_ms = UA_HTTP_TOTAL_TIMEOUT_MS;
  if (cap != NULL && g_ascii_string_to_unsigned (cap, 10, 1, UA_HTTP_TOTAL_TIMEOUT_MS,
                                                 &v, NULL))
    request->timeout_cap_ms = (guint) v;
  return request;
}

static void
wipe_strv (GStrv strv)
{
  for (char **p = strv; p != NULL && *p != NULL; p++)
    ua_wipe (*p, strlen (*p));
  g_strfreev (strv);
}

void
ua_http_request_free (UaHttpRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->url);
  g_free (request->content_type);
  ua_secret_free (request->body);
  /* Extra headers carry Authorization values. */
  wipe_strv (request->headers);
  g_free (request);
}

void
ua_http_response_free (UaHttpResponse *response)
{
  if (response == NULL)
    return;
  g_free (response->content_type);
  ua_secret_free (response->body);
  g_free (response);
}

/* ---- URL policy (url-policy.c), on GLib's and on curl's reading ---- */

/* curl's reading of the URL, already set in @u. */
static gboolean
curl_url_allowed (CURLU *u, const char *url, GError **error)
{
  char *scheme = NULL;
  char *host = NULL;
  char *user = NULL;
  gboolean ok = FALSE;
  size_t n;

  if (curl_url_set (u, CURLUPART_URL, url, 0) != CURLUE_OK
      || curl_url_get (u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK
      || curl_url_get (u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
    ua_url_policy_refuse (url, "libcurl cannot parse it", error);
  else if (curl_url_get (u, CURLUPART_USER, &user, 0) == CURLUE_OK)
    ua_url_policy_refuse (url, "user info in URLs is not accepted", error);
  else
    {
      n = strlen (host);
      /* curl keeps the brackets of an IPv6 literal. */
      if (n > 2 && host[0] == '[' && host[n - 1] == ']')
        {
          memmove (host, host + 1, n - 2);
          host[n - 2] = '\0';
        }
      ok = ua_url_policy_scheme_host (url, scheme, host, error);
    }
  curl_free (scheme);
  curl_free (host);
  curl_free (user);
  return ok;
}

/* libcurl parses the URL again, and it is curl's reading that decides
 * where the request goes: the same policy runs over both readings, so
 * that no difference between the two parsers lets a request through.
 * Returns curl's reading, for the request, if both allow it. */
static CURLU *
url_checked (const char *url, GError **error)
{
  CURLU *u;

  if (!ua_url_policy_allowed (url, error))
    return NULL;
  if ((u = curl_url ()) == NULL)
    g_error ("libcurl: out of memory");
  if (!curl_url_allowed (u, url, error))
    g_clear_pointer (&u, curl_url_cleanup);
  return u;
}

gboolean
ua_http_url_allowed (const char *url, GError **error)
{
  CURLU *u;

  g_return_val_if_fail (url != NULL, FALSE);

  u = url_checked (url, error);
  if (u == NULL)
    return FALSE;
  curl_url_cleanup (u);
  return TRUE;
}

static gboolean
url_is_loopback (CURLU *u)
{
  char *host = NULL;
  gboolean loopback = FALSE;

  if (curl_url_get (u, CURLUPART_HOST, &host, 0) == CURLUE_OK)
    loopback = ua_url_policy_host_is_loopback (host)
               || g_strcmp0 (host, "[::1]") == 0;
  curl_free (host);
  return loopback;
}

/* Anything but https, as curl reads the scheme, counts as plain. */
static gboolean
url_is_plain (CURLU *u)
{
  char *scheme = NULL;
  gboolean plain = TRUE;

  if (curl_url_get (u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK)
    plain = g_ascii_strcasecmp (scheme, "https") != 0;
  curl_free (scheme);
  return plain;
}

/* ---- the address connected to -------------------------------------- */

gboolean
ua_http_address_is_loopback (const struct sockaddr *addr, size_t len)
{
  const struct in6_addr *in6;

  if (addr->sa_family == AF_INET && len >= sizeof (struct sockaddr_in))
    return ntohl (((const struct sockaddr_in *) addr)->sin_addr.s_addr) >> 24
           == 127;
  if (addr->sa_family != AF_INET6 || len < sizeof (struct sockaddr_in6))
    return FALSE;
  in6 = &((const struct sockaddr_in6 *) addr)->sin6_addr;
  return IN6_IS_ADDR_LOOPBACK (in6)
         || (IN6_IS_ADDR_V4MAPPED (in6) && in6->s6_addr[12] == 127);
}

static void
describe_address (const struct sockaddr *addr, char *out, size_t size)
{
  const void *raw = NULL;

  if (addr->sa_family == AF_INET)
    raw = &((const struct sockaddr_in *) addr)->sin_addr;
  else if (addr->sa_family == AF_INET6)
    raw = &((const struct sockaddr_in6 *) addr)->sin6_addr;
  if (raw == NULL || inet_ntop (addr->sa_family, raw, out, size) == NULL)
    g_snprintf (out, size, "an address of family %d", addr->sa_family);
}

/* Every connection curl opens comes here, after whatever resolved the
 * name (the pinned entries below, /etc/hosts, DNS): plain http leaves for
 * a loopback address or not at all, before a byte is sent. */
static curl_socket_t
on_open_socket (void *user_data, curlsocktype purpose,
                struct curl_sockaddr *address)
{
  Transfer *transfer = user_data;

  if (transfer->loopback_only
      && !ua_http_address_is_loopback (&address->addr, address->addrlen))
    {
      if (transfer->refused_peer[0] == '\0')
        describe_address (&address->addr, transfer->refused_peer,
                          sizeof transfer->refused_peer);
      /* curl tries the next address, if any, then fails to connect. */
      return CURL_SOCKET_BAD;
    }
  return socket (address->family, address->socktype | SOCK_CLOEXEC,
                 address->protocol);
}

/* The loopback names are answered here, never by the system's resolver:
 * whoever answers DNS (or edits /etc/hosts) must not choose where plain
 * http goes.  Both spellings are pinned: curl looks "localhost." up as
 * written, and only some versions answer "localhost" without a resolver. */
static struct curl_slist *
pin_loopback_names (CURLU *u)
{
  static const char *const names[] = { "localhost", "localhost." };
  struct curl_slist *list = NULL;
  char *host = NULL;
  char *port = NULL;

  if (curl_url_get (u, CURLUPART_HOST, &host, 0) == CURLUE_OK
      && (g_ascii_strcasecmp (host, "localhost") == 0
          || g_ascii_strcasecmp (host, "localhost.") == 0)
      && curl_url_get (u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK)
    for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *entry = g_strdup_printf ("%s:%s:127.0.0.1,[::1]",
                                                  names[i], port);
        struct curl_slist *grown = curl_slist_append (list, entry);

        if (grown == NULL)
          g_error ("libcurl: out of memory");
        list = grown;
      }
  curl_free (host);
  curl_free (port);
  return list;
}

/* ---- callbacks (run inside curl_easy_perform) ----------------------- */

static void
body_clear (Body *body)
{
  ua_wipe (body->data, body->cap);
  g_free (body->data);
  *body = (Body) { 0 };
}

static gboolean
body_append (Body *body, const char *data, size_t n)
{
  if (n > UA_HTTP_MAX_RESPONSE - body->len)
    {
      body->too_big = TRUE;
      return FALSE;
    }
  if (body->len + n > body->cap)
    {
      size_t cap = MAX (body->cap, BODY_INITIAL_SIZE);
      char *grown;

      while (cap < body->len + n)
        cap *= 2;
      /* Not g_realloc: it would leave the old copy unwiped. */
      grown = g_malloc (cap);
      if (body->len > 0)
        memcpy (grown, body->data, body->len);
      ua_wipe (body->data, body->cap);
      g_free (body->data);
      body->data = grown;
      body->cap = cap;
    }
  memcpy (body->data + body->len, data, n);
  body->len += n;
  return TRUE;
}

static size_t
on_write (char *data, size_t size, size_t nmemb, void *user_data)
{
  Transfer *transfer = user_data;

  /* Returning less than given makes curl fail with CURLE_WRITE_ERROR. */
  if (!body_append (&transfer->body, data, size * nmemb))
    return 0;
  return size * nmemb;
}

static char *
media_type (const char *value)
{
  const char *end = strchr (value, ';');
  g_autofree char *type = g_strndup (value, end ? (size_t) (end - value)
                                                : strlen (value));

  g_strstrip (type);
  if (*type == '\0')
    return NULL;
  for (const char *p = type; *p != '\0'; p++)
    if (!g_ascii_isgraph (*p))
      return NULL;
  return g_ascii_strdown (type, -1);
}

/* Delta-seconds, or an HTTP-date turned into seconds from now. */
static gint64
parse_retry_after (const char *value)
{
  guint64 seconds;
  time_t when;

  if (g_ascii_isdigit (*value))
    {
      if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT64, &seconds,
                                       NULL))
        return -1;
      return MIN (seconds, RETRY_AFTER_MAX_S);
    }
  /* An HTTP-date is wall-clock time by definition. */
  when = curl_getdate (value, NULL);
  if (when == -1)
    return -1;
  return CLAMP ((gint64) when - (gint64) time (NULL), 0, RETRY_AFTER_MAX_S);
}

static const char *
header_value (const char *line, const char *name)
{
  size_t n = strlen (name);

  if (g_ascii_strncasecmp (line, name, n) != 0 || line[n] != ':')
    return NULL;
  return line + n + 1;
}

void
ua_http_headers_reset (UaHttpHeaders *headers)
{
  g_clear_pointer (&headers->content_type, g_free);
  headers->retry_after = -1;
}

void
ua_http_headers_clear (UaHttpHeaders *headers)
{
  ua_http_headers_reset (headers);
}

/* Whether the @len bytes at @data start with @prefix, ignoring case.  The
 * bytes are not NUL-terminated: nothing past @len may be read. */
static gboolean
has_prefix (const char *data, size_t len, const char *prefix)
{
  size_t n = strlen (prefix);

  return len >= n && g_ascii_strncasecmp (data, prefix, n) == 0;
}

void
ua_http_headers_feed (UaHttpHeaders *headers, const char *data, size_t n)
{
  char line[HEADER_MAX_LINE];
  const char *value;

  /* A status line starts a new response (after 100 Continue, or a
   * proxy's CONNECT answer): forget what the previous one said. */
  if (n >= 5 && memcmp (data, "HTTP/", 5) == 0)
    {
      ua_http_headers_reset (headers);
      return;
    }
  /* Only two short headers matter; others (Set-Cookie…) are not copied. */
  if (n >= sizeof line
      || (!has_prefix (data, n, "content-type:")
          && !has_prefix (data, n, "retry-after:")))
    return;
  memcpy (line, data, n);
  line[n] = '\0';
  g_strstrip (line);
  if ((value = header_value (line, "content-type")) != NULL)
    {
      g_free (headers->content_type);
      headers->content_type = media_type (value);
    }
  else if ((value = header_value (line, "retry-after")) != NULL)
    headers->retry_after = parse_retry_after (value + strspn (value, " \t"));
}

static size_t
on_header (char *data, size_t size, size_t nitems, void *user_data)
{
  Transfer *transfer = user_data;

  ua_http_headers_feed (&transfer->headers, data, size * nitems);
  return size * nitems;
}

static int
on_progress (void *user_data, curl_off_t dltotal, curl_off_t dlnow,
             curl_off_t ultotal, curl_off_t ulnow)
{
  Transfer *transfer = user_data;

  /* Non-zero aborts the transfer with CURLE_ABORTED_BY_CALLBACK. */
  return g_cancellable_is_cancelled (transfer->cancellable) ? 1 : 0;
}

/* ---- the request ---------------------------------------------------- */

static void
wipe_slist (struct curl_slist *list)
{
  for (struct curl_slist *l = list; l != NULL; l = l->next)
    ua_wipe (l->data, strlen (l->data));
  curl_slist_free_all (list);
}

static gboolean
append_header (struct curl_slist **list, const char *line, GError **error)
{
  struct curl_slist *grown;

  /* A CR or LF would let a value start a header of its own. */
  if (strpbrk (line, "\r\n") != NULL)
    {
      g_set_error_literal (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                           "refusing an HTTP header that contains CR or LF");
      return FALSE;
    }
  grown = curl_slist_append (*list, line);
  if (grown == NULL)
    g_error ("libcurl: out of memory");
  *list = grown;
  return TRUE;
}

static gboolean
build_headers (const UaHttpRequest *request, struct curl_slist **list,
               GError **error)
{
  g_autofree char *content_type = NULL;

  /* No "Expect: 100-continue" round trip for a large POST. */
  if (!append_header (list, "Expect:", error))
    return FALSE;
  if (request->body != NULL && request->content_type != NULL)
    {
      content_type = g_strconcat ("Content-Type: ", request->content_type, NULL);
      if (!append_header (list, content_type, error))
        return FALSE;
    }
  for (char **h = request->headers; h != NULL && *h != NULL; h++)
    if (!append_header (list, *h, error))
      return FALSE;
  return TRUE;
}

#define SETOPT(handle, option, value)                                   \
  G_STMT_START                                                          \
  {                                                                     \
    CURLcode rc_ = curl_easy_setopt ((handle), option, (value));        \
    if (rc_ != CURLE_OK)                                                \
      {                                                                 \
        g_set_error (error, UA_ERROR, UA_ERR_INTERNAL,                  \
                     "libcurl refused %s: %s", #option,                 \
                     curl_easy_strerror (rc_));                         \
        return FALSE;                                                   \
      }                                                                 \
  }                                                                     \
  G_STMT_END

/* The protocol and TLS policy, the same on every handle. */
static gboolean
set_policy (CURL *handle, CURLU *u, GError **error)
{
#if LIBCURL_VERSION_NUM >= 0x075500
  SETOPT (handle, CURLOPT_PROTOCOLS_STR, "https,http");
  /* "" is refused by curl; redirects are off anyway (FOLLOWLOCATION 0),
   * this only narrows what a future change could turn on. */
  SETOPT (handle, CURLOPT_REDIR_PROTOCOLS_STR, "https");
#else
  SETOPT (handle, CURLOPT_PROTOCOLS, (long) (CURLPROTO_HTTPS | CURLPROTO_HTTP));
  SETOPT (handle, CURLOPT_REDIR_PROTOCOLS, 0L);
#endif
  /* Requests carry credentials: a redirect is reported, never followed. */
  SETOPT (handle, CURLOPT_FOLLOWLOCATION, 0L);
  SETOPT (handle, CURLOPT_MAXREDIRS, 0L);
  SETOPT (handle, CURLOPT_SSL_VERIFYPEER, 1L);
  SETOPT (handle, CURLOPT_SSL_VERIFYHOST, 2L);
  SETOPT (handle, CURLOPT_SSLVERSION, (long) CURL_SSLVERSION_TLSv1_2);
  /* Worker threads: no SIGALRM-based DNS timeouts. */
  SETOPT (handle, CURLOPT_NOSIGNAL, 1L);
  /* Credentials come from the keyring only, never from ~/.netrc. */
  SETOPT (handle, CURLOPT_NETRC, (long) CURL_NETRC_IGNORED);
  SETOPT (handle, CURLOPT_VERBOSE, 0L);
  SETOPT (handle, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t) UA_HTTP_MAX_RESPONSE);
  /* A loopback identity server is never reached through a proxy. */
  if (url_is_loopback (u))
    SETOPT (handle, CURLOPT_PROXY, "");
  return TRUE;
}

/* Plain http goes to loopback only: the URL policy said so of the name,
 * and this holds it to that on the addresses the name leads to. */
static gboolean
set_peer_policy (CURL *handle, CURLU *u, Transfer *transfer, GError **error)
{
  SETOPT (handle, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
  SETOPT (handle, CURLOPT_OPENSOCKETDATA, transfer);
  transfer->loopback_only = url_is_plain (u);
  if (!transfer->loopback_only)
    return TRUE;
  transfer->pinned = pin_loopback_names (u);
  if (transfer->pinned != NULL)
    SETOPT (handle, CURLOPT_RESOLVE, transfer->pinned);
  return TRUE;
}

static gboolean
set_request (CURL *handle, CURLU *u, const UaHttpRequest *request,
             struct curl_slist *headers, Transfer *transfer, GError **error)
{
  guint connect_ms = request->connect_timeout_ms ? request->connect_timeout_ms
                                                 : UA_HTTP_CONNECT_TIMEOUT_MS;
  guint total_ms = request->total_timeout_ms ? request->total_timeout_ms
                                             : UA_HTTP_TOTAL_TIMEOUT_MS;

  connect_ms = MIN (connect_ms, request->timeout_cap_ms);
  total_ms = MIN (total_ms, request->timeout_cap_ms);

  SETOPT (handle, CURLOPT_CURLU, u);
  SETOPT (handle, CURLOPT_ERRORBUFFER, transfer->errbuf);
  SETOPT (handle, CURLOPT_CONNECTTIMEOUT_MS, (long) connect_ms);
  SETOPT (handle, CURLOPT_TIMEOUT_MS, (long) total_ms);
  SETOPT (handle, CURLOPT_USERAGENT, USER_AGENT);
  SETOPT (handle, CURLOPT_HTTPHEADER, headers);
  SETOPT (handle, CURLOPT_WRITEFUNCTION, on_write);
  SETOPT (handle, CURLOPT_WRITEDATA, transfer);
  SETOPT (handle, CURLOPT_HEADERFUNCTION, on_header);
  SETOPT (handle, CURLOPT_HEADERDATA, transfer);
  SETOPT (handle, CURLOPT_XFERINFOFUNCTION, on_progress);
  SETOPT (handle, CURLOPT_XFERINFODATA, transfer);
  SETOPT (handle, CURLOPT_NOPROGRESS, transfer->cancellable ? 0L : 1L);
  if (request->body == NULL)
    {
      SETOPT (handle, CURLOPT_HTTPGET, 1L);
      return TRUE;
    }
  /* Not copied by curl: the body stays in its wiping UaSecret. */
  SETOPT (handle, CURLOPT_POSTFIELDS, ua_secret_get (request->body));
  SETOPT (handle, CURLOPT_POSTFIELDSIZE_LARGE,
          (curl_off_t) ua_secret_len (request->body));
  return TRUE;
}

#undef SETOPT

static void
set_transfer_error (CURLcode rc, const Transfer *transfer, const char *url,
                    const char *shown, GError **error)
{
  g_autofree char *why = NULL;

  if (transfer->refused_peer[0] != '\0')
    {
      why = g_strdup_printf ("plain http to %s, which is not a loopback address",
                             transfer->refused_peer);
      ua_url_policy_refuse (url, why, error);
      return;
    }
  if (rc == CURLE_ABORTED_BY_CALLBACK
      && g_cancellable_set_error_if_cancelled (transfer->cancellable, error))
    return;
  if (transfer->body.too_big || rc == CURLE_FILESIZE_EXCEEDED)
    g_set_error (error, UA_ERROR, UA_ERR_UNREACHABLE,
                 "%s answered with more than %d KiB; refusing it",
                 shown, UA_HTTP_MAX_RESPONSE / 1024);
  else
    g_set_error (error, UA_ERROR, UA_ERR_UNREACHABLE, "cannot reach %s: %s",
                 shown, transfer->errbuf[0] ? transfer->errbuf
                                            : curl_easy_strerror (rc));
}

static UaHttpResponse *
take_response (CURL *handle, Transfer *transfer)
{
  UaHttpResponse *response = g_new0 (UaHttpResponse, 1);

  if (curl_easy_getinfo (handle, CURLINFO_RESPONSE_CODE, &response->status)
      != CURLE_OK)
    response->status = 0;
  response->content_type = g_steal_pointer (&transfer->headers.content_type);
  response->retry_after = transfer->headers.retry_after;
  response->body = ua_secret_new (transfer->body.data ? transfer->body.data
                                                      : "",
                                  transfer->body.len);
  if (response->body == NULL)
    g_error ("out of memory");
  return response;
}

static UaHttpResponse *
perform (const UaHttpRequest *request, GCancellable *cancellable,
         GError **error)
{
  Transfer transfer = { .cancellable = cancellable,
                        .headers = { NULL, -1 } };
  struct curl_slist *headers = NULL;
  UaHttpResponse *response = NULL;
  g_autofree char *shown = NULL;
  CURLU *u = NULL;
  CURL *handle = NULL;
  gint64 start = g_get_monotonic_time ();
  CURLcode rc;

  g_return_val_if_fail (request != NULL && request->url != NULL, NULL);

  if ((u = url_checked (request->url, error)) == NULL
      || !build_headers (request, &headers, error))
    goto out;
  if ((handle = curl_easy_init ()) == NULL)
    g_error ("libcurl: out of memory");
  if (!set_policy (handle, u, error)
      || !set_peer_policy (handle, u, &transfer, error)
      || !set_request (handle, u, request, headers, &transfer, error))
    goto out;

  shown = ua_url_policy_redact (request->url);
  rc = curl_easy_perform (handle);
  if (rc != CURLE_OK)
    {
      set_transfer_error (rc, &transfer, request->url, shown, error);
      goto out;
    }
  response = take_response (handle, &transfer);
  g_debug ("%s %s: HTTP %ld, %zu bytes in %" G_GINT64_FORMAT " ms",
           request->body ? "POST" : "GET", shown, response->status,
           transfer.body.len, (g_get_monotonic_time () - start) / 1000);

out:
  if (handle != NULL)
    curl_easy_cleanup (handle);
  if (u != NULL)
    curl_url_cleanup (u);
  curl_slist_free_all (transfer.pinned);
  wipe_slist (headers);
  body_clear (&transfer.body);
  ua_http_headers_clear (&transfer.headers);
  return response;
}

UaHttpResponse *
ua_http_perform (const UaHttpRequest *request, GError **error)
{
  return perform (request, NULL, error);
}

static void
perform_thread (GTask *task, gpointer source_object, gpointer task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  UaHttpResponse *response = perform (task_data, cancellable, &error);

  if (response == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, response,
                           (GDestroyNotify) ua_http_response_free);
}

void
ua_http_perform_async (UaHttpRequest *request, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, ua_http_perform_async);
  g_task_set_task_data (task, request, (GDestroyNotify) ua_http_request_free);
  g_task_run_in_thread (task, perform_thread);
}

UaHttpResponse *
ua_http_perform_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, ua_http_perform_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
