/* token.h: the OAuth token endpoint ({identity}/connect/token). */
#pragma once

#include "server.h"

void id_token_handle (IdServer          *srv,
                      SoupServerMessage *msg);
