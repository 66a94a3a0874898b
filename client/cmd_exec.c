/* exec: run a command with the UIPATH_* variables in its environment.  We
 * exec it in place, so its exit status and signals are its own; with
 * --proxy we stay its parent for as long as the proxy must live
 * (execproxy.c). */
#include "cmd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "execenv.h"
#include "execproxy.h"
#include "errors.h"
#include "out.h"

/* What shells exit with when a command cannot be found or run. */
#define EXIT_NOT_FOUND 127
#define EXIT_CANNOT_RUN 126

int
ua_cmd_exec (const UaCli *cli)
{
  UaExecProxy proxy;
  UaMsg *reply;
  int rc = ua_cmd_fetch_token (cli, &reply);

  if (rc != UA_EXIT_OK)
    return rc;
  /* --proxy: the command gets the proxy's address and key, never the
   * token (and the proxy ends with us if anything below fails). */
  if (cli->proxy && (rc = ua_execproxy_start (&proxy, reply, cli->min_valid)) != UA_EXIT_OK)
    {
      ua_msg_free (reply);
      return rc;
    }
  rc = ua_execenv_apply (cli, reply, cli->proxy ? &proxy : NULL);
  ua_msg_free (reply);
  if (rc < 0)
    return UA_EXIT_FAILURE;
  if (cli->proxy)
    return ua_execproxy_run (&proxy, cli->exec_argv);
  execvp (cli->exec_argv[0], cli->exec_argv);
  if (errno == ENOENT)
    {
      ua_out_error ("%s: command not found", cli->exec_argv[0]);
      return EXIT_NOT_FOUND;
    }
  ua_out_error ("cannot run %s: %s", cli->exec_argv[0], strerror (errno));
  return EXIT_CANNOT_RUN;
}
