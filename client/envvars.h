/* The environment variables that `env` and `exec` set from a token reply:
 * what UiPath's own tools read (the Python SDK, uipathcli), and those of
 * theirs that would put another credential in place of ours. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "msg.h"
#include "shell.h"

#define UA_ENVVARS_COUNT 14
/* Longest UIPATH_URI: scheme://host[:port] of a URL that fits a message. */
#define UA_ENVVARS_URI_MAX 2048

typedef struct {
  UaEnvVar vars[UA_ENVVARS_COUNT]; /* values point into the reply or uri */
  char uri[UA_ENVVARS_URI_MAX];
} UaEnvVars;

/* Fills @env with every variable: its value from @reply, or NULL when the
 * reply has none or the variable is one that must be cleared; with @reply
 * NULL, just the names. */
void ua_envvars_from_reply (const UaMsg *reply, UaEnvVars *env);

/* The value @env gives @name, NULL when it clears it or does not know it. */
const char *ua_envvars_get (const UaEnvVars *env, const char *name);

/* Whether @url has the shape UiPath's Python SDK reads UIPATH_URL in,
 * scheme://host[:port]/ORGANIZATION/TENANT; if not, what is wrong, as a
 * phrase for "UIPATH_URL would be URL: ...", in @why. */
bool ua_envvars_url_shape (const char *url, char *why, size_t whylen);

/* On standard error: a warning when the UIPATH_URL of @env (of @profile)
 * would not be read as the SDK needs, with what to do about it. */
void ua_envvars_warn_shape (const UaEnvVars *env, const char *profile);
