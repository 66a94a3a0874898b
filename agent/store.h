/* Where secrets live: one small asynchronous interface.  The agent owns
 * one store, with one of two implementations whose attributes (profile
 * name, secret kind) are not secret:
 *
 * - the Secret Service through libsecret (store-keyring.c).  Nothing
 *   there ever prompts: a locked keyring or a missing Secret Service is a
 *   UA_ERR_KEYRING error at once, whose message says how to go on, and
 *   the next call tries again;
 * - this process's memory (store-memory.c), for uipauth-agent
 *   --ephemeral: never in a file or on D-Bus, wiped when the store is
 *   freed.
 *
 * A profile whose secret_source is a file has a third, its own
 * (store-file.c, owned by its credential): the file, read at every
 * lookup and never written.  Refresh tokens always go to the agent's.
 *
 * Callbacks run on the main context. */
#pragma once

#include <gio/gio.h>

#include "ua-secret.h"

#define UA_KEYRING_SCHEMA_NAME "org.uipauth.Credential"

/* What an item holds, beside the kinds' secrets (proto/kinds.h). */
#define UA_SECRET_REFRESH_TOKEN "refresh-token"

typedef struct UaStore UaStore;

typedef struct {
  const char *name; /* "keyring", "memory", "file" */
  void (*check_async) (UaStore *store, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data);
  gboolean (*check_finish) (GAsyncResult *result, const char **state,
                            GError **error);
  void (*store_async) (UaStore *store, const char *profile, const char *kind,
                       const UaSecret *secret, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data);
  void (*lookup_async) (UaStore *store, const char *profile, const char *kind,
                        GCancellable *cancellable, GAsyncReadyCallback callback,
                        gpointer user_data);
  void (*clear_async) (UaStore *store, const char *profile, const char *kind,
                       GCancellable *cancellable, GAsyncReadyCallback callback,
                       gpointer user_data);
  void (*exists_async) (UaStore *store, const char *profile, const char *kind,
                        GCancellable *cancellable, GAsyncReadyCallback callback,
                        gpointer user_data);
  void (*free) (UaStore *store);
} UaStoreOps;

struct UaStore {
  const UaStoreOps *ops;
};

UaStore *ua_store_keyring_new (void);
UaStore *ua_store_memory_new (void);
/* Called when the file @path leads to is not the one the last lookup
 * read any more (rewritten, replaced, a link swapped), on the main
 * context. */
typedef void (*UaStoreFileChanged) (gpointer user_data);
/* The secret of profile @profile in the file @path; watches it from now. */
UaStore *ua_store_file_new (const char *profile, const char *path,
                            UaStoreFileChanged changed, gpointer user_data);
void ua_store_free (UaStore *store);
/* "keyring" or "memory". */
const char *ua_store_name (UaStore *store);
gboolean ua_store_in_memory (UaStore *store);

/* Whether secrets can be stored and read now, without a prompt.  TRUE with
 * *@state "ok" or "memory"; or FALSE with a UA_ERR_KEYRING error saying
 * what to do, and *@state "absent" or "locked". */
void ua_store_check_async (UaStore *store, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data);
gboolean ua_store_check_finish (UaStore *store, GAsyncResult *result,
                                const char **state, GError **error);

void ua_store_store_async (UaStore *store, const char *profile,
                           const char *kind, const UaSecret *secret,
                           GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data);
gboolean ua_store_store_finish (GAsyncResult *result, GError **error);

/* Finishes with NULL and no error when there is no such item. */
void ua_store_lookup_async (UaStore *store, const char *profile,
                            const char *kind, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data);
UaSecret *ua_store_lookup_finish (GAsyncResult *result, GError **error);

/* Removes the item of @profile holding @kind, or every item of it when
 * @kind is NULL. */
void ua_store_clear_async (UaStore *store, const char *profile,
                           const char *kind, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data);
gboolean ua_store_clear_finish (GAsyncResult *result, GError **error);

/* Whether @profile has an item holding @kind, without reading its value
 * (so without unlocking anything: a locked item counts).  TRUE with
 * *@exists set, or FALSE with an error. */
void ua_store_exists_async (UaStore *store, const char *profile,
                            const char *kind, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data);
gboolean ua_store_exists_finish (GAsyncResult *result, gboolean *exists,
                                 GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UaStore, ua_store_free)
