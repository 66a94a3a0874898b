#include "rawconn.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "frame.h"
#include "msg.h"

int
ua_raw_connect (const char *path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

  if (fd < 0 || strlen (path) >= sizeof addr.sun_path)
    return -1;
  strcpy (addr.sun_path, path);
  if (connect (fd, (struct sockaddr *) &addr, sizeof addr) < 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

int
ua_raw_write_all (int fd, const void *buf, size_t len)
{
  const char *p = buf;

  while (len > 0)
    {
      ssize_t n = write (fd, p, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return -1;
      p += n;
      len -= (size_t) n;
    }
  return 0;
}

static void
print_frame (const uint8_t *payload, size_t len)
{
  UaMsg *msg = NULL;
  UaMsgStatus st = ua_msg_decode (payload, len, &msg);

  if (st != UA_MSG_OK)
    {
      printf ("UNPARSABLE %s\n--\n", ua_msg_status_to_string (st));
      return;
    }
  for (size_t i = 0; i < ua_msg_count (msg); i++)
    printf ("%s=%s\n", ua_msg_key (msg, i), ua_msg_value (msg, i));
  printf ("--\n");
  ua_msg_free (msg);
}

int
ua_raw_print_replies (int fd, int timeout_ms, int max_replies)
{
  size_t cap = 1 << 20, len = 0;
  uint8_t *buf = malloc (cap);
  int replies = 0;

  while (buf != NULL && replies < max_replies)
    {
      const uint8_t *payload;
      size_t plen, used;
      struct pollfd pfd = { fd, POLLIN, 0 };
      ssize_t n;

      if (ua_frame_decode (buf, len, cap - UA_FRAME_HEADER_LEN, &payload, &plen,
                           &used, NULL) == UA_FRAME_COMPLETE)
        {
          print_frame (payload, plen);
          memmove (buf, buf + used, len - used);
          len -= used;
          replies++;
          continue;
        }
      if (poll (&pfd, 1, timeout_ms) <= 0)
        {
          printf ("TIMEOUT\n");
          break;
        }
      n = read (fd, buf + len, cap - len);
      if (n <= 0)
        {
          printf ("EOF\n");
          break;
        }
      len += (size_t) n;
    }
  fflush (stdout);
  free (buf);
  return replies;
}
