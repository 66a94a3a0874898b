#include "envvars.h"

static const struct {
  const char *name;
  const char *reply_key;
} table[UA_ENVVARS_COUNT] = {
  { "UIPATH_URL", "base_url" },          /* {url}/{organization}/{tenant} */
  { "UIPATH_ACCESS_TOKEN", "token" },
  { "UIPATH_URI", "url" },               /* uipathcli */
  { "UIPATH_ORGANIZATION", "organization" },
  { "UIPATH_TENANT", "tenant" },
  { "UIPATH_PAT", "token" },             /* uipathcli takes a bearer token here */
};

void
ua_envvars_from_reply (const UaMsg *reply, UaEnvVar vars[UA_ENVVARS_COUNT])
{
  for (int i = 0; i < UA_ENVVARS_COUNT; i++)
    {
      const char *value = reply ? ua_msg_get (reply, table[i].reply_key) : NULL;

      vars[i].name = table[i].name;
      vars[i].value = value != NULL && *value != '\0' ? value : NULL;
    }
}
