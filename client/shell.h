/* Quoting values for the shells `uipauth env` writes for, and for JSON.
 *
 * Values never contain NUL, CR or LF (the protocol refuses them), so every
 * other byte must survive an `eval` of the output unchanged. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

typedef enum {
  UA_SHELL_SH,
  UA_SHELL_BASH,
  UA_SHELL_ZSH,
  UA_SHELL_FISH,
  UA_SHELL_CSH,
  UA_SHELL_TCSH,
  UA_SHELL_JSON,
  UA_SHELL_LAST_,
} UaShell;

typedef struct {
  const char *name;
  const char *value; /* NULL: not set */
} UaEnvVar;

/* The shell called exactly @name (as given to --shell), or -1. */
int ua_shell_from_name (const char *name);
/* The shell for a $SHELL value, from its basename; sh when unknown. */
UaShell ua_shell_detect (const char *shell_env);
const char *ua_shell_name (UaShell shell);

/* Appends @value quoted as one word for @shell (a JSON string for json). */
void ua_shell_quote (UaShell shell, const char *value, size_t len, UaBuf *out);

/* Appends commands that set each variable of @vars that has a value and
 * remove each that has none (with @unset: remove every one), or for json
 * one object, with null for a variable to remove. */
void ua_shell_format_env (UaShell shell, const UaEnvVar *vars, size_t n,
                          bool unset, UaBuf *out);
