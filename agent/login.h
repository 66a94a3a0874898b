/* `uipauth login`: authorization code + PKCE (S256) with a loopback
 * listener for the browser's redirect.  Two ops, because one request gets
 * one reply: login-start opens the listener and answers with the URL to
 * visit; login-wait answers once the code was exchanged and the refresh
 * token stored, or the login failed or timed out. */
#pragma once

#include "agent.h"

/* Default and largest wait for the browser. */
#define UA_LOGIN_TIMEOUT_DEFAULT_S 300
#define UA_LOGIN_TIMEOUT_MAX_S 3600
/* A finished login's result stays readable by login-wait this long. */
#define UA_LOGIN_LINGER_S 60
/* A browser connection must send its request line within this. */
#define UA_LOGIN_PEER_TIMEOUT_S 10
/* Connections to the listener served at once; more are closed. */
#define UA_LOGIN_MAX_PEERS 16

void ua_handle_login_start (UaAgent *agent, UaConn *conn, const UaMsg *request);
void ua_handle_login_wait (UaAgent *agent, UaConn *conn, const UaMsg *request);
