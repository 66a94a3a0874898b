#include "config.h"

#include "ua-error.h"

G_DEFINE_QUARK (ua-error-quark, ua_error)

UaErrorCode
ua_error_code (const GError *error)
{
  if (error == NULL)
    return UA_ERR_NONE;
  if (error->domain != UA_ERROR || error->code <= 0 || error->code >= UA_ERR_LAST_)
    return UA_ERR_INTERNAL;
  return (UaErrorCode) error->code;
}
