/* token-request.h: a parsed request to the token endpoint. */
#pragma once

#include <libsoup/soup.h>

typedef struct {
  GHashTable *form;         /* form field → value; empty if not a form */
  gboolean form_encoded;    /* Content-Type was x-www-form-urlencoded */
  const char *grant_type;   /* points into form, may be NULL */
  char *client_id;          /* from Basic auth, else from the form */
  char *client_secret;
} IdTokenRequest;

IdTokenRequest *id_token_request_parse (SoupServerMessage    *msg);
const char     *id_token_request_get   (const IdTokenRequest *req,
                                        const char           *name);
void            id_token_request_free  (IdTokenRequest       *req);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IdTokenRequest, id_token_request_free)
