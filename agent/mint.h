/* Minting: turning a credential and its stored secret into a token, by
 * the credential kind's grant.  The cache decides when to mint. */
#pragma once

#include <gio/gio.h>

#include "credential.h"
#include "grant.h"

/* @credential is a UaCredential (the cache entry's owner).  Always
 * finishes with a result: a token, or an error and how to retry. */
void ua_mint_async (gpointer credential, GCancellable *cancellable,
                    GAsyncReadyCallback callback, gpointer user_data);
UaGrantResult *ua_mint_finish (GAsyncResult *result);
