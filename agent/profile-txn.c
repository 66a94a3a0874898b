#include "config.h"

#include "profile-txn.h"

#include "ua-error.h"

typedef struct {
  UaProfiles *profiles;
  UaStore *store;
  UaProfile *profile;   /* add: the new profile; remove: a copy of the old */
  char *name;
  const char *kind;     /* add: the new kind's secret item, or NULL */
  const char *stale;    /* add --replace: the old kind's item to drop */
  gboolean replace;
  gboolean new_profile; /* add: no profile of that name existed */
  UaSecret *secret;     /* add: to store */
  UaSecret *previous;   /* add --replace: the secret it overwrites */
} Txn;

static void
txn_free (Txn *t)
{
  ua_profile_free (t->profile);
  g_free (t->name);
  ua_secret_free (t->secret);
  ua_secret_free (t->previous);
  g_free (t);
}

static GTask *
txn_new (UaProfiles *profiles, UaStore *store, const char *name,
         GAsyncReadyCallback callback, gpointer user_data, Txn **out)
{
  GTask *task = g_task_new (NULL, NULL, callback, user_data);
  Txn *t = g_new0 (Txn, 1);

  t->profiles = profiles;
  t->store = store;
  t->name = g_strdup (name);
  g_task_set_task_data (task, t, (GDestroyNotify) txn_free);
  *out = t;
  return task;
}

static void
done (GTask *task, GError *error)
{
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* ---- add ------------------------------------------------------------ */

static void
add_commit (GTask *task)
{
  Txn *t = g_task_get_task_data (task);
  GError *error = NULL;

  if (!ua_profiles_put (t->profiles, g_steal_pointer (&t->profile), t->replace, &error))
    {
      /* A secret stored for a profile that could not be written would
       * stay in the store with nothing pointing at it. */
      if (t->new_profile && t->kind != NULL)
        ua_store_clear_async (t->store, t->name, t->kind, NULL, NULL, NULL);
      /* --replace had already overwritten the old secret: put it back. */
      if (t->previous != NULL)
        ua_store_store_async (t->store, t->name, t->kind, t->previous, NULL, NULL, NULL);
      done (task, error);
      return;
    }
  if (t->stale != NULL)
    ua_store_clear_async (t->store, t->name, t->stale, NULL, NULL, NULL);
  done (task, NULL);
}

static void
add_stored (GObject *source, GAsyncResult *res, gpointer data)
{
  GTask *task = data;
  GError *error = NULL;

  if (!ua_store_store_finish (res, &error))
    done (task, error);
  else
    add_commit (task);
}

static void
add_store (GTask *task)
{
  Txn *t = g_task_get_task_data (task);

  ua_store_store_async (t->store, t->name, t->kind, t->secret, NULL, add_stored, task);
}

static void
add_previous_read (GObject *source, GAsyncResult *res, gpointer data)
{
  GTask *task = data;
  Txn *t = g_task_get_task_data (task);
  GError *error = NULL;

  t->previous = ua_store_lookup_finish (res, &error);
  if (error != NULL)
    done (task, error);
  else
    add_store (task);
}

void
ua_profile_txn_add_async (UaProfiles *profiles, UaStore *store, UaProfile *profile,
                          UaSecret *secret, gboolean replace,
                          GAsyncReadyCallback callback, gpointer user_data)
{
  UaProfile *old = ua_profiles_lookup (profiles, profile->name);
  Txn *t;
  GTask *task = txn_new (profiles, store, profile->name, callback, user_data, &t);

  t->profile = profile;
  t->secret = secret;
  t->replace = replace;
  t->new_profile = old == NULL;
  t->kind = ua_profile_secret_kind (profile);
  if (old != NULL && !replace)
    {
      done (task, g_error_new (UA_ERROR, UA_ERR_EXISTS, "profile \"%s\" already "
                               "exists; add --replace to overwrite it", t->name));
      return;
    }
  if (old != NULL && g_strcmp0 (ua_profile_secret_kind (old), t->kind) != 0)
    t->stale = ua_profile_secret_kind (old);
  if (t->kind == NULL)
    add_commit (task);
  else if (old != NULL && t->stale == NULL)
    ua_store_lookup_async (store, t->name, t->kind, NULL, add_previous_read, task);
  else
    add_store (task);
}

gboolean
ua_profile_txn_add_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- remove --------------------------------------------------------- */

static void
remove_cleared (GObject *source, GAsyncResult *res, gpointer data)
{
  GTask *task = data;
  Txn *t = g_task_get_task_data (task);
  GError *error = NULL;

  if (!ua_store_clear_finish (res, &error))
    {
      g_autoptr(GError) again = NULL;

      /* A failed remove changes nothing: the profile goes back. */
      if (!ua_profiles_put (t->profiles, g_steal_pointer (&t->profile), TRUE, &again))
        g_warning ("profile %s could not be put back after a failed remove: %s",
                   t->name, again->message);
    }
  done (task, error);
}

void
ua_profile_txn_remove_async (UaProfiles *profiles, UaStore *store,
                             const char *name, GAsyncReadyCallback callback,
                             gpointer user_data)
{
  UaProfile *profile = ua_profiles_lookup (profiles, name);
  GError *error = NULL;
  Txn *t;
  GTask *task = txn_new (profiles, store, name, callback, user_data, &t);

  t->profile = profile ? ua_profile_copy (profile) : NULL;
  if (!ua_profiles_remove (profiles, name, &error))
    {
      done (task, error);
      return;
    }
  ua_store_clear_async (store, t->name, NULL, NULL, remove_cleared, task);
}

gboolean
ua_profile_txn_remove_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
