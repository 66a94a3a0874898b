#include "sdkauth.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dotenv.h"
#include "envvars.h"
#include "json.h"
#include "url.h"

/* The .env entries that hold a token, which import --delete removes. */
static const char *const token_keys[] = {
  "UIPATH_ACCESS_TOKEN", "UNATTENDED_USER_ACCESS_TOKEN",
};
#define N_TOKEN_KEYS (sizeof token_keys / sizeof *token_keys)

static bool fail (char *err, size_t errlen, const char *fmt, ...)
  __attribute__ ((format (printf, 3, 4)));

static bool
fail (char *err, size_t errlen, const char *fmt, ...)
{
  va_list ap;

  va_start (ap, fmt);
  vsnprintf (err, errlen, fmt, ap);
  va_end (ap);
  return false;
}

static bool
is_token_key (const UaDotenvEntry *e)
{
  for (size_t k = 0; k < N_TOKEN_KEYS; k++)
    if (ua_dotenv_key_is (e, token_keys[k]))
      return true;
  return false;
}

static size_t
line_of (const char *text, size_t pos)
{
  size_t line = 1;

  for (size_t i = 0; i < pos; i++)
    line += text[i] == '\n' || (text[i] == '\r' && (i + 1 == pos || text[i + 1] != '\n'));
  return line;
}

/* A value we keep: the last entry of @key wins, as when python-dotenv
 * loads the file; a key without '=' unsets it. */
static bool
take_value (const UaDotenvEntry *e, const char *key, char *out, size_t size,
            const char *name, char *err, size_t errlen)
{
  if (!ua_dotenv_key_is (e, key))
    return true;
  out[0] = '\0';
  if (e->value == NULL || ua_dotenv_value (e, out, size))
    return true;
  return fail (err, errlen, "%s: the value of %s is longer than uipauth takes, or "
               "holds a control character (a line break, a tab); fix that line or "
               "sign in again with `uipath auth`", name, key);
}

static bool
entry (UaSdkauthEnv *env, const UaDotenvEntry *e, const char *name, char *err, size_t errlen)
{
  env->token_entries += is_token_key (e);
  return take_value (e, "UIPATH_URL", env->url, sizeof env->url, name, err, errlen) &&
         take_value (e, "UIPATH_TENANT_ID", env->tenant_id, sizeof env->tenant_id,
                     name, err, errlen) &&
         take_value (e, "UIPATH_ORGANIZATION_ID", env->organization_id,
                     sizeof env->organization_id, name, err, errlen);
}

/* UIPATH_URL, shaped as the SDK needs, into origin, organization, tenant. */
static bool
split_url (UaSdkauthEnv *env, const char *name, char *err, size_t errlen)
{
  size_t olen;
  const char *org, *slash;
  char why[160];

  if (env->url[0] == '\0')
    return fail (err, errlen, "%s sets no UIPATH_URL: is this the directory where "
                 "`uipath auth` ran?", name);
  if (!ua_envvars_url_shape (env->url, why, sizeof why))
    return fail (err, errlen, "%s: UIPATH_URL is %s, but %s; uipauth imports "
                 "scheme://host[:port]/ORGANIZATION/TENANT", name, env->url, why);
  olen = ua_url_origin_len (env->url);
  org = env->url + olen + 1;
  slash = strchr (org, '/');
  snprintf (env->origin, sizeof env->origin, "%.*s", (int) olen, env->url);
  snprintf (env->organization, sizeof env->organization, "%.*s", (int) (slash - org), org);
  snprintf (env->tenant, sizeof env->tenant, "%s", slash + 1);
  return true;
}

static bool
check_ids (const UaSdkauthEnv *env, const char *name, char *err, size_t errlen)
{
  if (env->tenant_id[0] && !ua_cli_id_valid (env->tenant_id))
    return fail (err, errlen, "%s: UIPATH_TENANT_ID is not an id (a GUID)", name);
  if (env->organization_id[0] && !ua_cli_id_valid (env->organization_id))
    return fail (err, errlen, "%s: UIPATH_ORGANIZATION_ID is not an id (a GUID)", name);
  return true;
}

bool
ua_sdkauth_read_env (const char *text, size_t len, const char *name,
                     UaSdkauthEnv *env, char *err, size_t errlen)
{
  UaDotenvEntry e;
  UaDotenvStatus st;
  size_t pos = 0;

  memset (env, 0, sizeof *env);
  if (memchr (text, '\0', len) != NULL)
    return fail (err, errlen, "%s holds a NUL byte: it is not a text file", name);
  while ((st = ua_dotenv_next (text, len, &pos, &e)) != UA_DOTENV_END)
    {
      /* A line the SDK would skip may be one we were to keep or cut:
       * better none of this than a guess. */
      if (st == UA_DOTENV_BAD)
        return fail (err, errlen, "%s, line %zu: not KEY=VALUE (an unclosed quote?); "
                     "fix or remove that line", name, line_of (text, e.start));
      if (!entry (env, &e, name, err, errlen))
        return false;
    }
  return split_url (env, name, err, errlen) && check_ids (env, name, err, errlen);
}

/* A refresh token travels as one protocol value and one HTTP form field:
 * printable ASCII, as every OAuth token is. */
static bool
printable (const char *s, size_t len)
{
  for (size_t i = 0; i < len; i++)
    if (s[i] < 0x21 || s[i] > 0x7e)
      return false;
  return len > 0;
}

static bool
json_fail (UaJsonStatus st, const char *key, const char *name, char *err, size_t errlen)
{
  if (st == UA_JSON_MALFORMED)
    return fail (err, errlen, "%s is not one JSON object (as `uipath auth` writes it); "
                 "sign in again with `uipath auth`, or with uipauth add and uipauth login",
                 name);
  if (st == UA_JSON_ABSENT)
    return fail (err, errlen, "%s holds no %s: `uipath auth` with client credentials "
                 "keeps none; add a client-credentials profile instead (uipauth add "
                 "NAME --type client-credentials)", name, key);
  return fail (err, errlen, "%s: its %s is %s", name, key, ua_json_status_string (st));
}

static bool
read_scopes (const char *text, size_t len, const char *name, char *scopes,
             size_t size, char *err, size_t errlen)
{
  size_t n = 0;
  UaJsonStatus st = ua_json_object_string (text, len, "scope", scopes, size, &n);

  if (st == UA_JSON_ABSENT)
    return snprintf (scopes, size, "%s", UA_SDKAUTH_SCOPES) < (int) size;
  if (st != UA_JSON_FOUND)
    return json_fail (st, "scope", name, err, errlen);
  for (size_t i = 0; i < n; i++)
    if (scopes[i] != ' ' && (scopes[i] < 0x21 || scopes[i] > 0x7e))
      return fail (err, errlen, "%s: its scope is not a list of scopes", name);
  return true;
}

bool
ua_sdkauth_read_token (const char *text, size_t len, const char *name,
                       UaSecret **refresh_token, char *scopes, size_t scopes_size,
                       char *err, size_t errlen)
{
  char *buf = malloc (UA_SDKAUTH_TOKEN_MAX);
  size_t n = 0;
  UaJsonStatus st;
  bool ok = false;

  *refresh_token = NULL;
  if (buf == NULL)
    return fail (err, errlen, "out of memory");
  st = ua_json_object_string (text, len, "refresh_token", buf, UA_SDKAUTH_TOKEN_MAX, &n);
  if (st != UA_JSON_FOUND)
    json_fail (st, "refresh_token", name, err, errlen);
  else if (!printable (buf, n))
    fail (err, errlen, "%s: its refresh_token is empty or holds spaces or "
          "non-ASCII bytes; that is no token", name);
  else if (read_scopes (text, len, name, scopes, scopes_size, err, errlen))
    ok = (*refresh_token = ua_secret_new (buf, n)) != NULL ||
         fail (err, errlen, "out of memory");
  ua_wipe (buf, UA_SDKAUTH_TOKEN_MAX);
  free (buf);
  return ok;
}

void
ua_sdkauth_strip_env (const char *text, size_t len, UaBuf *out)
{
  UaDotenvEntry e;
  UaDotenvStatus st;
  size_t pos = 0, kept = 0;

  while ((st = ua_dotenv_next (text, len, &pos, &e)) != UA_DOTENV_END)
    if (st == UA_DOTENV_ENTRY && is_token_key (&e))
      {
        ua_buf_append (out, text + kept, e.start - kept);
        kept = e.end;
      }
  ua_buf_append (out, text + kept, len - kept);
}
