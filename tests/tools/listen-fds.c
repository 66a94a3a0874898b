/* listen-fds: socket activation the way systemd does it, for tests.
 *
 *   listen-fds [--starts N] [--log FILE] SOCKET -- CMD [ARGS...]
 *
 * Binds and listens on SOCKET (mode 0600, in a directory made 0700), then
 * starts CMD with the socket as descriptor 3, LISTEN_FDS=1 and LISTEN_PID
 * set to CMD's own pid.  When CMD exits, waits for the next connection
 * and starts it again, up to N starts in all (default 1), like a socket
 * unit with its service.  Each start and exit is a line in FILE: "start
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

static pid_t
start (int lfd, char **argv)
{
  pid_t pid = fork ();
  char buf[32];

  if (pid != 0)
    return pid;
  if (dup2 (lfd, 3) < 0)
    _exit (126);
  if (lfd != 3)
    close (lfd);
  snprintf (buf, sizeof buf, "%ld", (long) getpid ());
  setenv ("LISTEN_PID", buf, 1);
  setenv ("LISTEN_FDS", "1", 1);
  setenv ("LISTEN_FDNAMES", "uipauth-agent.socket", 1);
  execvp (argv[0], argv);
  _exit (127);
}

int
main (int argc, char **argv)
{
  const char *log = NULL, *path;
  struct sigaction sa = { .sa_handler = on_term };
  long starts = 1;
  int i = 1, lfd, status = 0;

  for (; i < argc && argv[i][0] == '-' && strcmp (argv[i], "--") != 0; i += 2)
    {
      if (i + 1 >= argc)
        break;
      if (strcmp (argv[i], "--starts") == 0)
        starts = strtol (argv[i + 1], NULL, 10);
      else if (strcmp (argv[i], "--log") == 0)
        log = argv[i + 1];
    }
  if (i + 2 >= argc || strcmp (argv[i + 1], "--") != 0)
    {
      fprintf (stderr, "usage: listen-fds [--starts N] [--log FILE] SOCKET -- CMD [ARGS...]\n");
      return 2;
    }
  path = argv[i];
  if ((lfd = listen_on (path)) < 0)
    {
      perror ("listen-fds: cannot listen");
      return 1;
    }
  sigaction (SIGTERM, &sa, NULL);
  sigaction (SIGINT, &sa, NULL);
  while (!stop && starts-- > 0)
    {
      child = start (lfd, &argv[i + 2]);
      note (log, "start", (long) child, -1);
      while (waitpid (child, &status, 0) < 0 && errno == EINTR)
        ;
      note (log, "exit", (long) child,
            WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status));
      child = 0;
      /* Like systemd: the next start waits for the next connection. */
      while (!stop && starts > 0)
        {
          struct pollfd p = { lfd, POLLIN, 0 };
          if (poll (&p, 1, -1) > 0)
            break;
        }
    }
  close (lfd);
  unlink (path);
  return 0;
}
