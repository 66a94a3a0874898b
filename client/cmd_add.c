/* add and remove: the profiles the agent keeps. */
#include "cmd.h"

#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "buf.h"
#include "kinds.h"
#include "out.h"
#include "prompt.h"
#include "request.h"
#include "secretin.h"

void
ua_cmd_harden (void)
{
  struct rlimit no_core = { 0, 0 };

  prctl (PR_SET_DUMPABLE, 0, 0, 0, 0);
  setrlimit (RLIMIT_CORE, &no_core);
}

static const char *
secret_name (const char *type)
{
  UaKind kind;

  if (ua_kind_from_name (type, &kind) && ua_kind_info (kind)->secret_what != NULL)
    return ua_kind_info (kind)->secret_what;
  return "Secret";
}

static UaSecret *
read_secret (const UaCli *cli)
{
  const char *user = cli->settings[UA_SETTING_USERNAME];
  char what[256], prompt[320], err[512];
  UaSecret *secret;

  if (strcmp (cli->type, "password") == 0 && user != NULL)
    snprintf (what, sizeof what, "Password of %s for %s", user, cli->profile);
  else
    snprintf (what, sizeof what, "%s for %s", secret_name (cli->type), cli->profile);
  if (cli->secret_stdin || !isatty (STDIN_FILENO))
    secret = ua_secretin_read_fd (STDIN_FILENO, what, err, sizeof err);
  else
    {
      snprintf (prompt, sizeof prompt, "%s: ", what);
      secret = ua_secretin_prompt (prompt, what, err, sizeof err);
    }
  if (secret == NULL)
    ua_out_error ("%s; give it on standard input, e.g. "
                  "printf '%%s' \"$SECRET\" | uipauth add %s --type %s ...",
                  err, cli->profile, cli->type);
  return secret;
}

/* Several --match patterns travel as one space-separated value. */
static bool
add_match (UaMsg *req, const UaCli *cli)
{
  UaBuf joined = UA_BUF_INIT;
  bool ok;

  if (cli->n_match == 0)
    return true;
  for (size_t i = 0; i < cli->n_match; i++)
    {
      if (i > 0)
        ua_buf_append_char (&joined, ' ');
      ua_buf_append_str (&joined, cli->match[i]);
    }
  ok = !joined.oom && ua_request_add (req, "match", joined.data);
  ua_buf_clear (&joined);
  return ok;
}

static UaMsg *
add_request (const UaCli *cli)
{
  UaMsg *req = ua_request_new ("add");
  bool ok = req && ua_request_add (req, "profile", cli->profile) &&
            ua_request_add (req, "type", cli->type);

  for (int s = 0; s < UA_SETTING_LAST_ && ok; s++)
    ok = ua_request_add (req, ua_cli_setting_key ((UaSetting) s), cli->settings[s]);
  ok = ok && add_match (req, cli) &&
       ua_request_add (req, "allow_password", cli->allow_password ? "true" : NULL) &&
       ua_request_add (req, "exchange", cli->exchange ? "true" : NULL) &&
       ua_request_add (req, "confidential", cli->confidential ? "true" : NULL) &&
       ua_request_add (req, "forward", cli->forward ? "true" : NULL) &&
       ua_request_add (req, "replace", cli->replace ? "1" : NULL);
  if (!ok)
    {
      ua_msg_free (req);
      return NULL;
    }
  return req;
}

static bool
add_secret (UaMsg *req, const UaCli *cli)
{
  UaSecret *secret = read_secret (cli);
  UaMsgStatus st;

  if (secret == NULL)
    return false;
  st = ua_msg_add_len (req, "secret", ua_secret_get (secret), ua_secret_len (secret));
  ua_secret_free (secret);
  if (st != UA_MSG_OK)
    ua_out_error ("cannot add the secret to the request: %s", ua_msg_status_to_string (st));
  return st == UA_MSG_OK;
}

int
ua_cmd_add (const UaCli *cli)
{
  UaMsg *req, *reply = NULL;
  UaBuf out = UA_BUF_INIT;
  int rc;

  ua_cmd_harden ();
  if ((req = add_request (cli)) == NULL)
    return UA_EXIT_USAGE;
  /* A missing or unusable secret is bad input, like a bad option. */
  if (ua_cli_add_reads_secret (cli) && !add_secret (req, cli))
    {
      ua_msg_free (req);
      return UA_EXIT_USAGE;
    }
  rc = ua_request_send (req, UA_CONN_AUTOSTART, &reply);
  ua_msg_free (req);
  if (rc != UA_EXIT_OK)
    return rc;
  ua_buf_printf (&out, "Added profile %s (%s).\n", cli->profile, cli->type);
  if (ua_cli_needs_secret (cli) && !ua_cli_add_reads_secret (cli))
    ua_buf_printf (&out, "Its secret is read from %s at every mint.\n",
                   cli->settings[UA_SETTING_SECRET_SOURCE]);
  if (strcmp (cli->type, "authorization-code") == 0)
    ua_buf_printf (&out, "Sign in with: uipauth login %s\n", cli->profile);
  ua_msg_free (reply);
  rc = ua_out_buf (STDOUT_FILENO, &out);
  ua_buf_clear (&out);
  return rc;
}

int
ua_cmd_remove (const UaCli *cli)
{
  UaMsg *reply = NULL;
  UaBuf out = UA_BUF_INIT;
  const char *revoked;
  int rc;

  rc = ua_request_send_profile ("remove", cli->profile, &reply);
  if (rc != UA_EXIT_OK)
    return rc;
  revoked = ua_msg_get (reply, "revoked");
  if (revoked != NULL && revoked[0] == '1')
    ua_buf_printf (&out, "Removed profile %s; its sign-in was revoked at the "
                   "identity server.\n", cli->profile);
  else
    ua_buf_printf (&out, "Removed profile %s.\n", cli->profile);
  ua_msg_free (reply);
  rc = ua_out_buf (STDOUT_FILENO, &out);
  ua_buf_clear (&out);
  return rc;
}
