#include "config.h"

#include "store.h"

/* Every implementation finishes through a GTask: storing and clearing
 * with a boolean, a lookup with a UaSecret or NULL, an existence check
 * with an int (1 or 0). */

void
ua_store_free (UaStore *store)
{
  if (store != NULL)
    store->ops->free (store);
}

const char *
ua_store_name (UaStore *store)
{
  return store->ops->name;
}

gboolean
ua_store_in_memory (UaStore *store)
{
  return g_str_equal (store->ops->name, "memory");
}

void
ua_store_check_async (UaStore *store, GCancellable *cancellable,
                      GAsyncReadyCallback callback, gpointer user_data)
{
  store->ops->check_async (store, cancellable, callback, user_data);
}

gboolean
ua_store_check_finish (UaStore *store, GAsyncResult *result, const char **state,
                       GError **error)
{
  return store->ops->check_finish (result, state, error);
}

void
ua_store_store_async (UaStore *store, const char *profile, const char *kind,
                      const UaSecret *secret, GCancellable *cancellable,
                      GAsyncReadyCallback callback, gpointer user_data)
{
  store->ops->store_async (store, profile, kind, secret, cancellable, callback,
                           user_data);
}

gboolean
ua_store_store_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ua_store_lookup_async (UaStore *store, const char *profile, const char *kind,
                       GCancellable *cancellable, GAsyncReadyCallback callback,
                       gpointer user_data)
{
  store->ops->lookup_async (store, profile, kind, cancellable, callback, user_data);
}

UaSecret *
ua_store_lookup_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ua_store_clear_async (UaStore *store, const char *profile, const char *kind,
                      GCancellable *cancellable, GAsyncReadyCallback callback,
                      gpointer user_data)
{
  store->ops->clear_async (store, profile, kind, cancellable, callback, user_data);
}

gboolean
ua_store_clear_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ua_store_exists_async (UaStore *store, const char *profile, const char *kind,
                       GCancellable *cancellable, GAsyncReadyCallback callback,
                       gpointer user_data)
{
  store->ops->exists_async (store, profile, kind, cancellable, callback, user_data);
}

gboolean
ua_store_exists_finish (GAsyncResult *result, gboolean *exists, GError **error)
{
  gssize found = g_task_propagate_int (G_TASK (result), error);

  *exists = found > 0;
  return found >= 0;
}
