#include "config.h"

#include <string.h>
#include <unistd.h>

#include "expiry.h"
#include "handlers.h"
#include "reply.h"

static void
add_profile_fields (UaMsg *reply, guint i, const UaProfile *profile)
{
  g_autofree char *prefix = g_strdup_printf ("profile.%u.", i);
  g_autofree char *k = g_strconcat (prefix, "name", NULL);
  g_autoptr(GList) keys = g_hash_table_get_keys (profile->settings);

  ua_reply_add (reply, k, profile->name);
  keys = g_list_sort (keys, (GCompareFunc) strcmp);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      g_autofree char *key = g_strconcat (prefix, l->data, NULL);
      if (ua_msg_key_valid (key, strlen (key)))
        ua_reply_add (reply, key, g_hash_table_lookup (profile->settings, l->data));
    }
}

static void
add_cache_fields (UaMsg *reply, guint i, UaAgent *agent, const UaProfile *profile)
{
  UaCredential *credential = ua_credentials_lookup (agent->credentials, profile->name);
  UaCacheInfo info;
  gboolean known = credential && ua_cache_entry_describe (credential->entry, &info);
  g_autofree char *prefix = g_strdup_printf ("profile.%u.", i);
  g_autofree char *k_cached = g_strconcat (prefix, "cached", NULL);
  g_autofree char *k_state = g_strconcat (prefix, "state", NULL);
  g_autofree char *k_in = g_strconcat (prefix, "expires_in", NULL);
  g_autofree char *k_at = g_strconcat (prefix, "expires_at", NULL);
  g_autofree char *k_err = g_strconcat (prefix, "last_error", NULL);

  ua_reply_add_int (reply, k_cached, known && info.cached);
  ua_reply_add (reply, k_state, known ? info.state : "idle");
  if (known && info.cached && info.expires_at != 0)
    {
      ua_reply_add_int (reply, k_in, info.expires_in);
      ua_reply_add_int (reply, k_at, info.expires_at);
    }
  if (known && info.last_error != NULL)
    ua_reply_add (reply, k_err, info.last_error);
  if (known)
    {
      g_autofree char *k_mints = g_strconcat (prefix, "mints", NULL);
      g_autofree char *k_hits = g_strconcat (prefix, "hits", NULL);
      g_autofree char *k_waits = g_strconcat (prefix, "waits", NULL);
      ua_reply_add_int (reply, k_mints, (gint64) info.mints);
      ua_reply_add_int (reply, k_hits, (gint64) info.hits);
      ua_reply_add_int (reply, k_waits, (gint64) info.waits);
    }
}

/* authorization-code: when the identity server last issued tokens for
 * the sign-in, in this agent run. */
static void
add_signin_fields (UaMsg *reply, guint i, UaAgent *agent, const UaProfile *profile)
{
  UaCredential *credential = ua_credentials_lookup (agent->credentials, profile->name);
  g_autofree char *key = g_strdup_printf ("profile.%u.refreshed_at", i);

  if (credential != NULL && credential->refreshed_at != 0)
    ua_reply_add_int (reply, key, credential->refreshed_at);
}

static void
add_caller_fields (UaMsg *reply, guint i, guint j, const UaAuditRecord *r)
{
  g_autofree char *prefix = g_strdup_printf ("profile.%u.caller.%u.", i, j);
  g_autofree char *k_time = g_strconcat (prefix, "time", NULL);
  g_autofree char *k_op = g_strconcat (prefix, "op", NULL);
  g_autofree char *k_socket = g_strconcat (prefix, "socket", NULL);
  g_autofree char *k_pid = g_strconcat (prefix, "pid", NULL);
  g_autofree char *k_uid = g_strconcat (prefix, "uid", NULL);
  g_autofree char *k_exe = g_strconcat (prefix, "exe", NULL);
  g_autofree char *k_comm = g_strconcat (prefix, "comm", NULL);
  g_autofree char *k_times = g_strconcat (prefix, "count", NULL);

  ua_reply_add_int (reply, k_time, r->when);
  ua_reply_add_int (reply, k_times, (gint64) r->count);
  ua_reply_add (reply, k_op, r->op);
  ua_reply_add (reply, k_socket, ua_socket_kind_name (r->socket));
  ua_reply_add_int (reply, k_pid, r->pid);
  ua_reply_add_int (reply, k_uid, r->uid);
  ua_reply_add (reply, k_exe, r->exe);
  ua_reply_add (reply, k_comm, r->comm);
}

/* Who was given the profile's tokens, newest first. */
static void
add_callers (UaMsg *reply, guint i, UaAgent *agent, const UaProfile *profile)
{
  UaCredential *credential = ua_credentials_lookup (agent->credentials, profile->name);
  g_autofree char *k_count = g_strdup_printf ("profile.%u.callers", i);
  guint n = credential ? ua_audit_ring_length (&credential->callers) : 0;

  ua_reply_add_int (reply, k_count, n);
  for (guint j = 0; j < n; j++)
    add_caller_fields (reply, i, j, ua_audit_ring_nth (&credential->callers, j));
}

/* The restricted socket lists only the profiles it serves. */
static UaMsg *
profiles_reply (UaAgent *agent, UaConn *conn, gboolean with_cache,
                gboolean with_callers)
{
  g_autoptr(GPtrArray) list = ua_profiles_list (agent->profiles);
  UaMsg *reply = ua_reply_ok ();
  guint n = 0;

  for (guint i = 0; i < list->len; i++)
    if (!ua_conn_restricted (conn) || ((UaProfile *) list->pdata[i])->forward)
      list->pdata[n++] = list->pdata[i];
  g_ptr_array_set_size (list, n);
  if (ua_conn_restricted (conn))
    ua_reply_add (reply, "restricted", "1");
  ua_reply_add_int (reply, "count", list->len);
  for (guint i = 0; i < list->len; i++)
    {
      add_profile_fields (reply, i, list->pdata[i]);
      if (with_cache)
        add_cache_fields (reply, i, agent, list->pdata[i]);
      if (with_cache && ((UaProfile *) list->pdata[i])->type == UA_KIND_AUTHORIZATION_CODE)
        add_signin_fields (reply, i, agent, list->pdata[i]);
      if (with_callers)
        add_callers (reply, i, agent, list->pdata[i]);
    }
  return reply;
}

void
ua_handle_list (UaAgent *agent, UaConn *conn, const UaMsg *request)
{
  ua_conn_reply (conn, profiles_reply (agent, conn, FALSE, FALSE));
}

/* A status being put together: it is sent once the keyring has said,
 * for every authorization-code profile, whether a refresh token is
 * stored (ua_store_exists: the token itself is never read). */
typedef struct {
  UaAgent *agent;
  UaConn *conn;
  UaMsg *reply;
  guint pending;
} Status;

typedef struct {
  Status *status;
  guint index;
  gboolean held;   /* a rotated refresh token waits in memory to be saved */
} SigninCheck;

static void
status_send (Status *st)
{
  UaAgent *agent = st->agent;
  g_autoptr(GPtrArray) list = ua_profiles_list (agent->profiles);
  g_autoptr(GPtrArray) warnings = ua_expiry_status_warnings (list);

  for (guint i = 0; i < warnings->len; i++)
    ua_reply_add (st->reply, "warning", warnings->pdata[i]);
  ua_reply_add (st->reply, "agent_version", UA_VERSION);
  ua_reply_add_int (st->reply, "pid", getpid ());
  ua_reply_add_int (st->reply, "uptime",
                    (g_get_monotonic_time () - agent->started) / G_USEC_PER_SEC);
  ua_reply_add (st->reply, "config", ua_profiles_path (agent->profiles));
  ua_conn_reply (st->conn, st->reply);
  ua_conn_unref (st->conn);
  g_free (st);
}

static void
signin_checked (GObject *source, GAsyncResult *res, gpointer data)
{
  SigninCheck *check = data;
  Status *st = check->status;
  g_autofree char *key = g_strdup_printf ("profile.%u.signed_in", check->index);
  g_autoptr(GError) error = NULL;
  gboolean exists = FALSE;

  if (!ua_store_exists_finish (res, &exists, &error))
    ua_reply_add (st->reply, key, check->held ? "1" : "unknown");
  else
    ua_reply_add_int (st->reply, key, exists || check->held);
  g_free (check);
  if (--st->pending == 0)
    status_send (st);
}

void
ua_handle_status (UaAgent *agent, UaConn *conn, const UaMsg *request)
{
  g_autoptr(GPtrArray) list = ua_profiles_list (agent->profiles);
  Status *st = g_new0 (Status, 1);

  st->agent = agent;
  st->conn = ua_conn_ref (conn);
  st->reply = profiles_reply (agent, conn, TRUE, ua_msg_get_bool (request, "callers"));
  st->pending = 1; /* until every check is started */
  for (guint i = 0; i < list->len; i++)
    {
      const UaProfile *p = list->pdata[i];
      UaCredential *c = ua_credentials_lookup (agent->credentials, p->name);
      SigninCheck *check;

      if (p->type != UA_KIND_AUTHORIZATION_CODE)
        continue;
      check = g_new0 (SigninCheck, 1);
      check->status = st;
      check->index = i;
      check->held = c != NULL && c->held != NULL;
      st->pending++;
      ua_store_exists_async (agent->store, p->name, UA_SECRET_REFRESH_TOKEN, NULL,
                             signin_checked, check);
    }
  if (--st->pending == 0)
    status_send (st);
}
