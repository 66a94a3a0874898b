/* get, store and erase: git's credential helper (git-credential(1)).
 * Tokens go to git marked ephemeral; nothing git sends is kept, and
 * nothing git reports can delete a stored secret. */
#include "cmd.h"

#include <stdlib.h>
#include <unistd.h>

#include "buf.h"
#include "gitcred.h"
#include "out.h"
#include "request.h"

/* git may keep using a credential for a whole push or clone: hand out
 * tokens with some life left in them. */
#define GIT_MIN_VALID_DEFAULT 300

/* The request for @cred: by --profile when given, else by the profile our
 * state[] named (git >= 2.46 hands it back on erase), else by URL. */
static UaMsg *
git_request (const UaCli *cli, const char *op, const UaGitCred *cred, long min_valid)
{
  UaMsg *req = ua_request_new (op);
  const char *profile = cli->profile ? cli->profile : cred->state_profile;
  char *url = profile ? NULL : ua_gitcred_url (cred);
  bool ok = req != NULL && (profile || url);

  if (ok)
    ok = profile ? ua_request_add (req, "profile", profile)
                 : ua_request_add (req, "match", url);
  if (ok && min_valid >= 0)
    ok = ua_msg_add_int (req, "min_valid", min_valid) == UA_MSG_OK;
  free (url);
  if (!ok)
    {
      ua_msg_free (req);
      return NULL;
    }
  return req;
}

static int
read_request (UaGitCred *cred)
{
  char err[512];

  if (ua_gitcred_read (STDIN_FILENO, cred, err, sizeof err) == 0)
    return 0;
  ua_out_error ("%s", err);
  return -1;
}

/* Answers a token reply, or stays silent when no profile matches, so that
 * git goes on to its other helpers. */
static int
answer_get (const UaCli *cli, const UaGitCred *cred, long min_valid,
            const UaMsg *reply)
{
  UaErrorCode code = ua_reply_error (reply);
  const char *token = ua_msg_get (reply, "token");
  UaBuf out = UA_BUF_INIT;
  int rc;

  if (code == UA_ERR_UNKNOWN_PROFILE && cli->profile == NULL)
    return UA_EXIT_OK;
  if (code != UA_ERR_NONE)
    return ua_reply_print_error (reply, code);
  if (token == NULL || *token == '\0')
    {
      ua_out_error ("the agent sent no token for %s; see `uipauth status`", cred->host);
      return UA_EXIT_FAILURE;
    }
  if (ua_gitcred_format_reply (cred, reply, min_valid, &out) < 0)
    {
      ua_out_error ("the agent's answer for %s holds a line break; not passing it to git",
                    cred->host);
      return UA_EXIT_FAILURE;
    }
  rc = ua_out_buf (STDOUT_FILENO, &out);
  ua_buf_clear (&out);
  return rc;
}

int
ua_cmd_get (const UaCli *cli)
{
  UaGitCred cred;
  UaMsg *req, *reply = NULL;
  long min_valid = cli->min_valid >= 0 ? cli->min_valid : GIT_MIN_VALID_DEFAULT;
  int rc;

  if (read_request (&cred) < 0)
    return UA_EXIT_FAILURE;
  req = git_request (cli, "token", &cred, min_valid);
  rc = req ? ua_request_call (req, UA_CONN_AUTOSTART, &reply, NULL) : UA_EXIT_USAGE;
  if (rc == UA_EXIT_OK)
    rc = answer_get (cli, &cred, min_valid, reply);
  ua_msg_free (req);
  ua_msg_free (reply);
  ua_gitcred_clear (&cred);
  return rc;
}

/* git calls store after a request worked.  What git holds is a token the
 * agent minted or a PAT the keyring already has: there is nothing to keep,
 * and nothing git sends may replace a stored secret.  The request is read
 * (and wiped) only so that git never writes into a closed pipe. */
int
ua_cmd_store (const UaCli *cli)
{
  UaGitCred cred;
  char err[512];

  if (ua_gitcred_read (STDIN_FILENO, &cred, err, sizeof err) == 0)
    ua_gitcred_clear (&cred);
  return UA_EXIT_OK;
}

/* Whether an erase is about a credential we gave.  git >= 2.46 hands our
 * state[] back with it; when git speaks state[] and there is none, the
 * rejected password came from another helper, and our token is fine. */
static bool
erase_is_ours (const UaGitCred *cred)
{
  return cred->state_profile != NULL || !cred->state;
}

int
ua_cmd_erase (const UaCli *cli)
{
  UaGitCred cred;
  UaMsg *req, *reply = NULL;
  UaErrorCode code;
  bool no_agent = false;
  int rc;

  if (read_request (&cred) < 0)
    return UA_EXIT_FAILURE;
  if (!erase_is_ours (&cred))
    {
      ua_gitcred_clear (&cred);
      return UA_EXIT_OK;
    }
  /* git erases a credential after the server refused it.  We drop only the
   * cached token (op=forget), so that the next get mints a new one: a
   * token can be revoked or cut short, but the long-lived secret behind it
   * stays in the keyring until `uipauth remove`. */
  req = git_request (cli, "forget", &cred, -1);
  /* No agent running means no cached token to drop: do not start one. */
  rc = req ? ua_request_call (req, 0, &reply, &no_agent) : UA_EXIT_USAGE;
  if (no_agent)
    rc = UA_EXIT_OK;
  else if (rc == UA_EXIT_OK)
    {
      code = ua_reply_error (reply);
      if (code != UA_ERR_NONE && code != UA_ERR_UNKNOWN_OP && code != UA_ERR_UNKNOWN_PROFILE)
        rc = ua_reply_print_error (reply, code);
    }
  ua_msg_free (req);
  ua_msg_free (reply);
  ua_gitcred_clear (&cred);
  return rc;
}
