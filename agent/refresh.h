/* Refresh tokens (authorization-code profiles): access tokens minted with
 * grant_type=refresh_token, and the rotation that comes with each one.
 *
 * - One refresh per profile at a time, whatever the cache key: every mint
 *   of a profile that starts while its refresh is in flight shares it, so
 *   a refresh token is never sent twice.
 * - The rotated refresh token from the answer is written to the keyring
 *   before the access token is handed to anyone.
 * - A refresh token the server refused (invalid_grant) is remembered and
 *   never sent again: the profile answers login-required until a new
 *   `uipauth login`.
 * Owned by the main context. */
#pragma once

#include <gio/gio.h>

#include "grant.h"
#include "token.h"

/* Finishes @task (a mint: it returns a UaToken) with a token minted from
 * the profile's stored refresh token; sets *@failure on error. */
void ua_refresh_start (GTask *task, const char *profile, const char *client_id,
                       const char *identity_url, const char *service_url,
                       UaGrantFailure *failure);

/* {identity}/connect/token of a profile, as minting and login use it. */
char *ua_refresh_token_endpoint (const char *identity_url,
                                 const char *service_url, GError **error);

/* A login has stored a new refresh token: forget refused and unsaved
 * ones, and keep @token (taken) for the next mint of @profile. */
void ua_refresh_logged_in (const char *profile, UaToken *token);
