#include "secret-source.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define FILE_PREFIX "file:"
#define CREDENTIAL_PREFIX "credential:"
#define FORMS "use keyring, file:/ABSOLUTE/PATH or credential:NAME"

static int fail (char *err, size_t errlen, const char *fmt, ...)
  __attribute__ ((format (printf, 3, 4)));

static int
fail (char *err, size_t errlen, const char *fmt, ...)
{
  va_list ap;

  if (errlen > 0)
    {
      va_start (ap, fmt);
      vsnprintf (err, errlen, fmt, ap);
      va_end (ap);
    }
  return -1;
}

static int
check_path (const char *path, char *err, size_t errlen)
{
  size_t len = strlen (path);

  if (path[0] != '/')
    return fail (err, errlen, "secret_source file:%.256s is not an absolute path; "
                 "give the whole path, starting with /", path);
  if (len > UA_SECRET_SOURCE_PATH_MAX)
    return fail (err, errlen, "secret_source file: path is longer than %d bytes",
                 UA_SECRET_SOURCE_PATH_MAX);
  if (path[len - 1] == '/')
    return fail (err, errlen, "secret_source file:%.256s names a directory; "
                 "give the file that holds the secret", path);
  return 0;
}

/* A file name in $CREDENTIALS_DIRECTORY, as systemd allows credential
 * names: never a path, so a profile cannot reach outside the directory. */
static int
check_name (const char *name, char *err, size_t errlen)
{
  size_t len = strlen (name);

  if (len == 0)
    return fail (err, errlen, "secret_source credential: needs a name, "
                 "as in LoadCredentialEncrypted=NAME:...");
  if (len > UA_SECRET_SOURCE_NAME_MAX)
    return fail (err, errlen, "secret_source credential: name is longer than %d bytes",
                 UA_SECRET_SOURCE_NAME_MAX);
  if (strchr (name, '/') != NULL || strcmp (name, ".") == 0 || strcmp (name, "..") == 0)
    return fail (err, errlen, "secret_source credential:%.256s is not a credential "
                 "name (no /, not . or ..); for a path use file:PATH", name);
  return 0;
}

int
ua_secret_source_parse (const char *spec, UaSecretSourceKind *kind,
                        const char **arg, char *err, size_t errlen)
{
  *arg = NULL;
  *kind = UA_SECRET_SOURCE_KEYRING;
  if (spec == NULL || *spec == '\0' || strcmp (spec, "keyring") == 0)
    return 0;
  if (strncmp (spec, FILE_PREFIX, strlen (FILE_PREFIX)) == 0)
    {
      *arg = spec + strlen (FILE_PREFIX);
      *kind = UA_SECRET_SOURCE_FILE;
      return check_path (*arg, err, errlen);
    }
  if (strncmp (spec, CREDENTIAL_PREFIX, strlen (CREDENTIAL_PREFIX)) == 0)
    {
      *arg = spec + strlen (CREDENTIAL_PREFIX);
      *kind = UA_SECRET_SOURCE_CREDENTIAL;
      return check_name (*arg, err, errlen);
    }
  return fail (err, errlen, "unknown secret_source \"%.256s\"; " FORMS, spec);
}

const char *
ua_secret_source_kind_name (UaSecretSourceKind kind)
{
  switch (kind)
    {
    case UA_SECRET_SOURCE_FILE: return "file";
    case UA_SECRET_SOURCE_CREDENTIAL: return "credential";
    case UA_SECRET_SOURCE_KEYRING:
    default: return "keyring";
    }
}
