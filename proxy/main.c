/* uipauth-proxy: the loopback reverse proxy of `uipauth exec --proxy`.
 * Wiring only: options, the key, the session and server, the lifeline. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "hardening.h"
#include "key.h"
#include "proxy.h"
#include "url-policy.h"

/* An upstream that accepts the connection and then says nothing costs a
 * request this long at most; a slow body download is not cut short,
 * only a silence. */
#define UPSTREAM_IDLE_TIMEOUT_S 60
#define UPSTREAM_CONNS_MAX 64

typedef struct {
  char *profile;
  char *upstream;
  gint min_valid;
} Options;

static void
options_clear (Options *options)
{
  g_free (options->profile);
  g_free (options->upstream);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static gboolean
options_parse (Options *options, int *argc, char ***argv, GError **error)
{
  const GOptionEntry entries[] = {
    { "profile", 0, 0, G_OPTION_ARG_STRING, &options->profile, "Whose tokens to add", "NAME" },
    { "upstream", 0, 0, G_OPTION_ARG_STRING, &options->upstream, "The profile's url", "URL" },
    { "min-valid", 0, 0, G_OPTION_ARG_INT, &options->min_valid, "Seconds a token must stay valid (default 60)", "S" },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new ("- the token-adding proxy of `uipauth exec --proxy`");

  options->min_valid = 60;
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Reads a key line on standard input and prints port=N on standard output;\n"
    "exits when standard input closes. Started by uipauth exec --proxy.");
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;
  if (options->profile == NULL || options->upstream == NULL || options->min_valid < 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--profile and --upstream are required, --min-valid is >= 0");
      return FALSE;
    }
  return TRUE;
}

/* Plain http goes to loopback only, and "localhost" is not left to
 * whoever answers DNS or edits /etc/hosts (as in the agent's http.c): it
 * is 127.0.0.1 here.  Any other host is an address literal or goes over
 * https, whose certificate names it. */
static GUri *
pin_loopback (GUri *uri)
{
  const char *host = g_uri_get_host (uri);

  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0
      || (g_ascii_strcasecmp (host, "localhost") != 0
          && g_ascii_strcasecmp (host, "localhost.") != 0))
    return uri;
  {
    GUri *pinned = g_uri_build (G_URI_FLAGS_ENCODED, "http", NULL, "127.0.0.1",
                                g_uri_get_port (uri), g_uri_get_path (uri), NULL, NULL);

    g_uri_unref (uri);
    return pinned;
  }
}

static gboolean
proxy_set_upstream (UaProxy *proxy, const char *url, GError **error)
{
  g_autofree char *trimmed = g_strdup (url);
  size_t n = strlen (trimmed);

  while (n > 0 && trimmed[n - 1] == '/')
    trimmed[--n] = '\0';
  if (!ua_url_policy_allowed (trimmed, error))
    return FALSE;
  proxy->upstream = g_uri_parse (trimmed, G_URI_FLAGS_ENCODED, error);
  if (proxy->upstream == NULL)
    return FALSE;
  if (g_uri_get_query (proxy->upstream) != NULL || g_uri_get_fragment (proxy->upstream) != NULL)
    return ua_url_policy_refuse (trimmed, "a service URL has no query or fragment", error);
  proxy->upstream = pin_loopback (proxy->upstream);
  proxy->upstream_base = g_steal_pointer (&trimmed);
  return TRUE;
}

static void
proxy_make_session (UaProxy *proxy)
{
  proxy->session = soup_session_new_with_options ("max-conns", UPSTREAM_CONNS_MAX,
                                                  "max-conns-per-host", UPSTREAM_CONNS_MAX,
                                                  "timeout", UPSTREAM_IDLE_TIMEOUT_S,
                                                  NULL);
  /* Bytes pass through as the upstream sent them, and a 401 goes back to
   * the child as it came: no decoding, no authentication of our own. */
  soup_session_remove_feature_by_type (proxy->session, SOUP_TYPE_CONTENT_DECODER);
  soup_session_remove_feature_by_type (proxy->session, SOUP_TYPE_AUTH_MANAGER);
  /* A loopback upstream is never reached through a proxy (as in http.c). */
  if (ua_url_policy_host_is_loopback (g_uri_get_host (proxy->upstream)))
    soup_session_set_proxy_resolver (proxy->session, NULL);
}

static gboolean
proxy_listen (UaProxy *proxy, guint16 *port, GError **error)
{
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  GSList *listeners;

  proxy->server = soup_server_new ("server-header", NULL, NULL);
  ua_proxy_forward_install (proxy);
  if (!soup_server_listen (proxy->server, addr, 0, error))
    return FALSE;
  /* Not soup_server_get_uris(), which leaks an address in libsoup 3.2. */
  listeners = soup_server_get_listeners (proxy->server);
  if (listeners != NULL)
    bound = g_socket_get_local_address (listeners->data, error);
  g_slist_free (listeners);
  if (bound == NULL)
    return FALSE;
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  proxy->own_base = g_strdup_printf ("http://127.0.0.1:%u", *port);
  return *port != 0;
}

static void
proxy_clear (UaProxy *proxy)
{
  if (proxy->server != NULL)
    soup_server_disconnect (proxy->server);
  g_clear_object (&proxy->server);
  g_clear_object (&proxy->session);
  g_clear_pointer (&proxy->upstream, g_uri_unref);
  g_free (proxy->upstream_base);
  g_free (proxy->own_base);
  ua_secret_free (proxy->key);
  ua_proxy_tokens_free (proxy->tokens);
}

/* The port goes to the client; then stdout is done with. */
static void
announce (guint16 port)
{
  int null = open ("/dev/null", O_WRONLY | O_CLOEXEC);

  printf ("port=%u\n", port);
  fflush (stdout);
  if (null >= 0)
    {
      dup2 (null, STDOUT_FILENO);
      close (null);
    }
}

/* Standard input is the client's pipe: it closes when the client ends
 * (its command done, or itself killed), and so do we. */
static gboolean
on_lifeline (gint fd, GIOCondition condition, gpointer loop)
{
  char buf[64];
  ssize_t n = read (fd, buf, sizeof buf);

  if (n > 0 || (n < 0 && errno == EINTR))
    return G_SOURCE_CONTINUE;
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static gboolean
on_quit_signal (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

static int
fail (const GError *error)
{
  g_printerr ("uipauth-proxy: %s\n", error->message);
  return 1;
}

int
main (int argc, char **argv)
{
  g_auto(Options) options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  UaProxy proxy = { 0 };
  guint16 port = 0;
  int rc = 0;

  if (!ua_hardening_apply (&error) || !options_parse (&options, &argc, &argv, &error))
    return fail (error);
  /* It runs nothing, so nothing it runs may gain privileges. */
  prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  if ((proxy.key = ua_proxy_key_read (STDIN_FILENO, &error)) == NULL
      || !proxy_set_upstream (&proxy, options.upstream, &error))
    rc = fail (error);
  else
    {
      proxy.tokens = ua_proxy_tokens_new (options.profile, options.min_valid);
      proxy_make_session (&proxy);
      if (!proxy_listen (&proxy, &port, &error))
        rc = fail (error);
    }
  if (rc == 0)
    {
      g_unix_signal_add (SIGTERM, on_quit_signal, loop);
      g_unix_signal_add (SIGHUP, on_quit_signal, loop);
      g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, on_lifeline, loop);
      announce (port);
      g_main_loop_run (loop);
    }
  proxy_clear (&proxy);
  return rc;
}
