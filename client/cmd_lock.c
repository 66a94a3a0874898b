/* lock: the agent forgets every token it holds, at once (screen lockers
 * run it).  Secrets stay in the keyring; the next request mints anew.
 * Silent on success, like the hooks that run it expect. */
#include "cmd.h"

#include "request.h"

int
ua_cmd_lock (const UaCli *cli)
{
  UaMsg *req = ua_request_new ("lock"), *reply = NULL;
  bool no_agent = false;
  int rc;

  if (req == NULL)
    return UA_EXIT_FAILURE;
  /* No agent means no token in memory: the lock is already done. */
  rc = ua_request_call (req, 0, &reply, &no_agent);
  ua_msg_free (req);
  if (no_agent)
    return UA_EXIT_OK;
  if (rc == UA_EXIT_OK && ua_reply_error (reply) != UA_ERR_NONE)
    rc = ua_reply_print_error (reply, ua_reply_error (reply));
  ua_msg_free (reply);
  return rc;
}
