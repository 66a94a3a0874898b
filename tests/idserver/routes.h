/* routes.h: which handler answers which request, and request bookkeeping. */
#pragma once

#include "server.h"

typedef void (*IdRouteHandler) (IdServer          *srv,
                                SoupServerMessage *msg);

void id_routes_install (IdServer          *srv);
void id_request_done   (SoupServerMessage *msg,
                        const char        *outcome);
