#include "config.h"

#include "refresh.h"

#include "http.h"
#include "ua-error.h"

/* A token from a login is handed out instead of refreshing only while it
 * has this much validity left. */
#define PRIMED_MIN_LEFT_S 300

typedef struct {
  UaCredential *credential;
  guint signins;  /* the credential's when the refresh started */
  UaSecret *sent; /* the refresh token in the request */
  UaSecret *client_secret; /* a confidential app's, or NULL */
} Refresh;

static void
refresh_free (Refresh *r)
{
  ua_credential_unref (r->credential);
  ua_secret_free (r->sent);
  ua_secret_free (r->client_secret);
  g_free (r);
}

static const char *
name_of (GTask *task)
{
  Refresh *r = g_task_get_task_data (task);

  return r->credential->profile->name;
}


static void
fail_login_required (GTask *task, const char *why)
{
  ua_grant_result_return_error (task, UA_GRANT_RETRY_NEVER,
        g_error_new (UA_ERROR, UA_ERR_LOGIN_REQUIRED,
                     "profile \"%s\": %s; run \"uipauth login %s\"",
                     name_of (task), why, name_of (task)));
}

static char *
fingerprint (const UaSecret *secret)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                      (const guchar *) ua_secret_get (secret),
                                      ua_secret_len (secret));
}

/* A login's own access token, while it is fresh enough: no refresh. */
static UaToken *
take_primed (UaCredential *c)
{
  g_autoptr(UaToken) token = g_steal_pointer (&c->primed);

  if (token == NULL
      || ua_token_remaining (token, g_get_monotonic_time ()) < PRIMED_MIN_LEFT_S)
    return NULL;
  return g_steal_pointer (&token);
}

/* Whether the answer still belongs to the credential's current sign-in. */
static gboolean
still_ours (GTask *task)
{
  Refresh *r = g_task_get_task_data (task);

  return !r->credential->retired && r->credential->signins == r->signins;
}

/* Why an answer that is no longer ours is dropped. */
static GError *
not_ours_error (GTask *task)
{
  Refresh *r = g_task_get_task_data (task);

  if (r->credential->retired)
    return ua_credential_retired_error (r->credential);
  return g_error_new (UA_ERROR, UA_ERR_LOGIN_REQUIRED, "profile \"%s\" was signed "
                      "in again or signed out while its token was being "
                      "refreshed; try again", name_of (task));
}

/* The credential was retired, or signed in again, while this refresh was
 * under way: what it got belongs to a sign-in that is gone, and is
 * dropped.  After a new login its callers get a copy of the login's own
 * token, which stays for the next mint (the cache keeps nothing of a mint
 * that a login overtook). */
static void
drop_superseded (GTask *task)
{
  Refresh *r = g_task_get_task_data (task);
  UaCredential *c = r->credential;

  if (!c->retired && c->primed != NULL
      && ua_token_remaining (c->primed, g_get_monotonic_time ()) >= PRIMED_MIN_LEFT_S)
    ua_grant_result_return (task, ua_grant_result_new_token (ua_token_copy (c->primed)));
  else
    ua_grant_result_return_error (task, UA_GRANT_RETRY_NEVER, not_ours_error (task));
}

typedef struct {
  GTask *task;
  UaGrantResult *result; /* its refresh token is the one being saved */
} Saving;

static void
rotation_saved (GObject *source, GAsyncResult *res, gpointer data)
{
  Saving *s = data;
  Refresh *r = g_task_get_task_data (s->task);
  UaCredential *c = r->credential;
  g_autoptr(GError) error = NULL;

  if (!ua_store_store_finish (res, &error) && c->held != NULL && !c->retired)
    {
      /* The server has consumed the old token: the new one lives only
       * here now.  Keep it and save it before the next refresh. */
      g_warning ("profile %s: the rotated refresh token could not be saved; "
                 "it is held in memory", c->profile->name);
      ua_grant_result_fail (s->result, UA_GRANT_RETRY_BACKOFF,
                            g_error_new (UA_ERROR, UA_ERR_KEYRING,
                                         "profile \"%s\": the new refresh token "
                                         "could not be saved (%s); it is kept in "
                                         "memory and saved at the next try: "
                                         "unlock the keyring", c->profile->name,
                                         error->message));
    }
  else if (c->retired)
    {
      /* Removed or changed while the save was under way, and the remove's
       * clear may have reached the keyring first: take the rotation back
       * out, so that no successor of the same name ever reads it. */
      if (error == NULL)
        ua_store_clear_async (c->store, c->profile->name, UA_SECRET_REFRESH_TOKEN,
                              NULL, NULL, NULL);
      ua_grant_result_fail (s->result, UA_GRANT_RETRY_NEVER,
                            ua_credential_retired_error (c));
    }
  else if (error == NULL)
    {
      g_clear_pointer (&c->held, ua_secret_free);
      g_debug ("profile %s: refresh token rotated and saved", c->profile->name);
    }
  else
    /* Wiped by `lock` meanwhile: nothing left to save. */
    ua_grant_result_fail (s->result, UA_GRANT_RETRY_BACKOFF, g_steal_pointer (&error));
  g_clear_pointer (&s->result->refresh_token, ua_secret_free);
  ua_grant_result_return (s->task, s->result);
  g_free (s);
}

/* The answer's rotated refresh token goes to the store before anything
 * else happens: until then, it exists only in this process. */
static void
save_rotation (GTask *task, UaGrantResult *result)
{
  Refresh *r = g_task_get_task_data (task);
  UaCredential *c = r->credential;
  Saving *s = g_new0 (Saving, 1);

  s->task = task;
  s->result = result;
  g_clear_pointer (&c->held, ua_secret_free);
  c->held = ua_secret_copy (result->refresh_token);
  ua_store_store_async (c->store, c->profile->name, UA_SECRET_REFRESH_TOKEN,
                        c->held, NULL, rotation_saved, s);
}

static void
refresh_answered (GObject *source, GAsyncResult *res, gpointer data)
{
  GTask *task = data;
  Refresh *r = g_task_get_task_data (task);
  g_autoptr(UaHttpResponse) response = NULL;
  GError *error = NULL;
  UaGrantResult *result;

  response = ua_http_perform_finish (res, &error);
  if (response == NULL)
    {
      g_prefix_error (&error, "profile \"%s\": ", name_of (task));
      ua_grant_result_return_error (task, UA_GRANT_RETRY_BACKOFF, error);
      return;
    }
  result = ua_grant_result_judge (response, name_of (task),
                                  ua_grant_parse_token_response);
  if (!still_ours (task))
    {
      ua_grant_result_free (result);
      drop_superseded (task);
      return;
    }
  if (result->token != NULL)
    ua_credential_refreshed (r->credential);
  if (result->refresh_token != NULL)
    {
      save_rotation (task, result);
      return;
    }
  if (g_strcmp0 (result->error_code, "invalid_grant") == 0)
    {
      g_free (r->credential->refused);
      r->credential->refused = fingerprint (r->sent);
      ua_grant_result_free (result);
      fail_login_required (task, "the identity server refused the refresh token "
                                 "(invalid_grant): the sign-in expired or was "
                                 "revoked, or its last rotation was lost");
      return;
    }
  ua_grant_result_return (task, result);
}

static void
send_refresh (GTask *task)
{
  Refresh *r = g_task_get_task_data (task);
  UaGrantClient client = ua_credential_grant_client (r->credential, r->client_secret);

  /* Not cancellable: once sent, the answer must be read and its rotated
   * token saved, whatever happened to the callers meanwhile. */
  ua_http_perform_async (ua_grant_refresh_request (r->credential->profile->token_endpoint,
                                                   &client, r->sent),
                         NULL, refresh_answered, task);
}

static void
client_secret_read (GObject *source, GAsyncResult *res, gpointer data)
{
  GTask *task = data;
  Refresh *r = g_task_get_task_data (task);
  GError *error = NULL;

  r->client_secret = ua_credential_client_secret_finish (res, &error);
  if (error != NULL)
    ua_grant_result_return_error (task, UA_GRANT_RETRY_BACKOFF, error);
  else if (!still_ours (task))
    drop_superseded (task);
  else
    send_refresh (task);
}

static void
refresh_with (GTask *task, UaSecret *refresh_token)
{
  Refresh *r = g_task_get_task_data (task);
  g_autofree char *print = fingerprint (refresh_token);

  r->sent = refresh_token;
  if (g_strcmp0 (r->credential->refused, print) == 0)
    {
      fail_login_required (task, "the identity server refused its refresh token "
                                 "(invalid_grant); it is not sent again");
      return;
    }
  ua_credential_client_secret_async (r->credential, client_secret_read, task);
}

static void
stored_token_read (GObject *source, GAsyncResult *res, gpointer data)
{
  GTask *task = data;
  GError *error = NULL;
  UaSecret *refresh_token = ua_store_lookup_finish (res, &error);

  if (error != NULL)
    ua_grant_result_return_error (task, UA_GRANT_RETRY_BACKOFF, error);
  else if (!still_ours (task))
    {
      ua_secret_free (refresh_token);
      drop_superseded (task);
    }
  else if (refresh_token == NULL)
    fail_login_required (task, "it has not signed in yet (no refresh token in "
                               "the keyring)");
  else
    refresh_with (task, refresh_token);
}

static void
read_stored (GTask *task)
{
  Refresh *r = g_task_get_task_data (task);

  ua_store_lookup_async (r->credential->store, r->credential->profile->name,
                         UA_SECRET_REFRESH_TOKEN, NULL, stored_token_read, task);
}

static void
held_saved (GObject *source, GAsyncResult *res, gpointer data)
{
  GTask *task = data;
  Refresh *r = g_task_get_task_data (task);
  GError *error = NULL;

  if (!ua_store_store_finish (res, &error))
    {
      ua_grant_result_return_error (task, UA_GRANT_RETRY_BACKOFF, error);
      return;
    }
  g_clear_pointer (&r->credential->held, ua_secret_free);
  read_stored (task);
}

void
ua_refresh_async (UaCredential *c, GCancellable *cancellable,
                  GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Refresh *r = g_new0 (Refresh, 1);
  GError *error = NULL;
  UaToken *primed;

  r->credential = ua_credential_ref (c);
  r->signins = c->signins;
  g_task_set_task_data (task, r, (GDestroyNotify) refresh_free);
  if (c->signing_out > 0)
    fail_login_required (task, "it is being signed out");
  else if ((primed = take_primed (c)) != NULL)
    ua_grant_result_return (task, ua_grant_result_new_token (primed));
  else if (!ua_http_url_allowed (c->profile->token_endpoint, &error))
    {
      g_prefix_error (&error, "profile \"%s\": ", c->profile->name);
      ua_grant_result_return_error (task, UA_GRANT_RETRY_NEVER, error);
    }
  else if (c->held != NULL)
    ua_store_store_async (c->store, c->profile->name, UA_SECRET_REFRESH_TOKEN,
                          c->held, NULL, held_saved, task);
  else
    read_stored (task);
}

UaGrantResult *
ua_refresh_finish (GAsyncResult *result)
{
  return ua_grant_result_propagate (result);
}
