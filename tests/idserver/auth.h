/* auth.h: what the interactive grants remember: authorization codes
 * (single use, bound to client, redirect URI and PKCE challenge) and
 * refresh-token families (single use, rotated on every refresh; reusing
 * a used one revokes its whole family, as real identity servers do). */
#pragma once

#include <glib.h>

typedef struct _IdAuth IdAuth;

typedef enum {
  ID_REFRESH_OK,
  ID_REFRESH_UNKNOWN,
  ID_REFRESH_REUSED,   /* already used: the family is now revoked */
  ID_REFRESH_REVOKED,
} IdRefreshState;

IdAuth     *id_auth_new            (void);
void        id_auth_free           (IdAuth      *auth);

/* A new code for an approved authorize request. */
const char *id_auth_code_new       (IdAuth      *auth,
                                    const char  *client_id,
                                    const char  *redirect_uri,
                                    const char  *challenge,
                                    const char  *scope);
/* Takes the code (it works once): FALSE if unknown, used, expired, or
 * if client, redirect URI or verifier do not match.  *scope is set. */
gboolean    id_auth_code_redeem    (IdAuth      *auth,
                                    const char  *code,
                                    const char  *client_id,
                                    const char  *redirect_uri,
                                    const char  *verifier,
                                    char       **scope);

/* A refresh token in a new family (family NULL) or in @family. */
const char *id_auth_refresh_new    (IdAuth      *auth,
                                    const char  *family,
                                    const char  *client_id,
                                    const char  *scope);
/* Revokes @token's whole family (RFC 7009 2.1: what the same grant
 * issued).  FALSE, changing nothing, when @token is unknown, of another
 * client, or already revoked. */
gboolean    id_auth_refresh_revoke (IdAuth      *auth,
                                    const char  *token,
                                    const char  *client_id);
/* Uses @token up; on ID_REFRESH_OK, *family and *scope are set. */
IdRefreshState id_auth_refresh_use (IdAuth      *auth,
                                    const char  *token,
                                    const char  *client_id,
                                    char       **family,
                                    char       **scope);
