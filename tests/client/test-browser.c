/* client/browser.c: $BROWSER entries, the ssh command and when a browser
 * here is of use, from tests/data/client-browser.txt. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "browser.h"
#include "buf.h"
#include "tap.h"

#define URL "https://id.example/identity_/connect/authorize?a=1&b=%20;x"
#define WORDS_MAX 8

static const char *
arg (char *word)
{
  return strcmp (word, "-") == 0 ? NULL : word;
}

/* @word with each copy of the URL shown as "URL". */
static void
append_shown (UaBuf *out, const char *word)
{
  const char *hit;

  while ((hit = strstr (word, URL)) != NULL)
    {
      ua_buf_append (out, word, (size_t) (hit - word));
      ua_buf_append_str (out, "URL");
      word = hit + strlen (URL);
    }
  ua_buf_append_str (out, word);
}

static void
check_argv (const char *entry, const char *want, const char *name)
{
  char **argv = ua_browser_argv (entry, strlen (entry), URL);
  UaBuf got = UA_BUF_INIT;

  for (char **a = argv; a != NULL && *a != NULL; a++)
    {
      if (a != argv)
        ua_buf_append_char (&got, '|');
      append_shown (&got, *a);
    }
  tap_is (argv ? got.data : "(none)", want, "%s", name);
  ua_browser_argv_free (argv);
  ua_buf_clear (&got);
}

static void
check_ssh (char **w, size_t n, const char *want, const char *name)
{
  UaBuf got = UA_BUF_INIT;

  if (n != 5)
    {
      tap_ok (false, "%s: ssh takes 4 values", name);
      return;
    }
  if (ua_browser_ssh_command (w[1], arg (w[2]), arg (w[3]), arg (w[4]), &got) < 0)
    tap_is ("error", want, "%s", name);
  else
    tap_is (got.data, want, "%s", name);
  ua_buf_clear (&got);
}

static void
check_line (char *line, size_t lineno)
{
  char *arrow = strstr (line, " -> ");
  char *w[WORDS_MAX];
  char name[512];
  size_t n;

  if (arrow == NULL)
    {
      tap_ok (false, "line %zu has CASE -> RESULT", lineno);
      return;
    }
  *arrow = '\0';
  snprintf (name, sizeof name, "line %zu: %s", lineno, line);
  n = tap_split (line, ' ', w, WORDS_MAX);
  for (size_t i = 0; i < n; i++)
    tap_unescape (w[i], w[i]);
  if (strcmp (w[0], "argv") == 0 && n == 2)
    check_argv (w[1], arrow + 4, name);
  else if (strcmp (w[0], "ssh") == 0)
    check_ssh (w, n, arrow + 4, name);
  else if (strcmp (w[0], "usable") == 0 && n == 4)
    tap_is (ua_browser_usable (arg (w[1]), arg (w[2]), arg (w[3])) ? "yes" : "no",
            arrow + 4, "%s", name);
  else
    tap_ok (false, "%s: unknown case", name);
}

int
main (void)
{
  char *text = tap_read_fixture ("client-browser.txt", NULL);
  char *lines[256];
  size_t n = tap_split (text, '\n', lines, 256);

  for (size_t i = 0; i < n; i++)
    if (lines[i][0] != '#' && lines[i][0] != '\0')
      check_line (lines[i], i + 1);
  free (text);
  return tap_done ();
}
