#include "config.h"

#include "reply.h"

#include "ua-error.h"

static UaMsg *
reply_new (const char *status)
{
  UaMsg *reply = ua_msg_new ();

  g_assert (reply != NULL);
  ua_msg_add_int (reply, "v", UA_PROTOCOL_VERSION);
  ua_msg_add (reply, "status", status);
  return reply;
}

UaMsg *
ua_reply_ok (void)
{
  return reply_new ("ok");
}

/* A message may come from a server's answer: keep it on one line. */
static char *
one_line (const char *message)
{
  char *s = g_strdup (message ? message : "");

  for (char *p = s; *p != '\0'; p++)
    if (*p == '\r' || *p == '\n')
      *p = ' ';
  return s;
}

UaMsg *
ua_reply_error (UaErrorCode code, const char *message)
{
  UaMsg *reply = reply_new ("error");
  g_autofree char *line = one_line (message);

  ua_msg_add (reply, "error", ua_error_to_string (code));
  ua_msg_add (reply, "message", line);
  return reply;
}

UaMsg *
ua_reply_from_gerror (const GError *error)
{
  return ua_reply_error (ua_error_code (error), error->message);
}

void
ua_reply_add (UaMsg *reply, const char *key, const char *value)
{
  if (value != NULL && ua_msg_add (reply, key, value) != UA_MSG_OK)
    g_warning ("dropped reply field %s: not representable", key);
}

void
ua_reply_add_int (UaMsg *reply, const char *key, gint64 value)
{
  ua_msg_add_int (reply, key, value);
}
