#include "config.h"

#include "hardening.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ua-error.h"

static void
mark_fds_cloexec (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      int fd = atoi (name);
      int flags;

      if (fd <= STDERR_FILENO)
        continue;
      flags = fcntl (fd, F_GETFD);
      if (flags >= 0)
        fcntl (fd, F_SETFD, flags | FD_CLOEXEC);
    }
}

static void
raise_fd_limit (void)
{
  struct rlimit rl;

  if (getrlimit (RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max)
    {
      rl.rlim_cur = MIN (rl.rlim_max, (rlim_t) 65536);
      setrlimit (RLIMIT_NOFILE, &rl);
    }
}

gboolean
ua_hardening_apply (GError **error)
{
  struct rlimit no_core = { 0, 0 };

  /* A core file would hold every secret the agent has in memory. */
  if (setrlimit (RLIMIT_CORE, &no_core) < 0)
    {
      g_set_error (error, UA_ERROR, UA_ERR_INTERNAL,
                   "cannot disable core dumps: %s", g_strerror (errno));
      return FALSE;
    }

  /* Undumpable: no core even if re-enabled, no ptrace attach and no
   * /proc/PID/mem from other processes of the same user. */
  if (prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
    {
      g_set_error (error, UA_ERROR, UA_ERR_INTERNAL,
                   "cannot make the process undumpable: %s", g_strerror (errno));
      return FALSE;
    }

  /* Everything the agent creates (socket, profiles.ini) is for its user only. */
  umask (077);

  /* A peer that vanishes mid-reply must be a write error, not a dead agent. */
  signal (SIGPIPE, SIG_IGN);

  /* Descriptors inherited from whoever started us must not reach the
   * browser or anything else the agent may spawn. */
  mark_fds_cloexec ();

  /* Each client connection is a descriptor; the soft limit is often 1024. */
  raise_fd_limit ();

  /* PR_SET_NO_NEW_PRIVS is deliberately not set: the browser that
   * `uipauth login` opens may need its setuid sandbox. */
  return TRUE;
}
