/* uipauth-agent: wiring only; see docs/architecture.md. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "agent.h"
#include "hardening.h"
#include "http.h"
#include "logging.h"
#include "sockpath.h"
#include "ua-error.h"

typedef struct {
  gboolean foreground;
  gboolean debug;
  gboolean version;
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
  return g_option_context_parse (ctx, argc, argv, error);
}

/* systemd socket activation: LISTEN_PID is us and fd 3 is the socket. */
static int
activated_fd (void)
{
  const char *pid = g_getenv ("LISTEN_PID");
  const char *fds = g_getenv ("LISTEN_FDS");

  if (pid == NULL || fds == NULL || atoi (pid) != getpid () || atoi (fds) < 1)
    return -1;
  g_unsetenv ("LISTEN_PID");
  g_unsetenv ("LISTEN_FDS");
  g_unsetenv ("LISTEN_FDNAMES");
  return 3;
}

static gboolean
open_socket (UaServer *server, Options *opts, GError **error)
{
  char path[UA_SOCKPATH_MAX], err[256];
  int fd = activated_fd ();

  if (fd >= 0)
    return ua_server_adopt (server, fd, error);
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

  if (!ua_profiles_load (agent->profiles, &error))
    g_warning ("reload: %s", error->message);
  else
    g_message ("profiles reloaded from %s", ua_profiles_path (agent->profiles));
  ua_cache_clear (agent->cache);
  return G_SOURCE_CONTINUE;
}

static int
fail (const char *what, GError *error)
{
  fprintf (stderr, "uipauth-agent: %s%s\n", what, error ? error->message : "");
  return ua_error_code (error) == UA_ERR_EXISTS ? 0 : 1;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  Options opts = { 0 };
  UaAgent agent = { 0 };
  int status = 0;

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

  agent.profiles = ua_profiles_new (NULL);
  if (!ua_profiles_load (agent.profiles, &error))
    g_warning ("%s; starting with no profiles", error->message), g_clear_error (&error);
  agent.server = ua_server_new (ua_dispatch, &agent);
  /* Losing an autostart race to another agent is success, and silent:
   * the socket the caller wanted is being served. */
  if (!open_socket (agent.server, &opts, &error))
    return ua_error_code (error) == UA_ERR_EXISTS && !opts.foreground ? 0 : fail ("", error);
  if (!opts.foreground && !daemonize (&error))
    return fail ("", error);
  if (!ua_http_global_init (&error))
    return fail ("", error);

  agent.cache = ua_cache_new ();
  agent.loop = g_main_loop_new (NULL, FALSE);
  agent.started = g_get_monotonic_time ();
  g_unix_signal_add (SIGTERM, on_quit_signal, &agent);
  g_unix_signal_add (SIGINT, on_quit_signal, &agent);
  g_unix_signal_add (SIGHUP, on_reload_signal, &agent);
  ua_server_start (agent.server);
  g_message ("uipauth-agent %s serving %s", UA_VERSION,
             opts.socket_path ? opts.socket_path : "an inherited socket");

  g_main_loop_run (agent.loop);

  /* Tokens and secrets are wiped as their owners are freed. */
  ua_server_free (agent.server);
  ua_cache_free (agent.cache);
  ua_profiles_free (agent.profiles);
  g_main_loop_unref (agent.loop);
  ua_http_global_cleanup ();
  g_free (opts.socket_path);
  return status;
}
