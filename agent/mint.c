#include "config.h"

#include "mint.h"

#include <string.h>

#include "http.h"
#include "refresh.h"
#include "ua-error.h"

/* One mint; the task's data. */
typedef struct {
  UaCredential *credential;
  UaSecret *sent;          /* a file's secret as sent, until the answer */
  UaGrantResult *refused;  /* its rejection, while the file is read again */
  gboolean reread;         /* the file was read again: once per mint */
} Mint;

static void
mint_free (Mint *m)
{
  ua_credential_unref (m->credential);
  ua_secret_free (m->sent);
  ua_grant_result_free (m->refused);
  g_free (m);
}

static Mint *
mint_of (GTask *task)
{
  return g_task_get_task_data (task);
}

static const UaProfile *
profile_of (GTask *task)
{
  return mint_of (task)->credential->profile;
}


static void
fail_profile (GTask *task, UaGrantRetry retry, GError *error)
{
  g_prefix_error (&error, "profile \"%s\": ", profile_of (task)->name);
  ua_grant_result_return_error (task, retry, error);
}

typedef struct {
  GTask *task;
  UaGrantJudge judge;
} Sent;

static void answered (GTask *task, UaGrantResult *result);

static void
http_done (GObject *source, GAsyncResult *res, gpointer data)
{
  Sent *sent = data;
  GTask *task = sent->task;
  g_autoptr(UaHttpResponse) response = NULL;
  GError *error = NULL;

  response = ua_http_perform_finish (res, &error);
  if (response == NULL)
    fail_profile (task, UA_GRANT_RETRY_BACKOFF, error);
  else
    answered (task, ua_grant_result_judge (response, profile_of (task)->name,
                                           sent->judge));
  g_free (sent);
}

/* Sends @request (taken) if its URL passes the policy. */
static void
send_request (GTask *task, UaHttpRequest *request, UaGrantJudge judge)
{
  GError *error = NULL;
  Sent *sent;

  if (!ua_http_url_allowed (request->url, &error))
    {
      ua_http_request_free (request);
      fail_profile (task, UA_GRANT_RETRY_NEVER, error);
      return;
    }
  sent = g_new0 (Sent, 1);
  sent->task = task;
  sent->judge = judge;
  ua_http_perform_async (request, g_task_get_cancellable (task), http_done, sent);
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
mint_api_key (GTask *task, const UaSecret *secret)
{
  const UaProfile *p = profile_of (task);

  if (p->tenant == NULL)
    {
      fail_profile (task, UA_GRANT_RETRY_NEVER,
                    g_error_new (UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                                 "exchanging an API key needs the tenant name; "
                                 "add it with \"uipauth add %s --replace --tenant "
                                 "NAME ...\"", p->name));
      return;
    }
  send_request (task, ua_grant_api_key_request (p->token_endpoint, p->tenant, secret),
                judge_api_key);
}

/* The kind's grant, with the secret read from the store (taken). */
static void
mint_with_secret (GTask *task, UaSecret *secret)
{
  g_autoptr(UaSecret) owned = secret;
  const UaProfile *p = profile_of (task);
  Mint *m = mint_of (task);
  UaGrantClient client = { p->client_id, owned, p->token_auth_basic };

  /* Kept to tell, if it is refused, whether the file has a new one. */
  if (m->credential->file != NULL)
    {
      g_clear_pointer (&m->sent, ua_secret_free);
      m->sent = ua_secret_copy (owned);
    }

  switch (p->type)
    {
    case UA_KIND_CLIENT_CREDENTIALS:
      send_request (task, ua_grant_client_credentials_request (p->token_endpoint,
                                                               &client, p->scopes),
                    ua_grant_parse_token_response);
      return;
    case UA_KIND_PASSWORD:
      /* Standalone Orchestrator's first tenant is "Default". */
      send_request (task, ua_grant_password_request (p->token_endpoint,
                                                     p->tenant ? p->tenant : "Default",
                                                     p->username, owned),
                    ua_grant_parse_password_response);
      return;
    case UA_KIND_API_KEY:
      if (p->exchange)
        {
          mint_api_key (task, owned);
          return;
        }
      G_GNUC_FALLTHROUGH;
    case UA_KIND_PAT:
    default:
      /* Served as stored: the secret is the bearer token. */
      ua_grant_result_return (task, ua_grant_result_new_token (ua_token_new (g_steal_pointer (&owned),
                                                             "Bearer", NULL, 0)));
      return;
    }
}

static gboolean
secret_equal (const UaSecret *a, const UaSecret *b)
{
  return ua_secret_len (a) == ua_secret_len (b)
         && memcmp (ua_secret_get (a), ua_secret_get (b), ua_secret_len (a)) == 0;
}

/* The rejection of a file's secret says where the secret came from:
 * the grant's advice is for the keyring. */
static void
finish_refused (GTask *task, UaGrantResult *result)
{
  GError *why = result->error;
  const UaProfile *p = profile_of (task);

  if (p->secret_file != NULL)
    {
      result->error = g_error_new (why->domain, why->code, "%s (its secret "
                                   "is read from %s: put the right one there; "
                                   "the agent reads it again once it changes)",
                                   why->message, p->secret_file);
      g_error_free (why);
    }
  ua_grant_result_return (task, result);
}

/* The file after a rejection: a new secret is tried once; the same one,
 * or none, gets the rejection. */
static void
reread (GObject *source, GAsyncResult *res, gpointer user_data)
{
  GTask *task = user_data;
  Mint *m = mint_of (task);
  g_autoptr(GError) error = NULL;
  UaSecret *secret = ua_store_lookup_finish (res, &error);

  if (secret == NULL || secret_equal (secret, m->sent))
    {
      ua_secret_free (secret);
      finish_refused (task, g_steal_pointer (&m->refused));
      return;
    }
  g_message ("profile %s: the server refused the secret, and %s has a new "
             "one; trying that", profile_of (task)->name,
             profile_of (task)->secret_file);
  g_clear_pointer (&m->refused, ua_grant_result_free);
  mint_with_secret (task, secret);
}

/* A secret from a file may have been replaced while the server judged
 * it: before a rejection is answered (and held), the file is read again,
 * once per mint. */
static void
answered (GTask *task, UaGrantResult *result)
{
  Mint *m = mint_of (task);

  if (!g_error_matches (result->error, UA_ERROR, UA_ERR_REJECTED))
    ua_grant_result_return (task, result);
  else if (m->sent == NULL || m->reread)
    finish_refused (task, result);
  else
    {
      m->reread = TRUE;
      m->refused = result;
      ua_store_lookup_async (m->credential->file, profile_of (task)->name,
                             profile_of (task)->kind->secret,
                             g_task_get_cancellable (task), reread, task);
    }
}

static void
secret_read (GObject *source, GAsyncResult *res, gpointer user_data)
{
  GTask *task = user_data;
  const UaProfile *p = profile_of (task);
  GError *error = NULL;
  UaSecret *secret = ua_store_lookup_finish (res, &error);

  if (error != NULL)
    ua_grant_result_return_error (task, UA_GRANT_RETRY_BACKOFF, error);
  else if (secret == NULL)
    ua_grant_result_return_error (task, UA_GRANT_RETRY_NEVER,
          g_error_new (UA_ERROR, UA_ERR_KEYRING,
                       "profile \"%s\" has no secret in the keyring; store it "
                       "again with \"uipauth add %s --replace --type %s ...\"",
                       p->name, p->name, p->kind->name));
  else
    mint_with_secret (task, secret);
}

static void
refreshed (GObject *source, GAsyncResult *res, gpointer user_data)
{
  ua_grant_result_return (user_data, ua_refresh_finish (res));
}

void
ua_mint_async (gpointer credential, GCancellable *cancellable,
               GAsyncReadyCallback callback, gpointer user_data)
{
  UaCredential *c = credential;
  const UaProfile *p = c->profile;
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Mint *m = g_new0 (Mint, 1);

  m->credential = ua_credential_ref (c);
  g_task_set_task_data (task, m, (GDestroyNotify) mint_free);
  if (p->invalid != NULL)
    ua_grant_result_return_error (task, UA_GRANT_RETRY_NEVER, g_error_copy (p->invalid));
  else if (p->type == UA_KIND_AUTHORIZATION_CODE)
    ua_refresh_async (c, cancellable, refreshed, task);
  else
    ua_store_lookup_async (ua_credential_secret_store (c), p->name, p->kind->secret,
                           cancellable, secret_read, task);
}

UaGrantResult *
ua_mint_finish (GAsyncResult *result)
{
  return ua_grant_result_propagate (result);
}
