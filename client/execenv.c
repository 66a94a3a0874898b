#include "execenv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "envvars.h"
#include "out.h"

extern char **environ;

/* Longest variable name we remove by prefix; a longer one stays. */
#define NAME_MAX_LEN 256

/* Sets the variables the profile has values for and removes the others,
 * so that a variable of another profile inherited from our caller cannot
 * mix with this one's (another tenant with this token, say). */
static int
set_vars (const UaEnvVars *env)
{
  for (int i = 0; i < UA_ENVVARS_COUNT; i++)
    {
      const UaEnvVar *var = &env->vars[i];
      int rc = var->value ? setenv (var->name, var->value, 1) : unsetenv (var->name);

      if (rc < 0)
        {
          ua_out_error ("cannot set %s: %s", var->name, strerror (errno));
          return -1;
        }
    }
  return 0;
}

/* The first variable whose name starts with @prefix, copied into @name. */
static bool
find_prefixed (const char *prefix, char name[NAME_MAX_LEN])
{
  size_t plen = strlen (prefix);

  for (char **e = environ; e && *e; e++)
    {
      size_t len = strcspn (*e, "=");

      if (len >= plen && len < NAME_MAX_LEN && strncmp (*e, prefix, plen) == 0)
        {
          memcpy (name, *e, len);
          name[len] = '\0';
          return true;
        }
    }
  return false;
}

/* uipathcli reads its auth settings from UIPATH_AUTH_* variables, and
 * would mint its own token from them: none reaches the command. */
static int
remove_prefixed (const char *prefix)
{
  char name[NAME_MAX_LEN];

  while (find_prefixed (prefix, name))
    if (unsetenv (name) < 0)
      {
        ua_out_error ("cannot remove %s: %s", name, strerror (errno));
        return -1;
      }
  return 0;
}

int
ua_execenv_apply (const UaCli *cli, const UaMsg *reply)
{
  UaEnvVars env;

  (void) cli;
  ua_envvars_from_reply (reply, &env);
  ua_envvars_warn_shape (&env, ua_msg_get (reply, "profile"));
  if (set_vars (&env) < 0 || remove_prefixed ("UIPATH_AUTH_") < 0)
    return -1;
  return 0;
}
