/* ua_cli_parse(): command lines from tests/data/client-cli.txt. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "shell.h"
#include "tap.h"

#define ARGV_MAX 64

/* What the parse set, in a fixed order, defaults left out. */
static void
describe (const UaCli *cli, UaBuf *out)
{
  static const char *const agent[] = { "", "start", "stop", "status" };

  ua_buf_printf (out, "cmd=%s", ua_cli_command_name (cli->cmd));
  if (cli->help)
    ua_buf_append_str (out, " help");
  if (cli->git_helper)
    ua_buf_append_str (out, " git");
  if (cli->profile)
    ua_buf_printf (out, " profile=%s", cli->profile);
  if (cli->type)
    ua_buf_printf (out, " type=%s", cli->type);
  for (int s = 0; s < UA_SETTING_LAST_; s++)
    if (cli->settings[s])
      ua_buf_printf (out, " %s=%s", ua_cli_setting_key ((UaSetting) s), cli->settings[s]);
  for (size_t i = 0; i < cli->n_match; i++)
    ua_buf_printf (out, "%s%s", i ? "," : " match=", cli->match[i]);
  if (cli->allow_password)
    ua_buf_append_str (out, " allow_password");
  if (cli->confidential)
    ua_buf_append_str (out, " confidential");
  if (cli->replace)
    ua_buf_append_str (out, " replace");
  if (cli->secret_stdin)
    ua_buf_append_str (out, " secret_stdin");
  if (cli->min_valid >= 0)
    ua_buf_printf (out, " min_valid=%ld", cli->min_valid);
  if (cli->force_new)
    ua_buf_append_str (out, " force_new");
  if (cli->json)
    ua_buf_append_str (out, " json");
  if (cli->forward)
    ua_buf_append_str (out, " forward");
  if (cli->callers)
    ua_buf_append_str (out, " callers");
  if (cli->shell >= 0)
    ua_buf_printf (out, " shell=%s", ua_shell_name ((UaShell) cli->shell));
  if (cli->unset)
    ua_buf_append_str (out, " unset");
  if (cli->no_dotenv)
    ua_buf_append_str (out, " no_dotenv");
  if (cli->no_cli_config)
    ua_buf_append_str (out, " no_cli_config");
  if (cli->dir)
    ua_buf_printf (out, " dir=%s", cli->dir);
  if (cli->delete_files)
    ua_buf_append_str (out, " delete");
  if (cli->proxy)
    ua_buf_append_str (out, " proxy");
  if (cli->agent_action)
    ua_buf_printf (out, " agent=%s", agent[cli->agent_action]);
  for (char **a = cli->exec_argv; a && *a; a++)
    ua_buf_printf (out, "%s%s", a == cli->exec_argv ? " exec=" : "|", *a);
}

static void
check_line (char *line, size_t lineno)
{
  char *arrow = strstr (line, " -> ");
  char *argv[ARGV_MAX + 1], *words[ARGV_MAX];
  const char *want;
  char err[512];
  UaBuf got = UA_BUF_INIT;
  UaCli cli;
  size_t argc;
  char name[512];

  if (arrow == NULL)
    {
      tap_ok (false, "line %zu has ARGV -> RESULT", lineno);
      return;
    }
  *arrow = '\0';
  want = arrow + 4;
  snprintf (name, sizeof name, "line %zu: %s", lineno, line);
  argc = tap_split (line, ' ', words, ARGV_MAX);
  for (size_t i = 0; i < argc; i++)
    {
      argv[i] = strdup (words[i]);
      tap_unescape (words[i], argv[i]);
    }
  argv[argc] = NULL;
  if (ua_cli_parse ((int) argc, argv, &cli, err, sizeof err) == 0)
    {
      describe (&cli, &got);
      tap_is (got.data, want, "%s", name);
    }
  else if (strncmp (want, "error: ", 7) == 0 && strstr (err, want + 7))
    tap_ok (true, "%s is refused", name);
  else
    tap_is (err, want, "%s", name);
  for (size_t i = 0; i < argc; i++)
    free (argv[i]);
  ua_buf_clear (&got);
}

static bool
needs_secret (const char *type, bool confidential)
{
  UaCli cli = { .type = type, .confidential = confidential };

  return ua_cli_needs_secret (&cli);
}

int
main (void)
{
  char *text = tap_read_fixture ("client-cli.txt", NULL);
  char *lines[1024];
  size_t n = tap_split (text, '\n', lines, 1024);

  for (size_t i = 0; i < n; i++)
    if (lines[i][0] != '#' && lines[i][0] != '\0')
      check_line (lines[i], i + 1);
  tap_ok (needs_secret ("pat", false) && needs_secret ("api-key", false) &&
          needs_secret ("client-credentials", false) &&
          needs_secret ("password", false) &&
          needs_secret ("authorization-code", true), "types with a secret");
  tap_ok (!needs_secret ("authorization-code", false) &&
          !needs_secret ("nope", false) && !needs_secret (NULL, false),
          "types without one");
  free (text);
  return tap_done ();
}
