/* tokens.c: minting and checking access tokens.
 *
 * Tokens are opaque on purpose: the agent must treat them as such, so
 * nothing in them (no JWT claims) may be relied upon.  Expiry uses the
 * monotonic clock so that tests are immune to wall-clock jumps.
 */
#include "tokens.h"

typedef struct {
  char *client_id;   /* kept for later grants (refresh, introspection) */
  char *scope;
  gint64 expires_at; /* g_get_monotonic_time () microseconds */
} IdIssued;

struct _IdTokens {
  GHashTable *issued; /* token → IdIssued */
  guint64 serial;
};

static void
issued_free (IdIssued *issued)
{
  g_free (issued->client_id);
  g_free (issued->scope);
  g_free (issued);
}

IdTokens *
id_tokens_new (void)
{
  IdTokens *tokens = g_new0 (IdTokens, 1);

  tokens->issued = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) issued_free);
  return tokens;
}

void
id_tokens_free (IdTokens *tokens)
{
  if (tokens == NULL)
    return;
  g_hash_table_unref (tokens->issued);
  g_free (tokens);
}

/* The serial makes tokens unique even if the random part collided; the
 * random part makes them unguessable enough that a test cannot pass by
 * accident with a made-up token. */
static char *
token_new (guint64 serial)
{
  return g_strdup_printf ("tok-%" G_GUINT64_FORMAT "-%08x%08x%08x%08x", serial,
                          g_random_int (), g_random_int (),
                          g_random_int (), g_random_int ());
}

const char *
id_tokens_mint (IdTokens   *tokens,
                const char *client_id,
                const char *scope,
                gint64      lifetime_s)
{
  IdIssued *issued = g_new0 (IdIssued, 1);
  char *token = token_new (++tokens->serial);

  issued->client_id = g_strdup (client_id);
  issued->scope = g_strdup (scope);
  issued->expires_at = g_get_monotonic_time () + lifetime_s * G_USEC_PER_SEC;
  g_hash_table_insert (tokens->issued, token, issued);
  return token;
}

IdTokenState
id_tokens_check (IdTokens   *tokens,
                 const char *token)
{
  IdIssued *issued = g_hash_table_lookup (tokens->issued, token);

  if (issued == NULL)
    return ID_TOKEN_UNKNOWN;
  if (g_get_monotonic_time () >= issued->expires_at)
    return ID_TOKEN_EXPIRED;
  return ID_TOKEN_VALID;
}
