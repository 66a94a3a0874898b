#include "config.h"

#include "token.h"

UaToken *
ua_token_new (UaSecret *value, const char *token_type, const char *scope,
              gint64 lifetime_s)
{
  UaToken *token = g_new0 (UaToken, 1);

  token->value = value;
  token->token_type = g_strdup (token_type ? token_type : "Bearer");
  token->scope = g_strdup (scope);
  token->issued_mono = g_get_monotonic_time ();
  if (lifetime_s > 0)
    {
      token->expires_mono = token->issued_mono + lifetime_s * G_USEC_PER_SEC;
      token->expires_wall = g_get_real_time () / G_USEC_PER_SEC + lifetime_s;
    }
  return token;
}

void
ua_token_free (UaToken *token)
{
  if (token == NULL)
    return;
  ua_secret_free (token->value);
  g_free (token->token_type);
  g_free (token->scope);
  g_free (token);
}

gint64
ua_token_remaining (const UaToken *token, gint64 now_mono)
{
  if (token->expires_mono == 0)
    return G_MAXINT64;
  return (token->expires_mono - now_mono) / G_USEC_PER_SEC;
}

UaToken *
ua_token_copy (const UaToken *t)
{
  UaToken *copy = g_new0 (UaToken, 1);

  copy->value = ua_secret_copy (t->value);
  copy->token_type = g_strdup (t->token_type);
  copy->scope = g_strdup (t->scope);
  copy->expires_mono = t->expires_mono;
  copy->expires_wall = t->expires_wall;
  copy->issued_mono = t->issued_mono;
  return copy;
}
