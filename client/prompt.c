/* The no-echo prompt, apart because of its terminal and signal handling. */
#include "prompt.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "out.h"
#include "secretin.h"

/* Canonical-mode terminals hand over at most this much of a line. */
#define LINE_MAX_TTY 4096

/* Signals that would leave the terminal without echo if they killed us
 * mid-read: each is caught, ends the read, and is raised again once the
 * terminal is restored. */
static const int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU };
#define N_SIGNALS (sizeof signals / sizeof signals[0])

static volatile sig_atomic_t caught;

static void
on_signal (int sig)
{
  caught = sig;
}

static void
catch_signals (struct sigaction old[N_SIGNALS])
{
  struct sigaction sa = { .sa_handler = on_signal }; /* no SA_RESTART */

  sigemptyset (&sa.sa_mask);
  caught = 0;
  for (size_t i = 0; i < N_SIGNALS; i++)
    sigaction (signals[i], &sa, &old[i]);
}

static void
restore_signals (const struct sigaction old[N_SIGNALS])
{
  for (size_t i = 0; i < N_SIGNALS; i++)
    sigaction (signals[i], &old[i], NULL);
  if (caught != 0)
    raise (caught);
}

/* Reads up to a newline; returns the bytes read (newline included) or -1. */
static ssize_t
read_line (int fd, char *buf, size_t size)
{
  size_t len = 0;

  while (len < size && caught == 0)
    {
      ssize_t n = read (fd, buf + len, size - len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return -1;
      if (n == 0)
        break;
      len += (size_t) n;
      if (buf[len - 1] == '\n')
        break;
    }
  return caught ? -1 : (ssize_t) len;
}

static UaSecret *
prompt_on (int fd, const char *prompt, const char *what, char *err, size_t errlen)
{
  struct termios old, noecho;
  struct sigaction old_act[N_SIGNALS];
  char line[LINE_MAX_TTY];
  UaSecret *secret = NULL;
  ssize_t n;
  long len;

  if (tcgetattr (fd, &old) < 0)
    {
      snprintf (err, errlen, "cannot turn off echo on the terminal to ask for the %s: %s; "
                "pipe the %s on standard input instead", what, strerror (errno), what);
      return NULL;
    }
  noecho = old;
  noecho.c_lflag &= (tcflag_t) ~(ECHO | ECHOE | ECHOK);
  noecho.c_lflag |= ECHONL;
  catch_signals (old_act);
  tcsetattr (fd, TCSAFLUSH, &noecho);
  ua_out_write (fd, prompt, strlen (prompt));
  n = read_line (fd, line, sizeof line);
  tcsetattr (fd, TCSAFLUSH, &old);
  restore_signals (old_act);
  if (n < 0)
    snprintf (err, errlen, "no %s read from the terminal%s", what, caught ? " (interrupted)" : "");
  else if ((len = ua_secretin_check (line, (size_t) n, what, err, errlen)) >= 0 &&
           (secret = ua_secret_new (line, (size_t) len)) == NULL)
    snprintf (err, errlen, "out of memory");
  ua_wipe (line, sizeof line);
  return secret;
}

UaSecret *
ua_secretin_prompt (const char *prompt, const char *what, char *err, size_t errlen)
{
  int fd = open ("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  UaSecret *secret;

  if (fd < 0)
    {
      snprintf (err, errlen, "no terminal to ask for the %s on; pipe it on standard input", what);
      return NULL;
    }
  secret = prompt_on (fd, prompt, what, err, errlen);
  close (fd);
  return secret;
}
