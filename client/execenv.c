#include "execenv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "clicfg.h"
#include "dotenv.h"
#include "envvars.h"
#include "out.h"
#include "readfile.h"

extern char **environ;

/* Longest variable name we remove by prefix; a longer one stays. */
#define NAME_MAX_LEN 256
/* How much of ./.env and of uipathcli's config we read: real ones are a
 * few hundred bytes; what lies beyond is not looked at. */
#define SCAN_MAX (1024 * 1024)
/* What uipathcli reads as an empty config (it reads the file whole, and
 * takes an empty one as no profiles); nothing it writes there stays. */
#define EMPTY_CLI_CONFIG "/dev/null"

static int
set_one (const char *name, const char *value)
{
  if ((value ? setenv (name, value, 1) : unsetenv (name)) == 0)
    return 0;
  ua_out_error ("cannot set %s: %s", name, strerror (errno));
  return -1;
}

/* Sets the variables the profile has values for and removes the others,
 * so that a variable of another profile inherited from our caller cannot
 * mix with this one's (another tenant with this token, say). */
static int
set_vars (const UaEnvVars *env)
{
  for (int i = 0; i < UA_ENVVARS_COUNT; i++)
    if (set_one (env->vars[i].name, env->vars[i].value) < 0)
      return -1;
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

      /* An entry without '=' (execve allows one) is none unsetenv() removes. */
      if (len >= plen && len < NAME_MAX_LEN && (*e)[len] == '=' &&
          strncmp (*e, prefix, plen) == 0)
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

/* The variables of ours that a .env file (loaded with override by the
 * `uipath` command) would replace. */
static const char *const dotenv_keys[] = {
  "UIPATH_URL", "UIPATH_ACCESS_TOKEN", "UNATTENDED_USER_ACCESS_TOKEN",
};
#define N_DOTENV_KEYS (sizeof dotenv_keys / sizeof *dotenv_keys)

/* python-dotenv's own test of PYTHON_DOTENV_DISABLED. */
static bool
dotenv_disabled (void)
{
  static const char *const yes[] = { "1", "true", "t", "yes", "y" };
  const char *v = getenv ("PYTHON_DOTENV_DISABLED");

  for (size_t i = 0; v != NULL && i < sizeof yes / sizeof *yes; i++)
    if (strcasecmp (v, yes[i]) == 0)
      return true;
  return false;
}

/* Whether @e would replace our value @ours: a token always would; a
 * UIPATH_URL only when it differs (`uipath auth` leaves the same one). */
static bool
dotenv_conflicts (const UaDotenvEntry *e, const char *key, const char *ours)
{
  char value[UA_ENVVARS_URI_MAX];

  if (e->value == NULL || !ua_dotenv_key_is (e, key))
    return false;
  if (strcmp (key, "UIPATH_URL") != 0 || ours == NULL)
    return true;
  return !ua_dotenv_value (e, value, sizeof value) || strcmp (value, ours) != 0;
}

/* Appends to @found each of dotenv_keys that @text sets to another value
 * than ours, once. */
static void
dotenv_scan (const char *text, size_t len, const UaEnvVars *env, UaBuf *found)
{
  bool seen[N_DOTENV_KEYS] = { false };
  UaDotenvEntry e;
  UaDotenvStatus st;
  size_t pos = 0;

  while ((st = ua_dotenv_next (text, len, &pos, &e)) != UA_DOTENV_END)
    for (size_t k = 0; st == UA_DOTENV_ENTRY && k < N_DOTENV_KEYS; k++)
      if (!seen[k] && dotenv_conflicts (&e, dotenv_keys[k],
                                        ua_envvars_get (env, dotenv_keys[k])))
        {
          seen[k] = true;
          ua_buf_printf (found, "%s%s", found->len ? ", " : "", dotenv_keys[k]);
        }
}

static void
warn_dotenv (const UaEnvVars *env)
{
  UaBuf found = UA_BUF_INIT;
  UaReadfile file;
  char err[512];

  if (dotenv_disabled () ||
      ua_readfile (".env", SCAN_MAX, true, true, &file, err, sizeof err) != UA_READFILE_OK)
    return;
  dotenv_scan (file.data, file.len, env, &found);
  if (found.len > 0 && !found.oom)
    ua_out_error ("warning: ./.env sets %s; UiPath's `uipath` command loads it over the "
                  "environment, so those would replace what uipauth sets: run with "
                  "--no-dotenv (PYTHON_DOTENV_DISABLED=1), or take them out of .env "
                  "(uipauth import NAME --delete moves a `uipath auth` sign-in into "
                  "uipauth)", found.data);
  ua_buf_clear (&found);
  ua_readfile_clear (&file);
}

/* Where uipathcli reads its config: $UIPATH_CONFIGURATION_PATH, else
 * ~/.uipath/config; false when there is no such place. */
static bool
cli_config_path (char *path, size_t size)
{
  const char *given = getenv ("UIPATH_CONFIGURATION_PATH");
  const char *home = getenv ("HOME");

  if (given != NULL && *given != '\0')
    return snprintf (path, size, "%s", given) < (int) size;
  return home != NULL && *home != '\0' &&
         snprintf (path, size, "%s/.uipath/config", home) < (int) size;
}

static void
warn_cli_profile (const char *path, const char *text, size_t len, const char *name)
{
  UaClicfgAuth auth = ua_clicfg_profile_auth (text, len, name);

  if (auth == UA_CLICFG_NONE)
    return;
  ua_out_error ("warning: uipathcli's config %s %s an auth section for its profile "
                "\"%s\"; uipathcli would mint a token of its own with it and send that "
                "instead of uipauth's: run with --no-cli-config, or remove that section",
                path, auth == UA_CLICFG_AUTH ? "has" : "may have", name);
}

/* uipathcli takes $UIPATH_PROFILE, else "default"; a user may also name
 * uipathcli's profile like ours (--profile NAME). */
static void
warn_cli_config (const char *profile)
{
  const char *cli_profile = getenv ("UIPATH_PROFILE");
  char path[4096], err[512];
  UaReadfile file;

  if (cli_profile == NULL || *cli_profile == '\0')
    cli_profile = "default";
  if (!cli_config_path (path, sizeof path) ||
      ua_readfile (path, SCAN_MAX, true, true, &file, err, sizeof err) != UA_READFILE_OK)
    return;
  warn_cli_profile (path, file.data, file.len, cli_profile);
  if (profile != NULL && strcmp (profile, cli_profile) != 0)
    warn_cli_profile (path, file.data, file.len, profile);
  ua_readfile_clear (&file);
}

int
ua_execenv_apply (const UaCli *cli, const UaMsg *reply, const UaExecProxy *proxy)
{
  UaEnvVars env;

  ua_envvars_from_reply (reply, &env);
  ua_envvars_warn_shape (&env, ua_msg_get (reply, "profile"));
  if (proxy != NULL)
    ua_execproxy_env (proxy, env.vars, UA_ENVVARS_COUNT);
  if (set_vars (&env) < 0 || remove_prefixed ("UIPATH_AUTH_") < 0)
    return -1;
  if (cli->no_dotenv && set_one ("PYTHON_DOTENV_DISABLED", "1") < 0)
    return -1;
  if (!cli->no_dotenv)
    warn_dotenv (&env);
  if (cli->no_cli_config)
    return set_one ("UIPATH_CONFIGURATION_PATH", EMPTY_CLI_CONFIG);
  warn_cli_config (ua_msg_get (reply, "profile"));
  return 0;
}
