/* login: authorization code + PKCE through the agent.  One request gets
 * one reply, so it takes two: login-start (the agent listens for the
 * browser's redirect and answers with the URL to open), then login-wait
 * (answered once the sign-in is stored, or has failed or timed out). */
#include "cmd.h"

#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "conn.h"
#include "out.h"
#include "request.h"
#include "sockpath.h"

/* The agent's own default wait for the browser (see docs/protocol.md). */
#define LOGIN_TIMEOUT_DEFAULT 300
/* login-wait may take this much longer than the browser wait: the code
 * exchange after the redirect has its own network timeouts. */
#define LOGIN_WAIT_MARGIN 60

static UaMsg *
start_request (const UaCli *cli)
{
  UaMsg *req = ua_request_new ("login-start");
  bool ok = req != NULL && ua_request_add (req, "profile", ua_cmd_profile (cli));

  if (ok && cli->no_browser)
    ok = ua_request_add (req, "no_browser", "1");
  if (ok && cli->login_timeout > 0)
    ok = ua_msg_add_int (req, "timeout", cli->login_timeout) == UA_MSG_OK;
  if (!ok)
    {
      ua_msg_free (req);
      return NULL;
    }
  return req;
}

static void
tell_user (const UaMsg *reply)
{
  const char *browser = ua_msg_get (reply, "browser");
  const char *url = ua_msg_get (reply, "authorize_url");
  const char *profile = ua_msg_get (reply, "profile");
  const char *timeout = ua_msg_get (reply, "timeout");
  UaBuf out = UA_BUF_INIT;

  if (browser != NULL && browser[0] == '1')
    ua_buf_printf (&out, "A browser was opened to sign in profile %s; if it shows "
                   "nothing, open this URL:\n", profile ? profile : "");
  else
    ua_buf_printf (&out, "To sign in profile %s, open this URL in a browser on "
                   "this machine:\n", profile ? profile : "");
  ua_buf_printf (&out, "%s\nWaiting for the sign-in (at most %s s)...\n",
                 url ? url : "", timeout ? timeout : "?");
  ua_out_buf (STDERR_FILENO, &out);
  ua_buf_clear (&out);
}

/* login-wait on a connection of its own: the wait is longer than the
 * usual request timeout. */
static int
wait_for_login (const char *id, long timeout_s, UaMsg **reply)
{
  char path[UA_SOCKPATH_MAX];
  UaMsg *req = ua_request_new ("login-wait");
  UaConnError e;
  int conn_timeout, fd, rc = -1;

  if (req == NULL || !ua_request_add (req, "login", id))
    {
      ua_msg_free (req);
      return UA_EXIT_FAILURE;
    }
  if (ua_conn_settings (path, sizeof path, &conn_timeout, &e) == 0
      && (fd = ua_conn_open (path, 0, conn_timeout, &e)) >= 0)
    {
      rc = ua_conn_request (fd, req, (int) timeout_s + LOGIN_WAIT_MARGIN, reply, &e);
      close (fd);
    }
  ua_msg_free (req);
  if (rc < 0)
    {
      ua_out_error ("%s", e.msg);
      return e.exit_status;
    }
  ua_reply_print_warnings (*reply);
  return UA_EXIT_OK;
}

int
ua_cmd_login (const UaCli *cli)
{
  UaMsg *req = start_request (cli), *reply = NULL;
  UaBuf out = UA_BUF_INIT;
  char id[128];
  const char *v;
  UaErrorCode code;
  int rc;

  if (req == NULL)
    return UA_EXIT_USAGE;
  rc = ua_request_send (req, UA_CONN_AUTOSTART, &reply);
  ua_msg_free (req);
  if (rc != UA_EXIT_OK)
    return rc;
  v = ua_msg_get (reply, "login");
  if (v == NULL || strlen (v) >= sizeof id)
    {
      ua_msg_free (reply);
      ua_out_error ("the agent started no login; is it the same version as uipauth?");
      return UA_EXIT_FAILURE;
    }
  memcpy (id, v, strlen (v) + 1);
  tell_user (reply);
  ua_msg_free (reply);

  rc = wait_for_login (id, cli->login_timeout > 0 ? cli->login_timeout
                                                  : LOGIN_TIMEOUT_DEFAULT, &reply);
  if (rc != UA_EXIT_OK)
    return rc;
  code = ua_reply_error (reply);
  if (code != UA_ERR_NONE)
    {
      rc = ua_reply_print_error (reply, code);
      ua_msg_free (reply);
      return rc;
    }
  v = ua_msg_get (reply, "profile");
  ua_buf_printf (&out, "Signed in: profile %s is ready.\n", v ? v : "");
  ua_msg_free (reply);
  rc = ua_out_buf (STDOUT_FILENO, &out);
  ua_buf_clear (&out);
  return rc;
}
