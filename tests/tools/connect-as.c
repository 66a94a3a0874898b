/* connect-as UID GID SOCKET: connects to the agent as another user and
 * sends a ping, framed as the agent reads it, so that only the peer check
 * can keep the agent from answering (the test runs it as the agent's own
 * user too, to show that it would).  It keeps CAP_DAC_OVERRIDE so that the
 * socket directory's mode (the first line of defence) does not stop it:
 * what is tested is the agent's own peer-credential check.  Needs root. */
#include <linux/capability.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "frame.h"
#include "rawconn.h"

static int
raise_dac_override (void)
{
  struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct data[2] = { { 0 } };
  unsigned bits = (1u << CAP_DAC_OVERRIDE) | (1u << CAP_DAC_READ_SEARCH);

  data[0].effective = data[0].permitted = bits;
  return (int) syscall (SYS_capset, &hdr, data);
}

int
main (int argc, char **argv)
{
  static const char ping[] = "v=1\nop=ping\n";
  uint8_t header[UA_FRAME_HEADER_LEN];
  uid_t uid;
  gid_t gid;
  int fd;

  if (argc != 4)
    {
      fprintf (stderr, "usage: connect-as UID GID SOCKET\n");
      return 2;
    }
  signal (SIGPIPE, SIG_IGN);
  uid = (uid_t) atoi (argv[1]);
  gid = (gid_t) atoi (argv[2]);
  if (prctl (PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 || setgroups (0, NULL) < 0 ||
      setresgid (gid, gid, gid) < 0 || setresuid (uid, uid, uid) < 0 ||
      raise_dac_override () < 0)
    {
      perror ("connect-as: cannot become the other user");
      return 77;
    }
  fd = ua_raw_connect (argv[3]);
  if (fd < 0)
    {
      perror ("connect-as: connect");
      return 3;
    }
  printf ("uid=%u\n", (unsigned) getuid ());
  ua_frame_put_header (header, sizeof ping - 1);
  if (ua_raw_write_all (fd, header, sizeof header) < 0 ||
      ua_raw_write_all (fd, ping, sizeof ping - 1) < 0)
    printf ("WRITE-FAILED\n");
  ua_raw_print_replies (fd, 3000, 1);
  return 0;
}
