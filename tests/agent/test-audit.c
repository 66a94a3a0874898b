/* What /proc tells of a caller (peer.c), cleaned; the audit ring's bound
 * and order; the fields a record is logged with (audit.c). */
#include "config.h"

#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audit.h"
#include "peer.h"

static void
test_peer_self (void)
{
  char exe[4096];
  ssize_t n = readlink ("/proc/self/exe", exe, sizeof exe - 1);
  g_autofree char *got_exe = ua_peer_exe (getpid ());
  g_autofree char *got_comm = ua_peer_comm (getpid ());

  g_assert_cmpint (n, >, 0);
  exe[n] = '\0';
  g_assert_cmpstr (got_exe, ==, exe);
  g_assert_cmpstr (got_comm, ==, "test-audit");
}

/* A caller gone before it was looked at: only its pid is known. */
static void
test_peer_gone (void)
{
  pid_t pid = fork ();

  if (pid == 0)
    _exit (0);
  waitpid (pid, NULL, 0);
  g_assert_null (ua_peer_exe (pid));
  g_assert_null (ua_peer_comm (pid));
  g_assert_null (ua_peer_exe (0));
}

/* A process names itself: control characters could forge a log line. */
static void
test_peer_cleaned (void)
{
  char old[17] = { 0 };
  g_autofree char *comm = NULL;

  prctl (PR_GET_NAME, old, 0, 0, 0);
  prctl (PR_SET_NAME, "evil\nline\033[", 0, 0, 0);
  comm = ua_peer_comm (getpid ());
  prctl (PR_SET_NAME, old, 0, 0, 0);
  g_assert_cmpstr (comm, ==, "evil?line?[");
}

static UaAuditRecord *
record_of_uid (uid_t uid)
{
  UaAuditRecord *r = g_new0 (UaAuditRecord, 1);

  r->op = "token";
  r->uid = uid;
  r->exe = g_ref_string_new ("/usr/bin/true");
  return r;
}

static void
test_ring (void)
{
  UaAuditRing ring;

  ua_audit_ring_init (&ring);
  g_assert_cmpuint (ua_audit_ring_length (&ring), ==, 0);
  for (int i = 0; i < UA_AUDIT_RING_MAX + 10; i++)
    ua_audit_ring_push (&ring, record_of_uid ((uid_t) i));
  g_assert_cmpuint (ua_audit_ring_length (&ring), ==, UA_AUDIT_RING_MAX);
  g_assert_cmpuint (ua_audit_ring_nth (&ring, 0)->uid, ==, UA_AUDIT_RING_MAX + 9);
  g_assert_cmpuint (ua_audit_ring_nth (&ring, UA_AUDIT_RING_MAX - 1)->uid, ==, 10);
  g_assert_null (ua_audit_ring_nth (&ring, UA_AUDIT_RING_MAX));
  ua_audit_ring_clear (&ring);
  g_assert_cmpuint (ua_audit_ring_length (&ring), ==, 0);
}

static GHashTable *logged;

static GLogWriterOutput
capture (GLogLevelFlags level, const GLogField *fields, gsize n, gpointer data)
{
  g_hash_table_remove_all (logged);
  for (gsize i = 0; i < n; i++)
    g_hash_table_insert (logged, g_strdup (fields[i].key),
                         g_strndup (fields[i].value, fields[i].length < 0
                                    ? strlen (fields[i].value) : (gsize) fields[i].length));
  return G_LOG_WRITER_HANDLED;
}

static const char *
logged_field (const char *key)
{
  return g_hash_table_lookup (logged, key);
}

/* The journal gets each part as a field; stderr and syslog the message. */
static void
test_log_fields (void)
{
  UaAuditRecord r = { .when = 1700000000, .count = 1, .op = "token",
                      .socket = UA_SOCKET_RESTRICTED, .pid = 4242, .uid = 1000,
                      .exe = (char *) "/usr/bin/ssh", .comm = (char *) "ssh" };
  UaAuditRecord unknown = { .when = 1700000000, .count = 1, .op = "token",
                            .socket = UA_SOCKET_MAIN, .pid = 7, .uid = 1000 };

  ua_audit_log ("work", &r);
  g_assert_cmpstr (logged_field ("MESSAGE"), ==,
                   "gave a token of profile \"work\" (token) to pid 4242, uid 1000, "
                   "/usr/bin/ssh, on the restricted socket");
  g_assert_cmpstr (logged_field ("MESSAGE_ID"), ==, UA_AUDIT_MESSAGE_ID);
  g_assert_cmpstr (logged_field ("PRIORITY"), ==, "6");
  g_assert_cmpstr (logged_field ("UIPAUTH_PROFILE"), ==, "work");
  g_assert_cmpstr (logged_field ("UIPAUTH_OP"), ==, "token");
  g_assert_cmpstr (logged_field ("UIPAUTH_SOCKET"), ==, "restricted");
  g_assert_cmpstr (logged_field ("UIPAUTH_CALLER_PID"), ==, "4242");
  g_assert_cmpstr (logged_field ("UIPAUTH_CALLER_UID"), ==, "1000");
  g_assert_cmpstr (logged_field ("UIPAUTH_CALLER_EXE"), ==, "/usr/bin/ssh");
  g_assert_cmpstr (logged_field ("UIPAUTH_CALLER_COMM"), ==, "ssh");
  ua_audit_log ("work", &unknown);
  g_assert_cmpstr (logged_field ("MESSAGE"), ==,
                   "gave a token of profile \"work\" (token) to pid 7, uid 1000, "
                   "executable unknown, on the main socket");
  g_assert_null (logged_field ("UIPAUTH_CALLER_EXE"));
  g_assert_null (logged_field ("UIPAUTH_CALLER_COMM"));
  r.count = 64;
  ua_audit_log ("work", &r);
  g_assert_cmpstr (logged_field ("MESSAGE"), ==,
                   "gave a token of profile \"work\" (token) to pid 4242, uid 1000, "
                   "/usr/bin/ssh, on the restricted socket (64 tokens to it in a row)");
}

/* A caller asking again and again is logged at its 1st, 2nd, 4th ...
 * token up to UA_AUDIT_LOG_EVERY, then at every UA_AUDIT_LOG_EVERY-th. */
static void
test_log_due (void)
{
  static const struct { guint64 count; gboolean due; } cases[] = {
    { 1, TRUE }, { 2, TRUE }, { 3, FALSE }, { 4, TRUE }, { 5, FALSE },
    { 1024, TRUE }, { 1025, FALSE }, { UA_AUDIT_LOG_EVERY, TRUE },
    { UA_AUDIT_LOG_EVERY + 1, FALSE }, { 2 * UA_AUDIT_LOG_EVERY, TRUE },
    { 3 * UA_AUDIT_LOG_EVERY, TRUE }, { 3 * UA_AUDIT_LOG_EVERY + 1, FALSE },
    { 4 * UA_AUDIT_LOG_EVERY, TRUE }, { 1000003, FALSE },
  };
  guint lines = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (ua_audit_log_due (cases[i].count), ==, cases[i].due);
  for (guint64 n = 1; n <= 1000000; n++)
    lines += ua_audit_log_due (n);
  /* 13 powers of two up to 4096, then one line per 4096 tokens. */
  g_assert_cmpuint (lines, ==, 12 + 1000000 / UA_AUDIT_LOG_EVERY);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  logged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_log_set_writer_func (capture, NULL, NULL);
  g_test_add_func ("/peer/self", test_peer_self);
  g_test_add_func ("/peer/gone", test_peer_gone);
  g_test_add_func ("/peer/cleaned", test_peer_cleaned);
  g_test_add_func ("/audit/ring", test_ring);
  g_test_add_func ("/audit/log-fields", test_log_fields);
  g_test_add_func ("/audit/log-due", test_log_due);
  status = g_test_run ();
  g_hash_table_unref (logged);
  return status;
}
