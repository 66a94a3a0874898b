/* auth.c: authorization codes and refresh-token families. */
#include "auth.h"

#include <string.h>

/* Codes live a minute, as IdentityServer's default. */
#define CODE_LIFETIME_S 60

typedef struct {
  char *client_id;
  char *redirect_uri;
  char *challenge;
  char *scope;
  gint64 expires_at;   /* monotonic */
} IdCode;

typedef struct {
  char *family;
  char *client_id;
  char *scope;
  gboolean used;
} IdRefresh;

struct _IdAuth {
  GHashTable *codes;     /* code → IdCode */
  GHashTable *refresh;   /* token → IdRefresh */
  GHashTable *revoked;   /* set of revoked families */
  guint64 serial;
};

static void
code_free (IdCode *code)
{
  g_free (code->client_id);
  g_free (code->redirect_uri);
  g_free (code->challenge);
  g_free (code->scope);
  g_free (code);
}

static void
refresh_free (IdRefresh *r)
{
  g_free (r->family);
  g_free (r->client_id);
  g_free (r->scope);
  g_free (r);
}

IdAuth *
id_auth_new (void)
{
  IdAuth *auth = g_new0 (IdAuth, 1);

  auth->codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) code_free);
  auth->refresh = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) refresh_free);
  auth->revoked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return auth;
}

void
id_auth_free (IdAuth *auth)
{
  if (auth == NULL)
    return;
  g_hash_table_unref (auth->codes);
  g_hash_table_unref (auth->refresh);
  g_hash_table_unref (auth->revoked);
  g_free (auth);
}

static char *
random_name (const char *prefix, guint64 serial)
{
  return g_strdup_printf ("%s-%" G_GUINT64_FORMAT "-%08x%08x%08x", prefix, serial,
                          g_random_int (), g_random_int (), g_random_int ());
}

const char *
id_auth_code_new (IdAuth     *auth,
                  const char *client_id,
                  const char *redirect_uri,
                  const char *challenge,
                  const char *scope)
{
  IdCode *code = g_new0 (IdCode, 1);
  char *name = random_name ("code", ++auth->serial);

  code->client_id = g_strdup (client_id);
  code->redirect_uri = g_strdup (redirect_uri);
  code->challenge = g_strdup (challenge);
  code->scope = g_strdup (scope);
  code->expires_at = g_get_monotonic_time () + CODE_LIFETIME_S * G_USEC_PER_SEC;
  g_hash_table_insert (auth->codes, name, code);
  return name;
}

/* BASE64URL(SHA-256(verifier)) without padding (RFC 7636 4.6). */
static char *
s256 (const char *verifier)
{
  guint8 digest[32];
  gsize len = sizeof digest;
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  char *b64;

  g_checksum_update (sum, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (sum, digest, &len);
  b64 = g_base64_encode (digest, len);
  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');
  b64[strcspn (b64, "=")] = '\0';
  return b64;
}

gboolean
id_auth_code_redeem (IdAuth      *auth,
                     const char  *code,
                     const char  *client_id,
                     const char  *redirect_uri,
                     const char  *verifier,
                     char       **scope)
{
  gpointer key = NULL, value = NULL;
  IdCode *c;
  g_autofree char *challenge = NULL;
  gboolean ok;

  if (code == NULL || !g_hash_table_steal_extended (auth->codes, code, &key, &value))
    return FALSE;
  c = value;
  challenge = verifier != NULL ? s256 (verifier) : NULL;
  ok = g_get_monotonic_time () < c->expires_at
       && g_strcmp0 (c->client_id, client_id) == 0
       && g_strcmp0 (c->redirect_uri, redirect_uri) == 0
       && verifier != NULL && strlen (verifier) >= 43 && strlen (verifier) <= 128
       && g_strcmp0 (c->challenge, challenge) == 0;
  if (ok)
    *scope = g_strdup (c->scope);
  g_free (key);
  code_free (c);
  return ok;
}

const char *
id_auth_refresh_new (IdAuth     *auth,
                     const char *family,
                     const char *client_id,
                     const char *scope)
{
  IdRefresh *r = g_new0 (IdRefresh, 1);
  char *name = random_name ("rt", ++auth->serial);

  r->family = family ? g_strdup (family) : random_name ("family", auth->serial);
  r->client_id = g_strdup (client_id);
  r->scope = g_strdup (scope);
  g_hash_table_insert (auth->refresh, name, r);
  return name;
}

gboolean
id_auth_refresh_revoke (IdAuth     *auth,
                        const char *token,
                        const char *client_id)
{
  IdRefresh *r = token ? g_hash_table_lookup (auth->refresh, token) : NULL;

  if (r == NULL || g_strcmp0 (r->client_id, client_id) != 0
      || g_hash_table_contains (auth->revoked, r->family))
    return FALSE;
  g_hash_table_add (auth->revoked, g_strdup (r->family));
  return TRUE;
}

IdRefreshState
id_auth_refresh_use (IdAuth      *auth,
                     const char  *token,
                     const char  *client_id,
                     char       **family,
                     char       **scope)
{
  IdRefresh *r = token ? g_hash_table_lookup (auth->refresh, token) : NULL;

  if (r == NULL || g_strcmp0 (r->client_id, client_id) != 0)
    return ID_REFRESH_UNKNOWN;
  if (g_hash_table_contains (auth->revoked, r->family))
    return ID_REFRESH_REVOKED;
  if (r->used)
    {
      g_hash_table_add (auth->revoked, g_strdup (r->family));
      return ID_REFRESH_REUSED;
    }
  r->used = TRUE;
  *family = g_strdup (r->family);
  *scope = g_strdup (r->scope);
  return ID_REFRESH_OK;
}
