/* Reading a secret from a file: a profile's secret_source file: or
 * credential: (secret-source.h).  The file is read whole each time a
 * secret is needed, so a rotated file is used at once and no copy of the
 * secret outlives its use.
 *
 * - Symbolic links are followed: Kubernetes mounts a Secret as
 *   NAME -> ..data/NAME with ..data -> a timestamped directory, and
 *   updates it by swapping ..data.
 * - Only a regular file is read, and only what `add` would accept on
 *   standard input (secretin.h): one line, its newline dropped, not
 *   empty, at most UA_SECRETIN_MAX bytes.
 * - The bytes read are wiped from every buffer they passed through.
 *
 * Errors are UA_ERR_KEYRING (the secret is not available: exit 7), name
 * the file and say what to do.  The blocking calls run on a worker
 * thread through the _async functions, so a slow file system never holds
 * the main loop up. */
#pragma once

#include <gio/gio.h>
#include <sys/types.h>
#include <time.h>

#include "ua-secret.h"

/* Which file a path led to, and its size and times: enough to tell that
 * a file was rewritten or replaced since it was read. */
typedef struct {
  dev_t dev;
  ino_t ino;
  off_t size;
  uid_t uid;
  mode_t mode;
  struct timespec mtime;
  struct timespec ctime;
} UaSecretFileId;

gboolean ua_secret_file_id_equal (const UaSecretFileId *a, const UaSecretFileId *b);
/* The identity of the file @path leads to now; FALSE if there is none. */
gboolean ua_secret_file_id_get (const char *path, UaSecretFileId *id);

/* Reads the secret in @path; fills @id (may be NULL) with what was read. */
UaSecret *ua_secret_file_read (const char *path, UaSecretFileId *id, GError **error);

/* ua_secret_file_read() on a worker thread. */
void ua_secret_file_read_async (const char *path, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data);
UaSecret *ua_secret_file_read_finish (GAsyncResult *result, UaSecretFileId *id,
                                      GError **error);

/* For `doctor`: whether @path holds a usable secret (read and wiped at
 * once), and, when @private_expected, a warning in *@warning if others
 * may read it, or its group when the agent's user owns it (a file
 * another user owns, such as a Kubernetes Secret, which is root's with
 * the pod's fsGroup, may need its group for the agent to read it at
 * all).  On a worker thread. */
void ua_secret_file_check_async (const char *path, gboolean private_expected,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data);
gboolean ua_secret_file_check_finish (GAsyncResult *result, char **warning,
                                      GError **error);

/* Whether @path is inside $CREDENTIALS_DIRECTORY, which systemd keeps
 * private to the service (there a group-readable file is no warning). */
gboolean ua_secret_file_in_credentials_dir (const char *path);
