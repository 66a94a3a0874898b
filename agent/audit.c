#include "config.h"

#include "audit.h"

#include <string.h>

UaAuditRecord *
ua_audit_record_new (const char *op, UaConn *conn)
{
  UaAuditRecord *r = g_new0 (UaAuditRecord, 1);

  r->when = g_get_real_time () / G_USEC_PER_SEC;
  r->count = 1;
  r->op = op;
  r->socket = ua_conn_socket (conn);
  r->pid = ua_conn_peer_pid (conn);
  r->uid = ua_conn_peer_uid (conn);
  r->exe = ua_conn_peer_exe (conn) ? g_ref_string_acquire ((char *) ua_conn_peer_exe (conn)) : NULL;
  r->comm = ua_conn_peer_comm (conn) ? g_ref_string_acquire ((char *) ua_conn_peer_comm (conn)) : NULL;
  return r;
}

void
ua_audit_record_free (UaAuditRecord *record)
{
  if (record == NULL)
    return;
  g_clear_pointer (&record->exe, g_ref_string_release);
  g_clear_pointer (&record->comm, g_ref_string_release);
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
  g_autofree char *times = r->count > 1
    ? g_strdup_printf (" (%" G_GUINT64_FORMAT " tokens to it in a row)", r->count) : NULL;
  g_autofree char *message = g_strdup_printf (
    "gave a token of profile \"%s\" (%s) to pid %d, uid %u, %s, on the %s socket%s",
    profile, r->op, (int) r->pid, (unsigned) r->uid, caller_name (r),
    ua_socket_kind_name (r->socket), times ? times : "");
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

/* The newest record, if it is of the same caller and op. */
static UaAuditRecord *
same_caller (UaAuditRing *ring, const char *op, UaConn *conn)
{
  UaAuditRecord *head = g_queue_peek_head (&ring->records);

  if (head == NULL || head->pid != ua_conn_peer_pid (conn)
      || head->uid != ua_conn_peer_uid (conn) || head->socket != ua_conn_socket (conn)
      || strcmp (head->op, op) != 0)
    return NULL;
  return head;
}

gboolean
ua_audit_log_due (guint64 count)
{
  if (count <= UA_AUDIT_LOG_EVERY)
    return (count & (count - 1)) == 0;
  return count % UA_AUDIT_LOG_EVERY == 0;
}

void
ua_audit_token (UaAuditRing *ring, const char *profile, const char *op,
                UaConn *conn)
{
  UaAuditRecord *record;

  if (!ua_conn_is_open (conn))
    return;
  if ((record = same_caller (ring, op, conn)) != NULL)
    {
      record->count++;
      record->when = g_get_real_time () / G_USEC_PER_SEC;
      if (ua_audit_log_due (record->count))
        ua_audit_log (profile, record);
      return;
    }
  record = ua_audit_record_new (op, conn);
  ua_audit_log (profile, record);
  ua_audit_ring_push (ring, record);
}
