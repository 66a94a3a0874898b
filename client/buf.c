#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "secret.h"

void
ua_buf_clear (UaBuf *buf)
{
  if (buf->data != NULL)
    ua_wipe (buf->data, buf->alloc);
  free (buf->data);
  *buf = (UaBuf) UA_BUF_INIT;
}

static bool
reserve (UaBuf *buf, size_t extra)
{
  size_t alloc;
  char *data;

  if (buf->oom || extra > ((size_t) -1) / 4 - buf->len)
    return buf->oom = true, false;
  if (buf->len + extra + 1 <= buf->alloc)
    return true;
  alloc = buf->alloc ? buf->alloc : 256;
  while (alloc < buf->len + extra + 1)
    alloc *= 2;
  data = malloc (alloc);
  if (data == NULL)
    return buf->oom = true, false;
  if (buf->data != NULL)
    {
      memcpy (data, buf->data, buf->len);
      ua_wipe (buf->data, buf->alloc);
      free (buf->data);
    }
  buf->data = data;
  buf->alloc = alloc;
  return true;
}

void
ua_buf_append (UaBuf *buf, const void *data, size_t len)
{
  if (!reserve (buf, len))
    return;
  if (len > 0)
    memcpy (buf->data + buf->len, data, len);
  buf->len += len;
  buf->data[buf->len] = '\0';
}

void
ua_buf_append_str (UaBuf *buf, const char *str)
{
  ua_buf_append (buf, str, strlen (str));
}

void
ua_buf_append_char (UaBuf *buf, char c)
{
  ua_buf_append (buf, &c, 1);
}

void
ua_buf_printf (UaBuf *buf, const char *fmt, ...)
{
  va_list ap;
  int n;

  va_start (ap, fmt);
  n = vsnprintf (NULL, 0, fmt, ap);
  va_end (ap);
  if (n < 0 || !reserve (buf, (size_t) n))
    {
      buf->oom = true;
      return;
    }
  va_start (ap, fmt);
  vsnprintf (buf->data + buf->len, (size_t) n + 1, fmt, ap);
  va_end (ap);
  buf->len += (size_t) n;
}
