/* authorize.c: the authorization endpoint.  No user to ask: every valid
 * request is approved at once with a 302 to the redirect URI carrying a
 * code and the state, which a test follows with a real HTTP client. */
#include "authorize.h"

#include <string.h>

#include "auth.h"
#include "reply.h"

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
id_authorize_handle (IdServer          *srv,
                     SoupServerMessage *msg)
{
  const char *raw = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GHashTable) query = raw ? soup_form_decode (raw) : NULL;
  const char *redirect = param (query, "redirect_uri");
  const char *state = param (query, "state");
  const char *code;
  g_autoptr(GString) location = NULL;
  g_autofree char *escaped_code = NULL;

  srv->stats.authorize++;
  if (g_strcmp0 (param (query, "response_type"), "code") != 0
      || param (query, "client_id") == NULL || !is_loopback_redirect (redirect)
      || param (query, "code_challenge") == NULL
      || g_strcmp0 (param (query, "code_challenge_method"), "S256") != 0)
    {
      id_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request");
      return;
    }
  code = id_auth_code_new (srv->auth, param (query, "client_id"), redirect,
                           param (query, "code_challenge"),
                           param (query, "scope") ? param (query, "scope") : "");
  location = g_string_new (redirect);
  escaped_code = g_uri_escape_string (code, NULL, FALSE);
  g_string_append_printf (location, "%ccode=%s", strchr (redirect, '?') ? '&' : '?',
                          escaped_code);
  if (state != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (state, NULL, FALSE);
      g_string_append_printf (location, "&state=%s", escaped);
    }
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Location", location->str);
  soup_server_message_set_status (msg, SOUP_STATUS_FOUND, NULL);
}
