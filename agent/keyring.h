/* Secrets in the Secret Service, through one libsecret schema whose
 * attributes (profile name, secret kind) are not secret.  All calls are
 * asynchronous on the main context: the D-Bus round trips never block
 * other clients.  Nothing here ever prompts: a locked keyring or a
 * missing Secret Service is a UA_ERR_KEYRING error at once, whose message
 * says how to go on, and the next call tries again.
 *
 * With ua_keyring_use_memory() (uipauth-agent --ephemeral) the same calls
 * keep secrets in the agent's memory only (keyring-memory.c). */
#pragma once

#include <gio/gio.h>

#include "ua-secret.h"

#define UA_KEYRING_SCHEMA_NAME "org.uipauth.Credential"

/* What a keyring item holds. */
#define UA_SECRET_PAT "pat"
#define UA_SECRET_API_KEY "api-key"
#define UA_SECRET_CLIENT_SECRET "client-secret"
#define UA_SECRET_REFRESH_TOKEN "refresh-token"
#define UA_SECRET_PASSWORD "password"

/* From now on, secrets live in this process's memory only. */
void ua_keyring_use_memory (void);
gboolean ua_keyring_in_memory (void);

/* Whether secrets can be stored and read now, without a prompt.  TRUE with
 * *@state "ok" or "memory"; or FALSE with a UA_ERR_KEYRING error saying
 * what to do, and *@state "absent" or "locked". */
void ua_keyring_check_async (GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data);
gboolean ua_keyring_check_finish (GAsyncResult *result, const char **state,
                                  GError **error);

void ua_keyring_store_async (const char *profile, const char *kind,
                             const UaSecret *secret, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data);
gboolean ua_keyring_store_finish (GAsyncResult *result, GError **error);

/* Finishes with NULL and no error when there is no such item. */
void ua_keyring_lookup_async (const char *profile, const char *kind,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data);
UaSecret *ua_keyring_lookup_finish (GAsyncResult *result, GError **error);

/* Removes the item of @profile holding @kind, or every item of it when
 * @kind is NULL. */
void ua_keyring_clear_async (const char *profile, const char *kind,
                             GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data);
gboolean ua_keyring_clear_finish (GAsyncResult *result, GError **error);
