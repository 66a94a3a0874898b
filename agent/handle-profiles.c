#include "config.h"

#include <string.h>
#include <unistd.h>

#include "credential.h"
#include "handlers.h"
#include "keyring.h"
#include "mint.h"
#include "reply.h"
#include "ua-error.h"

#define API_KEY_WARNING \
  "UiPath ended support for API keys in March 2025; move to an external app " \
  "(\"uipauth add NAME --type client-credentials\") or a Personal Access Token"
#define PASSWORD_WARNING \
  "password profiles send your password to the server every 30 minutes; " \
  "prefer a Personal Access Token or an external app"

/* An add or remove in progress: the keyring is asynchronous. */
typedef struct {
  UaAgent *agent;
  UaConn *conn;
  UaProfile *profile;   /* add: the new profile; remove: NULL */
  char *name;
  char *stale_kind;     /* add --replace: the old type's item to drop */
  gboolean replace;
  gboolean new_profile; /* add: no profile of that name existed */
  UaSecret *secret;     /* add: to store */
  UaSecret *previous;   /* add --replace: the secret it overwrites, to put
                         * back if the profile cannot be written */
} ProfileCall;

static void
profile_call_free (ProfileCall *call)
{
  ua_conn_unref (call->conn);
  ua_profile_free (call->profile);
  g_free (call->name);
  g_free (call->stale_kind);
  ua_secret_free (call->secret);
  ua_secret_free (call->previous);
  g_free (call);
}

static ProfileCall *
profile_call_new (UaAgent *agent, UaConn *conn, const char *name)
{
  ProfileCall *call = g_new0 (ProfileCall, 1);

  call->agent = agent;
  call->conn = ua_conn_ref (conn);
  call->name = g_strdup (name);
  return call;
}

static void
finish_call (ProfileCall *call, UaMsg *reply)
{
  ua_conn_reply (call->conn, reply);
  profile_call_free (call);
}

static void
fail_call (ProfileCall *call, const GError *error)
{
  finish_call (call, ua_reply_from_gerror (error));
}

static UaProfile *
profile_from_request (const UaMsg *request, GError **error)
{
  const char *name = ua_msg_get (request, "profile");
  const char *type_str = ua_msg_get (request, "type");
  g_autoptr(UaProfile) profile = NULL;
  UaProfileType type;

  if (!ua_profile_name_valid (name))
    {
      g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                   "\"%s\" is not a valid profile name: use 1 to 64 letters, "
                   "digits, _ . or -, not starting with . or -", name ? name : "");
      return NULL;
    }
  if (!ua_profile_type_from_string (type_str, &type))
    {
      g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                   "profile \"%s\": unknown type \"%s\"; use pat, client-credentials, "
                   "authorization-code, api-key or password", name, type_str ? type_str : "");
      return NULL;
    }
  profile = ua_profile_new (name, type);
  for (size_t i = 0; i < ua_msg_count (request); i++)
    if (ua_profile_setting_known (ua_msg_key (request, i)) && *ua_msg_value (request, i))
      ua_profile_set (profile, ua_msg_key (request, i), ua_msg_value (request, i));
  if (!ua_profile_validate (profile, error))
    return NULL;
  return g_steal_pointer (&profile);
}

static void
add_commit (ProfileCall *call)
{
  g_autoptr(GError) error = NULL;
  UaProfile *profile = g_steal_pointer (&call->profile);
  UaProfileType type = profile->type;
  UaMsg *reply;

  if (!ua_profiles_put (call->agent->profiles, profile, call->replace, &error))
    {
      /* A secret stored for a profile that could not be written (a full
       * disk) would stay in the keyring with nothing pointing at it. */
      if (call->new_profile && ua_mint_secret_kind (type) != NULL)
        ua_keyring_clear_async (call->name, ua_mint_secret_kind (type), NULL, NULL, NULL);
      /* --replace had already overwritten the old secret: put it back, so
       * the profile still on disk keeps working. */
      if (call->previous != NULL)
        ua_keyring_store_async (call->name, ua_mint_secret_kind (type),
                                call->previous, NULL, NULL, NULL);
      fail_call (call, error);
      return;
    }
  ua_cache_forget_profile (call->agent->cache, call->name);
  if (call->stale_kind != NULL)
    ua_keyring_clear_async (call->name, call->stale_kind, NULL, NULL, NULL);
  g_message ("profile %s added (%s)", call->name, ua_profile_type_to_string (type));

  reply = ua_reply_ok ();
  ua_reply_add (reply, "profile", call->name);
  if (type == UA_PROFILE_API_KEY)
    ua_reply_add (reply, "warning", API_KEY_WARNING);
  if (type == UA_PROFILE_PASSWORD)
    ua_reply_add (reply, "warning", PASSWORD_WARNING);
  finish_call (call, reply);
}

static void
add_stored (GObject *source, GAsyncResult *res, gpointer data)
{
  ProfileCall *call = data;
  g_autoptr(GError) error = NULL;

  if (!ua_keyring_store_finish (res, &error))
    {
      fail_call (call, error);
      return;
    }
  add_commit (call);
}

/* The secret goes in first: a failure leaves no profile without one. */
static void
add_store (ProfileCall *call)
{
  ua_keyring_store_async (call->name, ua_mint_secret_kind (call->profile->type),
                          call->secret, NULL, add_stored, call);
}

static void
add_previous_read (GObject *source, GAsyncResult *res, gpointer data)
{
  ProfileCall *call = data;
  g_autoptr(GError) error = NULL;

  call->previous = ua_keyring_lookup_finish (res, &error);
  if (error != NULL)
    {
      fail_call (call, error);
      return;
    }
  add_store (call);
}

static gboolean
check_secret (const UaProfile *profile, const char *secret, GError **error)
{
  gboolean needs = ua_mint_secret_kind (profile->type) != NULL;

  if (needs && (secret == NULL || *secret == '\0'))
    {
      g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                   "profile \"%s\" of type %s needs a secret on standard input",
                   profile->name, ua_profile_type_to_string (profile->type));
      return FALSE;
    }
  if (!needs && secret != NULL && *secret != '\0')
    {
      g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                   "profile \"%s\" of type %s takes no secret at add time",
                   profile->name, ua_profile_type_to_string (profile->type));
      return FALSE;
    }
  return TRUE;
}

void
ua_handle_add (UaAgent *agent, UaConn *conn, const UaMsg *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UaProfile) profile = profile_from_request (request, &error);
  const char *secret = ua_msg_get (request, "secret");
  gboolean replace = ua_msg_get_bool (request, "replace");
  UaProfile *old;
  ProfileCall *call;
  const char *kind;

  if (profile == NULL || !check_secret (profile, secret, &error))
    {
      ua_conn_reply (conn, ua_reply_from_gerror (error));
      return;
    }
  old = ua_profiles_lookup (agent->profiles, profile->name);
  if (old != NULL && !replace)
    {
      g_set_error (&error, UA_ERROR, UA_ERR_EXISTS,
                   "profile \"%s\" already exists; add --replace to overwrite it",
                   profile->name);
      ua_conn_reply (conn, ua_reply_from_gerror (error));
      return;
    }

  call = profile_call_new (agent, conn, profile->name);
  call->replace = replace;
  call->new_profile = old == NULL;
  kind = ua_mint_secret_kind (profile->type);
  if (old != NULL && g_strcmp0 (ua_mint_secret_kind (old->type), kind) != 0)
    call->stale_kind = g_strdup (ua_mint_secret_kind (old->type));
  call->profile = g_steal_pointer (&profile);
  if (kind == NULL)
    {
      add_commit (call);
      return;
    }
  call->secret = ua_secret_new_str (secret);
  if (old != NULL && call->stale_kind == NULL)
    {
      ua_keyring_lookup_async (call->name, kind, NULL, add_previous_read, call);
      return;
    }
  add_store (call);
}

static void
remove_cleared (GObject *source, GAsyncResult *res, gpointer data)
{
  ProfileCall *call = data;
  g_autoptr(GError) error = NULL;
  UaMsg *reply;

  if (!ua_keyring_clear_finish (res, &error))
    {
      g_autoptr(GError) again = NULL;

      /* A failed remove changes nothing: the profile goes back. */
      if (!ua_profiles_put (call->agent->profiles, g_steal_pointer (&call->profile),
                            TRUE, &again))
        g_warning ("profile %s could not be put back after a failed remove: %s",
                   call->name, again->message);
      fail_call (call, error);
      return;
    }
  ua_cache_forget_profile (call->agent->cache, call->name);
  g_message ("profile %s removed", call->name);
  reply = ua_reply_ok ();
  ua_reply_add (reply, "profile", call->name);
  finish_call (call, reply);
}

void
ua_handle_remove (UaAgent *agent, UaConn *conn, const UaMsg *request)
{
  g_autoptr(GError) error = NULL;
  const char *name = ua_msg_get (request, "profile");
  UaProfile *profile = NULL;
  ProfileCall *call;

  if (name == NULL || (profile = ua_profiles_resolve (agent->profiles, name, &error)) == NULL)
    {
      if (error == NULL)
        g_set_error (&error, UA_ERROR, UA_ERR_INVALID_ARGUMENT, "remove needs a profile name");
      ua_conn_reply (conn, ua_reply_from_gerror (error));
      return;
    }
  /* The file first: when it cannot be written (a full disk) the secret is
   * untouched and nothing has changed.  If the keyring then fails, the
   * profile is put back (remove_cleared). */
  call = profile_call_new (agent, conn, name);
  call->profile = ua_profile_copy (profile);
  if (!ua_profiles_remove (agent->profiles, name, &error))
    {
      fail_call (call, error);
      return;
    }
  ua_keyring_clear_async (call->name, NULL, NULL, remove_cleared, call);
}

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
  UaCacheInfo info;
  gboolean known = ua_cache_describe (agent->cache, profile, &info);
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

static UaMsg *
profiles_reply (UaAgent *agent, gboolean with_cache)
{
  g_autoptr(GPtrArray) list = ua_profiles_list (agent->profiles);
  UaMsg *reply = ua_reply_ok ();

  ua_reply_add_int (reply, "count", list->len);
  for (guint i = 0; i < list->len; i++)
    {
      add_profile_fields (reply, i, list->pdata[i]);
      if (with_cache)
        add_cache_fields (reply, i, agent, list->pdata[i]);
    }
  return reply;
}

void
ua_handle_list (UaAgent *agent, UaConn *conn, const UaMsg *request)
{
  ua_conn_reply (conn, profiles_reply (agent, FALSE));
}

void
ua_handle_status (UaAgent *agent, UaConn *conn, const UaMsg *request)
{
  UaMsg *reply = profiles_reply (agent, TRUE);
  g_autoptr(GPtrArray) list = ua_profiles_list (agent->profiles);
  g_autoptr(GPtrArray) warnings = ua_credential_status_warnings (list);

  for (guint i = 0; i < warnings->len; i++)
    ua_reply_add (reply, "warning", warnings->pdata[i]);

  ua_reply_add (reply, "agent_version", UA_VERSION);
  ua_reply_add_int (reply, "pid", getpid ());
  ua_reply_add_int (reply, "uptime",
                    (g_get_monotonic_time () - agent->started) / G_USEC_PER_SEC);
  ua_reply_add (reply, "config", ua_profiles_path (agent->profiles));
  ua_conn_reply (conn, reply);
}
