#include "config.h"

#include "grant.h"

#include <json-glib/json-glib.h>
#include <stdarg.h>
#include <string.h>

#include "ua-error.h"

/* Largest access token believed: UiPath's JWTs are 1-2 KiB. */
#define ACCESS_TOKEN_MAX (16 * 1024)
/* Longest lifetime believed; a server claiming more is capped, so a
 * token is still re-minted at least once a year. */
#define EXPIRES_IN_MAX ((gint64) 365 * 24 * 60 * 60)
/* How much of a server's error_description reaches a user's terminal. */
#define DESCRIPTION_MAX 200
/* OAuth error codes are short identifiers; anything longer is cut. */
#define ERROR_CODE_MAX 64
/* Quoted values from configuration or the server in messages. */
#define QUOTE_MAX 200
/* json-glib parses recursively: 256 KiB of "[" overflows the stack.  Token
 * answers nest two levels deep. */
#define JSON_DEPTH_MAX 32

#define STANDALONE_HINT "check identity_url (standalone Orchestrator uses {url}/identity)"

/* ---- URLs ----------------------------------------------------------- */

static char *
strip_trailing_slashes (const char *url)
{
  size_t n = strlen (url);

  while (n > 0 && url[n - 1] == '/')
    n--;
  return g_strndup (url, n);
}

/* {identity_url}{path}, without doubled slashes. */
static char *
identity_endpoint (const char *identity_url, const char *path)
{
  g_autofree char *base = NULL;

  g_return_val_if_fail (identity_url != NULL, NULL);

  base = strip_trailing_slashes (identity_url);
  return g_strconcat (base, path, NULL);
}

char *
ua_grant_token_endpoint (const char *identity_url)
{
  return identity_endpoint (identity_url, "/connect/token");
}

char *
ua_grant_revocation_endpoint (const char *identity_url)
{
  return identity_endpoint (identity_url, "/connect/revocation");
}

/* Printable ASCII, at most @max bytes and "..." after: safe to show. */
static char *
sanitize (const char *str, size_t max)
{
  GString *out = g_string_sized_new (MIN (strlen (str), max) + 4);
  const char *p;

  for (p = str; *p != '\0' && out->len < max; p++)
    g_string_append_c (out, g_ascii_isprint (*p) ? *p : '?');
  if (*p != '\0')
    g_string_append (out, "...");
  return g_string_free (out, FALSE);
}

char *
ua_grant_default_identity_url (const char *service_url, GError **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;
  g_autofree char *shown = NULL;

  g_return_val_if_fail (service_url != NULL, NULL);

  uri = g_uri_parse (service_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0'
      || (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0
          && g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0))
    {
      shown = sanitize (service_url, QUOTE_MAX);
      g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                   "cannot derive an identity URL from \"%s\": it is not an "
                   "https:// URL with a host; fix url or set identity_url",
                   shown);
      return NULL;
    }
  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  return g_uri_join (G_URI_FLAGS_NONE, scheme, NULL, host, g_uri_get_port (uri),
                     "/identity_", NULL, NULL);
}

/* ---- the request ---------------------------------------------------- */

static gboolean
is_unreserved (unsigned char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/* Percent-encodes all but RFC 3986 unreserved characters, the same output
 * as g_uri_escape_string (s, NULL, FALSE).  Sized up front rather than
 * grown in a GString, whose reallocations would leave unwiped copies of
 * the secret behind. */
static char *
form_escape (const char *data, size_t len)
{
  static const char hex[] = "0123456789ABCDEF";
  size_t out_len = 0;
  char *out, *q;

  for (size_t i = 0; i < len; i++)
    out_len += is_unreserved (data[i]) ? 1 : 3;
  q = out = g_malloc (out_len + 1);
  for (size_t i = 0; i < len; i++)
    {
      unsigned char c = data[i];

      if (is_unreserved (c))
        *q++ = c;
      else
        {
          *q++ = '%';
          *q++ = hex[c >> 4];
          *q++ = hex[c & 0xf];
        }
    }
  *q = '\0';
  return out;
}

/* "Authorization: Basic ..." of a confidential client (RFC 6749 2.3.1:
 * id and secret form-encoded, then joined by a colon, then base64). */
static char *
basic_header (const UaGrantClient *client)
{
  g_autofree char *id = form_escape (client->id, strlen (client->id));
  g_autoptr(UaWipedStr) secret = form_escape (ua_secret_get (client->secret),
                                              ua_secret_len (client->secret));
  g_autoptr(UaWipedStr) pair = g_strconcat (id, ":", secret, NULL);
  g_autoptr(UaWipedStr) b64 = g_base64_encode ((const guchar *) pair, strlen (pair));

  return g_strconcat ("Authorization: Basic ", b64, NULL);
}

/* What a request says of its client: the form fields ("&client_id=..",
 * and "&client_secret=.." for client_secret_post), and for
 * client_secret_basic the header instead (*@header, else NULL). */
static char *
client_fields (const UaGrantClient *client, char **header)
{
  g_autofree char *id = NULL;
  g_autoptr(UaWipedStr) secret = NULL;

  *header = NULL;
  if (client->secret != NULL && client->basic)
    {
      *header = basic_header (client);
      return g_strdup ("");
    }
  id = form_escape (client->id, strlen (client->id));
  if (client->secret == NULL)
    return g_strconcat ("&client_id=", id, NULL);
  secret = form_escape (ua_secret_get (client->secret), ua_secret_len (client->secret));
  return g_strconcat ("&client_id=", id, "&client_secret=", secret, NULL);
}

/* A form POST of @body (head + the client's fields + tail). */
static UaHttpRequest *
form_request (const char *endpoint, const UaGrantClient *client,
              const char *head, const char *tail)
{
  UaHttpRequest *request = ua_http_request_new (endpoint);
  g_autoptr(UaWipedStr) fields = NULL;
  g_autoptr(UaWipedStr) body = NULL;
  char *header = NULL;

  fields = client_fields (client, &header);
  /* g_strconcat sizes its result once: no partial copies to wipe. */
  body = g_strconcat (head, fields, tail, NULL);
  request->content_type = g_strdup ("application/x-www-form-urlencoded");
  request->body = ua_secret_new_str (body);
  request->headers = g_new0 (char *, 3);
  request->headers[0] = g_strdup ("Accept: application/json");
  request->headers[1] = header; /* freed wiped with the request */
  return request;
}

UaHttpRequest *
ua_grant_client_credentials_request (const char *token_endpoint,
                                     const UaGrantClient *client,
                                     const char *scopes)
{
  g_autofree char *scope = NULL;
  g_autofree char *tail = NULL;

  g_return_val_if_fail (token_endpoint != NULL, NULL);
  g_return_val_if_fail (client != NULL && client->id != NULL, NULL);
  g_return_val_if_fail (client->secret != NULL, NULL);

  if (scopes != NULL && *scopes != '\0')
    scope = form_escape (scopes, strlen (scopes));
  tail = g_strconcat (scope ? "&scope=" : "", scope, NULL);
  return form_request (token_endpoint, client, "grant_type=client_credentials", tail);
}

UaHttpRequest *
ua_grant_refresh_request (const char *token_endpoint, const UaGrantClient *client,
                          const UaSecret *refresh_token)
{
  g_autoptr(UaWipedStr) token = NULL;
  g_autoptr(UaWipedStr) tail = NULL;

  g_return_val_if_fail (token_endpoint != NULL && client != NULL && client->id != NULL, NULL);
  g_return_val_if_fail (refresh_token != NULL, NULL);

  token = form_escape (ua_secret_get (refresh_token), ua_secret_len (refresh_token));
  tail = g_strconcat ("&refresh_token=", token, NULL);
  return form_request (token_endpoint, client, "grant_type=refresh_token", tail);
}

UaHttpRequest *
ua_grant_authorization_code_request (const char *token_endpoint,
                                     const UaGrantClient *client,
                                     const UaSecret *code,
                                     const char *redirect_uri,
                                     const UaSecret *verifier)
{
  g_autofree char *redirect = NULL;
  g_autoptr(UaWipedStr) c = NULL;
  g_autoptr(UaWipedStr) v = NULL;
  g_autoptr(UaWipedStr) head = NULL;
  g_autoptr(UaWipedStr) tail = NULL;

  g_return_val_if_fail (token_endpoint != NULL && client != NULL && client->id != NULL, NULL);
  g_return_val_if_fail (code != NULL && verifier != NULL && redirect_uri != NULL, NULL);

  redirect = form_escape (redirect_uri, strlen (redirect_uri));
  c = form_escape (ua_secret_get (code), ua_secret_len (code));
  v = form_escape (ua_secret_get (verifier), ua_secret_len (verifier));
  head = g_strconcat ("grant_type=authorization_code&code=", c,
                      "&redirect_uri=", redirect, NULL);
  tail = g_strconcat ("&code_verifier=", v, NULL);
  return form_request (token_endpoint, client, head, tail);
}

UaHttpRequest *
ua_grant_revocation_request (const char *revocation_endpoint,
                             const UaGrantClient *client,
                             const UaSecret *refresh_token)
{
  g_autoptr(UaWipedStr) token = NULL;
  g_autoptr(UaWipedStr) head = NULL;

  g_return_val_if_fail (revocation_endpoint != NULL && client != NULL && client->id != NULL, NULL);
  g_return_val_if_fail (refresh_token != NULL, NULL);

  token = form_escape (ua_secret_get (refresh_token), ua_secret_len (refresh_token));
  head = g_strconcat ("token=", token, "&token_type_hint=refresh_token", NULL);
  return form_request (revocation_endpoint, client, head, "");
}

/* A JSON string literal, quotes included, sized up front like
 * form_escape so that no partial copy of a secret is left behind. */
static char *
json_quote (const char *data, size_t len)
{
  static const char hex[] = "0123456789abcdef";
  size_t out_len = 2;
  char *out, *q;

  for (size_t i = 0; i < len; i++)
    {
      unsigned char c = data[i];
      out_len += (c == '"' || c == '\\') ? 2 : c < 0x20 ? 6 : 1;
    }
  q = out = g_malloc (out_len + 1);
  *q++ = '"';
  for (size_t i = 0; i < len; i++)
    {
      unsigned char c = data[i];

      if (c == '"' || c == '\\')
        {
          *q++ = '\\';
          *q++ = c;
        }
      else if (c < 0x20)
        {
          memcpy (q, "\\u00", 4);
          q[4] = hex[c >> 4];
          q[5] = hex[c & 0xf];
          q += 6;
        }
      else
        *q++ = c;
    }
  *q++ = '"';
  *q = '\0';
  return out;
}

static UaHttpRequest *
json_request (const char *endpoint, const char *body, const char *extra_header)
{
  UaHttpRequest *request = ua_http_request_new (endpoint);

  request->content_type = g_strdup ("application/json");
  request->body = ua_secret_new_str (body);
  request->headers = g_new0 (char *, 3);
  request->headers[0] = g_strdup ("Accept: application/json");
  request->headers[1] = g_strdup (extra_header);
  return request;
}

UaHttpRequest *
ua_grant_api_key_request (const char *endpoint, const char *tenant,
                          const UaSecret *api_key)
{
  g_autoptr(UaWipedStr) key = NULL;
  g_autoptr(UaWipedStr) body = NULL;
  g_autofree char *header = NULL;

  g_return_val_if_fail (endpoint != NULL && tenant != NULL && api_key != NULL, NULL);

  key = json_quote (ua_secret_get (api_key), ua_secret_len (api_key));
  body = g_strconcat ("{\"grant_type\":\"refresh_token\",\"client_id\":\""
                      UA_GRANT_API_KEY_CLIENT_ID "\",\"refresh_token\":", key, "}",
                      NULL);
  header = g_strconcat ("X-UIPATH-TenantName: ", tenant, NULL);
  return json_request (endpoint, body, header);
}

UaHttpRequest *
ua_grant_password_request (const char *endpoint, const char *tenant,
                           const char *username, const UaSecret *password)
{
  g_autofree char *t = NULL;
  g_autofree char *u = NULL;
  g_autoptr(UaWipedStr) p = NULL;
  g_autoptr(UaWipedStr) body = NULL;

  g_return_val_if_fail (endpoint != NULL && tenant != NULL, NULL);
  g_return_val_if_fail (username != NULL && password != NULL, NULL);

  t = json_quote (tenant, strlen (tenant));
  u = json_quote (username, strlen (username));
  p = json_quote (ua_secret_get (password), ua_secret_len (password));
  body = g_strconcat ("{\"tenancyName\":", t, ",\"usernameOrEmailAddress\":", u,
                      ",\"password\":", p, "}", NULL);
  return json_request (endpoint, body, NULL);
}

/* ---- judging the answer --------------------------------------------- */

static UaToken *fail (UaGrantFailure *failure, UaGrantRetry retry,
                      gint64 retry_after, GError **error, UaErrorCode code,
                      const char *profile, const char *format, ...)
  G_GNUC_PRINTF (7, 8);

/* Sets @failure and a message "profile "NAME": ..." and returns NULL. */
static UaToken *
fail (UaGrantFailure *failure, UaGrantRetry retry, gint64 retry_after,
      GError **error, UaErrorCode code, const char *profile,
      const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  failure->retry = retry;
  failure->retry_after = retry_after;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, UA_ERROR, code, "profile \"%s\": %s", profile, message);
  return NULL;
}

static gboolean
is_json_type (const char *type)
{
  return g_strcmp0 (type, "application/json") == 0
         || (type != NULL && g_str_has_prefix (type, "application/")
             && g_str_has_suffix (type, "+json"));
}

static gboolean
looks_like_html (const UaHttpResponse *response)
{
  const char *body = response->body ? ua_secret_get (response->body) : "";

  if (g_strcmp0 (response->content_type, "text/html") == 0
      || g_strcmp0 (response->content_type, "application/xhtml+xml") == 0)
    return TRUE;
  return response->content_type == NULL && body[strspn (body, " \t\r\n")] == '<';
}

/* Whether arrays and objects nest at most @max deep, counting brackets
 * outside strings; malformed JSON is left for the parser to refuse. */
static gboolean
json_depth_ok (const char *data, size_t len, int max)
{
  gboolean in_string = FALSE;
  int depth = 0;

  for (size_t i = 0; i < len; i++)
    {
      if (in_string)
        {
          if (data[i] == '\\')
            i++;
          else if (data[i] == '"')
            in_string = FALSE;
        }
      else if (data[i] == '"')
        in_string = TRUE;
      else if ((data[i] == '[' || data[i] == '{') && ++depth > max)
        return FALSE;
      else if (data[i] == ']' || data[i] == '}')
        depth--;
    }
  return TRUE;
}

static JsonParser *
parse_json (const UaHttpResponse *response)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (response->body == NULL
      || !json_depth_ok (ua_secret_get (response->body),
                         ua_secret_len (response->body), JSON_DEPTH_MAX)
      || !json_parser_load_from_data (parser, ua_secret_get (response->body),
                                      ua_secret_len (response->body), NULL))
    return NULL;
  return g_steal_pointer (&parser);
}

static JsonObject *
root_object (JsonParser *parser)
{
  JsonNode *root = parser ? json_parser_get_root (parser) : NULL;

  return root != NULL && JSON_NODE_HOLDS_OBJECT (root)
         ? json_node_get_object (root) : NULL;
}

/* The member @name if it is a JSON string, else NULL. */
static const char *
string_member (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* "code" or "code: description" from an OAuth error answer (RFC 6749
 * 5.2), cleaned for a terminal; NULL if the answer is not one. */
static char *
oauth_error_detail (const UaHttpResponse *response, char **code_out)
{
  const char *body = response->body ? ua_secret_get (response->body) : "";
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *code = NULL;
  g_autofree char *description = NULL;
  JsonObject *object;
  const char *value;

  /* Some servers label their error JSON text/plain: sniff, don't trust. */
  if (body[strspn (body, " \t\r\n")] != '{'
      || (object = root_object (parser = parse_json (response))) == NULL
      || (value = string_member (object, "error")) == NULL || *value == '\0')
    return NULL;
  code = sanitize (value, ERROR_CODE_MAX);
  value = string_member (object, "error_description");
  if (value != NULL && *value != '\0')
    description = sanitize (value, DESCRIPTION_MAX);
  *code_out = g_strdup (code);
  return description ? g_strdup_printf ("%s: %s", code, description)
                     : g_steal_pointer (&code);
}

static UaToken *
fail_rejected (const UaHttpResponse *response, const char *profile,
               UaGrantFailure *failure, GError **error)
{
  g_autofree char *code = NULL;
  g_autofree char *detail = oauth_error_detail (response, &code);
  long status = response->status;

#define REJECT(...) \
  fail (failure, UA_GRANT_RETRY_NEVER, 0, error, UA_ERR_REJECTED, profile, __VA_ARGS__)

  if (g_strcmp0 (code, "invalid_client") == 0 || (code == NULL && status == 401))
    return REJECT ("the identity server rejected the client id or secret (%s); "
                   "check them and store them again with \"uipauth add %s --replace\"",
                   detail ? detail : "HTTP 401", profile);
  if (g_strcmp0 (code, "invalid_scope") == 0)
    return REJECT ("the app lacks one of the requested scopes (%s); grant them "
                   "to the external app in Admin > External Applications or "
                   "change the profile's scopes", detail);
  if (g_strcmp0 (code, "unauthorized_client") == 0)
    return REJECT ("the external app may not use this grant (%s); check its "
                   "type in Admin > External Applications (client credentials "
                   "need a confidential app)", detail);
  if (g_strcmp0 (code, "invalid_grant") == 0)
    return REJECT ("the identity server refused the grant (%s); the login has "
                   "expired or was used up: run \"uipauth login %s\"",
                   detail, profile);
  if (g_strcmp0 (code, "unsupported_grant_type") == 0)
    return REJECT ("the identity server does not support this grant (%s); "
                   "check identity_url and the profile's type", detail);
  if (g_strcmp0 (code, "invalid_request") == 0)
    return REJECT ("the identity server refused the request as malformed (%s); "
                   "check the profile's client_id and scopes", detail);
  if (code != NULL)
    return REJECT ("the identity server refused the request with HTTP %ld (%s); "
                   "check the profile's settings", status, detail);
  if (status == 404 || status == 405)
    return REJECT ("the identity server answered HTTP %ld: there is no token "
                   "endpoint there; " STANDALONE_HINT, status);
  return REJECT ("the identity server refused the request with HTTP %ld; "
                 "check identity_url and the profile's credentials", status);
#undef REJECT
}

/* 408, 429 and 5xx: the server is there but cannot serve us now. */
static UaToken *
fail_unavailable (const UaHttpResponse *response, const char *profile,
                  UaGrantFailure *failure, GError **error)
{
  g_autofree char *when = NULL;
  gboolean after = response->retry_after >= 0;
  UaGrantRetry retry = after ? UA_GRANT_RETRY_AFTER : UA_GRANT_RETRY_BACKOFF;
  gint64 seconds = after ? response->retry_after : 0;

  when = after ? g_strdup_printf ("retrying after %" G_GINT64_FORMAT " s", seconds)
               : g_strdup ("retrying later");
  if (response->status == 429)
    return fail (failure, retry, seconds, error, UA_ERR_UNREACHABLE, profile,
                 "rate-limited by the identity server (HTTP 429); %s", when);
  if (response->status == 408)
    return fail (failure, retry, seconds, error, UA_ERR_UNREACHABLE, profile,
                 "the identity server answered HTTP 408 (request timeout); %s", when);
  return fail (failure, retry, seconds, error, UA_ERR_UNREACHABLE, profile,
               "the identity server answered HTTP %ld; it is failing or "
               "overloaded, %s", response->status, when);
}

/* Lifetime in seconds from expires_in: a positive integer, also when sent
 * as 3600.0 or "3600" as some servers do.  0 if unusable. */
static gint64
read_lifetime (JsonObject *object)
{
  JsonNode *node = json_object_get_member (object, "expires_in");
  gint64 seconds = 0;
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    seconds = json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      if (d >= (double) EXPIRES_IN_MAX)
        seconds = EXPIRES_IN_MAX;
      else if (d >= 1 && d == (double) (gint64) d)
        seconds = (gint64) d;
    }
  else if (type == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (node);
      guint64 parsed;

      if (*s != '\0' && s[strspn (s, "0123456789")] == '\0'
          && g_ascii_string_to_unsigned (s, 10, 1, G_MAXINT64, &parsed, NULL))
        seconds = (gint64) parsed;
    }
  return seconds > 0 ? MIN (seconds, EXPIRES_IN_MAX) : 0;
}

/* Copies access_token into a UaSecret and wipes json-glib's node copy.
 * The scanner's own buffers were freed by json-glib without wiping; that
 * cannot be helped from outside, so the parser is kept short-lived. */
static UaSecret *
take_access_token (JsonObject *object)
{
  char *value = (char *) string_member (object, "access_token");
  UaSecret *secret;

  if (value == NULL)
    return NULL;
  secret = ua_secret_new_str (value);
  ua_wipe (value, strlen (value));
  if (secret == NULL)
    g_error ("out of memory");
  return secret;
}

/* Why @token cannot go into an Authorization header, or NULL. */
static const char *
token_problem (const UaSecret *token)
{
  const char *p = ua_secret_get (token);

  if (ua_secret_len (token) == 0)
    return "an empty access_token";
  if (ua_secret_len (token) > ACCESS_TOKEN_MAX)
    return "an access_token longer than 16 KiB";
  for (; *p != '\0'; p++)
    if (*p <= ' ' || *p > '~')
      return "an access_token with spaces or control characters";
  return NULL;
}

/* json-glib cuts a string at "\u0000", which would hide a NUL in a token:
 * refuse any answer that escapes one. */
static gboolean
has_escaped_nul (const UaSecret *body)
{
  const char *data = ua_secret_get (body);
  size_t len = ua_secret_len (body);

  for (size_t i = 0; i + 6 <= len; i++)
    if (data[i] == '\\' && data[i + 1] == 'u'
        && memcmp (data + i + 2, "0000", 4) == 0)
      return TRUE;
  return FALSE;
}

static UaToken *
token_from_json (const UaHttpResponse *response, const char *profile,
                 UaGrantFailure *failure, GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(UaSecret) value = NULL;
  JsonObject *object;
  const char *token_type, *scope, *problem;
  gint64 lifetime;

#define MALFORMED(...) \
  fail (failure, UA_GRANT_RETRY_BACKOFF, 0, error, UA_ERR_SERVER, profile, __VA_ARGS__)

  if (response->body == NULL || ua_secret_len (response->body) == 0)
    return MALFORMED ("the identity server's token answer is empty; retrying later");
  if (has_escaped_nul (response->body))
    return MALFORMED ("the identity server's token answer contains a NUL character");
  parser = parse_json (response);
  if (parser == NULL)
    return MALFORMED ("the identity server's token answer is not valid JSON "
                      "(cut short, or nested too deep); retrying later");
  if ((object = root_object (parser)) == NULL)
    return MALFORMED ("the identity server's token answer is not a JSON object; "
                      STANDALONE_HINT);
  value = take_access_token (object);
  if (value == NULL)
    return MALFORMED ("the identity server's answer has no access_token; "
                      STANDALONE_HINT);
  if ((problem = token_problem (value)) != NULL)
    return MALFORMED ("the identity server's answer has %s; retrying later", problem);
  if ((lifetime = read_lifetime (object)) == 0)
    return MALFORMED ("the identity server's answer has no usable expires_in "
                      "(a positive number of seconds); retrying later");
  token_type = string_member (object, "token_type");
  if (json_object_has_member (object, "token_type")
      && !json_object_get_null_member (object, "token_type")
      && (token_type == NULL || g_ascii_strcasecmp (token_type, "Bearer") != 0))
    {
      g_autofree char *shown = sanitize (token_type ? token_type : "?", QUOTE_MAX);
      return MALFORMED ("the identity server issued a \"%s\" token, not a "
                        "Bearer token; check identity_url", shown);
    }
#undef MALFORMED
  scope = string_member (object, "scope");
  return ua_token_new (g_steal_pointer (&value), "Bearer", scope, lifetime);
}

static UaToken *
token_from_success (const UaHttpResponse *response, const char *profile,
                    UaGrantFailure *failure, GError **error)
{
  g_autofree char *type = NULL;

  if (looks_like_html (response))
    return fail (failure, UA_GRANT_RETRY_BACKOFF, 0, error, UA_ERR_SERVER, profile,
                 "the identity server answered with an HTML page instead of "
                 "a token; " STANDALONE_HINT);
  if (!is_json_type (response->content_type))
    {
      type = sanitize (response->content_type ? response->content_type : "none",
                       QUOTE_MAX);
      return fail (failure, UA_GRANT_RETRY_BACKOFF, 0, error, UA_ERR_SERVER, profile,
                   "the identity server answered with content type \"%s\" "
                   "instead of a JSON token; " STANDALONE_HINT, type);
    }
  return token_from_json (response, profile, failure, error);
}

/* How one endpoint's answers are judged; the status classes are shared. */
typedef UaToken *(*Judge) (const UaHttpResponse *response, const char *profile,
                           UaGrantFailure *failure, GError **error);
typedef struct {
  Judge success;
  Judge rejected;
  const char *url_setting; /* what to fix when the server redirects */
} AnswerRules;

static UaToken *
judge (const AnswerRules *rules, const UaHttpResponse *response,
       const char *profile, UaGrantFailure *failure, GError **error)
{
  UaGrantFailure ignored;
  long status;

  g_return_val_if_fail (response != NULL, NULL);

  if (failure == NULL)
    failure = &ignored;
  *failure = (UaGrantFailure) { UA_GRANT_RETRY_NEVER, 0 };
  if (profile == NULL)
    profile = "?";
  status = response->status;

  if (status >= 200 && status <= 299)
    return rules->success (response, profile, failure, error);
  if (status == 408 || status == 429 || (status >= 500 && status <= 599))
    return fail_unavailable (response, profile, failure, error);
  if (status >= 400 && status <= 499)
    return rules->rejected (response, profile, failure, error);
  if (status >= 300 && status <= 399)
    return fail (failure, UA_GRANT_RETRY_NEVER, 0, error, UA_ERR_SERVER, profile,
                 "the identity server answered HTTP %ld, a redirect (not "
                 "followed: the request carries credentials); set %s "
                 "to the final https:// address", status, rules->url_setting);
  return fail (failure, UA_GRANT_RETRY_BACKOFF, 0, error, UA_ERR_SERVER, profile,
               "the identity server answered with unexpected HTTP status %ld; "
               "retrying later", status);
}

UaToken *
ua_grant_parse_token_response (const UaHttpResponse *response,
                               const char *profile, UaGrantFailure *failure,
                               GError **error)
{
  static const AnswerRules rules = { token_from_success, fail_rejected, "identity_url" };

  return judge (&rules, response, profile, failure, error);
}

/* ---- revocation (RFC 7009) ------------------------------------------ */

gboolean
ua_grant_parse_revocation_response (const UaHttpResponse *response,
                                    const char *profile, GError **error)
{
  UaGrantFailure ignored;
  g_autofree char *code = NULL;
  g_autofree char *detail = NULL;
  long status;

  g_return_val_if_fail (response != NULL, FALSE);

  status = response->status;
  /* An unknown or already revoked token is a success too (2.2). */
  if (status >= 200 && status <= 299)
    return TRUE;
  detail = oauth_error_detail (response, &code);
  if (status == 408 || status == 429 || (status >= 500 && status <= 599))
    fail (&ignored, UA_GRANT_RETRY_BACKOFF, 0, error, UA_ERR_UNREACHABLE, profile,
          "the identity server answered the revocation with HTTP %ld; it is "
          "failing or overloaded", status);
  else if (g_strcmp0 (code, "invalid_client") == 0 || (code == NULL && status == 401))
    fail (&ignored, UA_GRANT_RETRY_NEVER, 0, error, UA_ERR_REJECTED, profile,
          "the identity server refused the revocation: it rejected the client "
          "id or secret (%s)", detail ? detail : "HTTP 401");
  else if (code != NULL)
    fail (&ignored, UA_GRANT_RETRY_NEVER, 0, error, UA_ERR_REJECTED, profile,
          "the identity server refused the revocation with HTTP %ld (%s)",
          status, detail);
  else if (status == 404 || status == 405)
    fail (&ignored, UA_GRANT_RETRY_NEVER, 0, error, UA_ERR_REJECTED, profile,
          "the identity server answered HTTP %ld: it has no revocation "
          "endpoint there; " STANDALONE_HINT, status);
  else
    fail (&ignored, UA_GRANT_RETRY_NEVER, 0, error, UA_ERR_SERVER, profile,
          "the identity server answered the revocation with HTTP %ld%s", status,
          status >= 300 && status <= 399 ? ", a redirect (not followed: the "
          "request carries credentials)" : "");
  return FALSE;
}

/* ---- what else an answer says --------------------------------------- */

char *
ua_grant_error_code (const UaHttpResponse *response)
{
  g_autofree char *code = NULL;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (response != NULL, NULL);

  if (response->status >= 200 && response->status <= 299)
    return NULL;
  detail = oauth_error_detail (response, &code);
  return g_steal_pointer (&code);
}

UaSecret *
ua_grant_take_refresh_token (const UaHttpResponse *response)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object;
  char *value;
  UaSecret *secret;

  g_return_val_if_fail (response != NULL, NULL);

  if (response->status < 200 || response->status > 299
      || response->body == NULL || has_escaped_nul (response->body)
      || (object = root_object (parser = parse_json (response))) == NULL
      || (value = (char *) string_member (object, "refresh_token")) == NULL
      || *value == '\0')
    return NULL;
  secret = ua_secret_new_str (value);
  ua_wipe (value, strlen (value));
  if (secret == NULL || token_problem (secret) != NULL)
    {
      ua_secret_free (secret);
      return NULL;
    }
  return secret;
}

/* ---- /api/account/authenticate -------------------------------------- */

/* error.message of an ABP-style error answer, cleaned for a terminal. */
static char *
password_error_detail (const UaHttpResponse *response)
{
  g_autoptr(JsonParser) parser = parse_json (response);
  JsonObject *object = root_object (parser);
  JsonNode *node;
  const char *message;

  if (object == NULL || (node = json_object_get_member (object, "error")) == NULL
      || !JSON_NODE_HOLDS_OBJECT (node)
      || (message = string_member (json_node_get_object (node), "message")) == NULL
      || *message == '\0')
    return NULL;
  return sanitize (message, DESCRIPTION_MAX);
}

static UaToken *
password_rejected (const UaHttpResponse *response, const char *profile,
                   UaGrantFailure *failure, GError **error)
{
  g_autofree char *detail = password_error_detail (response);

  if (response->status == 404 || response->status == 405)
    return fail (failure, UA_GRANT_RETRY_NEVER, 0, error, UA_ERR_REJECTED, profile,
                 "the server answered HTTP %ld: there is no "
                 "/api/account/authenticate there; check url (the Orchestrator base)",
                 response->status);
  return fail (failure, UA_GRANT_RETRY_NEVER, 0, error, UA_ERR_REJECTED, profile,
               "the server refused the user name or password (HTTP %ld%s%s); "
               "check them and store them again with \"uipauth add %s --replace "
               "--type password --allow-password ...\"", response->status,
               detail ? ": " : "", detail ? detail : "", profile);
}

static UaToken *
password_token (const UaHttpResponse *response, const char *profile,
                UaGrantFailure *failure, GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(UaSecret) value = NULL;
  JsonObject *object;
  char *result;
  const char *problem;

#define MALFORMED(...) \
  fail (failure, UA_GRANT_RETRY_BACKOFF, 0, error, UA_ERR_SERVER, profile, __VA_ARGS__)

  if (looks_like_html (response) || !is_json_type (response->content_type))
    return MALFORMED ("the server answered /api/account/authenticate with something "
                      "other than JSON; check url (the Orchestrator base)");
  if (response->body == NULL || has_escaped_nul (response->body)
      || (object = root_object (parser = parse_json (response))) == NULL)
    return MALFORMED ("the server's answer to /api/account/authenticate is not a "
                      "JSON object; retrying later");
  result = (char *) string_member (object, "result");
  if (result == NULL)
    return MALFORMED ("the server's answer to /api/account/authenticate has no "
                      "token in \"result\"; check url");
  value = ua_secret_new_str (result);
  ua_wipe (result, strlen (result));
  if ((problem = token_problem (value)) != NULL)
    return MALFORMED ("the server's answer has %s; retrying later", problem);
#undef MALFORMED
  return ua_token_new (g_steal_pointer (&value), "Bearer", NULL,
                       UA_GRANT_PASSWORD_LIFETIME_S);
}

UaToken *
ua_grant_parse_password_response (const UaHttpResponse *response,
                                  const char *profile, UaGrantFailure *failure,
                                  GError **error)
{
  static const AnswerRules rules = { password_token, password_rejected, "url" };

  return judge (&rules, response, profile, failure, error);
}
