#include "config.h"

#include <unistd.h>

#include "handlers.h"
#include "reply.h"

void
ua_handle_ping (UaAgent *agent, UaConn *conn, const UaMsg *request)
{
  UaMsg *reply = ua_reply_ok ();

  ua_reply_add (reply, "agent_version", UA_VERSION);
  /* Over a forward, a pid on another host would only mislead. */
  if (ua_conn_restricted (conn))
    ua_reply_add (reply, "restricted", "1");
  else
    ua_reply_add_int (reply, "pid", getpid ());
  ua_reply_add_int (reply, "protocol", UA_PROTOCOL_VERSION);
  ua_conn_reply (conn, reply);
}

void
ua_handle_shutdown (UaAgent *agent, UaConn *conn, const UaMsg *request)
{
  g_message ("shutting down at the request of pid %d", ua_conn_peer_pid (conn));
  ua_conn_reply (conn, ua_reply_ok ());
  g_main_loop_quit (agent->loop);
}

/* Every token of every credential is wiped; secrets stay in the store. */
void
ua_handle_lock (UaAgent *agent, UaConn *conn, const UaMsg *request)
{
  ua_credentials_lock (agent->credentials);
  ua_conn_reply (conn, ua_reply_ok ());
}

/* Profiles whose settings changed get new credentials (credentials.h). */
void
ua_handle_reload (UaAgent *agent, UaConn *conn, const UaMsg *request)
{
  g_autoptr(GError) error = NULL;

  if (!ua_profiles_load (agent->profiles, &error))
    {
      ua_conn_reply (conn, ua_reply_from_gerror (error));
      return;
    }
  ua_conn_reply (conn, ua_reply_ok ());
}
