/* Minting: turning a profile and its stored secret into a token.  One
 * asynchronous call per mint; the cache decides when to mint. */
#pragma once

#include <gio/gio.h>

#include "grant.h"
#include "profiles.h"
#include "token.h"

/* Which keyring item holds the profile's long-lived secret, or NULL for
 * types that store none at `add` time. */
const char *ua_mint_secret_kind (UaProfileType type);

/* Copies what it needs from @profile, so the profile may change meanwhile. */
void ua_mint_async (const UaProfile *profile, GCancellable *cancellable,
                    GAsyncReadyCallback callback, gpointer user_data);
/* @failure (may be NULL) says how a failure may be retried. */
UaToken *ua_mint_finish (GAsyncResult *result, UaGrantFailure *failure,
                         GError **error);
