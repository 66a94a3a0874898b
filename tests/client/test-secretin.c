/* ua_secretin_*: what `add` accepts as a secret on standard input. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "prompt.h"
#include "secretin.h"
#include "tap.h"

static void
test_check (void)
{
  static const struct {
    const char *input;
    size_t len;
    long want;         /* length kept, or -1 */
    const char *error; /* part of the message */
  } cases[] = {
    { "abc", 3, 3, NULL },
    { "abc\n", 4, 3, NULL },
    { "a b\tc\n", 6, 5, NULL },
    { "abc\n\n", 5, -1, "line break" },
    { "", 0, -1, "empty" },
    { "\n", 1, -1, "empty" },
    { "abc\r\n", 5, -1, "carriage return" },
    { "a\rb", 3, -1, "carriage return" },
    { "a\nb", 3, -1, "line break" },
    { "a\0b", 3, -1, "NUL" },
  };

  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    {
      char err[256] = "";
      long got = ua_secretin_check (cases[i].input, cases[i].len, "PAT for work", err, sizeof err);

      tap_ok (got == cases[i].want &&
              (cases[i].error == NULL || (strstr (err, cases[i].error) && strstr (err, "PAT for work"))),
              "secret case %zu (%ld, %s)", i, got, err);
    }
}

static UaSecret *
read_pipe (const char *data, size_t len, char *err, size_t errlen)
{
  int fds[2];
  UaSecret *s;

  if (pipe (fds) < 0 || write (fds[1], data, len) != (ssize_t) len)
    return NULL;
  close (fds[1]);
  s = ua_secretin_read_fd (fds[0], "secret", err, errlen);
  close (fds[0]);
  return s;
}

static void
test_read (void)
{
  char err[256], big[UA_SECRETIN_MAX + 2];
  UaSecret *s = read_pipe ("s3cr3t\n", 7, err, sizeof err);

  tap_ok (s && ua_secret_len (s) == 6 && strcmp (ua_secret_get (s), "s3cr3t") == 0,
          "reads a secret and drops its newline");
  ua_secret_free (s);
  memset (big, 'x', sizeof big);
  s = read_pipe (big, UA_SECRETIN_MAX, err, sizeof err);
  tap_ok (s && ua_secret_len (s) == UA_SECRETIN_MAX, "a secret of the largest size is fine");
  ua_secret_free (s);
  s = read_pipe (big, UA_SECRETIN_MAX + 1, err, sizeof err);
  tap_ok (s == NULL && strstr (err, "longer than"), "one byte more is refused");
  s = read_pipe ("", 0, err, sizeof err);
  tap_ok (s == NULL && strstr (err, "empty"), "nothing on stdin is refused");
}

/* The prompt itself needs a terminal; without one it must fail cleanly.
 * With one (meson run by hand) it would wait for typing: skip then. */
static void
test_prompt_without_tty (void)
{
  char err[256];
  int fd = open ("/dev/tty", O_RDWR | O_NOCTTY);
  UaSecret *s;

  if (fd >= 0)
    {
      close (fd);
      tap_skip ("there is a controlling terminal", "prompt without a terminal");
      return;
    }
  s = ua_secretin_prompt ("Secret: ", "secret", err, sizeof err);
  tap_ok (s == NULL && strstr (err, "no terminal") != NULL, "prompt fails with a message: %s", err);
  ua_secret_free (s);
}

int
main (void)
{
  test_check ();
  test_read ();
  test_prompt_without_tty ();
  return tap_done ();
}
