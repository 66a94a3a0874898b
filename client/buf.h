/* UaBuf: a growable byte buffer for output that may hold a token.  It never
 * uses realloc (which could leave a copy behind): growing copies into a new
 * block and wipes the old one, and clearing wipes.  Appends do not fail one by
 * one; a failed allocation sets @oom and later appends do nothing, so callers
 * build a whole output and check once. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

typedef struct {
  char *data; /* NUL-terminated when not NULL */
  size_t len;
  size_t alloc;
  bool oom;
} UaBuf;

#define UA_BUF_INIT { NULL, 0, 0, false }

void ua_buf_clear (UaBuf *buf);
void ua_buf_append (UaBuf *buf, const void *data, size_t len);
void ua_buf_append_str (UaBuf *buf, const char *str);
void ua_buf_append_char (UaBuf *buf, char c);
void ua_buf_printf (UaBuf *buf, const char *fmt, ...)
  __attribute__ ((format (printf, 2, 3)));
