/* The one wrapper around libcurl.  Every request the agent sends goes
 * through ua_http_perform(): HTTPS only (plain http to loopback addresses only),
 * TLS verification on, no redirects, connect and total timeouts, a cap on
 * the response size.  Bodies are treated as secrets in both directions. */
#pragma once

#include <gio/gio.h>

#include "ua-secret.h"

/* Largest response body accepted: token answers are a few KiB. */
#define UA_HTTP_MAX_RESPONSE (256 * 1024)
#define UA_HTTP_CONNECT_TIMEOUT_MS 10000
#define UA_HTTP_TOTAL_TIMEOUT_MS 30000
/* Both can be lowered for tests with UIPAUTH_HTTP_TIMEOUT_MS (see http.c). */

typedef struct {
  char *url;
  char *content_type;       /* of the body, e.g. application/x-www-form-urlencoded */
  UaSecret *body;           /* may carry credentials; NULL for GET */
  GStrv headers;            /* extra "Name: value" lines, may be NULL */
  guint connect_timeout_ms; /* 0 = UA_HTTP_CONNECT_TIMEOUT_MS */
  guint total_timeout_ms;   /* 0 = UA_HTTP_TOTAL_TIMEOUT_MS */
  guint timeout_cap_ms;     /* both never longer: UIPAUTH_HTTP_TIMEOUT_MS,
                             * read by ua_http_request_new() */
} UaHttpRequest;

typedef struct {
  long status;
  char *content_type;  /* lower-cased media type without parameters, or NULL */
  UaSecret *body;      /* may hold tokens */
  gint64 retry_after;  /* seconds from a Retry-After header, -1 if none */
} UaHttpResponse;

/* What a response's header lines said that matters here. */
typedef struct {
  char *content_type;  /* as in UaHttpResponse */
  gint64 retry_after;  /* as in UaHttpResponse */
} UaHttpHeaders;

/* Starts a response: forgets what an earlier one (100 Continue) said. */
void ua_http_headers_reset (UaHttpHeaders *headers);
void ua_http_headers_clear (UaHttpHeaders *headers);
/* Takes one header line of @len bytes as the server sent it (any bytes,
 * CRLF included, not NUL-terminated).  Pure, so a fuzzer can drive it. */
void ua_http_headers_feed (UaHttpHeaders *headers, const char *line, size_t len);

/* One-time libcurl set-up; call from main() before any thread exists. */
gboolean ua_http_global_init (GError **error);
void ua_http_global_cleanup (void);

UaHttpRequest *ua_http_request_new (const char *url);
void ua_http_request_free (UaHttpRequest *request);
void ua_http_response_free (UaHttpResponse *response);

/* Refuses anything but https://, or http:// to 127.0.0.0/8, ::1 or
 * localhost, with a UA_ERR_INVALID_ARGUMENT error naming the URL.  Both
 * GLib's and libcurl's reading of the URL must pass.
 * ua_http_perform() holds plain http to the same rule on the address it
 * connects to, and resolves localhost itself, never through DNS. */
gboolean ua_http_url_allowed (const char *url, GError **error);

/* Whether @addr (@len bytes) is 127.0.0.0/8, ::1 or ::ffff:127.0.0.0/104:
 * the addresses plain http may connect to, whatever the name resolved to. */
struct sockaddr;
gboolean ua_http_address_is_loopback (const struct sockaddr *addr, size_t len);

/* Blocking; safe to call from any thread.  A transport failure (DNS,
 * connect, TLS, timeout, reset, oversized answer) is a UA_ERR_UNREACHABLE
 * error; any HTTP status is a response, for the caller to judge. */
UaHttpResponse *ua_http_perform (const UaHttpRequest *request, GError **error);

/* The same on a GTask worker thread, so the main loop never waits on the
 * network.  Takes ownership of @request. */
void ua_http_perform_async (UaHttpRequest *request, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data);
UaHttpResponse *ua_http_perform_finish (GAsyncResult *result, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UaHttpRequest, ua_http_request_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UaHttpResponse, ua_http_response_free)
