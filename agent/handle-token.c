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
  UaCredential *credential; /* where the hand-out is recorded */
  UaMsg *reply; /* profile fields filled in, token fields to come */
} TokenCall;

#define HOW_TO_FORWARD \
  "on the host where uipauth-agent runs, mark it forward=true in " \
  "profiles.ini or with \"uipauth add NAME --forward ... --replace\""

/* Without a name: the only profile that is forwarded. */
static UaProfile *
only_forwarded (UaAgent *agent, GError **error)
{
  g_autoptr(GPtrArray) list = ua_profiles_list (agent->profiles);
  UaProfile *found = NULL;
  guint count = 0;

  for (guint i = 0; i < list->len; i++)
    if (((UaProfile *) list->pdata[i])->forward && count++ == 0)
      found = list->pdata[i];
  if (count == 1)
    return found;
  g_set_error (error, UA_ERROR, UA_ERR_NO_PROFILE, count == 0
               ? "no profile is forwarded to this socket; " HOW_TO_FORWARD
               : "several profiles are forwarded here; name one or set "
                 "UIPAUTH_PROFILE (see \"uipauth list\")");
  return NULL;
}

/* On the restricted socket only the profiles marked `forward` exist.  One
 * that is not gets the answer a missing one gets, so that a host it is
 * forwarded to learns no other profile's name; a `match` is judged over
 * every profile, as on the agent's own socket, so a URL never gets
 * another profile's token there than it would here. */
static UaProfile *
forwarded_profile (UaAgent *agent, const char *name, const char *match,
                   GError **error)
{
  UaProfile *profile;

  if (name == NULL && match == NULL)
    return only_forwarded (agent, error);
  profile = name ? ua_profiles_lookup (agent->profiles, name)
                 : ua_profiles_match (agent->profiles, match, NULL);
  if (profile != NULL && profile->forward)
    return profile;
  if (name != NULL)
    g_set_error (error, UA_ERROR, UA_ERR_UNKNOWN_PROFILE,
                 "no profile named \"%s\" is forwarded here; " HOW_TO_FORWARD, name);
  else
    g_set_error (error, UA_ERROR, UA_ERR_UNKNOWN_PROFILE,
                 "no forwarded profile's match pattern fits %s; " HOW_TO_FORWARD, match);
  return NULL;
}

UaProfile *
ua_handler_profile (UaAgent *agent, UaConn *conn, const UaMsg *request,
                    GError **error)
{
  const char *name = ua_msg_get (request, "profile");
  /* `profile`, even empty (the default), goes before `match`. */
  const char *match = name == NULL ? ua_msg_get (request, "match") : NULL;

  if (name != NULL && *name == '\0')
    name = NULL;
  if (ua_conn_restricted (conn))
    return forwarded_profile (agent, name, match, error);
  if (match != NULL)
    return ua_profiles_match (agent->profiles, match, error);
  return ua_profiles_resolve (agent->profiles, name, error);
}

UaCredential *
ua_handler_credential (UaAgent *agent, UaConn *conn, const UaMsg *request,
                       GError **error)
{
  UaProfile *profile = ua_handler_profile (agent, conn, request, error);

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
      ua_audit_token (&call->credential->callers, call->credential->profile->name,
                      "token", call->conn);
      ua_conn_reply (call->conn, call->reply);
    }
  ua_credential_unref (call->credential);
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

  credential = ua_handler_credential (agent, conn, request, &error);
  if (credential == NULL || !parse_min_valid (request, &min_valid, &error)
      || !ua_expiry_check (credential->profile, NULL, &warning, &error))
    {
      ua_conn_reply (conn, ua_reply_from_gerror (error));
      return;
    }
  call = g_new0 (TokenCall, 1);
  call->conn = ua_conn_ref (conn);
  call->credential = ua_credential_ref (credential);
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
  UaCredential *credential = ua_handler_credential (agent, conn, request, &error);
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
