/* The --ephemeral backend of keyring.h: secrets in this process's memory
 * only, never in a file or on D-Bus, gone when the agent exits.  For CI
 * jobs and servers without a Secret Service.  Synchronous: nothing here
 * waits on anything. */
#pragma once

#include <glib.h>

#include "ua-secret.h"

void ua_keyring_memory_store (const char *profile, const char *kind,
                              const UaSecret *secret);
/* A copy of the stored secret, or NULL. */
UaSecret *ua_keyring_memory_lookup (const char *profile, const char *kind);
/* Every kind of @profile when @kind is NULL. */
void ua_keyring_memory_clear (const char *profile, const char *kind);
/* Wipes everything (at exit). */
void ua_keyring_memory_wipe (void);
