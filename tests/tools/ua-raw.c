/* ua-raw SOCKET [--no-read] [--replies N] [--timeout MS] [--chunk-delay MS]:
 * sends standard input to the agent byte for byte and prints its replies.
 * For tests that need malformed, oversized or truncated requests, which
 * the real client can never produce. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rawconn.h"

int
main (int argc, char **argv)
{
  static char in[1 << 20];
  size_t len = 0;
  ssize_t n;
  int fd, no_read = 0, replies = 1000, timeout = 3000, delay = 0;

  if (argc < 2 || strcmp (argv[1], "--help") == 0)
    {
      fprintf (stderr, "usage: ua-raw SOCKET [--no-read] [--replies N] [--timeout MS] [--chunk-delay MS]\n");
      return 2;
    }
  for (int i = 2; i < argc; i++)
    {
      if (strcmp (argv[i], "--no-read") == 0)
        no_read = 1;
      else if (strcmp (argv[i], "--replies") == 0 && i + 1 < argc)
        replies = atoi (argv[++i]);
      else if (strcmp (argv[i], "--timeout") == 0 && i + 1 < argc)
        timeout = atoi (argv[++i]);
      else if (strcmp (argv[i], "--chunk-delay") == 0 && i + 1 < argc)
        delay = atoi (argv[++i]);
    }
  while ((n = read (STDIN_FILENO, in + len, sizeof in - len)) > 0)
    len += (size_t) n;
  fd = ua_raw_connect (argv[1]);
  if (fd < 0)
    {
      perror ("ua-raw: connect");
      return 3;
    }
  for (size_t off = 0; off < len;)
    {
      /* With a delay, one byte at a time: a slow peer. */
      size_t step = delay ? 1 : len - off;
      if (ua_raw_write_all (fd, in + off, step) < 0)
        {
          printf ("WRITE-FAILED\n");
          break;
        }
      off += step;
      if (delay)
        usleep ((useconds_t) delay * 1000);
    }
  if (!no_read)
    ua_raw_print_replies (fd, timeout, replies);
  close (fd);
  return 0;
}
