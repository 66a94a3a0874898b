/* import: moves a sign-in of `uipath auth` (UiPath's Python SDK) into
 * uipauth: an authorization-code profile for UiPath's own client, made
 * from the project's .env, with the refresh token of .uipath/.auth.json
 * in the keyring; with --delete, once a token was minted from it, the
 * token file goes and .env loses its token lines.  Every file is read
 * and checked before anything is sent or changed. */
#include "cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "out.h"
#include "readfile.h"
#include "request.h"
#include "sdkauth.h"

#define PATH_MAX_LEN 4096

typedef struct {
  const char *dir;
  char env_path[PATH_MAX_LEN];
  char auth_path[PATH_MAX_LEN];
  UaReadfile env_file;      /* kept to rewrite it */
  UaSdkauthEnv env;
  UaSecret *refresh_token;
  char scopes[UA_SDKAUTH_SCOPES_MAX];
} Import;

static void
import_clear (Import *im)
{
  ua_readfile_clear (&im->env_file);
  ua_secret_free (im->refresh_token);
  im->refresh_token = NULL;
}

static bool
read_file (const char *path, size_t cap, bool follow, UaReadfile *file)
{
  char err[PATH_MAX_LEN + 256];

  switch (ua_readfile (path, cap, false, follow, file, err, sizeof err))
    {
    case UA_READFILE_OK:
      return true;
    case UA_READFILE_MISSING:
      ua_out_error ("%s: no such file; is this where `uipath auth` ran? (give the "
                    "directory with --dir)", path);
      return false;
    default:
      ua_out_error ("%s", err);
      return false;
    }
}

/* Reads and checks both files; with --delete, links are refused: we are
 * to remove or rewrite these very files, not what they point at. */
static bool
read_all (const UaCli *cli, Import *im)
{
  char err[PATH_MAX_LEN + 512];
  UaReadfile auth = { NULL, 0, false };
  bool ok;

  im->dir = cli->dir ? cli->dir : ".";
  if (snprintf (im->env_path, sizeof im->env_path, "%s/.env", im->dir) >= PATH_MAX_LEN ||
      snprintf (im->auth_path, sizeof im->auth_path, "%s/.uipath/.auth.json", im->dir) >= PATH_MAX_LEN)
    {
      ua_out_error ("--dir %s: the path is too long", im->dir);
      return false;
    }
  if (!read_file (im->env_path, UA_SDKAUTH_ENV_MAX, !cli->delete_files, &im->env_file) ||
      !read_file (im->auth_path, UA_SDKAUTH_JSON_MAX, !cli->delete_files, &auth))
    return false;
  ok = ua_sdkauth_read_env (im->env_file.data, im->env_file.len, im->env_path,
                            &im->env, err, sizeof err) &&
       ua_sdkauth_read_token (auth.data, auth.len, im->auth_path, &im->refresh_token,
                              im->scopes, sizeof im->scopes, err, sizeof err);
  ua_readfile_clear (&auth);
  if (!ok)
    ua_out_error ("%s", err);
  return ok;
}

static void
say_found (const Import *im, UaBuf *out)
{
  ua_buf_printf (out, "Found in %s:\n  .env: UIPATH_URL=%s", im->dir, im->env.url);
  if (im->env.tenant_id[0])
    ua_buf_printf (out, ", UIPATH_TENANT_ID=%s", im->env.tenant_id);
  if (im->env.organization_id[0])
    ua_buf_printf (out, ", UIPATH_ORGANIZATION_ID=%s", im->env.organization_id);
  if (im->env.token_entries > 0)
    ua_buf_printf (out, ", and %u access token line%s", im->env.token_entries,
                   im->env.token_entries == 1 ? "" : "s");
  ua_buf_printf (out, "\n  .uipath/.auth.json: a refresh token (%zu bytes)\n",
                 ua_secret_len (im->refresh_token));
}

static UaMsg *
add_request (const UaCli *cli, const Import *im)
{
  UaMsg *req = ua_request_new ("add");
  const char *tid = im->env.tenant_id[0] ? im->env.tenant_id : NULL;
  const char *oid = im->env.organization_id[0] ? im->env.organization_id : NULL;
  bool ok = req && ua_request_add (req, "profile", cli->profile) &&
            ua_request_add (req, "type", "authorization-code") &&
            ua_request_add (req, "url", im->env.origin) &&
            ua_request_add (req, "organization", im->env.organization) &&
            ua_request_add (req, "tenant", im->env.tenant) &&
            ua_request_add (req, "client_id", UA_SDKAUTH_CLIENT_ID) &&
            ua_request_add (req, "redirect_uri", UA_SDKAUTH_REDIRECT_URI) &&
            ua_request_add (req, "scopes", im->scopes) &&
            ua_request_add (req, "tenant_id", tid) &&
            ua_request_add (req, "organization_id", oid) &&
            ua_msg_add_len (req, "secret", ua_secret_get (im->refresh_token),
                            ua_secret_len (im->refresh_token)) == UA_MSG_OK;

  if (!ok)
    {
      ua_msg_free (req);
      return NULL;
    }
  return req;
}

static int
add_profile (const UaCli *cli, const Import *im)
{
  UaMsg *req = add_request (cli, im), *reply = NULL;
  UaErrorCode code;
  int rc;

  if (req == NULL)
    return UA_EXIT_USAGE;
  rc = ua_request_call (req, UA_CONN_AUTOSTART, &reply, NULL);
  ua_msg_free (req);
  if (rc != UA_EXIT_OK)
    return rc;
  code = ua_reply_error (reply);
  if (code == UA_ERR_EXISTS)
    {
      ua_out_error ("a profile named %s exists already; import under another name, "
                    "or remove it first (uipauth remove %s)", cli->profile, cli->profile);
      rc = ua_error_exit_status (code);
    }
  else if (code != UA_ERR_NONE)
    rc = ua_reply_print_error (reply, code);
  ua_msg_free (reply);
  return rc;
}

/* A refresh token may be expired or revoked: the files are removed only
 * once one token was minted from it. */
static int
check_token (const UaCli *cli, const Import *im)
{
  UaMsg *reply = NULL;
  int rc = ua_cmd_fetch_token (cli, &reply);

  ua_msg_free (reply);
  if (rc != UA_EXIT_OK)
    ua_out_error ("profile %s was added, but no token could be minted from the "
                  "imported refresh token; %s was left as it was; sign in with: "
                  "uipauth login %s", cli->profile, im->dir, cli->profile);
  return rc;
}

static int
write_all (int fd, const char *data, size_t len)
{
  return len == 0 ? 0 : ua_out_write (fd, data, len);
}

/* Writes @data to a new file beside @path, with @path's mode, and renames
 * it over @path: readers see the old file or the new one, never a part. */
static bool
replace_file (const char *path, const char *dir, const char *data, size_t len)
{
  char tmp[PATH_MAX_LEN + 32];
  struct stat sb;
  bool ok;
  int fd, dfd, saved;

  snprintf (tmp, sizeof tmp, "%s.uipauth-XXXXXX", path);
  if (lstat (path, &sb) < 0 || (fd = mkstemp (tmp)) < 0)
    {
      ua_out_error ("cannot rewrite %s: %s; it was left as it was", path, strerror (errno));
      return false;
    }
  ok = fchmod (fd, sb.st_mode & 07777) == 0 && write_all (fd, data, len) == 0 &&
       fsync (fd) == 0;
  saved = errno;
  if (close (fd) < 0 && ok)
    ok = false, saved = errno;
  if (ok && rename (tmp, path) < 0)
    ok = false, saved = errno;
  if (!ok)
    {
      unlink (tmp);
      ua_out_error ("cannot rewrite %s: %s; it was left as it was", path, strerror (saved));
      return false;
    }
  if ((dfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0)
    {
      fsync (dfd);
      close (dfd);
    }
  return true;
}

static bool
strip_env (const Import *im, UaBuf *out)
{
  UaBuf text = UA_BUF_INIT;
  bool ok;

  ua_sdkauth_strip_env (im->env_file.data, im->env_file.len, &text);
  ok = !text.oom && replace_file (im->env_path, im->dir, text.data ? text.data : "", text.len);
  if (text.oom)
    ua_out_error ("out of memory");
  if (ok)
    ua_buf_printf (out, "Removed the access token line%s from .env; its other lines are "
                   "as they were.\n", im->env.token_entries == 1 ? "" : "s");
  ua_buf_clear (&text);
  return ok;
}

static int
delete_files (const Import *im, UaBuf *out)
{
  if (im->env.token_entries > 0 && !strip_env (im, out))
    return UA_EXIT_FAILURE;
  if (unlink (im->auth_path) < 0)
    {
      ua_out_error ("cannot remove %s: %s", im->auth_path, strerror (errno));
      return UA_EXIT_FAILURE;
    }
  ua_buf_printf (out, "Removed .uipath/.auth.json.\n");
  return UA_EXIT_OK;
}

static void
say_added (const UaCli *cli, UaBuf *out)
{
  ua_buf_printf (out, "Added profile %s (authorization-code, UiPath's own client %s, "
                 "redirect %s), its refresh token in the keyring.\n",
                 cli->profile, UA_SDKAUTH_CLIENT_ID, UA_SDKAUTH_REDIRECT_URI);
}

static void
say_files_left (const UaCli *cli, const Import *im, UaBuf *out)
{
  ua_buf_printf (out, "The files were left as they were: %s still holds the refresh "
                 "token in plaintext.  UiPath rotates refresh tokens and may revoke "
                 "every copy when an old one is used again, so once uipauth has used "
                 "it, remove that file and the UIPATH_ACCESS_TOKEN line of .env (or "
                 "import with --delete, which does both).\nTry: uipauth token %s\n",
                 im->auth_path, cli->profile);
}

static int
run (const UaCli *cli, Import *im, UaBuf *out)
{
  int rc;

  if (!read_all (cli, im))
    return UA_EXIT_USAGE;
  say_found (im, out);
  if ((rc = add_profile (cli, im)) != UA_EXIT_OK)
    return rc;
  say_added (cli, out);
  if (!cli->delete_files)
    {
      say_files_left (cli, im, out);
      return UA_EXIT_OK;
    }
  if ((rc = check_token (cli, im)) != UA_EXIT_OK)
    return rc;
  ua_buf_printf (out, "Checked: a token was minted from it.\n");
  return delete_files (im, out);
}

int
ua_cmd_import (const UaCli *cli)
{
  Import im = { 0 };
  UaBuf out = UA_BUF_INIT;
  int rc, wrc;

  ua_cmd_harden ();
  rc = run (cli, &im, &out);
  import_clear (&im);
  /* What was done is said even when a later step failed. */
  wrc = out.len > 0 ? ua_out_buf (STDOUT_FILENO, &out) : UA_EXIT_OK;
  ua_buf_clear (&out);
  return rc != UA_EXIT_OK ? rc : wrc;
}
