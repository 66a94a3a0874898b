/* Test helper for test-shell-eval.sh: prints what `uipauth env --shell
 * SHELL` prints for one variable, so real shells can eval it.
 *   shell-export SHELL NAME VALUE     export NAME=VALUE
 *   shell-export --unset SHELL NAME   remove NAME
 *   shell-export --raw VALUE          VALUE's bytes, for comparing
 * VALUE takes \xNN escapes (as tests/data fixtures do). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "out.h"
#include "shell.h"
#include "tap.h"

int
main (int argc, char **argv)
{
  bool unset = argc == 4 && strcmp (argv[1], "--unset") == 0;
  UaBuf out = UA_BUF_INIT;
  UaEnvVar var;
  char *value;
  int shell;

  int rc;

  if (argc == 3 && strcmp (argv[1], "--raw") == 0)
    {
      value = strdup (argv[2]);
      rc = ua_out_write (STDOUT_FILENO, value, tap_unescape (argv[2], value)) < 0;
      free (value);
      return rc;
    }
  if (argc != 4 || (shell = ua_shell_from_name (argv[unset ? 2 : 1])) < 0)
    return 2;
  value = strdup (argv[3]);
  tap_unescape (argv[3], value);
  var = (UaEnvVar) { unset ? argv[3] : argv[2], unset ? NULL : value };
  ua_shell_format_env ((UaShell) shell, &var, 1, unset, &out);
  rc = ua_out_buf (STDOUT_FILENO, &out);
  /* Freed so that LeakSanitizer, in the ASan build, has nothing to say. */
  ua_buf_clear (&out);
  free (value);
  return rc;
}
