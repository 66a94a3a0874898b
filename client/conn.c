#include "conn.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <spawn.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "errors.h"
#include "frame.h"
#include "secret.h"
#include "sockpath.h"
#include "ua-version.h"

/* Most replies fit in one read of this size, on the stack. */
#define REPLY_FIRST_READ 4096
/* Connect attempts after starting an agent, with doubling sleeps from
 * RETRY_FIRST_MS: about 1.3 s in all, for the race where another client's
 * agent won the socket and is still getting ready. */
#define RETRY_COUNT 8
#define RETRY_FIRST_MS 10

extern char **environ;

static int
fail (UaConnError *e, int exit_status, const char *fmt, ...)
  __attribute__ ((format (printf, 3, 4)));

static int
fail (UaConnError *e, int exit_status, const char *fmt, ...)
{
  va_list ap;

  va_start (ap, fmt);
  vsnprintf (e->msg, sizeof e->msg, fmt, ap);
  va_end (ap);
  e->exit_status = exit_status;
  return -1;
}

static int64_t
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sleep_ms (int ms)
{
  struct timespec ts = { ms / 1000, (long) (ms % 1000) * 1000000L };

  while (nanosleep (&ts, &ts) < 0 && errno == EINTR)
    ;
}

int
ua_conn_timeout_parse (const char *env, int *seconds)
{
  char *end;
  long n;

  *seconds = UA_CONN_TIMEOUT_DEFAULT;
  if (env == NULL || *env == '\0')
    return 0;
  errno = 0;
  n = strtol (env, &end, 10);
  if (errno != 0 || end == env || *end != '\0' || n < 1 || n > UA_CONN_TIMEOUT_MAX)
    return -1;
  *seconds = (int) n;
  return 0;
}

/* -1 with errno on failure. */
static int
connect_once (const char *path)
{
  struct sockaddr_un sa = { .sun_family = AF_UNIX };
  size_t len = strlen (path);
  int fd, saved;

  if (len >= sizeof sa.sun_path)
    return errno = ENAMETOOLONG, -1;
  memcpy (sa.sun_path, path, len + 1);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  if (connect (fd, (struct sockaddr *) &sa,
               (socklen_t) (offsetof (struct sockaddr_un, sun_path) + len + 1)) == 0)
    return fd;
  saved = errno;
  close (fd);
  errno = saved;
  return -1;
}

/* Refuses a socket directory that others could have planted a socket in.
 * A missing directory is no danger (there is nothing to talk to) and sets
 * @missing. */
static int
check_dir (const char *path, bool *missing, UaConnError *e)
{
  *missing = false;
  errno = 0;
  if (ua_sockpath_check_dir (path, false, e->msg, sizeof e->msg) == 0)
    return 0;
  if (errno == ENOENT)
    {
      *missing = true;
      e->msg[0] = '\0';
      return 0;
    }
  e->exit_status = UA_EXIT_NO_AGENT;
  return -1;
}

void
ua_conn_find_program (const char *name, const char *env_var, const char *installed_dir,
                      char *buf, size_t size)
{
  const char *env = getenv (env_var);
  size_t name_len = strlen (name) + 1;
  ssize_t n;
  char *slash;

  if (env != NULL && *env != '\0')
    {
      snprintf (buf, size, "%s", env);
      return;
    }
  n = readlink ("/proc/self/exe", buf, size - 1);
  if (n > 0 && (size_t) n < size - 1)
    {
      buf[n] = '\0';
      slash = strrchr (buf, '/');
      if (slash != NULL && (size_t) (slash + 1 - buf) + name_len <= size)
        {
          memcpy (slash + 1, name, name_len);
          if (access (buf, X_OK) == 0)
            return;
        }
    }
  snprintf (buf, size, "%s/%s", installed_dir, name);
}

/* Waits for @pid to exit, at most until @deadline; SIGCHLD is blocked by
 * the caller so that sigtimedwait() cannot miss it. */
static int
wait_child (pid_t pid, int64_t deadline, const sigset_t *chld, int *status)
{
  for (;;)
    {
      pid_t r = waitpid (pid, status, WNOHANG);
      int64_t left = deadline - now_ms ();
      struct timespec ts;

      if (r == pid)
        return 0;
      if (r < 0 && errno != EINTR)
        return -1;
      if (left <= 0)
        {
          kill (pid, SIGTERM);
          waitpid (pid, status, 0);
          return errno = ETIMEDOUT, -1;
        }
      ts.tv_sec = left / 1000;
      ts.tv_nsec = (long) (left % 1000) * 1000000L;
      sigtimedwait (chld, NULL, &ts);
    }
}

static int
spawn_with (const char *exe, char *const argv[], const sigset_t *mask, pid_t *pid)
{
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t attr;
  sigset_t def;
  int rc;

  sigemptyset (&def);
  sigaddset (&def, SIGCHLD);
  posix_spawn_file_actions_init (&fa);
  posix_spawnattr_init (&attr);
  posix_spawn_file_actions_addopen (&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen (&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
#ifdef HAVE_POSIX_SPAWN_CLOSEFROM
  /* The agent outlives us: an inherited pipe it kept open (our caller's
   * $(...), a make jobserver) would make someone wait for it forever. */
  posix_spawn_file_actions_addclosefrom_np (&fa, STDERR_FILENO + 1);
#endif
  posix_spawnattr_setsigmask (&attr, mask);
  posix_spawnattr_setsigdefault (&attr, &def);
  posix_spawnattr_setflags (&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  rc = posix_spawnp (pid, exe, &fa, &attr, argv, environ);
  posix_spawnattr_destroy (&attr);
  posix_spawn_file_actions_destroy (&fa);
  return rc;
}

typedef enum {
  START_OK,      /* the agent says its socket listens */
  START_FAILED,  /* it ran but exited non-zero: maybe another won the race */
  START_NOT_RUN, /* it could not be run at all */
} StartResult;

static void
describe_exit (char *detail, size_t len, const char *exe, int status)
{
  if (WIFSIGNALED (status))
    snprintf (detail, len, "%s was killed by signal %d", exe, WTERMSIG (status));
  else
    snprintf (detail, len, "%s exited with status %d", exe, WEXITSTATUS (status));
}

/* Runs `uipauth-agent --socket PATH` and waits for its first process to
 * exit: it does so with status 0 once the socket listens. */
static StartResult
start_agent (const char *sock_path, int timeout_s, char *detail, size_t len)
{
  char exe[PATH_MAX];
  char *argv[] = { exe, (char *) "--socket", (char *) sock_path, NULL };
  struct sigaction dfl = { .sa_handler = SIG_DFL }, old_act;
  sigset_t chld, old_mask;
  StartResult result = START_FAILED;
  pid_t pid;
  int rc, status = 0;

  ua_conn_find_program ("uipauth-agent", "UIPAUTH_AGENT", UA_BINDIR, exe, sizeof exe);
  sigemptyset (&chld);
  sigaddset (&chld, SIGCHLD);
  /* An inherited SIG_IGN would make the kernel reap the agent for us. */
  sigaction (SIGCHLD, &dfl, &old_act);
  sigprocmask (SIG_BLOCK, &chld, &old_mask);
  rc = spawn_with (exe, argv, &old_mask, &pid);
  if (rc != 0)
    {
      snprintf (detail, len, "%s: %s", exe, strerror (rc));
      result = START_NOT_RUN;
    }
  else if (wait_child (pid, now_ms () + timeout_s * 1000LL, &chld, &status) < 0)
    snprintf (detail, len, "%s did not get ready within %d s", exe, timeout_s);
  else if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
    result = START_OK;
  else
    describe_exit (detail, len, exe, status);
  sigprocmask (SIG_SETMASK, &old_mask, NULL);
  sigaction (SIGCHLD, &old_act, NULL);
  return result;
}

static bool
autostart_allowed (unsigned flags)
{
  const char *env = getenv ("UIPAUTH_NO_AUTOSTART");

  return (flags & UA_CONN_AUTOSTART) && !(env != NULL && strcmp (env, "1") == 0);
}

/* After a start, the socket should answer at once; if another client's
 * agent won the race, ours failed but theirs may need a moment. */
static int
connect_after_start (const char *path, StartResult started, const char *detail,
                     UaConnError *e)
{
  bool missing = true;
  int fd, delay = RETRY_FIRST_MS / 2, last_errno = ENOENT;

  for (int i = 0; i < RETRY_COUNT && started != START_NOT_RUN; i++, delay *= 2)
    {
      if (i > 0)
        sleep_ms (delay);
      if (check_dir (path, &missing, e) < 0)
        return -1;
      if (!missing && (fd = connect_once (path)) >= 0)
        return fd;
      last_errno = missing ? ENOENT : errno;
    }
  if (started != START_OK)
    return fail (e, UA_EXIT_NO_AGENT, "could not start uipauth-agent (%s); "
                 "set UIPAUTH_AGENT to its path, or run `uipauth-agent --foreground` to see why",
                 detail);
  return fail (e, UA_EXIT_NO_AGENT, "uipauth-agent started but does not answer on %s (%s); "
               "run `uipauth-agent --foreground` to see why", path, strerror (last_errno));
}

int
ua_conn_open (const char *path, unsigned flags, int timeout_s, UaConnError *e)
{
  char detail[PATH_MAX + 64];
  bool missing;
  int fd, why;

  if (check_dir (path, &missing, e) < 0)
    return -1;
  if (!missing && (fd = connect_once (path)) >= 0)
    return fd;
  why = missing ? ENOENT : errno;
  if (why != ENOENT && why != ECONNREFUSED)
    return fail (e, UA_EXIT_NO_AGENT, "cannot connect to uipauth-agent at %s: %s",
                 path, strerror (why));
  /* A dead agent's socket is replaced by the agent we start.  One that no
   * agent of this host made is not ours to replace: most likely the end
   * of an `ssh -R` forward whose connection has ended, and an agent
   * started here would not have the profiles it forwarded. */
  if (why == ECONNREFUSED && !ua_sockpath_bound_here (path))
    return fail (e, UA_EXIT_NO_AGENT, "nothing answers on %s, and no uipauth-agent "
                 "of this host made it: the forward over ssh (ssh -R) that made it "
                 "has ended, or the socket unit that held it has stopped; connect "
                 "again with the forward, or remove %s to run an agent on this host",
                 path, path);
  if (!autostart_allowed (flags))
    {
      e->no_agent = true;
      return fail (e, UA_EXIT_NO_AGENT, "no uipauth-agent is running on %s; "
                   "start one with `uipauth agent start`", path);
    }
  detail[0] = '\0';
  return connect_after_start (path, start_agent (path, timeout_s, detail, sizeof detail),
                              detail, e);
}

static int
send_all (int fd, const uint8_t *p, size_t len)
{
  while (len > 0)
    {
      ssize_t n = send (fd, p, len, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return -1;
      p += n;
      len -= (size_t) n;
    }
  return 0;
}

static int
closed (UaConnError *e)
{
  e->closed = true;
  return fail (e, UA_EXIT_NO_AGENT, "the agent closed the connection "
               "(did it crash? see `uipauth agent status`)");
}

/* One wait of at most @left_ms; with @stop, its signals come in only
 * during the wait. */
static int
poll_once (struct pollfd *pfd, int64_t left_ms, const UaConnStop *stop)
{
  struct timespec ts = { left_ms / 1000, (long) (left_ms % 1000) * 1000000L };

  if (left_ms <= 0)
    return 0;
  if (stop != NULL)
    return ppoll (pfd, 1, &ts, stop->mask);
  return poll (pfd, 1, (int) (left_ms > INT_MAX ? INT_MAX : left_ms));
}

/* Waits until @fd is readable or @deadline passes, or with @stop until
 * its flag is set. */
static int
wait_readable (int fd, int64_t deadline, int timeout_s, const UaConnStop *stop,
               UaConnError *e)
{
  struct pollfd pfd = { .fd = fd, .events = POLLIN };

  for (;;)
    {
      int n = poll_once (&pfd, deadline - now_ms (), stop);

      if (n > 0)
        return 0;
      if (n == 0)
        return fail (e, UA_EXIT_NO_AGENT, "uipauth-agent did not answer within %d s; "
                     "see `uipauth agent status`, or set UIPAUTH_TIMEOUT to wait longer",
                     timeout_s);
      if (errno != EINTR)
        return fail (e, UA_EXIT_NO_AGENT, "cannot wait for the agent: %s", strerror (errno));
      if (stop != NULL && *stop->flag)
        {
          e->interrupted = true;
          return fail (e, UA_EXIT_FAILURE, "interrupted");
        }
    }
}

static int
decode_reply (const uint8_t *payload, size_t len, UaMsg **reply, UaConnError *e)
{
  UaMsgStatus st = ua_msg_decode (payload, len, reply);

  if (st != UA_MSG_OK)
    return fail (e, UA_EXIT_FAILURE, "the agent sent a malformed reply (%s); "
                 "is it the same version as uipauth " UA_VERSION "?",
                 ua_msg_status_to_string (st));
  return 0;
}

/* A reply being read: on the stack while it fits there, else in one block
 * of exactly the size its header announces. */
typedef struct {
  uint8_t small[REPLY_FIRST_READ];
  uint8_t *buf;
  uint8_t *big;
  size_t cap;
  size_t have;
  const UaConnStop *stop; /* may end the wait early, or NULL */
} Reader;

static int
reader_fit (Reader *r, size_t want, UaConnError *e)
{
  if (want <= r->cap)
    return 0;
  if ((r->big = malloc (want)) == NULL)
    return fail (e, UA_EXIT_FAILURE, "out of memory");
  memcpy (r->big, r->small, r->have);
  r->buf = r->big;
  r->cap = want;
  return 0;
}

/* Waits for bytes and reads what there is, up to the end of the frame. */
static int
reader_fill (Reader *r, int fd, int64_t deadline, int timeout_s, UaConnError *e)
{
  ssize_t n;

  do
    {
      if (wait_readable (fd, deadline, timeout_s, r->stop, e) < 0)
        return -1;
      n = read (fd, r->buf + r->have, r->cap - r->have);
    }
  while (n < 0 && errno == EINTR);
  /* A reset is a close too: ssh resets a forwarded connection it could
   * not take to the other host. */
  if (n == 0 || (n < 0 && errno == ECONNRESET))
    return closed (e);
  if (n < 0)
    return fail (e, UA_EXIT_NO_AGENT, "cannot read from the agent: %s", strerror (errno));
  r->have += (size_t) n;
  return 0;
}

static void
reader_wipe (Reader *r)
{
  ua_wipe (r->small, sizeof r->small);
  if (r->big != NULL)
    {
      ua_wipe (r->big, r->cap);
      free (r->big);
    }
}

/* Reads exactly one frame.  The announced length is checked against the
 * cap before anything is allocated for it. */
static int
read_reply (int fd, int timeout_s, const UaConnStop *stop, UaMsg **reply,
            UaConnError *e)
{
  Reader r = { .cap = REPLY_FIRST_READ, .stop = stop };
  int64_t deadline = now_ms () + timeout_s * 1000LL;
  const uint8_t *payload;
  size_t plen, used, want;
  int rc = -1;

  r.buf = r.small;
  for (;;)
    {
      UaFrameStatus st = ua_frame_decode (r.buf, r.have, UA_FRAME_REPLY_MAX,
                                          &payload, &plen, &used, &want);
      if (st == UA_FRAME_COMPLETE)
        {
          rc = decode_reply (payload, plen, reply, e);
          break;
        }
      if (st == UA_FRAME_TOO_LARGE)
        {
          fail (e, UA_EXIT_FAILURE, "the agent sent a reply larger than %u bytes",
                UA_FRAME_REPLY_MAX);
          break;
        }
      if (reader_fit (&r, want, e) < 0 || reader_fill (&r, fd, deadline, timeout_s, e) < 0)
        break;
    }
  reader_wipe (&r);
  return rc;
}

int
ua_conn_request (int fd, const UaMsg *req, int timeout_s, UaMsg **reply,
                 UaConnError *e)
{
  return ua_conn_request_stoppable (fd, req, timeout_s, NULL, reply, e);
}

int
ua_conn_request_stoppable (int fd, const UaMsg *req, int timeout_s,
                           const UaConnStop *stop, UaMsg **reply, UaConnError *e)
{
  uint8_t *frame;
  size_t len;
  UaMsgStatus st;
  int rc;

  *reply = NULL;
  st = ua_msg_encode (req, UA_FRAME_REQUEST_MAX, &frame, &len);
  if (st != UA_MSG_OK)
    return fail (e, UA_EXIT_FAILURE, "cannot build the request: %s",
                 ua_msg_status_to_string (st));
  rc = send_all (fd, frame, len);
  ua_msg_buffer_free (frame, len);
  if (rc < 0)
    return errno == EPIPE || errno == ECONNRESET
           ? closed (e)
           : fail (e, UA_EXIT_NO_AGENT, "cannot send to the agent: %s", strerror (errno));
  return read_reply (fd, timeout_s, stop, reply, e);
}

int
ua_conn_wait_closed (int fd, int timeout_s)
{
  int64_t deadline = now_ms () + timeout_s * 1000LL;
  UaConnError e;
  char byte;

  for (;;)
    {
      ssize_t n;

      if (wait_readable (fd, deadline, timeout_s, NULL, &e) < 0)
        return -1;
      n = read (fd, &byte, 1);
      if (n == 0 || (n < 0 && errno != EINTR))
        return 0;
    }
}

int
ua_conn_settings (char path[], size_t size, int *timeout_s, UaConnError *e)
{
  const char *timeout_env = getenv ("UIPAUTH_TIMEOUT");

  *e = (UaConnError) { 0 };
  if (ua_conn_timeout_parse (timeout_env, timeout_s) < 0)
    return fail (e, UA_EXIT_USAGE, "UIPAUTH_TIMEOUT must be a whole number of seconds "
                 "from 1 to %d, not '%s'", UA_CONN_TIMEOUT_MAX, timeout_env);
  if (ua_sockpath_default (path, size, e->msg, sizeof e->msg) < 0)
    {
      e->exit_status = UA_EXIT_NO_AGENT;
      return -1;
    }
  return 0;
}

int
ua_conn_call (const UaMsg *req, unsigned flags, UaMsg **reply, UaConnError *e)
{
  char path[UA_SOCKPATH_MAX];
  int timeout_s, fd, rc;

  *reply = NULL;
  if (ua_conn_settings (path, sizeof path, &timeout_s, e) < 0)
    return -1;
  fd = ua_conn_open (path, flags, timeout_s, e);
  if (fd < 0)
    return -1;
  rc = ua_conn_request (fd, req, timeout_s, reply, e);
  close (fd);
  /* ssh accepts on the forwarded socket and only then finds nothing
   * listening on the other host: the connection closes unanswered. */
  if (rc < 0 && e->closed && !ua_sockpath_bound_here (path))
    fail (e, UA_EXIT_NO_AGENT, "the agent at %s closed the connection without "
          "answering, and no uipauth-agent of this host made that socket: if it "
          "is forwarded over ssh, is uipauth-agent running on the other host, "
          "with its restricted socket (agent.restricted.sock)?", path);
  return rc;
}
