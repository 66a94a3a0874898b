/* list and status: what the agent knows, never a secret or a token. */
#include "cmd.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "format.h"
#include "out.h"
#include "request.h"

static int
show (const UaCli *cli, const char *op)
{
  UaMsg *req = ua_request_new (op), *reply = NULL;
  UaProfileList list;
  UaBuf out = UA_BUF_INIT;
  bool is_list = strcmp (op, "list") == 0;
  int rc;

  if (req == NULL)
    return UA_EXIT_FAILURE;
  if (cli->callers && !ua_request_add (req, "callers", "1"))
    {
      ua_msg_free (req);
      return UA_EXIT_FAILURE;
    }
  rc = ua_request_send (req, UA_CONN_AUTOSTART, &reply);
  ua_msg_free (req);
  if (rc != UA_EXIT_OK)
    return rc;
  if (ua_format_profiles (reply, &list) < 0)
    out.oom = true;
  else if (is_list && list.n == 0 && !cli->json && ua_msg_get_bool (reply, "restricted"))
    ua_out_error ("no profile is forwarded to this host; on the host where uipauth-agent "
                  "runs, mark one with `uipauth add PROFILE --forward ... --replace`");
  else if (is_list && list.n == 0 && !cli->json)
    ua_out_error ("no profiles yet; add one with `uipauth add PROFILE --type pat --url URL ...`");
  else if (is_list)
    ua_format_list (&list, cli->json, &out);
  else
    ua_format_status (reply, &list, cli->json, time (NULL), &out);
  rc = ua_out_buf (STDOUT_FILENO, &out);
  ua_format_profiles_clear (&list);
  ua_msg_free (reply);
  ua_buf_clear (&out);
  return rc;
}

int
ua_cmd_list (const UaCli *cli)
{
  return show (cli, "list");
}

int
ua_cmd_status (const UaCli *cli)
{
  return show (cli, "status");
}
