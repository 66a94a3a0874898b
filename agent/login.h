/* `uipauth login`: authorization code + PKCE (S256).  A login belongs to
 * one credential (at most one pending each): it opens the loopback
 * listener, judges the browser's redirect, exchanges the code and stores
 * the first refresh token.  Retiring the credential (remove, --replace, a
 * changed profile) cancels its login, and an answer that arrives after is
 * wiped and dropped.  The agent keeps logins by id for login-wait
 * (handle-login.c).  Owned by the main context. */
#pragma once

#include "agent.h"
#include "credential.h"

/* Default and largest wait for the browser. */
#define UA_LOGIN_TIMEOUT_DEFAULT_S 300
#define UA_LOGIN_TIMEOUT_MAX_S 3600
/* A finished login's result stays readable by login-wait this long. */
#define UA_LOGIN_LINGER_S 60

/* Starts listening for @credential's sign-in for @timeout_s seconds;
 * added to agent->logins.  A login still pending for the credential is
 * cancelled first. */
UaLogin *ua_login_start (UaAgent *agent, UaCredential *credential,
                         guint timeout_s, GError **error);
const char *ua_login_id (UaLogin *login);
const char *ua_login_authorize_url (UaLogin *login);
const char *ua_login_redirect_uri (UaLogin *login);
const char *ua_login_profile (UaLogin *login);

/* Answers @conn (login-wait) with the result: now when it is known,
 * otherwise once it is. */
void ua_login_wait (UaLogin *login, UaConn *conn);
/* Ends a pending login with @why (taken); no-op on an ended one.
 * Whether it was pending. */
gboolean ua_login_cancel (UaLogin *login, GError *why);
/* For agent->logins' value destructor. */
void ua_login_free (UaLogin *login);
