#include "request.h"

#include <string.h>

#include "out.h"

UaMsg *
ua_request_new (const char *op)
{
  UaMsg *req = ua_msg_new ();

  if (req == NULL || ua_msg_add (req, "v", "1") != UA_MSG_OK ||
      ua_msg_add (req, "op", op) != UA_MSG_OK)
    {
      ua_msg_free (req);
      ua_out_error ("out of memory");
      return NULL;
    }
  return req;
}

bool
ua_request_add (UaMsg *req, const char *key, const char *value)
{
  UaMsgStatus st;

  if (value == NULL)
    return true;
  st = ua_msg_add (req, key, value);
  if (st == UA_MSG_BAD_VALUE)
    ua_out_error ("the value given for %s contains a line break; remove it", key);
  else if (st != UA_MSG_OK)
    ua_out_error ("cannot add %s to the request: %s", key, ua_msg_status_to_string (st));
  return st == UA_MSG_OK;
}

UaErrorCode
ua_reply_error (const UaMsg *reply)
{
  const char *status = ua_msg_get (reply, "status");

  if (status != NULL && strcmp (status, "ok") == 0)
    return UA_ERR_NONE;
  return ua_error_from_string (ua_msg_get (reply, "error"));
}

void
ua_reply_print_warnings (const UaMsg *reply)
{
  size_t n = ua_msg_count (reply);

  for (size_t i = 0; i < n; i++)
    if (strcmp (ua_msg_key (reply, i), "warning") == 0)
      ua_out_error ("warning: %s", ua_msg_value (reply, i));
}

int
ua_reply_print_error (const UaMsg *reply, UaErrorCode code)
{
  const char *message = ua_msg_get (reply, "message");
  const char *error = ua_msg_get (reply, "error");

  if (message != NULL && *message != '\0')
    ua_out_error ("%s", message);
  else if (ua_msg_get (reply, "status") == NULL)
    ua_out_error ("the agent sent a reply without a status; is it the same version as uipauth?");
  else
    ua_out_error ("the agent answered with error '%s'", error ? error : "(none)");
  return ua_error_exit_status (code);
}

int
ua_request_call (const UaMsg *req, unsigned conn_flags, UaMsg **reply,
                 bool *no_agent)
{
  UaConnError e;

  if (no_agent != NULL)
    *no_agent = false;
  if (ua_conn_call (req, conn_flags, reply, &e) < 0)
    {
      if (e.no_agent && no_agent != NULL)
        *no_agent = true;
      else
        ua_out_error ("%s", e.msg);
      return e.exit_status;
    }
  ua_reply_print_warnings (*reply);
  return UA_EXIT_OK;
}

int
ua_request_send (const UaMsg *req, unsigned conn_flags, UaMsg **reply)
{
  UaErrorCode code;
  int rc = ua_request_call (req, conn_flags, reply, NULL);

  if (rc != UA_EXIT_OK)
    return rc;
  code = ua_reply_error (*reply);
  if (code == UA_ERR_NONE)
    return UA_EXIT_OK;
  rc = ua_reply_print_error (*reply, code);
  ua_msg_free (*reply);
  *reply = NULL;
  return rc;
}

int
ua_request_send_profile (const char *op, const char *profile, UaMsg **reply)
{
  UaMsg *req = ua_request_new (op);
  int rc;

  *reply = NULL;
  if (req == NULL)
    return UA_EXIT_FAILURE;
  if (!ua_request_add (req, "profile", profile))
    {
      ua_msg_free (req);
      return UA_EXIT_USAGE;
    }
  rc = ua_request_send (req, UA_CONN_AUTOSTART, reply);
  ua_msg_free (req);
  return rc;
}
