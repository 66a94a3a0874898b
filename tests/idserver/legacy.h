/* legacy.h: UiPath's older ways to get a token: the API key ("user key")
 * exchange at account.uipath.com/oauth/token, and Orchestrator's
 * /api/account/authenticate with a user name and password. */
#pragma once

#include "server.h"

/* What the legacy account server answers with. */
#define ID_LEGACY_CLIENT_ID "8DEv1AMNXczW3y4U15LL3jYf62jK93n5"
#define ID_LEGACY_LIFETIME_S 86400
#define ID_PASSWORD_LIFETIME_S 1800

void id_legacy_exchange      (IdServer          *srv,
                              SoupServerMessage *msg);
void id_legacy_authenticate  (IdServer          *srv,
                              SoupServerMessage *msg);
/* POST /_control/legacy {"tenant", "api_key"} or {"tenant", "username",
 * "password"}: accept that key or that user from now on. */
void id_control_legacy       (IdServer          *srv,
                              SoupServerMessage *msg);
