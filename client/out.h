/* Output without stdio: every message goes out in one write(2), so nothing
 * sits in a buffer that a crash or an exec could lose or duplicate. */
#pragma once

#include <stddef.h>

#include "buf.h"

/* Writes all of @data, retrying on EINTR and short writes.  0 or -1. */
int ua_out_write (int fd, const void *data, size_t len);
/* Writes @buf to @fd; returns UA_EXIT_OK or UA_EXIT_FAILURE after saying why
 * (out of memory, or standard output is gone). */
int ua_out_buf (int fd, const UaBuf *buf);
/* "uipauth: MESSAGE\n" on standard error. */
void ua_out_error (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));
