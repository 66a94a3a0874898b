/* faults.c: parsing, arming and applying token-endpoint faults.
 *
 * Each fault mimics something a real identity server or the network
 * in front of it has been seen to do, so that the agent's handling of
 * it can be tested without the real thing.
 */
#include "faults.h"

#include <sys/socket.h>

#include "json-util.h"
#include "reply.h"
#include "routes.h"

/* libsoup 3.2 has no name for it. */
#define STATUS_TOO_MANY_REQUESTS 429

/* NULL-terminated so that error messages can list it. */
static const char *const mode_names[] = {
  [ID_FAULT_NONE] = "none",
  [ID_FAULT_DELAY] = "delay",
  [ID_FAULT_STATUS] = "status",
  [ID_FAULT_429] = "429",
  [ID_FAULT_HTML] = "html",
  [ID_FAULT_TRUNCATED] = "truncated",
  [ID_FAULT_GARBAGE_JSON] = "garbage_json",
  [ID_FAULT_WRONG_TYPE] = "wrong_type",
  [ID_FAULT_RESET] = "reset",
  [ID_FAULT_CLOSE] = "close",
  [ID_FAULT_HANG] = "hang",
  [ID_FAULT_ROTATE_LATE] = "rotate_late",
  NULL
};

/* What a wrong identity path tends to answer: a login page, status 200. */
static const char login_page[] =
  "<!DOCTYPE html>\n<html><head><title>Sign in - UiPath</title></head>\n"
  "<body><form method=\"post\" action=\"/identity_/Account/Login\">\n"
  "<input name=\"username\"><input type=\"password\" name=\"password\">\n"
  "<button type=\"submit\">Sign in</button></form></body></html>\n";

/* A plausible token answer; only its first half is ever sent. */
static const char whole_answer[] =
  "{\"access_token\":\"tok-truncated-0123456789abcdef\",\"expires_in\":3600,"
  "\"token_type\":\"Bearer\",\"scope\":\"OR.Default\"}";

void
id_fault_clear (IdFault *fault)
{
  *fault = (IdFault) { .mode = ID_FAULT_NONE, .retry_after = -1, .remaining = -1 };
}

const char *
id_fault_mode_name (IdFaultMode mode)
{
  return mode_names[mode];
}

static gboolean
mode_from_name (const char  *name,
                IdFaultMode *mode)
{
  for (guint i = 0; mode_names[i] != NULL; i++)
    if (g_strcmp0 (name, mode_names[i]) == 0)
      {
        *mode = i;
        return TRUE;
      }
  return FALSE;
}

/* {"mode": name, "ms", "code", "retry_after", "count"}: fields a mode
 * does not use are accepted and ignored. */
gboolean
id_fault_parse (JsonObject  *object,
                IdFault     *fault,
                GError     **error)
{
  const char *name = json_object_get_string_member_with_default (object, "mode", NULL);
  gint64 ms = 1000, code = 500, retry_after = -1, count = -1;

  id_fault_clear (fault);
  if (!mode_from_name (name, &fault->mode))
    {
      g_autofree char *known = g_strjoinv (", ", (char **) mode_names);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "\"mode\" must be a string, one of: %s", known);
      return FALSE;
    }
  if (!id_json_get_int (object, "ms", 0, G_MAXINT, &ms, error)
      || !id_json_get_int (object, "code", 200, 599, &code, error)
      || !id_json_get_int (object, "retry_after", 0, G_MAXINT, &retry_after, error)
      || !id_json_get_int (object, "count", 1, G_MAXINT, &count, error))
    return FALSE;

  fault->ms = ms;
  fault->code = fault->mode == ID_FAULT_429 ? STATUS_TOO_MANY_REQUESTS : code;
  fault->retry_after = retry_after;
  fault->remaining = count;
  return TRUE;
}

/* Returns the fault for one request and uses up one of its count. */
IdFault
id_fault_take (IdFault *armed)
{
  IdFault taken = *armed;

  if (armed->remaining > 0 && --armed->remaining == 0)
    id_fault_clear (armed);
  return taken;
}

static void
reply_failure (SoupServerMessage *msg,
               const IdFault     *fault)
{
  const char *error = fault->code == STATUS_TOO_MANY_REQUESTS
                      ? "too_many_requests" : "server_error";

  id_reply_error (msg, fault->code, error);
  if (fault->retry_after >= 0)
    {
      g_autofree char *seconds = g_strdup_printf ("%d", fault->retry_after);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", seconds);
    }
}

/* Takes the connection away from libsoup so that no answer is written.
 * SO_LINGER 0 turns close() into a RST, which is what "reset" means. */
static void
drop_connection (SoupServerMessage *msg,
                 gboolean           reset)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  g_autoptr(GIOStream) stream = NULL;

  if (reset && socket != NULL)
    {
      struct linger linger = { .l_onoff = 1, .l_linger = 0 };

      setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER,
                  &linger, sizeof linger);
    }
  id_request_done (msg, reset ? "reset" : "closed");
  stream = soup_server_message_steal_connection (msg);
  g_io_stream_close (stream, NULL, NULL);
}

/* Answers the request according to the fault.  Always consumes data:
 * answer() runs now, later, or never, and destroy() always runs. */
void
id_fault_run (IdPending         *pending,
              SoupServerMessage *msg,
              const IdFault     *fault,
              IdAnswerFunc       answer,
              gpointer           data,
              GDestroyNotify     destroy)
{
  switch (fault->mode)
    {
    case ID_FAULT_DELAY:
    case ID_FAULT_ROTATE_LATE:  /* the grant already ran (token.c) */
      id_pending_park (pending, msg, fault->ms, answer, data, destroy);
      return;
    case ID_FAULT_HANG:
      id_pending_park (pending, msg, ID_PENDING_FOREVER, answer, data, destroy);
      return;
    case ID_FAULT_NONE:
    case ID_FAULT_WRONG_TYPE:   /* the answer itself is altered */
      answer (msg, data);
      break;
    case ID_FAULT_STATUS:
    case ID_FAULT_429:
      reply_failure (msg, fault);
      break;
    case ID_FAULT_HTML:
      id_reply_raw (msg, SOUP_STATUS_OK, "text/html; charset=utf-8",
                    login_page, sizeof login_page - 1);
      break;
    case ID_FAULT_TRUNCATED:
      id_reply_raw (msg, SOUP_STATUS_OK, ID_JSON_TYPE,
                    whole_answer, (sizeof whole_answer - 1) / 2);
      break;
    case ID_FAULT_GARBAGE_JSON:
      id_reply_raw (msg, SOUP_STATUS_OK, ID_JSON_TYPE, "{\"foo\":1}", 9);
      break;
    case ID_FAULT_RESET:
    case ID_FAULT_CLOSE:
      drop_connection (msg, fault->mode == ID_FAULT_RESET);
      break;
    }
  destroy (data);
}
