/* grants.c: what every grant shares: failing, and issuing a token. */
#include "grants.h"

void
id_grant_fail (IdGrantResult *result,
               guint          status,
               const char    *error)
{
  result->status = status;
  result->error = error;
}

/* Mints and records a token, and builds the answer UiPath would send. */
JsonObject *
id_grant_issue (IdServer   *srv,
                const char *client_id,
                const char *scope)
{
  JsonObject *body = json_object_new ();
  const char *token = id_tokens_mint (srv->tokens, client_id, scope, srv->lifetime_s);

  srv->stats.issued++;
  json_object_set_string_member (body, "access_token", token);
  json_object_set_int_member (body, "expires_in", srv->lifetime_s);
  json_object_set_string_member (body, "token_type", "Bearer");
  json_object_set_string_member (body, "scope", scope);
  return body;
}
