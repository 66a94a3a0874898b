/* doctor: checks, in the order a user would fix them, the socket, the
 * agent, the keyring, the profiles file, the clock and each profile's
 * secret (in the keyring, or its secret file) and identity server, and
 * says what to do about each problem.  A warning is shown but is no
 * problem.  The agent does the keyring, file and network checks (op
 * `doctor`). */
#include "cmd.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "conn.h"
#include "envvars.h"
#include "out.h"
#include "request.h"
#include "sockpath.h"

typedef struct {
  UaBuf out;
  int problems;
} Report;

typedef enum { OK, WARN, FAIL } Verdict;

static void line (Report *r, Verdict verdict, const char *what, const char *fmt, ...)
  __attribute__ ((format (printf, 4, 5)));

static void
line (Report *r, Verdict verdict, const char *what, const char *fmt, ...)
{
  static const char *const tags[] = { [OK] = "ok", [WARN] = "WARN", [FAIL] = "FAIL" };
  char text[2048];
  va_list ap;

  va_start (ap, fmt);
  vsnprintf (text, sizeof text, fmt, ap);
  va_end (ap);
  ua_buf_printf (&r->out, "%-4s  %-10s %s\n", tags[verdict], what, text);
  if (verdict == FAIL)
    r->problems++;
}

static const char *
get (const UaMsg *m, const char *key)
{
  const char *v = ua_msg_get (m, key);
  return v ? v : "";
}

static const char *
field (const UaMsg *m, unsigned i, const char *key)
{
  char k[96];

  snprintf (k, sizeof k, "profile.%u.%s", i, key);
  return get (m, k);
}

static bool
dir_missing (const char *sock_path)
{
  char dir[UA_SOCKPATH_MAX];
  char *slash;

  snprintf (dir, sizeof dir, "%s", sock_path);
  slash = strrchr (dir, '/');
  if (slash == NULL || slash == dir)
    return false;
  *slash = '\0';
  return access (dir, F_OK) < 0 && errno == ENOENT;
}

static bool
check_socket (Report *r, char *path, size_t size)
{
  char err[512];

  if (ua_sockpath_default (path, size, err, sizeof err) < 0)
    {
      line (r, FAIL, "socket", "%s; set UIPAUTH_SOCK to a shorter path", err);
      return false;
    }
  if (dir_missing (path))
    line (r, OK, "socket", "%s (not there yet; the agent creates it)", path);
  else if (ua_sockpath_check_dir (path, false, err, sizeof err) < 0)
    {
      line (r, FAIL, "socket", "%s", err);
      return false;
    }
  else
    line (r, OK, "socket", "%s", path);
  return true;
}

static void
report_keyring (Report *r, const UaMsg *m)
{
  const char *state = get (m, "keyring");

  if (strcmp (state, "ok") == 0)
    line (r, OK, "keyring", "Secret Service available and unlocked");
  else if (strcmp (state, "memory") == 0)
    line (r, OK, "keyring", "none: the agent runs with --ephemeral (secrets in memory only)");
  else if (strcmp (state, "unused") == 0)
    line (r, OK, "keyring", "not needed: every profile reads its secret from a file "
          "(no D-Bus session, no Secret Service)");
  else
    {
      const char *error = get (m, "keyring_error");
      if (strncmp (error, "keyring: ", 9) == 0)
        error += 9;
      line (r, FAIL, "keyring", "%s", error);
    }
}

static void
report_config (Report *r, const UaMsg *m)
{
  const char *error = ua_msg_get (m, "config_error");

  if (error != NULL)
    line (r, FAIL, "profiles", "%s", error);
  else
    line (r, OK, "profiles", "%s, %s profile(s)", get (m, "config"), get (m, "count"));
  if (strcmp (get (m, "count"), "0") == 0)
    ua_buf_printf (&r->out, "%-4s  %-10s %s\n", "", "",
                   "add one with: uipauth add NAME --type TYPE ... (see uipauth-profiles(5))");
}

static void
report_clock (Report *r, const UaMsg *m)
{
  const char *state = get (m, "clock_state");

  if (strcmp (state, "wrong") == 0)
    line (r, FAIL, "clock", "the system clock is wrong (before 2024); tokens will "
          "look expired or not yet valid: set the time and enable NTP");
  else if (strcmp (state, "unsynchronized") == 0)
    line (r, OK, "clock", "not synchronized by NTP (warning: a drifting clock makes "
          "tokens look expired; enable systemd-timesyncd or chrony)");
  else
    line (r, OK, "clock", "synchronized");
}

/* What the ok line says about the secret. */
static void
secret_note (const UaMsg *m, unsigned i, char *note, size_t size)
{
  const char *file = field (m, i, "secret_file");

  note[0] = '\0';
  if (strcmp (field (m, i, "secret"), "ok") != 0)
    return;
  if (*file)
    snprintf (note, size, "secret read from %s", file);
  else
    snprintf (note, size, "%s", "secret present");
}

/* Not a problem with uipauth itself: the profile works, but UiPath's SDK
 * would read no organization or tenant from its UIPATH_URL. */
static void
report_url_shape (Report *r, const UaMsg *m, unsigned i, const char *what)
{
  const char *url = field (m, i, "base_url");
  char why[160];

  if (*url && !ua_envvars_url_shape (url, why, sizeof why))
    line (r, WARN, what, "UIPATH_URL would be %s, but %s: UiPath's SDK would find "
          "no organization or tenant in it; give the profile a url without a path, "
          "an organization and a tenant", url, why);
}

static void
report_profile (Report *r, const UaMsg *m, unsigned i)
{
  const char *name = field (m, i, "name"), *secret = field (m, i, "secret");
  const char *url = field (m, i, "probe_url");
  char what[80], note[2048];

  snprintf (what, sizeof what, "%s", name);
  secret_note (m, i, note, sizeof note);
  if (*field (m, i, "secret_warning"))
    line (r, WARN, what, "%s", field (m, i, "secret_warning"));
  if (strcmp (secret, "missing") == 0)
    line (r, FAIL, what, "no secret in the keyring; store it again: uipauth add %s "
          "--replace --type %s ...", name, field (m, i, "type"));
  else if (strcmp (secret, "error") == 0)
    line (r, FAIL, what, "%s", field (m, i, "secret_error"));
  if (*field (m, i, "probe_error"))
    line (r, FAIL, what, "%s; check the network, a proxy, or the profile's "
          "url/identity_url", field (m, i, "probe_error"));
  else if (*url)
    line (r, OK, what, "%s answers (HTTP %s, %s ms)%s%s", url,
          field (m, i, "http_status"), field (m, i, "latency_ms"),
          *note ? "; " : "", note);
  else if (strcmp (secret, "ok") == 0 || strcmp (secret, "none") == 0)
    line (r, OK, what, "%s", *note ? note : "no stored secret needed");
  report_url_shape (r, m, i, what);
}

static void
report_agent (Report *r, const UaMsg *m)
{
  unsigned long n = strtoul (get (m, "count"), NULL, 10);

  report_keyring (r, m);
  report_config (r, m);
  report_clock (r, m);
  for (unsigned i = 0; i < n && i < 100000; i++)
    report_profile (r, m, i);
}

int
ua_cmd_doctor (const UaCli *cli)
{
  Report r = { UA_BUF_INIT, 0 };
  char path[UA_SOCKPATH_MAX];
  UaMsg *req = NULL, *reply = NULL;
  bool no_agent = false;
  int rc;

  if (check_socket (&r, path, sizeof path) && (req = ua_request_new ("doctor")) != NULL)
    {
      rc = ua_request_call (req, UA_CONN_AUTOSTART, &reply, &no_agent);
      if (rc != UA_EXIT_OK)
        line (&r, FAIL, "agent", no_agent ? "no agent runs and autostart is off "
              "(UIPAUTH_NO_AUTOSTART=1): run 'uipauth agent start' or "
              "'systemctl --user start uipauth-agent.socket'"
              : "the agent cannot be reached (see above)");
      else if (ua_reply_error (reply) != UA_ERR_NONE)
        line (&r, FAIL, "agent", "%s; the agent may be older than this client",
              get (reply, "message"));
      else
        {
          line (&r, OK, "agent", "uipauth-agent %s answers", get (reply, "agent_version"));
          report_agent (&r, reply);
        }
    }
  if (r.problems > 0)
    ua_buf_printf (&r.out, "%d problem%s found.\n", r.problems, r.problems == 1 ? "" : "s");
  else
    ua_buf_printf (&r.out, "No problems found.\n");
  rc = ua_out_buf (STDOUT_FILENO, &r.out);
  ua_buf_clear (&r.out);
  ua_msg_free (req);
  ua_msg_free (reply);
  if (rc != UA_EXIT_OK)
    return rc;
  return r.problems > 0 ? UA_EXIT_FAILURE : UA_EXIT_OK;
}
