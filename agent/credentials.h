/* The agent's credentials, one per profile in the table, kept in step
 * with it: whenever the table changes (a load, SIGHUP or `reload`, the
 * re-read before a write, an add, a replace, a remove), a profile whose
 * settings are unchanged keeps its credential and everything cached for
 * it; any other credential of that name is retired and a new one made.
 * Owned by the main context. */
#pragma once

#include "cache.h"
#include "credential.h"
#include "profiles.h"
#include "store.h"

typedef struct UaCredentials UaCredentials;

/* Follows @profiles from now on (none of the three is owned). */
UaCredentials *ua_credentials_new (UaProfiles *profiles, UaCache *cache,
                                   UaStore *store);
/* Retires every credential. */
void ua_credentials_free (UaCredentials *credentials);

/* The credential of the profile named @name, or NULL. */
UaCredential *ua_credentials_lookup (UaCredentials *credentials,
                                     const char *name);
/* `uipauth lock`: every token of every credential is wiped. */
void ua_credentials_lock (UaCredentials *credentials);
guint ua_credentials_count (UaCredentials *credentials);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UaCredentials, ua_credentials_free)
