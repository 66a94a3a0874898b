#include "config.h"

#include "handlers.h"
#include "reply.h"

static const struct {
  const char *op;
  UaHandler handle;
} handlers[] = {
  { "token", ua_handle_token },
  { "ping", ua_handle_ping },
  { "status", ua_handle_status },
  { "list", ua_handle_list },
  { "add", ua_handle_add },
  { "remove", ua_handle_remove },
  { "forget", ua_handle_forget },
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
