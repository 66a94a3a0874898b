#include "sockpath.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
ua_sockpath_default (char *buf, size_t size, char *err, size_t errlen)
{
  const char *env = getenv ("UIPAUTH_SOCK");
  const char *rt = getenv ("XDG_RUNTIME_DIR");
  int n;

  if (size > UA_SOCKPATH_MAX)
    size = UA_SOCKPATH_MAX;
  if (env != NULL && *env != '\0')
    n = snprintf (buf, size, "%s", env);
  else if (rt != NULL && rt[0] == '/')
    n = snprintf (buf, size, "%s/uipauth/agent.sock", rt);
  else
    n = snprintf (buf, size, "/tmp/uipauth-%u/agent.sock", (unsigned) getuid ());

  if (n < 0 || (size_t) n >= size)
    {
      snprintf (err, errlen,
                "socket path is longer than %d bytes; set UIPAUTH_SOCK to a shorter path",
                UA_SOCKPATH_MAX - 1);
      return -1;
    }
  return 0;
}

#define SOCK_SUFFIX ".sock"
#define RESTRICTED_SUFFIX ".restricted.sock"

int
ua_sockpath_restricted (const char *sock_path, char *buf, size_t size)
{
  size_t len = strlen (sock_path), stem = len;
  int n;

  if (len >= sizeof SOCK_SUFFIX &&
      strcmp (sock_path + len - (sizeof SOCK_SUFFIX - 1), SOCK_SUFFIX) == 0 &&
      sock_path[len - sizeof SOCK_SUFFIX] != '/')
    stem = len - (sizeof SOCK_SUFFIX - 1);
  if (size > UA_SOCKPATH_MAX)
    size = UA_SOCKPATH_MAX;
  n = snprintf (buf, size, "%.*s%s", (int) stem, sock_path, RESTRICTED_SUFFIX);
  return n < 0 || (size_t) n >= size ? -1 : 0;
}

/* The socket file's inode and its change time: an inode number alone can
 * come back for the next file made after an unlink (tmpfs reuses them). */
static int
identity (const struct stat *st, char *buf, size_t size)
{
  return snprintf (buf, size, "%" PRIuMAX " %" PRIdMAX ".%09ld\n", (uintmax_t) st->st_ino,
                   (intmax_t) st->st_ctim.tv_sec, (long) st->st_ctim.tv_nsec);
}

int
ua_sockpath_mark (int lock_fd, const char *sock_path)
{
  struct stat st;
  char line[96];
  int n;

  if (stat (sock_path, &st) < 0)
    return -1;
  n = identity (&st, line, sizeof line);
  if (n < 0 || (size_t) n >= sizeof line)
    return errno = EOVERFLOW, -1;
  if (ftruncate (lock_fd, 0) < 0 || pwrite (lock_fd, line, (size_t) n, 0) != n)
    return -1;
  return 0;
}

bool
ua_sockpath_bound_here (const char *sock_path)
{
  char lock[UA_SOCKPATH_MAX + 8], line[96], want[96];
  struct stat st;
  ssize_t n;
  int fd;

  if (snprintf (lock, sizeof lock, "%s.lock", sock_path) >= (int) sizeof lock ||
      lstat (sock_path, &st) < 0 || !S_ISSOCK (st.st_mode) ||
      (fd = open (lock, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
    return false;
  n = read (fd, line, sizeof line - 1);
  close (fd);
  if (n <= 0)
    return false;
  line[n] = '\0';
  identity (&st, want, sizeof want);
  return strcmp (line, want) == 0;
}

static int
dir_of (const char *sock_path, char *dir, size_t size)
{
  const char *slash = strrchr (sock_path, '/');
  size_t len;

  if (slash == NULL)
    {
      snprintf (dir, size, ".");
      return 0;
    }
  len = slash == sock_path ? 1 : (size_t) (slash - sock_path);
  if (len >= size)
    return -1;
  memcpy (dir, sock_path, len);
  dir[len] = '\0';
  return 0;
}

int
ua_sockpath_check_dir (const char *sock_path, bool create, char *err, size_t errlen)
{
  char dir[UA_SOCKPATH_MAX];
  struct stat st;

  if (dir_of (sock_path, dir, sizeof dir) < 0)
    {
      snprintf (err, errlen, "socket path %s is too long", sock_path);
      return -1;
    }
  if (create && mkdir (dir, 0700) < 0 && errno != EEXIST)
    {
      snprintf (err, errlen, "cannot create socket directory %s: %s",
                dir, strerror (errno));
      return -1;
    }
  if (lstat (dir, &st) < 0)
    {
      snprintf (err, errlen, "socket directory %s: %s", dir, strerror (errno));
      return -1;
    }
  if (!S_ISDIR (st.st_mode))
    {
      snprintf (err, errlen, "%s is not a directory; remove it or set UIPAUTH_SOCK", dir);
      return -1;
    }
  if (st.st_uid != getuid ())
    {
      snprintf (err, errlen,
                "socket directory %s belongs to uid %u, not to you; remove it or set UIPAUTH_SOCK",
                dir, (unsigned) st.st_uid);
      return -1;
    }
  if ((st.st_mode & 077) != 0)
    {
      snprintf (err, errlen,
                "socket directory %s is open to other users (mode %03o); run chmod 700 %s",
                dir, (unsigned) (st.st_mode & 0777), dir);
      return -1;
    }
  return 0;
}
