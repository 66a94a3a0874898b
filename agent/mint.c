#include "config.h"

#include "mint.h"

#include "http.h"
#include "keyring.h"
#include "refresh.h"
#include "ua-error.h"

/* Turns a token answer into a token or an error (grant.h). */
typedef UaToken *(*Judge) (const UaHttpResponse *response, const char *profile,
                           UaGrantFailure *failure, GError **error);

typedef struct {
  char *profile;
  UaProfileType type;
  char *client_id;
  char *scopes;
  char *identity_url;
  char *service_url;
  char *tenant;
  char *username;
  gboolean exchange;       /* api-key: trade the key for a token */
  gboolean allow_password; /* password: the user opted in */
  Judge judge;
  UaGrantFailure failure;
} MintData;

static void
mint_data_free (MintData *d)
{
  g_free (d->profile);
  g_free (d->client_id);
  g_free (d->scopes);
  g_free (d->identity_url);
  g_free (d->service_url);
  g_free (d->tenant);
  g_free (d->username);
  g_free (d);
}

const char *
ua_mint_secret_kind (UaProfileType type)
{
  switch (type)
    {
    case UA_PROFILE_PAT: return UA_SECRET_PAT;
    case UA_PROFILE_API_KEY: return UA_SECRET_API_KEY;
    case UA_PROFILE_CLIENT_CREDENTIALS: return UA_SECRET_CLIENT_SECRET;
    case UA_PROFILE_PASSWORD: return UA_SECRET_PASSWORD;
    case UA_PROFILE_AUTHORIZATION_CODE:
    default: return NULL;
    }
}

static gboolean
setting_true (const UaProfile *profile, const char *key)
{
  const char *v = ua_profile_get (profile, key);

  return v != NULL && (g_ascii_strcasecmp (v, "true") == 0 || g_str_equal (v, "1")
                       || g_ascii_strcasecmp (v, "yes") == 0);
}

static void
fail (GTask *task, UaGrantRetry retry, GError *error)
{
  MintData *d = g_task_get_task_data (task);

  d->failure.retry = retry;
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
fail_profile (GTask *task, UaGrantRetry retry, GError *error)
{
  MintData *d = g_task_get_task_data (task);

  g_prefix_error (&error, "profile \"%s\": ", d->profile);
  fail (task, retry, error);
}

static void
succeed (GTask *task, UaToken *token)
{
  g_task_return_pointer (task, token, (GDestroyNotify) ua_token_free);
  g_object_unref (task);
}

static void
http_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  GTask *task = user_data;
  MintData *d = g_task_get_task_data (task);
  g_autoptr(UaHttpResponse) response = NULL;
  GError *error = NULL;
  UaToken *token;

  response = ua_http_perform_finish (res, &error);
  if (response == NULL)
    {
      fail_profile (task, UA_GRANT_RETRY_BACKOFF, error);
      return;
    }
  token = d->judge (response, d->profile, &d->failure, &error);
  if (token == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  succeed (task, token);
}

/* Sends @request (taken) if its URL passes the policy. */
static void
send_request (GTask *task, UaHttpRequest *request, Judge judge)
{
  MintData *d = g_task_get_task_data (task);
  GError *error = NULL;

  if (!ua_http_url_allowed (request->url, &error))
    {
      ua_http_request_free (request);
      fail_profile (task, UA_GRANT_RETRY_NEVER, error);
      return;
    }
  d->judge = judge;
  ua_http_perform_async (request, g_task_get_cancellable (task), http_done, task);
}

static char *
identity_base (const char *identity_url, const char *service_url, GError **error)
{
  if (identity_url != NULL)
    return g_strdup (identity_url);
  return ua_grant_default_identity_url (service_url, error);
}

static char *
strip_slashes (const char *url)
{
  size_t n = strlen (url);

  while (n > 0 && url[n - 1] == '/')
    n--;
  return g_strndup (url, n);
}

static void
mint_client_credentials (GTask *task, UaSecret *secret)
{
  MintData *d = g_task_get_task_data (task);
  g_autoptr(UaSecret) owned = secret;
  g_autofree char *base = NULL;
  g_autofree char *endpoint = NULL;
  GError *error = NULL;

  base = identity_base (d->identity_url, d->service_url, &error);
  if (base == NULL)
    {
      fail_profile (task, UA_GRANT_RETRY_NEVER, error);
      return;
    }
  endpoint = ua_grant_token_endpoint (base);
  send_request (task, ua_grant_client_credentials_request (endpoint, d->client_id,
                                                           owned, d->scopes),
                ua_grant_parse_token_response);
}

/* The legacy account server answers like an OAuth server, but its
 * refusals mean something else than for the other grants. */
static UaToken *
judge_api_key (const UaHttpResponse *response, const char *profile,
               UaGrantFailure *failure, GError **error)
{
  GError *inner = NULL;
  UaToken *token = ua_grant_parse_token_response (response, profile, failure, &inner);
  g_autofree char *code = NULL;

  if (token != NULL || !g_error_matches (inner, UA_ERROR, UA_ERR_REJECTED))
    {
      if (inner != NULL)
        g_propagate_error (error, inner);
      return token;
    }
  g_clear_error (&inner);
  code = ua_grant_error_code (response);
  g_set_error (error, UA_ERROR, UA_ERR_REJECTED,
               "profile \"%s\": the account server refused the API key (HTTP %ld%s%.64s); "
               "UiPath ended API key support in March 2025: move to \"uipauth add "
               "NAME --type client-credentials\" or a Personal Access Token",
               profile, response->status, code ? ", " : "", code ? code : "");
  return NULL;
}

static void
mint_api_key (GTask *task, UaSecret *secret)
{
  MintData *d = g_task_get_task_data (task);
  g_autoptr(UaSecret) owned = secret;
  g_autofree char *base = NULL;
  g_autofree char *endpoint = NULL;

  if (d->tenant == NULL)
    {
      fail_profile (task, UA_GRANT_RETRY_NEVER,
                    g_error_new (UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                                 "exchanging an API key needs the tenant name; "
                                 "add it with \"uipauth add %s --replace --tenant "
                                 "NAME ...\"", d->profile));
      return;
    }
  base = strip_slashes (d->identity_url ? d->identity_url : UA_GRANT_API_KEY_URL);
  endpoint = g_strconcat (base, "/oauth/token", NULL);
  send_request (task, ua_grant_api_key_request (endpoint, d->tenant, owned),
                judge_api_key);
}

static void
mint_password (GTask *task, UaSecret *secret)
{
  MintData *d = g_task_get_task_data (task);
  g_autoptr(UaSecret) owned = secret;
  g_autofree char *base = NULL;
  g_autofree char *endpoint = NULL;

  base = strip_slashes (d->service_url);
  endpoint = g_strconcat (base, "/api/account/authenticate", NULL);
  /* Standalone Orchestrator's first tenant is "Default". */
  send_request (task, ua_grant_password_request (endpoint,
                                                 d->tenant ? d->tenant : "Default",
                                                 d->username, owned),
                ua_grant_parse_password_response);
}

static void
secret_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  GTask *task = user_data;
  MintData *d = g_task_get_task_data (task);
  GError *error = NULL;
  UaSecret *secret = ua_keyring_lookup_finish (res, &error);

  if (error != NULL)
    {
      fail (task, UA_GRANT_RETRY_BACKOFF, error);
      return;
    }
  if (secret == NULL)
    {
      fail (task, UA_GRANT_RETRY_NEVER,
            g_error_new (UA_ERROR, UA_ERR_KEYRING,
                         "profile \"%s\" has no secret in the keyring; store it "
                         "again with \"uipauth add %s --replace --type %s ...\"",
                         d->profile, d->profile, ua_profile_type_to_string (d->type)));
      return;
    }

  switch (d->type)
    {
    case UA_PROFILE_CLIENT_CREDENTIALS:
      mint_client_credentials (task, secret);
      return;
    case UA_PROFILE_PASSWORD:
      mint_password (task, secret);
      return;
    case UA_PROFILE_API_KEY:
      if (d->exchange)
        {
          mint_api_key (task, secret);
          return;
        }
      G_GNUC_FALLTHROUGH;
    case UA_PROFILE_PAT:
    default:
      /* Served as stored: the secret is the bearer token. */
      succeed (task, ua_token_new (secret, "Bearer", NULL, 0));
      return;
    }
}

static MintData *
mint_data_new (const UaProfile *profile)
{
  MintData *d = g_new0 (MintData, 1);

  d->profile = g_strdup (profile->name);
  d->type = profile->type;
  d->client_id = g_strdup (ua_profile_get (profile, "client_id"));
  d->scopes = ua_profile_scopes_normalized (profile);
  d->identity_url = g_strdup (ua_profile_get (profile, "identity_url"));
  d->service_url = g_strdup (ua_profile_get (profile, "url"));
  d->tenant = g_strdup (ua_profile_get (profile, "tenant"));
  d->username = g_strdup (ua_profile_get (profile, "username"));
  d->exchange = setting_true (profile, "exchange");
  d->allow_password = setting_true (profile, "allow_password");
  return d;
}

void
ua_mint_async (const UaProfile *profile, GCancellable *cancellable,
               GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  MintData *d = mint_data_new (profile);

  g_task_set_task_data (task, d, (GDestroyNotify) mint_data_free);
  if (d->type == UA_PROFILE_AUTHORIZATION_CODE)
    {
      ua_refresh_start (task, d->profile, d->client_id, d->identity_url,
                        d->service_url, &d->failure);
      return;
    }
  if (d->type == UA_PROFILE_PASSWORD && !d->allow_password)
    {
      fail (task, UA_GRANT_RETRY_NEVER,
            g_error_new (UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                         "profile \"%s\" is a password profile, which is refused "
                         "unless it says allow_password=true; prefer a Personal "
                         "Access Token, or opt in with \"uipauth add %s --replace "
                         "--type password --allow-password ...\"",
                         d->profile, d->profile));
      return;
    }
  ua_keyring_lookup_async (d->profile, ua_mint_secret_kind (d->type), cancellable,
                           secret_done, task);
}

UaToken *
ua_mint_finish (GAsyncResult *result, UaGrantFailure *failure, GError **error)
{
  MintData *d = g_task_get_task_data (G_TASK (result));

  if (failure != NULL)
    *failure = d->failure;
  return g_task_propagate_pointer (G_TASK (result), error);
}
