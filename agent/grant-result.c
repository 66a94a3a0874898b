#include "config.h"

#include "grant.h"

#include <gio/gio.h>

UaGrantResult *
ua_grant_result_judge (const UaHttpResponse *response, const char *profile,
                       UaGrantJudge judge)
{
  UaGrantResult *r = g_new0 (UaGrantResult, 1);

  r->failure.retry = UA_GRANT_RETRY_BACKOFF;
  r->token = judge (response, profile, &r->failure, &r->error);
  r->refresh_token = ua_grant_take_refresh_token (response);
  if (r->token == NULL)
    r->error_code = ua_grant_error_code (response);
  return r;
}

UaGrantResult *
ua_grant_result_new_token (UaToken *token)
{
  UaGrantResult *r = g_new0 (UaGrantResult, 1);

  r->token = token;
  return r;
}

UaGrantResult *
ua_grant_result_new_error (UaGrantRetry retry, GError *error)
{
  UaGrantResult *r = g_new0 (UaGrantResult, 1);

  r->failure.retry = retry;
  r->error = error;
  return r;
}

void
ua_grant_result_fail (UaGrantResult *result, UaGrantRetry retry, GError *error)
{
  g_clear_pointer (&result->token, ua_token_free);
  g_clear_pointer (&result->refresh_token, ua_secret_free);
  g_clear_error (&result->error);
  result->failure.retry = retry;
  result->failure.retry_after = 0;
  result->error = error;
}

void
ua_grant_result_free (UaGrantResult *result)
{
  if (result == NULL)
    return;
  ua_token_free (result->token);
  ua_secret_free (result->refresh_token);
  g_free (result->error_code);
  g_clear_error (&result->error);
  g_free (result);
}

UaGrantResult *
ua_grant_result_propagate (GAsyncResult *result)
{
  GError *error = NULL;
  UaGrantResult *r = g_task_propagate_pointer (G_TASK (result), &error);

  return r != NULL ? r : ua_grant_result_new_error (UA_GRANT_RETRY_BACKOFF, error);
}

void
ua_grant_result_return (GTask *task, UaGrantResult *result)
{
  g_task_return_pointer (task, result, (GDestroyNotify) ua_grant_result_free);
  g_object_unref (task);
}

void
ua_grant_result_return_error (GTask *task, UaGrantRetry retry, GError *error)
{
  ua_grant_result_return (task, ua_grant_result_new_error (retry, error));
}
