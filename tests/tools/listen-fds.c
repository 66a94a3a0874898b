/* listen-fds: socket activation the way systemd does it, for tests.
 *
 *   listen-fds [--starts N] [--log FILE] SOCKET [SOCKET...] -- CMD [ARGS...]
 *
 * Binds and listens on each SOCKET (mode 0600, in a directory made 0700),
 * then starts CMD with the sockets as descriptors 3, 4, ..., LISTEN_FDS
 * their number and LISTEN_PID set to CMD's own pid.  When CMD exits,
 * waits for the next connection on any of them and starts it again, up to
 * N starts in all (default 1), like a socket unit with its service.  Each start and exit is a line in FILE: "start
 * PID" or "exit PID STATUS".  Ends on SIGTERM (passing it on) or when the
 * starts are used up and the last CMD has exited. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t stop;
static pid_t child;

static void
on_term (int sig)
{
  stop = 1;
  if (child > 0)
    kill (child, SIGTERM);
}

/* One line per event: "start PID" or "exit PID STATUS". */
static void
note (const char *log, const char *event, long pid, long status)
{
  FILE *f = log ? fopen (log, "a") : NULL;

  if (f == NULL)
    return;
  if (status < 0)
    fprintf (f, "%s %ld\n", event, pid);
  else
    fprintf (f, "%s %ld %ld\n", event, pid, status);
  fclose (f);
}

static int
listen_on (const char *path)
{
  struct sockaddr_un sa = { .sun_family = AF_UNIX };
  char dir[sizeof sa.sun_path];
  char *slash;
  int fd;

  if (strlen (path) >= sizeof sa.sun_path)
    return -1;
  strcpy (sa.sun_path, path);
  strcpy (dir, path);
  slash = strrchr (dir, '/');
  if (slash != NULL && slash != dir)
    {
      *slash = '\0';
      if (mkdir (dir, 0700) < 0 && errno != EEXIST)
        return -1;
    }
  unlink (path);
  fd = socket (AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0 || bind (fd, (struct sockaddr *) &sa, sizeof sa) < 0 ||
      chmod (path, 0600) < 0 || listen (fd, 128) < 0)
    return -1;
  return fd;
}

#define MAX_SOCKETS 4

/* The listening sockets were made above descriptor 3 + MAX_SOCKETS, so
 * moving them down into place overwrites none of them. */
static pid_t
start (const int *lfds, int n, char **argv)
{
  pid_t pid = fork ();
  char buf[32];

  if (pid != 0)
    return pid;
  for (int i = 0; i < n; i++)
    if (dup2 (lfds[i], 3 + i) < 0)
      _exit (126);
  snprintf (buf, sizeof buf, "%ld", (long) getpid ());
  setenv ("LISTEN_PID", buf, 1);
  snprintf (buf, sizeof buf, "%d", n);
  setenv ("LISTEN_FDS", buf, 1);
  setenv ("LISTEN_FDNAMES", "uipauth-agent.socket", 1);
  execvp (argv[0], argv);
  _exit (127);
}

int
main (int argc, char **argv)
{
  const char *log = NULL, *paths[MAX_SOCKETS];
  struct sigaction sa = { .sa_handler = on_term };
  struct pollfd p[MAX_SOCKETS];
  long starts = 1;
  int i = 1, lfds[MAX_SOCKETS], n = 0, status = 0;

  for (; i < argc && argv[i][0] == '-' && strcmp (argv[i], "--") != 0; i += 2)
    {
      if (i + 1 >= argc)
        break;
      if (strcmp (argv[i], "--starts") == 0)
        starts = strtol (argv[i + 1], NULL, 10);
      else if (strcmp (argv[i], "--log") == 0)
        log = argv[i + 1];
    }
  for (; i < argc && strcmp (argv[i], "--") != 0 && n < MAX_SOCKETS; i++)
    paths[n++] = argv[i];
  if (n == 0 || i + 1 >= argc || strcmp (argv[i], "--") != 0)
    {
      fprintf (stderr, "usage: listen-fds [--starts N] [--log FILE] SOCKET [SOCKET...] -- CMD [ARGS...]\n");
      return 2;
    }
  for (int k = 0; k < n; k++)
    {
      int fd = listen_on (paths[k]);
      if (fd < 0 || (lfds[k] = fcntl (fd, F_DUPFD, 3 + MAX_SOCKETS)) < 0)
        {
          perror ("listen-fds: cannot listen");
          return 1;
        }
      close (fd);
      p[k] = (struct pollfd) { lfds[k], POLLIN, 0 };
    }
  sigaction (SIGTERM, &sa, NULL);
  sigaction (SIGINT, &sa, NULL);
  while (!stop && starts-- > 0)
    {
      child = start (lfds, n, &argv[i + 1]);
      note (log, "start", (long) child, -1);
      while (waitpid (child, &status, 0) < 0 && errno == EINTR)
        ;
      note (log, "exit", (long) child,
            WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status));
      child = 0;
      /* Like systemd: the next start waits for the next connection. */
      while (!stop && starts > 0)
        if (poll (p, (nfds_t) n, -1) > 0)
          break;
    }
  for (int k = 0; k < n; k++)
    {
      close (lfds[k]);
      unlink (paths[k]);
    }
  return 0;
}
