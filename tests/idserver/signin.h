/* signin.h: what a browser sees at the authorize endpoint when the
 * server has a test user (--sign-in USER:PASSWORD): a sign-in form, then
 * a consent page with Allow and Deny, then the redirect back to the app
 * with a code or with error=access_denied.  Each authorize request is
 * remembered under a random id that the forms carry, and forgotten once
 * the user has decided. */
#pragma once

#include "authorize.h"
#include "server.h"

IdSignIn *id_sign_in_new         (const char         *spec,
                                  GError            **error);
void      id_sign_in_free        (IdSignIn           *sign_in);

/* GET authorize: remembers @request (taken) and shows the sign-in form. */
void      id_sign_in_start       (IdSignIn           *sign_in,
                                  SoupServerMessage  *msg,
                                  IdAuthorizeRequest *request);
/* POST {authorize}/sign-in: user name and password, then consent. */
void      id_sign_in_credentials (IdServer           *srv,
                                  SoupServerMessage  *msg);
/* POST {authorize}/consent: Allow or Deny, then back to the app. */
void      id_sign_in_consent     (IdServer           *srv,
                                  SoupServerMessage  *msg);
