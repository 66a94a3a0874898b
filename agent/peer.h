/* What /proc says of a peer process: its executable and its name.  Either
 * may be unreadable (the process exited, or belongs to someone else) and
 * is then NULL.  A process chooses both, so control characters in them
 * become '?': they could otherwise forge a log line or break a reply. */
#pragma once

#include <glib.h>
#include <sys/types.h>

/* /proc/PID/exe. */
char *ua_peer_exe (pid_t pid);
/* /proc/PID/comm, without its newline. */
char *ua_peer_comm (pid_t pid);
