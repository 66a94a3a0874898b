/* grant-client-credentials.c: the confidential-client grant. */
#include "grants.h"

#include "clients.h"

void
id_grant_client_credentials (IdServer             *srv,
                             const IdTokenRequest *req,
                             IdGrantResult        *result)
{
  IdClient *client;
  g_autofree char *scope = NULL;

  if (req->client_id == NULL || req->client_secret == NULL)
    {
      id_grant_fail (result, SOUP_STATUS_BAD_REQUEST, "invalid_request");
      return;
    }

  client = id_clients_lookup (srv->clients, req->client_id);
  if (client == NULL || !g_str_equal (client->secret, req->client_secret))
    {
      id_grant_fail (result, srv->invalid_client_status, "invalid_client");
      return;
    }

  if (!id_client_grant_scopes (client, id_token_request_get (req, "scope"), &scope))
    {
      id_grant_fail (result, SOUP_STATUS_BAD_REQUEST, "invalid_scope");
      return;
    }

  result->token = id_grant_issue (srv, client->id, scope);
}
