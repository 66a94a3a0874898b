/* control.h: the /_control/ API the tests drive the server with. */
#pragma once

#include "server.h"

void id_control_stats    (IdServer *srv, SoupServerMessage *msg);
void id_control_reset    (IdServer *srv, SoupServerMessage *msg);
void id_control_fault    (IdServer *srv, SoupServerMessage *msg);
void id_control_client   (IdServer *srv, SoupServerMessage *msg);
void id_control_lifetime (IdServer *srv, SoupServerMessage *msg);
