#include "tap.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int count, failed;

static bool report (bool ok, const char *directive, const char *fmt, va_list ap)
  __attribute__ ((format (printf, 3, 0)));

static bool
report (bool ok, const char *directive, const char *fmt, va_list ap)
{
  count++;
  if (!ok)
    failed++;
  printf ("%sok %d - ", ok ? "" : "not ", count);
  vprintf (fmt, ap);
  printf ("%s\n", directive);
  fflush (stdout);
  return ok;
}

bool
tap_ok (bool ok, const char *fmt, ...)
{
  va_list ap;

  va_start (ap, fmt);
  report (ok, "", fmt, ap);
  va_end (ap);
  return ok;
}

bool
tap_is (const char *got, const char *want, const char *fmt, ...)
{
  bool ok = (got == NULL && want == NULL) ||
            (got != NULL && want != NULL && strcmp (got, want) == 0);
  va_list ap;

  va_start (ap, fmt);
  report (ok, "", fmt, ap);
  va_end (ap);
  if (!ok)
    {
      tap_diag ("got:  %s", got ? got : "(null)");
      tap_diag ("want: %s", want ? want : "(null)");
    }
  return ok;
}

void
tap_skip (const char *why, const char *fmt, ...)
{
  char directive[256];
  va_list ap;

  snprintf (directive, sizeof directive, " # SKIP %s", why);
  va_start (ap, fmt);
  report (true, directive, fmt, ap);
  va_end (ap);
}

void
tap_diag (const char *fmt, ...)
{
  char text[8192];
  va_list ap;

  va_start (ap, fmt);
  vsnprintf (text, sizeof text, fmt, ap);
  va_end (ap);
  for (char *line = text, *nl; line != NULL; line = nl ? nl + 1 : NULL)
    {
      nl = strchr (line, '\n');
      printf ("# %.*s\n", nl ? (int) (nl - line) : (int) strlen (line), line);
    }
}

int
tap_done (void)
{
  printf ("1..%d\n", count);
  return failed ? 1 : 0;
}

char *
tap_read_fixture (const char *name, size_t *len)
{
  const char *dir = getenv ("UA_TEST_DATA");
  char path[4096];
  FILE *f;
  char *buf;
  long size;

  snprintf (path, sizeof path, "%s/%s", dir ? dir : "tests/data", name);
  f = fopen (path, "rb");
  if (f == NULL || fseek (f, 0, SEEK_END) < 0 || (size = ftell (f)) < 0 ||
      fseek (f, 0, SEEK_SET) < 0 || (buf = malloc ((size_t) size + 1)) == NULL ||
      fread (buf, 1, (size_t) size, f) != (size_t) size)
    {
      printf ("Bail out! cannot read fixture %s (set UA_TEST_DATA)\n", path);
      exit (1);
    }
  fclose (f);
  buf[size] = '\0';
  if (len)
    *len = (size_t) size;
  return buf;
}

static int
hexval (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

size_t
tap_unescape (const char *in, char *out)
{
  size_t n = 0;

  for (size_t i = 0; in[i]; i++)
    {
      if (in[i] == '\\' && in[i + 1] == 'x' && hexval (in[i + 2]) >= 0 &&
          hexval (in[i + 3]) >= 0)
        {
          out[n++] = (char) (hexval (in[i + 2]) << 4 | hexval (in[i + 3]));
          i += 3;
        }
      else
        out[n++] = in[i];
    }
  out[n] = '\0';
  return n;
}

size_t
tap_split (char *s, char sep, char **parts, size_t max)
{
  size_t n = 0;

  while (n < max)
    {
      char *next = strchr (s, sep);
      parts[n++] = s;
      if (next == NULL)
        break;
      *next = '\0';
      s = next + 1;
    }
  return n;
}

void
tap_fixture_rows (const char *name, size_t nfields,
                  void (*row) (char **fields, size_t lineno))
{
  char *text = tap_read_fixture (name, NULL);
  char *lines[1024], *f[8];
  size_t n = tap_split (text, '\n', lines, 1024);

  for (size_t i = 0; i < n; i++)
    {
      if (lines[i][0] == '#' || (lines[i][0] == '\0' && i + 1 == n))
        continue;
      if (nfields > 8 || tap_split (lines[i], '\t', f, 8) != nfields)
        tap_ok (false, "%s line %zu has %zu tab-separated fields", name, i + 1, nfields);
      else
        row (f, i + 1);
    }
  free (text);
}
