#include "config.h"

#include "keyring.h"

#include <libsecret/secret.h>

#include "ua-error.h"

static const SecretSchema schema = {
  UA_KEYRING_SCHEMA_NAME,
  SECRET_SCHEMA_NONE,
  {
    { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

/* libsecret's own errors say little a user can act on. */
static void
set_keyring_error (GError **error, GError *cause, const char *what,
                   const char *profile)
{
  g_set_error (error, UA_ERROR, UA_ERR_KEYRING,
               "keyring: cannot %s the secret of profile \"%s\": %s; is a "
               "Secret Service (gnome-keyring-daemon) running in this D-Bus "
               "session and unlocked?", what, profile, cause->message);
}

/* The attributes live as long as the task: libsecret may read them after
 * the call that was given them has returned. */
static GHashTable *
task_attributes (GTask *task, const char *profile, const char *kind)
{
  GHashTable *attrs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attrs, "profile", g_strdup (profile));
  if (kind != NULL)
    g_hash_table_insert (attrs, "kind", g_strdup (kind));
  g_task_set_task_data (task, attrs, (GDestroyNotify) g_hash_table_unref);
  return attrs;
}

static const char *
task_profile (GTask *task)
{
  return g_hash_table_lookup (g_task_get_task_data (task), "profile");
}

static void
store_done (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (res, &error))
    {
      GError *out = NULL;
      set_keyring_error (&out, error, "store", task_profile (task));
      g_task_return_error (task, out);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
ua_keyring_store_async (const char *profile, const char *kind,
                        const UaSecret *secret, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  GHashTable *attrs = task_attributes (task, profile, kind);
  g_autofree char *label = g_strdup_printf ("uipauth %s (%s)", profile, kind);
  SecretValue *value = secret_value_new (ua_secret_get (secret),
                                         (gssize) ua_secret_len (secret),
                                         "text/plain");

  secret_password_storev_binary (&schema, attrs, SECRET_COLLECTION_DEFAULT,
                                 label, value, cancellable, store_done, task);
  secret_value_unref (value);
}

gboolean
ua_keyring_store_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_done (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;
  SecretValue *value = secret_password_lookup_binary_finish (res, &error);
  const char *bytes;
  gsize len;

  if (error != NULL)
    {
      GError *out = NULL;
      set_keyring_error (&out, error, "read", task_profile (task));
      g_task_return_error (task, out);
      return;
    }
  if (value == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  /* SecretValue keeps its bytes in wiping secure memory; the copy is ours. */
  bytes = secret_value_get (value, &len);
  g_task_return_pointer (task, ua_secret_new (bytes, len),
                         (GDestroyNotify) ua_secret_free);
  secret_value_unref (value);
}

void
ua_keyring_lookup_async (const char *profile, const char *kind,
                         GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  GHashTable *attrs = task_attributes (task, profile, kind);

  secret_password_lookupv (&schema, attrs, cancellable, lookup_done, task);
}

UaSecret *
ua_keyring_lookup_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
clear_done (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error just means there was nothing to remove. */
  if (!secret_password_clear_finish (res, &error) && error != NULL)
    {
      GError *out = NULL;
      set_keyring_error (&out, error, "remove", task_profile (task));
      g_task_return_error (task, out);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
ua_keyring_clear_async (const char *profile, const char *kind,
                        GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  GHashTable *attrs = task_attributes (task, profile, kind);

  secret_password_clearv (&schema, attrs, cancellable, clear_done, task);
}

gboolean
ua_keyring_clear_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
