#include "config.h"

#include "keyring-memory.h"

#include <string.h>

/* "profile\nkind" -> UaSecret; newlines never occur in either part. */
static GHashTable *items;

static GHashTable *
table (void)
{
  if (items == NULL)
    items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                   (GDestroyNotify) ua_secret_free);
  return items;
}

static char *
item_key (const char *profile, const char *kind)
{
  return g_strconcat (profile, "\n", kind, NULL);
}

void
ua_keyring_memory_store (const char *profile, const char *kind,
                         const UaSecret *secret)
{
  UaSecret *copy = ua_secret_new (ua_secret_get (secret), ua_secret_len (secret));

  if (copy == NULL)
    g_error ("out of memory");
  g_hash_table_replace (table (), item_key (profile, kind), copy);
}

UaSecret *
ua_keyring_memory_lookup (const char *profile, const char *kind)
{
  g_autofree char *key = item_key (profile, kind);
  const UaSecret *s = g_hash_table_lookup (table (), key);

  return s ? ua_secret_new (ua_secret_get (s), ua_secret_len (s)) : NULL;
}

static gboolean
of_profile (gpointer key, gpointer value, gpointer prefix)
{
  return g_str_has_prefix (key, prefix);
}

void
ua_keyring_memory_clear (const char *profile, const char *kind)
{
  g_autofree char *key = item_key (profile, kind ? kind : "");

  if (kind != NULL)
    g_hash_table_remove (table (), key);
  else
    g_hash_table_foreach_remove (table (), of_profile, key);
}

void
ua_keyring_memory_wipe (void)
{
  g_clear_pointer (&items, g_hash_table_unref);
}
