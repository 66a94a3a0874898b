/* One credential: a profile generation and every piece of state the agent
 * keeps for it.  A credential is created when its profile is added or
 * loaded, and retired when the profile is removed or replaced, or when a
 * reload changes any of its settings (credentials.c); the next generation
 * of the same name is a new credential that starts from nothing.  So no
 * token, refresh token or pending login can cross from one identity to
 * another: whatever a retired credential still has in flight is wiped and
 * dropped when it arrives, never served, never written to the store.
 * Owned by the main context. */
#pragma once

#include <glib.h>

#include "audit.h"
#include "cache.h"
#include "grant.h"
#include "profiles.h"
#include "store.h"

typedef struct UaLogin UaLogin;

typedef struct {
  gint refs;
  UaProfile *profile;     /* this generation's settings (a copy) */
  UaStore *store;         /* the agent's, not owned: refresh tokens, and
                           * the kind's secret unless it is in a file */
  UaStore *file;          /* secret_source file: or credential:, owned:
                           * the file the kind's secret is read from */
  UaCacheEntry *entry;    /* its token, single flight, back-off */

  /* authorization-code: the refresh token's life (refresh.c, login.c) */
  UaToken *primed;        /* a login's access token, for the first mint */
  UaSecret *held;         /* rotated, not yet saved: saved before any use */
  char *refused;          /* SHA-256 of a refresh token the server refused */
  guint signins;          /* logins and logouts so far: a refresh sent
                           * before the latest one must not overwrite
                           * its token */
  guint signing_out;      /* logouts in flight: nothing refreshes or
                           * signs in until they are done */
  gint64 refreshed_at;    /* wall clock (Unix s) of the last login or
                           * refresh in this agent run, for status; 0:
                           * none */
  UaLogin *login;         /* a pending `uipauth login`, or NULL */

  UaAuditRing callers;    /* who was given its tokens, newest first */
  gboolean warned;        /* the legacy kind's warning was given */
  gboolean retired;
} UaCredential;

/* Copies @profile. */
UaCredential *ua_credential_new (UaCache *cache, UaStore *store,
                                 const UaProfile *profile);
UaCredential *ua_credential_ref (UaCredential *credential);
void ua_credential_unref (UaCredential *credential);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UaCredential, ua_credential_unref)

/* Where the kind's secret is read: its file, or the agent's store. */
UaStore *ua_credential_secret_store (UaCredential *credential);

/* The profile is gone or changed: answers every caller waiting for it,
 * cancels its pending login and wipes its tokens.  Idempotent. */
void ua_credential_retire (UaCredential *credential);
/* `uipauth lock`: wipes every token it holds in memory.  A rotated
 * refresh token that could not be saved yet is wiped too (the profile
 * then needs `uipauth login` again), with a warning in the log. */
void ua_credential_lock (UaCredential *credential);
/* `forget`: drops the cached token and the back-off. */
void ua_credential_forget (UaCredential *credential);

/* A token for a caller: see ua_cache_entry_get(). */
void ua_credential_get_token (UaCredential *credential, gint64 min_valid,
                              gboolean force_new, UaCacheReply reply,
                              gpointer user_data);

/* A login stored a new refresh token: forget refused and unsaved ones and
 * the cached token, and keep @token (taken) for the next mint. */
void ua_credential_logged_in (UaCredential *credential, UaToken *token);
/* The identity server issued tokens for this sign-in just now. */
void ua_credential_refreshed (UaCredential *credential);
/* `logout`: forgets the sign-in in memory: every token it holds (the
 * cached one, a login's, a rotated one not saved yet), what it knows of
 * refused ones; an answer in flight for the old sign-in is dropped when
 * it comes.  The stored refresh token is the caller's to clear. */
void ua_credential_sign_out (UaCredential *credential);

/* A confidential authorization-code app's client secret, read from the
 * store each time a request needs it (it is never kept in memory).
 * Finishes with NULL and no error for a public app, and with a
 * UA_ERR_KEYRING error, saying how to store it, when it is missing. */
void ua_credential_client_secret_async (UaCredential *credential,
                                        GAsyncReadyCallback callback,
                                        gpointer user_data);
UaSecret *ua_credential_client_secret_finish (GAsyncResult *result,
                                              GError **error);
/* How requests for @credential present its app, with @secret (not
 * taken; NULL for a public app). */
UaGrantClient ua_credential_grant_client (const UaCredential *credential,
                                          const UaSecret *secret);

/* The warning for a legacy kind (API keys), the first time this
 * credential is used; NULL afterwards and for every other kind. */
char *ua_credential_warn_once (UaCredential *credential);

/* The error of a credential that was retired under a caller. */
GError *ua_credential_retired_error (const UaCredential *credential);
