#include "browser.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* How long a browser command may take to fail: xdg-open exits at once
 * when it finds nothing to open the URL with; a browser that keeps
 * running in the foreground has started. */
#define START_GRACE_MS 1000
#define START_POLL_MS 20
/* The default when $BROWSER is unset. */
#define XDG_OPEN "xdg-open"

extern char **environ;

static bool
set (const char *v)
{
  return v != NULL && *v != '\0';
}

bool
ua_browser_usable (const char *display, const char *wayland_display,
                   const char *ssh_connection)
{
  return !set (ssh_connection) && (set (display) || set (wayland_display));
}

/* ---- $BROWSER ------------------------------------------------------- */

static bool
is_blank (char c)
{
  return c == ' ' || c == '\t';
}

/* One word of an entry, with %s and %% expanded; NULL when out of memory. */
static char *
expand_word (const char *word, size_t len, const char *url, bool *used_url)
{
  UaBuf out = UA_BUF_INIT;

  for (size_t i = 0; i < len; i++)
    {
      if (word[i] == '%' && i + 1 < len && word[i + 1] == 's')
        {
          ua_buf_append_str (&out, url);
          *used_url = true;
          i++;
        }
      else if (word[i] == '%' && i + 1 < len && word[i + 1] == '%')
        ua_buf_append_char (&out, word[i++]);
      else
        ua_buf_append_char (&out, word[i]);
    }
  if (out.oom)
    {
      ua_buf_clear (&out);
      return NULL;
    }
  return out.data != NULL ? out.data : strdup ("");
}

static size_t
count_words (const char *entry, size_t len)
{
  size_t n = 0;

  for (size_t i = 0; i < len; i++)
    if (!is_blank (entry[i]) && (i == 0 || is_blank (entry[i - 1])))
      n++;
  return n;
}

char **
ua_browser_argv (const char *entry, size_t len, const char *url)
{
  size_t n = count_words (entry, len), argc = 0, i = 0;
  bool used_url = false, failed = false;
  char **argv;

  if (n == 0 || (argv = calloc (n + 2, sizeof *argv)) == NULL)
    return NULL;
  while (argc < n && !failed)
    {
      size_t start, end;

      for (start = i; is_blank (entry[start]); start++)
        ;
      for (end = start; end < len && !is_blank (entry[end]); end++)
        ;
      failed = (argv[argc++] = expand_word (entry + start, end - start, url,
                                            &used_url)) == NULL;
      i = end;
    }
  if (!failed && !used_url)
    failed = (argv[argc] = strdup (url)) == NULL;
  if (failed)
    {
      ua_browser_argv_free (argv);
      return NULL;
    }
  return argv;
}

void
ua_browser_argv_free (char **argv)
{
  for (char **a = argv; a != NULL && *a != NULL; a++)
    free (*a);
  free (argv);
}

/* ---- ssh -L --------------------------------------------------------- */

/* The host and port of "http://HOST[:PORT][/...]": the port as digits
 * ("80" when there is none), the host as the forward's target: the
 * agent listens on 127.0.0.1 for "localhost". */
static int
split_redirect (const char *uri, char *host, size_t hostlen, char *port, size_t portlen)
{
  const char *h, *end, *colon;
  size_t n;

  if (strncmp (uri, "http://", 7) != 0)
    return -1;
  h = uri + 7;
  end = h + strcspn (h, "/?#");
  colon = *h == '[' ? memchr (h, ']', (size_t) (end - h)) : h;
  if (colon == NULL)
    return -1;
  colon = memchr (colon, ':', (size_t) (end - colon));
  n = (size_t) ((colon ? colon : end) - h);
  if (n == 0 || n >= hostlen || (colon && (size_t) (end - colon - 1) >= portlen))
    return -1;
  if (n == 9 && strncmp (h, "localhost", 9) == 0)
    snprintf (host, hostlen, "127.0.0.1");
  else
    snprintf (host, hostlen, "%.*s", (int) n, h);
  snprintf (port, portlen, "%.*s", colon ? (int) (end - colon - 1) : 2,
            colon ? colon + 1 : "80");
  return port[0] != '\0' && port[strspn (port, "0123456789")] == '\0' ? 0 : -1;
}

int
ua_browser_ssh_command (const char *redirect_uri, const char *user,
                        const char *ssh_connection, const char *hostname,
                        UaBuf *out)
{
  char host[256], port[8], server[256] = "", sport[8] = "";

  if (split_redirect (redirect_uri, host, sizeof host, port, sizeof port) < 0)
    return -1;
  /* SSH_CONNECTION: "CLIENT-ADDRESS CLIENT-PORT SERVER-ADDRESS SERVER-PORT". */
  if (set (ssh_connection))
    sscanf (ssh_connection, "%*s %*s %255s %7s", server, sport);
  ua_buf_printf (out, "ssh -L %s:%s:%s", port, host, port);
  if (sport[0] != '\0' && strcmp (sport, "22") != 0)
    ua_buf_printf (out, " -p %s", sport);
  ua_buf_printf (out, " %s%s%s", set (user) ? user : "", set (user) ? "@" : "",
                 server[0] ? server : set (hostname) ? hostname : "THIS-HOST");
  return 0;
}

/* ---- starting it ---------------------------------------------------- */

static int64_t
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Output to /dev/null, its own process group, the signals a browser
 * expects as it expects them (we may have inherited SIGINT ignored). */
static int
spawn_detached (char **argv, pid_t *pid)
{
  static const int defaults[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD, SIGQUIT };
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t attr;
  sigset_t def, none;
  int rc;

  sigemptyset (&none);
  sigemptyset (&def);
  for (size_t i = 0; i < sizeof defaults / sizeof *defaults; i++)
    sigaddset (&def, defaults[i]);
  posix_spawn_file_actions_init (&fa);
  posix_spawnattr_init (&attr);
  posix_spawn_file_actions_addopen (&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen (&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen (&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
#ifdef HAVE_POSIX_SPAWN_CLOSEFROM
  posix_spawn_file_actions_addclosefrom_np (&fa, STDERR_FILENO + 1);
#endif
  posix_spawnattr_setpgroup (&attr, 0);
  posix_spawnattr_setsigmask (&attr, &none);
  posix_spawnattr_setsigdefault (&attr, &def);
  posix_spawnattr_setflags (&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                   POSIX_SPAWN_SETSIGDEF);
  rc = posix_spawnp (pid, argv[0], &fa, &attr, argv, environ);
  posix_spawnattr_destroy (&attr);
  posix_spawn_file_actions_destroy (&fa);
  return rc;
}

/* 0 if @argv started and did not fail at once, else -1 with @err. */
static int
start_one (char **argv, char *err, size_t errlen)
{
  int64_t deadline = now_ms () + START_GRACE_MS;
  struct timespec step = { 0, START_POLL_MS * 1000000L };
  int rc, status;
  pid_t pid, r;

  if ((rc = spawn_detached (argv, &pid)) != 0)
    {
      snprintf (err, errlen, "%s: %s", argv[0], strerror (rc));
      return -1;
    }
  while ((r = waitpid (pid, &status, WNOHANG)) == 0 && now_ms () < deadline)
    nanosleep (&step, NULL);
  /* Still running, or gone with 0; with SIGCHLD ignored (inherited), the
   * kernel reaped it and nothing can be known: it started. */
  if (r == 0 || (r == pid && WIFEXITED (status) && WEXITSTATUS (status) == 0)
      || (r < 0 && errno == ECHILD))
    return 0;
  if (r == pid && WIFEXITED (status))
    snprintf (err, errlen, "%s exited with status %d", argv[0], WEXITSTATUS (status));
  else if (r == pid)
    snprintf (err, errlen, "%s was killed by signal %d", argv[0], WTERMSIG (status));
  else
    snprintf (err, errlen, "%s: %s", argv[0], strerror (errno));
  return -1;
}

int
ua_browser_open (const char *browser_env, const char *url, char *err, size_t errlen)
{
  const char *list = set (browser_env) ? browser_env : XDG_OPEN;

  snprintf (err, errlen, "$BROWSER names no command");
  for (const char *p = list; *p != '\0';)
    {
      size_t len = strcspn (p, ":");
      char **argv = ua_browser_argv (p, len, url);
      int rc = argv != NULL ? start_one (argv, err, errlen) : -1;

      ua_browser_argv_free (argv);
      if (rc == 0)
        return 0;
      p += len + (p[len] == ':');
    }
  return -1;
}
