/* env: shell commands that export the UIPATH_* variables. */
#include "cmd.h"

#include <stdlib.h>
#include <unistd.h>

#include "envvars.h"
#include "errors.h"
#include "out.h"
#include "shell.h"

int
ua_cmd_env (const UaCli *cli)
{
  UaShell shell = cli->shell >= 0 ? (UaShell) cli->shell : ua_shell_detect (getenv ("SHELL"));
  UaEnvVars env;
  UaBuf out = UA_BUF_INIT;
  UaMsg *reply = NULL;
  int rc;

  /* Removing the variables needs no agent. */
  if (!cli->unset && (rc = ua_cmd_fetch_token (cli, &reply)) != UA_EXIT_OK)
    return rc;
  ua_envvars_from_reply (reply, &env);
  if (reply != NULL)
    ua_envvars_warn_shape (&env, ua_msg_get (reply, "profile"));
  ua_shell_format_env (shell, env.vars, UA_ENVVARS_COUNT, cli->unset, &out);
  ua_msg_free (reply);
  rc = ua_out_buf (STDOUT_FILENO, &out);
  ua_buf_clear (&out);
  return rc;
}
