#include "config.h"

#include "refresh.h"

#include "http.h"
#include "keyring.h"
#include "ua-error.h"

/* A token from a login is handed out instead of refreshing only while it
 * has this much validity left. */
#define PRIMED_MIN_LEFT_S 300

typedef struct {
  GTask *task;
  UaGrantFailure *failure;
} Waiter;

/* One profile's refresh in flight and every mint that shares it. */
typedef struct {
  char *profile;
  char *client_id;
  char *endpoint;
  GArray *waiters;        /* of Waiter */
  UaSecret *sent;         /* the refresh token in the request */
  UaToken *token;         /* the answer's, until the rotation is saved */
  GError *error;          /* ... or the answer's error */
  UaGrantFailure failure;
} Flight;

static GHashTable *flights;  /* profile -> Flight */
static GHashTable *primed;   /* profile -> UaToken from a login */
static GHashTable *refused;  /* profile -> SHA-256 of a refused refresh token */
static GHashTable *held;     /* profile -> UaSecret rotated but not yet saved */

static void
tables_init (void)
{
  if (flights != NULL)
    return;
  flights = g_hash_table_new (g_str_hash, g_str_equal);
  primed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                  (GDestroyNotify) ua_token_free);
  refused = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  held = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                (GDestroyNotify) ua_secret_free);
}

static char *
fingerprint (const UaSecret *secret)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                      (const guchar *) ua_secret_get (secret),
                                      ua_secret_len (secret));
}

static UaToken *
token_copy (const UaToken *t)
{
  UaToken *copy = g_new0 (UaToken, 1);

  copy->value = ua_secret_copy (t->value);
  copy->token_type = g_strdup (t->token_type);
  copy->scope = g_strdup (t->scope);
  copy->expires_mono = t->expires_mono;
  copy->expires_wall = t->expires_wall;
  copy->issued_mono = t->issued_mono;
  return copy;
}

static void
flight_free (Flight *f)
{
  g_free (f->profile);
  g_free (f->client_id);
  g_free (f->endpoint);
  g_array_unref (f->waiters);
  ua_secret_free (f->sent);
  ua_token_free (f->token);
  g_clear_error (&f->error);
  g_free (f);
}

/* Answers every mint that shares the flight, and ends it. */
static void
flight_finish (Flight *f)
{
  g_hash_table_remove (flights, f->profile);
  for (guint i = 0; i < f->waiters->len; i++)
    {
      Waiter *w = &g_array_index (f->waiters, Waiter, i);

      *w->failure = f->failure;
      if (f->token != NULL)
        g_task_return_pointer (w->task, token_copy (f->token),
                               (GDestroyNotify) ua_token_free);
      else
        g_task_return_error (w->task, g_error_copy (f->error));
      g_object_unref (w->task);
    }
  flight_free (f);
}

static void
flight_fail (Flight *f, UaGrantRetry retry, GError *error)
{
  f->failure.retry = retry;
  g_clear_pointer (&f->token, ua_token_free);
  g_clear_error (&f->error);
  f->error = error;
  flight_finish (f);
}

static void
fail_login_required (Flight *f, const char *why)
{
  flight_fail (f, UA_GRANT_RETRY_NEVER,
               g_error_new (UA_ERROR, UA_ERR_LOGIN_REQUIRED,
                            "profile \"%s\": %s; run \"uipauth login %s\"",
                            f->profile, why, f->profile));
}

static void
rotation_saved (GObject *source, GAsyncResult *res, gpointer data)
{
  Flight *f = data;
  g_autoptr(GError) error = NULL;

  if (!ua_keyring_store_finish (res, &error))
    {
      /* The server has consumed the old token: the new one lives only
       * here now.  Keep it and save it before the next refresh. */
      g_warning ("profile %s: the rotated refresh token could not be saved; "
                 "it is held in memory", f->profile);
      flight_fail (f, UA_GRANT_RETRY_BACKOFF,
                   g_error_new (UA_ERROR, UA_ERR_KEYRING,
                                "profile \"%s\": the new refresh token could not "
                                "be saved (%s); it is kept in memory and saved "
                                "at the next try: unlock the keyring",
                                f->profile, error->message));
      return;
    }
  g_hash_table_remove (held, f->profile);
  g_debug ("profile %s: refresh token rotated and saved", f->profile);
  flight_finish (f);
}

/* The answer's rotated refresh token goes to the keyring before anything
 * else happens: until then, it exists only in this process. */
static void
save_rotation (Flight *f, UaSecret *rotated)
{
  g_hash_table_replace (held, g_strdup (f->profile), rotated);
  ua_keyring_store_async (f->profile, UA_SECRET_REFRESH_TOKEN, rotated, NULL,
                          rotation_saved, f);
}

static void
refresh_answered (GObject *source, GAsyncResult *res, gpointer data)
{
  Flight *f = data;
  g_autoptr(UaHttpResponse) response = NULL;
  g_autofree char *code = NULL;
  GError *error = NULL;
  UaSecret *rotated;

  response = ua_http_perform_finish (res, &error);
  if (response == NULL)
    {
      g_prefix_error (&error, "profile \"%s\": ", f->profile);
      flight_fail (f, UA_GRANT_RETRY_BACKOFF, error);
      return;
    }
  rotated = ua_grant_take_refresh_token (response);
  f->token = ua_grant_parse_token_response (response, f->profile, &f->failure,
                                            &f->error);
  if (rotated != NULL)
    {
      save_rotation (f, rotated);
      return;
    }
  if (f->token != NULL)
    {
      flight_finish (f);
      return;
    }
  code = ua_grant_error_code (response);
  if (g_strcmp0 (code, "invalid_grant") == 0)
    {
      g_hash_table_replace (refused, g_strdup (f->profile), fingerprint (f->sent));
      fail_login_required (f, "the identity server refused the refresh token "
                              "(invalid_grant): the sign-in expired or was "
                              "revoked, or its last rotation was lost");
      return;
    }
  flight_finish (f);
}

static void
send_refresh (Flight *f, UaSecret *refresh_token)
{
  g_autofree char *print = fingerprint (refresh_token);
  UaHttpRequest *request;

  f->sent = refresh_token;
  if (g_strcmp0 (g_hash_table_lookup (refused, f->profile), print) == 0)
    {
      fail_login_required (f, "the identity server refused its refresh token "
                              "(invalid_grant); it is not sent again");
      return;
    }
  request = ua_grant_refresh_request (f->endpoint, f->client_id, refresh_token);
  /* Not cancellable: once sent, the answer must be read and its rotated
   * token saved, whatever happened to the callers meanwhile. */
  ua_http_perform_async (request, NULL, refresh_answered, f);
}

static void
stored_token_read (GObject *source, GAsyncResult *res, gpointer data)
{
  Flight *f = data;
  GError *error = NULL;
  UaSecret *refresh_token = ua_keyring_lookup_finish (res, &error);

  if (error != NULL)
    {
      flight_fail (f, UA_GRANT_RETRY_BACKOFF, error);
      return;
    }
  if (refresh_token == NULL)
    {
      fail_login_required (f, "it has not signed in yet (no refresh token in "
                              "the keyring)");
      return;
    }
  send_refresh (f, refresh_token);
}

static void
held_saved (GObject *source, GAsyncResult *res, gpointer data)
{
  Flight *f = data;
  GError *error = NULL;

  if (!ua_keyring_store_finish (res, &error))
    {
      flight_fail (f, UA_GRANT_RETRY_BACKOFF, error);
      return;
    }
  g_hash_table_remove (held, f->profile);
  ua_keyring_lookup_async (f->profile, UA_SECRET_REFRESH_TOKEN, NULL,
                           stored_token_read, f);
}

char *
ua_refresh_token_endpoint (const char *identity_url, const char *service_url,
                           GError **error)
{
  g_autofree char *base = NULL;

  if (identity_url != NULL)
    base = g_strdup (identity_url);
  else if ((base = ua_grant_default_identity_url (service_url ? service_url : "",
                                                  error)) == NULL)
    return NULL;
  return ua_grant_token_endpoint (base);
}

static gboolean
take_primed (const char *profile, GTask *task)
{
  UaToken *token = NULL;
  gpointer key = NULL;

  if (!g_hash_table_steal_extended (primed, profile, &key, (gpointer *) &token))
    return FALSE;
  g_free (key);
  if (ua_token_remaining (token, g_get_monotonic_time ()) < PRIMED_MIN_LEFT_S)
    {
      ua_token_free (token);
      return FALSE;
    }
  g_task_return_pointer (task, token, (GDestroyNotify) ua_token_free);
  g_object_unref (task);
  return TRUE;
}

void
ua_refresh_start (GTask *task, const char *profile, const char *client_id,
                  const char *identity_url, const char *service_url,
                  UaGrantFailure *failure)
{
  Waiter w = { task, failure };
  GError *error = NULL;
  UaSecret *unsaved;
  Flight *f;

  tables_init ();
  if ((f = g_hash_table_lookup (flights, profile)) != NULL)
    {
      g_array_append_val (f->waiters, w);
      return;
    }
  if (take_primed (profile, task))
    return;
  f = g_new0 (Flight, 1);
  f->profile = g_strdup (profile);
  f->client_id = g_strdup (client_id);
  f->waiters = g_array_new (FALSE, FALSE, sizeof (Waiter));
  g_array_append_val (f->waiters, w);
  g_hash_table_insert (flights, f->profile, f);

  f->endpoint = ua_refresh_token_endpoint (identity_url, service_url, &error);
  if (f->endpoint == NULL || !ua_http_url_allowed (f->endpoint, &error))
    {
      g_prefix_error (&error, "profile \"%s\": ", profile);
      flight_fail (f, UA_GRANT_RETRY_NEVER, error);
      return;
    }
  unsaved = g_hash_table_lookup (held, profile);
  if (unsaved != NULL)
    ua_keyring_store_async (profile, UA_SECRET_REFRESH_TOKEN, unsaved, NULL,
                            held_saved, f);
  else
    ua_keyring_lookup_async (profile, UA_SECRET_REFRESH_TOKEN, NULL,
                             stored_token_read, f);
}

void
ua_refresh_logged_in (const char *profile, UaToken *token)
{
  tables_init ();
  g_hash_table_remove (refused, profile);
  g_hash_table_remove (held, profile);
  g_hash_table_replace (primed, g_strdup (profile), token);
}
