#include "config.h"

#include "expiry.h"
#include "handlers.h"
#include "reply.h"
#include "ua-error.h"

#define DEFAULT_MIN_VALID_S 60
/* No token can promise more than a day. */
#define MAX_MIN_VALID_S 86400

typedef struct {
  UaConn *conn;
  UaMsg *reply; /* profile fields filled in, token fields to come */
} TokenCall;

UaProfile *
ua_handler_profile (UaAgent *agent, const UaMsg *request, GError **error)
{
  const char *match = ua_msg_get (request, "match");

  if (match != NULL && ua_msg_get (request, "profile") == NULL)
    return ua_profiles_match (agent->profiles, match, error);
  return ua_profiles_resolve (agent->profiles, ua_msg_get (request, "profile"), error);
}

UaCredential *
ua_handler_credential (UaAgent *agent, const UaMsg *request, GError **error)
{
  UaProfile *profile = ua_handler_profile (agent, request, error);

  /* Every profile in the table has one (credentials.h). */
  return profile ? ua_credentials_lookup (agent->credentials, profile->name) : NULL;
}

static UaMsg *
reply_for_profile (const UaProfile *profile)
{
  UaMsg *reply = ua_reply_ok ();

  ua_reply_add (reply, "profile", profile->name);
  ua_reply_add (reply, "type", profile->kind->name);
  ua_reply_add (reply, "url", ua_profile_get (profile, "url"));
  ua_reply_add (reply, "organization", profile->organization);
  ua_reply_add (reply, "tenant", profile->tenant);
  ua_reply_add (reply, "tenant_id", profile->tenant_id);
  ua_reply_add (reply, "organization_id", profile->organization_id);
  ua_reply_add (reply, "base_url", profile->base_url);
  ua_reply_add (reply, "username", profile->username);
  return reply;
}

static void
token_ready (const UaToken *token, const GError *error, gpointer data)
{
  TokenCall *call = data;

  if (error != NULL)
    {
      ua_msg_free (call->reply);
      ua_conn_reply (call->conn, ua_reply_from_gerror (error));
    }
  else
    {
      ua_msg_add_len (call->reply, "token", ua_secret_get (token->value),
                      ua_secret_len (token->value));
      ua_reply_add (call->reply, "token_type", token->token_type);
      if (token->expires_mono != 0)
        {
          ua_reply_add_int (call->reply, "expires_in",
                            ua_token_remaining (token, g_get_monotonic_time ()));
          ua_reply_add_int (call->reply, "expires_at", token->expires_wall);
        }
      ua_conn_reply (call->conn, call->reply);
    }
  ua_conn_unref (call->conn);
  g_free (call);
}

static gboolean
parse_min_valid (const UaMsg *request, gint64 *out, GError **error)
{
  long long v = DEFAULT_MIN_VALID_S;

  if (ua_msg_get (request, "min_valid") != NULL &&
      (!ua_msg_get_int (request, "min_valid", &v) || v < 0 || v > MAX_MIN_VALID_S))
    {
      g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                   "min_valid must be a number of seconds from 0 to %d",
                   MAX_MIN_VALID_S);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

void
ua_handle_token (UaAgent *agent, UaConn *conn, const UaMsg *request)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *warning = NULL;
  g_autofree char *legacy = NULL;
  UaCredential *credential;
  TokenCall *call;
  gint64 min_valid;

  credential = ua_handler_credential (agent, request, &error);
  if (credential == NULL || !parse_min_valid (request, &min_valid, &error)
      || !ua_expiry_check (credential->profile, NULL, &warning, &error))
    {
      ua_conn_reply (conn, ua_reply_from_gerror (error));
      return;
    }
  call = g_new0 (TokenCall, 1);
  call->conn = ua_conn_ref (conn);
  call->reply = reply_for_profile (credential->profile);
  legacy = ua_credential_warn_once (credential);
  ua_reply_add (call->reply, "warning", warning);
  ua_reply_add (call->reply, "warning", legacy);
  ua_credential_get_token (credential, min_valid, ua_msg_get_bool (request, "force_new"),
                           token_ready, call);
}

void
ua_handle_forget (UaAgent *agent, UaConn *conn, const UaMsg *request)
{
  g_autoptr(GError) error = NULL;
  UaCredential *credential = ua_handler_credential (agent, request, &error);
  UaMsg *reply;

  if (credential == NULL)
    {
      ua_conn_reply (conn, ua_reply_from_gerror (error));
      return;
    }
  ua_credential_forget (credential);
  reply = ua_reply_ok ();
  ua_reply_add (reply, "profile", credential->profile->name);
  ua_conn_reply (conn, reply);
}
