/* The expiry date a user gave a PAT: checked before any token of it is
 * served, and shown by `status`. */
#pragma once

#include <glib.h>

#include "profiles.h"

/* Days before a PAT's `expires` date from which every use warns. */
#define UA_EXPIRY_WARN_DAYS 7

/* Checks @profile against @today (local date; NULL: now).  FALSE with a
 * UA_ERR_EXPIRED error once a PAT's `expires` day has passed.  Otherwise
 * TRUE, and *@warning (may be NULL on return) says when it expires soon
 * or that the date cannot be read. */
gboolean ua_expiry_check (const UaProfile *profile, const GDate *today,
                          char **warning, GError **error);

/* The warnings of ua_expiry_check() for every profile in @list (status):
 * expired PATs warn instead of failing. */
GPtrArray *ua_expiry_status_warnings (GPtrArray *list);
