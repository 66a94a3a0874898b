#include "config.h"

#include "handlers.h"
#include "reply.h"

/* An op is served on the restricted socket only when its row says so:
 * a row added without `.restricted` is refused there, whatever it does.
 * What those ops may see there (forwardable profiles only) is
 * ua_handler_profile()'s to enforce. */
static const struct {
  const char *op;
  UaHandler handle;
  gboolean restricted; /* also served on the restricted socket */
} handlers[] = {
  { "token", ua_handle_token, .restricted = TRUE },
  { "ping", ua_handle_ping, .restricted = TRUE },
  { "status", ua_handle_status },
  { "list", ua_handle_list, .restricted = TRUE },
  { "add", ua_handle_add },
  { "remove", ua_handle_remove },
  { "forget", ua_handle_forget, .restricted = TRUE },
  { "login-start", ua_handle_login_start },
  { "login-wait", ua_handle_login_wait },
  { "login-cancel", ua_handle_login_cancel },
  { "logout", ua_handle_logout },
  { "lock", ua_handle_lock },
  { "reload", ua_handle_reload },
  { "doctor", ua_handle_doctor },
  { "shutdown", ua_handle_shutdown },
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

/* Only the table's own op names go into the message and the log: the
 * request's could be anything up to 64 KiB. */
static void
refuse_restricted (UaConn *conn, const char *known_op)
{
  g_autofree char *m = NULL;

  g_message ("refused %s%s%s on the restricted socket (pid %d)",
             known_op ? "\"" : "an unknown op", known_op ? known_op : "",
             known_op ? "\"" : "", (int) ua_conn_peer_pid (conn));
  m = g_strdup_printf ("%s%s%s is not served on the agent's restricted socket, "
                       "which hands out only tokens of profiles marked "
                       "forward=true (it is the one forwarded over ssh); run "
                       "this command on the host where uipauth-agent runs",
                       known_op ? "op \"" : "this op", known_op ? known_op : "",
                       known_op ? "\"" : "");
  ua_conn_reply (conn, ua_reply_error (UA_ERR_FORBIDDEN, m));
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
        if (ua_conn_restricted (conn) && !handlers[i].restricted)
          refuse_restricted (conn, handlers[i].op);
        else
          handlers[i].handle (data, conn, request);
        return;
      }
  if (op != NULL && ua_conn_restricted (conn))
    refuse_restricted (conn, NULL);
  else
    ua_conn_reply (conn, ua_reply_error (op ? UA_ERR_UNKNOWN_OP : UA_ERR_BAD_REQUEST,
                                         op ? "unknown op; is the agent older than the client?"
                                            : "request without op"));
}

const char *
ua_dispatch_op (guint i)
{
  return i < G_N_ELEMENTS (handlers) ? handlers[i].op : NULL;
}
