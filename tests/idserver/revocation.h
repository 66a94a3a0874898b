/* revocation.h: the revocation endpoint ({identity}/connect/revocation,
 * RFC 7009). */
#pragma once

#include "server.h"

void id_revocation_handle (IdServer          *srv,
                           SoupServerMessage *msg);
