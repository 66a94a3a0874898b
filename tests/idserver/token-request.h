/* token-request.h: a parsed request to the token endpoint. */
#pragma once

#include <libsoup/soup.h>

typedef struct {
  GHashTable *form;         /* form field → value; empty if not a form */
  gboolean form_encoded;    /* Content-Type was x-www-form-urlencoded */
  const char *grant_type;   /* points into form, may be NULL */
  char *client_id;          /* from Basic auth, else from the form */
  char *client_secret;
  const char *auth_method;  /* "basic", "post" (a secret in the form), "none" */
} IdTokenRequest;

IdTokenRequest *id_token_request_parse (SoupServerMessage    *msg);
const char     *id_token_request_get   (const IdTokenRequest *req,
                                        const char           *name);
void            id_token_request_free  (IdTokenRequest       *req);
/* Whether the request authenticates its client: a registered
 * (confidential) client must send its secret, any other client id is a
 * public app and sends none.  FALSE when a client id is missing or a
 * registered client's secret is missing or wrong. */
gboolean        id_token_request_client_ok (const IdTokenRequest *req,
                                            GHashTable           *clients);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IdTokenRequest, id_token_request_free)
