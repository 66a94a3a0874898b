#include "execproxy.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conn.h"
#include "errors.h"
#include "out.h"
#include "secret.h"
#include "ua-version.h"

/* How long the proxy may take to say its port. */
#define READY_TIMEOUT_MS 10000
/* What shells exit with when a command cannot be found or run. */
#define EXIT_NOT_FOUND 127
#define EXIT_CANNOT_RUN 126

extern char **environ;

/* The command, for the handler that passes signals on to it: a signal
 * handler has nowhere else to find it. */
static volatile pid_t command_pid;

static int
make_key (char key[UA_EXECPROXY_KEY_LEN + 1])
{
  static const char hex[] = "0123456789abcdef";
  unsigned char raw[UA_EXECPROXY_KEY_LEN / 2];

  if (getrandom (raw, sizeof raw, 0) != (ssize_t) sizeof raw)
    return -1;
  for (size_t i = 0; i < sizeof raw; i++)
    {
      key[2 * i] = hex[raw[i] >> 4];
      key[2 * i + 1] = hex[raw[i] & 15];
    }
  key[UA_EXECPROXY_KEY_LEN] = '\0';
  ua_wipe (raw, sizeof raw);
  return 0;
}

/* The proxy runs in a process group of its own, so that ^C at the
 * terminal reaches the command (which may survive it) but not the proxy
 * it still needs. */
static int
spawn_proxy (UaExecProxy *proxy, int in_fd, int out_fd, char *const argv[])
{
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t attr;
  int rc;

  posix_spawn_file_actions_init (&fa);
  posix_spawnattr_init (&attr);
  posix_spawn_file_actions_adddup2 (&fa, in_fd, STDIN_FILENO);
  posix_spawn_file_actions_adddup2 (&fa, out_fd, STDOUT_FILENO);
  posix_spawnattr_setpgroup (&attr, 0);
  posix_spawnattr_setflags (&attr, POSIX_SPAWN_SETPGROUP);
  rc = posix_spawn (&proxy->pid, argv[0], &fa, &attr, argv, environ);
  posix_spawnattr_destroy (&attr);
  posix_spawn_file_actions_destroy (&fa);
  return rc;
}

/* Reads "port=N\n" from the proxy, waiting at most READY_TIMEOUT_MS. */
static int
read_port (int fd, unsigned *port)
{
  char line[32];
  size_t len = 0;
  struct pollfd pfd = { .fd = fd, .events = POLLIN };

  while (len < sizeof line - 1)
    {
      ssize_t n;
      int ready = poll (&pfd, 1, READY_TIMEOUT_MS);

      if (ready < 0 && errno == EINTR)
        continue;
      if (ready <= 0 || (n = read (fd, line + len, sizeof line - 1 - len)) <= 0)
        return -1;
      len += (size_t) n;
      line[len] = '\0';
      if (strchr (line, '\n') != NULL)
        return sscanf (line, "port=%u\n", port) == 1 && *port > 0 && *port < 65536 ? 0 : -1;
    }
  return -1;
}

static int
start_failed (UaExecProxy *proxy, const char *exe, const char *why)
{
  ua_out_error ("cannot start the proxy %s: %s", exe, why);
  if (proxy->pid > 0)
    {
      kill (proxy->pid, SIGTERM);
      waitpid (proxy->pid, NULL, 0);
    }
  if (proxy->lifeline >= 0)
    close (proxy->lifeline);
  return UA_EXIT_FAILURE;
}

/* Spawns the proxy, sends the key and learns the port. */
static int
launch (UaExecProxy *proxy, const char *profile, const char *upstream, long min_valid)
{
  char exe[4096], min_valid_s[24];
  char *argv[] = { exe, (char *) "--profile", (char *) profile, (char *) "--upstream",
                   (char *) upstream, (char *) "--min-valid", min_valid_s, NULL };
  int in[2], out[2], rc;
  unsigned port = 0;

  ua_conn_find_program ("uipauth-proxy", "UIPAUTH_PROXY", UA_LIBEXECDIR, exe, sizeof exe);
  snprintf (min_valid_s, sizeof min_valid_s, "%ld", min_valid < 0 ? 60 : min_valid);
  proxy->lifeline = -1;
  if (access (exe, X_OK) < 0)
    return start_failed (proxy, exe, "no such program; set UIPAUTH_PROXY to where uipauth-proxy is");
  if (pipe2 (in, O_CLOEXEC) < 0 || pipe2 (out, O_CLOEXEC) < 0)
    return start_failed (proxy, exe, strerror (errno));
  rc = spawn_proxy (proxy, in[0], out[1], argv);
  close (in[0]);
  close (out[1]);
  proxy->lifeline = in[1];
  if (rc != 0)
    {
      close (out[0]);
      return start_failed (proxy, exe, strerror (rc));
    }
  /* A proxy that died at once must be an error here, not our death. */
  signal (SIGPIPE, SIG_IGN);
  proxy->key[UA_EXECPROXY_KEY_LEN] = '\n';
  rc = ua_out_write (proxy->lifeline, proxy->key, UA_EXECPROXY_KEY_LEN + 1);
  proxy->key[UA_EXECPROXY_KEY_LEN] = '\0';
  if (rc < 0 || read_port (out[0], &port) < 0)
    {
      close (out[0]);
      return start_failed (proxy, exe, "it did not start (see its message above)");
    }
  close (out[0]);
  snprintf (proxy->uri, sizeof proxy->uri, "http://127.0.0.1:%u", port);
  return UA_EXIT_OK;
}

/* /{org}/{tenant}: base_url less the service url it starts with. */
static const char *
base_path (const char *url, const char *base_url)
{
  size_t n = strlen (url);

  while (n > 0 && url[n - 1] == '/')
    n--;
  if (base_url != NULL && strncmp (base_url, url, n) == 0)
    return base_url + n;
  return "";
}

int
ua_execproxy_start (UaExecProxy *proxy, const UaMsg *reply, long min_valid)
{
  const char *profile = ua_msg_get (reply, "profile");
  const char *url = ua_msg_get (reply, "url");
  int rc;

  *proxy = (UaExecProxy) { .pid = -1, .lifeline = -1 };
  if (profile == NULL || url == NULL || *url == '\0')
    {
      ua_out_error ("profile %s has no url, so --proxy has nowhere to send requests; "
                    "set one with `uipauth add %s --replace --url URL ...`",
                    profile ? profile : "?", profile ? profile : "PROFILE");
      return UA_EXIT_USAGE;
    }
  if (make_key (proxy->key) < 0)
    {
      ua_out_error ("cannot make a key for the proxy: %s", strerror (errno));
      return UA_EXIT_FAILURE;
    }
  rc = launch (proxy, profile, url, min_valid);
  if (rc == UA_EXIT_OK)
    snprintf (proxy->url, sizeof proxy->url, "%s%s", proxy->uri,
              base_path (url, ua_msg_get (reply, "base_url")));
  return rc;
}

static void
set_var (UaEnvVar *vars, int n_vars, const char *name, const char *value)
{
  for (int i = 0; i < n_vars; i++)
    if (strcmp (vars[i].name, name) == 0)
      vars[i].value = value;
}

void
ua_execproxy_env (const UaExecProxy *proxy, UaEnvVar *vars, int n_vars)
{
  set_var (vars, n_vars, "UIPATH_URL", proxy->url);
  set_var (vars, n_vars, "UIPATH_URI", proxy->uri);
  set_var (vars, n_vars, "UIPATH_ACCESS_TOKEN", proxy->key);
  set_var (vars, n_vars, "UIPATH_PAT", proxy->key);
}

static void
pass_on (int sig)
{
  if (command_pid > 0)
    kill (command_pid, sig);
}

/* While the command runs we are its parent, not its replacement: what
 * would have been sent to it is passed on, and the terminal's ^C and ^\
 * are its own to act on (it gets them from the terminal directly). */
static void
relay_signals (void)
{
  static const int relayed[] = { SIGTERM, SIGHUP, SIGUSR1, SIGUSR2 };
  struct sigaction pass = { .sa_handler = pass_on }, ignore = { .sa_handler = SIG_IGN };

  sigemptyset (&pass.sa_mask);
  for (size_t i = 0; i < sizeof relayed / sizeof relayed[0]; i++)
    sigaction (relayed[i], &pass, NULL);
  sigaction (SIGINT, &ignore, NULL);
  sigaction (SIGQUIT, &ignore, NULL);
}

static int
spawn_command (char **argv, pid_t *pid)
{
  posix_spawnattr_t attr;
  sigset_t dfl;
  int rc;

  sigemptyset (&dfl);
  sigaddset (&dfl, SIGINT);
  sigaddset (&dfl, SIGQUIT);
  sigaddset (&dfl, SIGPIPE);
  posix_spawnattr_init (&attr);
  posix_spawnattr_setsigdefault (&attr, &dfl);
  posix_spawnattr_setflags (&attr, POSIX_SPAWN_SETSIGDEF);
  rc = posix_spawnp (pid, argv[0], NULL, &attr, argv, environ);
  posix_spawnattr_destroy (&attr);
  return rc;
}

static int
wait_status (pid_t pid)
{
  int status = 0;

  while (waitpid (pid, &status, 0) < 0)
    if (errno != EINTR)
      return UA_EXIT_FAILURE;
  return WIFSIGNALED (status) ? 128 + WTERMSIG (status) : WEXITSTATUS (status);
}

static void
stop_proxy (UaExecProxy *proxy)
{
  close (proxy->lifeline);
  kill (proxy->pid, SIGTERM);
  wait_status (proxy->pid);
  ua_wipe (proxy->key, sizeof proxy->key);
}

int
ua_execproxy_run (UaExecProxy *proxy, char **argv)
{
  pid_t pid;
  int rc = spawn_command (argv, &pid), status;

  if (rc != 0)
    {
      stop_proxy (proxy);
      if (rc == ENOENT)
        ua_out_error ("%s: command not found", argv[0]);
      else
        ua_out_error ("cannot run %s: %s", argv[0], strerror (rc));
      return rc == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN;
    }
  command_pid = pid;
  relay_signals ();
  status = wait_status (pid);
  stop_proxy (proxy);
  return status;
}
