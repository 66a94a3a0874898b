/* grant-authorization-code.c: the grants of apps that sign users in:
 * authorization_code with PKCE, and refresh_token with rotation and
 * reuse detection.  A client id registered with --client (or
 * /_control/client) is a confidential app and must authenticate with its
 * secret on both, as UiPath's confidential external apps do; any other
 * client id is a public app. */
#include "grants.h"

#include "auth.h"

static gboolean
wants_offline (const char *scope)
{
  g_auto(GStrv) names = g_strsplit (scope ? scope : "", " ", -1);

  return g_strv_contains ((const char *const *) names, "offline_access");
}

static void
issue_pair (IdServer      *srv,
            const char    *family,
            const char    *client_id,
            const char    *scope,
            IdGrantResult *result)
{
  result->token = id_grant_issue (srv, client_id, scope);
  if (family != NULL || wants_offline (scope))
    json_object_set_string_member (result->token, "refresh_token",
                                   id_auth_refresh_new (srv->auth, family, client_id, scope));
}

void
id_grant_authorization_code (IdServer             *srv,
                             const IdTokenRequest *req,
                             IdGrantResult        *result)
{
  g_autofree char *scope = NULL;

  if (req->client_id == NULL || id_token_request_get (req, "code") == NULL)
    {
      id_grant_fail (result, SOUP_STATUS_BAD_REQUEST, "invalid_request");
      return;
    }
  if (!id_token_request_client_ok (req, srv->clients))
    {
      id_grant_fail (result, srv->invalid_client_status, "invalid_client");
      return;
    }
  if (!id_auth_code_redeem (srv->auth, id_token_request_get (req, "code"), req->client_id,
                            id_token_request_get (req, "redirect_uri"),
                            id_token_request_get (req, "code_verifier"), &scope))
    {
      id_grant_fail (result, SOUP_STATUS_BAD_REQUEST, "invalid_grant");
      return;
    }
  issue_pair (srv, NULL, req->client_id, scope, result);
}

void
id_grant_refresh_token (IdServer             *srv,
                        const IdTokenRequest *req,
                        IdGrantResult        *result)
{
  g_autofree char *family = NULL;
  g_autofree char *scope = NULL;

  if (req->client_id == NULL || id_token_request_get (req, "refresh_token") == NULL)
    {
      id_grant_fail (result, SOUP_STATUS_BAD_REQUEST, "invalid_request");
      return;
    }
  /* A refused client uses nothing up: the refresh token stays good. */
  if (!id_token_request_client_ok (req, srv->clients))
    {
      id_grant_fail (result, srv->invalid_client_status, "invalid_client");
      return;
    }
  switch (id_auth_refresh_use (srv->auth, id_token_request_get (req, "refresh_token"),
                               req->client_id, &family, &scope))
    {
    case ID_REFRESH_OK:
      issue_pair (srv, family, req->client_id, scope, result);
      return;
    case ID_REFRESH_REUSED:
      srv->stats.reuse_detected++;
      g_printerr ("idserver: refresh token reused: family revoked\n");
      id_grant_fail (result, SOUP_STATUS_BAD_REQUEST, "invalid_grant");
      return;
    case ID_REFRESH_UNKNOWN:
    case ID_REFRESH_REVOKED:
    default:
      id_grant_fail (result, SOUP_STATUS_BAD_REQUEST, "invalid_grant");
      return;
    }
}
