/* check.h: GET /api/check, a protected resource for the tests. */
#pragma once

#include "server.h"

void id_check_handle (IdServer          *srv,
                      SoupServerMessage *msg);

/* Whether the request carries a live token of ours (or a --pat); if not,
 * answers 401 as /api/check does.  Counted in check_* either way. */
gboolean id_check_bearer (IdServer          *srv,
                          SoupServerMessage *msg);
