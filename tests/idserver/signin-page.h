/* signin-page.h: the HTML of the sign-in pages, self-contained (inline
 * CSS, no script, nothing fetched), every value escaped.  Element ids
 * (username, password, sign-in, allow, deny, error) are what the browser
 * tests look for. */
#pragma once

#include <glib.h>

/* The form that posts user name and password to @action; @error, if not
 * NULL, says why the last try failed. */
char *id_sign_in_page_form    (const char *action,
                               const char *request_id,
                               const char *error);
/* Allow or Deny, posted to @action. */
char *id_sign_in_page_consent (const char *action,
                               const char *request_id,
                               const char *user,
                               const char *client_id,
                               const char *scope,
                               const char *redirect_uri);
/* A page with a title and one paragraph (an unknown or used request). */
char *id_sign_in_page_message (const char *title,
                               const char *text);
