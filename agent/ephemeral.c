#include "config.h"

#include "ephemeral.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ua-error.h"
#include "ua-secret.h"

void
ua_ephemeral_scrub_env (const char *name)
{
  size_t n = strlen (name);
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  for (char **e = environ; *e != NULL; e++)
    if (strncmp (*e, name, n) == 0 && (*e)[n] == '=')
      g_ptr_array_add (found, *e);
  unsetenv (name);
  /* unsetenv() only drops the pointer: the bytes stay in the block the
   * kernel shows as /proc/PID/environ.  Name and value go, so that no
   * trace says which credential the job had. */
  for (guint i = 0; i < found->len; i++)
    ua_wipe (found->pdata[i], strlen (found->pdata[i]));
}

static const char *
env (const char *name)
{
  const char *v = g_getenv (name);

  return v != NULL && *v != '\0' ? v : NULL;
}

/* UIPATH_URL is {url}/{organization}/{tenant}, as UiPath's SDK reads it. */
static void
set_url (UaProfile *p, const char *full)
{
  g_autoptr(GUri) uri = g_uri_parse (full, G_URI_FLAGS_NONE, NULL);
  g_auto(GStrv) parts = NULL;
  g_autofree char *base = NULL;
  guint n = 0;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    {
      ua_profile_set (p, "url", full);
      return;
    }
  parts = g_strsplit (g_uri_get_path (uri), "/", -1);
  base = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL,
                     g_uri_get_host (uri), g_uri_get_port (uri), "", NULL, NULL);
  ua_profile_set (p, "url", base);
  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      {
        if (n == 0)
          ua_profile_set (p, "organization", parts[i]);
        else if (n == 1)
          ua_profile_set (p, "tenant", parts[i]);
        n++;
      }
}

static UaProfile *
profile_from_env (GError **error)
{
  const char *pat = env ("UIPATH_PAT");
  const char *id = env ("UIPATH_CLIENT_ID");
  const char *secret = env ("UIPATH_CLIENT_SECRET");
  g_autoptr(UaProfile) p = NULL;
  const char *v;

  if (pat == NULL && id == NULL && secret == NULL)
    return NULL;
  if (pat != NULL && (id != NULL || secret != NULL))
    {
      g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                   "--ephemeral: the environment has both UIPATH_PAT and "
                   "UIPATH_CLIENT_ID/UIPATH_CLIENT_SECRET; set one credential");
      return NULL;
    }
  if (pat == NULL && (id == NULL || secret == NULL))
    {
      g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                   "--ephemeral: %s is set but %s is not; an external "
                   "application needs both", id ? "UIPATH_CLIENT_ID" : "UIPATH_CLIENT_SECRET",
                   id ? "UIPATH_CLIENT_SECRET" : "UIPATH_CLIENT_ID");
      return NULL;
    }
  p = ua_profile_new (UA_EPHEMERAL_PROFILE,
                      pat ? UA_KIND_PAT : UA_KIND_CLIENT_CREDENTIALS);
  if ((v = env ("UIPATH_URL")) != NULL || (v = env ("UIPATH_URI")) != NULL)
    set_url (p, v);
  if ((v = env ("UIPATH_ORGANIZATION")) != NULL)
    ua_profile_set (p, "organization", v);
  if ((v = env ("UIPATH_TENANT")) != NULL)
    ua_profile_set (p, "tenant", v);
  if ((v = env ("UIPATH_SCOPES")) != NULL)
    ua_profile_set (p, "scopes", v);
  if ((v = env ("UIPATH_IDENTITY_URL")) != NULL)
    ua_profile_set (p, "identity_url", v);
  if (id != NULL)
    ua_profile_set (p, "client_id", id);
  ua_profile_parse (p);
  if (!ua_profile_validate (p, error))
    {
      g_prefix_error (error, "--ephemeral: from the environment (UIPATH_URL or "
                      "UIPATH_IDENTITY_URL, UIPATH_CLIENT_ID): ");
      return NULL;
    }
  return g_steal_pointer (&p);
}

UaProfiles *
ua_ephemeral_setup (UaStore *store, GError **error)
{
  g_autoptr(UaProfiles) profiles = ua_profiles_new_memory ();
  g_autoptr(UaProfile) p = NULL;
  g_autoptr(UaSecret) secret = NULL;
  const char *value;

  p = profile_from_env (error);
  if (p == NULL && error != NULL && *error != NULL)
    return NULL;
  if (p != NULL)
    {
      value = env (p->type == UA_KIND_PAT ? "UIPATH_PAT" : "UIPATH_CLIENT_SECRET");
      secret = ua_secret_new_str (value);
      /* The memory store stores at once. */
      ua_store_store_async (store, p->name, p->kind->secret, secret, NULL, NULL, NULL);
      g_message ("--ephemeral: profile %s (%s) from the environment, in memory only",
                 p->name, ua_profile_type_to_string (p->type));
      if (!ua_profiles_put (profiles, g_steal_pointer (&p), TRUE, error))
        return NULL;
    }
  ua_ephemeral_scrub_env ("UIPATH_PAT");
  ua_ephemeral_scrub_env ("UIPATH_CLIENT_SECRET");
  ua_ephemeral_scrub_env ("UIPATH_CLIENT_ID");
  return g_steal_pointer (&profiles);
}
