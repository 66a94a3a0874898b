/* Request handlers, one per op, in the handle-*.c files.  Each takes the
 * request and must lead to exactly one reply on @conn (see server.h). */
#pragma once

#include "agent.h"

typedef void (*UaHandler) (UaAgent *agent, UaConn *conn, const UaMsg *request);

void ua_handle_token (UaAgent *agent, UaConn *conn, const UaMsg *request);
void ua_handle_forget (UaAgent *agent, UaConn *conn, const UaMsg *request);
void ua_handle_add (UaAgent *agent, UaConn *conn, const UaMsg *request);
void ua_handle_remove (UaAgent *agent, UaConn *conn, const UaMsg *request);
void ua_handle_list (UaAgent *agent, UaConn *conn, const UaMsg *request);
void ua_handle_status (UaAgent *agent, UaConn *conn, const UaMsg *request);
void ua_handle_doctor (UaAgent *agent, UaConn *conn, const UaMsg *request);
void ua_handle_login_start (UaAgent *agent, UaConn *conn, const UaMsg *request);
void ua_handle_login_wait (UaAgent *agent, UaConn *conn, const UaMsg *request);
void ua_handle_login_cancel (UaAgent *agent, UaConn *conn, const UaMsg *request);
void ua_handle_logout (UaAgent *agent, UaConn *conn, const UaMsg *request);
void ua_handle_ping (UaAgent *agent, UaConn *conn, const UaMsg *request);
void ua_handle_shutdown (UaAgent *agent, UaConn *conn, const UaMsg *request);
void ua_handle_lock (UaAgent *agent, UaConn *conn, const UaMsg *request);
void ua_handle_reload (UaAgent *agent, UaConn *conn, const UaMsg *request);

/* The profile a request names with `profile` or `match`, or the default,
 * as @conn may see them: on the restricted socket, only profiles marked
 * `forward` (and the default is the only such profile). */
UaProfile *ua_handler_profile (UaAgent *agent, UaConn *conn,
                               const UaMsg *request, GError **error);
/* The credential of that profile. */
UaCredential *ua_handler_credential (UaAgent *agent, UaConn *conn,
                                     const UaMsg *request, GError **error);
