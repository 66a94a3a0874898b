/* exec: run a command with the UIPATH_* variables in its environment.  We
 * exec it in place, so its exit status and signals are its own. */
#include "cmd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "envvars.h"
#include "errors.h"
#include "out.h"

/* What shells exit with when a command cannot be found or run. */
#define EXIT_NOT_FOUND 127
#define EXIT_CANNOT_RUN 126

/* Sets the variables the profile has values for and removes the others,
 * so that a variable of another profile inherited from our caller cannot
 * mix with this one's (another tenant with this token, say). */
static int
set_env (const UaEnvVar vars[UA_ENVVARS_COUNT])
{
  for (int i = 0; i < UA_ENVVARS_COUNT; i++)
    {
      int rc = vars[i].value ? setenv (vars[i].name, vars[i].value, 1)
                             : unsetenv (vars[i].name);
      if (rc < 0)
        {
          ua_out_error ("cannot set %s: %s", vars[i].name, strerror (errno));
          return -1;
        }
    }
  return 0;
}

int
ua_cmd_exec (const UaCli *cli)
{
  UaEnvVar vars[UA_ENVVARS_COUNT];
  UaMsg *reply;
  int rc = ua_cmd_fetch_token (cli, &reply);

  if (rc != UA_EXIT_OK)
    return rc;
  ua_envvars_from_reply (reply, vars);
  rc = set_env (vars);
  ua_msg_free (reply);
  if (rc < 0)
    return UA_EXIT_FAILURE;
  execvp (cli->exec_argv[0], cli->exec_argv);
  if (errno == ENOENT)
    {
      ua_out_error ("%s: command not found", cli->exec_argv[0]);
      return EXIT_NOT_FOUND;
    }
  ua_out_error ("cannot run %s: %s", cli->exec_argv[0], strerror (errno));
  return EXIT_CANNOT_RUN;
}
