/* Where a profile's secret comes from: profiles.ini `secret_source`, also
 * `uipauth add --secret-source`.  One parser for the client, which checks
 * the option before it decides whether to read a secret, and the agent,
 * which checks it again on `add` and on every load.  libc only.
 *
 *   keyring          the default: the secret `add` stored in the keyring
 *   file:PATH        the file PATH (absolute), read when a token is minted
 *   credential:NAME  the file NAME in $CREDENTIALS_DIRECTORY, where
 *                    systemd puts a service's LoadCredential= and
 *                    LoadCredentialEncrypted= credentials */
#pragma once

#include <stddef.h>

typedef enum {
  UA_SECRET_SOURCE_KEYRING,
  UA_SECRET_SOURCE_FILE,
  UA_SECRET_SOURCE_CREDENTIAL,
} UaSecretSourceKind;

/* The longest file: path and credential: name accepted (PATH_MAX and
 * NAME_MAX, less the NUL). */
#define UA_SECRET_SOURCE_PATH_MAX 4095
#define UA_SECRET_SOURCE_NAME_MAX 255

/* Parses @spec (NULL or "" is the keyring).  Returns 0 with the kind in
 * *@kind and, for a file or credential, the path or name in *@arg (a
 * pointer into @spec); or -1 with a sentence in @err saying what is
 * wrong and which forms there are. */
int ua_secret_source_parse (const char *spec, UaSecretSourceKind *kind,
                            const char **arg, char *err, size_t errlen);

/* "keyring", "file", "credential". */
const char *ua_secret_source_kind_name (UaSecretSourceKind kind);
