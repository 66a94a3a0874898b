/* `uipauth logout` (and the first half of removing an authorization-code
 * profile): signs a credential out.
 *
 * 1. Its pending login is cancelled, and everything it holds in memory
 *    is forgotten at once (ua_credential_sign_out): no token of the old
 *    sign-in is served from then on, and nothing refreshes or signs in
 *    until the logout is done.
 * 2. The refresh token (the one held unsaved, else the stored one) is
 *    revoked at the identity server (RFC 7009), with the client secret
 *    of a confidential app.  Asked once, with short timeouts; a failure
 *    is reported, never retried.
 * 3. Then the stored refresh token is cleared, revoked or not.
 *
 * Revoking before clearing means a crash in between leaves a revoked
 * token in the keyring (its next use asks for a login), never a live one
 * that nobody knows of.  Owned by the main context. */
#pragma once

#include <gio/gio.h>

#include "credential.h"
#include "ua-msg.h"

/* A revocation may take this long in all, connecting this long: a user
 * waits for it, and an unreachable server must not hold `remove`. */
#define UA_LOGOUT_REVOKE_TIMEOUT_MS 10000
#define UA_LOGOUT_CONNECT_TIMEOUT_MS 5000

typedef struct {
  gboolean signed_in;   /* there was a refresh token to revoke */
  gboolean revoked;     /* the identity server revoked it */
  GError *revoke_error; /* why not, when signed in and not revoked */
} UaLogoutResult;

void ua_logout_async (UaCredential *credential, GAsyncReadyCallback callback,
                      gpointer user_data);
/* NULL with an error (the keyring could not be read or cleared: the
 * memory is forgotten, the stored token may not be) or a result. */
UaLogoutResult *ua_logout_finish (GAsyncResult *result, GError **error);
void ua_logout_result_free (UaLogoutResult *result);
/* Says in @reply what the logout did: signed_in, revoked, and why the
 * server did not revoke the sign-in as a warning. */
void ua_logout_result_reply (const UaLogoutResult *result, UaMsg *reply);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UaLogoutResult, ua_logout_result_free)
