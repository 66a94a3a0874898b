/* token and header: a bearer token on standard output. */
#include "cmd.h"

#include <stdlib.h>
#include <unistd.h>

#include "buf.h"
#include "out.h"
#include "request.h"

const char *
ua_cmd_profile (const UaCli *cli)
{
  const char *env;

  if (cli->profile != NULL)
    return cli->profile;
  env = getenv ("UIPAUTH_PROFILE");
  return env != NULL && *env != '\0' ? env : NULL;
}

static UaMsg *
token_request (const UaCli *cli, const char *profile)
{
  UaMsg *req = ua_request_new ("token");
  bool ok = req != NULL && ua_request_add (req, "profile", profile);

  if (ok && cli->min_valid >= 0)
    ok = ua_msg_add_int (req, "min_valid", cli->min_valid) == UA_MSG_OK;
  if (ok && cli->force_new)
    ok = ua_request_add (req, "force_new", "1");
  if (!ok)
    {
      ua_msg_free (req);
      return NULL;
    }
  return req;
}

int
ua_cmd_fetch_token (const UaCli *cli, UaMsg **reply)
{
  const char *profile = ua_cmd_profile (cli);
  UaMsg *req = token_request (cli, profile);
  const char *token;
  int rc;

  *reply = NULL;
  if (req == NULL)
    return UA_EXIT_USAGE;
  rc = ua_request_send (req, UA_CONN_AUTOSTART, reply);
  ua_msg_free (req);
  if (rc != UA_EXIT_OK)
    return rc;
  token = ua_msg_get (*reply, "token");
  if (token == NULL || *token == '\0')
    {
      profile = ua_msg_get (*reply, "profile");
      ua_out_error ("the agent sent no token for profile %s; see `uipauth status`",
                    profile ? profile : "(default)");
      ua_msg_free (*reply);
      *reply = NULL;
      return UA_EXIT_FAILURE;
    }
  return UA_EXIT_OK;
}

/* Prints @prefix, the token and a newline in one write. */
static int
print_token (const UaCli *cli, const char *prefix)
{
  UaBuf out = UA_BUF_INIT;
  UaMsg *reply;
  int rc = ua_cmd_fetch_token (cli, &reply);

  if (rc != UA_EXIT_OK)
    return rc;
  ua_buf_append_str (&out, prefix);
  ua_buf_append_str (&out, ua_msg_get (reply, "token"));
  ua_buf_append_char (&out, '\n');
  ua_msg_free (reply);
  rc = ua_out_buf (STDOUT_FILENO, &out);
  ua_buf_clear (&out);
  return rc;
}

int
ua_cmd_token (const UaCli *cli)
{
  return print_token (cli, "");
}

int
ua_cmd_header (const UaCli *cli)
{
  return print_token (cli, "Authorization: Bearer ");
}
