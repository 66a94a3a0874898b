/* no-reap CMD [ARGS...]: runs CMD and waits for it alone, never for the
 * other children the kernel hands it.  As PID 1 of a new PID namespace
 * (unshare --fork --pid --mount-proc no-reap CMD) it is the init of a
 * container that does not reap orphans: a process orphaned there stays
 * a zombie after it exits, until the namespace ends.  Exits as CMD does. */
#include <errno.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  pid_t pid;
  int status;

  if (argc < 2)
    {
      fprintf (stderr, "usage: no-reap CMD [ARGS...]\n");
      return 2;
    }
  pid = fork ();
  if (pid < 0)
    {
      perror ("no-reap: fork");
      return 1;
    }
  if (pid == 0)
    {
      execvp (argv[1], argv + 1);
      perror ("no-reap: cannot run the command");
      _exit (127);
    }
  while (waitpid (pid, &status, 0) < 0)
    if (errno != EINTR)
      {
        perror ("no-reap: waitpid");
        return 1;
      }
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}
