/* ua-bench-exec: whole-process latency of commands, measured side by side.
 *
 *   ua-bench-exec [-n RUNS] [-w WARMUP] [-p SETUP] [-e ERRFILE] SPECFILE
 *
 * Each line of SPECFILE is NAME, STDIN and the command's argv, separated
 * by tabs; STDIN is a file fed to the command, or "-" for /dev/null.  The
 * commands run round-robin (one run of each, then the next round), so a
 * change in background load touches all of them alike.  Each run is one
 * posix_spawn (fork and exec) and waitpid, timed with the monotonic clock;
 * standard output goes to /dev/null and standard error too, or is appended
 * to ERRFILE (to see why a run failed).  WARMUP rounds are not
 * recorded.  With -p, the shell command SETUP runs (untimed, and must
 * succeed) before every run: cold paths stop the agent there.
 *
 * Prints one line per command: name, runs, fails (non-zero exits) and the
 * median, p99, mean, min and max in µs. */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "summary.h"

#define MAX_CMDS 64
#define MAX_ARGS 32

extern char **environ;

typedef struct {
  char *name;
  char *input;
  char *argv[MAX_ARGS + 1];
  uint64_t *ns;
  long fails;
} Cmd;

static int
parse_line (char *line, Cmd *cmd)
{
  int argc = 0;
  char *field, *save = NULL;

  line[strcspn (line, "\n")] = '\0';
  if (*line == '\0' || *line == '#')
    return 0;
  cmd->name = strdup (strtok_r (line, "\t", &save));
  field = strtok_r (NULL, "\t", &save);
  cmd->input = field && strcmp (field, "-") != 0 ? strdup (field) : strdup ("/dev/null");
  while ((field = strtok_r (NULL, "\t", &save)) != NULL && argc < MAX_ARGS)
    cmd->argv[argc++] = strdup (field);
  cmd->argv[argc] = NULL;
  return argc > 0 ? 1 : -1;
}

static int
load_spec (const char *path, Cmd *cmds)
{
  FILE *f = fopen (path, "r");
  char line[8192];
  int n = 0, r;

  if (f == NULL)
    {
      perror (path);
      exit (2);
    }
  while (n < MAX_CMDS && fgets (line, sizeof line, f) != NULL)
    if ((r = parse_line (line, &cmds[n])) > 0)
      n++;
    else if (r < 0)
      {
        fprintf (stderr, "ua-bench-exec: a line without a command in %s\n", path);
        exit (2);
      }
  fclose (f);
  return n;
}

/* Returns the wall time of one run in ns; *ok is 0 on a non-zero exit. */
static const char *errfile = "/dev/null";

static uint64_t
run_once (const Cmd *cmd, int *ok)
{
  posix_spawn_file_actions_t fa;
  uint64_t t0, t1;
  pid_t pid;
  int status = 0;

  posix_spawn_file_actions_init (&fa);
  posix_spawn_file_actions_addopen (&fa, 0, cmd->input, O_RDONLY, 0);
  posix_spawn_file_actions_addopen (&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen (&fa, 2, errfile, O_WRONLY | O_APPEND | O_CREAT, 0600);
  t0 = ua_bench_now_ns ();
  if (posix_spawn (&pid, cmd->argv[0], &fa, NULL, cmd->argv, environ) != 0)
    {
      perror (cmd->argv[0]);
      exit (2);
    }
  waitpid (pid, &status, 0);
  t1 = ua_bench_now_ns ();
  posix_spawn_file_actions_destroy (&fa);
  *ok = WIFEXITED (status) && WEXITSTATUS (status) == 0;
  return t1 - t0;
}

static void
setup (const char *command)
{
  if (command != NULL && system (command) != 0)
    {
      fprintf (stderr, "ua-bench-exec: setup failed: %s\n", command);
      exit (1);
    }
}

static void
usage (void)
{
  fprintf (stderr, "usage: ua-bench-exec [-n RUNS] [-w WARMUP] [-p SETUP] [-e ERRFILE] SPECFILE\n");
  exit (2);
}

int
main (int argc, char **argv)
{
  static Cmd cmds[MAX_CMDS];
  const char *before = NULL;
  long runs = 1000, warmup = 20;
  int opt, n, ok;

  while ((opt = getopt (argc, argv, "n:w:p:e:")) != -1)
    if (opt == 'n')
      runs = atol (optarg);
    else if (opt == 'w')
      warmup = atol (optarg);
    else if (opt == 'p')
      before = optarg;
    else if (opt == 'e')
      errfile = optarg;
    else
      usage ();
  if (optind + 1 != argc || runs < 1)
    usage ();
  n = load_spec (argv[optind], cmds);
  for (int i = 0; i < n; i++)
    if ((cmds[i].ns = malloc ((size_t) runs * sizeof (uint64_t))) == NULL)
      return 1;
  for (long r = 0; r < warmup; r++)
    for (int i = 0; i < n; i++)
      {
        setup (before);
        run_once (&cmds[i], &ok);
      }
  for (long r = 0; r < runs; r++)
    for (int i = 0; i < n; i++)
      {
        setup (before);
        cmds[i].ns[r] = run_once (&cmds[i], &ok);
        cmds[i].fails += !ok;
      }
  for (int i = 0; i < n; i++)
    {
      UaBenchSummary s;

      ua_bench_summarize (cmds[i].ns, (size_t) runs, &s);
      printf ("name=%s runs=%ld fails=%ld median_us=%.1f p99_us=%.1f mean_us=%.1f "
              "min_us=%.1f max_us=%.1f\n", cmds[i].name, runs, cmds[i].fails,
              s.p50_us, s.p99_us, s.mean_us, s.min_us, s.max_us);
    }
  return 0;
}
