#include "config.h"

#include "handlers.h"
#include "logout.h"
#include "profile-txn.h"
#include "reply.h"
#include "ua-error.h"

typedef struct {
  UaAgent *agent;
  UaConn *conn;
  char *name;
  UaLogoutResult *signed_out; /* authorization-code: the sign-in's end */
} RemoveCall;

static void
remove_call_free (RemoveCall *call)
{
  ua_conn_unref (call->conn);
  g_free (call->name);
  g_clear_pointer (&call->signed_out, ua_logout_result_free);
  g_free (call);
}

static void
removed (GObject *source, GAsyncResult *res, gpointer data)
{
  RemoveCall *call = data;
  g_autoptr(GError) error = NULL;
  UaMsg *reply;

  if (!ua_profile_txn_remove_finish (res, &error))
    reply = ua_reply_from_gerror (error);
  else
    {
      g_message ("profile %s removed", call->name);
      reply = ua_reply_ok ();
      ua_reply_add (reply, "profile", call->name);
      if (call->signed_out != NULL)
        ua_logout_result_reply (call->signed_out, reply);
    }
  ua_conn_reply (call->conn, reply);
  remove_call_free (call);
}

static void
remove_profile (RemoveCall *call)
{
  ua_profile_txn_remove_async (call->agent->profiles, call->agent->store, call->name,
                               removed, call);
}

/* The sign-in is revoked at the identity server before the keyring
 * forgets it.  That is best effort: whatever became of it, the profile is
 * removed next (a keyring that cannot be read fails that too, and says
 * so). */
static void
signed_out (GObject *source, GAsyncResult *res, gpointer data)
{
  RemoveCall *call = data;
  g_autoptr(GError) error = NULL;

  call->signed_out = ua_logout_finish (res, &error);
  if (error != NULL)
    g_message ("profile %s: not signed out before its removal: %s", call->name,
               ua_error_to_string (ua_error_code (error)));
  remove_profile (call);
}

void
ua_handle_remove (UaAgent *agent, UaConn *conn, const UaMsg *request)
{
  g_autoptr(GError) error = NULL;
  const char *name = ua_msg_get (request, "profile");
  UaProfile *profile = NULL;
  UaCredential *credential;
  RemoveCall *call;

  if (name == NULL || (profile = ua_profiles_resolve (agent->profiles, name, &error)) == NULL)
    {
      if (error == NULL)
        g_set_error (&error, UA_ERROR, UA_ERR_INVALID_ARGUMENT, "remove needs a profile name");
      ua_conn_reply (conn, ua_reply_from_gerror (error));
      return;
    }
  call = g_new0 (RemoveCall, 1);
  call->agent = agent;
  call->conn = ua_conn_ref (conn);
  call->name = g_strdup (name);
  credential = ua_credentials_lookup (agent->credentials, name);
  if (profile->type == UA_KIND_AUTHORIZATION_CODE && credential != NULL)
    ua_logout_async (credential, signed_out, call);
  else
    remove_profile (call);
}
