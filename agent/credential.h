/* What a profile says about its own credential before any token is
 * served: the expiry date a user gave a PAT, and the legacy kinds that
 * deserve a warning.  Owned by the main context. */
#pragma once

#include <glib.h>

#include "profiles.h"

/* Days before a PAT's `expires` date from which every use warns. */
#define UA_CREDENTIAL_WARN_DAYS 7

/* Checks @profile against @today (local date; NULL: now).  FALSE with a
 * UA_ERR_EXPIRED error once a PAT's `expires` day has passed.  Otherwise
 * TRUE, and *@warning (may be NULL on return) says when it expires soon
 * or that the date cannot be read. */
gboolean ua_credential_check (const UaProfile *profile, const GDate *today,
                              char **warning, GError **error);

/* The warning for a legacy kind (API keys), the first time a profile asks
 * in this agent run; NULL afterwards and for every other kind. */
const char *ua_credential_warn_once (const UaProfile *profile);

/* Adds the warnings of ua_credential_check() for every profile in @list
 * (status): expired PATs warn instead of failing. */
GPtrArray *ua_credential_status_warnings (GPtrArray *list);
