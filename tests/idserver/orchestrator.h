/* orchestrator.h: a stand-in for an Orchestrator's API below any
 * /{org}/{tenant}/orchestrator_/, behind the tokens this server issued. */
#pragma once

#include "server.h"

#define ID_ORCHESTRATOR_BASE "/orchestrator_/"

/* Streams uploads instead of keeping them: call before the server listens. */
void id_orchestrator_install (IdServer *srv);

/* Answers a request whose path has ID_ORCHESTRATOR_BASE in it. */
void id_orchestrator_handle (IdServer          *srv,
                             SoupServerMessage *msg,
                             const char        *path);
