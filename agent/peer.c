#include "config.h"

#include "peer.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

/* /proc/PID/comm is at most 16 bytes with its newline. */
#define COMM_MAX 64

static char *
printable (char *s)
{
  for (char *p = s; p != NULL && *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = '?';
  return s;
}

char *
ua_peer_exe (pid_t pid)
{
  char link[32], buf[PATH_MAX];
  ssize_t n;

  if (pid <= 0)
    return NULL;
  g_snprintf (link, sizeof link, "/proc/%d/exe", (int) pid);
  n = readlink (link, buf, sizeof buf - 1);
  if (n <= 0)
    return NULL;
  buf[n] = '\0';
  return printable (g_strdup (buf));
}

char *
ua_peer_comm (pid_t pid)
{
  char path[32], buf[COMM_MAX];
  ssize_t n;
  int fd;

  if (pid <= 0)
    return NULL;
  g_snprintf (path, sizeof path, "/proc/%d/comm", (int) pid);
  if ((fd = open (path, O_RDONLY | O_CLOEXEC)) < 0)
    return NULL;
  do
    n = read (fd, buf, sizeof buf - 1);
  while (n < 0 && errno == EINTR);
  close (fd);
  if (n <= 0)
    return NULL;
  buf[n] = '\0';
  if (buf[n - 1] == '\n')
    buf[n - 1] = '\0';
  return printable (g_strdup (buf));
}
