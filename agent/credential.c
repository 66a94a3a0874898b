#include "config.h"

#include "credential.h"

#include "login.h"
#include "ua-error.h"

#define API_KEY_WARNING \
  "profile \"%s\" uses an API key: UiPath ended API key support in March " \
  "2025; move to an external app (\"uipauth add NAME --type " \
  "client-credentials\") or a Personal Access Token (\"uipauth add NAME " \
  "--type pat\")"

/* A new secret in the file: a rejection of the old one no longer holds.
 * Where the secret is the token (a PAT), the cached "token" is the old
 * secret itself, a copy that must not outlive the file's content. */
static void
secret_file_changed (gpointer data)
{
  UaCredential *c = data;

  if (c->retired)
    return;
  g_message ("profile %s: its secret file %s changed; the next mint reads it",
             c->profile->name, c->profile->secret_file);
  if (ua_profile_token_is_secret (c->profile))
    ua_cache_entry_forget (c->entry);
  else
    ua_cache_entry_retry_now (c->entry);
}

UaCredential *
ua_credential_new (UaCache *cache, UaStore *store, const UaProfile *profile)
{
  UaCredential *c = g_new0 (UaCredential, 1);

  c->refs = 1;
  c->profile = ua_profile_copy (profile);
  c->store = store;
  c->entry = ua_cache_entry_new (cache, c, profile->name);
  if (c->profile->secret_file != NULL)
    c->file = ua_store_file_new (profile->name, c->profile->secret_file,
                                 secret_file_changed, c);
  ua_audit_ring_init (&c->callers);
  return c;
}

UaStore *
ua_credential_secret_store (UaCredential *c)
{
  return c->file != NULL ? c->file : c->store;
}

UaCredential *
ua_credential_ref (UaCredential *c)
{
  c->refs++;
  return c;
}

static void
wipe_tokens (UaCredential *c)
{
  g_clear_pointer (&c->primed, ua_token_free);
  g_clear_pointer (&c->held, ua_secret_free);
}

void
ua_credential_unref (UaCredential *c)
{
  if (c == NULL || --c->refs > 0)
    return;
  g_assert (c->retired);
  g_assert (c->login == NULL);
  wipe_tokens (c);
  ua_audit_ring_clear (&c->callers);
  g_free (c->refused);
  ua_store_free (c->file);
  ua_profile_free (c->profile);
  g_free (c);
}

GError *
ua_credential_retired_error (const UaCredential *c)
{
  return g_error_new (UA_ERROR, UA_ERR_UNKNOWN_PROFILE,
                      "profile \"%s\" was changed or removed while its token "
                      "was being minted; try again", c->profile->name);
}

void
ua_credential_retire (UaCredential *c)
{
  g_autoptr(GError) why = NULL;

  if (c->retired)
    return;
  c->retired = TRUE;
  why = ua_credential_retired_error (c);
  if (c->login != NULL)
    ua_login_cancel (c->login, g_error_new (UA_ERROR, UA_ERR_LOGIN_REQUIRED,
                                            "profile \"%s\" was changed or removed "
                                            "during the sign-in; run \"uipauth "
                                            "login %s\" again", c->profile->name,
                                            c->profile->name));
  ua_cache_entry_retire (g_steal_pointer (&c->entry), why);
  wipe_tokens (c);
  g_debug ("profile %s: credential retired", c->profile->name);
}

void
ua_credential_lock (UaCredential *c)
{
  if (c->held != NULL)
    g_warning ("profile %s: lock wiped a rotated refresh token that was not "
               "saved yet; the profile needs \"uipauth login\" again",
               c->profile->name);
  wipe_tokens (c);
  ua_cache_entry_forget (c->entry);
}

void
ua_credential_forget (UaCredential *c)
{
  ua_cache_entry_forget (c->entry);
}

void
ua_credential_get_token (UaCredential *c, gint64 min_valid, gboolean force_new,
                         UaCacheReply reply, gpointer user_data)
{
  ua_cache_entry_get (c->entry, min_valid, force_new, reply, user_data);
}

void
ua_credential_logged_in (UaCredential *c, UaToken *token)
{
  c->signins++;
  g_clear_pointer (&c->refused, g_free);
  g_clear_pointer (&c->held, ua_secret_free);
  g_clear_pointer (&c->primed, ua_token_free);
  c->primed = token;
  ua_cache_entry_forget (c->entry);
  ua_credential_refreshed (c);
}

void
ua_credential_refreshed (UaCredential *c)
{
  c->refreshed_at = g_get_real_time () / G_USEC_PER_SEC;
}

void
ua_credential_sign_out (UaCredential *c)
{
  c->signins++;
  c->refreshed_at = 0;
  g_clear_pointer (&c->refused, g_free);
  wipe_tokens (c);
  if (c->entry != NULL)
    ua_cache_entry_forget (c->entry);
}

static void
client_secret_read (GObject *source, GAsyncResult *res, gpointer data)
{
  GTask *task = data;
  const char *name = g_task_get_task_data (task);
  GError *error = NULL;
  UaSecret *secret = ua_store_lookup_finish (res, &error);

  if (secret == NULL && error == NULL)
    error = g_error_new (UA_ERROR, UA_ERR_KEYRING, "profile \"%s\" is a "
                         "confidential app, but the keyring holds no client "
                         "secret for it; store it again with \"uipauth add %s "
                         "--replace --type authorization-code --confidential "
                         "...\"", name, name);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, secret, (GDestroyNotify) ua_secret_free);
  g_object_unref (task);
}

void
ua_credential_client_secret_async (UaCredential *c, GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  GTask *task = g_task_new (NULL, NULL, callback, user_data);
  const char *kind = ua_profile_secret_kind (c->profile);

  g_task_set_task_data (task, g_strdup (c->profile->name), g_free);
  if (c->profile->type != UA_KIND_AUTHORIZATION_CODE || kind == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      g_object_unref (task);
      return;
    }
  /* From the file secret_source names, if any, like the kind's secret. */
  ua_store_lookup_async (ua_credential_secret_store (c), c->profile->name,
                         kind, NULL, client_secret_read, task);
}

UaSecret *
ua_credential_client_secret_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

UaGrantClient
ua_credential_grant_client (const UaCredential *c, const UaSecret *secret)
{
  return (UaGrantClient) { c->profile->client_id, secret, c->profile->token_auth_basic };
}

char *
ua_credential_warn_once (UaCredential *c)
{
  if (c->profile->type != UA_KIND_API_KEY || c->warned)
    return NULL;
  c->warned = TRUE;
  g_message ("profile %s: API key in use (unsupported by UiPath since March 2025)",
             c->profile->name);
  return g_strdup_printf (API_KEY_WARNING, c->profile->name);
}
