/* tokens.h: the access tokens this server has issued. */
#pragma once

#include <glib.h>

typedef struct _IdTokens IdTokens;

typedef enum {
  ID_TOKEN_UNKNOWN,
  ID_TOKEN_VALID,
  ID_TOKEN_EXPIRED,
} IdTokenState;

IdTokens     *id_tokens_new   (void);
void          id_tokens_free  (IdTokens   *tokens);
const char   *id_tokens_mint  (IdTokens   *tokens,
                               const char *client_id,
                               const char *scope,
                               gint64      lifetime_s);
IdTokenState  id_tokens_check (IdTokens   *tokens,
                               const char *token);
