/* ua-abuse: misbehaving peers for the agent's socket, and a well-behaved
 * one that measures how the agent serves it meanwhile.  libc only.
 *
 *   ua-abuse SOCKET garbage N        N connections of malformed, oversized,
 *                                    truncated and random frames
 *   ua-abuse SOCKET vanish N         N connections that pipeline requests
 *                                    and close without reading the replies
 *   ua-abuse SOCKET slow N SECONDS   N connections sending one byte a second;
 *                                    prints when the agent closed each
 *   ua-abuse SOCKET idle N SECONDS   N connections sending nothing; likewise
 *   ua-abuse SOCKET flood N          N connections at once: how many were
 *                                    served and how many told `busy`
 *   ua-abuse SOCKET hoard N PROFILE AGENT_PID
 *                                    N connections that pipeline token
 *                                    requests and never read a reply, until
 *                                    the agent stops taking them; prints
 *                                    the agent's RSS before and its peak
 *                                    meanwhile (VmRSS sampled, and VmHWM)
 *   ua-abuse SOCKET pipeline N PROFILE
 *                                    one connection sends N token requests
 *                                    at once, then reads; prints how many
 *                                    replies came back
 *   ua-abuse SOCKET probe SECONDS PROFILE TOKEN
 *                                    a token request every 10 ms; prints
 *                                    count, failures and latency percentiles
 *
 * Every mode prints one line "MODE: key=value ..." for the test to judge,
 * and uses a fixed random seed so that a failure can be replayed. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "frame.h"
#include "msg.h"

static const char *sock_path;

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
connect_agent (int nonblock)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0), 0);

  if (fd < 0)
    return -1;
  snprintf (addr.sun_path, sizeof addr.sun_path, "%s", sock_path);
  if (connect (fd, (struct sockaddr *) &addr, sizeof addr) < 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

/* Writes what the peer takes; a peer that closed is not an error here. */
static void
send_some (int fd, const void *buf, size_t len)
{
  const char *p = buf;

  while (len > 0)
    {
      ssize_t n = send (fd, p, len, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return;
      p += n;
      len -= (size_t) n;
    }
}

static size_t
put_frame (uint8_t *out, const char *payload, size_t len)
{
  ua_frame_put_header (out, (uint32_t) len);
  memcpy (out + UA_FRAME_HEADER_LEN, payload, len);
  return UA_FRAME_HEADER_LEN + len;
}

/* Reads one reply frame within @timeout_ms.  1: a frame (its payload in
 * @buf), 0: EOF or timeout, -1: error. */
static int
read_reply (int fd, char *buf, size_t cap, size_t *plen, int timeout_ms)
{
  size_t have = 0;
  double deadline = now_ms () + timeout_ms;

  for (;;)
    {
      const uint8_t *payload;
      size_t used;
      struct pollfd p = { fd, POLLIN, 0 };
      int left = (int) (deadline - now_ms ());
      ssize_t n;

      if (ua_frame_decode ((uint8_t *) buf, have, cap - UA_FRAME_HEADER_LEN, &payload,
                           plen, &used, NULL) == UA_FRAME_COMPLETE)
        {
          memmove (buf, payload, *plen);
          buf[*plen] = '\0';
          return 1;
        }
      if (left <= 0 || have == cap || poll (&p, 1, left) <= 0)
        return 0;
      n = read (fd, buf + have, cap - have);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return n == 0 ? 0 : -1;
      have += (size_t) n;
    }
}

static size_t
random_bytes (uint8_t *out, size_t max)
{
  size_t len = 1 + (size_t) rand () % max;

  for (size_t i = 0; i < len; i++)
    out[i] = (uint8_t) rand ();
  return len;
}

/* One malformed conversation of kind @kind; 1 if the agent answered. */
static int
garbage_one (int kind, uint8_t *buf, size_t cap)
{
  int fd = connect_agent (0), answered = 0, want_reply = 1;
  size_t len = 0, plen;
  char reply[4096];

  if (fd < 0)
    return -1;
  switch (kind)
    {
    case 0: /* random bytes */
      len = random_bytes (buf, 300);
      want_reply = 0;
      break;
    case 1: /* a well-framed random payload */
      len = random_bytes (buf + 4, 300);
      ua_frame_put_header (buf, (uint32_t) len);
      len += 4;
      break;
    case 2: /* a header announcing more than the cap */
      ua_frame_put_header (buf, UA_FRAME_REQUEST_MAX + 1 + (uint32_t) rand () % 1000000);
      len = 4 + random_bytes (buf + 4, 100);
      break;
    case 3: /* truncated, then gone */
      ua_frame_put_header (buf, 100 + (uint32_t) rand () % 1000);
      len = 4 + random_bytes (buf + 4, 99);
      want_reply = 0;
      break;
    case 4: /* CR, LF or NUL injected in a value */
      {
        static const char *const bad[] = {
          "v=1\nop=token\nprofile=wo\rrk\n", "v=1\nop=token\nprofile=w\0rk\n",
          "v=1\nop=add\nprofile=x\ntype=pat\nsecret=a\nb\n", "v=1\nop\n",
          "v=1\nop=token\nprofile=work", "=\n", "v=9\nop=ping\n",
          "v=1\nop=frobnicate\n", "v=1\nOP=ping\n", "v=1\nop=token\nmin_valid=-1\n",
          "v=1\nop=token\nmin_valid=99999999999999999999\n",
          "v=1\nop=token\nmatch=https://x/\xff\xfe\n",
        };
        const char *p = bad[rand () % (int) (sizeof bad / sizeof *bad)];
        size_t n = strlen (p);
        if (p == bad[1])
          n = 27;
        len = put_frame (buf, p, n);
      }
      break;
    case 5: /* as many fields as fit: parsing cost, not memory */
      {
        size_t n = 0;
        while (n + 4 <= UA_FRAME_REQUEST_MAX && n + 4 <= cap - 8)
          {
            memcpy (buf + 4 + n, "a=b\n", 4);
            n += 4;
          }
        ua_frame_put_header (buf, (uint32_t) n);
        len = 4 + n;
      }
      break;
    default: /* a good request cut in random pieces */
      {
        static const char ping[] = "v=1\nop=ping\n";
        len = put_frame (buf, ping, sizeof ping - 1);
        for (size_t off = 0; off < len;)
          {
            size_t piece = 1 + (size_t) rand () % 5;
            if (piece > len - off)
              piece = len - off;
            send_some (fd, buf + off, piece);
            off += piece;
          }
        len = 0;
      }
      break;
    }
  send_some (fd, buf, len);
  if (want_reply && read_reply (fd, reply, sizeof reply, &plen, 2000) == 1
      && strstr (reply, "status=") != NULL)
    answered = 1;
  close (fd);
  return answered;
}

static int
mode_garbage (int n)
{
  size_t cap = UA_FRAME_REQUEST_MAX + 64;
  uint8_t *buf = malloc (cap);
  int answered = 0, expected = 0, errors = 0;

  for (int i = 0; i < n; i++)
    {
      int kind = i % 7;
      int r = garbage_one (kind, buf, cap);
      if (r < 0)
        errors++;
      if (kind != 0 && kind != 3)
        {
          expected++;
          answered += r > 0;
        }
    }
  free (buf);
  printf ("garbage: connections=%d answered=%d expected=%d connect_errors=%d\n",
          n, answered, expected, errors);
  return errors == 0 && answered == expected ? 0 : 1;
}

static int
mode_vanish (int n)
{
  uint8_t buf[64 * 20];
  size_t len = 0;
  int errors = 0;

  for (int i = 0; i < 20; i++)
    len += put_frame (buf + len, i % 2 ? "v=1\nop=list\n" : "v=1\nop=status\n",
                      i % 2 ? 12 : 14);
  for (int i = 0; i < n; i++)
    {
      int fd = connect_agent (0);
      char tiny[7];
      if (fd < 0)
        {
          errors++;
          continue;
        }
      send_some (fd, buf, len);
      /* Half the peers read a few bytes of the first reply, then vanish. */
      if (i % 2 && read (fd, tiny, sizeof tiny) < 0)
        errors++;
      close (fd);
    }
  printf ("vanish: connections=%d errors=%d\n", n, errors);
  return errors ? 1 : 0;
}

/* Holds @n connections, sending one byte of a ping a second when @slow;
 * prints how long the agent took to close them. */
static int
mode_hold (int n, int seconds, int slow)
{
  struct pollfd *fds = calloc ((size_t) n, sizeof *fds);
  double *closed = calloc ((size_t) n, sizeof *closed);
  uint8_t frame[64];
  size_t flen = put_frame (frame, "v=1\nop=ping\n", 12);
  double start = now_ms (), last_tick = 0, latest = 0;
  int open = 0, sent = 0;

  for (int i = 0; i < n; i++)
    {
      fds[i].fd = connect_agent (1);
      fds[i].events = POLLIN;
      open += fds[i].fd >= 0;
    }
  while (open > 0 && now_ms () - start < seconds * 1e3)
    {
      if (slow && now_ms () - last_tick >= 1000 && (size_t) sent < flen - 1)
        {
          /* Never the last byte: the request stays incomplete. */
          for (int i = 0; i < n; i++)
            if (fds[i].fd >= 0)
              send_some (fds[i].fd, frame + sent, 1);
          sent++;
          last_tick = now_ms ();
        }
      if (poll (fds, (nfds_t) n, 100) <= 0)
        continue;
      for (int i = 0; i < n; i++)
        {
          char b[256];
          if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
          if (read (fds[i].fd, b, sizeof b) > 0)
            continue;
          closed[i] = now_ms () - start;
          latest = closed[i] > latest ? closed[i] : latest;
          close (fds[i].fd);
          fds[i].fd = -1;
          open--;
        }
    }
  for (int i = 0; i < n; i++)
    if (fds[i].fd >= 0)
      close (fds[i].fd);
  printf ("%s: connections=%d still_open=%d bytes_sent=%d closed_after_s=%.1f\n",
          slow ? "slow" : "idle", n, open, sent, latest / 1e3);
  free (fds);
  free (closed);
  return open ? 1 : 0;
}

static int
mode_flood (int n)
{
  int *fds = calloc ((size_t) n, sizeof *fds);
  uint8_t frame[64];
  size_t flen = put_frame (frame, "v=1\nop=ping\n", 12), plen;
  int served = 0, busy = 0, other = 0;
  char reply[4096];

  for (int i = 0; i < n; i++)
    fds[i] = connect_agent (0);
  for (int i = 0; i < n; i++)
    {
      if (fds[i] < 0)
        {
          other++;
          continue;
        }
      send_some (fds[i], frame, flen);
      if (read_reply (fds[i], reply, sizeof reply, &plen, 3000) != 1)
        other++;
      else if (strstr (reply, "status=ok") != NULL)
        served++;
      else if (strstr (reply, "error=busy") != NULL)
        busy++;
      else
        other++;
    }
  for (int i = 0; i < n; i++)
    if (fds[i] >= 0)
      close (fds[i]);
  free (fds);
  printf ("flood: connections=%d served=%d busy=%d other=%d\n", n, served, busy, other);
  return other ? 1 : 0;
}

/* A line "KEY: N kB" of /proc/PID/status, in kB; -1 if unreadable. */
static long
proc_status_kb (int pid, const char *key)
{
  char path[64], line[256];
  size_t klen = strlen (key);
  long kb = -1;
  FILE *f;

  snprintf (path, sizeof path, "/proc/%d/status", pid);
  f = fopen (path, "re");
  if (f == NULL)
    return -1;
  while (fgets (line, sizeof line, f) != NULL)
    if (strncmp (line, key, klen) == 0 && line[klen] == ':')
      kb = strtol (line + klen + 1, NULL, 10);
  fclose (f);
  return kb;
}

/* Writes what @fd takes of an endless stream of @frame, whole frames in
 * order: @sent counts the bytes so far.  -1 once the agent closed it. */
static int
hoard_write (int fd, const uint8_t *stream, size_t flen, size_t slen, size_t *sent)
{
  size_t off = *sent % flen;

  for (;;)
    {
      ssize_t n = send (fd, stream + off, slen - off, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN)
        return 0;
      if (n <= 0)
        return -1;
      *sent += (size_t) n;
      off = *sent % flen;
    }
}

/* The peers stop once none could write for this long: the agent has
 * stopped reading them all (or closed them). */
#define HOARD_STALL_MS 2000
#define HOARD_MAX_MS 60000

static int
mode_hoard (int n, const char *profile, int agent_pid)
{
  struct pollfd *fds = calloc ((size_t) n, sizeof *fds);
  size_t *sent = calloc ((size_t) n, sizeof *sent), total = 0, flen, slen = 0;
  uint8_t frame[300], stream[16384];
  char req[256];
  long before = proc_status_kb (agent_pid, "VmRSS"), peak = before, rss, hwm;
  double start = now_ms (), progress = start, sample = 0;
  int open = 0, closed = 0, errors = 0;

  snprintf (req, sizeof req, "v=1\nop=token\nprofile=%s\n", profile);
  flen = put_frame (frame, req, strlen (req));
  while (slen + flen <= sizeof stream)
    {
      memcpy (stream + slen, frame, flen);
      slen += flen;
    }
  for (int i = 0; i < n; i++)
    {
      fds[i].fd = connect_agent (1);
      fds[i].events = POLLOUT;
      errors += fds[i].fd < 0;
      open += fds[i].fd >= 0;
    }
  while (open > 0 && now_ms () - progress < HOARD_STALL_MS && now_ms () - start < HOARD_MAX_MS)
    {
      if (poll (fds, (nfds_t) n, 100) > 0)
        for (int i = 0; i < n; i++)
          {
            size_t was = sent[i];
            if (fds[i].fd < 0 || !fds[i].revents)
              continue;
            if (hoard_write (fds[i].fd, stream, flen, slen, &sent[i]) < 0)
              {
                close (fds[i].fd);
                fds[i].fd = -1;
                open--;
                closed++;
              }
            if (sent[i] > was)
              progress = now_ms ();
            total += sent[i] - was;
          }
      if (now_ms () - sample >= 100)
        {
          sample = now_ms ();
          rss = proc_status_kb (agent_pid, "VmRSS");
          peak = rss > peak ? rss : peak;
        }
    }
  /* VmHWM is the kernel's own peak, but it may lag a sample taken here. */
  hwm = proc_status_kb (agent_pid, "VmHWM");
  printf ("hoard: connections=%d requests_sent=%zu closed_by_agent=%d connect_errors=%d "
          "rss_before_kb=%ld rss_peak_kb=%ld seconds=%.1f\n",
          n, total / flen, closed, errors, before, hwm > peak ? hwm : peak,
          (now_ms () - start) / 1e3);
  for (int i = 0; i < n; i++)
    if (fds[i].fd >= 0)
      close (fds[i].fd);
  free (fds);
  free (sent);
  return errors || before < 0 ? 1 : 0;
}

/* A peer within its rights: it sends a batch that fits the socket's
 * buffers, then reads every reply.  The agent stops and resumes reading
 * it meanwhile, and must answer every request. */
static int
mode_pipeline (int n, const char *profile)
{
  char req[256];
  uint8_t frame[300], *buf;
  size_t flen, plen, len = 0, cap;
  int fd = connect_agent (0), answered = 0;

  if (fd < 0)
    {
      printf ("pipeline: requests=%d answered=0 connect_errors=1\n", n);
      return 1;
    }
  snprintf (req, sizeof req, "v=1\nop=token\nprofile=%s\n", profile);
  flen = put_frame (frame, req, strlen (req));
  /* The batch, then the replies as they come. */
  cap = flen * (size_t) n + 8192;
  buf = malloc (cap);
  for (int i = 0; i < n; i++, len += flen)
    memcpy (buf + len, frame, flen);
  send_some (fd, buf, len);
  len = 0;
  while (answered < n)
    {
      const uint8_t *payload;
      size_t used;
      struct pollfd p = { fd, POLLIN, 0 };
      ssize_t got;

      if (ua_frame_decode (buf, len, 4096, &payload, &plen, &used, NULL) == UA_FRAME_COMPLETE)
        {
          if (memmem (payload, plen, "status=ok\n", 10) == NULL)
            break;
          answered++;
          memmove (buf, buf + used, len - used);
          len -= used;
          continue;
        }
      if (poll (&p, 1, 5000) <= 0 || (got = read (fd, buf + len, cap - len)) <= 0)
        break;
      len += (size_t) got;
    }
  close (fd);
  free (buf);
  printf ("pipeline: requests=%d answered=%d connect_errors=0\n", n, answered);
  return answered == n ? 0 : 1;
}

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static int
mode_probe (int seconds, const char *profile, const char *token)
{
  size_t cap = 100000, count = 0, failures = 0, busy = 0;
  double *lat = calloc (cap, sizeof *lat), start = now_ms ();
  char req[256], want[512], reply[8192];
  uint8_t frame[300];
  size_t flen, plen;

  snprintf (req, sizeof req, "v=1\nop=token\nprofile=%s\n", profile);
  snprintf (want, sizeof want, "\ntoken=%s\n", token);
  flen = put_frame (frame, req, strlen (req));
  while (now_ms () - start < seconds * 1e3 && count < cap)
    {
      double t0 = now_ms ();
      int fd = connect_agent (0), ok = 0;
      struct timespec pause = { 0, 10 * 1000 * 1000 };

      reply[0] = '\0';
      if (fd >= 0)
        {
          send_some (fd, frame, flen);
          ok = read_reply (fd, reply, sizeof reply, &plen, 5000) == 1
               && strstr (reply, want) != NULL;
          close (fd);
        }
      lat[count++] = now_ms () - t0;
      /* While a flood holds every slot, `busy` is the right answer. */
      if (!ok && fd >= 0 && strstr (reply, "error=busy") != NULL)
        {
          busy++;
          ok = 1;
        }
      if (!ok)
        {
          failures++;
          fprintf (stderr, "probe: request %zu failed after %.0f ms%s\n", count,
                   lat[count - 1], fd < 0 ? " (connect)" : "");
        }
      nanosleep (&pause, NULL);
    }
  qsort (lat, count, sizeof *lat, compare_double);
  printf ("probe: requests=%zu busy=%zu failures=%zu p50_ms=%.1f p99_ms=%.1f max_ms=%.1f\n",
          count, busy, failures, count ? lat[count / 2] : 0, count ? lat[count * 99 / 100] : 0,
          count ? lat[count - 1] : 0);
  free (lat);
  return failures ? 1 : 0;
}

int
main (int argc, char **argv)
{
  const char *mode;

  if (argc < 4)
    {
      fprintf (stderr, "usage: ua-abuse SOCKET MODE ARGS... (see the source)\n");
      return 2;
    }
  sock_path = argv[1];
  mode = argv[2];
  srand (20240601);
  setvbuf (stdout, NULL, _IOLBF, 0);
  if (strcmp (mode, "garbage") == 0)
    return mode_garbage (atoi (argv[3]));
  if (strcmp (mode, "vanish") == 0)
    return mode_vanish (atoi (argv[3]));
  if (strcmp (mode, "slow") == 0 && argc > 4)
    return mode_hold (atoi (argv[3]), atoi (argv[4]), 1);
  if (strcmp (mode, "idle") == 0 && argc > 4)
    return mode_hold (atoi (argv[3]), atoi (argv[4]), 0);
  if (strcmp (mode, "flood") == 0)
    return mode_flood (atoi (argv[3]));
  if (strcmp (mode, "hoard") == 0 && argc > 5)
    return mode_hoard (atoi (argv[3]), argv[4], atoi (argv[5]));
  if (strcmp (mode, "pipeline") == 0 && argc > 4)
    return mode_pipeline (atoi (argv[3]), argv[4]);
  if (strcmp (mode, "probe") == 0 && argc > 5)
    return mode_probe (atoi (argv[3]), argv[4], argv[5]);
  fprintf (stderr, "ua-abuse: unknown mode or missing arguments\n");
  return 2;
}
