/* OAuth grants: building token requests and judging the answers.  Pure
 * functions over UaHttpRequest/UaHttpResponse, so tests can feed them
 * recorded answers without a network. */
#pragma once

#include <glib.h>

#include "http.h"
#include "token.h"

/* What a failed grant means for the cache's retry policy. */
typedef enum {
  UA_GRANT_RETRY_NEVER,   /* credential or configuration wrong: stop */
  UA_GRANT_RETRY_BACKOFF, /* transient: back off exponentially with jitter */
  UA_GRANT_RETRY_AFTER,   /* the server said when (Retry-After) */
} UaGrantRetry;

typedef struct {
  UaGrantRetry retry;
  gint64 retry_after; /* seconds, for UA_GRANT_RETRY_AFTER */
} UaGrantFailure;

/* {identity_url}/connect/token.  @identity_url has no trailing slash. */
char *ua_grant_token_endpoint (const char *identity_url);

/* The default identity base for a service URL: {scheme}://{host}/identity_
 * (Automation Cloud and Automation Suite).  NULL with an error for a URL
 * that cannot be parsed. */
char *ua_grant_default_identity_url (const char *service_url, GError **error);

/* {identity_url}/connect/revocation (RFC 7009). */
char *ua_grant_revocation_endpoint (const char *identity_url);

/* How an app proves who it is to the identity server: a public app sends
 * its id; a confidential one its secret too, in the form
 * (client_secret_post, what UiPath documents) or, with @basic, as HTTP
 * Basic (client_secret_basic: id and secret form-encoded before base64,
 * RFC 6749 2.3.1). */
typedef struct {
  const char *id;
  const UaSecret *secret; /* NULL: a public app */
  gboolean basic;
} UaGrantClient;

/* The requests below are form-encoded POSTs that carry @client as it
 * says. */

/* client_credentials; @client must have a secret.  @scopes is
 * space-separated. */
UaHttpRequest *ua_grant_client_credentials_request (const char *token_endpoint,
                                                    const UaGrantClient *client,
                                                    const char *scopes);

/* A refresh_token grant. */
UaHttpRequest *ua_grant_refresh_request (const char *token_endpoint,
                                         const UaGrantClient *client,
                                         const UaSecret *refresh_token);

/* An authorization_code grant with its PKCE verifier. */
UaHttpRequest *ua_grant_authorization_code_request (const char *token_endpoint,
                                                    const UaGrantClient *client,
                                                    const UaSecret *code,
                                                    const char *redirect_uri,
                                                    const UaSecret *verifier);

/* Revokes @refresh_token (token_type_hint=refresh_token, RFC 7009). */
UaHttpRequest *ua_grant_revocation_request (const char *revocation_endpoint,
                                            const UaGrantClient *client,
                                            const UaSecret *refresh_token);

/* Judges a revocation answer: TRUE for any 2xx (an unknown or already
 * revoked token included, RFC 7009 2.2).  Otherwise FALSE and an error
 * naming @profile that says why: UA_ERR_UNREACHABLE for 408, 429 and
 * 5xx, UA_ERR_REJECTED for a refused client or request, UA_ERR_SERVER
 * for anything else.  No retry: a revocation is asked for once. */
gboolean ua_grant_parse_revocation_response (const UaHttpResponse *response,
                                             const char *profile,
                                             GError **error);

/* UiPath's legacy API key ("user key") exchange: a JSON refresh_token
 * grant with the public client id and the X-UIPATH-TenantName header. */
#define UA_GRANT_API_KEY_CLIENT_ID "8DEv1AMNXczW3y4U15LL3jYf62jK93n5"
#define UA_GRANT_API_KEY_URL "https://account.uipath.com"
UaHttpRequest *ua_grant_api_key_request (const char *endpoint,
                                         const char *tenant,
                                         const UaSecret *api_key);

/* POST {url}/api/account/authenticate with a JSON body. */
#define UA_GRANT_PASSWORD_LIFETIME_S (30 * 60)
UaHttpRequest *ua_grant_password_request (const char *endpoint,
                                          const char *tenant,
                                          const char *username,
                                          const UaSecret *password);

/* Judges an /api/account/authenticate answer: the token is the string
 * `result`, valid UA_GRANT_PASSWORD_LIFETIME_S.  400/401/403 are
 * UA_ERR_REJECTED (never retried), the rest as for token answers. */
UaToken *ua_grant_parse_password_response (const UaHttpResponse *response,
                                           const char *profile,
                                           UaGrantFailure *failure,
                                           GError **error);

/* The OAuth `error` code of an error answer, or NULL. */
char *ua_grant_error_code (const UaHttpResponse *response);

/* The refresh_token of a 2xx token answer, or NULL if it has none. */
UaSecret *ua_grant_take_refresh_token (const UaHttpResponse *response);

/* Judges a token endpoint's answer.  Returns a token only for a 2xx
 * application/json answer with a string access_token, a positive integer
 * expires_in and token_type Bearer (case-insensitive).  Otherwise NULL and
 * an error for the user that names @profile and says what to check:
 *   invalid_client, unauthorized_client, 401       -> UA_ERR_REJECTED, never
 *   invalid_scope, invalid_grant, other 4xx         -> UA_ERR_REJECTED, never
 *   429                                            -> UA_ERR_UNREACHABLE, after
 *   408, 5xx                                       -> UA_ERR_UNREACHABLE, backoff
 *   2xx that is HTML, malformed or incomplete JSON -> UA_ERR_SERVER, backoff
 * @failure (may be NULL) says how to retry. */
UaToken *ua_grant_parse_token_response (const UaHttpResponse *response,
                                        const char *profile,
                                        UaGrantFailure *failure,
                                        GError **error);

/* ---- one answer, judged once ----------------------------------------- */

/* A judge turns one endpoint's answer into a token or an error, as
 * ua_grant_parse_token_response() and ua_grant_parse_password_response()
 * do. */
typedef UaToken *(*UaGrantJudge) (const UaHttpResponse *response,
                                  const char *profile, UaGrantFailure *failure,
                                  GError **error);

/* What a mint, a refresh or a code exchange ends with.  Exactly one of
 * @token and @error is set. */
typedef struct {
  UaToken *token;          /* the access token */
  UaSecret *refresh_token; /* a 2xx answer's refresh_token, or NULL */
  char *error_code;        /* an error answer's OAuth `error`, or NULL */
  UaGrantFailure failure;  /* how a failure may be retried */
  GError *error;
} UaGrantResult;

/* Reads @response once with @judge: token, refresh token, error code and
 * retry class. */
UaGrantResult *ua_grant_result_judge (const UaHttpResponse *response,
                                      const char *profile, UaGrantJudge judge);
/* A result with @token (taken). */
UaGrantResult *ua_grant_result_new_token (UaToken *token);
/* A failure (takes @error). */
UaGrantResult *ua_grant_result_new_error (UaGrantRetry retry, GError *error);
/* Replaces the result's token or error by @error (taken), keeping
 * nothing of the answer: its tokens are wiped. */
void ua_grant_result_fail (UaGrantResult *result, UaGrantRetry retry,
                           GError *error);
void ua_grant_result_free (UaGrantResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UaGrantResult, ua_grant_result_free)
/* Returns @result (taken) from @task, and lets go of the task: the end of
 * every mint, refresh and exchange. */
void ua_grant_result_return (GTask *task, UaGrantResult *result);
/* The same with a failure (takes @error). */
void ua_grant_result_return_error (GTask *task, UaGrantRetry retry, GError *error);
/* Finishes a GTask that returns a UaGrantResult; a task that was
 * cancelled (or failed) before it had one gives a result with its error. */
UaGrantResult *ua_grant_result_propagate (GAsyncResult *result);
