/* revocation.c: RFC 7009 token revocation.  The client authenticates as
 * at the token endpoint (a registered client with its secret, in the
 * form or as Basic; a public one with its id); a refresh token of that
 * client is revoked with its whole family, so neither it nor any token
 * rotated from it refreshes again.  Like IdentityServer, an unknown or
 * already revoked token is answered 200 too (2.2), and access tokens
 * are left alone: UiPath's are JWTs that live out their hour.
 *
 * Requests are counted on arrival and take the armed fault, like token
 * requests, so tests can make a revocation fail. */
#include "revocation.h"

#include "faults.h"
#include "reply.h"
#include "token-request.h"

typedef struct {
  IdServer *srv;
  IdTokenRequest *req;
} RevocationCall;

static void
revocation_call_free (gpointer data)
{
  RevocationCall *call = data;

  id_token_request_free (call->req);
  g_free (call);
}

static void
revocation_answer (SoupServerMessage *msg,
                   gpointer           data)
{
  RevocationCall *call = data;
  const IdTokenRequest *req = call->req;

  if (!req->form_encoded || id_token_request_get (req, "token") == NULL)
    {
      id_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request");
      return;
    }
  if (!id_token_request_client_ok (req, call->srv->clients))
    {
      id_reply_error (msg, call->srv->invalid_client_status, "invalid_client");
      return;
    }
  if (id_auth_refresh_revoke (call->srv->auth, id_token_request_get (req, "token"),
                              req->client_id))
    {
      call->srv->stats.revoked++;
      g_printerr ("idserver: refresh token revoked with its family\n");
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

void
id_revocation_handle (IdServer          *srv,
                      SoupServerMessage *msg)
{
  RevocationCall *call = g_new0 (RevocationCall, 1);
  IdFault fault;

  call->srv = srv;
  call->req = id_token_request_parse (msg);
  srv->stats.revocations++;
  id_stats_count_auth (&srv->stats, call->req->auth_method);
  fault = id_fault_take (&srv->fault);
  id_fault_run (srv->pending, msg, &fault, revocation_answer, call, revocation_call_free);
}
