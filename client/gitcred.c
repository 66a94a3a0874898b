#include "gitcred.h"

#include <errno.h>
#include <stdio.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "secret.h"
#include "url.h"

/* Where git puts an answer's username when neither request nor reply has
 * one: hosts that take a bearer token ignore it, but git wants one. */
#define DEFAULT_USERNAME "uipauth"

void
ua_gitcred_clear (UaGitCred *cred)
{
  free (cred->protocol);
  free (cred->host);
  free (cred->path);
  free (cred->username);
  free (cred->state_profile);
  *cred = (UaGitCred) { 0 };
}

static void
replace (char **field, char *value)
{
  free (*field);
  *field = value;
}

static int
hexval (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* %XX-decodes @len bytes; NULL when out of memory or when the result holds
 * a byte that could split a line (git refuses those too). */
static char *
url_decode (const char *p, size_t len, bool *bad)
{
  char *out = malloc (len + 1), *o = out;

  if (out == NULL)
    return NULL;
  for (size_t i = 0; i < len; i++)
    {
      int hi, lo;
      if (p[i] == '%' && i + 2 < len && (hi = hexval (p[i + 1])) >= 0 &&
          (lo = hexval (p[i + 2])) >= 0)
        {
          *o++ = (char) (hi << 4 | lo);
          i += 2;
        }
      else
        *o++ = p[i];
    }
  *o = '\0';
  if (strlen (out) != (size_t) (o - out) || strpbrk (out, "\r\n") != NULL)
    {
      *bad = true;
      free (out);
      return NULL;
    }
  return out;
}

/* Splits proto://[user[:pass]@]host[/path] as git's credential_from_url()
 * does: a url= resets what came before it.  The password part is dropped. */
static int
parse_url (UaGitCred *cred, const char *url, char *err, size_t errlen)
{
  const char *scheme_end = strstr (url, "://");
  const char *start, *at, *colon, *host, *slash, *path;
  bool bad = false;

  if (scheme_end == NULL || scheme_end == url)
    {
      /* Not quoted back: it may hold user:password@. */
      snprintf (err, errlen, "git sent a url= without a scheme (such as https://)");
      return -1;
    }
  start = scheme_end + 3;
  slash = start + strcspn (start, "/?#");
  at = memchr (start, '@', (size_t) (slash - start));
  colon = at ? memchr (start, ':', (size_t) (at - start)) : NULL;
  host = at ? at + 1 : start;

  replace (&cred->protocol, strndup (url, (size_t) (scheme_end - url)));
  replace (&cred->username, at ? url_decode (start, (size_t) ((colon ? colon : at) - start), &bad) : NULL);
  replace (&cred->host, url_decode (host, (size_t) (slash - host), &bad));
  path = slash + strspn (slash, "/");
  replace (&cred->path, NULL);
  if (*path != '\0')
    {
      size_t plen = strlen (path);
      while (plen > 0 && path[plen - 1] == '/')
        plen--;
      cred->path = url_decode (path, plen, &bad);
    }
  if (bad)
    {
      snprintf (err, errlen, "git sent a url= whose decoded parts hold a line break or NUL");
      return -1;
    }
  return 0;
}

/* One WWW-Authenticate challenge the server sent git (git >= 2.41):
 * only its scheme matters to us, to know whether Bearer is welcome. */
static void
note_challenge (UaGitCred *cred, const char *value)
{
  size_t len = strcspn (value, " \t,");

  cred->wwwauth = true;
  if (len == 6 && strncasecmp (value, "Bearer", 6) == 0)
    cred->www_bearer = true;
}

static bool
is_our_state (const char *value)
{
  return strncmp (value, UA_GITCRED_STATE_PREFIX, strlen (UA_GITCRED_STATE_PREFIX)) == 0;
}

static void
note_capability (UaGitCred *cred, const char *value)
{
  if (strcmp (value, "authtype") == 0)
    cred->authtype = true;
  else if (strcmp (value, "state") == 0)
    cred->state = true;
}

/* Attributes git-credential(1) lists that we read; the others (password,
 * password_expiry_utc, oauth_refresh_token, authtype, credential,
 * ephemeral, continue, quit, other helpers' state[]) and any git may add
 * later are ignored: they change nothing about which token to hand out. */
static int
set_attr (UaGitCred *cred, const char *key, const char *value,
          char *err, size_t errlen)
{
  char **field = NULL;

  if (strcmp (key, "url") == 0)
    return parse_url (cred, value, err, errlen);
  if (strcmp (key, "capability[]") == 0)
    note_capability (cred, value);
  else if (strcmp (key, "wwwauth[]") == 0)
    note_challenge (cred, value);
  else if (strcmp (key, "state[]") == 0 && is_our_state (value))
    replace (&cred->state_profile, strdup (value + strlen (UA_GITCRED_STATE_PREFIX)));
  else if (strcmp (key, "protocol") == 0)
    field = &cred->protocol;
  else if (strcmp (key, "host") == 0)
    field = &cred->host;
  else if (strcmp (key, "path") == 0)
    field = &cred->path;
  else if (strcmp (key, "username") == 0)
    field = &cred->username;
  if (field != NULL)
    replace (field, strdup (value));
  return 0;
}

/* Checks one line and hands its key and value to set_attr().  The line is
 * copied so that the value can be NUL-terminated; the copy is wiped, since
 * the line may be password=... */
static int
parse_line (UaGitCred *cred, const char *line, size_t len,
            char *err, size_t errlen)
{
  const char *eq = memchr (line, '=', len);
  char *copy;
  int rc;

  if (memchr (line, '\0', len) != NULL || memchr (line, '\r', len) != NULL)
    {
      snprintf (err, errlen, "git sent an attribute %.*s with a %s in it; refusing the request",
                eq ? (int) (eq - line) : 0, line,
                memchr (line, '\0', len) ? "NUL byte" : "carriage return");
      return -1;
    }
  if (eq == NULL || eq == line)
    {
      snprintf (err, errlen, "git sent a line that is not key=value; refusing the request");
      return -1;
    }
  copy = strndup (line, len);
  if (copy == NULL)
    {
      snprintf (err, errlen, "out of memory");
      return -1;
    }
  copy[eq - line] = '\0';
  rc = set_attr (cred, copy, copy + (eq - line) + 1, err, errlen);
  ua_wipe_str (copy);
  return rc;
}

static bool
has_host (const UaGitCred *cred, char *err, size_t errlen)
{
  if (cred->host != NULL && cred->host[0] != '\0')
    return true;
  snprintf (err, errlen, "git sent a credential request without a host; "
            "uipauth answers only for URLs with a host");
  return false;
}

/* The agent matches profiles against "protocol://host/path": a protocol
 * or host holding a '/', '@', ':' or '%' could pass a path or another host
 * off as this one (host=cloud.uipath.com/org/x.evil.example), so such a
 * request gets nothing.  Neither is quoted back: it may hold anything. */
static bool
url_parts_valid (const UaGitCred *cred, char *err, size_t errlen)
{
  if (cred->protocol != NULL && *cred->protocol != '\0' &&
      !ua_url_scheme_valid (cred->protocol, strlen (cred->protocol)))
    snprintf (err, errlen, "git sent a protocol that is no URL scheme; "
              "uipauth answers nothing for it");
  else if (!ua_url_host_valid (cred->host, strlen (cred->host)))
    snprintf (err, errlen, "git sent a host with characters no host name has "
              "(such as '/', '@' or '%%'); uipauth answers nothing for it");
  else
    return true;
  return false;
}

int
ua_gitcred_parse (const char *buf, size_t len, UaGitCred *cred,
                  char *err, size_t errlen)
{
  const char *p = buf, *end = buf + len;

  *cred = (UaGitCred) { 0 };
  while (p < end)
    {
      const char *nl = memchr (p, '\n', (size_t) (end - p));
      const char *eol = nl ? nl : end;

      if (eol == p)
        break;
      if (parse_line (cred, p, (size_t) (eol - p), err, errlen) < 0)
        goto fail;
      p = nl ? nl + 1 : end;
    }
  if (has_host (cred, err, errlen) && url_parts_valid (cred, err, errlen))
    return 0;
fail:
  ua_gitcred_clear (cred);
  return -1;
}

/* True once @buf holds the blank line that ends a request. */
static bool
ended (const UaBuf *buf)
{
  return buf->len > 0 && (buf->data[0] == '\n' ||
                          memmem (buf->data, buf->len, "\n\n", 2) != NULL);
}

int
ua_gitcred_read (int fd, UaGitCred *cred, char *err, size_t errlen)
{
  UaBuf buf = UA_BUF_INIT;
  char chunk[4096];
  int rc = -1;

  *cred = (UaGitCred) { 0 };
  while (!ended (&buf) && !buf.oom)
    {
      ssize_t n = read (fd, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          snprintf (err, errlen, "cannot read the request from git: %s", strerror (errno));
          goto out;
        }
      if (n == 0)
        break;
      if (buf.len + (size_t) n > UA_GITCRED_INPUT_MAX)
        {
          snprintf (err, errlen, "git sent a request larger than %u bytes; refusing it",
                    UA_GITCRED_INPUT_MAX);
          goto out;
        }
      ua_buf_append (&buf, chunk, (size_t) n);
    }
  if (buf.oom)
    snprintf (err, errlen, "out of memory");
  else
    rc = ua_gitcred_parse (buf.data ? buf.data : "", buf.len, cred, err, errlen);
out:
  ua_wipe (chunk, sizeof chunk);
  ua_buf_clear (&buf);
  return rc;
}

char *
ua_gitcred_url (const UaGitCred *cred)
{
  const char *protocol = cred->protocol && *cred->protocol ? cred->protocol : "https";
  UaBuf buf = UA_BUF_INIT;

  ua_buf_printf (&buf, "%s://%s/%s", protocol, cred->host,
                 cred->path ? cred->path : "");
  if (buf.oom)
    {
      ua_buf_clear (&buf);
      return NULL;
    }
  return buf.data;
}

static void
attr (UaBuf *out, const char *key, const char *value)
{
  ua_buf_append_str (out, key);
  ua_buf_append_char (out, '=');
  ua_buf_append_str (out, value);
  ua_buf_append_char (out, '\n');
}

bool
ua_gitcred_wants_bearer (const UaGitCred *cred)
{
  return cred->authtype && (!cred->wwwauth || cred->www_bearer);
}

/* git splits what we write at LF, and some readers at CR too
 * (CVE-2024-52006): a value holding either could add an attribute of its
 * own, such as a url= or host= for another server. */
static bool
line_safe (const char *value)
{
  return value == NULL || strpbrk (value, "\r\n") == NULL;
}

/* git keeps a credential until password_expiry_utc, maybe for a whole
 * push: it must stop using the token while it still has the validity the
 * request asked for, not at the second the token dies.  Nothing is said
 * about a token without a known expiry (a PAT). */
static void
expiry (UaBuf *out, const UaMsg *reply, long min_valid)
{
  long long expires_at;

  if (ua_msg_get_int (reply, "expires_at", &expires_at) && min_valid >= 0 &&
      expires_at > min_valid)
    ua_buf_printf (out, "password_expiry_utc=%lld\n", expires_at - min_valid);
}

int
ua_gitcred_format_reply (const UaGitCred *cred, const UaMsg *reply,
                         long min_valid, UaBuf *out)
{
  const char *token = ua_msg_get (reply, "token");
  const char *profile = ua_msg_get (reply, "profile");
  const char *user = cred->username && *cred->username ? cred->username
                                                       : ua_msg_get (reply, "username");

  if (!line_safe (token) || !line_safe (profile) || !line_safe (user))
    return -1;
  if (ua_gitcred_wants_bearer (cred))
    {
      attr (out, "capability[]", "authtype");
      attr (out, "authtype", "Bearer");
      attr (out, "credential", token ? token : "");
      /* A token is worth keeping only as long as it lives: other helpers
       * must not store it. */
      attr (out, "ephemeral", "1");
    }
  else
    {
      attr (out, "username", user && *user ? user : DEFAULT_USERNAME);
      attr (out, "password", token ? token : "");
    }
  expiry (out, reply, min_valid);
  if (cred->state && profile != NULL && *profile != '\0')
    {
      /* Handed back on store and erase, so that erase forgets exactly the
       * profile that answered, and nothing for another helper's password. */
      attr (out, "capability[]", "state");
      ua_buf_append_str (out, "state[]=" UA_GITCRED_STATE_PREFIX);
      ua_buf_append_str (out, profile);
      ua_buf_append_char (out, '\n');
    }
  return 0;
}
