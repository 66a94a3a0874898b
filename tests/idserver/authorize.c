/* authorize.c: the authorization endpoint.  A valid request is approved
 * at once with a 302 to the redirect URI carrying a code and the state,
 * which a test follows with any HTTP client; with a sign-in set up, a
 * browser signs in and consents first (signin.c). */
#include "authorize.h"

#include <string.h>

#include "auth.h"
#include "reply.h"
#include "signin.h"

static gboolean
is_loopback_redirect (const char *uri)
{
  return uri != NULL && (g_str_has_prefix (uri, "http://localhost:")
                         || g_str_has_prefix (uri, "http://127.0.0.1:")
                         || g_str_has_prefix (uri, "http://[::1]:"));
}

static const char *
param (GHashTable *query,
       const char *name)
{
  const char *value = query ? g_hash_table_lookup (query, name) : NULL;

  return value != NULL && *value != '\0' ? value : NULL;
}

void
id_authorize_request_free (IdAuthorizeRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->client_id);
  g_free (request->redirect_uri);
  g_free (request->state);
  g_free (request->challenge);
  g_free (request->scope);
  g_free (request);
}

static IdAuthorizeRequest *
request_parse (SoupServerMessage *msg)
{
  const char *raw = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GHashTable) query = raw ? soup_form_decode (raw) : NULL;
  IdAuthorizeRequest *request;

  if (g_strcmp0 (param (query, "response_type"), "code") != 0
      || param (query, "client_id") == NULL
      || !is_loopback_redirect (param (query, "redirect_uri"))
      || param (query, "code_challenge") == NULL
      || g_strcmp0 (param (query, "code_challenge_method"), "S256") != 0)
    return NULL;
  request = g_new0 (IdAuthorizeRequest, 1);
  request->client_id = g_strdup (param (query, "client_id"));
  request->redirect_uri = g_strdup (param (query, "redirect_uri"));
  request->state = g_strdup (param (query, "state"));
  request->challenge = g_strdup (param (query, "code_challenge"));
  request->scope = g_strdup (param (query, "scope") ? param (query, "scope") : "");
  return request;
}

static void
append_param (GString    *url,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_printf (url, "%c%s=%s", strchr (url->str, '?') ? '&' : '?',
                          name, escaped);
}

void
id_authorize_redirect (IdServer                 *srv,
                       SoupServerMessage        *msg,
                       const IdAuthorizeRequest *request,
                       gboolean                  approved)
{
  g_autoptr(GString) location = g_string_new (request->redirect_uri);

  if (approved)
    append_param (location, "code",
                  id_auth_code_new (srv->auth, request->client_id, request->redirect_uri,
                                    request->challenge, request->scope));
  else
    append_param (location, "error", "access_denied");
  if (request->state != NULL)
    append_param (location, "state", request->state);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Location", location->str);
  soup_server_message_set_status (msg, SOUP_STATUS_FOUND, NULL);
}

void
id_authorize_handle (IdServer          *srv,
                     SoupServerMessage *msg)
{
  g_autoptr(IdAuthorizeRequest) request = request_parse (msg);

  srv->stats.authorize++;
  if (request == NULL)
    id_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request");
  else if (srv->sign_in != NULL)
    id_sign_in_start (srv->sign_in, msg, g_steal_pointer (&request));
  else
    id_authorize_redirect (srv, msg, request, TRUE);
}
