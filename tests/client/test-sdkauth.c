/* ua_sdkauth_*: `uipath auth`'s .env (tests/data/client-sdkauth-env.txt)
 * and .auth.json, hostile ones included, and .env with its token lines
 * cut out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "sdkauth.h"
#include "tap.h"

static void
check_env (char **f, size_t lineno)
{
  char *input = malloc (strlen (f[0]) + 1), err[512], got[16384];
  size_t len = tap_unescape (f[0], input);
  UaSdkauthEnv env;

  if (ua_sdkauth_read_env (input, len, ".env", &env, err, sizeof err))
    snprintf (got, sizeof got, "ok %s|%s|%s|%s|%s|%u", env.origin, env.organization,
              env.tenant, env.tenant_id, env.organization_id, env.token_entries);
  else
    snprintf (got, sizeof got, "error: %s", err);
  if (strncmp (f[1], "error: ", 7) == 0)
    {
      if (!tap_ok (strncmp (got, "error: ", 7) == 0 && strstr (got, f[1] + 7) != NULL,
                   "line %zu: %s", lineno, f[1]))
        tap_diag ("got: %s", got);
    }
  else
    tap_is (got, f[1], "line %zu", lineno);
  free (input);
}

static void
test_token (void)
{
  static const struct {
    const char *json, *want;
  } cases[] = {
    { "{\"access_token\": \"eyJ.a.b\", \"refresh_token\": \"rt-1\", \"expires_in\": 3600, "
      "\"token_type\": \"Bearer\", \"scope\": \"offline_access OR.Default\"}",
      "rt-1|offline_access OR.Default" },
    { "{\"refresh_token\": \"rt-2\"}", "rt-2|" UA_SDKAUTH_SCOPES },
    { "{\"access_token\": \"a\"}", "error: holds no refresh_token" },
    { "{\"refresh_token\": \"\"}", "error: is empty or holds spaces" },
    { "{\"refresh_token\": \"two words\"}", "error: is empty or holds spaces" },
    { "{\"refresh_token\": \"caf\\u00e9\"}", "error: non-ASCII" },
    { "{\"refresh_token\": \"a\\nb\"}", "error: its refresh_token is a control character" },
    { "{\"refresh_token\": 42}", "error: its refresh_token is not a string" },
    { "{\"refresh_token\": \"a\", \"refresh_token\": \"b\"}", "error: is not one JSON object" },
    { "refresh_token=rt", "error: is not one JSON object" },
    { "{\"refresh_token\": \"rt\"", "error: is not one JSON object" },
    { "", "error: is not one JSON object" },
    { "{\"refresh_token\": \"rt\", \"scope\": \"OR.Default\\tX\"}", "error: its scope is a control character" },
    { "{\"refresh_token\": \"rt\", \"scope\": \"caf\\u00e9\"}", "error: its scope is not a list of scopes" },
    { "{\"refresh_token\": \"rt\", \"scope\": null}", "error: its scope is not a string" },
  };

  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    {
      char scopes[UA_SDKAUTH_SCOPES_MAX], err[512], got[8192];
      UaSecret *rt = NULL;

      if (ua_sdkauth_read_token (cases[i].json, strlen (cases[i].json), ".auth.json",
                                 &rt, scopes, sizeof scopes, err, sizeof err))
        snprintf (got, sizeof got, "%s|%s", ua_secret_get (rt), scopes);
      else
        snprintf (got, sizeof got, "error: %s", err);
      if (strncmp (cases[i].want, "error: ", 7) == 0)
        {
          if (!tap_ok (strncmp (got, "error: ", 7) == 0 && strstr (got, cases[i].want + 7) != NULL,
                       "token case %zu: %s", i, cases[i].want))
            tap_diag ("got: %s", got);
        }
      else
        tap_is (got, cases[i].want, "token case %zu", i);
      tap_ok (rt == NULL || strncmp (cases[i].want, "error: ", 7) != 0,
              "token case %zu: no token when it fails", i);
      ua_secret_free (rt);
    }
}

static void
test_strip (void)
{
  static const struct {
    const char *in, *want;
  } cases[] = {
    { "UIPATH_ACCESS_TOKEN=eyJ.a.b\nUIPATH_URL=https://c/o/t\nUIPATH_TENANT_ID=x\n",
      "UIPATH_URL=https://c/o/t\nUIPATH_TENANT_ID=x\n" },
    { "# mine\nUIPATH_URL=u\r\n\nexport UIPATH_ACCESS_TOKEN=\"a\nb\" # old\nUNATTENDED_USER_ACCESS_TOKEN=r\nX=1",
      "# mine\nUIPATH_URL=u\r\n\nX=1" },
    { "UIPATH_URL=u\nUIPATH_ACCESS_TOKEN=t", "UIPATH_URL=u\n" },
    { "UIPATH_ACCESS_TOKEN_NOTE=keep\nUIPATH_URL=u\n", "UIPATH_ACCESS_TOKEN_NOTE=keep\nUIPATH_URL=u\n" },
  };

  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    {
      UaBuf out = UA_BUF_INIT;

      ua_sdkauth_strip_env (cases[i].in, strlen (cases[i].in), &out);
      tap_is (out.data ? out.data : "", cases[i].want, "strip case %zu", i);
      ua_buf_clear (&out);
    }
}

int
main (void)
{
  tap_fixture_rows ("client-sdkauth-env.txt", 2, check_env);
  test_token ();
  test_strip ();
  return tap_done ();
}
