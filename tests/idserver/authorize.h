/* authorize.h: {identity}/connect/authorize, auto-approving. */
#pragma once

#include "server.h"

void id_authorize_handle (IdServer          *srv,
                          SoupServerMessage *msg);
