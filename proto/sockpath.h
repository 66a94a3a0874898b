/* Where the agent's socket lives, and the checks on its directory that the
 * agent and the client both make. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* sockaddr_un.sun_path holds 108 bytes including the NUL. */
#define UA_SOCKPATH_MAX 108

/* $UIPAUTH_SOCK, else $XDG_RUNTIME_DIR/uipauth/agent.sock, else
 * /tmp/uipauth-$UID/agent.sock.  Returns 0, or -1 with @err filled when the
 * path would not fit in a sockaddr_un. */
int ua_sockpath_default (char *buf, size_t size, char *err, size_t errlen);

/* The restricted socket beside @sock_path, in the same directory:
 * "DIR/agent.sock" gives "DIR/agent.restricted.sock" (a name that does not
 * end in ".sock" gets ".restricted.sock" appended).  Returns 0, or -1 when
 * it would not fit in @size or a sockaddr_un. */
int ua_sockpath_restricted (const char *sock_path, char *buf, size_t size);

/* The agent records which socket file it bound in the lock it holds beside
 * it ("SOCK.lock"): the socket's inode and change time, one line.  So a client that finds
 * a socket refusing connections can tell a dead agent's socket (start a
 * new agent in its place) from one no agent of this host made, such as
 * the end of an `ssh -R` forward whose connection has ended (do not).
 * Returns 0, or -1 with errno. */
int ua_sockpath_mark (int lock_fd, const char *sock_path);
/* Whether the socket file at @sock_path is the one an agent of this host
 * bound and recorded in its lock file. */
bool ua_sockpath_bound_here (const char *sock_path);

/* Checks the directory that holds @sock_path: it must be a directory (not a
 * link), owned by us, and closed to group and others.  With @create, a
 * missing directory is made with mode 0700 in the mkdir call itself.
 * Returns 0, or -1 with a sentence for the user in @err. */
int ua_sockpath_check_dir (const char *sock_path, bool create,
                           char *err, size_t errlen);
