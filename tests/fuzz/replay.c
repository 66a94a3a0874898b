/* The plain driver: runs a fuzz target's LLVMFuzzerTestOneInput over every
 * file named on the command line (directories are walked one level), so the
 * seed corpus and every crasher kept as a regression input run in the
 * normal test suite, with any compiler and without libFuzzer.  TAP: one
 * line per argument. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
int LLVMFuzzerInitialize (int *argc, char ***argv) __attribute__ ((weak));

static int
run_file (const char *path)
{
  FILE *f = fopen (path, "rb");
  uint8_t *data = NULL;
  size_t len = 0, cap = 0, n;

  if (f == NULL)
    {
      printf ("# cannot open %s: %s\n", path, strerror (errno));
      return -1;
    }
  do
    {
      if (len == cap)
        {
          uint8_t *grown;
          cap = cap ? cap * 2 : 4096;
          grown = realloc (data, cap);
          if (grown == NULL)
            abort ();
          data = grown;
        }
      n = fread (data + len, 1, cap - len, f);
      len += n;
    }
  while (n > 0);
  fclose (f);
  /* An exact-size copy, so the sanitizers see reads past the end. */
  {
    uint8_t *exact = malloc (len ? len : 1);
    if (exact == NULL)
      abort ();
    memcpy (exact, data, len);
    free (data);
    LLVMFuzzerTestOneInput (exact, len);
    free (exact);
  }
  return 0;
}

static int
compare (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Runs every regular file in @dir, in name order; -1 on an unreadable one. */
static int
run_dir (const char *dir, int *count)
{
  DIR *d = opendir (dir);
  struct dirent *e;
  char **names = NULL;
  size_t n = 0;
  int rc = 0;

  if (d == NULL)
    return errno == ENOENT ? 0 : -1;
  while ((e = readdir (d)) != NULL)
    {
      if (e->d_name[0] == '.')
        continue;
      names = realloc (names, (n + 1) * sizeof *names);
      if (names == NULL || asprintf (&names[n], "%s/%s", dir, e->d_name) < 0)
        abort ();
      n++;
    }
  closedir (d);
  if (n > 0)
    qsort (names, n, sizeof *names, compare);
  for (size_t i = 0; i < n; i++)
    {
      struct stat st;
      if (stat (names[i], &st) == 0 && S_ISREG (st.st_mode))
        {
          if (run_file (names[i]) < 0)
            rc = -1;
          (*count)++;
        }
      free (names[i]);
    }
  free (names);
  return rc;
}

int
main (int argc, char **argv)
{
  int failures = 0;

  if (LLVMFuzzerInitialize)
    LLVMFuzzerInitialize (&argc, &argv);
  for (int i = 1; i < argc; i++)
    {
      struct stat st;
      int count = 0, rc;

      if (stat (argv[i], &st) < 0 && errno == ENOENT)
        rc = 0; /* no regressions kept for this target yet */
      else if (S_ISDIR (st.st_mode))
        rc = run_dir (argv[i], &count);
      else
        {
          rc = run_file (argv[i]);
          count = 1;
        }
      /* Reaching this line means no input crashed or tripped a sanitizer. */
      printf ("%s %d - %s: %d inputs\n", rc == 0 ? "ok" : "not ok", i, argv[i], count);
      fflush (stdout);
      failures += rc != 0;
    }
  printf ("1..%d\n", argc - 1);
  return failures ? 1 : 0;
}
