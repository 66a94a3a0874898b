/* OAuth grant requests and token answers, judged from recorded responses
 * in tests/data/token-response-* (found through $UA_TEST_DATA). */
#include "config.h"

#include <string.h>

#include "grant.h"
#include "ua-error.h"

/* The access token in the good fixtures; no message may ever contain it. */
#define FIXTURE_TOKEN "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjaSJ9.c2lnbmF0dXJl"
#define HOUR 3600
#define YEAR ((gint64) 365 * 24 * 3600)

typedef struct {
  const char *name;
  /* the recorded answer */
  long status;
  const char *content_type;
  const char *fixture;
  gint64 retry_after;
  /* a token is expected if token_type is set ... */
  const char *token_type;
  gint64 lifetime;
  const char *scope;
  /* ... else this error */
  UaErrorCode code;
  UaGrantRetry retry;
  gint64 expect_after;
  const char *message;
} ResponseCase;

#define OK(n, ct, fx, life, sc) \
  { n, 200, ct, fx, -1, "Bearer", life, sc, 0, 0, 0, NULL }
#define ERR(n, st, ct, fx, ra, c, r, ea, msg) \
  { n, st, ct, fx, ra, NULL, 0, NULL, c, r, ea, msg }

static const ResponseCase response_cases[] = {
  OK ("good", "application/json", "good.json", HOUR, "OR.Machines.View OR.Default"),
  { "good-201", 201, "application/json", "good.json", -1, "Bearer", HOUR,
    "OR.Machines.View OR.Default", 0, 0, 0, NULL },
  OK ("good-vendor-json", "application/vnd.uipath+json", "good.json", HOUR,
      "OR.Machines.View OR.Default"),
  OK ("bearer-lower", "application/json", "bearer-lower.json", HOUR, "OR.Default"),
  OK ("no-type-no-scope", "application/json", "no-type-no-scope.json", HOUR, NULL),
  OK ("expires-string", "application/json", "expires-string.json", HOUR, NULL),
  OK ("expires-float-integral", "application/json", "expires-float-integral.json",
      HOUR, NULL),
  OK ("expires-huge-capped", "application/json", "expires-huge.json", YEAR, NULL),

  ERR ("missing-token", 200, "application/json", "missing-token.json", -1,
       UA_ERR_SERVER, UA_GRANT_RETRY_BACKOFF, 0, "no access_token"),
  ERR ("empty-token", 200, "application/json", "empty-token.json", -1,
       UA_ERR_SERVER, UA_GRANT_RETRY_BACKOFF, 0, "an empty access_token"),
  ERR ("token-space", 200, "application/json", "token-space.json", -1,
       UA_ERR_SERVER, UA_GRANT_RETRY_BACKOFF, 0, "spaces or control characters"),
  ERR ("token-newline", 200, "application/json", "token-newline.json", -1,
       UA_ERR_SERVER, UA_GRANT_RETRY_BACKOFF, 0, "spaces or control characters"),
  ERR ("token-nul", 200, "application/json", "token-nul.json", -1,
       UA_ERR_SERVER, UA_GRANT_RETRY_BACKOFF, 0, "NUL"),
  ERR ("token-number", 200, "application/json", "token-number.json", -1,
       UA_ERR_SERVER, UA_GRANT_RETRY_BACKOFF, 0, "no access_token"),
  ERR ("token-type-mac", 200, "application/json", "token-type-mac.json", -1,
       UA_ERR_SERVER, UA_GRANT_RETRY_BACKOFF, 0, "\"mac\" token, not a Bearer"),
  ERR ("expires-zero", 200, "application/json", "expires-zero.json", -1,
       UA_ERR_SERVER, UA_GRANT_RETRY_BACKOFF, 0, "expires_in"),
  ERR ("expires-negative", 200, "application/json", "expires-negative.json", -1,
       UA_ERR_SERVER, UA_GRANT_RETRY_BACKOFF, 0, "expires_in"),
  ERR ("expires-string-bad", 200, "application/json", "expires-string-bad.json", -1,
       UA_ERR_SERVER, UA_GRANT_RETRY_BACKOFF, 0, "expires_in"),
  ERR ("expires-float", 200, "application/json", "expires-float.json", -1,
       UA_ERR_SERVER, UA_GRANT_RETRY_BACKOFF, 0, "expires_in"),
  ERR ("expires-missing", 200, "application/json", "expires-missing.json", -1,
       UA_ERR_SERVER, UA_GRANT_RETRY_BACKOFF, 0, "expires_in"),
  ERR ("html-200", 200, "text/html", "login.html", -1,
       UA_ERR_SERVER, UA_GRANT_RETRY_BACKOFF, 0,
       "answered with an HTML page instead of a token; check identity_url "
       "(standalone Orchestrator uses {url}/identity)"),
  ERR ("html-200-unlabelled", 200, NULL, "login.html", -1,
       UA_ERR_SERVER, UA_GRANT_RETRY_BACKOFF, 0, "an HTML page"),
  ERR ("text-plain-200", 200, "text/plain", "plain.txt", -1,
       UA_ERR_SERVER, UA_GRANT_RETRY_BACKOFF, 0,
       "content type \"text/plain\" instead of a JSON token"),
  ERR ("truncated", 200, "application/json", "truncated.json", -1,
       UA_ERR_SERVER, UA_GRANT_RETRY_BACKOFF, 0, "not valid JSON"),
  ERR ("array-root", 200, "application/json", "array.json", -1,
       UA_ERR_SERVER, UA_GRANT_RETRY_BACKOFF, 0, "not a JSON object"),
  ERR ("empty-200", 200, "application/json", "empty.txt", -1,
       UA_ERR_SERVER, UA_GRANT_RETRY_BACKOFF, 0, "token answer is empty"),

  ERR ("invalid-client-400", 400, "application/json", "invalid-client.json", -1,
       UA_ERR_REJECTED, UA_GRANT_RETRY_NEVER, 0,
       "profile \"ci\": the identity server rejected the client id or secret "
       "(invalid_client: Invalid client credentials); check them and store "
       "them again with \"uipauth add ci --replace\""),
  ERR ("invalid-client-401", 401, "application/json", "invalid-client.json", -1,
       UA_ERR_REJECTED, UA_GRANT_RETRY_NEVER, 0, "(invalid_client: "),
  ERR ("invalid-client-text-plain", 400, "text/plain", "invalid-client.json", -1,
       UA_ERR_REJECTED, UA_GRANT_RETRY_NEVER, 0, "(invalid_client: "),
  ERR ("401-no-body", 401, NULL, "empty.txt", -1,
       UA_ERR_REJECTED, UA_GRANT_RETRY_NEVER, 0, "client id or secret (HTTP 401)"),
  ERR ("invalid-scope", 400, "application/json", "invalid-scope.json", -1,
       UA_ERR_REJECTED, UA_GRANT_RETRY_NEVER, 0,
       "lacks one of the requested scopes (invalid_scope: OR.Machines.Edit); "
       "grant them to the external app in Admin > External Applications"),
  ERR ("invalid-grant", 400, "application/json", "invalid-grant.json", -1,
       UA_ERR_REJECTED, UA_GRANT_RETRY_NEVER, 0,
       "(invalid_grant); the login has expired or was used up: run \"uipauth login ci\""),
  ERR ("unauthorized-client", 400, "application/json", "unauthorized-client.json", -1,
       UA_ERR_REJECTED, UA_GRANT_RETRY_NEVER, 0, "(unauthorized_client: The client"),
  ERR ("unknown-error-400", 400, "application/json", "unknown-error.json", -1,
       UA_ERR_REJECTED, UA_GRANT_RETRY_NEVER, 0,
       "refused the request with HTTP 400 (temporarily_confused: Something odd happened)"),
  ERR ("error-sanitized", 400, "application/json", "error-nasty.json", -1,
       UA_ERR_REJECTED, UA_GRANT_RETRY_NEVER, 0, "(invalid_client??[31m: line one?line two ?]0;owned? xxx"),
  ERR ("404-html", 404, "text/html", "login.html", -1,
       UA_ERR_REJECTED, UA_GRANT_RETRY_NEVER, 0,
       "HTTP 404: there is no token endpoint there; check identity_url"),
  ERR ("405-identity-underscore", 405, NULL, "empty.txt", -1,
       UA_ERR_REJECTED, UA_GRANT_RETRY_NEVER, 0, "{url}/identity"),
  ERR ("403", 403, "text/html", "login.html", -1,
       UA_ERR_REJECTED, UA_GRANT_RETRY_NEVER, 0, "HTTP 403"),

  ERR ("429-retry-after", 429, "text/plain", "rate-limited.txt", 30,
       UA_ERR_UNREACHABLE, UA_GRANT_RETRY_AFTER, 30,
       "rate-limited by the identity server (HTTP 429); retrying after 30 s"),
  ERR ("429-no-retry-after", 429, "text/plain", "rate-limited.txt", -1,
       UA_ERR_UNREACHABLE, UA_GRANT_RETRY_BACKOFF, 0, "rate-limited"),
  ERR ("500", 500, "text/html", "server-error.html", -1,
       UA_ERR_UNREACHABLE, UA_GRANT_RETRY_BACKOFF, 0, "identity server answered HTTP 500"),
  ERR ("502", 502, "text/html", "server-error.html", -1,
       UA_ERR_UNREACHABLE, UA_GRANT_RETRY_BACKOFF, 0, "identity server answered HTTP 502"),
  ERR ("503", 503, "text/html", "server-error.html", -1,
       UA_ERR_UNREACHABLE, UA_GRANT_RETRY_BACKOFF, 0, "identity server answered HTTP 503"),
  ERR ("503-retry-after", 503, "text/html", "server-error.html", 120,
       UA_ERR_UNREACHABLE, UA_GRANT_RETRY_AFTER, 120, "retrying after 120 s"),
  ERR ("504", 504, NULL, "empty.txt", -1,
       UA_ERR_UNREACHABLE, UA_GRANT_RETRY_BACKOFF, 0, "identity server answered HTTP 504"),
  ERR ("500-json-error", 500, "application/json", "invalid-client.json", -1,
       UA_ERR_UNREACHABLE, UA_GRANT_RETRY_BACKOFF, 0, "HTTP 500"),
  ERR ("408", 408, NULL, "empty.txt", -1,
       UA_ERR_UNREACHABLE, UA_GRANT_RETRY_BACKOFF, 0, "HTTP 408 (request timeout)"),
  ERR ("302", 302, NULL, "empty.txt", -1,
       UA_ERR_SERVER, UA_GRANT_RETRY_NEVER, 0, "a redirect (not followed"),
  ERR ("100", 100, NULL, "empty.txt", -1,
       UA_ERR_SERVER, UA_GRANT_RETRY_BACKOFF, 0, "unexpected HTTP status 100"),
};

static char *
fixture_path (const char *name)
{
  const char *dir = g_getenv ("UA_TEST_DATA");

  if (dir == NULL)
    g_error ("UA_TEST_DATA is not set: run the tests through \"meson test\"");
  return g_strconcat (dir, "/token-response-", name, NULL);
}

static UaHttpResponse *
recorded_response (long status, const char *content_type, const char *fixture,
                   gint64 retry_after)
{
  g_autofree char *path = fixture_path (fixture);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  UaHttpResponse *response = g_new0 (UaHttpResponse, 1);
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  response->status = status;
  response->content_type = g_strdup (content_type);
  response->body = ua_secret_new (contents, len);
  response->retry_after = retry_after;
  return response;
}

/* What every failure message must be: for a user's terminal, never a
 * copy of what the server sent. */
static void
assert_message_safe (const char *message)
{
  g_assert_true (g_str_has_prefix (message, "profile \"ci\": "));
  g_assert_null (strpbrk (message, "\r\n\x1b\x07"));
  g_assert_null (strstr (message, "eyJ"));
  g_assert_cmpuint (strlen (message), <, 600);
}

static void
test_response (gconstpointer data)
{
  const ResponseCase *c = data;
  g_autoptr(UaHttpResponse) response = NULL;
  g_autoptr(UaToken) token = NULL;
  g_autoptr(GError) error = NULL;
  UaGrantFailure failure = { -1, -1 };

  response = recorded_response (c->status, c->content_type, c->fixture,
                                c->retry_after);
  token = ua_grant_parse_token_response (response, "ci", &failure, &error);

  if (c->token_type != NULL)
    {
      g_assert_no_error (error);
      g_assert_nonnull (token);
      g_assert_cmpstr (ua_secret_get (token->value), ==, FIXTURE_TOKEN);
      g_assert_cmpstr (token->token_type, ==, c->token_type);
      g_assert_cmpstr (token->scope, ==, c->scope);
      g_assert_cmpint (token->expires_mono - token->issued_mono, ==,
                       c->lifetime * G_USEC_PER_SEC);
      return;
    }
  g_assert_null (token);
  g_assert_error (error, UA_ERROR, (gint) c->code);
  g_test_message ("%s", error->message);
  assert_message_safe (error->message);
  g_assert_nonnull (strstr (error->message, c->message));
  g_assert_cmpint (failure.retry, ==, c->retry);
  g_assert_cmpint (failure.retry_after, ==, c->expect_after);
}

static void
test_response_token_too_long (void)
{
  g_autoptr(UaHttpResponse) response = g_new0 (UaHttpResponse, 1);
  g_autoptr(UaToken) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *long_token = g_strnfill (16 * 1024 + 1, 'a');
  g_autofree char *body = g_strdup_printf ("{\"access_token\":\"%s\",\"expires_in\":3600}",
                                           long_token);

  response->status = 200;
  response->content_type = g_strdup ("application/json");
  response->body = ua_secret_new_str (body);
  token = ua_grant_parse_token_response (response, "ci", NULL, &error);
  g_assert_null (token);
  g_assert_error (error, UA_ERROR, UA_ERR_SERVER);
  g_assert_nonnull (strstr (error->message, "longer than 16 KiB"));
  g_clear_error (&error);

  /* Exactly at the limit is fine. */
  long_token[16 * 1024] = '\0';
  g_free (body);
  body = g_strdup_printf ("{\"access_token\":\"%s\",\"expires_in\":3600}", long_token);
  ua_secret_free (response->body);
  response->body = ua_secret_new_str (body);
  token = ua_grant_parse_token_response (response, "ci", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ua_secret_len (token->value), ==, 16 * 1024);
}

/* json-glib recurses per level: a deep answer must be refused before it
 * is parsed, not crash the agent.  Within the HTTP size cap. */
static void
test_response_deep_nesting (void)
{
  static const long statuses[] = { 200, 400 };
  gsize depth = 200 * 1024;

  for (gsize i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr(UaHttpResponse) response = g_new0 (UaHttpResponse, 1);
      g_autoptr(GError) error = NULL;
      g_autofree char *body = g_malloc (depth + 2);
      gint code = statuses[i] == 200 ? UA_ERR_SERVER : UA_ERR_REJECTED;

      body[0] = '{';
      memset (body + 1, '[', depth);
      body[depth + 1] = '\0';
      response->status = statuses[i];
      response->content_type = g_strdup ("application/json");
      response->body = ua_secret_new (body, depth + 1);
      g_assert_null (ua_grant_parse_token_response (response, "ci", NULL, &error));
      g_assert_error (error, UA_ERROR, code);
    }
}

/* Brackets inside strings do not count as nesting. */
static void
test_response_brackets_in_strings (void)
{
  g_autoptr(UaHttpResponse) response = g_new0 (UaHttpResponse, 1);
  g_autoptr(UaToken) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *brackets = g_strnfill (100, '[');
  g_autofree char *body = g_strdup_printf ("{\"access_token\":\"" FIXTURE_TOKEN "\","
                                           "\"expires_in\":60,\"note\":\"\\\"%s\"}",
                                           brackets);

  response->status = 200;
  response->content_type = g_strdup ("application/json");
  response->body = ua_secret_new_str (body);
  token = ua_grant_parse_token_response (response, "ci", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ua_secret_get (token->value), ==, FIXTURE_TOKEN);
}

static void
test_response_no_error_out (void)
{
  g_autoptr(UaHttpResponse) response = recorded_response (400, "application/json",
                                                          "invalid-client.json", -1);

  /* Callers may ignore both the error and the retry class. */
  g_assert_null (ua_grant_parse_token_response (response, NULL, NULL, NULL));
}

/* ---- requests ------------------------------------------------------- */

static void
assert_request_body (const char *secret, const char *scopes, const char *expected)
{
  g_autoptr(UaSecret) client_secret = ua_secret_new_str (secret);
  g_autoptr(UaHttpRequest) request = NULL;
  UaGrantClient client = { "my id", client_secret, FALSE };

  request = ua_grant_client_credentials_request ("https://cloud.uipath.com/identity_/connect/token",
                                                 &client, scopes);
  g_assert_cmpstr (request->url, ==, "https://cloud.uipath.com/identity_/connect/token");
  g_assert_cmpstr (request->content_type, ==, "application/x-www-form-urlencoded");
  g_assert_nonnull (request->headers);
  g_assert_true (g_strv_contains ((const char *const *) request->headers,
                                  "Accept: application/json"));
  g_assert_cmpstr (ua_secret_get (request->body), ==, expected);
  g_assert_cmpuint (ua_secret_len (request->body), ==, strlen (expected));
}

static void
test_request_body (void)
{
  assert_request_body ("s3cr3t", "OR.Machines.View OR.Default",
                       "grant_type=client_credentials&client_id=my%20id"
                       "&client_secret=s3cr3t&scope=OR.Machines.View%20OR.Default");
  assert_request_body ("a&b=c+d %e", "OR.Default",
                       "grant_type=client_credentials&client_id=my%20id"
                       "&client_secret=a%26b%3Dc%2Bd%20%25e&scope=OR.Default");
  assert_request_body ("x/y?z#\xc3\xa9~-._", NULL,
                       "grant_type=client_credentials&client_id=my%20id"
                       "&client_secret=x%2Fy%3Fz%23%C3%A9~-._");
  assert_request_body ("s", "",
                       "grant_type=client_credentials&client_id=my%20id&client_secret=s");
}

/* Every byte is escaped exactly as GLib's own form escaping would. */
static void
test_request_escaping_matches_glib (void)
{
  char all[256];
  g_autoptr(UaSecret) secret = NULL;
  g_autoptr(UaHttpRequest) request = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *expected = NULL;

  for (int i = 1; i < 256; i++)
    all[i - 1] = (char) i;
  all[255] = '\0';
  secret = ua_secret_new_str (all);
  escaped = g_uri_escape_string (all, NULL, FALSE);
  expected = g_strconcat ("grant_type=client_credentials&client_id=id&client_secret=",
                          escaped, NULL);
  request = ua_grant_client_credentials_request ("https://h/identity_/connect/token",
                                                 &(UaGrantClient) { "id", secret, FALSE },
                                                 NULL);
  g_assert_cmpstr (ua_secret_get (request->body), ==, expected);
}

/* How each request presents the app: public, client_secret_post, basic. */
typedef enum { REQ_REFRESH, REQ_CODE, REQ_REVOKE, REQ_CLIENT_CREDENTIALS } RequestKind;

static const struct {
  RequestKind kind;
  const char *secret;     /* NULL: a public app */
  gboolean basic;
  const char *body;
  const char *authorization; /* the header expected, or NULL for none */
} client_cases[] = {
  { REQ_REFRESH, NULL, FALSE,
    "grant_type=refresh_token&client_id=my%20app&refresh_token=rt%2B1", NULL },
  { REQ_REFRESH, NULL, TRUE, /* basic without a secret: nothing to send */
    "grant_type=refresh_token&client_id=my%20app&refresh_token=rt%2B1", NULL },
  { REQ_REFRESH, "s:e&c", FALSE,
    "grant_type=refresh_token&client_id=my%20app&client_secret=s%3Ae%26c"
    "&refresh_token=rt%2B1", NULL },
  /* base64 of "my%20app:s%3Ae%26c": both parts form-encoded first. */
  { REQ_REFRESH, "s:e&c", TRUE, "grant_type=refresh_token&refresh_token=rt%2B1",
    "Authorization: Basic bXklMjBhcHA6cyUzQWUlMjZj" },
  { REQ_CODE, NULL, FALSE,
    "grant_type=authorization_code&code=c%2F1&redirect_uri=http%3A%2F%2Flocalhost%3A12700"
    "&client_id=my%20app&code_verifier=v", NULL },
  { REQ_CODE, "s:e&c", FALSE,
    "grant_type=authorization_code&code=c%2F1&redirect_uri=http%3A%2F%2Flocalhost%3A12700"
    "&client_id=my%20app&client_secret=s%3Ae%26c&code_verifier=v", NULL },
  { REQ_CODE, "s:e&c", TRUE,
    "grant_type=authorization_code&code=c%2F1&redirect_uri=http%3A%2F%2Flocalhost%3A12700"
    "&code_verifier=v", "Authorization: Basic bXklMjBhcHA6cyUzQWUlMjZj" },
  { REQ_REVOKE, NULL, FALSE,
    "token=rt%2B1&token_type_hint=refresh_token&client_id=my%20app", NULL },
  { REQ_REVOKE, "s:e&c", FALSE,
    "token=rt%2B1&token_type_hint=refresh_token&client_id=my%20app"
    "&client_secret=s%3Ae%26c", NULL },
  { REQ_REVOKE, "s:e&c", TRUE, "token=rt%2B1&token_type_hint=refresh_token",
    "Authorization: Basic bXklMjBhcHA6cyUzQWUlMjZj" },
  { REQ_CLIENT_CREDENTIALS, "s:e&c", TRUE, "grant_type=client_credentials&scope=OR.Jobs",
    "Authorization: Basic bXklMjBhcHA6cyUzQWUlMjZj" },
};

static UaHttpRequest *
client_case_request (RequestKind kind, const UaGrantClient *client)
{
  g_autoptr(UaSecret) token = ua_secret_new_str ("rt+1");
  g_autoptr(UaSecret) code = ua_secret_new_str ("c/1");
  g_autoptr(UaSecret) verifier = ua_secret_new_str ("v");

  switch (kind)
    {
    case REQ_REFRESH:
      return ua_grant_refresh_request ("https://h/identity_/connect/token", client, token);
    case REQ_CODE:
      return ua_grant_authorization_code_request ("https://h/identity_/connect/token",
                                                  client, code, "http://localhost:12700",
                                                  verifier);
    case REQ_REVOKE:
      return ua_grant_revocation_request ("https://h/identity_/connect/revocation",
                                          client, token);
    case REQ_CLIENT_CREDENTIALS:
    default:
      return ua_grant_client_credentials_request ("https://h/identity_/connect/token",
                                                  client, "OR.Jobs");
    }
}

static void
test_request_client (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (client_cases); i++)
    {
      g_autoptr(UaSecret) secret = client_cases[i].secret
                                   ? ua_secret_new_str (client_cases[i].secret) : NULL;
      UaGrantClient client = { "my app", secret, client_cases[i].basic };
      g_autoptr(UaHttpRequest) request = client_case_request (client_cases[i].kind, &client);
      const char *auth = NULL;

      for (char **h = request->headers; *h != NULL; h++)
        if (g_str_has_prefix (*h, "Authorization:"))
          auth = *h;
      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_cmpstr (ua_secret_get (request->body), ==, client_cases[i].body);
      g_assert_cmpstr (auth, ==, client_cases[i].authorization);
      g_assert_cmpstr (request->content_type, ==, "application/x-www-form-urlencoded");
    }
}

/* ---- revocation answers --------------------------------------------- */

static const struct {
  long status;
  const char *content_type;
  const char *fixture;
  UaErrorCode code; /* 0: revoked */
  const char *message;
} revocation_cases[] = {
  { 200, "application/json", "empty.txt", 0, NULL },
  { 200, "text/html", "server-error.html", 0, NULL }, /* the body is not read */
  { 204, NULL, "empty.txt", 0, NULL },
  { 400, "application/json", "invalid-client.json", UA_ERR_REJECTED,
    "rejected the client id or secret (invalid_client" },
  { 401, "text/plain", "empty.txt", UA_ERR_REJECTED, "rejected the client id or secret (HTTP 401)" },
  { 400, "application/json", "invalid-grant.json", UA_ERR_REJECTED,
    "refused the revocation with HTTP 400 (invalid_grant" },
  { 404, "text/html", "server-error.html", UA_ERR_REJECTED, "no revocation endpoint" },
  { 503, "text/html", "server-error.html", UA_ERR_UNREACHABLE, "HTTP 503" },
  { 429, "application/json", "empty.txt", UA_ERR_UNREACHABLE, "HTTP 429" },
  { 302, "text/html", "server-error.html", UA_ERR_SERVER, "a redirect" },
};

static void
test_revocation_response (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (revocation_cases); i++)
    {
      g_autoptr(UaHttpResponse) response = NULL;
      g_autoptr(GError) error = NULL;
      gboolean revoked;

      response = recorded_response (revocation_cases[i].status,
                                    revocation_cases[i].content_type,
                                    revocation_cases[i].fixture, -1);
      revoked = ua_grant_parse_revocation_response (response, "ci", &error);
      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, error ? error->message : "revoked");
      if (revocation_cases[i].code == 0)
        {
          g_assert_no_error (error);
          g_assert_true (revoked);
          continue;
        }
      g_assert_false (revoked);
      g_assert_error (error, UA_ERROR, (gint) revocation_cases[i].code);
      assert_message_safe (error->message);
      g_assert_nonnull (strstr (error->message, revocation_cases[i].message));
    }
}

/* ---- URLs ----------------------------------------------------------- */

static const struct {
  const char *service_url;
  const char *identity_url; /* NULL: an error */
} identity_cases[] = {
  { "https://cloud.uipath.com/org/tenant", "https://cloud.uipath.com/identity_" },
  { "https://cloud.uipath.com", "https://cloud.uipath.com/identity_" },
  { "https://cloud.uipath.com/", "https://cloud.uipath.com/identity_" },
  { "https://cloud.uipath.com/org/tenant///", "https://cloud.uipath.com/identity_" },
  { "https://cloud.uipath.com/org?x=1#frag", "https://cloud.uipath.com/identity_" },
  { "HTTPS://Cloud.UiPath.com/Org", "https://cloud.uipath.com/identity_" },
  { "https://staging.uipath.com/org/tenant", "https://staging.uipath.com/identity_" },
  { "https://suite.example.com:8443/org/", "https://suite.example.com:8443/identity_" },
  { "https://user:pw@suite.example.com/org", "https://suite.example.com/identity_" },
  { "http://localhost:8080/org/tenant", "http://localhost:8080/identity_" },
  { "https://[::1]:9443/org", "https://[::1]:9443/identity_" },
  { "cloud.uipath.com/org", NULL },
  { "not a url", NULL },
  { "", NULL },
  { "https:///org", NULL },
  { "ftp://cloud.uipath.com/org", NULL },
  { "file:///etc/passwd", NULL },
};

static void
test_default_identity_url (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (identity_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = ua_grant_default_identity_url (identity_cases[i].service_url,
                                                            &error);

      g_test_message ("%s -> %s", identity_cases[i].service_url, url ? url : "(error)");
      g_assert_cmpstr (url, ==, identity_cases[i].identity_url);
      if (identity_cases[i].identity_url == NULL)
        {
          g_assert_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT);
          g_assert_nonnull (strstr (error->message, "identity_url"));
        }
      else
        g_assert_no_error (error);
    }
}

static void
test_token_endpoint (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "https://cloud.uipath.com/identity_", "https://cloud.uipath.com/identity_/connect/token" },
    { "https://cloud.uipath.com/identity_/", "https://cloud.uipath.com/identity_/connect/token" },
    { "https://cloud.uipath.com/identity_///", "https://cloud.uipath.com/identity_/connect/token" },
    { "https://cloud.uipath.com/myorg/identity_", "https://cloud.uipath.com/myorg/identity_/connect/token" },
    { "https://orch.example.com:8443/identity", "https://orch.example.com:8443/identity/connect/token" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *endpoint = ua_grant_token_endpoint (cases[i].in);
      g_autofree char *revocation = ua_grant_revocation_endpoint (cases[i].in);
      /* The same base, .../connect/revocation instead of .../connect/token. */
      g_autofree char *base = g_strndup (cases[i].out, strlen (cases[i].out) - strlen ("token"));
      g_autofree char *expected = g_strconcat (base, "revocation", NULL);

      g_assert_cmpstr (endpoint, ==, cases[i].out);
      g_assert_cmpstr (revocation, ==, expected);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (response_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/grant/response/", response_cases[i].name, NULL);
      g_test_add_data_func (path, &response_cases[i], test_response);
    }
  g_test_add_func ("/grant/response/token-too-long", test_response_token_too_long);
  g_test_add_func ("/grant/response/deep-nesting", test_response_deep_nesting);
  g_test_add_func ("/grant/response/brackets-in-strings", test_response_brackets_in_strings);
  g_test_add_func ("/grant/response/no-error-out", test_response_no_error_out);
  g_test_add_func ("/grant/request/body", test_request_body);
  g_test_add_func ("/grant/request/escaping-matches-glib", test_request_escaping_matches_glib);
  g_test_add_func ("/grant/url/default-identity", test_default_identity_url);
  g_test_add_func ("/grant/request/client", test_request_client);
  g_test_add_func ("/grant/response/revocation", test_revocation_response);
  g_test_add_func ("/grant/url/token-endpoint", test_token_endpoint);
  return g_test_run ();
}
