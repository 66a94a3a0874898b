/* login: authorization code + PKCE through the agent.  One request gets
 * one reply, so it takes two: login-start (the agent listens for the
 * browser's redirect and answers with the URL, which we open: browser.h),
 * then login-wait (answered once the sign-in is stored, or has failed or
 * timed out).
 * Ctrl-C (or SIGTERM, SIGHUP) sends a third, login-cancel, on a
 * connection of its own, so that the agent's listener closes at once
 * instead of at the timeout. */
#include "cmd.h"

#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "browser.h"
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

/* The signal that asked us to stop, or 0.  Set by the handler only. */
static volatile sig_atomic_t interrupted;

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };

static void
on_stop_signal (int sig)
{
  interrupted = sig;
}

/* Without SA_RESTART, so that a wait in progress sees EINTR. */
static void
catch_stop_signals (void)
{
  struct sigaction sa = { .sa_handler = on_stop_signal };

  sigemptyset (&sa.sa_mask);
  for (size_t i = 0; i < sizeof stop_signals / sizeof *stop_signals; i++)
    sigaction (stop_signals[i], &sa, NULL);
}

static void
stop_signal_set (sigset_t *set)
{
  sigemptyset (set);
  for (size_t i = 0; i < sizeof stop_signals / sizeof *stop_signals; i++)
    sigaddset (set, stop_signals[i]);
}

static UaMsg *
start_request (const UaCli *cli)
{
  UaMsg *req = ua_request_new ("login-start");
  bool ok = req != NULL && ua_request_add (req, "profile", ua_cmd_profile (cli));

  /* The agent opens no browser: we do (see browser.h). */
  if (ok)
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

/* The user's name and this machine's, for the ssh command. */
static void
add_ssh_command (const char *redirect_uri, UaBuf *out)
{
  const char *user = getenv ("USER");
  struct passwd *pw;
  char host[256] = "";

  if ((user == NULL || *user == '\0') && (pw = getpwuid (getuid ())) != NULL)
    user = pw->pw_name;
  if (gethostname (host, sizeof host) < 0)
    host[0] = '\0';
  host[sizeof host - 1] = '\0';
  ua_buf_append_str (out, "  ");
  if (ua_browser_ssh_command (redirect_uri, user, getenv ("SSH_CONNECTION"), host, out) < 0)
    ua_buf_append_str (out, "(the redirect URI names no port to forward)");
  ua_buf_append_char (out, '\n');
}

/* Where the sign-in page is to be opened, and by whom: a browser here,
 * or the user on their own machine, which then needs the redirect's port
 * forwarded to this one. */
static void
show_signin_page (const UaCli *cli, const UaMsg *reply)
{
  const char *url = ua_msg_get (reply, "authorize_url");
  const char *profile = ua_msg_get (reply, "profile");
  const char *timeout = ua_msg_get (reply, "timeout");
  const char *redirect = ua_msg_get (reply, "redirect_uri");
  bool here = ua_browser_usable (getenv ("DISPLAY"), getenv ("WAYLAND_DISPLAY"),
                                 getenv ("SSH_CONNECTION"));
  UaBuf out = UA_BUF_INIT;
  char err[256];

  if (url == NULL || profile == NULL)
    url = profile = "";
  if (!here)
    {
      ua_buf_printf (&out, "To sign in profile %s, open the URL below in a browser on "
                     "your own machine.\nThis machine has no display, or you reached "
                     "it through ssh: for the sign-in to come\nback here, first run "
                     "this on your machine, in another terminal, and keep it open:\n",
                     profile);
      add_ssh_command (redirect ? redirect : "", &out);
    }
  else if (cli->no_browser)
    ua_buf_printf (&out, "To sign in profile %s, open this URL in a browser on "
                   "this machine:\n", profile);
  else
    ua_buf_printf (&out, "Opening a browser to sign in profile %s; if none opens, "
                   "open this URL:\n", profile);
  ua_buf_printf (&out, "%s\n", url);
  ua_out_buf (STDERR_FILENO, &out);
  ua_buf_clear (&out);
  if (here && !cli->no_browser && *url != '\0'
      && ua_browser_open (getenv ("BROWSER"), url, err, sizeof err) < 0)
    ua_out_error ("could not start a browser (%s); open the URL above yourself, "
                  "or set BROWSER to a browser command", err);
  ua_buf_printf (&out, "Waiting for the sign-in (at most %s s)...\n", timeout ? timeout : "?");
  ua_out_buf (STDERR_FILENO, &out);
  ua_buf_clear (&out);
}

/* A request of its own connection: login-wait may wait much longer
 * than the usual request timeout.  With @stop, a stop signal ends the
 * wait (e->interrupted). */
static int
call_alone (const UaMsg *req, int timeout_s, const UaConnStop *stop,
            UaMsg **reply, UaConnError *e)
{
  char path[UA_SOCKPATH_MAX];
  int conn_timeout, fd, rc = -1;

  if (ua_conn_settings (path, sizeof path, &conn_timeout, e) == 0
      && (fd = ua_conn_open (path, 0, conn_timeout, e)) >= 0)
    {
      rc = ua_conn_request_stoppable (fd, req, timeout_s > 0 ? timeout_s : conn_timeout,
                                      stop, reply, e);
      close (fd);
    }
  return rc;
}

/* Signals are blocked but for the wait itself, so that one arriving just
 * before it still ends it. */
static int
wait_for_login (const char *id, long timeout_s, UaMsg **reply, UaConnError *e)
{
  UaMsg *req = ua_request_new ("login-wait");
  sigset_t blocked, open_mask;
  UaConnStop stop = { &interrupted, &open_mask };
  int rc;

  *e = (UaConnError) { .exit_status = UA_EXIT_FAILURE };
  if (req == NULL || !ua_request_add (req, "login", id))
    {
      ua_msg_free (req);
      return -1;
    }
  stop_signal_set (&blocked);
  sigprocmask (SIG_BLOCK, &blocked, &open_mask);
  sigdelset (&open_mask, SIGINT);
  sigdelset (&open_mask, SIGTERM);
  sigdelset (&open_mask, SIGHUP);
  if (interrupted)
    rc = -1, e->interrupted = true;
  else
    rc = call_alone (req, (int) timeout_s + LOGIN_WAIT_MARGIN, &stop, reply, e);
  sigprocmask (SIG_UNBLOCK, &blocked, NULL);
  ua_msg_free (req);
  return rc;
}

/* Stopped by a signal: the agent ends the login (its listener closes),
 * and we end as the signal would have ended us (130 for SIGINT in a
 * shell), so that a script running us stops too. */
static int
cancel_login (const char *id, const char *profile)
{
  UaMsg *req = ua_request_new ("login-cancel"), *reply = NULL;
  int sig = interrupted;
  UaConnError e;

  /* A second Ctrl-C, while an agent that does not answer is told, ends
   * us at once. */
  for (size_t i = 0; i < sizeof stop_signals / sizeof *stop_signals; i++)
    signal (stop_signals[i], SIG_DFL);
  if (req != NULL && ua_request_add (req, "login", id)
      && call_alone (req, 0, NULL, &reply, &e) == 0
      && ua_reply_error (reply) == UA_ERR_NONE)
    {
      if (ua_msg_get_bool (reply, "cancelled"))
        ua_out_error ("login of profile %s cancelled (%s); the stored sign-in is "
                      "unchanged", profile, strsignal (sig));
      else
        ua_out_error ("login of profile %s interrupted (%s) after it had ended; "
                      "\"uipauth status\" says whether it is signed in",
                      profile, strsignal (sig));
    }
  else
    ua_out_error ("login of profile %s interrupted (%s), but the agent could not "
                  "be told: it keeps listening until the login times out",
                  profile, strsignal (sig));
  ua_msg_free (req);
  ua_msg_free (reply);
  raise (sig);
  return 128 + sig;
}

/* After login-wait answered: what to tell the user, and the status. */
static int
finish_login (UaMsg *reply)
{
  UaErrorCode code = ua_reply_error (reply);
  UaBuf out = UA_BUF_INIT;
  const char *v;
  int rc;

  ua_reply_print_warnings (reply);
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

int
ua_cmd_login (const UaCli *cli)
{
  UaMsg *req = start_request (cli), *reply = NULL;
  char id[128], profile[256];
  const char *v;
  UaConnError e;
  int rc;

  if (req == NULL)
    return UA_EXIT_USAGE;
  catch_stop_signals ();
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
  v = ua_msg_get (reply, "profile");
  snprintf (profile, sizeof profile, "%s", v ? v : "");
  show_signin_page (cli, reply);
  ua_msg_free (reply);

  if (wait_for_login (id, cli->login_timeout > 0 ? cli->login_timeout
                                                 : LOGIN_TIMEOUT_DEFAULT,
                      &reply, &e) < 0)
    {
      if (e.interrupted)
        return cancel_login (id, profile);
      ua_out_error ("%s", e.msg);
      return e.exit_status;
    }
  return finish_login (reply);
}
