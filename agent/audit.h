/* Who was given which token, never the token: one record per token the
 * agent hands out, with when, the op, the socket it went out on and the
 * caller (its pid and uid from SO_PEERCRED, its executable and name from
 * /proc).  Each record goes to the log, as the journal's own fields when
 * there is a journal, and to the ring of the credential it came from,
 * which `uipauth status --callers` shows.  The ring lives and dies with
 * its credential; the journal is the long record. */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "server.h"

/* Records kept per credential; older ones are dropped. */
#define UA_AUDIT_RING_MAX 50
/* journalctl MESSAGE_ID=... finds every record. */
#define UA_AUDIT_MESSAGE_ID "057fb64e127549b180d59b18ab587f83"

typedef struct {
  gint64 when;          /* wall clock, Unix seconds: for people to read */
  const char *op;       /* a static string: the dispatch table's */
  UaSocketKind socket;
  pid_t pid;
  uid_t uid;
  char *exe;            /* /proc/PID/exe, NULL when it cannot be read */
  char *comm;           /* /proc/PID/comm, NULL when it cannot be read */
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

/* Logs @record as given a token of @profile. */
void ua_audit_log (const char *profile, const UaAuditRecord *record);

/* A token of @profile went out to @conn's peer for @op: logged and kept
 * in @ring.  Nothing when the connection has already closed. */
void ua_audit_token (UaAuditRing *ring, const char *profile, const char *op,
                     UaConn *conn);
