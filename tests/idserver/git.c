/* git.c: a git server for the tests of git-credential-uipauth.
 *
 * git's "dumb" HTTP protocol needs no server-side git at all: a bare
 * repository on which `git update-server-info` ran is fetched file by
 * file.  Every file demands a token this server issued (or a --pat), as a
 * bearer token or as the password of HTTP Basic: git before 2.46 can only
 * send username and password, and UiPath's git endpoints take a token
 * there too.  A request without one gets 401 with both challenges.
 *
 * It is its own libsoup handler for the /git prefix rather than a row of
 * the route table, because it serves a whole tree of paths.
 */
#include "git.h"

#include <string.h>

#define GIT_PREFIX "/git/"
#define REALM "uipauth-test-git"

typedef struct {
  IdServer *srv;
  char *root;
  GHashTable *revoked;   /* tokens refused here from now on */
  guint64 ok, denied, basic, bearer;
} IdGit;

static void
git_free (gpointer data)
{
  IdGit *git = data;

  g_free (git->root);
  g_hash_table_unref (git->revoked);
  g_free (git);
}

/* The token of "Bearer T", or the password of "Basic base64(user:T)". */
static char *
request_token (IdGit *git, SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *value = soup_message_headers_get_one (headers, "Authorization");
  g_autofree guchar *decoded = NULL;
  gsize len = 0;
  const char *colon;

  if (value == NULL)
    return NULL;
  if (g_ascii_strncasecmp (value, "Bearer ", 7) == 0)
    {
      git->bearer++;
      return g_strstrip (g_strdup (value + 7));
    }
  if (g_ascii_strncasecmp (value, "Basic ", 6) != 0)
    return NULL;
  git->basic++;
  decoded = g_base64_decode (value + 6, &len);
  colon = decoded ? memchr (decoded, ':', len) : NULL;
  if (colon == NULL)
    return NULL;
  return g_strndup (colon + 1, len - (gsize) (colon + 1 - (const char *) decoded));
}

static gboolean
token_good (IdGit *git, const char *token)
{
  if (token == NULL || *token == '\0' || g_hash_table_contains (git->revoked, token))
    return FALSE;
  return g_hash_table_contains (git->srv->pats, token) ||
         id_tokens_check (git->srv->tokens, token) == ID_TOKEN_VALID;
}

static void
reply_status (SoupServerMessage *msg, guint status)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "", 0);
}

static void
reply_unauthorized (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_append (headers, "WWW-Authenticate", "Basic realm=\"" REALM "\"");
  soup_message_headers_append (headers, "WWW-Authenticate", "Bearer realm=\"" REALM "\"");
  reply_status (msg, SOUP_STATUS_UNAUTHORIZED);
}

/* The file below the root for @path, or NULL for anything that could
 * leave it. */
static char *
file_for (IdGit *git, const char *path)
{
  const char *rel = path + strlen (GIT_PREFIX);
  g_auto(GStrv) parts = g_strsplit (rel, "/", -1);

  if (*rel == '\0')
    return NULL;
  for (guint i = 0; parts[i] != NULL; i++)
    if (g_str_equal (parts[i], "..") || g_str_equal (parts[i], "."))
      return NULL;
  return g_build_filename (git->root, rel, NULL);
}

static void
serve_file (IdGit *git, SoupServerMessage *msg, const char *path)
{
  g_autofree char *file = file_for (git, path);
  char *data = NULL;
  gsize len = 0;

  if (file == NULL || !g_file_test (file, G_FILE_TEST_IS_REGULAR) ||
      !g_file_get_contents (file, &data, &len, NULL))
    {
      reply_status (msg, SOUP_STATUS_NOT_FOUND);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  /* Not application/x-git-upload-pack-advertisement: git falls back to
   * the dumb protocol. */
  soup_server_message_set_response (msg, g_str_has_suffix (file, "/info/refs")
                                         ? "text/plain" : "application/octet-stream",
                                    SOUP_MEMORY_TAKE, data, len);
}

static void
revoke_token (IdGit *git, SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  g_hash_table_add (git->revoked, g_strstrip (g_strndup (data, len)));
  reply_status (msg, SOUP_STATUS_NO_CONTENT);
}

static void
reply_stats (IdGit *git, SoupServerMessage *msg)
{
  g_autofree char *json = g_strdup_printf (
    "{\"ok\":%" G_GUINT64_FORMAT ",\"denied\":%" G_GUINT64_FORMAT
    ",\"basic\":%" G_GUINT64_FORMAT ",\"bearer\":%" G_GUINT64_FORMAT "}",
    git->ok, git->denied, git->basic, git->bearer);
  gsize len = strlen (json);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&json), len);
}

static void
on_git (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  IdGit *git = user_data;
  const char *method = soup_server_message_get_method (msg);
  gboolean get = g_str_equal (method, "GET") || g_str_equal (method, "HEAD");
  g_autofree char *token = NULL;

  if (g_str_equal (path, GIT_PREFIX "_revoke") && g_str_equal (method, "POST"))
    revoke_token (git, msg);
  else if (g_str_equal (path, GIT_PREFIX "_stats") && get)
    reply_stats (git, msg);
  else if (!get)
    reply_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED);
  else if (!g_str_has_prefix (path, GIT_PREFIX))
    reply_status (msg, SOUP_STATUS_NOT_FOUND);
  else if (!token_good (git, token = request_token (git, msg)))
    {
      git->denied++;
      reply_unauthorized (msg);
    }
  else
    {
      git->ok++;
      serve_file (git, msg, path);
    }
  /* The path only: queries and headers may carry tokens. */
  g_printerr ("idserver: %s %s %u\n", method, path, soup_server_message_get_status (msg));
}

void
id_git_install (IdServer   *srv,
                const char *root)
{
  IdGit *git = g_new0 (IdGit, 1);

  git->srv = srv;
  git->root = g_strdup (root);
  git->revoked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  soup_server_add_handler (srv->soup, "/git", on_git, git, git_free);
}
