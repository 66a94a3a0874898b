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

/* Checks the directory that holds @sock_path: it must be a directory (not a
 * link), owned by us, and closed to group and others.  With @create, a
 * missing directory is made with mode 0700 in the mkdir call itself.
 * Returns 0, or -1 with a sentence for the user in @err. */
int ua_sockpath_check_dir (const char *sock_path, bool create,
                           char *err, size_t errlen);
