#include "config.h"

#include "handlers.h"
#include "login.h"
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

static void
open_browser (UaLogin *login, UaMsg *reply)
{
  g_autoptr(GError) error = NULL;

  if (g_app_info_launch_default_for_uri (ua_login_authorize_url (login), NULL, &error))
    {
      ua_reply_add (reply, "browser", "1");
      return;
    }
  ua_reply_add (reply, "browser", "0");
  ua_reply_add (reply, "warning", "could not open a web browser; open the "
                                  "sign-in URL yourself");
  g_message ("login for profile %s: no browser: %s", ua_login_profile (login),
             error->message);
}

void
ua_handle_login_start (UaAgent *agent, UaConn *conn, const UaMsg *request)
{
  g_autoptr(GError) error = NULL;
  UaCredential *credential = ua_handler_credential (agent, conn, request, &error);
  guint timeout = 0;
  UaLogin *login = NULL;
  UaMsg *reply;

  if (credential != NULL && credential->profile->type != UA_KIND_AUTHORIZATION_CODE)
    g_set_error (&error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                 "profile \"%s\" is of type %s; \"uipauth login\" is for "
                 "authorization-code profiles", credential->profile->name,
                 credential->profile->kind->name);
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
  if (!ua_msg_get_bool (request, "no_browser"))
    open_browser (login, reply);
  ua_conn_reply (conn, reply);
}

void
ua_handle_login_wait (UaAgent *agent, UaConn *conn, const UaMsg *request)
{
  const char *id = ua_msg_get (request, "login");
  UaLogin *login = id ? g_hash_table_lookup (agent->logins, id) : NULL;

  if (login == NULL)
    {
      ua_conn_reply (conn, ua_reply_error (UA_ERR_INVALID_ARGUMENT,
                                           "no such login: it ended more than a "
                                           "minute ago or the agent restarted; run "
                                           "\"uipauth login PROFILE\" again"));
      return;
    }
  ua_login_wait (login, conn);
}
