/* ua-bench-load: a load generator that speaks the agent protocol.
 *
 *   ua-bench-load -s SOCKET [-c CONNS] [-n REQUESTS] [-t SECONDS] [-k 0|1]
 *                 [-r TEMPLATE] [-m MODULO] [-o OFFSET] [-b] [-e MIN_VALID]
 *
 * CONNS connections each keep one request outstanding (like
 * redis-benchmark without pipelining).  -k 1 keeps every connection open
 * for many requests; -k 0 opens a new connection per request, and the
 * latency then includes the connect.  TEMPLATE is the request payload with
 * C escapes; every "%d" in it becomes the request's sequence number modulo
 * MODULO, plus OFFSET, so requests can cycle through many profiles.  -b connects all
 * CONNS first and only then sends (for many simultaneous cold requests).
 * -e checks that each reply's expires_in is at least MIN_VALID.
 *
 * Prints one line of key=value: requests, errors, expired (replies whose
 * token did not stay valid for MIN_VALID), tokens (distinct tokens seen),
 * seconds (first send to last reply), rps and latency percentiles in µs.
 * libc and proto/ only, one thread, epoll. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "frame.h"
#include "msg.h"
#include "summary.h"

/* A request is a few short fields; a token reply is well under this. */
#define REQUEST_MAX 4096
#define REPLY_MAX 16384
/* Distinct tokens are counted up to this many (a power of two). */
#define TOKEN_SET_SIZE 65536

typedef struct {
  const char *sock;
  int conns;
  long total;
  int total_set;
  double seconds;
  int keepalive;
  char tmpl[REQUEST_MAX];
  long modulo;
  long offset;
  int barrier;
  long min_valid; /* -1: do not check */
} Options;

typedef struct {
  int fd;
  uint8_t out[REQUEST_MAX + UA_FRAME_HEADER_LEN];
  size_t out_len, out_off;
  uint8_t in[REPLY_MAX];
  size_t in_len;
  uint64_t started;
} Conn;

typedef struct {
  Options o;
  Conn *conns;
  int ep;
  long issued, done, errors, expired, active;
  uint64_t *lat;
  uint64_t t0, t_end, deadline;
  uint64_t tokens[TOKEN_SET_SIZE];
  size_t n_tokens;
  char first_error[512];
} Load;

static void start_request (Load *L, Conn *c);

static void
die (const char *what)
{
  perror (what);
  exit (1);
}

static void
unescape (const char *in, char *out, size_t size)
{
  size_t n = 0;

  for (; *in != '\0' && n + 1 < size; in++)
    {
      if (in[0] == '\\' && in[1] == 'n')
        out[n++] = '\n', in++;
      else if (in[0] == '\\' && in[1] == 't')
        out[n++] = '\t', in++;
      else
        out[n++] = *in;
    }
  out[n] = '\0';
}

static void
parse_options (int argc, char **argv, Options *o)
{
  int opt;

  *o = (Options) { .conns = 1, .total = 10000, .keepalive = 1, .modulo = 1,
                   .min_valid = -1 };
  unescape ("v=1\\nop=ping\\n", o->tmpl, sizeof o->tmpl);
  while ((opt = getopt (argc, argv, "s:c:n:t:k:r:m:o:be:")) != -1)
    switch (opt)
      {
      case 's': o->sock = optarg; break;
      case 'c': o->conns = atoi (optarg); break;
      case 'n': o->total = atol (optarg); o->total_set = 1; break;
      case 't': o->seconds = atof (optarg); break;
      case 'k': o->keepalive = atoi (optarg); break;
      case 'r': unescape (optarg, o->tmpl, sizeof o->tmpl); break;
      case 'm': o->modulo = atol (optarg); break;
      case 'o': o->offset = atol (optarg); break;
      case 'b': o->barrier = 1; break;
      case 'e': o->min_valid = atol (optarg); break;
      default:
        fprintf (stderr, "usage: ua-bench-load -s SOCKET [-c CONNS] [-n REQUESTS] "
                 "[-t SECONDS] [-k 0|1] [-r TEMPLATE] [-m MODULO] [-o OFFSET] [-b] "
                 "[-e MIN_VALID]\n");
        exit (2);
      }
  if (o->sock == NULL || o->conns < 1 || o->total < 1 || o->modulo < 1)
    {
      fprintf (stderr, "ua-bench-load: -s is required; -c, -n, -m must be positive\n");
      exit (2);
    }
}

/* Each connection is a descriptor; a thousand of them exceed the usual
 * soft limit. */
static void
raise_fd_limit (void)
{
  struct rlimit rl;

  if (getrlimit (RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max)
    {
      rl.rlim_cur = rl.rlim_max;
      setrlimit (RLIMIT_NOFILE, &rl);
    }
}

static void
format_request (Load *L, Conn *c, long seq)
{
  char payload[REQUEST_MAX], num[24];
  size_t n = 0, nl;
  const char *p = L->o.tmpl;

  nl = (size_t) snprintf (num, sizeof num, "%ld", seq % L->o.modulo + L->o.offset);
  while (*p != '\0' && n + nl < sizeof payload)
    {
      if (p[0] == '%' && p[1] == 'd')
        {
          memcpy (payload + n, num, nl);
          n += nl;
          p += 2;
        }
      else
        payload[n++] = *p++;
    }
  ua_frame_put_header (c->out, (uint32_t) n);
  memcpy (c->out + UA_FRAME_HEADER_LEN, payload, n);
  c->out_len = UA_FRAME_HEADER_LEN + n;
  c->out_off = 0;
}

static void
watch (Load *L, Conn *c, int op, uint32_t events)
{
  struct epoll_event ev = { .events = events, .data.ptr = c };

  if (epoll_ctl (L->ep, op, c->fd, &ev) < 0)
    die ("epoll_ctl");
}

/* A blocking connect (a Unix socket connects at once unless the backlog is
 * full), then non-blocking I/O. */
static void
connect_conn (Load *L, Conn *c)
{
  struct sockaddr_un sa = { .sun_family = AF_UNIX };

  c->fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (c->fd < 0)
    die ("socket");
  snprintf (sa.sun_path, sizeof sa.sun_path, "%s", L->o.sock);
  if (connect (c->fd, (struct sockaddr *) &sa, sizeof sa) < 0)
    die ("connect");
  fcntl (c->fd, F_SETFL, O_NONBLOCK);
  c->in_len = 0;
  watch (L, c, EPOLL_CTL_ADD, EPOLLIN);
}

static void
close_conn (Load *L, Conn *c)
{
  if (c->fd < 0)
    return;
  epoll_ctl (L->ep, EPOLL_CTL_DEL, c->fd, NULL);
  close (c->fd);
  c->fd = -1;
}

static void
flush_out (Load *L, Conn *c)
{
  while (c->out_off < c->out_len)
    {
      ssize_t n = write (c->fd, c->out + c->out_off, c->out_len - c->out_off);
      if (n < 0 && errno == EAGAIN)
        {
          watch (L, c, EPOLL_CTL_MOD, EPOLLIN | EPOLLOUT);
          return;
        }
      if (n < 0)
        die ("write");
      c->out_off += (size_t) n;
    }
  watch (L, c, EPOLL_CTL_MOD, EPOLLIN);
}

static void
start_request (Load *L, Conn *c)
{
  uint64_t now = ua_bench_now_ns ();

  if (L->issued >= L->o.total || (L->deadline && now >= L->deadline))
    {
      close_conn (L, c);
      L->active--;
      return;
    }
  c->started = now;
  if (c->fd < 0)
    connect_conn (L, c);
  format_request (L, c, L->issued++);
  flush_out (L, c);
}

static void
remember_token (Load *L, const char *token)
{
  uint64_t h = 1469598103934665603u;
  size_t i;

  for (const char *p = token; *p != '\0'; p++)
    h = (h ^ (uint8_t) *p) * 1099511628211u;
  h |= 1;
  for (i = h & (TOKEN_SET_SIZE - 1); L->tokens[i] != 0; i = (i + 1) & (TOKEN_SET_SIZE - 1))
    if (L->tokens[i] == h)
      return;
  if (L->n_tokens + 1 < TOKEN_SET_SIZE)
    {
      L->tokens[i] = h;
      L->n_tokens++;
    }
}

static void
judge_reply (Load *L, const uint8_t *payload, size_t len)
{
  UaMsg *msg = NULL;
  const char *status, *token;
  long long left;

  if (ua_msg_decode (payload, len, &msg) != UA_MSG_OK)
    {
      L->errors++;
      return;
    }
  status = ua_msg_get (msg, "status");
  token = ua_msg_get (msg, "token");
  if (status == NULL || strcmp (status, "ok") != 0)
    {
      if (L->errors++ == 0)
        snprintf (L->first_error, sizeof L->first_error, "%s: %s",
                  ua_msg_get (msg, "error") ? ua_msg_get (msg, "error") : "?",
                  ua_msg_get (msg, "message") ? ua_msg_get (msg, "message") : "");
    }
  else if (token != NULL)
    {
      remember_token (L, token);
      if (L->o.min_valid >= 0 &&
          (!ua_msg_get_int (msg, "expires_in", &left) || left < L->o.min_valid))
        L->expired++;
    }
  ua_msg_free (msg);
}

/* Takes every whole reply from the input buffer. */
static void
take_replies (Load *L, Conn *c)
{
  const uint8_t *payload;
  size_t plen, used;
  UaFrameStatus fs;

  while ((fs = ua_frame_decode (c->in, c->in_len, REPLY_MAX - UA_FRAME_HEADER_LEN,
                                &payload, &plen, &used, NULL)) == UA_FRAME_COMPLETE)
    {
      uint64_t now = ua_bench_now_ns ();

      L->lat[L->done++] = now - c->started;
      L->t_end = now;
      judge_reply (L, payload, plen);
      memmove (c->in, c->in + used, c->in_len - used);
      c->in_len -= used;
      if (!L->o.keepalive)
        close_conn (L, c);
      start_request (L, c);
      if (c->fd < 0 || c->in_len == 0)
        return;
    }
  if (fs == UA_FRAME_TOO_LARGE)
    {
      fprintf (stderr, "ua-bench-load: reply larger than %d bytes\n", REPLY_MAX);
      exit (1);
    }
}

static void
on_readable (Load *L, Conn *c)
{
  ssize_t n = read (c->fd, c->in + c->in_len, sizeof c->in - c->in_len);

  if (n < 0 && errno == EAGAIN)
    return;
  if (n <= 0)
    {
      /* The agent closed without a whole reply: an error, then go on. */
      if (L->errors++ == 0)
        snprintf (L->first_error, sizeof L->first_error, "connection closed");
      L->lat[L->done++] = ua_bench_now_ns () - c->started;
      close_conn (L, c);
      start_request (L, c);
      return;
    }
  c->in_len += (size_t) n;
  take_replies (L, c);
}

static void
run (Load *L)
{
  struct epoll_event evs[256];

  L->active = L->o.conns;
  if (L->o.barrier)
    for (int i = 0; i < L->o.conns; i++)
      connect_conn (L, &L->conns[i]);
  L->t0 = ua_bench_now_ns ();
  if (L->o.seconds > 0)
    L->deadline = L->t0 + (uint64_t) (L->o.seconds * 1e9);
  for (int i = 0; i < L->o.conns; i++)
    start_request (L, &L->conns[i]);
  while (L->active > 0)
    {
      int n = epoll_wait (L->ep, evs, 256, 30000);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          fprintf (stderr, "ua-bench-load: no reply for 30 s; giving up\n");
          exit (1);
        }
      for (int i = 0; i < n; i++)
        {
          Conn *c = evs[i].data.ptr;
          if (c->fd >= 0 && (evs[i].events & EPOLLOUT))
            flush_out (L, c);
          if (c->fd >= 0 && (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
            on_readable (L, c);
        }
    }
}

int
main (int argc, char **argv)
{
  static Load L;
  UaBenchSummary s;
  double secs;
  size_t cap;

  parse_options (argc, argv, &L.o);
  raise_fd_limit ();
  /* With -t alone, as many requests as fit in the time (and the samples). */
  if (L.o.seconds > 0 && !L.o.total_set)
    L.o.total = 20000000;
  cap = (size_t) L.o.total;
  L.lat = malloc (cap * sizeof *L.lat);
  L.conns = calloc ((size_t) L.o.conns, sizeof *L.conns);
  L.ep = epoll_create1 (EPOLL_CLOEXEC);
  if (L.lat == NULL || L.conns == NULL || L.ep < 0)
    die ("ua-bench-load");
  for (int i = 0; i < L.o.conns; i++)
    L.conns[i].fd = -1;
  run (&L);

  secs = (double) (L.t_end - L.t0) / 1e9;
  ua_bench_summarize (L.lat, (size_t) L.done, &s);
  printf ("requests=%ld errors=%ld expired=%ld tokens=%zu seconds=%.3f rps=%.0f "
          "p50_us=%.1f p90_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f mean_us=%.1f\n",
          L.done, L.errors, L.expired, L.n_tokens, secs,
          secs > 0 ? (double) L.done / secs : 0.0,
          s.p50_us, s.p90_us, s.p99_us, s.p999_us, s.max_us, s.mean_us);
  if (L.errors > 0)
    fprintf (stderr, "ua-bench-load: %ld errors; first: %s\n", L.errors, L.first_error);
  return 0;
}
