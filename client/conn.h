/* Talking to uipauth-agent: find its socket, start it when none answers,
 * send one request and read one reply, never waiting without a deadline. */
#pragma once

#include <signal.h>
#include <stdbool.h>

#include "msg.h"

enum {
  UA_CONN_AUTOSTART = 1 << 0, /* start the agent if none answers */
};

/* Wait for the agent this long unless $UIPAUTH_TIMEOUT says otherwise. */
#define UA_CONN_TIMEOUT_DEFAULT 120
#define UA_CONN_TIMEOUT_MAX 86400

typedef struct {
  int exit_status; /* UA_EXIT_* to end with */
  bool no_agent;   /* nothing listens, and nothing was started */
  bool interrupted; /* a wait ended early: *UaConnStop.flag was set */
  bool closed;     /* the agent closed the connection without a reply */
  char msg[600];   /* a sentence for the user */
} UaConnError;

/* Where a program of ours is: $@env_var, else @name beside our own
 * binary, else @name in @installed_dir. */
void ua_conn_find_program (const char *name, const char *env_var,
                           const char *installed_dir, char *buf, size_t size);

/* Parses $UIPAUTH_TIMEOUT (@env may be NULL: the default).  0 or -1. */
int ua_conn_timeout_parse (const char *env, int *seconds);

/* The socket path and the timeout ($UIPAUTH_TIMEOUT) to use.  0, or -1
 * with @e filled. */
int ua_conn_settings (char path[], size_t size, int *timeout_s, UaConnError *e);

/* Connects to the agent at @sock_path, starting one first if @flags has
 * UA_CONN_AUTOSTART.  Returns the socket, or -1 with @e filled. */
int ua_conn_open (const char *sock_path, unsigned flags, int timeout_s,
                  UaConnError *e);

/* Sends @req as one frame and reads one reply frame.  0, or -1 with @e. */
int ua_conn_request (int fd, const UaMsg *req, int timeout_s, UaMsg **reply,
                     UaConnError *e);

/* What may end a long wait early: a signal whose handler sets *@flag.
 * The caller keeps those signals blocked; the wait lets them in with
 * @mask (ppoll), so one that comes just before it cannot be missed. */
typedef struct {
  const volatile sig_atomic_t *flag;
  const sigset_t *mask;
} UaConnStop;

/* ua_conn_request(), but -1 with e->interrupted as soon as *@stop->flag
 * is set while it waits for the reply. */
int ua_conn_request_stoppable (int fd, const UaMsg *req, int timeout_s,
                               const UaConnStop *stop, UaMsg **reply,
                               UaConnError *e);

/* Waits (at most @timeout_s) until the agent closes @fd, as it does when it
 * exits.  0, or -1 on timeout. */
int ua_conn_wait_closed (int fd, int timeout_s);

/* All of the above for the default socket: 0 with *reply set (which may be
 * an error reply), or -1 with @e filled. */
int ua_conn_call (const UaMsg *req, unsigned flags, UaMsg **reply,
                  UaConnError *e);
