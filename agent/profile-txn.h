/* Adding, replacing and removing a profile: a transaction over the
 * profile table and the secret store, which either happens whole or
 * leaves both as they were.
 *
 * - add: the secret goes in first, then the profile; if the profile cannot
 *   be written (a full disk) a new secret is cleared again and a replaced
 *   one is put back, so the profile still on disk keeps working.
 * - remove: the file first (when it cannot be written nothing has
 *   changed), then the store; if the store fails the profile goes back.
 *
 * The credential of the profile follows the table (credentials.h).
 * Owned by the main context. */
#pragma once

#include <gio/gio.h>

#include "profiles.h"
#include "store.h"

/* Takes @profile and @secret: what ua_profile_stored_secret() names, or
 * for authorization-code a refresh token from a sign-in made elsewhere
 * (kept as the profile's refresh token), or NULL. */
void ua_profile_txn_add_async (UaProfiles *profiles, UaStore *store,
                               UaProfile *profile, UaSecret *secret,
                               gboolean replace, GAsyncReadyCallback callback,
                               gpointer user_data);
gboolean ua_profile_txn_add_finish (GAsyncResult *result, GError **error);

void ua_profile_txn_remove_async (UaProfiles *profiles, UaStore *store,
                                  const char *name, GAsyncReadyCallback callback,
                                  gpointer user_data);
gboolean ua_profile_txn_remove_finish (GAsyncResult *result, GError **error);
