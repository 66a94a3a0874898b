/* The credential kinds, one table for the client and the agent: each
 * kind's name (profiles.ini `type`, `--type`), the keyring item its secret
 * lives in, what the secret is called when the client asks for it, and
 * the settings a profile of that kind must have.  The client checks a new
 * profile against the same list before it prompts for a secret; the agent
 * checks it again on `add` and on every load.  libc only. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

typedef enum {
  UA_KIND_PAT,
  UA_KIND_API_KEY,
  UA_KIND_CLIENT_CREDENTIALS,
  UA_KIND_AUTHORIZATION_CODE,
  UA_KIND_PASSWORD,
  UA_KIND_LAST_,
} UaKind;

/* Settings a kind needs, at most this many; each "a|b" means either. */
#define UA_KIND_MAX_REQUIRED 3

typedef struct {
  const char *name;           /* "client-credentials" */
  const char *secret;         /* keyring item kind stored by `add`, or NULL */
  const char *secret_if;      /* a boolean setting without which the kind
                               * stores no secret, or NULL: always */
  const char *secret_what;    /* "Client secret", for prompts */
  const char *required[UA_KIND_MAX_REQUIRED]; /* setting keys, NULL-ended */
  const char *opt_in;         /* a boolean setting that must be true, or NULL */
} UaKindInfo;

/* NULL for an out-of-range value. */
const UaKindInfo *ua_kind_info (UaKind kind);
/* false for an unknown name. */
bool ua_kind_from_name (const char *name, UaKind *out);
/* "pat, client-credentials, authorization-code, api-key or password" */
#define UA_KIND_NAMES "pat, client-credentials, authorization-code, api-key or password"

/* Looks a setting up; NULL or "" when it is not set. */
typedef const char *(*UaKindGetter) (const char *key, void *data);

/* The first requirement of @info that @get does not meet, as the option
 * that would meet it ("--client-id", "--url or --identity-url",
 * "--allow-password"), written into @buf; NULL when all are met. */
const char *ua_kind_missing (const UaKindInfo *info, UaKindGetter get,
                             void *data, char *buf, size_t buflen);

/* The keyring item kind a profile of @info with the settings @get reads
 * keeps its secret in, or NULL when it keeps none (an authorization-code
 * profile keeps a client secret only when it is `confidential`). */
const char *ua_kind_secret (const UaKindInfo *info, UaKindGetter get, void *data);

/* The one reader of boolean settings: true, yes, 1 and false, no, 0, in
 * any case.  false (and *out untouched) for anything else. */
bool ua_bool_parse (const char *value, bool *out);
/* ua_bool_parse() with false for anything that is not true. */
bool ua_bool_true (const char *value);
