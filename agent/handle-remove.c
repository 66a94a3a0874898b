#include "config.h"

#include "handlers.h"
#include "profile-txn.h"
#include "reply.h"
#include "ua-error.h"

typedef struct {
  UaConn *conn;
  char *name;
} RemoveCall;

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
    }
  ua_conn_reply (call->conn, reply);
  ua_conn_unref (call->conn);
  g_free (call->name);
  g_free (call);
}

void
ua_handle_remove (UaAgent *agent, UaConn *conn, const UaMsg *request)
{
  g_autoptr(GError) error = NULL;
  const char *name = ua_msg_get (request, "profile");
  RemoveCall *call;

  if (name == NULL || ua_profiles_resolve (agent->profiles, name, &error) == NULL)
    {
      if (error == NULL)
        g_set_error (&error, UA_ERROR, UA_ERR_INVALID_ARGUMENT, "remove needs a profile name");
      ua_conn_reply (conn, ua_reply_from_gerror (error));
      return;
    }
  call = g_new0 (RemoveCall, 1);
  call->conn = ua_conn_ref (conn);
  call->name = g_strdup (name);
  ua_profile_txn_remove_async (agent->profiles, agent->store, name, removed, call);
}
