/* ua_envvars_*: the variables env and exec set from a token reply, and
 * the UIPATH_URL shape check (tests/data/client-sdk-urls.txt); the
 * origin UIPATH_URI gets (proto's ua_url_origin_len). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "envvars.h"
#include "tap.h"
#include "url.h"

static void
check_url (char **f, size_t lineno)
{
  char url[512], why[160];
  size_t olen = ua_url_origin_len ((tap_unescape (f[0], url), url));
  char origin[512];
  bool ok = ua_envvars_url_shape (url, why, sizeof why);

  snprintf (origin, sizeof origin, "%.*s", (int) olen, url);
  tap_is (olen ? origin : "-", f[1], "origin of %s (line %zu)", f[0], lineno);
  if (strcmp (f[2], "ok") == 0)
    tap_ok (ok, "%s has the SDK's shape (line %zu)", f[0], lineno);
  else if (!tap_ok (!ok && strstr (why, f[2]) != NULL,
                    "%s: '%s' (line %zu)", f[0], f[2], lineno))
    tap_diag ("said: %s", ok ? "(ok)" : why);
}


static UaMsg *
reply_of (const char *const *kv)
{
  UaMsg *m = ua_msg_new ();

  for (; *kv != NULL; kv += 2)
    ua_msg_add (m, kv[0], kv[1]);
  return m;
}

static const char *
value_or_unset (const UaEnvVars *env, const char *name)
{
  const char *v = ua_envvars_get (env, name);
  return v ? v : "(unset)";
}

static void
test_from_reply (void)
{
  static const char *const full[] = {
    "profile", "work", "token", "tok", "url", "https://cloud.uipath.com/",
    "base_url", "https://cloud.uipath.com/org/tenant", "organization", "org",
    "tenant", "tenant", "tenant_id", "t-id", "organization_id", "o-id",
    /* Nothing in a reply can set what must always be cleared. */
    "UNATTENDED_USER_ACCESS_TOKEN", "robot", "unattended_user_access_token", "robot",
    NULL,
  };
  static const char *const bare[] = { "profile", "p", "token", "pat", NULL };
  static const struct {
    const char *name, *full, *bare;
  } want[] = {
    { "UIPATH_URL", "https://cloud.uipath.com/org/tenant", "(unset)" },
    { "UIPATH_ACCESS_TOKEN", "tok", "pat" },
    { "UIPATH_URI", "https://cloud.uipath.com", "(unset)" },
    { "UIPATH_ORGANIZATION", "org", "(unset)" },
    { "UIPATH_TENANT", "tenant", "(unset)" },
    { "UIPATH_PAT", "tok", "pat" },
    { "UIPATH_TENANT_ID", "t-id", "(unset)" },
    { "UIPATH_ORGANIZATION_ID", "o-id", "(unset)" },
    { "UNATTENDED_USER_ACCESS_TOKEN", "(unset)", "(unset)" },
    { "UIPATH_CLIENT_ID", "(unset)", "(unset)" },
    { "UIPATH_CLIENT_SECRET", "(unset)", "(unset)" },
    { "UIPATH_AUTH_GRANT_TYPE", "(unset)", "(unset)" },
    { "UIPATH_AUTH_SCOPES", "(unset)", "(unset)" },
    { "UIPATH_AUTH_REDIRECT_URI", "(unset)", "(unset)" },
  };
  UaMsg *a = reply_of (full), *b = reply_of (bare);
  UaEnvVars ea, eb;

  ua_envvars_from_reply (a, &ea);
  ua_envvars_from_reply (b, &eb);
  tap_ok (sizeof want / sizeof *want == UA_ENVVARS_COUNT, "every variable is checked");
  for (size_t i = 0; i < sizeof want / sizeof *want; i++)
    {
      tap_is (value_or_unset (&ea, want[i].name), want[i].full, "%s from a full reply", want[i].name);
      tap_is (value_or_unset (&eb, want[i].name), want[i].bare, "%s from a PAT-only reply", want[i].name);
    }
  ua_msg_free (a);
  ua_msg_free (b);
}

/* The cleared variables come out as removals in every syntax. */
static void
test_clears_in_every_shell (void)
{
  static const struct {
    UaShell shell;
    const char *clear, *set;
  } cases[] = {
    { UA_SHELL_SH, "unset UNATTENDED_USER_ACCESS_TOKEN;\n", "export UIPATH_PAT='pat';\n" },
    { UA_SHELL_BASH, "unset UIPATH_TENANT_ID;\n", "export UIPATH_ACCESS_TOKEN='pat';\n" },
    { UA_SHELL_ZSH, "unset UIPATH_AUTH_SCOPES;\n", "export UIPATH_PAT='pat';\n" },
    { UA_SHELL_FISH, "set -e UNATTENDED_USER_ACCESS_TOKEN;\n", "set -gx UIPATH_PAT 'pat';\n" },
    { UA_SHELL_CSH, "unsetenv UIPATH_CLIENT_SECRET;\n", "setenv UIPATH_PAT 'pat';\n" },
    { UA_SHELL_TCSH, "unsetenv UNATTENDED_USER_ACCESS_TOKEN;\n", "setenv UIPATH_PAT 'pat';\n" },
    { UA_SHELL_JSON, "\"UNATTENDED_USER_ACCESS_TOKEN\": null", "\"UIPATH_PAT\": \"pat\"" },
  };
  static const char *const bare[] = { "profile", "p", "token", "pat", NULL };
  UaMsg *m = reply_of (bare);
  UaEnvVars env;

  ua_envvars_from_reply (m, &env);
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    {
      UaBuf out = UA_BUF_INIT;

      ua_shell_format_env (cases[i].shell, env.vars, UA_ENVVARS_COUNT, false, &out);
      tap_ok (strstr (out.data, cases[i].clear) != NULL, "%s: %s",
              ua_shell_name (cases[i].shell), cases[i].clear);
      tap_ok (strstr (out.data, cases[i].set) != NULL, "%s: %s",
              ua_shell_name (cases[i].shell), cases[i].set);
      ua_buf_clear (&out);
    }
  ua_msg_free (m);
}

int
main (void)
{
  tap_fixture_rows ("client-sdk-urls.txt", 3, check_url);
  test_from_reply ();
  test_clears_in_every_shell ();
  return tap_done ();
}
