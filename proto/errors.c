#include "errors.h"

#include <stddef.h>
#include <string.h>

static const struct {
  const char *name;
  int exit_status;
} errors[UA_ERR_LAST_] = {
  [UA_ERR_NONE] = { "none", UA_EXIT_OK },
  [UA_ERR_BAD_REQUEST] = { "bad-request", UA_EXIT_FAILURE },
  [UA_ERR_UNKNOWN_OP] = { "unknown-op", UA_EXIT_FAILURE },
  [UA_ERR_VERSION] = { "unsupported-version", UA_EXIT_FAILURE },
  [UA_ERR_INVALID_ARGUMENT] = { "invalid-argument", UA_EXIT_USAGE },
  [UA_ERR_UNKNOWN_PROFILE] = { "unknown-profile", UA_EXIT_NO_PROFILE },
  [UA_ERR_NO_PROFILE] = { "no-profile", UA_EXIT_NO_PROFILE },
  [UA_ERR_EXISTS] = { "exists", UA_EXIT_FAILURE },
  [UA_ERR_REJECTED] = { "rejected", UA_EXIT_REJECTED },
  [UA_ERR_LOGIN_REQUIRED] = { "login-required", UA_EXIT_REJECTED },
  [UA_ERR_EXPIRED] = { "expired", UA_EXIT_REJECTED },
  [UA_ERR_UNREACHABLE] = { "unreachable", UA_EXIT_UNREACHABLE },
  [UA_ERR_SERVER] = { "server-error", UA_EXIT_UNREACHABLE },
  [UA_ERR_KEYRING] = { "keyring", UA_EXIT_KEYRING },
  [UA_ERR_BUSY] = { "busy", UA_EXIT_NO_AGENT },
  [UA_ERR_INTERNAL] = { "internal", UA_EXIT_FAILURE },
  [UA_ERR_FORBIDDEN] = { "forbidden", UA_EXIT_FAILURE },
};

const char *
ua_error_to_string (UaErrorCode code)
{
  if ((int) code < 0 || code >= UA_ERR_LAST_)
    code = UA_ERR_INTERNAL;
  return errors[code].name;
}

UaErrorCode
ua_error_from_string (const char *str)
{
  for (int i = 0; str != NULL && i < UA_ERR_LAST_; i++)
    if (strcmp (errors[i].name, str) == 0)
      return (UaErrorCode) i;
  return UA_ERR_INTERNAL;
}

int
ua_error_exit_status (UaErrorCode code)
{
  if ((int) code < 0 || code >= UA_ERR_LAST_)
    return UA_EXIT_FAILURE;
  return errors[code].exit_status;
}
