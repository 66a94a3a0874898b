/* ua-bench-http -p PORT -c CONNS -t SECONDS [-H HEADER] PATH: keeps CONNS
 * HTTP/1.1 keep-alive connections to 127.0.0.1:PORT, each with one GET of
 * PATH outstanding, for SECONDS, and prints one line of key=value: the
 * requests answered, errors (a status other than 200, a closed
 * connection), req/s and the latency percentiles.  Answers must carry a
 * Content-Length (the fake Orchestrator's do).  One thread, epoll, libc. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "summary.h"

#define CONNS_MAX 256
#define ANSWER_MAX 65536
#define SAMPLES_MAX (20 * 1000 * 1000)

typedef struct {
  int fd;
  uint64_t sent_ns;
  char buf[ANSWER_MAX];
  size_t have;
} Conn;

typedef struct {
  int port, conns, seconds;
  const char *header, *path;
} Options;

static int
parse (int argc, char **argv, Options *o)
{
  int c;

  *o = (Options) { .conns = 1, .seconds = 3 };
  while ((c = getopt (argc, argv, "p:c:t:H:")) != -1)
    switch (c)
      {
      case 'p': o->port = atoi (optarg); break;
      case 'c': o->conns = atoi (optarg); break;
      case 't': o->seconds = atoi (optarg); break;
      case 'H': o->header = optarg; break;
      default: return -1;
      }
  o->path = optind < argc ? argv[optind] : NULL;
  return o->path && o->port > 0 && o->conns > 0 && o->conns <= CONNS_MAX && o->seconds > 0 ? 0 : -1;
}

static int
dial (int port)
{
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons ((uint16_t) port),
                            .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

  if (fd < 0 || connect (fd, (struct sockaddr *) &sa, sizeof sa) < 0)
    return -1;
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

/* The length of a whole answer at the start of @c->buf, 0 if incomplete,
 * -1 if it cannot be framed; *status gets its status. */
static long
answer_len (const Conn *c, int *status)
{
  const char *end = memmem (c->buf, c->have, "\r\n\r\n", 4), *p;
  long body = -1;

  if (end == NULL)
    return c->have == sizeof c->buf ? -1 : 0;
  *status = atoi (c->buf + 9);
  /* Every header line ends in "\r\n", the last one at end + 2. */
  for (p = c->buf; p < end; p = (const char *) memchr (p, '\n', (size_t) (end + 2 - p)) + 1)
    if (strncasecmp (p, "content-length:", 15) == 0)
      body = atol (p + 15);
  if (body < 0)
    return -1;
  return c->have >= (size_t) (end + 4 - c->buf) + (size_t) body
         ? (long) (end + 4 - c->buf) + body : 0;
}

int
main (int argc, char **argv)
{
  static Conn conns[CONNS_MAX];
  char req[2048];
  Options o;
  uint64_t *samples = malloc (SAMPLES_MAX * sizeof *samples), start, deadline;
  size_t n = 0, reqlen;
  long errors = 0;
  int ep = epoll_create1 (EPOLL_CLOEXEC);
  UaBenchSummary s;

  if (parse (argc, argv, &o) < 0 || samples == NULL)
    {
      fprintf (stderr, "usage: ua-bench-http -p PORT [-c CONNS] [-t SECONDS] [-H HEADER] PATH\n");
      return 2;
    }
  reqlen = (size_t) snprintf (req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n%s%s\r\n",
                              o.path, o.port, o.header ? o.header : "", o.header ? "\r\n" : "");
  start = ua_bench_now_ns ();
  deadline = start + (uint64_t) o.seconds * 1000000000ull;
  for (int i = 0; i < o.conns; i++)
    {
      struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &conns[i] };

      if ((conns[i].fd = dial (o.port)) < 0 || epoll_ctl (ep, EPOLL_CTL_ADD, conns[i].fd, &ev) < 0)
        {
          perror ("ua-bench-http: connect");
          return 1;
        }
      conns[i].sent_ns = ua_bench_now_ns ();
      if (write (conns[i].fd, req, reqlen) != (ssize_t) reqlen)
        return 1;
    }
  for (int open = o.conns; open > 0;)
    {
      struct epoll_event evs[CONNS_MAX];
      int k = epoll_wait (ep, evs, CONNS_MAX, 30000);

      if (k <= 0)
        {
          fprintf (stderr, "ua-bench-http: no answer for 30 s\n");
          return 1;
        }
      for (int i = 0; i < k; i++)
        {
          Conn *c = evs[i].data.ptr;
          ssize_t got = read (c->fd, c->buf + c->have, sizeof c->buf - c->have);
          int status = 0;
          size_t used;
          long len;

          if (got <= 0)
            {
              errors++, open--;
              epoll_ctl (ep, EPOLL_CTL_DEL, c->fd, NULL);
              continue;
            }
          c->have += (size_t) got;
          if ((len = answer_len (c, &status)) == 0)
            continue;
          if (len < 0 || status != 200)
            errors++;
          if (n < SAMPLES_MAX)
            samples[n++] = ua_bench_now_ns () - c->sent_ns;
          used = len > 0 ? (size_t) len : c->have;
          memmove (c->buf, c->buf + used, c->have - used);
          c->have -= used;
          if (ua_bench_now_ns () >= deadline)
            {
              open--;
              epoll_ctl (ep, EPOLL_CTL_DEL, c->fd, NULL);
              continue;
            }
          c->sent_ns = ua_bench_now_ns ();
          if (write (c->fd, req, reqlen) != (ssize_t) reqlen)
            errors++;
        }
    }
  ua_bench_summarize (samples, n, &s);
  printf ("requests=%zu errors=%ld seconds=%.3f rps=%.0f p50_us=%.0f p90_us=%.0f p99_us=%.0f "
          "max_us=%.0f mean_us=%.1f\n", n, errors, (ua_bench_now_ns () - start) / 1e9,
          n / ((ua_bench_now_ns () - start) / 1e9), s.p50_us, s.p90_us, s.p99_us, s.max_us, s.mean_us);
  return errors > 0;
}
