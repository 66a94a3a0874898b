#include "config.h"

#include "logout.h"

#include "http.h"
#include "login.h"
#include "reply.h"
#include "ua-error.h"

typedef struct {
  UaCredential *credential;
  UaSecret *token;         /* the refresh token to revoke */
  UaSecret *client_secret; /* a confidential app's, or NULL */
  guint signins;           /* the credential's once signed out */
  UaLogoutResult *result;
} Logout;

static void
logout_free (Logout *l)
{
  l->credential->signing_out--;
  ua_credential_unref (l->credential);
  ua_secret_free (l->token);
  ua_secret_free (l->client_secret);
  g_clear_pointer (&l->result, ua_logout_result_free);
  g_free (l);
}

void
ua_logout_result_free (UaLogoutResult *result)
{
  if (result == NULL)
    return;
  g_clear_error (&result->revoke_error);
  g_free (result);
}

static const char *
name_of (GTask *task)
{
  return ((Logout *) g_task_get_task_data (task))->credential->profile->name;
}

static void
finish (GTask *task, GError *error)
{
  Logout *l = g_task_get_task_data (task);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&l->result),
                           (GDestroyNotify) ua_logout_result_free);
  g_object_unref (task);
}

static void
cleared (GObject *source, GAsyncResult *res, gpointer data)
{
  GTask *task = data;
  Logout *l = g_task_get_task_data (task);
  GError *error = NULL;

  if (!ua_store_clear_finish (res, &error))
    g_prefix_error (&error, "profile \"%s\": its tokens are forgotten in memory%s, "
                    "but its refresh token could not be removed from the "
                    "keyring: ", name_of (task),
                    l->result->revoked ? " and revoked at the identity server" : "");
  else
    g_message ("profile %s signed out (refresh token %s)", name_of (task),
               l->result->revoked ? "revoked" : "not revoked");
  finish (task, error);
}

/* Revoked or not, the stored refresh token goes; unless a login stored
 * a new one meanwhile, or the profile went (its successor's is not ours
 * to clear). */
static void
clear_stored (GTask *task)
{
  Logout *l = g_task_get_task_data (task);
  UaCredential *c = l->credential;

  if (c->retired || c->signins != l->signins)
    {
      finish (task, NULL);
      return;
    }
  ua_store_clear_async (c->store, c->profile->name, UA_SECRET_REFRESH_TOKEN, NULL,
                        cleared, task);
}

static void
revocation_answered (GObject *source, GAsyncResult *res, gpointer data)
{
  GTask *task = data;
  Logout *l = g_task_get_task_data (task);
  g_autoptr(UaHttpResponse) response = NULL;
  GError *error = NULL;

  response = ua_http_perform_finish (res, &error);
  if (response == NULL)
    g_prefix_error (&error, "profile \"%s\": the revocation failed: ", name_of (task));
  else
    l->result->revoked = ua_grant_parse_revocation_response (response, name_of (task),
                                                             &error);
  l->result->revoke_error = error;
  if (error != NULL)
    g_message ("profile %s: the refresh token was not revoked: %s", name_of (task),
               ua_error_to_string (ua_error_code (error)));
  clear_stored (task);
}

static void
send_revocation (GTask *task)
{
  Logout *l = g_task_get_task_data (task);
  const UaProfile *p = l->credential->profile;
  UaGrantClient client = ua_credential_grant_client (l->credential, l->client_secret);
  g_autofree char *endpoint = NULL;
  UaHttpRequest *request;
  GError *error = NULL;

  if (!ua_profile_validate (p, &error)
      || !ua_http_url_allowed (endpoint = ua_grant_revocation_endpoint (p->identity_base),
                               &error))
    {
      l->result->revoke_error = error;
      clear_stored (task);
      return;
    }
  request = ua_grant_revocation_request (endpoint, &client, l->token);
  request->connect_timeout_ms = UA_LOGOUT_CONNECT_TIMEOUT_MS;
  request->total_timeout_ms = UA_LOGOUT_REVOKE_TIMEOUT_MS;
  ua_http_perform_async (request, NULL, revocation_answered, task);
}

static void
client_secret_read (GObject *source, GAsyncResult *res, gpointer data)
{
  GTask *task = data;
  Logout *l = g_task_get_task_data (task);
  GError *error = NULL;

  l->client_secret = ua_credential_client_secret_finish (res, &error);
  if (error == NULL)
    {
      send_revocation (task);
      return;
    }
  g_prefix_error (&error, "the refresh token was not revoked: ");
  l->result->revoke_error = error;
  clear_stored (task);
}

static void
revoke_token (GTask *task)
{
  Logout *l = g_task_get_task_data (task);

  l->result->signed_in = TRUE;
  ua_credential_client_secret_async (l->credential, client_secret_read, task);
}

static void
stored_token_read (GObject *source, GAsyncResult *res, gpointer data)
{
  GTask *task = data;
  Logout *l = g_task_get_task_data (task);
  GError *error = NULL;

  l->token = ua_store_lookup_finish (res, &error);
  if (error != NULL)
    {
      g_prefix_error (&error, "profile \"%s\": its tokens are forgotten in memory, "
                      "but its sign-in is neither revoked nor removed from the "
                      "keyring; run \"uipauth logout %s\" again once it can be "
                      "read: ", name_of (task), name_of (task));
      finish (task, error);
    }
  else if (l->token == NULL)
    finish (task, NULL); /* not signed in: nothing to revoke or clear */
  else
    revoke_token (task);
}

void
ua_logout_async (UaCredential *c, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, NULL, callback, user_data);
  Logout *l = g_new0 (Logout, 1);

  l->credential = ua_credential_ref (c);
  l->result = g_new0 (UaLogoutResult, 1);
  c->signing_out++;
  g_task_set_task_data (task, l, (GDestroyNotify) logout_free);
  if (c->login != NULL)
    ua_login_cancel (c->login, g_error_new (UA_ERROR, UA_ERR_LOGIN_REQUIRED,
                                            "profile \"%s\" was signed out during "
                                            "the sign-in", c->profile->name));
  /* An unsaved rotation is the newest refresh token there is. */
  if (c->held != NULL)
    l->token = ua_secret_copy (c->held);
  ua_credential_sign_out (c);
  l->signins = c->signins;
  if (l->token != NULL)
    revoke_token (task);
  else
    ua_store_lookup_async (c->store, c->profile->name, UA_SECRET_REFRESH_TOKEN, NULL,
                           stored_token_read, task);
}

UaLogoutResult *
ua_logout_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ua_logout_result_reply (const UaLogoutResult *result, UaMsg *reply)
{
  g_autofree char *warning = NULL;

  ua_reply_add_int (reply, "signed_in", result->signed_in);
  if (!result->signed_in)
    return;
  ua_reply_add_int (reply, "revoked", result->revoked);
  if (result->revoke_error == NULL)
    return;
  warning = g_strdup_printf ("%s; the sign-in is forgotten here anyway, but the "
                             "identity server may accept its refresh token until "
                             "it expires", result->revoke_error->message);
  ua_reply_add (reply, "warning", warning);
}
