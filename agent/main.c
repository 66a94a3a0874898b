/* uipauth-agent: wiring only; see docs/architecture.md. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "agent.h"
#include "ephemeral.h"
#include "hardening.h"
#include "http.h"
#include "idle.h"
#include "store.h"
#include "logging.h"
#include "sockpath.h"
#include "ua-error.h"

/* Socket-activated agents exit after this long without a request, unless
 * --idle-timeout says otherwise; systemd starts them again on demand. */
#define IDLE_TIMEOUT_ACTIVATED_S 300
/* The first descriptor systemd passes (SD_LISTEN_FDS_START). */
#define LISTEN_FDS_START 3

typedef struct {
  gboolean foreground;
  gboolean debug;
  gboolean version;
  gboolean ephemeral;
  gint idle_timeout;   /* -1: the default for how we were started */
  char *socket_path;
} Options;

static gboolean
parse_options (int *argc, char ***argv, Options *opts, GError **error)
{
  const GOptionEntry entries[] = {
    { "foreground", 'f', 0, G_OPTION_ARG_NONE, &opts->foreground,
      "Stay in the foreground and log to standard error", NULL },
    { "socket", 's', 0, G_OPTION_ARG_FILENAME, &opts->socket_path,
      "Listen on PATH instead of the default socket", "PATH" },
    { "ephemeral", 'e', 0, G_OPTION_ARG_NONE, &opts->ephemeral,
      "Keep secrets and profiles in memory only, never in the keyring or a "
      "file; take a credential from UIPATH_PAT or UIPATH_CLIENT_ID and "
      "UIPATH_CLIENT_SECRET (profile \"env\")", NULL },
    { "idle-timeout", 'i', 0, G_OPTION_ARG_INT, &opts->idle_timeout,
      "Exit after SECONDS without a request (default: 300 when socket-activated, "
      "else 0, never)", "SECONDS" },
    { "debug", 'd', 0, G_OPTION_ARG_NONE, &opts->debug,
      "Log debug messages (never secrets)", NULL },
    { "version", 'V', 0, G_OPTION_ARG_NONE, &opts->version,
      "Print the version and exit", NULL },
    { NULL },
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- UiPath token agent");

  g_option_context_set_summary (ctx,
    "Keeps UiPath credentials in the keyring and serves bearer tokens to\n"
    "uipauth clients of the same user over a Unix socket.");
  g_option_context_set_description (ctx,
    "The socket is $UIPAUTH_SOCK, else $XDG_RUNTIME_DIR/uipauth/agent.sock,\n"
    "else /tmp/uipauth-$UID/agent.sock. Profiles are read from\n"
    "$XDG_CONFIG_HOME/uipauth/profiles.ini. See uipauth-agent(1).");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, argc, argv, error))
    return FALSE;
  if (*argc > 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   "unexpected argument \"%s\"", (*argv)[1]);
      return FALSE;
    }
  if (opts->idle_timeout < -1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--idle-timeout takes a number of seconds, 0 for never");
      return FALSE;
    }
  return TRUE;
}

/* Whether @fd is what a socket unit with ListenStream=PATH passes: a
 * listening Unix stream socket. */
static gboolean
listening_unix_stream (int fd)
{
  struct stat st;
  int type = 0, domain = 0, listening = 0;
  socklen_t len = sizeof type;

  if (fstat (fd, &st) < 0 || !S_ISSOCK (st.st_mode) ||
      getsockopt (fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0)
    return FALSE;
  len = sizeof domain;
  if (getsockopt (fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0)
    return FALSE;
  len = sizeof listening;
  if (getsockopt (fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) < 0)
    return FALSE;
  return type == SOCK_STREAM && domain == AF_UNIX && listening;
}

/* The path a passed socket is bound to, or "" for an unnamed one. */
static void
bound_path (int fd, char path[UA_SOCKPATH_MAX])
{
  struct sockaddr_un addr = { 0 };
  socklen_t len = sizeof addr;

  path[0] = '\0';
  if (getsockname (fd, (struct sockaddr *) &addr, &len) == 0 &&
      len > offsetof (struct sockaddr_un, sun_path) && addr.sun_path[0] != '\0')
    g_strlcpy (path, addr.sun_path, UA_SOCKPATH_MAX);
}

/* Of two passed sockets, the restricted one is bound beside the other
 * (ua_sockpath_restricted()): neither the unit's order nor its names are
 * relied on. */
static gboolean
sort_pair (int fds[UA_SOCKET_LAST_], GError **error)
{
  char a[UA_SOCKPATH_MAX], b[UA_SOCKPATH_MAX], beside[UA_SOCKPATH_MAX];

  bound_path (LISTEN_FDS_START, a);
  bound_path (LISTEN_FDS_START + 1, b);
  for (int i = 0; i < 2; i++)
    {
      const char *main_path = i == 0 ? a : b, *other = i == 0 ? b : a;
      if (ua_sockpath_restricted (main_path, beside, sizeof beside) == 0 &&
          g_str_equal (beside, other))
        {
          fds[UA_SOCKET_MAIN] = LISTEN_FDS_START + i;
          fds[UA_SOCKET_RESTRICTED] = LISTEN_FDS_START + 1 - i;
          return TRUE;
        }
    }
  g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
               "socket activation passed two sockets (%s, %s), but neither is "
               "the restricted socket beside the other (NAME.restricted.sock "
               "beside NAME.sock); check ListenStream= in uipauth-agent.socket",
               *a ? a : "unnamed", *b ? b : "unnamed");
  return FALSE;
}

/* systemd socket activation (sd_listen_fds(3)): descriptors from 3 when
 * LISTEN_PID is us: the agent's socket, and with a second ListenStream=
 * the restricted one.  @fds stay -1 when we were not activated; FALSE with
 * @error when the hand-over is wrong.  The variables are removed either
 * way: they were meant for us alone. */
static gboolean
activated_fds (int fds[UA_SOCKET_LAST_], GError **error)
{
  g_autofree char *pid = g_strdup (g_getenv ("LISTEN_PID"));
  g_autofree char *n_fds = g_strdup (g_getenv ("LISTEN_FDS"));
  guint64 n = 0, p = 0;

  g_unsetenv ("LISTEN_PID");
  g_unsetenv ("LISTEN_FDS");
  g_unsetenv ("LISTEN_FDNAMES");
  fds[UA_SOCKET_MAIN] = fds[UA_SOCKET_RESTRICTED] = -1;
  /* Inherited from an activated parent, not meant for this process. */
  if (pid == NULL || n_fds == NULL ||
      !g_ascii_string_to_unsigned (pid, 10, 1, G_MAXINT, &p, NULL) ||
      (pid_t) p != getpid ())
    return TRUE;
  if (!g_ascii_string_to_unsigned (n_fds, 10, 0, G_MAXINT, &n, NULL) || n < 1 || n > 2)
    {
      g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                   "socket activation passed LISTEN_FDS=%s; the socket unit "
                   "must have one ListenStream= for the agent's socket, and "
                   "may have a second for its restricted socket", n_fds);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    if (!listening_unix_stream (LISTEN_FDS_START + (int) i))
      {
        g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                     "socket activation passed a descriptor that is not a "
                     "listening Unix stream socket; check ListenStream= in "
                     "uipauth-agent.socket");
        return FALSE;
      }
  if (n == 2)
    return sort_pair (fds, error);
  fds[UA_SOCKET_MAIN] = LISTEN_FDS_START;
  return TRUE;
}

static gboolean
adopt_sockets (UaServer *server, Options *opts, const int fds[UA_SOCKET_LAST_],
               GError **error)
{
  if (opts->socket_path != NULL)
    g_message ("socket-activated: ignoring --socket %s", opts->socket_path);
  g_clear_pointer (&opts->socket_path, g_free);
  if (fds[UA_SOCKET_RESTRICTED] < 0)
    g_message ("socket-activated without a restricted socket: nothing can be "
               "forwarded over ssh; add ListenStream=%%t/uipauth/agent.restricted.sock "
               "to uipauth-agent.socket");
  else if (!ua_server_adopt (server, fds[UA_SOCKET_RESTRICTED], UA_SOCKET_RESTRICTED, error))
    return FALSE;
  return ua_server_adopt (server, fds[UA_SOCKET_MAIN], UA_SOCKET_MAIN, error);
}

static gboolean
open_socket (UaServer *server, Options *opts, const int fds[UA_SOCKET_LAST_],
             GError **error)
{
  char path[UA_SOCKPATH_MAX], err[256];

  /* The socket unit bound them: binding here too would fight systemd. */
  if (fds[UA_SOCKET_MAIN] >= 0)
    return adopt_sockets (server, opts, fds, error);
  if (opts->socket_path == NULL)
    {
      if (ua_sockpath_default (path, sizeof path, err, sizeof err) < 0)
        {
          g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT, "%s", err);
          return FALSE;
        }
      opts->socket_path = g_strdup (path);
    }
  return ua_server_listen (server, opts->socket_path, error);
}

/* The first process returns only once the socket listens, so whoever
 * started us (often the client) can connect as soon as we exit. */
static gboolean
daemonize (GError **error)
{
  pid_t pid = fork ();
  int null;

  if (pid < 0)
    {
      g_set_error (error, UA_ERROR, UA_ERR_INTERNAL, "fork: %s", g_strerror (errno));
      return FALSE;
    }
  if (pid > 0)
    _exit (0);
  setsid ();
  if (chdir ("/") < 0)
    g_debug ("chdir /: %s", g_strerror (errno));
  null = open ("/dev/null", O_RDWR | O_CLOEXEC);
  if (null >= 0)
    {
      dup2 (null, STDIN_FILENO);
      dup2 (null, STDOUT_FILENO);
      dup2 (null, STDERR_FILENO);
      if (null > STDERR_FILENO)
        close (null);
    }
  return TRUE;
}

static gboolean
on_quit_signal (gpointer data)
{
  UaAgent *agent = data;

  g_message ("signal received, exiting");
  g_main_loop_quit (agent->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_reload_signal (gpointer data)
{
  UaAgent *agent = data;
  g_autoptr(GError) error = NULL;

  /* Profiles whose settings changed get new credentials. */
  if (!ua_profiles_load (agent->profiles, &error))
    g_warning ("reload: %s", error->message);
  else
    g_message ("profiles reloaded from %s", ua_profiles_path (agent->profiles));
  return G_SOURCE_CONTINUE;
}

static int
fail (const char *what, GError *error)
{
  fprintf (stderr, "uipauth-agent: %s%s\n", what, error ? error->message : "");
  return ua_error_code (error) == UA_ERR_EXISTS ? 0 : 1;
}

static void
keyring_checked (GObject *source, GAsyncResult *res, gpointer data)
{
  UaAgent *agent = data;
  g_autoptr(GError) error = NULL;
  const char *state;

  if (!ua_store_check_finish (agent->store, res, &state, &error))
    g_warning ("%s", error->message);
  else
    g_debug ("keyring: %s", state);
}

/* Said once at start, in the log (after the fork: GDBus has a thread);
 * requests that need the keyring say it again.  An agent whose every
 * secret is in a file never looks for a session bus. */
static void
check_keyring (UaAgent *agent)
{
  if (ua_store_in_memory (agent->store))
    return;
  if (!ua_profiles_use_store (agent->profiles))
    {
      g_message ("every profile reads its secret from a file: the keyring "
                 "(and D-Bus) is not needed");
      return;
    }
  ua_store_check_async (agent->store, NULL, keyring_checked, agent);
}

/* Profiles from profiles.ini and secrets from the keyring, or both in
 * memory only. */
static gboolean
open_stores (UaAgent *agent, const Options *opts, GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(UaStore) store = NULL;
  UaProfiles *profiles;

  if (opts->ephemeral)
    {
      store = ua_store_memory_new ();
      if ((profiles = ua_ephemeral_setup (store, error)) == NULL)
        return FALSE;
    }
  else
    {
      store = ua_store_keyring_new ();
      profiles = ua_profiles_new (NULL);
      if (!ua_profiles_load (profiles, &local))
        g_warning ("%s; starting with no profiles", local->message);
    }
  ua_agent_init (agent, profiles, g_steal_pointer (&store));
  return TRUE;
}

static guint
idle_timeout (const Options *opts, gboolean activated)
{
  if (opts->idle_timeout >= 0)
    {
      if (opts->idle_timeout > 0 && opts->ephemeral)
        g_warning ("--ephemeral with --idle-timeout: the secrets are lost "
                   "when the agent exits idle");
      return (guint) opts->idle_timeout;
    }
  /* An ephemeral agent's secrets die with it: never exit on our own. */
  return activated && !opts->ephemeral ? IDLE_TIMEOUT_ACTIVATED_S : 0;
}

static void
run (UaAgent *agent, guint idle_s)
{
  agent->loop = g_main_loop_new (NULL, FALSE);
  agent->started = g_get_monotonic_time ();
  g_unix_signal_add (SIGTERM, on_quit_signal, agent);
  g_unix_signal_add (SIGINT, on_quit_signal, agent);
  g_unix_signal_add (SIGHUP, on_reload_signal, agent);
  ua_server_start (agent->server);
  ua_idle_start (agent, idle_s);
  check_keyring (agent);
  g_main_loop_run (agent->loop);
  ua_idle_stop (agent);
}

static void
log_serving (UaAgent *agent, const Options *opts)
{
  const char *restricted = ua_server_path (agent->server, UA_SOCKET_RESTRICTED);

  g_message ("uipauth-agent %s serving %s%s%s%s", UA_VERSION,
             opts->socket_path ? opts->socket_path : "a socket from systemd",
             restricted ? ", restricted socket " : "", restricted ? restricted : "",
             opts->ephemeral ? ", secrets in memory only" : "");
}

/* The same, once the stores or the server exist: an agent that loses the
 * autostart race exits this way often, so it frees what it made. */
static int
fail_started (UaAgent *agent, Options *opts, GError *error)
{
  int status = fail ("", error);

  g_clear_pointer (&agent->server, ua_server_free);
  ua_agent_clear (agent);
  g_clear_pointer (&opts->socket_path, g_free);
  return status;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  Options opts = { .idle_timeout = -1 };
  UaAgent agent = { 0 };
  int fds[UA_SOCKET_LAST_];
  gboolean activated;

  if (!ua_hardening_apply (&error))
    return fail ("", error);
  if (!parse_options (&argc, &argv, &opts, &error))
    {
      fprintf (stderr, "uipauth-agent: %s (see --help)\n", error->message);
      return 2;
    }
  if (opts.version)
    {
      printf ("uipauth-agent %s\n", UA_VERSION);
      return 0;
    }
  ua_logging_setup (opts.foreground, opts.debug);
  if (!activated_fds (fds, &error))
    return fail_started (&agent, &opts, error);
  activated = fds[UA_SOCKET_MAIN] >= 0;
  if (!open_stores (&agent, &opts, &error))
    return fail_started (&agent, &opts, error);
  agent.server = ua_server_new (ua_dispatch, &agent);
  if (!open_socket (agent.server, &opts, fds, &error))
    return fail_started (&agent, &opts, error);
  /* Under systemd the service manager is our parent: no fork. */
  if (!opts.foreground && !activated && !daemonize (&error))
    return fail_started (&agent, &opts, error);
  if (!ua_http_global_init (&error))
    return fail_started (&agent, &opts, error);
  log_serving (&agent, &opts);

  run (&agent, idle_timeout (&opts, activated));

  /* Tokens and secrets are wiped as their owners are freed. */
  ua_server_free (agent.server);
  ua_agent_clear (&agent);
  g_main_loop_unref (agent.loop);
  ua_http_global_cleanup ();
  g_free (opts.socket_path);
  return 0;
}
