/* Who was given which token, never the token: a record per caller the
 * agent hands a profile's tokens to, with when, the op, the socket it went
 * out on and the caller (its pid and uid from SO_PEERCRED, its executable
 * and name from /proc).  Each record goes to the log, as the journal's own
 * fields when there is a journal, and to the ring of the credential it
 * came from, which `uipauth status --callers` shows.  The ring lives and
 * dies with its credential; the journal is the long record.
 *
 * Tokens that the same process asks for again and again on the same
 * socket with the same op (a long-running program, a load) count in the
 * newest record instead of making one each: the record says how many,
 * and the log says so again at the 2nd, 4th, 8th ... and then every
 * UA_AUDIT_LOG_EVERY-th.  A caller that runs once per token (`uipauth
 * token`, git) is a new process each time, so every one of its tokens is
 * a record and a log line.  So a busy caller costs a comparison and a
 * count, not a log line and a record per token. */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "server.h"

/* Records kept per credential; older ones are dropped. */
#define UA_AUDIT_RING_MAX 50
/* Past this many tokens to one caller, one log line for each so many. */
#define UA_AUDIT_LOG_EVERY 4096
/* journalctl MESSAGE_ID=... finds every record. */
#define UA_AUDIT_MESSAGE_ID "057fb64e127549b180d59b18ab587f83"

typedef struct {
  gint64 when;          /* wall clock, Unix seconds: for people to read;
                         * of the latest token when count > 1 */
  guint64 count;        /* tokens given to this caller in a row */
  const char *op;       /* a static string: the dispatch table's */
  UaSocketKind socket;
  pid_t pid;
  uid_t uid;
  char *exe;            /* /proc/PID/exe, NULL when it cannot be read; a
                         * GRefString shared with the connection */
  char *comm;           /* /proc/PID/comm, likewise */
} UaAuditRecord;

/* Newest first, at most UA_AUDIT_RING_MAX. */
typedef struct {
  GQueue records;
} UaAuditRing;

/* A record of now for @conn's peer (see ua_conn_peer_exe()). */
UaAuditRecord *ua_audit_record_new (const char *op, UaConn *conn);
void ua_audit_record_free (UaAuditRecord *record);

void ua_audit_ring_init (UaAuditRing *ring);
void ua_audit_ring_clear (UaAuditRing *ring);
/* Takes @record; drops the oldest past UA_AUDIT_RING_MAX. */
void ua_audit_ring_push (UaAuditRing *ring, UaAuditRecord *record);
guint ua_audit_ring_length (const UaAuditRing *ring);
/* 0 is the newest. */
const UaAuditRecord *ua_audit_ring_nth (const UaAuditRing *ring, guint i);

/* Whether the @count-th token in a row to one caller is logged: the 1st,
 * 2nd, 4th ... up to UA_AUDIT_LOG_EVERY, then every UA_AUDIT_LOG_EVERY-th. */
gboolean ua_audit_log_due (guint64 count);
/* Logs @record as given a token of @profile. */
void ua_audit_log (const char *profile, const UaAuditRecord *record);

/* A token of @profile went out to @conn's peer for @op: logged and kept
 * in @ring.  Nothing when the connection has already closed. */
void ua_audit_token (UaAuditRing *ring, const char *profile, const char *op,
                     UaConn *conn);
