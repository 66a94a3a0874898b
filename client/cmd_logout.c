/* logout: the agent revokes the sign-in at the identity server and
 * forgets it.  A revocation that fails is a warning (printed from the
 * reply), not a failure: the sign-in is forgotten here either way, and
 * running logout again could not revoke it any more. */
#include "cmd.h"

#include <unistd.h>

#include "buf.h"
#include "out.h"
#include "request.h"

int
ua_cmd_logout (const UaCli *cli)
{
  UaMsg *reply = NULL;
  UaBuf out = UA_BUF_INIT;
  const char *profile, *signed_in, *revoked;
  int rc;

  rc = ua_request_send_profile ("logout", ua_cmd_profile (cli), &reply);
  if (rc != UA_EXIT_OK)
    return rc;
  profile = ua_msg_get (reply, "profile");
  signed_in = ua_msg_get (reply, "signed_in");
  revoked = ua_msg_get (reply, "revoked");
  if (profile == NULL)
    profile = "";
  if (signed_in != NULL && signed_in[0] == '0')
    ua_buf_printf (&out, "Profile %s was not signed in; its cached tokens are "
                   "forgotten.\n", profile);
  else if (revoked != NULL && revoked[0] == '1')
    ua_buf_printf (&out, "Signed out: profile %s's sign-in was revoked at the "
                   "identity server and forgotten here.\n", profile);
  else
    ua_buf_printf (&out, "Signed out: profile %s's sign-in is forgotten here "
                   "(not revoked at the identity server, see above).\n", profile);
  ua_msg_free (reply);
  rc = ua_out_buf (STDOUT_FILENO, &out);
  ua_buf_clear (&out);
  return rc;
}
