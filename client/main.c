/* uipauth: parse the command line and run the command.  Nothing else here:
 * the client runs once per API call, so start-up stays at what libc does. */
#include "cli.h"
#include "cmd.h"
#include "usage.h"

typedef int (*Handler) (const UaCli *cli);

static const Handler handlers[UA_CMD_LAST_] = {
  [UA_CMD_HELP] = ua_usage_print,
  [UA_CMD_VERSION] = ua_usage_version,
  [UA_CMD_ADD] = ua_cmd_add,
  [UA_CMD_REMOVE] = ua_cmd_remove,
  [UA_CMD_LIST] = ua_cmd_list,
  [UA_CMD_STATUS] = ua_cmd_status,
  [UA_CMD_TOKEN] = ua_cmd_token,
  [UA_CMD_HEADER] = ua_cmd_header,
  [UA_CMD_ENV] = ua_cmd_env,
  [UA_CMD_EXEC] = ua_cmd_exec,
  [UA_CMD_GET] = ua_cmd_get,
  [UA_CMD_STORE] = ua_cmd_store,
  [UA_CMD_ERASE] = ua_cmd_erase,
  [UA_CMD_AGENT] = ua_cmd_agent,
  [UA_CMD_PING] = ua_cmd_ping,
  [UA_CMD_LOGIN] = ua_cmd_login,
  [UA_CMD_IMPORT] = ua_cmd_import,
  [UA_CMD_LOGOUT] = ua_cmd_logout,
  [UA_CMD_LOCK] = ua_cmd_lock,
  [UA_CMD_DOCTOR] = ua_cmd_doctor,
};

int
main (int argc, char **argv)
{
  char err[512];
  UaCli cli;

  if (ua_cli_parse (argc, argv, &cli, err, sizeof err) < 0)
    return ua_usage_error (&cli, err);
  if (cli.help || handlers[cli.cmd] == NULL)
    return ua_usage_print (&cli);
  return handlers[cli.cmd] (&cli);
}
