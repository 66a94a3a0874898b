#include "out.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "errors.h"

/* Long enough for any message the agent sends; longer ones are cut. */
#define ERROR_LINE_MAX 2048

int
ua_out_write (int fd, const void *data, size_t len)
{
  const char *p = data;

  while (len > 0)
    {
      ssize_t n = write (fd, p, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return -1;
      p += n;
      len -= (size_t) n;
    }
  return 0;
}

int
ua_out_buf (int fd, const UaBuf *buf)
{
  if (buf->oom)
    {
      ua_out_error ("out of memory");
      return UA_EXIT_FAILURE;
    }
  if (buf->len > 0 && ua_out_write (fd, buf->data, buf->len) < 0)
    {
      ua_out_error ("cannot write to %s: %s",
                    fd == STDOUT_FILENO ? "standard output" : "standard error",
                    strerror (errno));
      return UA_EXIT_FAILURE;
    }
  return UA_EXIT_OK;
}

void
ua_out_error (const char *fmt, ...)
{
  char line[ERROR_LINE_MAX];
  size_t len;
  va_list ap;
  int n;

  memcpy (line, "uipauth: ", 9);
  va_start (ap, fmt);
  n = vsnprintf (line + 9, sizeof line - 10, fmt, ap);
  va_end (ap);
  len = 9 + (n < 0 ? 0 : (size_t) n > sizeof line - 11 ? sizeof line - 11 : (size_t) n);
  line[len++] = '\n';
  ua_out_write (STDERR_FILENO, line, len);
}
