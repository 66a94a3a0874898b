/* diskfull.so: LD_PRELOAD shim that makes the disk look full for one file.
 * While the file named by $UA_DISKFULL_FLAG exists, write() and fsync() on
 * any descriptor whose path contains $UA_DISKFULL_MATCH fail with ENOSPC,
 * so a test can fill the disk under a running agent and empty it again. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

ssize_t write (int fd, const void *buf, size_t len);
int fsync (int fd);

static int
disk_full_for (int fd)
{
  const char *flag = getenv ("UA_DISKFULL_FLAG");
  const char *match = getenv ("UA_DISKFULL_MATCH");
  char link[64], path[PATH_MAX];
  ssize_t n;

  if (flag == NULL || match == NULL || access (flag, F_OK) != 0)
    return 0;
  snprintf (link, sizeof link, "/proc/self/fd/%d", fd);
  n = readlink (link, path, sizeof path - 1);
  if (n < 0)
    return 0;
  path[n] = '\0';
  return strstr (path, match) != NULL;
}

ssize_t
write (int fd, const void *buf, size_t len)
{
  static ssize_t (*real) (int, const void *, size_t);

  if (real == NULL)
    real = (ssize_t (*) (int, const void *, size_t)) dlsym (RTLD_NEXT, "write");
  if (disk_full_for (fd))
    {
      errno = ENOSPC;
      return -1;
    }
  return real (fd, buf, len);
}

int
fsync (int fd)
{
  static int (*real) (int);

  if (real == NULL)
    real = (int (*) (int)) dlsym (RTLD_NEXT, "fsync");
  if (disk_full_for (fd))
    {
      errno = ENOSPC;
      return -1;
    }
  return real (fd);
}
