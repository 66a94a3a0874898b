/* token.c: the token endpoint: count, apply the armed fault, dispatch
 * on grant_type, answer. */
#include "token.h"

#include "grants.h"
#include "reply.h"

static const struct {
  const char *grant_type;
  IdGrantFunc grant;
} grants[] = {
  { "client_credentials", id_grant_client_credentials },
  { "authorization_code", id_grant_authorization_code },
  { "refresh_token", id_grant_refresh_token },
};

/* Everything needed to answer, possibly after the request was parked. */
typedef struct {
  IdServer *srv;
  IdTokenRequest *req;
  gboolean wrong_type;
  gboolean answered_early;  /* rotate_late: result computed on arrival */
  IdGrantResult early;
} TokenCall;

static void
token_call_free (gpointer data)
{
  TokenCall *call = data;

  id_token_request_free (call->req);
  if (call->early.token != NULL)
    json_object_unref (call->early.token);
  g_free (call);
}

static IdGrantFunc
grant_find (const char *grant_type)
{
  for (guint i = 0; i < G_N_ELEMENTS (grants); i++)
    if (g_str_equal (grants[i].grant_type, grant_type))
      return grants[i].grant;
  return NULL;
}

static void
grant_run (IdServer             *srv,
           const IdTokenRequest *req,
           IdGrantResult        *result)
{
  IdGrantFunc grant;

  if (!req->form_encoded || req->grant_type == NULL)
    {
      id_grant_fail (result, SOUP_STATUS_BAD_REQUEST, "invalid_request");
      return;
    }
  grant = grant_find (req->grant_type);
  if (grant == NULL)
    {
      id_grant_fail (result, SOUP_STATUS_BAD_REQUEST, "unsupported_grant_type");
      return;
    }
  grant (srv, req, result);
}

/* RFC 6749 5.1: token answers must not be cached by anything between. */
static void
forbid_caching (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Pragma", "no-cache");
}

static void
token_answer (SoupServerMessage *msg,
              gpointer           data)
{
  TokenCall *call = data;
  IdGrantResult result = { 0 };

  if (call->answered_early)
    {
      result = call->early;
      call->early.token = NULL;
    }
  else
    grant_run (call->srv, call->req, &result);
  forbid_caching (msg);
  if (result.error != NULL)
    {
      id_reply_error (msg, result.status, result.error);
      return;
    }
  if (call->wrong_type)
    json_object_set_string_member (result.token, "token_type", "mac");
  id_reply_object (msg, SOUP_STATUS_OK, result.token);
  json_object_unref (result.token);
}

void
id_token_handle (IdServer          *srv,
                 SoupServerMessage *msg)
{
  TokenCall *call = g_new0 (TokenCall, 1);
  IdFault fault;

  call->srv = srv;
  call->req = id_token_request_parse (msg);
  /* Counted on arrival, before any fault: tests count what the agent
   * sent, whatever the server then did with it. */
  id_stats_count_request (&srv->stats, call->req->client_id, call->req->grant_type);
  id_stats_count_auth (&srv->stats, call->req->auth_method);
  fault = id_fault_take (&srv->fault);
  call->wrong_type = fault.mode == ID_FAULT_WRONG_TYPE;
  /* The grant takes effect now (a refresh token is used up); only the
   * answer waits. */
  if (fault.mode == ID_FAULT_ROTATE_LATE)
    {
      grant_run (srv, call->req, &call->early);
      call->answered_early = TRUE;
      fault.mode = ID_FAULT_DELAY;
    }
  id_fault_run (srv->pending, msg, &fault, token_answer, call, token_call_free);
}
