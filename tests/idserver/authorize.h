/* authorize.h: {identity}/connect/authorize.  Without a sign-in set up
 * (--sign-in) every valid request is approved at once; with one, the
 * browser goes through the sign-in and consent pages of signin.c first. */
#pragma once

#include "server.h"

/* A valid authorize request, remembered while the user signs in. */
typedef struct {
  char *client_id;
  char *redirect_uri;
  char *state;         /* may be NULL */
  char *challenge;
  char *scope;
} IdAuthorizeRequest;

void id_authorize_request_free (IdAuthorizeRequest *request);

void id_authorize_handle       (IdServer                 *srv,
                                SoupServerMessage        *msg);
/* Sends the browser back to the request's redirect URI: with a new code
 * when @approved, else with error=access_denied (the user said Deny). */
void id_authorize_redirect     (IdServer                 *srv,
                                SoupServerMessage        *msg,
                                const IdAuthorizeRequest *request,
                                gboolean                  approved);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IdAuthorizeRequest, id_authorize_request_free)
