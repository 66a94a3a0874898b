#include "config.h"

#include "credential.h"

#include "login.h"
#include "ua-error.h"

#define API_KEY_WARNING \
  "profile \"%s\" uses an API key: UiPath ended API key support in March " \
  "2025; move to an external app (\"uipauth add NAME --type " \
  "client-credentials\") or a Personal Access Token (\"uipauth add NAME " \
  "--type pat\")"

UaCredential *
ua_credential_new (UaCache *cache, UaStore *store, const UaProfile *profile)
{
  UaCredential *c = g_new0 (UaCredential, 1);

  c->refs = 1;
  c->profile = ua_profile_copy (profile);
  c->store = store;
  c->entry = ua_cache_entry_new (cache, c, profile->name);
  ua_audit_ring_init (&c->callers);
  return c;
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
  ua_cache_entry_lock (c->entry);
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
