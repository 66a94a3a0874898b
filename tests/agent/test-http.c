/* The libcurl wrapper: the URL policy as a table, and the transport
 * behaviour against a tiny HTTP server on 127.0.0.1 run by the test. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "http.h"
#include "loopback.h"
#include "ua-error.h"

/* ---- URL policy ----------------------------------------------------- */

static const struct {
  const char *url;
  gboolean allowed;
} url_cases[] = {
  { "https://cloud.uipath.com/identity_/connect/token", TRUE },
  { "HTTPS://Cloud.UiPath.com/identity_", TRUE },
  { "https://suite.example.com:8443/identity_", TRUE },
  { "https://93.184.216.34/identity_", TRUE },
  { "http://127.0.0.1:8080/identity_/connect/token", TRUE },
  { "http://127.5.5.5/", TRUE },
  { "http://127.255.255.254:1/x", TRUE },
  { "http://[::1]:1/", TRUE },
  { "http://[::1]/", TRUE },
  { "http://[0:0:0:0:0:0:0:1]/", TRUE },
  { "HTTP://127.0.0.1/", TRUE },
  { "http://localhost/", TRUE },
  { "http://LOCALHOST/", TRUE },
  { "http://LOCALHOST:12700/", TRUE },
  /* Allowed because perform() resolves these two itself, never via DNS. */
  { "http://localhost./", TRUE },
  { "hTtP://LoCaLhOsT./", TRUE },
  /* Both parsers decode these to the names above, which are pinned too. */
  { "http://localhost%2e/", TRUE },
  { "http://%6cocalhost/", TRUE },
  { "http://127.0.0.1#@evil.com/", TRUE },
  { "http://127.0.0.1?@evil.com/", TRUE },
  { "http://localhost/%2F@evil.com", TRUE },
  /* Names that only look like loopback go to DNS: refused. */
  { "http://localhost../", FALSE },
  { "http://.localhost/", FALSE },
  { "http://foo.localhost/", FALSE },
  { "http://localhost%00.evil.com/", FALSE },
  { "http://xn--localhost/", FALSE },
  { "http://127.0.0.1./", FALSE },
  { "http://example.com/", FALSE },
  { "http://cloud.uipath.com/identity_", FALSE },
  { "http://127.0.0.1.evil.com/", FALSE },
  { "http://localhost.evil.com/", FALSE },
  /* User info, and what a lax parser might take for it. */
  { "http://evil.com#@127.0.0.1/", FALSE },
  { "http://127.0.0.1:80@evil.com/", FALSE },
  { "http://user:pw@127.0.0.1/", FALSE },
  { "http://localhost@evil.com/", FALSE },
  { "http://localhost:80@evil.com/", FALSE },
  { "http://evil.com@localhost/", FALSE },
  { "http://127.0.0.1%2f@evil.com/", FALSE },
  { "http://127.0.0.1\\@evil.com/", FALSE },
  { "http://evil.com\\@127.0.0.1/", FALSE },
  { "http://[::1]@evil.com/", FALSE },
  { "http://evil.com:80#@127.0.0.1/", FALSE },
  { "https://user:pw@cloud.uipath.com/", FALSE },
  { "http://128.0.0.1/", FALSE },
  { "http://0.0.0.0/", FALSE },
  { "http://10.0.0.1/", FALSE },
  /* Loopback in forms some resolvers read and others do not: refused
   * rather than guessed at. */
  { "http://[::ffff:127.0.0.1]/", FALSE },
  { "http://[::127.0.0.1]/", FALSE },
  { "http://[::1%25lo]/", FALSE },
  { "http://[::2]/", FALSE },
  { "http://127.1/", FALSE },
  { "http://0x7f.1/", FALSE },
  { "http://0177.0.0.1/", FALSE },
  { "http://2130706433/", FALSE },
  { "http://0x7f000001/", FALSE },
  { "http://127.0.0.1 /", FALSE },
  { "http://127.0.0.1%09/", FALSE },
  { "http://127.0.0.1:8080:80/", FALSE },
  { "http:/127.0.0.1/", FALSE },
  { "http:127.0.0.1", FALSE },
  { "ftp://127.0.0.1/", FALSE },
  { "ftp://cloud.uipath.com/", FALSE },
  { "file:///etc/passwd", FALSE },
  { "gopher://localhost/", FALSE },
  { "https:///identity_", FALSE },
  { "https://", FALSE },
  { "cloud.uipath.com/identity_", FALSE },
  { "//cloud.uipath.com/identity_", FALSE },
  { "not a url", FALSE },
  { "", FALSE },
};

static void
test_url_allowed (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (url_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean allowed = ua_http_url_allowed (url_cases[i].url, &error);

      g_test_message ("%s: %s", url_cases[i].url, error ? error->message : "allowed");
      g_assert_cmpint (allowed, ==, url_cases[i].allowed);
      if (allowed)
        {
          g_assert_no_error (error);
          continue;
        }
      g_assert_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, "https:// is required"));
    }
}

/* The addresses plain http may connect to, whatever a name resolved to. */
static const struct {
  const char *address;
  gboolean loopback;
} address_cases[] = {
  { "127.0.0.1", TRUE },
  { "127.0.0.0", TRUE },
  { "127.255.255.255", TRUE },
  { "127.1.2.3", TRUE },
  { "::1", TRUE },
  { "0:0:0:0:0:0:0:1", TRUE },
  { "::ffff:127.0.0.1", TRUE },
  { "::ffff:127.9.8.7", TRUE },
  { "126.255.255.255", FALSE },
  { "128.0.0.1", FALSE },
  { "0.0.0.0", FALSE },
  { "10.0.0.1", FALSE },
  { "192.0.2.1", FALSE },
  { "255.255.255.255", FALSE },
  { "::", FALSE },
  { "::2", FALSE },
  { "::127.0.0.1", FALSE },       /* IPv4-compatible, not mapped */
  { "::ffff:192.0.2.1", FALSE },
  { "::ffff:0.0.0.0", FALSE },
  { "64:ff9b::7f00:1", FALSE },   /* NAT64 of 127.0.0.1: another host */
  { "fe80::1", FALSE },
  { "2001:db8::1", FALSE },
};

static void
test_address_is_loopback (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (address_cases); i++)
    {
      g_autoptr(GSocketAddress) address =
        g_inet_socket_address_new_from_string (address_cases[i].address, 80);
      struct sockaddr_storage native;
      gsize len;

      g_assert_nonnull (address);
      len = g_socket_address_get_native_size (address);
      g_assert_true (g_socket_address_to_native (address, &native, sizeof native, NULL));
      g_test_message ("%s", address_cases[i].address);
      g_assert_cmpint (ua_http_address_is_loopback ((struct sockaddr *) &native, len),
                       ==, address_cases[i].loopback);
      /* A truncated address is never trusted. */
      g_assert_false (ua_http_address_is_loopback ((struct sockaddr *) &native, len - 1));
    }
}

static void
test_address_other_families (void)
{
  struct sockaddr_un unix_address = { .sun_family = AF_UNIX, .sun_path = "/tmp/x" };
  struct sockaddr_storage unspec = { .ss_family = AF_UNSPEC };

  g_assert_false (ua_http_address_is_loopback ((struct sockaddr *) &unix_address,
                                               sizeof unix_address));
  g_assert_false (ua_http_address_is_loopback ((struct sockaddr *) &unspec, sizeof unspec));
}

static void
test_url_refusal_hides_secrets (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (ua_http_url_allowed ("http://user:hunter2@example.com/path?key=hunter2",
                                       &error));
  g_assert_nonnull (strstr (error->message, "http://example.com/path"));
  g_assert_null (strstr (error->message, "hunter2"));
}

/* A host that decodes to control characters cannot break a log line. */
static void
test_url_refusal_escapes_controls (void)
{
  static const char *const urls[] = { "http://evil%0d%0aX-Injected:1/",
                                      "http://127.0.0.1%0a/", "http://a%1b[31m/",
                                      "http://evil\r\nX: 1/" };

  for (gsize i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (ua_http_url_allowed (urls[i], &error));
      g_test_message ("%s", error->message);
      for (const char *p = error->message; *p != '\0'; p++)
        g_assert_false (g_ascii_iscntrl (*p));
    }
}

/* ---- a tiny server -------------------------------------------------- */

typedef enum {
  SERVE_ECHO,        /* 200 with a JSON body */
  SERVE_REDIRECT,    /* 302 to another path on the same server */
  SERVE_BIG,         /* more than the cap, no Content-Length */
  SERVE_BIG_LENGTH,  /* a Content-Length above the cap */
  SERVE_SILENT,      /* reads the request, never answers */
  SERVE_RESET,       /* reads the request, resets the connection */
  SERVE_RETRY_AFTER, /* 429 with Retry-After in seconds */
  SERVE_RETRY_DATE,  /* 503 with Retry-After as an HTTP-date */
} Serve;

typedef struct {
  GSocket *listener;
  guint16 port;
  Serve serve;
  GThread *thread;
  GString *request; /* what the client sent */
} Server;

static void
serve_big (GSocket *socket, gboolean with_length)
{
  g_autofree char *chunk = g_strnfill (16 * 1024, 'x');
  g_autofree char *head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                                           "%sConnection: close\r\n\r\n",
                                           with_length ? "Content-Length: 1000000\r\n" : "");

  ua_loopback_send_text (socket, head);
  for (int i = 0; i < 64; i++)
    ua_loopback_send_all (socket, chunk, 16 * 1024);
}

static char *
http_date_in (int seconds)
{
  static const char *const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_seconds (now, seconds);

  return g_strdup_printf ("%s, %02d %s %d %02d:%02d:%02d GMT",
                          days[g_date_time_get_day_of_week (then) - 1],
                          g_date_time_get_day_of_month (then),
                          months[g_date_time_get_month (then) - 1],
                          g_date_time_get_year (then), g_date_time_get_hour (then),
                          g_date_time_get_minute (then), g_date_time_get_second (then));
}

static void
serve (Server *server, GSocket *socket)
{
  g_autofree char *text = NULL;
  g_autofree char *date = NULL;
  char buf[256];
  struct linger reset = { .l_onoff = 1, .l_linger = 0 };

  switch (server->serve)
    {
    case SERVE_ECHO:
      ua_loopback_send_text (socket, "HTTP/1.1 200 OK\r\n"
                             "Content-Type: application/json; charset=UTF-8\r\n"
                             "Content-Length: 11\r\nConnection: close\r\n\r\n{\"ok\":true}");
      break;
    case SERVE_REDIRECT:
      text = g_strdup_printf ("HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:%u/elsewhere\r\n"
                              "Content-Length: 0\r\nConnection: close\r\n\r\n", server->port);
      ua_loopback_send_text (socket, text);
      break;
    case SERVE_BIG:
    case SERVE_BIG_LENGTH:
      serve_big (socket, server->serve == SERVE_BIG_LENGTH);
      break;
    case SERVE_SILENT:
      /* Until the client gives up and closes. */
      while (g_socket_receive (socket, buf, sizeof buf, NULL, NULL) > 0)
        ;
      break;
    case SERVE_RESET:
      /* Closing with a zero linger sends RST instead of FIN. */
      setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
      break;
    case SERVE_RETRY_AFTER:
      ua_loopback_send_text (socket, "HTTP/1.1 429 Too Many Requests\r\n"
                             "Retry-After:  17 \r\n"
                             "Content-Type: Application/JSON ; Charset=UTF-8\r\n"
                             "Content-Length: 2\r\nConnection: close\r\n\r\n{}");
      break;
    case SERVE_RETRY_DATE:
      date = http_date_in (120);
      text = g_strdup_printf ("HTTP/1.1 503 Service Unavailable\r\nretry-after: %s\r\n"
                              "Content-Length: 0\r\nConnection: close\r\n\r\n", date);
      ua_loopback_send_text (socket, text);
      break;
    }
}

static gpointer
server_thread (gpointer data)
{
  Server *server = data;
  g_autoptr(GSocket) socket = g_socket_accept (server->listener, NULL, NULL);

  if (socket == NULL)
    return NULL;
  g_socket_set_timeout (socket, UA_LOOPBACK_IO_TIMEOUT_S);
  ua_loopback_read_request (socket, server->request);
  serve (server, socket);
  g_socket_close (socket, NULL);
  return NULL;
}

static Server *
server_start (Serve serve_as)
{
  Server *server = g_new0 (Server, 1);

  server->listener = ua_loopback_listen (&server->port);
  server->serve = serve_as;
  server->request = g_string_new (NULL);
  server->thread = g_thread_new ("test-server", server_thread, server);
  return server;
}

/* Until the one connection has been served. */
static void
server_wait (Server *server)
{
  if (server->thread != NULL)
    g_thread_join (g_steal_pointer (&server->thread));
}

/* Whether another client connected after the one that was served. */
static gboolean
server_has_pending (Server *server)
{
  return g_socket_condition_timed_wait (server->listener, G_IO_IN, 300 * 1000, NULL, NULL);
}

static void
server_free (Server *server)
{
  server_wait (server);
  g_socket_close (server->listener, NULL);
  g_object_unref (server->listener);
  g_string_free (server->request, TRUE);
  g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_free)

static UaHttpRequest *
request_to (Server *server, const char *path)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", server->port, path);

  return ua_http_request_new (url);
}

/* ---- transport ------------------------------------------------------ */

static void
test_post (void)
{
  g_autoptr(Server) server = server_start (SERVE_ECHO);
  g_autoptr(UaHttpRequest) request = request_to (server, "/identity_/connect/token?q=1");
  g_autoptr(UaHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  const char *sent;

  request->body = ua_secret_new_str ("grant_type=client_credentials&client_secret=s%26");
  request->content_type = g_strdup ("application/x-www-form-urlencoded");
  request->headers = g_strsplit ("Accept: application/json|X-Test: yes", "|", -1);
  response = ua_http_perform (request, &error);
  g_assert_no_error (error);

  g_assert_cmpint (response->status, ==, 200);
  g_assert_cmpstr (response->content_type, ==, "application/json");
  g_assert_cmpint (response->retry_after, ==, -1);
  g_assert_cmpstr (ua_secret_get (response->body), ==, "{\"ok\":true}");

  server_wait (server);
  sent = server->request->str;
  g_assert_true (g_str_has_prefix (sent, "POST /identity_/connect/token?q=1 HTTP/1.1\r\n"));
  g_assert_nonnull (strstr (sent, "\r\nUser-Agent: uipauth/" UA_VERSION "\r\n"));
  g_assert_nonnull (strstr (sent, "\r\nContent-Type: application/x-www-form-urlencoded\r\n"));
  g_assert_nonnull (strstr (sent, "\r\nAccept: application/json\r\n"));
  g_assert_nonnull (strstr (sent, "\r\nX-Test: yes\r\n"));
  g_assert_null (strstr (sent, "Expect:"));
  g_assert_true (g_str_has_suffix (sent, "\r\n\r\ngrant_type=client_credentials&client_secret=s%26"));
}

static void
test_get (void)
{
  g_autoptr(Server) server = server_start (SERVE_ECHO);
  g_autoptr(UaHttpRequest) request = request_to (server, "/.well-known/openid-configuration");
  g_autoptr(UaHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = ua_http_perform (request, &error);
  g_assert_no_error (error);
  g_assert_cmpint (response->status, ==, 200);
  server_wait (server);
  g_assert_true (g_str_has_prefix (server->request->str,
                                   "GET /.well-known/openid-configuration HTTP/1.1\r\n"));
}

static void
test_redirect_not_followed (void)
{
  g_autoptr(Server) server = server_start (SERVE_REDIRECT);
  g_autoptr(UaHttpRequest) request = request_to (server, "/identity_/connect/token");
  g_autoptr(UaHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  request->body = ua_secret_new_str ("client_secret=s");
  request->total_timeout_ms = 5000;
  response = ua_http_perform (request, &error);
  g_assert_no_error (error);
  g_assert_cmpint (response->status, ==, 302);
  g_assert_cmpuint (ua_secret_len (response->body), ==, 0);
  g_assert_false (server_has_pending (server));
}

static void
assert_unreachable (UaHttpRequest *request, const char *message)
{
  g_autoptr(UaHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = ua_http_perform (request, &error);
  g_assert_null (response);
  g_assert_error (error, UA_ERROR, UA_ERR_UNREACHABLE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, message));
  g_assert_null (strstr (error->message, "secret"));
}

static void
test_too_big (void)
{
  g_autoptr(Server) server = server_start (SERVE_BIG);
  g_autoptr(UaHttpRequest) request = request_to (server, "/big?secret=1");

  assert_unreachable (request, "answered with more than 256 KiB");
}

static void
test_too_big_length (void)
{
  g_autoptr(Server) server = server_start (SERVE_BIG_LENGTH);
  g_autoptr(UaHttpRequest) request = request_to (server, "/big?secret=1");

  assert_unreachable (request, "answered with more than 256 KiB");
}

static void
test_timeout (void)
{
  g_autoptr(Server) server = server_start (SERVE_SILENT);
  g_autoptr(UaHttpRequest) request = request_to (server, "/slow?secret=1");
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed_ms;

  request->total_timeout_ms = 500;
  assert_unreachable (request, "cannot reach http://127.0.0.1:");
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  g_assert_cmpint (elapsed_ms, >=, 450);
  g_assert_cmpint (elapsed_ms, <, 5000);
}

static void
test_reset (void)
{
  g_autoptr(Server) server = server_start (SERVE_RESET);
  g_autoptr(UaHttpRequest) request = request_to (server, "/reset?secret=1");

  assert_unreachable (request, "cannot reach http://127.0.0.1:");
}

static void
test_connection_refused (void)
{
  g_autoptr(UaHttpRequest) request = NULL;
  g_autofree char *url = NULL;
  guint16 port;

  /* A port that was just free: bind, note it, close. */
  g_autoptr(GSocket) closed = ua_loopback_listen (&port);
  g_socket_close (closed, NULL);
  url = g_strdup_printf ("http://127.0.0.1:%u/identity_/connect/token?client_secret=s", port);
  request = ua_http_request_new (url);
  assert_unreachable (request, "cannot reach http://127.0.0.1:");
}

/* The loopback forms pass libcurl's own reading of the URL too: they
 * fail to connect, not on policy. */
static void
test_loopback_forms_reach_curl (void)
{
  static const char *const hosts[] = { "127.0.0.1", "[::1]", "localhost", "LocalHost." };
  guint16 port;
  g_autoptr(GSocket) closed = ua_loopback_listen (&port);

  g_socket_close (closed, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      g_autofree char *url = g_strdup_printf ("http://%s:%u/", hosts[i], port);
      g_autoptr(UaHttpRequest) request = ua_http_request_new (url);

      assert_unreachable (request, "cannot reach http://");
    }
}

/* The loopback names are resolved by the wrapper itself: whatever DNS
 * would say of "localhost.", the request reaches the server on 127.0.0.1. */
static void
test_loopback_names_pinned (void)
{
  static const char *const hosts[] = { "localhost.", "LOCALHOST.", "localhost",
                                       "localhost%2e" };

  for (gsize i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      g_autoptr(Server) server = server_start (SERVE_ECHO);
      g_autofree char *url = g_strdup_printf ("http://%s:%u/", hosts[i], server->port);
      g_autoptr(UaHttpRequest) request = ua_http_request_new (url);
      g_autoptr(UaHttpResponse) response = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", url);
      request->total_timeout_ms = 5000;
      response = ua_http_perform (request, &error);
      g_assert_no_error (error);
      g_assert_cmpint (response->status, ==, 200);
    }
}

static void
test_retry_after_seconds (void)
{
  g_autoptr(Server) server = server_start (SERVE_RETRY_AFTER);
  g_autoptr(UaHttpRequest) request = request_to (server, "/");
  g_autoptr(UaHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = ua_http_perform (request, &error);
  g_assert_no_error (error);
  g_assert_cmpint (response->status, ==, 429);
  g_assert_cmpint (response->retry_after, ==, 17);
  g_assert_cmpstr (response->content_type, ==, "application/json");
  g_assert_cmpstr (ua_secret_get (response->body), ==, "{}");
}

static void
test_retry_after_date (void)
{
  g_autoptr(Server) server = server_start (SERVE_RETRY_DATE);
  g_autoptr(UaHttpRequest) request = request_to (server, "/");
  g_autoptr(UaHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = ua_http_perform (request, &error);
  g_assert_no_error (error);
  g_assert_cmpint (response->status, ==, 503);
  g_assert_cmpint (response->retry_after, >=, 110);
  g_assert_cmpint (response->retry_after, <=, 120);
  g_assert_null (response->content_type);
}

static void
test_refused_before_connecting (void)
{
  g_autoptr(UaHttpRequest) request = ua_http_request_new ("http://example.com/identity_");
  g_autoptr(UaHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = ua_http_perform (request, &error);
  g_assert_null (response);
  g_assert_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT);
}

static void
test_header_injection_refused (void)
{
  g_autoptr(UaHttpRequest) request = ua_http_request_new ("http://127.0.0.1:1/");
  g_autoptr(UaHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  request->headers = g_strsplit ("Authorization: Bearer x\r\nX-Evil: 1", "|", -1);
  response = ua_http_perform (request, &error);
  g_assert_null (response);
  g_assert_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT);
}

/* ---- async ---------------------------------------------------------- */

typedef struct {
  GMainLoop *loop;
  UaHttpResponse *response;
  GError *error;
} AsyncResult;

static void
on_performed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AsyncResult *out = user_data;

  out->response = ua_http_perform_finish (result, &out->error);
  g_main_loop_quit (out->loop);
}

static gboolean
cancel_soon (gpointer cancellable)
{
  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

static void
test_async (void)
{
  g_autoptr(Server) server = server_start (SERVE_ECHO);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AsyncResult out = { loop, NULL, NULL };

  ua_http_perform_async (request_to (server, "/"), NULL, on_performed, &out);
  g_main_loop_run (loop);
  g_assert_no_error (out.error);
  g_assert_cmpint (out.response->status, ==, 200);
  g_assert_cmpstr (ua_secret_get (out.response->body), ==, "{\"ok\":true}");
  ua_http_response_free (out.response);
}

static void
test_async_cancel (void)
{
  g_autoptr(Server) server = server_start (SERVE_SILENT);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncResult out = { loop, NULL, NULL };
  UaHttpRequest *request = request_to (server, "/");
  gint64 start = g_get_monotonic_time ();

  request->total_timeout_ms = 8000;
  ua_http_perform_async (request, cancellable, on_performed, &out);
  g_timeout_add (200, cancel_soon, cancellable);
  g_main_loop_run (loop);
  g_assert_null (out.response);
  g_assert_error (out.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&out.error);
  g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, <, 4000);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  /* The test server writes to clients that hang up on purpose. */
  signal (SIGPIPE, SIG_IGN);
  /* A proxy from the environment must not matter for loopback. */
  g_setenv ("http_proxy", "http://192.0.2.1:9", TRUE);
  if (!ua_http_global_init (&error))
    g_error ("%s", error->message);

  g_test_add_func ("/http/url/allowed", test_url_allowed);
  g_test_add_func ("/http/url/refusal-hides-secrets", test_url_refusal_hides_secrets);
  g_test_add_func ("/http/url/refusal-escapes-controls", test_url_refusal_escapes_controls);
  g_test_add_func ("/http/address/loopback", test_address_is_loopback);
  g_test_add_func ("/http/address/other-families", test_address_other_families);
  g_test_add_func ("/http/perform/post", test_post);
  g_test_add_func ("/http/perform/get", test_get);
  g_test_add_func ("/http/perform/redirect-not-followed", test_redirect_not_followed);
  g_test_add_func ("/http/perform/too-big", test_too_big);
  g_test_add_func ("/http/perform/too-big-content-length", test_too_big_length);
  g_test_add_func ("/http/perform/timeout", test_timeout);
  g_test_add_func ("/http/perform/reset", test_reset);
  g_test_add_func ("/http/perform/connection-refused", test_connection_refused);
  g_test_add_func ("/http/perform/loopback-forms-reach-curl", test_loopback_forms_reach_curl);
  g_test_add_func ("/http/perform/loopback-names-pinned", test_loopback_names_pinned);
  g_test_add_func ("/http/perform/retry-after-seconds", test_retry_after_seconds);
  g_test_add_func ("/http/perform/retry-after-date", test_retry_after_date);
  g_test_add_func ("/http/perform/refused-before-connecting", test_refused_before_connecting);
  g_test_add_func ("/http/perform/header-injection-refused", test_header_injection_refused);
  g_test_add_func ("/http/async/perform", test_async);
  g_test_add_func ("/http/async/cancel", test_async_cancel);

  int status = g_test_run ();
  ua_http_global_cleanup ();
  return status;
}
