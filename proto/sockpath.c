#include "sockpath.h"

#include <errno.h>
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
