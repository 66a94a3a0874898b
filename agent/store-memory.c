#include "config.h"

#include "store.h"

/* The --ephemeral store: "profile\nkind" -> UaSecret in this process's
 * memory; newlines never occur in either part.  Synchronous underneath:
 * nothing here waits on anything. */
typedef struct {
  UaStore parent;
  GHashTable *items;
} MemoryStore;

static char *
item_key (const char *profile, const char *kind)
{
  return g_strconcat (profile, "\n", kind, NULL);
}

static void
return_boolean (GCancellable *cancellable, GAsyncReadyCallback callback,
                gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
memory_check_async (UaStore *store, GCancellable *cancellable,
                    GAsyncReadyCallback callback, gpointer user_data)
{
  return_boolean (cancellable, callback, user_data);
}

static gboolean
memory_check_finish (GAsyncResult *result, const char **state, GError **error)
{
  if (state != NULL)
    *state = "memory";
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
memory_store_async (UaStore *store, const char *profile, const char *kind,
                    const UaSecret *secret, GCancellable *cancellable,
                    GAsyncReadyCallback callback, gpointer user_data)
{
  MemoryStore *m = (MemoryStore *) store;

  g_hash_table_replace (m->items, item_key (profile, kind), ua_secret_copy (secret));
  return_boolean (cancellable, callback, user_data);
}

static void
memory_lookup_async (UaStore *store, const char *profile, const char *kind,
                     GCancellable *cancellable, GAsyncReadyCallback callback,
                     gpointer user_data)
{
  MemoryStore *m = (MemoryStore *) store;
  g_autofree char *key = item_key (profile, kind);
  const UaSecret *s = g_hash_table_lookup (m->items, key);
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_return_pointer (task, s ? ua_secret_copy (s) : NULL,
                         (GDestroyNotify) ua_secret_free);
  g_object_unref (task);
}

static gboolean
of_profile (gpointer key, gpointer value, gpointer prefix)
{
  return g_str_has_prefix (key, prefix);
}

static void
memory_clear_async (UaStore *store, const char *profile, const char *kind,
                    GCancellable *cancellable, GAsyncReadyCallback callback,
                    gpointer user_data)
{
  MemoryStore *m = (MemoryStore *) store;
  g_autofree char *key = item_key (profile, kind ? kind : "");

  if (kind != NULL)
    g_hash_table_remove (m->items, key);
  else
    g_hash_table_foreach_remove (m->items, of_profile, key);
  return_boolean (cancellable, callback, user_data);
}

static void
memory_exists_async (UaStore *store, const char *profile, const char *kind,
                     GCancellable *cancellable, GAsyncReadyCallback callback,
                     gpointer user_data)
{
  MemoryStore *m = (MemoryStore *) store;
  g_autofree char *key = item_key (profile, kind);
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_return_int (task, g_hash_table_contains (m->items, key));
  g_object_unref (task);
}

static void
memory_free (UaStore *store)
{
  MemoryStore *m = (MemoryStore *) store;

  g_hash_table_unref (m->items); /* UaSecret wipes itself */
  g_free (m);
}

static const UaStoreOps memory_ops = {
  .name = "memory",
  .check_async = memory_check_async,
  .check_finish = memory_check_finish,
  .store_async = memory_store_async,
  .lookup_async = memory_lookup_async,
  .clear_async = memory_clear_async,
  .exists_async = memory_exists_async,
  .free = memory_free,
};

UaStore *
ua_store_memory_new (void)
{
  MemoryStore *m = g_new0 (MemoryStore, 1);

  m->parent.ops = &memory_ops;
  m->items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                    (GDestroyNotify) ua_secret_free);
  return &m->parent;
}
