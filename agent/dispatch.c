#include "config.h"

#include <unistd.h>

#include "handlers.h"
#include "login.h"
#include "reply.h"

static void
handle_ping (UaAgent *agent, UaConn *conn, const UaMsg *request)
{
  UaMsg *reply = ua_reply_ok ();

  ua_reply_add (reply, "agent_version", UA_VERSION);
  ua_reply_add_int (reply, "pid", getpid ());
  ua_reply_add_int (reply, "protocol", UA_PROTOCOL_VERSION);
  ua_conn_reply (conn, reply);
}

static void
handle_shutdown (UaAgent *agent, UaConn *conn, const UaMsg *request)
{
  g_message ("shutting down at the request of pid %d", ua_conn_peer_pid (conn));
  ua_conn_reply (conn, ua_reply_ok ());
  g_main_loop_quit (agent->loop);
}

static void
handle_lock (UaAgent *agent, UaConn *conn, const UaMsg *request)
{
  ua_cache_clear (agent->cache);
  ua_conn_reply (conn, ua_reply_ok ());
}

static void
handle_reload (UaAgent *agent, UaConn *conn, const UaMsg *request)
{
  g_autoptr(GError) error = NULL;

  if (!ua_profiles_load (agent->profiles, &error))
    {
      ua_conn_reply (conn, ua_reply_from_gerror (error));
      return;
    }
  ua_cache_clear (agent->cache);
  ua_conn_reply (conn, ua_reply_ok ());
}

static const struct {
  const char *op;
  UaHandler handle;
} handlers[] = {
  { "token", ua_handle_token },
  { "ping", handle_ping },
  { "status", ua_handle_status },
  { "list", ua_handle_list },
  { "add", ua_handle_add },
  { "remove", ua_handle_remove },
  { "forget", ua_handle_forget },
  { "login-start", ua_handle_login_start },
  { "login-wait", ua_handle_login_wait },
  { "lock", handle_lock },
  { "reload", handle_reload },
  { "doctor", ua_handle_doctor },
  { "shutdown", handle_shutdown },
};

static gboolean
version_ok (UaConn *conn, const UaMsg *request)
{
  long long v = 1;

  if (ua_msg_get (request, "v") == NULL || (ua_msg_get_int (request, "v", &v) && v == 1))
    return TRUE;
  ua_conn_reply (conn, ua_reply_error (UA_ERR_VERSION,
                                       "this agent speaks protocol version 1; "
                                       "update uipauth-agent or use a matching client"));
  return FALSE;
}

void
ua_dispatch (UaConn *conn, UaMsg *request, gpointer data)
{
  g_autoptr(UaMsg) owned G_GNUC_UNUSED = request; /* freed on every return */
  const char *op = ua_msg_get (request, "op");

  if (!version_ok (conn, request))
    return;
  for (guint i = 0; op != NULL && i < G_N_ELEMENTS (handlers); i++)
    if (g_str_equal (handlers[i].op, op))
      {
        handlers[i].handle (data, conn, request);
        return;
      }
  ua_conn_reply (conn, ua_reply_error (op ? UA_ERR_UNKNOWN_OP : UA_ERR_BAD_REQUEST,
                                       op ? "unknown op; is the agent older than the client?"
                                          : "request without op"));
}
