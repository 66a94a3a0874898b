/* check.h: GET /api/check, a protected resource for the tests. */
#pragma once

#include "server.h"

void id_check_handle (IdServer          *srv,
                      SoupServerMessage *msg);
