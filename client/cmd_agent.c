/* agent start|stop|status, and ping (an alias of agent status). */
#include "cmd.h"

#include <unistd.h>

#include "buf.h"
#include "conn.h"
#include "out.h"
#include "request.h"
#include "sockpath.h"

static int
print_agent (const UaMsg *reply, const char *what)
{
  const char *pid = ua_msg_get (reply, "pid");
  const char *version = ua_msg_get (reply, "agent_version");
  const char *protocol = ua_msg_get (reply, "protocol");
  char path[UA_SOCKPATH_MAX], err[256];
  UaBuf out = UA_BUF_INIT;
  int rc;

  if (ua_sockpath_default (path, sizeof path, err, sizeof err) < 0)
    path[0] = '\0';
  /* The restricted socket, most likely forwarded from another host. */
  if (ua_msg_get_bool (reply, "restricted"))
    ua_buf_printf (&out, "uipauth-agent %s elsewhere: version %s, protocol %s, "
                   "restricted socket %s (forwarded: only tokens of profiles "
                   "marked forward)\n", what, version ? version : "?",
                   protocol ? protocol : "?", path);
  else
    ua_buf_printf (&out, "uipauth-agent %s: pid %s, version %s, protocol %s, socket %s\n",
                   what, pid ? pid : "?", version ? version : "?",
                   protocol ? protocol : "?", path);
  rc = ua_out_buf (STDOUT_FILENO, &out);
  ua_buf_clear (&out);
  return rc;
}

static int
ping (unsigned flags, const char *what)
{
  UaMsg *req = ua_request_new ("ping"), *reply = NULL;
  int rc;

  if (req == NULL)
    return UA_EXIT_FAILURE;
  rc = ua_request_send (req, flags, &reply);
  ua_msg_free (req);
  if (rc == UA_EXIT_OK)
    rc = print_agent (reply, what);
  ua_msg_free (reply);
  return rc;
}

static int
finish_stop (int fd, const UaMsg *reply, const char *path, int timeout_s)
{
  static const char stopped[] = "uipauth-agent stopped.\n";
  UaErrorCode code = ua_reply_error (reply);

  ua_reply_print_warnings (reply);
  if (code != UA_ERR_NONE)
    return ua_reply_print_error (reply, code);
  if (ua_conn_wait_closed (fd, timeout_s) < 0)
    {
      ua_out_error ("uipauth-agent on %s did not exit within %d s", path, timeout_s);
      return UA_EXIT_FAILURE;
    }
  return ua_out_write (STDOUT_FILENO, stopped, sizeof stopped - 1) < 0
         ? UA_EXIT_FAILURE : UA_EXIT_OK;
}

/* Asks the agent to exit and waits until it has, so that a start right
 * after a stop finds no half-gone agent. */
static int
stop (void)
{
  char path[UA_SOCKPATH_MAX];
  UaMsg *req = ua_request_new ("shutdown"), *reply = NULL;
  UaConnError e;
  int timeout_s = UA_CONN_TIMEOUT_DEFAULT, fd = -1, rc;

  if (req == NULL)
    return UA_EXIT_FAILURE;
  if (ua_conn_settings (path, sizeof path, &timeout_s, &e) < 0 ||
      (fd = ua_conn_open (path, 0, timeout_s, &e)) < 0 ||
      ua_conn_request (fd, req, timeout_s, &reply, &e) < 0)
    {
      if (e.no_agent)
        ua_out_error ("no uipauth-agent is running on %s", path);
      else
        ua_out_error ("%s", e.msg);
      rc = e.no_agent ? UA_EXIT_OK : e.exit_status;
    }
  else
    rc = finish_stop (fd, reply, path, timeout_s);
  if (fd >= 0)
    close (fd);
  ua_msg_free (req);
  ua_msg_free (reply);
  return rc;
}

int
ua_cmd_agent (const UaCli *cli)
{
  switch (cli->agent_action)
    {
    case UA_AGENT_START:
      return ping (UA_CONN_AUTOSTART, "running");
    case UA_AGENT_STOP:
      return stop ();
    case UA_AGENT_STATUS:
    default:
      return ping (0, "running");
    }
}

int
ua_cmd_ping (const UaCli *cli)
{
  return ping (0, "running");
}
