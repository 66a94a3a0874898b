/* uipauth-agent --ephemeral, the CI-job mode: secrets live in the agent's
 * memory only (keyring-memory.c) and profiles are never read from or
 * written to profiles.ini.  A job hands its credential over in the
 * agent's environment; the agent takes it and scrubs it from there. */
#pragma once

#include "profiles.h"
#include "store.h"

/* The profile the environment's credential becomes. */
#define UA_EPHEMERAL_PROFILE "env"

/* Returns an in-memory profile table, with its secret in @store,
 * holding UA_EPHEMERAL_PROFILE when the environment has UIPATH_PAT, or
 * UIPATH_CLIENT_ID and UIPATH_CLIENT_SECRET (with UIPATH_URL,
 * UIPATH_ORGANIZATION, UIPATH_TENANT, UIPATH_SCOPES, UIPATH_IDENTITY_URL
 * as settings).  The three credential variables are wiped from the
 * process's environment block, so /proc/PID/environ no longer shows them.
 * NULL with an error naming the variable when they do not make sense. */
UaProfiles *ua_ephemeral_setup (UaStore *store, GError **error);

/* Wipes the value of @name in the environment block and unsets it. */
void ua_ephemeral_scrub_env (const char *name);
