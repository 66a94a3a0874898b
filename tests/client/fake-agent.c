/* A stand-in for uipauth-agent in the client's integration tests: it
 * answers with canned replies and misbehaves on demand, which the real
 * agent will not do.  libc and proto/ only.
 *
 *   fake-agent --socket PATH [--foreground]
 *
 * Without --foreground it starts like the real agent: the first process
 * exits 0 once the socket listens (1 if another agent serves it), and a
 * child serves.  The environment (which the client passes on when it
 * autostarts us) says what to do:
 *   FAKE_LOG=FILE        append each request, then a line "--"
 *   FAKE_REPLIES=DIR     reply to op X with the payload in DIR/X; without
 *                        a file: ping and shutdown get status=ok, any other
 *                        op error=unknown-op
 *   FAKE_MODE=reply|hang|close|partial|huge|malformed
 *   FAKE_START=fail      exit 1 at once, as an agent that cannot start
 *   FAKE_PIDFILE=FILE    append the serving process's pid, for cleanup
 * It exits after a shutdown request, or after FAKE_IDLE seconds (default
 * 30) without a connection, so a failed test leaves nothing behind. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "frame.h"
#include "msg.h"
#include "sockpath.h"

static const char *
env_or (const char *name, const char *fallback)
{
  const char *v = getenv (name);
  return v && *v ? v : fallback;
}

static int
write_all (int fd, const void *data, size_t len)
{
  const char *p = data;

  while (len > 0)
    {
      ssize_t n = write (fd, p, len);
      if (n <= 0)
        return -1;
      p += n;
      len -= (size_t) n;
    }
  return 0;
}

static void
send_payload (int fd, const char *payload, size_t len)
{
  uint8_t header[UA_FRAME_HEADER_LEN];

  ua_frame_put_header (header, (uint32_t) len);
  write_all (fd, header, sizeof header);
  write_all (fd, payload, len);
}

static void
log_request (const UaMsg *req)
{
  const char *path = getenv ("FAKE_LOG");
  FILE *f = path ? fopen (path, "a") : NULL;

  if (f == NULL)
    return;
  for (size_t i = 0; i < ua_msg_count (req); i++)
    fprintf (f, "%s=%s\n", ua_msg_key (req, i), ua_msg_value (req, i));
  fprintf (f, "--\n");
  fclose (f);
}

/* The canned reply for @op, or NULL. */
static char *
canned (const char *op, size_t *len)
{
  const char *dir = getenv ("FAKE_REPLIES");
  char path[4096], *buf;
  FILE *f;
  long size;

  if (dir == NULL || strchr (op, '/') != NULL)
    return NULL;
  snprintf (path, sizeof path, "%s/%s", dir, op);
  if ((f = fopen (path, "rb")) == NULL)
    return NULL;
  fseek (f, 0, SEEK_END);
  size = ftell (f);
  fseek (f, 0, SEEK_SET);
  buf = malloc ((size_t) size + 1);
  *len = fread (buf, 1, (size_t) size, f);
  fclose (f);
  return buf;
}

static void
reply (int fd, const char *op)
{
  static const char ok[] = "v=1\nstatus=ok\nagent_version=fake\npid=1\nprotocol=1\n";
  static const char unknown[] = "v=1\nstatus=error\nerror=unknown-op\n"
                                "message=the fake agent has no reply for this op\n";
  size_t len;
  char *body = canned (op, &len);

  if (body != NULL)
    send_payload (fd, body, len);
  else if (strcmp (op, "ping") == 0 || strcmp (op, "shutdown") == 0)
    send_payload (fd, ok, sizeof ok - 1);
  else
    send_payload (fd, unknown, sizeof unknown - 1);
  free (body);
}

/* Misbehaves as FAKE_MODE says; returns false to drop the connection. */
static bool
respond (int fd, const char *op)
{
  const char *mode = env_or ("FAKE_MODE", "reply");
  uint8_t header[UA_FRAME_HEADER_LEN];

  if (strcmp (mode, "hang") == 0)
    {
      sleep (60);
      return false;
    }
  if (strcmp (mode, "close") == 0)
    return false;
  if (strcmp (mode, "partial") == 0)
    {
      ua_frame_put_header (header, 100);
      write_all (fd, header, sizeof header);
      write_all (fd, "v=1\nstatus", 10);
      return false;
    }
  if (strcmp (mode, "huge") == 0)
    {
      ua_frame_put_header (header, UA_FRAME_REPLY_MAX + 1);
      write_all (fd, header, sizeof header);
      return false;
    }
  if (strcmp (mode, "malformed") == 0)
    {
      send_payload (fd, "v=1\nstatus=ok\nno-newline", 24);
      return true;
    }
  reply (fd, op);
  return true;
}

/* Reads one request frame; NULL at end of connection. */
static UaMsg *
read_request (int fd)
{
  static uint8_t buf[UA_FRAME_HEADER_LEN + UA_FRAME_REQUEST_MAX];
  size_t have = 0, want = UA_FRAME_HEADER_LEN, used, plen;
  const uint8_t *payload;
  UaMsg *msg = NULL;

  for (;;)
    {
      UaFrameStatus st = ua_frame_decode (buf, have, UA_FRAME_REQUEST_MAX,
                                          &payload, &plen, &used, &want);
      ssize_t n;

      if (st == UA_FRAME_COMPLETE)
        {
          ua_msg_decode (payload, plen, &msg);
          return msg;
        }
      if (st == UA_FRAME_TOO_LARGE)
        return NULL;
      n = read (fd, buf + have, want - have);
      if (n <= 0)
        return NULL;
      have += (size_t) n;
    }
}

/* Serves one connection; returns true after a shutdown request. */
static bool
serve_conn (int fd, const char *sock_path)
{
  UaMsg *req;

  while ((req = read_request (fd)) != NULL)
    {
      const char *op = ua_msg_get (req, "op");
      bool keep, shutdown = op && strcmp (op, "shutdown") == 0;

      log_request (req);
      keep = respond (fd, op ? op : "");
      ua_msg_free (req);
      if (shutdown)
        {
          unlink (sock_path);
          return true;
        }
      if (!keep)
        break;
    }
  return false;
}

static void
serve (int lfd, const char *sock_path)
{
  int idle_ms = atoi (env_or ("FAKE_IDLE", "30")) * 1000;

  for (;;)
    {
      struct pollfd pfd = { .fd = lfd, .events = POLLIN };
      int fd;
      bool done;

      if (poll (&pfd, 1, idle_ms) <= 0)
        break;
      fd = accept (lfd, NULL, NULL);
      if (fd < 0)
        continue;
      done = serve_conn (fd, sock_path);
      close (fd);
      if (done)
        break;
    }
  unlink (sock_path);
}

static bool
live (const char *path)
{
  struct sockaddr_un sa = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM, 0);
  bool ok;

  snprintf (sa.sun_path, sizeof sa.sun_path, "%s", path);
  ok = connect (fd, (struct sockaddr *) &sa, sizeof sa) == 0;
  close (fd);
  return ok;
}

static int
listen_on (const char *path)
{
  struct sockaddr_un sa = { .sun_family = AF_UNIX };
  char err[256], lock[4096];
  int fd, lock_fd;

  if (ua_sockpath_check_dir (path, true, err, sizeof err) < 0)
    {
      fprintf (stderr, "fake-agent: %s\n", err);
      return -1;
    }
  /* One agent per socket, as the real one does it: a lock held for life,
   * so that two agents started at once cannot both unlink and bind. */
  snprintf (lock, sizeof lock, "%s.lock", path);
  lock_fd = open (lock, O_RDWR | O_CREAT, 0600);
  if (lock_fd < 0 || flock (lock_fd, LOCK_EX | LOCK_NB) < 0 || live (path))
    {
      fprintf (stderr, "fake-agent: another agent serves %s\n", path);
      return -1;
    }
  /* Like the real agent: the socket listens before it takes the name. */
  snprintf (sa.sun_path, sizeof sa.sun_path, "%s.new", path);
  unlink (sa.sun_path);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (bind (fd, (struct sockaddr *) &sa, sizeof sa) < 0 || listen (fd, 64) < 0 ||
      rename (sa.sun_path, path) < 0)
    {
      fprintf (stderr, "fake-agent: %s: %s\n", path, strerror (errno));
      return -1;
    }
  /* So that the client knows the socket for an agent's, not a forward's. */
  ua_sockpath_mark (lock_fd, path);
  return fd;
}

/* Like the real agent: detach, and let go of the terminal and the pipes
 * of whoever started us, so that nobody waits on our output. */
static void
daemonize (void)
{
  int null = open ("/dev/null", O_RDWR);

  if (fork () > 0)
    _exit (0);
  setsid ();
  dup2 (null, 0);
  dup2 (null, 1);
  dup2 (null, 2);
  close (null);
}

static void
write_pid (void)
{
  const char *path = getenv ("FAKE_PIDFILE");
  FILE *f = path ? fopen (path, "a") : NULL;

  if (f != NULL)
    {
      fprintf (f, "%d\n", (int) getpid ());
      fclose (f);
    }
}

int
main (int argc, char **argv)
{
  const char *path = NULL;
  bool foreground = false;
  int lfd;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--socket") == 0 && i + 1 < argc)
        path = argv[++i];
      else if (strcmp (argv[i], "--foreground") == 0)
        foreground = true;
    }
  if (path == NULL || strcmp (env_or ("FAKE_START", ""), "fail") == 0)
    {
      fprintf (stderr, "fake-agent: not starting (FAKE_START=fail or no --socket)\n");
      return 1;
    }
  if ((lfd = listen_on (path)) < 0)
    return 1;
  if (!foreground)
    daemonize ();
  write_pid ();
  serve (lfd, path);
  return 0;
}
