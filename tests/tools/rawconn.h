/* Speaking the agent protocol from test tools, with plain libc. */
#pragma once

#include <stddef.h>

int ua_raw_connect (const char *path);
int ua_raw_write_all (int fd, const void *buf, size_t len);
/* Prints every reply frame as key=value lines followed by "--", until EOF
 * or @timeout_ms of silence; prints "EOF" when the agent closed the
 * connection.  Returns the number of replies. */
int ua_raw_print_replies (int fd, int timeout_ms, int max_replies);
