/* The agent's sockets: listening, accepting (peer uid checked on every
 * accept), reading requests (conn-reader.h frames them) and writing
 * replies, on the main loop with non-blocking descriptors.  One request
 * per connection is handled at a time, so replies come back in order; a
 * handler may answer later.
 *
 * Two sockets: the agent's own, and beside it the restricted one, meant to
 * be forwarded to other hosts over ssh.  Every connection knows which one
 * accepted it; what may be asked there is dispatch.c's to decide. */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "ua-msg.h"
#include "ua-secret.h"

/* Simultaneous client connections; more get a `busy` reply.  Also capped
 * by the descriptor limit.  Each of the three limits below can be lowered,
 * never raised, through the environment (UIPAUTH_MAX_CONNECTIONS,
 * UIPAUTH_REQUEST_TIMEOUT, UIPAUTH_IDLE_TIMEOUT, in seconds) so tests of
 * abusive peers run in seconds. */
#define UA_SERVER_MAX_CONNECTIONS 4096
/* A request that has started to arrive must be complete within this. */
#define UA_CONN_REQUEST_TIMEOUT_S 10
/* A connection with nothing to do is closed after this. */
#define UA_CONN_IDLE_TIMEOUT_S 120
/* Past this much of its replies unread, no further request is taken from
 * a peer until they drain below it (and it is closed if they do not drain
 * within the request timeout).  Small, because it is paid per connection:
 * with the one capped request a connection may hold, it bounds what the
 * connection limit lets peers that never read cost the agent
 * (docs/security.md). */
#define UA_CONN_MAX_PENDING_OUT (64u * 1024u)

typedef struct UaServer UaServer;
typedef struct UaConn UaConn;

typedef enum {
  UA_SOCKET_MAIN,        /* everything, for the user's own processes */
  UA_SOCKET_RESTRICTED,  /* tokens of forwardable profiles only */
  UA_SOCKET_LAST_,
} UaSocketKind;

/* "main" or "restricted", as logs and `status` name them. */
const char *ua_socket_kind_name (UaSocketKind kind);

/* Takes @request.  Must lead to exactly one ua_conn_reply() on @conn, now
 * or later (hold a reference to answer later). */
typedef void (*UaServerHandler) (UaConn *conn, UaMsg *request, gpointer user_data);

UaServer *ua_server_new (UaServerHandler handler, gpointer user_data);
/* Stops listening, closes every connection, removes the socket file. */
void ua_server_free (UaServer *server);

/* Binds @path after checking its directory (creating it 0700), and the
 * restricted socket beside it (ua_sockpath_restricted()); without the
 * latter the agent still serves, with a warning.  A stale socket left by a
 * dead agent is replaced; one that answers is an error (UA_ERR_EXISTS). */
gboolean ua_server_listen (UaServer *server, const char *path, GError **error);
/* Uses an already listening socket as @kind (socket activation).  Its file
 * is not removed on exit. */
gboolean ua_server_adopt (UaServer *server, int fd, UaSocketKind kind,
                          GError **error);
/* The file of the socket of @kind the server bound, or NULL (adopted, or
 * none). */
const char *ua_server_path (UaServer *server, UaSocketKind kind);
/* Starts accepting on the main context. */
void ua_server_start (UaServer *server);

guint ua_server_n_connections (UaServer *server);
/* Monotonic time of the last request, for idle exit. */
gint64 ua_server_last_activity (UaServer *server);

UaConn *ua_conn_ref (UaConn *conn);
void ua_conn_unref (UaConn *conn);
/* Takes @reply.  Harmless on a connection that has gone away. */
void ua_conn_reply (UaConn *conn, UaMsg *reply);
/* The peer as SO_PEERCRED saw it when it connected. */
pid_t ua_conn_peer_pid (UaConn *conn);
uid_t ua_conn_peer_uid (UaConn *conn);
/* Its executable and name (peer.h), NULL when /proc would not say; read
 * the first time they are asked for, while the peer waits for a reply. */
const char *ua_conn_peer_exe (UaConn *conn);
const char *ua_conn_peer_comm (UaConn *conn);
/* Which socket accepted @conn. */
UaSocketKind ua_conn_socket (UaConn *conn);
gboolean ua_conn_restricted (UaConn *conn);
/* FALSE once the connection has closed: a reply would go nowhere. */
gboolean ua_conn_is_open (UaConn *conn);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UaServer, ua_server_free)
