#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "secret.h"

static UaReadfileStatus
fail (char *err, size_t errlen, const char *path, const char *what)
{
  snprintf (err, errlen, "%s: %s", path, what);
  return UA_READFILE_ERROR;
}

static UaReadfileStatus
read_all (int fd, const char *path, size_t want, UaReadfile *out,
          char *err, size_t errlen)
{
  if ((out->data = malloc (want + 1)) == NULL)
    return fail (err, errlen, path, "out of memory");
  while (out->len < want)
    {
      ssize_t r = read (fd, out->data + out->len, want - out->len);

      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        return fail (err, errlen, path, strerror (errno));
      if (r == 0)
        break;
      out->len += (size_t) r;
    }
  out->data[out->len] = '\0';
  return UA_READFILE_OK;
}

UaReadfileStatus
ua_readfile (const char *path, size_t cap, bool allow_truncate, bool follow,
             UaReadfile *out, char *err, size_t errlen)
{
  int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | (follow ? 0 : O_NOFOLLOW);
  UaReadfileStatus st;
  struct stat sb;
  int fd;

  *out = (UaReadfile) { NULL, 0, false };
  if ((fd = open (path, flags)) < 0)
    {
      if (errno == ENOENT || errno == ENOTDIR)
        return UA_READFILE_MISSING;
      return fail (err, errlen, path, errno == ELOOP
                   ? "is a symbolic link; give the file it points to"
                   : strerror (errno));
    }
  if (fstat (fd, &sb) < 0 || !S_ISREG (sb.st_mode))
    st = fail (err, errlen, path, "is not a regular file");
  else if ((size_t) sb.st_size > cap && !allow_truncate)
    {
      char what[96];
      snprintf (what, sizeof what, "is larger than %zu bytes; that is not a file "
                "this tool wrote", cap);
      st = fail (err, errlen, path, what);
    }
  else
    {
      out->truncated = (size_t) sb.st_size > cap;
      st = read_all (fd, path, out->truncated ? cap : (size_t) sb.st_size, out, err, errlen);
    }
  close (fd);
  if (st != UA_READFILE_OK)
    ua_readfile_clear (out);
  return st;
}

void
ua_readfile_clear (UaReadfile *file)
{
  if (file->data != NULL)
    {
      ua_wipe (file->data, file->len + 1);
      free (file->data);
    }
  *file = (UaReadfile) { NULL, 0, false };
}
