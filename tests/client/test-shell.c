/* ua_shell_*: quoting from tests/data/client-shell-quote.txt, the shape of
 * whole `env` outputs, and picking the shell from $SHELL. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "shell.h"
#include "tap.h"

static void
test_quote_fixture (void)
{
  char *text = tap_read_fixture ("client-shell-quote.txt", NULL);
  char *lines[512];
  size_t n = tap_split (text, '\n', lines, 512);

  for (size_t i = 0; i < n; i++)
    {
      char *f[3], value[256], want[256];
      size_t vlen;
      UaBuf out = UA_BUF_INIT;
      int shell;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      if (tap_split (lines[i], '\t', f, 3) != 3 || (shell = ua_shell_from_name (f[0])) < 0)
        {
          tap_ok (false, "fixture line %zu is SHELL<TAB>VALUE<TAB>QUOTED", i + 1);
          continue;
        }
      vlen = tap_unescape (f[1], value);
      tap_unescape (f[2], want);
      ua_shell_quote ((UaShell) shell, value, vlen, &out);
      tap_is (out.data, want, "%s quotes %s (line %zu)", f[0], f[1], i + 1);
      ua_buf_clear (&out);
    }
  free (text);
}

static const UaEnvVar vars[] = {
  { "UIPATH_URL", "https://cloud.uipath.com/org/tenant" },
  { "UIPATH_ACCESS_TOKEN", "t'k" },
  { "UIPATH_URI", NULL },
};

static void
test_format_env (void)
{
  static const struct {
    UaShell shell;
    bool unset;
    const char *want;
  } cases[] = {
    { UA_SHELL_SH, false,
      "export UIPATH_URL='https://cloud.uipath.com/org/tenant';\n"
      "export UIPATH_ACCESS_TOKEN='t'\\''k';\n"
      "unset UIPATH_URI;\n" },
    { UA_SHELL_ZSH, false,
      "export UIPATH_URL='https://cloud.uipath.com/org/tenant';\n"
      "export UIPATH_ACCESS_TOKEN='t'\\''k';\n"
      "unset UIPATH_URI;\n" },
    { UA_SHELL_BASH, true,
      "unset UIPATH_URL;\nunset UIPATH_ACCESS_TOKEN;\nunset UIPATH_URI;\n" },
    { UA_SHELL_FISH, false,
      "set -gx UIPATH_URL 'https://cloud.uipath.com/org/tenant';\n"
      "set -gx UIPATH_ACCESS_TOKEN 't\\'k';\n"
      "set -e UIPATH_URI;\n" },
    { UA_SHELL_FISH, true,
      "set -e UIPATH_URL;\nset -e UIPATH_ACCESS_TOKEN;\nset -e UIPATH_URI;\n" },
    { UA_SHELL_CSH, false,
      "setenv UIPATH_URL 'https://cloud.uipath.com/org/tenant';\n"
      "setenv UIPATH_ACCESS_TOKEN 't'\\''k';\n"
      "unsetenv UIPATH_URI;\n" },
    { UA_SHELL_TCSH, false,
      "setenv UIPATH_URL 'https://cloud.uipath.com/org/tenant';\n"
      "setenv UIPATH_ACCESS_TOKEN 't'\\''k';\n"
      "unsetenv UIPATH_URI;\n" },
    { UA_SHELL_TCSH, true,
      "unsetenv UIPATH_URL;\nunsetenv UIPATH_ACCESS_TOKEN;\nunsetenv UIPATH_URI;\n" },
    { UA_SHELL_JSON, false,
      "{\n  \"UIPATH_URL\": \"https://cloud.uipath.com/org/tenant\",\n"
      "  \"UIPATH_ACCESS_TOKEN\": \"t'k\",\n  \"UIPATH_URI\": null\n}\n" },
    { UA_SHELL_JSON, true,
      "{\n  \"UIPATH_URL\": null,\n  \"UIPATH_ACCESS_TOKEN\": null,\n"
      "  \"UIPATH_URI\": null\n}\n" },
  };

  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    {
      UaBuf out = UA_BUF_INIT;

      ua_shell_format_env (cases[i].shell, vars, 3, cases[i].unset, &out);
      tap_is (out.data, cases[i].want, "env output for %s%s",
              ua_shell_name (cases[i].shell), cases[i].unset ? " --unset" : "");
      ua_buf_clear (&out);
    }
}

static void
test_format_env_empty (void)
{
  UaEnvVar none[] = { { "UIPATH_URL", NULL } };
  UaBuf out = UA_BUF_INIT;

  ua_shell_format_env (UA_SHELL_JSON, none, 0, false, &out);
  tap_is (out.data, "{}\n", "json of no variables is an empty object");
  ua_buf_clear (&out);
  ua_shell_format_env (UA_SHELL_JSON, none, 1, false, &out);
  tap_is (out.data, "{\n  \"UIPATH_URL\": null\n}\n",
          "json of a variable without a value: null, to remove it");
  ua_buf_clear (&out);
  ua_shell_format_env (UA_SHELL_SH, none, 0, false, &out);
  tap_ok (out.len == 0, "sh of no variables is empty");
  ua_buf_clear (&out);
}

static void
test_detect (void)
{
  static const struct {
    const char *shell_env;
    UaShell want;
  } cases[] = {
    { NULL, UA_SHELL_SH }, { "", UA_SHELL_SH }, { "/bin/sh", UA_SHELL_SH },
    { "/bin/bash", UA_SHELL_BASH }, { "/usr/bin/zsh", UA_SHELL_ZSH },
    { "/usr/local/bin/fish", UA_SHELL_FISH }, { "/bin/csh", UA_SHELL_CSH },
    { "/bin/tcsh", UA_SHELL_TCSH }, { "/bin/dash", UA_SHELL_SH },
    { "/bin/ksh93", UA_SHELL_SH }, { "/usr/bin/json", UA_SHELL_SH },
    { "bash", UA_SHELL_BASH }, { "/opt/fish/", UA_SHELL_SH },
  };

  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    tap_ok (ua_shell_detect (cases[i].shell_env) == cases[i].want,
            "$SHELL=%s means %s", cases[i].shell_env ? cases[i].shell_env : "(unset)",
            ua_shell_name (cases[i].want));
  tap_ok (ua_shell_from_name ("powershell") < 0, "--shell powershell is refused");
  tap_ok (ua_shell_from_name ("json") == UA_SHELL_JSON, "--shell json is known");
}

int
main (void)
{
  test_quote_fixture ();
  test_format_env ();
  test_format_env_empty ();
  test_detect ();
  return tap_done ();
}
