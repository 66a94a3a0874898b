/* grants.h: one handler per OAuth grant_type. */
#pragma once

#include "server.h"
#include "token-request.h"

typedef struct {
  guint status;         /* HTTP status of an error */
  const char *error;    /* OAuth error code; NULL on success */
  JsonObject *token;    /* success body, owned by the result */
} IdGrantResult;

typedef void (*IdGrantFunc) (IdServer             *srv,
                             const IdTokenRequest *req,
                             IdGrantResult        *result);

void        id_grant_fail       (IdGrantResult *result,
                                 guint          status,
                                 const char    *error);
JsonObject *id_grant_issue      (IdServer      *srv,
                                 const char    *client_id,
                                 const char    *scope);

/* Grants, in grant-*.c.  Later: authorization_code (PKCE), refresh_token. */
void id_grant_client_credentials (IdServer             *srv,
                                  const IdTokenRequest *req,
                                  IdGrantResult        *result);
void id_grant_authorization_code (IdServer             *srv,
                                  const IdTokenRequest *req,
                                  IdGrantResult        *result);
void id_grant_refresh_token      (IdServer             *srv,
                                  const IdTokenRequest *req,
                                  IdGrantResult        *result);
