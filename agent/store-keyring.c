#include "config.h"

#include "store.h"

#include <libsecret/secret.h>

#include "ua-error.h"

#define SECRETS_NAME "org.freedesktop.secrets"
#define SECRETS_PATH "/org/freedesktop/secrets"
#define SERVICE_IFACE "org.freedesktop.Secret.Service"
#define COLLECTION_IFACE "org.freedesktop.Secret.Collection"

/* The two ways on without a usable Secret Service.  One line: it travels
 * in a reply's message. */
#define WAYS_ON \
  "either start a keyring: dbus-run-session -- sh, and in that shell: " \
  "printf '%s' \"$KEYRING_PASSWORD\" | gnome-keyring-daemon --unlock " \
  "--components=secrets (then use uipauth in that shell); or keep secrets " \
  "in memory only: stop this agent and run uipauth-agent --ephemeral, then " \
  "add them again. See NO KEYRING in uipauth-agent(1)"
#define UNLOCK_HOW \
  "unlock it (log in to the desktop; without one: printf '%s' " \
  "\"$KEYRING_PASSWORD\" | gnome-keyring-daemon --replace --unlock " \
  "--components=secrets) and try again, or run the agent with --ephemeral"

static const SecretSchema schema = {
  UA_KEYRING_SCHEMA_NAME,
  SECRET_SCHEMA_NONE,
  {
    { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

typedef enum { OP_CHECK, OP_STORE, OP_LOOKUP, OP_CLEAR, OP_EXISTS } Op;

/* One call in progress; the task's data. */
typedef struct {
  Op op;
  char *profile;       /* NULL for OP_CHECK */
  char *kind;          /* NULL: every kind (OP_CLEAR) */
  GHashTable *attrs;   /* libsecret may read it after the call returns */
  SecretValue *value;  /* OP_STORE */
  GDBusConnection *bus;
  const char *state;   /* OP_CHECK: what the check finishes with */
  gboolean retried;    /* the libsecret call was made again once */
} Call;

static void
call_free (Call *c)
{
  g_free (c->profile);
  g_free (c->kind);
  g_clear_pointer (&c->attrs, g_hash_table_unref);
  g_clear_pointer (&c->value, secret_value_unref);
  g_clear_object (&c->bus);
  g_free (c);
}

static const char *const verbs[] = {
  [OP_CHECK] = "use", [OP_STORE] = "store", [OP_LOOKUP] = "read",
  [OP_CLEAR] = "remove", [OP_EXISTS] = "look for",
};

/* Returns the task's error: @what, with the profile in front. */
static void
fail (GTask *task, const char *state, const char *what)
{
  Call *c = g_task_get_task_data (task);

  c->state = state;
  if (c->profile != NULL)
    g_task_return_new_error (task, UA_ERROR, UA_ERR_KEYRING,
                             "keyring: cannot %s the secret of profile \"%s\": %s",
                             verbs[c->op], c->profile, what);
  else
    g_task_return_new_error (task, UA_ERROR, UA_ERR_KEYRING, "keyring: %s", what);
  g_object_unref (task);
}

static gboolean
no_daemon (const GError *cause)
{
  return cause->domain == G_DBUS_ERROR &&
         (cause->code == G_DBUS_ERROR_SERVICE_UNKNOWN ||
          cause->code == G_DBUS_ERROR_NAME_HAS_NO_OWNER ||
          (cause->code >= G_DBUS_ERROR_SPAWN_EXEC_FAILED &&
           cause->code <= G_DBUS_ERROR_SPAWN_NO_MEMORY));
}

/* libsecret's and GDBus's own errors say little a user can act on. */
static void
fail_dbus (GTask *task, const GError *cause)
{
  g_autofree char *what = NULL;

  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_error_copy (cause));
      g_object_unref (task);
      return;
    }
  if (no_daemon (cause))
    what = g_strdup ("no Secret Service: nothing on the D-Bus session bus "
                     "provides " SECRETS_NAME " (no gnome-keyring-daemon or "
                     "other keyring runs); " WAYS_ON);
  else
    what = g_strdup_printf ("the Secret Service does not answer (%s); is it "
                            "working? \"uipauth doctor\" checks", cause->message);
  fail (task, "absent", what);
}

static void
fail_no_bus (GTask *task, const GError *cause)
{
  g_autofree char *what = NULL;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    what = g_strdup ("no Secret Service: there is no D-Bus session bus "
                     "(DBUS_SESSION_BUS_ADDRESS is not set); " WAYS_ON);
  else
    what = g_strconcat ("no Secret Service: cannot reach the D-Bus session "
                        "bus at DBUS_SESSION_BUS_ADDRESS (", cause->message,
                        "); " WAYS_ON, NULL);
  fail (task, "absent", what);
}

static void
secrets_call (GTask *task, const char *path, const char *iface,
              const char *method, GVariant *args, const char *reply_type,
              GAsyncReadyCallback done)
{
  Call *c = g_task_get_task_data (task);

  g_dbus_connection_call (c->bus, SECRETS_NAME, path, iface, method, args,
                          G_VARIANT_TYPE (reply_type), G_DBUS_CALL_FLAGS_NONE,
                          -1, g_task_get_cancellable (task), done, task);
}

static void libsecret_call (GTask *task);

/* libsecret keeps one connection and session to the Secret Service; a
 * keyring daemon that was restarted (for example to unlock it) knows
 * neither.  Drop them and try once more. */
static gboolean
retry_fresh (GTask *task, const GError *error)
{
  Call *c = g_task_get_task_data (task);

  if (c->retried || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;
  c->retried = TRUE;
  g_debug ("keyring: %s; reconnecting", error->message);
  secret_service_disconnect ();
  libsecret_call (task);
  return TRUE;
}

static void
store_done (GObject *source, GAsyncResult *res, gpointer data)
{
  GTask *task = data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (res, &error))
    {
      if (!retry_fresh (task, error))
        fail_dbus (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
got_locked (GObject *source, GAsyncResult *res, gpointer data)
{
  GTask *task = data;
  Call *c = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source),
                                                             res, &error);
  g_autoptr(GVariant) value = NULL;

  if (reply == NULL)
    {
      fail_dbus (task, error);
      return;
    }
  g_variant_get (reply, "(v)", &value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN) &&
      g_variant_get_boolean (value))
    {
      fail (task, "locked", "the keyring is locked; " UNLOCK_HOW);
      return;
    }
  if (c->op == OP_CHECK)
    {
      c->state = "ok";
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  /* Unlocked, so libsecret has no reason to prompt. */
  libsecret_call (task);
}

/* Stores go to the default collection: it must exist and be unlocked, or
 * libsecret would prompt to create or unlock it. */
static void
got_alias (GObject *source, GAsyncResult *res, gpointer data)
{
  GTask *task = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source),
                                                             res, &error);
  const char *path;

  if (reply == NULL)
    {
      fail_dbus (task, error);
      return;
    }
  g_variant_get (reply, "(&o)", &path);
  if (g_str_equal (path, "/"))
    {
      fail (task, "locked",
            "the Secret Service has no default keyring to store into; create "
            "one (log in to the desktop; without one: printf '%s' "
            "\"$KEYRING_PASSWORD\" | gnome-keyring-daemon --replace --unlock "
            "--components=secrets) and try again, or run the agent with "
            "--ephemeral");
      return;
    }
  secrets_call (task, path, "org.freedesktop.DBus.Properties", "Get",
                g_variant_new ("(ss)", COLLECTION_IFACE, "Locked"), "(v)",
                got_locked);
}

static void
lookup_done (GObject *source, GAsyncResult *res, gpointer data)
{
  GTask *task = data;
  g_autoptr(GError) error = NULL;
  SecretValue *value = secret_password_lookup_binary_finish (res, &error);
  const char *bytes;
  gsize len;

  if (error != NULL)
    {
      if (!retry_fresh (task, error))
        fail_dbus (task, error);
      return;
    }
  if (value == NULL)
    g_task_return_pointer (task, NULL, NULL);
  else
    {
      /* SecretValue keeps its bytes in wiping secure memory; the copy is ours. */
      bytes = secret_value_get (value, &len);
      g_task_return_pointer (task, ua_secret_new (bytes, len),
                             (GDestroyNotify) ua_secret_free);
      secret_value_unref (value);
    }
  g_object_unref (task);
}

static void
clear_done (GObject *source, GAsyncResult *res, gpointer data)
{
  GTask *task = data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error just means there was nothing to remove. */
  if (!secret_password_clear_finish (res, &error) && error != NULL)
    {
      if (!retry_fresh (task, error))
        fail_dbus (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
finish_empty (GTask *task)
{
  Call *c = g_task_get_task_data (task);

  if (c->op == OP_LOOKUP)
    g_task_return_pointer (task, NULL, NULL);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* Reads and removals touch only items that are already unlocked: a locked
 * one is an error at once, never a prompt. */
static void
got_search (GObject *source, GAsyncResult *res, gpointer data)
{
  GTask *task = data;
  Call *c = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source),
                                                             res, &error);
  g_autofree const char **unlocked = NULL;
  g_autofree const char **locked = NULL;

  if (reply == NULL)
    {
      fail_dbus (task, error);
      return;
    }
  g_variant_get (reply, "(^a&o^a&o)", &unlocked, &locked);
  /* Whether an item is there is in the search's answer: its value is
   * never read, so a locked one counts and nothing is unlocked. */
  if (c->op == OP_EXISTS)
    {
      g_task_return_int (task, unlocked[0] != NULL || locked[0] != NULL);
      g_object_unref (task);
    }
  else if (locked[0] != NULL && (c->op == OP_CLEAR || unlocked[0] == NULL))
    fail (task, "locked", "the keyring is locked; " UNLOCK_HOW);
  else if (unlocked[0] == NULL)
    finish_empty (task);
  else
    libsecret_call (task);
}

/* The call proper, once the checks found nothing that would prompt. */
static void
libsecret_call (GTask *task)
{
  Call *c = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autofree char *label = NULL;

  switch (c->op)
    {
    case OP_STORE:
      label = g_strdup_printf ("uipauth %s (%s)", c->profile, c->kind);
      secret_password_storev_binary (&schema, c->attrs, SECRET_COLLECTION_DEFAULT,
                                     label, c->value, cancellable, store_done, task);
      return;
    case OP_LOOKUP:
      secret_password_lookupv (&schema, c->attrs, cancellable, lookup_done, task);
      return;
    case OP_CLEAR:
    case OP_CHECK:
    default:
      secret_password_clearv (&schema, c->attrs, cancellable, clear_done, task);
      return;
    }
}

static GVariant *
search_args (const Call *c)
{
  GVariantBuilder b;
  GHashTableIter iter;
  gpointer k, v;

  g_variant_builder_init (&b, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&b, "{ss}", "xdg:schema", UA_KEYRING_SCHEMA_NAME);
  g_hash_table_iter_init (&iter, c->attrs);
  while (g_hash_table_iter_next (&iter, &k, &v))
    g_variant_builder_add (&b, "{ss}", (const char *) k, (const char *) v);
  return g_variant_new ("(a{ss})", &b);
}

static void
got_bus (GObject *source, GAsyncResult *res, gpointer data)
{
  GTask *task = data;
  Call *c = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  c->bus = g_bus_get_finish (res, &error);
  if (c->bus == NULL)
    {
      fail_no_bus (task, error);
      return;
    }
  if (c->op == OP_CHECK || c->op == OP_STORE)
    secrets_call (task, SECRETS_PATH, SERVICE_IFACE, "ReadAlias",
                  g_variant_new ("(s)", "default"), "(o)", got_alias);
  else
    secrets_call (task, SECRETS_PATH, SERVICE_IFACE, "SearchItems",
                  search_args (c), "(aoao)", got_search);
}

static GTask *
call_new (Op op, const char *profile, const char *kind, GCancellable *cancellable,
          GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Call *c = g_new0 (Call, 1);

  c->op = op;
  c->profile = g_strdup (profile);
  c->kind = g_strdup (kind);
  c->attrs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  if (profile != NULL)
    g_hash_table_insert (c->attrs, "profile", g_strdup (profile));
  if (kind != NULL)
    g_hash_table_insert (c->attrs, "kind", g_strdup (kind));
  g_task_set_task_data (task, c, (GDestroyNotify) call_free);
  return task;
}

static void
call_start (GTask *task)
{
  g_bus_get (G_BUS_TYPE_SESSION, g_task_get_cancellable (task), got_bus, task);
}

static void
keyring_check_async (UaStore *store, GCancellable *cancellable,
                     GAsyncReadyCallback callback, gpointer user_data)
{
  call_start (call_new (OP_CHECK, NULL, NULL, cancellable, callback, user_data));
}

static gboolean
keyring_check_finish (GAsyncResult *result, const char **state, GError **error)
{
  Call *c = g_task_get_task_data (G_TASK (result));

  if (state != NULL)
    *state = c->state ? c->state : "absent";
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
keyring_store_async (UaStore *store, const char *profile, const char *kind,
                     const UaSecret *secret, GCancellable *cancellable,
                     GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = call_new (OP_STORE, profile, kind, cancellable, callback, user_data);
  Call *c = g_task_get_task_data (task);

  c->value = secret_value_new (ua_secret_get (secret), (gssize) ua_secret_len (secret),
                               "text/plain");
  call_start (task);
}

static void
keyring_lookup_async (UaStore *store, const char *profile, const char *kind,
                      GCancellable *cancellable,
                      GAsyncReadyCallback callback, gpointer user_data)
{
  call_start (call_new (OP_LOOKUP, profile, kind, cancellable, callback, user_data));
}

static void
keyring_clear_async (UaStore *store, const char *profile, const char *kind,
                     GCancellable *cancellable,
                     GAsyncReadyCallback callback, gpointer user_data)
{
  call_start (call_new (OP_CLEAR, profile, kind, cancellable, callback, user_data));
}

static void
keyring_exists_async (UaStore *store, const char *profile, const char *kind,
                      GCancellable *cancellable,
                      GAsyncReadyCallback callback, gpointer user_data)
{
  call_start (call_new (OP_EXISTS, profile, kind, cancellable, callback, user_data));
}

static void
keyring_free (UaStore *store)
{
  g_free (store);
}

static const UaStoreOps keyring_ops = {
  .name = "keyring",
  .check_async = keyring_check_async,
  .check_finish = keyring_check_finish,
  .store_async = keyring_store_async,
  .lookup_async = keyring_lookup_async,
  .clear_async = keyring_clear_async,
  .exists_async = keyring_exists_async,
  .free = keyring_free,
};

UaStore *
ua_store_keyring_new (void)
{
  UaStore *store = g_new0 (UaStore, 1);

  store->ops = &keyring_ops;
  return store;
}
