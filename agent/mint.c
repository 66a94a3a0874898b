#include "config.h"

#include "mint.h"

#include "http.h"
#include "keyring.h"
#include "ua-error.h"

typedef struct {
  char *profile;
  UaProfileType type;
  char *client_id;
  char *scopes;
  char *identity_url;
  char *service_url;
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

static void
fail (GTask *task, UaGrantRetry retry, GError *error)
{
  MintData *d = g_task_get_task_data (task);

  d->failure.retry = retry;
  g_task_return_error (task, error);
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
      g_prefix_error (&error, "profile \"%s\": ", d->profile);
      fail (task, UA_GRANT_RETRY_BACKOFF, error);
      return;
    }
  token = ua_grant_parse_token_response (response, d->profile, &d->failure, &error);
  if (token == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_task_return_pointer (task, token, (GDestroyNotify) ua_token_free);
  g_object_unref (task);
}

static char *
identity_base (MintData *d, GError **error)
{
  if (d->identity_url != NULL)
    return g_strdup (d->identity_url);
  return ua_grant_default_identity_url (d->service_url, error);
}

static void
mint_client_credentials (GTask *task, UaSecret *secret)
{
  MintData *d = g_task_get_task_data (task);
  g_autoptr(UaSecret) owned = secret;
  g_autofree char *base = NULL;
  g_autofree char *endpoint = NULL;
  GError *error = NULL;
  UaHttpRequest *request;

  base = identity_base (d, &error);
  if (base == NULL)
    {
      g_prefix_error (&error, "profile \"%s\": ", d->profile);
      fail (task, UA_GRANT_RETRY_NEVER, error);
      return;
    }
  endpoint = ua_grant_token_endpoint (base);
  if (!ua_http_url_allowed (endpoint, &error))
    {
      g_prefix_error (&error, "profile \"%s\": ", d->profile);
      fail (task, UA_GRANT_RETRY_NEVER, error);
      return;
    }
  request = ua_grant_client_credentials_request (endpoint, d->client_id, owned,
                                                 d->scopes);
  ua_http_perform_async (request, g_task_get_cancellable (task), http_done, task);
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
    case UA_PROFILE_PAT:
    case UA_PROFILE_API_KEY:
    default:
      /* Served as stored: the secret is the bearer token. */
      g_task_return_pointer (task, ua_token_new (secret, "Bearer", NULL, 0),
                             (GDestroyNotify) ua_token_free);
      g_object_unref (task);
      return;
    }
}

void
ua_mint_async (const UaProfile *profile, GCancellable *cancellable,
               GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  MintData *d = g_new0 (MintData, 1);
  const char *kind = ua_mint_secret_kind (profile->type);

  d->profile = g_strdup (profile->name);
  d->type = profile->type;
  d->client_id = g_strdup (ua_profile_get (profile, "client_id"));
  d->scopes = ua_profile_scopes_normalized (profile);
  d->identity_url = g_strdup (ua_profile_get (profile, "identity_url"));
  d->service_url = g_strdup (ua_profile_get (profile, "url"));
  g_task_set_task_data (task, d, (GDestroyNotify) mint_data_free);

  if (kind == NULL)
    {
      fail (task, UA_GRANT_RETRY_NEVER,
            g_error_new (UA_ERROR, UA_ERR_LOGIN_REQUIRED,
                         "profile \"%s\" (type %s) cannot mint tokens yet; "
                         "run \"uipauth login %s\"", d->profile,
                         ua_profile_type_to_string (d->type), d->profile));
      return;
    }
  ua_keyring_lookup_async (d->profile, kind, cancellable, secret_done, task);
}

UaToken *
ua_mint_finish (GAsyncResult *result, UaGrantFailure *failure, GError **error)
{
  MintData *d = g_task_get_task_data (G_TASK (result));

  if (failure != NULL)
    *failure = d->failure;
  return g_task_propagate_pointer (G_TASK (result), error);
}
