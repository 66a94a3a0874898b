#include "config.h"

#include "handlers.h"
#include "login.h"
#include "logout.h"
#include "reply.h"
#include "ua-error.h"

static gboolean
parse_timeout (const UaMsg *request, guint *out, GError **error)
{
  long long v = UA_LOGIN_TIMEOUT_DEFAULT_S;

  if (ua_msg_get (request, "timeout") != NULL
      && (!ua_msg_get_int (request, "timeout", &v) || v < 1 || v > UA_LOGIN_TIMEOUT_MAX_S))
    {
      g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                   "timeout must be a number of seconds from 1 to %d",
                   UA_LOGIN_TIMEOUT_MAX_S);
      return FALSE;
    }
  *out = (guint) v;
  return TRUE;
}

/* The credential of an authorization-code profile the request names, or
 * NULL with an error: the ops of signing in and out are for no other. */
static UaCredential *
signin_credential (UaAgent *agent, UaConn *conn, const UaMsg *request,
                   const char *command, GError **error)
{
  UaCredential *credential = ua_handler_credential (agent, conn, request, error);

  if (credential != NULL && credential->profile->type != UA_KIND_AUTHORIZATION_CODE)
    {
      g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                   "profile \"%s\" is of type %s; \"uipauth %s\" is for "
                   "authorization-code profiles", credential->profile->name,
                   credential->profile->kind->name, command);
      return NULL;
    }
  return credential;
}

void
ua_handle_login_start (UaAgent *agent, UaConn *conn, const UaMsg *request)
{
  g_autoptr(GError) error = NULL;
  UaCredential *credential = signin_credential (agent, conn, request, "login", &error);
  guint timeout = 0;
  UaLogin *login = NULL;
  UaMsg *reply;

  if (error != NULL || !parse_timeout (request, &timeout, &error)
      || (login = ua_login_start (agent, credential, timeout, &error)) == NULL)
    {
      ua_conn_reply (conn, ua_reply_from_gerror (error));
      return;
    }
  reply = ua_reply_ok ();
  ua_reply_add (reply, "profile", ua_login_profile (login));
  ua_reply_add (reply, "login", ua_login_id (login));
  ua_reply_add (reply, "authorize_url", ua_login_authorize_url (login));
  ua_reply_add (reply, "redirect_uri", ua_login_redirect_uri (login));
  ua_reply_add_int (reply, "timeout", timeout);
  /* The client opens the browser, in the user's session: an agent run
   * by systemd may have no display, and has no business starting one. */
  ua_reply_add (reply, "browser", "0");
  ua_conn_reply (conn, reply);
}

/* The login a request names with `login`, or NULL after answering. */
static UaLogin *
named_login (UaAgent *agent, UaConn *conn, const UaMsg *request)
{
  const char *id = ua_msg_get (request, "login");
  UaLogin *login = id ? g_hash_table_lookup (agent->logins, id) : NULL;

  if (login == NULL)
    ua_conn_reply (conn, ua_reply_error (UA_ERR_INVALID_ARGUMENT,
                                         "no such login: it ended more than a "
                                         "minute ago or the agent restarted; run "
                                         "\"uipauth login PROFILE\" again"));
  return login;
}

void
ua_handle_login_wait (UaAgent *agent, UaConn *conn, const UaMsg *request)
{
  UaLogin *login = named_login (agent, conn, request);

  if (login != NULL)
    ua_login_wait (login, conn);
}

/* Ctrl-C on `uipauth login`: the port closes now, not at the timeout.
 * A login that has ended already is left as it ended. */
void
ua_handle_login_cancel (UaAgent *agent, UaConn *conn, const UaMsg *request)
{
  UaLogin *login = named_login (agent, conn, request);
  const char *name;
  gboolean cancelled;
  UaMsg *reply;

  if (login == NULL)
    return;
  name = ua_login_profile (login);
  cancelled = ua_login_cancel (login, g_error_new (UA_ERROR, UA_ERR_LOGIN_REQUIRED,
                                                   "profile \"%s\": the sign-in was "
                                                   "cancelled; the stored sign-in is "
                                                   "unchanged; run \"uipauth login "
                                                   "%s\" again", name, name));
  reply = ua_reply_ok ();
  ua_reply_add (reply, "profile", name);
  ua_reply_add_int (reply, "cancelled", cancelled);
  ua_conn_reply (conn, reply);
}

typedef struct {
  UaConn *conn;
  char *name;
} LogoutCall;

static void
signed_out (GObject *source, GAsyncResult *res, gpointer data)
{
  LogoutCall *call = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(UaLogoutResult) result = ua_logout_finish (res, &error);
  UaMsg *reply;

  if (result == NULL)
    reply = ua_reply_from_gerror (error);
  else
    {
      reply = ua_reply_ok ();
      ua_reply_add (reply, "profile", call->name);
      ua_logout_result_reply (result, reply);
    }
  ua_conn_reply (call->conn, reply);
  ua_conn_unref (call->conn);
  g_free (call->name);
  g_free (call);
}

void
ua_handle_logout (UaAgent *agent, UaConn *conn, const UaMsg *request)
{
  g_autoptr(GError) error = NULL;
  UaCredential *credential = signin_credential (agent, conn, request, "logout", &error);
  LogoutCall *call;

  if (credential == NULL)
    {
      ua_conn_reply (conn, ua_reply_from_gerror (error));
      return;
    }
  call = g_new0 (LogoutCall, 1);
  call->conn = ua_conn_ref (conn);
  call->name = g_strdup (credential->profile->name);
  ua_logout_async (credential, signed_out, call);
}
