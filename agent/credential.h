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
#include "profiles.h"
#include "store.h"

typedef struct UaLogin UaLogin;

typedef struct {
  gint refs;
  UaProfile *profile;     /* this generation's settings (a copy) */
  UaStore *store;         /* the agent's, not owned */
  UaCacheEntry *entry;    /* its token, single flight, back-off */

  /* authorization-code: the refresh token's life (refresh.c, login.c) */
  UaToken *primed;        /* a login's access token, for the first mint */
  UaSecret *held;         /* rotated, not yet saved: saved before any use */
  char *refused;          /* SHA-256 of a refresh token the server refused */
  guint signins;          /* logins so far: a refresh sent before the
                           * latest one must not overwrite its token */
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

/* The warning for a legacy kind (API keys), the first time this
 * credential is used; NULL afterwards and for every other kind. */
char *ua_credential_warn_once (UaCredential *credential);

/* The error of a credential that was retired under a caller. */
GError *ua_credential_retired_error (const UaCredential *credential);
