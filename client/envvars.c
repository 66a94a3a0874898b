#include "envvars.h"

#include <stdio.h>
#include <string.h>

#include "out.h"
#include "url.h"

/* Where a variable's value comes from. */
typedef enum {
  FROM_REPLY,  /* the reply's key, as it is */
  FROM_ORIGIN, /* scheme://host[:port] of the reply's key */
  CLEARED,     /* always removed */
} Source;

static const struct {
  const char *name;
  Source source;
  const char *reply_key;
} table[UA_ENVVARS_COUNT] = {
  { "UIPATH_URL", FROM_REPLY, "base_url" },   /* {url}/{organization}/{tenant} */
  { "UIPATH_ACCESS_TOKEN", FROM_REPLY, "token" },
  { "UIPATH_URI", FROM_ORIGIN, "url" },        /* uipathcli: no path, no slash */
  { "UIPATH_ORGANIZATION", FROM_REPLY, "organization" },
  { "UIPATH_TENANT", FROM_REPLY, "tenant" },
  { "UIPATH_PAT", FROM_REPLY, "token" },       /* uipathcli takes a bearer token here */
  { "UIPATH_TENANT_ID", FROM_REPLY, "tenant_id" },
  { "UIPATH_ORGANIZATION_ID", FROM_REPLY, "organization_id" },
  /* The Python SDK prefers a robot's token to UIPATH_ACCESS_TOKEN. */
  { "UNATTENDED_USER_ACCESS_TOKEN", CLEARED, NULL },
  /* uipathcli runs every auth method it finds configured and the last
   * token wins: these would replace the one in UIPATH_PAT.  exec removes
   * every UIPATH_AUTH_* variable; these are the ones uipathcli reads. */
  { "UIPATH_CLIENT_ID", CLEARED, NULL },
  { "UIPATH_CLIENT_SECRET", CLEARED, NULL },
  { "UIPATH_AUTH_GRANT_TYPE", CLEARED, NULL },
  { "UIPATH_AUTH_SCOPES", CLEARED, NULL },
  { "UIPATH_AUTH_REDIRECT_URI", CLEARED, NULL },
};

static const char *
origin (const char *url, char *out, size_t size)
{
  size_t len = url ? ua_url_origin_len (url) : 0;

  if (len == 0 || len >= size)
    return NULL;
  memcpy (out, url, len);
  out[len] = '\0';
  return out;
}

void
ua_envvars_from_reply (const UaMsg *reply, UaEnvVars *env)
{
  for (int i = 0; i < UA_ENVVARS_COUNT; i++)
    {
      const char *value = NULL;

      if (reply != NULL && table[i].source != CLEARED)
        value = ua_msg_get (reply, table[i].reply_key);
      if (table[i].source == FROM_ORIGIN)
        value = origin (value, env->uri, sizeof env->uri);
      env->vars[i].name = table[i].name;
      env->vars[i].value = value != NULL && *value != '\0' ? value : NULL;
    }
}

const char *
ua_envvars_get (const UaEnvVars *env, const char *name)
{
  for (int i = 0; i < UA_ENVVARS_COUNT; i++)
    if (strcmp (env->vars[i].name, name) == 0)
      return env->vars[i].value;
  return NULL;
}

static bool
fail (char *why, size_t whylen, const char *text)
{
  snprintf (why, whylen, "%s", text);
  return false;
}

/* The SDK splits the path, stripped of slashes, at '/' and wants two
 * parts; a query or fragment would end up in the tenant's name. */
bool
ua_envvars_url_shape (const char *url, char *why, size_t whylen)
{
  size_t origin_len = ua_url_origin_len (url);
  const char *path = url + origin_len, *second;

  if (origin_len == 0)
    return fail (why, whylen, "it does not start with scheme://host[:port]");
  if (strncmp (url, "https://", 8) != 0 && strncmp (url, "http://", 7) != 0)
    return fail (why, whylen, "its scheme is neither https nor http");
  if (path[strcspn (path, "?#")] != '\0')
    return fail (why, whylen, "it has a query or a fragment");
  if (path[0] == '\0' || path[1] == '\0')
    return fail (why, whylen, "it names no organization and tenant");
  if ((second = strchr (path + 1, '/')) == NULL || second[1] == '\0')
    return fail (why, whylen, "it names no tenant");
  if (second == path + 1 || strchr (second + 1, '/') != NULL)
    return fail (why, whylen, "its path is not exactly /ORGANIZATION/TENANT "
                 "(the profile's url has a path, or a name holds a '/')");
  return true;
}

void
ua_envvars_warn_shape (const UaEnvVars *env, const char *profile)
{
  const char *url = ua_envvars_get (env, "UIPATH_URL");
  char why[160];

  if (url == NULL || ua_envvars_url_shape (url, why, sizeof why))
    return;
  ua_out_error ("warning: profile %s: UIPATH_URL would be %s, but %s; UiPath's "
                "Python SDK reads it as scheme://host[:port]/ORGANIZATION/TENANT "
                "and would find no organization or tenant; give the profile a "
                "url without a path, an --organization and a --tenant "
                "(uipauth add %s --replace ...)", profile ? profile : "(default)",
                url, why, profile ? profile : "NAME");
}
