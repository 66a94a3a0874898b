#include "config.h"

#include "store.h"

#include <stdlib.h>
#include <string.h>

#include "secret-file.h"
#include "ua-error.h"

/* One profile's secret in a file (secret_source file: or credential:).
 * A lookup reads the file again every time, so there is no copy of the
 * secret to go stale or to wipe; storing and clearing touch nothing,
 * since the file is not uipauth's to write.  The file is watched: when
 * the file the path leads to is not the one the last lookup read any
 * more, the owner is told.  Watching the directories rather than the file
 * catches every way a file is replaced: rewritten in place, renamed over,
 * or, as Kubernetes does, a `..data` symbolic link swapped beside it. */
typedef struct {
  UaStore parent;
  char *profile;
  char *path;
  UaSecretFileId read;   /* what the last lookup read */
  gboolean have_read;
  UaSecretFileId told;   /* what the owner was last told of */
  gboolean have_told;
  GFileMonitor *watch[2]; /* the path's directory, and its target's when a
                           * link leads to another one */
  char *watched[2];
  UaStoreFileChanged changed;
  gpointer changed_data;
} FileStore;

static void
return_error (GTask *task, const FileStore *f, GError *error)
{
  g_prefix_error (&error, "profile \"%s\": cannot read its secret: ", f->profile);
  g_task_return_error (task, error);
}

static void
read_done (GObject *source, GAsyncResult *res, gpointer data)
{
  GTask *task = data;
  FileStore *f = g_task_get_task_data (task);
  GError *error = NULL;
  UaSecretFileId id;
  UaSecret *secret = ua_secret_file_read_finish (res, &id, &error);

  if (secret == NULL)
    return_error (task, f, error);
  else
    {
      f->read = id;
      f->have_read = TRUE;
      g_task_return_pointer (task, secret, (GDestroyNotify) ua_secret_free);
    }
  g_object_unref (task);
}

/* The store outlives its lookups: the credential that owns it is held by
 * the mint that reads it. */
static void
file_lookup_async (UaStore *store, const char *profile, const char *kind,
                   GCancellable *cancellable, GAsyncReadyCallback callback,
                   gpointer user_data)
{
  FileStore *f = (FileStore *) store;
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_task_data (task, f, NULL);
  ua_secret_file_read_async (f->path, cancellable, read_done, task);
}

static void
check_done (GObject *source, GAsyncResult *res, gpointer data)
{
  GTask *task = data;
  GError *error = NULL;
  g_autoptr(UaSecret) secret = ua_secret_file_read_finish (res, NULL, &error);

  if (secret == NULL)
    return_error (task, g_task_get_task_data (task), error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
file_check_async (UaStore *store, GCancellable *cancellable,
                  GAsyncReadyCallback callback, gpointer user_data)
{
  FileStore *f = (FileStore *) store;
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_task_data (task, f, NULL);
  ua_secret_file_read_async (f->path, cancellable, check_done, task);
}

static gboolean
file_check_finish (GAsyncResult *result, const char **state, GError **error)
{
  gboolean ok = g_task_propagate_boolean (G_TASK (result), error);

  if (state != NULL)
    *state = ok ? "ok" : "absent";
  return ok;
}

static void
file_store_async (UaStore *store, const char *profile, const char *kind,
                  const UaSecret *secret, GCancellable *cancellable,
                  GAsyncReadyCallback callback, gpointer user_data)
{
  FileStore *f = (FileStore *) store;
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_return_new_error (task, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                           "profile \"%s\" reads its secret from %s, which "
                           "uipauth never writes; change the file instead",
                           f->profile, f->path);
  g_object_unref (task);
}

static void
file_clear_async (UaStore *store, const char *profile, const char *kind,
                  GCancellable *cancellable, GAsyncReadyCallback callback,
                  gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* ---- watching -------------------------------------------------------- */

static void watch (FileStore *f);

static void
on_event (GFileMonitor *monitor, GFile *file, GFile *other,
          GFileMonitorEvent event, gpointer data)
{
  FileStore *f = data;
  g_autoptr(GFileMonitor) held = g_object_ref (monitor); /* watch() may drop it */
  UaSecretFileId now = { 0 };

  watch (f);
  /* A file that is gone has the zero identity: told once, too. */
  ua_secret_file_id_get (f->path, &now);
  if ((f->have_read && ua_secret_file_id_equal (&now, &f->read))
      || (f->have_told && ua_secret_file_id_equal (&now, &f->told)))
    return;
  f->told = now;
  f->have_told = TRUE;
  if (f->changed != NULL)
    f->changed (f->changed_data);
}

static void
unwatch (FileStore *f, guint slot)
{
  if (f->watch[slot] != NULL)
    {
      g_signal_handlers_disconnect_by_data (f->watch[slot], f);
      g_file_monitor_cancel (f->watch[slot]);
      g_clear_object (&f->watch[slot]);
    }
  g_clear_pointer (&f->watched[slot], g_free);
}

static void
watch_dir (FileStore *f, guint slot, const char *dir)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (f->watched[slot], dir) == 0)
    return;
  unwatch (f, slot);
  if (dir == NULL)
    return;
  f->watched[slot] = g_strdup (dir);
  /* The local VFS, not the default: GVfs would talk to its daemon over
   * D-Bus, which an agent with only file secrets must never need. */
  file = g_vfs_get_file_for_path (g_vfs_get_local (), dir);
  f->watch[slot] = g_file_monitor_directory (file, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
  if (f->watch[slot] == NULL)
    g_message ("profile %s: cannot watch %s (%s); a new secret there is read "
               "at the next mint all the same", f->profile, dir, error->message);
  else
    g_signal_connect (f->watch[slot], "changed", G_CALLBACK (on_event), f);
}

/* Watches the path's directory and, where a link leads elsewhere, the
 * target's, which can change with every event. */
static void
watch (FileStore *f)
{
  g_autofree char *dir = g_path_get_dirname (f->path);
  char *target = realpath (f->path, NULL);
  g_autofree char *target_dir = target ? g_path_get_dirname (target) : NULL;

  free (target);
  watch_dir (f, 0, dir);
  watch_dir (f, 1, target_dir && !g_str_equal (target_dir, dir) ? target_dir : NULL);
}

static void
file_free (UaStore *store)
{
  FileStore *f = (FileStore *) store;

  unwatch (f, 0);
  unwatch (f, 1);
  g_free (f->profile);
  g_free (f->path);
  g_free (f);
}

static const UaStoreOps file_ops = {
  .name = "file",
  .check_async = file_check_async,
  .check_finish = file_check_finish,
  .store_async = file_store_async,
  .lookup_async = file_lookup_async,
  .clear_async = file_clear_async,
  .free = file_free,
};

UaStore *
ua_store_file_new (const char *profile, const char *path,
                   UaStoreFileChanged changed, gpointer user_data)
{
  FileStore *f = g_new0 (FileStore, 1);

  f->parent.ops = &file_ops;
  f->profile = g_strdup (profile);
  f->path = g_strdup (path);
  f->changed = changed;
  f->changed_data = user_data;
  watch (f);
  return &f->parent;
}
