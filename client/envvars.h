/* The environment variables that `env` and `exec` set from a token reply:
 * what UiPath's own tools read (the Python SDK, uipathcli). */
#pragma once

#include "msg.h"
#include "shell.h"

#define UA_ENVVARS_COUNT 6

/* Fills @vars with every variable, its value from @reply or NULL when the
 * reply has none; with @reply NULL, just the names. */
void ua_envvars_from_reply (const UaMsg *reply, UaEnvVar vars[UA_ENVVARS_COUNT]);
