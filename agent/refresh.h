/* Refresh tokens (authorization-code credentials): access tokens minted
 * with grant_type=refresh_token, and the rotation that comes with each.
 *
 * - One refresh per credential at a time: the cache's single flight
 *   guarantees it, so a refresh token is never sent twice.
 * - The rotated refresh token from the answer is written to the store
 *   before the access token is handed to anyone.
 * - A refresh token the server refused (invalid_grant) is remembered and
 *   never sent again: the credential answers login-required until a new
 *   `uipauth login`.
 * - The answer of a credential retired meanwhile, or of a refresh sent
 *   before the latest login, is wiped and dropped: never served, never
 *   written over its successor's refresh token.
 * Owned by the main context. */
#pragma once

#include <gio/gio.h>

#include "credential.h"
#include "grant.h"

/* Always finishes with a result: a token, or an error and how to retry. */
void ua_refresh_async (UaCredential *credential, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data);
UaGrantResult *ua_refresh_finish (GAsyncResult *result);
