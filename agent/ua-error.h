/* The agent's one GError domain.  Its codes are the wire error codes of
 * proto/errors.h, so an error travels from wherever it is raised to the
 * client's exit status without translation tables in between. */
#pragma once

#include <glib.h>

#include "errors.h"

#define UA_ERROR (ua_error_quark ())
GQuark ua_error_quark (void);

/* The wire code for @error: its own code in the UA_ERROR domain, else
 * UA_ERR_INTERNAL. */
UaErrorCode ua_error_code (const GError *error);
