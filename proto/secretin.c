#include "secretin.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

long
ua_secretin_check (const char *buf, size_t len, const char *what,
                   char *err, size_t errlen)
{
  if (len > 0 && buf[len - 1] == '\n')
    len--;
  if (len == 0)
    {
      snprintf (err, errlen, "the %s is empty", what);
      return -1;
    }
  for (size_t i = 0; i < len; i++)
    if (buf[i] == '\n' || buf[i] == '\r' || buf[i] == '\0')
      {
        snprintf (err, errlen, "the %s contains a %s; give it as one line",
                  what, buf[i] == '\n' ? "line break" :
                        buf[i] == '\r' ? "carriage return (a file saved with CRLF?)" : "NUL byte");
        return -1;
      }
  if (len > UA_SECRETIN_MAX)
    {
      snprintf (err, errlen, "the %s is longer than %u bytes", what, UA_SECRETIN_MAX);
      return -1;
    }
  return (long) len;
}

UaSecret *
ua_secretin_read_fd (int fd, const char *what, char *err, size_t errlen)
{
  /* One more byte than a secret and its newline, to see that it is too long. */
  size_t cap = UA_SECRETIN_MAX + 2, len = 0;
  char *buf = malloc (cap);
  UaSecret *secret = NULL;
  long n;

  if (buf == NULL)
    {
      snprintf (err, errlen, "out of memory");
      return NULL;
    }
  while (len < cap)
    {
      ssize_t r = read (fd, buf + len, cap - len);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        {
          snprintf (err, errlen, "cannot read the %s: %s", what, strerror (errno));
          goto out;
        }
      if (r == 0)
        break;
      len += (size_t) r;
    }
  n = ua_secretin_check (buf, len, what, err, errlen);
  if (n >= 0 && (secret = ua_secret_new (buf, (size_t) n)) == NULL)
    snprintf (err, errlen, "out of memory");
out:
  ua_wipe (buf, cap);
  free (buf);
  return secret;
}
