#include "config.h"

#include "secret-file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "secretin.h"
#include "ua-error.h"

static void
id_from_stat (const struct stat *st, UaSecretFileId *id)
{
  memset (id, 0, sizeof *id);
  id->dev = st->st_dev;
  id->ino = st->st_ino;
  id->size = st->st_size;
  id->uid = st->st_uid;
  id->mode = st->st_mode;
  id->mtime = st->st_mtim;
  id->ctime = st->st_ctim;
}

static gboolean
same_time (const struct timespec *a, const struct timespec *b)
{
  return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

gboolean
ua_secret_file_id_equal (const UaSecretFileId *a, const UaSecretFileId *b)
{
  return a->dev == b->dev && a->ino == b->ino && a->size == b->size
         && a->uid == b->uid && a->mode == b->mode
         && same_time (&a->mtime, &b->mtime)
         && same_time (&a->ctime, &b->ctime);
}

gboolean
ua_secret_file_id_get (const char *path, UaSecretFileId *id)
{
  struct stat st;

  if (stat (path, &st) < 0)
    return FALSE;
  id_from_stat (&st, id);
  return TRUE;
}

static GError *
open_error (const char *path, int err)
{
  switch (err)
    {
    case ENOENT:
      if (ua_secret_file_in_credentials_dir (path))
        return g_error_new (UA_ERROR, UA_ERR_KEYRING, "%s does not exist: the "
                            "agent's unit loads no credential of that name; give it "
                            "LoadCredentialEncrypted=NAME:FILE (or LoadCredential=) "
                            "for it and restart it (see uipauth-agent(1))", path);
      return g_error_new (UA_ERROR, UA_ERR_KEYRING, "%s does not exist; put the "
                          "secret in it, or point secret_source at the file that "
                          "holds it", path);
    case EACCES:
    case EPERM:
      return g_error_new (UA_ERROR, UA_ERR_KEYRING, "%s cannot be read by the "
                          "agent's user (uid %u): permission denied; let that user "
                          "read it (for example chown the file to it, then chmod "
                          "0400)", path, (unsigned) getuid ());
    default:
      return g_error_new (UA_ERROR, UA_ERR_KEYRING, "%s cannot be opened (%s); "
                          "check the path in secret_source", path, g_strerror (err));
    }
}

/* The rules of standard input for `add` (secretin.h), with the path. */
static UaSecret *
secret_from_fd (int fd, const char *path, GError **error)
{
  g_autofree char *what = g_strdup_printf ("secret in %s", path);
  char err[1024];
  UaSecret *secret = ua_secretin_read_fd (fd, what, err, sizeof err);

  if (secret == NULL)
    g_set_error (error, UA_ERROR, UA_ERR_KEYRING, "%s; the file must hold the "
                 "secret alone, on one line", err);
  return secret;
}

UaSecret *
ua_secret_file_read (const char *path, UaSecretFileId *id, GError **error)
{
  struct stat st;
  UaSecret *secret = NULL;
  /* No O_NOFOLLOW: Kubernetes' Secret volumes are symbolic links, which
   * must be followed.  O_NONBLOCK: opening a FIFO must not hang the
   * thread; it is refused below, and regular files ignore the flag. */
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

  if (fd < 0)
    {
      g_propagate_error (error, open_error (path, errno));
      return NULL;
    }
  if (fstat (fd, &st) < 0 || !S_ISREG (st.st_mode))
    g_set_error (error, UA_ERROR, UA_ERR_KEYRING, "%s is not a regular file; "
                 "secret_source must name the file that holds the secret", path);
  else
    secret = secret_from_fd (fd, path, error);
  if (secret != NULL && id != NULL)
    id_from_stat (&st, id);
  close (fd);
  return secret;
}

/* ---- on a worker thread ---------------------------------------------- */

typedef struct {
  UaSecret *secret;
  UaSecretFileId id;
} ReadResult;

static void
read_result_free (ReadResult *r)
{
  ua_secret_free (r->secret);
  g_free (r);
}

static void
read_in_thread (GTask *task, gpointer source, gpointer path, GCancellable *cancellable)
{
  ReadResult *r = g_new0 (ReadResult, 1);
  GError *error = NULL;

  r->secret = ua_secret_file_read (path, &r->id, &error);
  if (r->secret == NULL)
    {
      g_free (r);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, r, (GDestroyNotify) read_result_free);
}

void
ua_secret_file_read_async (const char *path, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, read_in_thread);
  g_object_unref (task);
}

UaSecret *
ua_secret_file_read_finish (GAsyncResult *result, UaSecretFileId *id, GError **error)
{
  ReadResult *r = g_task_propagate_pointer (G_TASK (result), error);
  UaSecret *secret;

  if (r == NULL)
    return NULL;
  if (id != NULL)
    *id = r->id;
  secret = g_steal_pointer (&r->secret);
  read_result_free (r);
  return secret;
}

/* ---- doctor ---------------------------------------------------------- */

typedef struct {
  char *path;
  gboolean private_expected;
} Check;

static void
check_free (Check *c)
{
  g_free (c->path);
  g_free (c);
}

static char *
mode_warning (const char *path, const UaSecretFileId *id)
{
  gboolean group = (id->mode & S_IRGRP) && id->uid == getuid ();
  gboolean others = (id->mode & S_IROTH) != 0;
  const char *who;

  if (!group && !others)
    return NULL;
  who = group && others ? "its group and all users" : group ? "its group" : "all users";
  return g_strdup_printf ("%s can be read by %s (mode %04o); only the agent's "
                          "user should read it: chmod %s %s", path, who,
                          (unsigned) (id->mode & 07777),
                          id->uid == getuid () ? "0400" : "o-r", path);
}

static void
check_in_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Check *c = data;
  GError *error = NULL;
  UaSecretFileId id;
  UaSecret *secret = ua_secret_file_read (c->path, &id, &error);
  char *warning;

  if (secret == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  ua_secret_free (secret);
  warning = c->private_expected ? mode_warning (c->path, &id) : NULL;
  g_task_return_pointer (task, warning ? warning : g_strdup (""), g_free);
}

void
ua_secret_file_check_async (const char *path, gboolean private_expected,
                            GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Check *c = g_new0 (Check, 1);

  c->path = g_strdup (path);
  c->private_expected = private_expected;
  g_task_set_task_data (task, c, (GDestroyNotify) check_free);
  g_task_run_in_thread (task, check_in_thread);
  g_object_unref (task);
}

gboolean
ua_secret_file_check_finish (GAsyncResult *result, char **warning, GError **error)
{
  char *w = g_task_propagate_pointer (G_TASK (result), error);

  if (w == NULL)
    return FALSE;
  if (warning != NULL && *w != '\0')
    *warning = g_steal_pointer (&w);
  g_free (w);
  return TRUE;
}

gboolean
ua_secret_file_in_credentials_dir (const char *path)
{
  const char *dir = g_getenv ("CREDENTIALS_DIRECTORY");
  gsize len = dir ? strlen (dir) : 0;

  while (len > 1 && dir[len - 1] == '/')
    len--;
  return len > 0 && dir[0] == '/' && strncmp (path, dir, len) == 0 && path[len] == '/';
}
