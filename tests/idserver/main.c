/* main.c: uipauth-test-idserver, a local stand-in for UiPath's identity
 * server that the tests drive.  Wiring only: options, state, listening,
 * signals. */
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>

#include "clients.h"
#include "git.h"
#include "listen.h"
#include "routes.h"
#include "server.h"
#include "signin.h"

typedef struct {
  gint port;
  char *port_file;
  gint lifetime;
  char **clients;
  char **pats;
  char *git_root;
  char *sign_in;
} Options;

static void
options_clear (Options *options)
{
  g_free (options->port_file);
  g_strfreev (options->clients);
  g_strfreev (options->pats);
  g_free (options->git_root);
  g_free (options->sign_in);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static gboolean
options_parse (Options  *options,
               int      *argc,
               char   ***argv,
               GError  **error)
{
  const GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &options->port, "Port on 127.0.0.1 (0: any free one)", "N" },
    { "port-file", 0, 0, G_OPTION_ARG_FILENAME, &options->port_file, "Write the port here once listening", "PATH" },
    { "lifetime", 0, 0, G_OPTION_ARG_INT, &options->lifetime, "expires_in of new tokens (default 3600)", "SECONDS" },
    { "client", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->clients, "Register a client; scopes comma separated", "ID:SECRET:SCOPES" },
    { "pat", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->pats, "Accept this personal access token at /api/check", "TOKEN" },
    { "sign-in", 0, 0, G_OPTION_ARG_STRING, &options->sign_in, "Authorize through a sign-in form for this user, then a consent page", "USER:PASSWORD" },
    { "git-root", 0, 0, G_OPTION_ARG_FILENAME, &options->git_root, "Serve the git repositories below DIR at /git/, behind tokens", "DIR" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- test identity server for uipauth");

  options->lifetime = 3600;
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;
  if (options->port < 0 || options->port > G_MAXUINT16 || options->lifetime < 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--port must be in [0, 65535] and --lifetime at least 1");
      return FALSE;
    }
  return TRUE;
}

static gboolean
configure (IdServer       *srv,
           const Options  *options,
           GError        **error)
{
  for (char **spec = options->clients; spec != NULL && *spec != NULL; spec++)
    if (!id_clients_put_spec (srv->clients, *spec, error))
      return FALSE;
  for (char **pat = options->pats; pat != NULL && *pat != NULL; pat++)
    g_hash_table_add (srv->pats, g_strdup (*pat));
  if (options->sign_in != NULL
      && (srv->sign_in = id_sign_in_new (options->sign_in, error)) == NULL)
    return FALSE;
  return TRUE;
}

/* Hundreds of concurrent connections need more descriptors than the
 * usual soft limit of 1024; take what the hard limit allows. */
static void
raise_fd_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

/* Readiness: the port file appears (atomically) and the port is
 * printed only once the socket accepts connections. */
static gboolean
announce_port (const Options  *options,
               guint16         port,
               GError        **error)
{
  if (options->port_file != NULL && !id_write_port_file (options->port_file, port, error))
    return FALSE;
  printf ("port=%u\n", port);
  fflush (stdout);
  return TRUE;
}

static int
fail (const GError *error,
      int           status)
{
  g_printerr ("uipauth-test-idserver: %s\n", error->message);
  return status;
}

static gboolean
on_quit_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

int
main (int    argc,
      char **argv)
{
  g_auto(Options) options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(IdServer) srv = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  guint16 port = 0;

  if (!options_parse (&options, &argc, &argv, &error))
    return fail (error, 2);

  /* The harness may close our stdout after reading the port; a late
   * write to it must not kill the server. */
  signal (SIGPIPE, SIG_IGN);
  raise_fd_limit ();
  srv = id_server_new (options.lifetime);
  if (!configure (srv, &options, &error))
    return fail (error, 2);

  /* Before announcing: a harness that stops us right after reading the
   * port must still see a clean exit. */
  g_unix_signal_add (SIGTERM, on_quit_signal, loop);
  g_unix_signal_add (SIGINT, on_quit_signal, loop);

  id_routes_install (srv);
  if (options.git_root != NULL)
    id_git_install (srv, options.git_root);
  if (!id_listen_loopback (srv->soup, options.port, &port, &error)
      || !announce_port (&options, port, &error))
    return fail (error, 1);

  g_main_loop_run (loop);
  return 0;
}
