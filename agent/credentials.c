#include "config.h"

#include "credentials.h"

struct UaCredentials {
  UaProfiles *profiles;
  UaCache *cache;
  UaStore *store;
  GHashTable *by_name; /* profile name -> UaCredential */
};

static void
retire_and_unref (gpointer data)
{
  UaCredential *c = data;

  ua_credential_retire (c);
  ua_credential_unref (c);
}

/* The credential of @name follows the table's profile of that name. */
static void
sync_one (UaCredentials *creds, const char *name)
{
  UaProfile *profile = ua_profiles_lookup (creds->profiles, name);
  UaCredential *c = g_hash_table_lookup (creds->by_name, name);

  if (c != NULL && profile != NULL && ua_profile_equal (c->profile, profile))
    return;
  /* A changed sign-in profile starts from nothing: its refresh token was
   * issued to the old settings (another identity server, another app). */
  if (c != NULL && profile != NULL && c->profile->type == UA_KIND_AUTHORIZATION_CODE)
    ua_store_clear_async (creds->store, name, UA_SECRET_REFRESH_TOKEN, NULL, NULL, NULL);
  if (c != NULL)
    g_hash_table_remove (creds->by_name, name);
  if (profile != NULL)
    {
      c = ua_credential_new (creds->cache, creds->store, profile);
      g_hash_table_insert (creds->by_name, c->profile->name, c);
    }
}

static void
sync_all (UaCredentials *creds)
{
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) list = ua_profiles_list (creds->profiles);
  GHashTableIter it;
  gpointer key;

  g_hash_table_iter_init (&it, creds->by_name);
  while (g_hash_table_iter_next (&it, &key, NULL))
    if (ua_profiles_lookup (creds->profiles, key) == NULL)
      g_ptr_array_add (gone, g_strdup (key));
  for (guint i = 0; i < gone->len; i++)
    sync_one (creds, gone->pdata[i]);
  for (guint i = 0; i < list->len; i++)
    sync_one (creds, ((UaProfile *) list->pdata[i])->name);
}

static void
profiles_changed (UaProfiles *profiles, const char *name, gpointer data)
{
  if (name != NULL)
    sync_one (data, name);
  else
    sync_all (data);
}

UaCredentials *
ua_credentials_new (UaProfiles *profiles, UaCache *cache, UaStore *store)
{
  UaCredentials *creds = g_new0 (UaCredentials, 1);

  creds->profiles = profiles;
  creds->cache = cache;
  creds->store = store;
  creds->by_name = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          retire_and_unref);
  ua_profiles_set_changed_func (profiles, profiles_changed, creds);
  sync_all (creds);
  return creds;
}

void
ua_credentials_free (UaCredentials *creds)
{
  if (creds == NULL)
    return;
  ua_profiles_set_changed_func (creds->profiles, NULL, NULL);
  g_hash_table_unref (creds->by_name);
  g_free (creds);
}

UaCredential *
ua_credentials_lookup (UaCredentials *creds, const char *name)
{
  return g_hash_table_lookup (creds->by_name, name);
}

void
ua_credentials_lock (UaCredentials *creds)
{
  GHashTableIter it;
  gpointer value;

  g_hash_table_iter_init (&it, creds->by_name);
  while (g_hash_table_iter_next (&it, NULL, &value))
    ua_credential_lock (value);
}

guint
ua_credentials_count (UaCredentials *creds)
{
  return g_hash_table_size (creds->by_name);
}
