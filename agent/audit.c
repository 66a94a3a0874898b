#include "config.h"

#include "audit.h"

UaAuditRecord *
ua_audit_record_new (const char *op, UaConn *conn)
{
  UaAuditRecord *r = g_new0 (UaAuditRecord, 1);

  r->when = g_get_real_time () / G_USEC_PER_SEC;
  r->op = op;
  r->socket = ua_conn_socket (conn);
  r->pid = ua_conn_peer_pid (conn);
  r->uid = ua_conn_peer_uid (conn);
  r->exe = g_strdup (ua_conn_peer_exe (conn));
  r->comm = g_strdup (ua_conn_peer_comm (conn));
  return r;
}

void
ua_audit_record_free (UaAuditRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->exe);
  g_free (record->comm);
  g_free (record);
}

void
ua_audit_ring_init (UaAuditRing *ring)
{
  g_queue_init (&ring->records);
}

void
ua_audit_ring_clear (UaAuditRing *ring)
{
  g_queue_clear_full (&ring->records, (GDestroyNotify) ua_audit_record_free);
}

void
ua_audit_ring_push (UaAuditRing *ring, UaAuditRecord *record)
{
  g_queue_push_head (&ring->records, record);
  while (g_queue_get_length (&ring->records) > UA_AUDIT_RING_MAX)
    ua_audit_record_free (g_queue_pop_tail (&ring->records));
}

guint
ua_audit_ring_length (const UaAuditRing *ring)
{
  return ring->records.length;
}

const UaAuditRecord *
ua_audit_ring_nth (const UaAuditRing *ring, guint i)
{
  return g_queue_peek_nth ((GQueue *) &ring->records, i);
}

static const char *
caller_name (const UaAuditRecord *r)
{
  if (r->exe != NULL)
    return r->exe;
  return r->comm != NULL ? r->comm : "executable unknown";
}

/* The message says it all for stderr and syslog; the journal gets each
 * part as a field of its own too. */
void
ua_audit_log (const char *profile, const UaAuditRecord *r)
{
  g_autofree char *message = g_strdup_printf (
    "gave a token of profile \"%s\" (%s) to pid %d, uid %u, %s, on the %s socket",
    profile, r->op, (int) r->pid, (unsigned) r->uid, caller_name (r),
    ua_socket_kind_name (r->socket));
  g_autofree char *pid = g_strdup_printf ("%d", (int) r->pid);
  g_autofree char *uid = g_strdup_printf ("%u", (unsigned) r->uid);
  GLogField fields[11] = {
    { "MESSAGE", message, -1 },
    { "PRIORITY", "6", -1 },
    { "GLIB_DOMAIN", G_LOG_DOMAIN, -1 },
    { "MESSAGE_ID", UA_AUDIT_MESSAGE_ID, -1 },
    { "UIPAUTH_PROFILE", profile, -1 },
    { "UIPAUTH_OP", r->op, -1 },
    { "UIPAUTH_SOCKET", ua_socket_kind_name (r->socket), -1 },
    { "UIPAUTH_CALLER_PID", pid, -1 },
    { "UIPAUTH_CALLER_UID", uid, -1 },
  };
  gsize n = 9;

  if (r->exe != NULL)
    fields[n++] = (GLogField) { "UIPAUTH_CALLER_EXE", r->exe, -1 };
  if (r->comm != NULL)
    fields[n++] = (GLogField) { "UIPAUTH_CALLER_COMM", r->comm, -1 };
  g_log_structured_array (G_LOG_LEVEL_INFO, fields, n);
}

void
ua_audit_token (UaAuditRing *ring, const char *profile, const char *op,
                UaConn *conn)
{
  UaAuditRecord *record;

  if (!ua_conn_is_open (conn))
    return;
  record = ua_audit_record_new (op, conn);
  ua_audit_log (profile, record);
  ua_audit_ring_push (ring, record);
}
