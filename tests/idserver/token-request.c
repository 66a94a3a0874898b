/* token-request.c: form and client-authentication parsing.
 *
 * Client credentials may come in the form (client_secret_post, what
 * UiPath documents) or as HTTP Basic (client_secret_basic, RFC 6749
 * 2.3.1); the agent may use either, so both are accepted.
 */
#include "token-request.h"

#include <string.h>

#include "clients.h"

static GHashTable *
form_decode (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  /* soup_form_decode() wants a C string; the body is not terminated. */
  g_autofree char *text = g_strndup (data != NULL ? data : "", size);

  return soup_form_decode (text);
}

static gboolean
is_form_encoded (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);

  return type != NULL && g_ascii_strcasecmp (type, "application/x-www-form-urlencoded") == 0;
}

/* RFC 6749 2.3.1 form-encodes id and secret before base64.  Decode the
 * way IdentityServer does (Uri.UnescapeDataString after '+' → space):
 * valid %XX escapes are decoded, anything else is kept as it is.  So an
 * agent that puts a raw '+' in Basic fails here as it would for real. */
static char *
form_unescape (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '+')
        g_string_append_c (out, ' ');
      else if (*p == '%' && g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]))
        {
          g_string_append_c (out, g_ascii_xdigit_value (p[1]) * 16 + g_ascii_xdigit_value (p[2]));
          p += 2;
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static gboolean
parse_basic (SoupServerMessage *msg,
             char             **id,
             char             **secret)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *value = soup_message_headers_get_one (headers, "Authorization");
  gsize length;
  g_autofree guchar *raw = NULL;
  g_autofree char *pair = NULL;
  char *colon;

  if (value == NULL || g_ascii_strncasecmp (value, "Basic ", 6) != 0)
    return FALSE;
  raw = g_base64_decode (value + 6, &length);
  pair = g_strndup ((const char *) raw, length);
  colon = strchr (pair, ':');
  if (colon == NULL)
    return FALSE;

  *colon = '\0';
  *id = form_unescape (pair);
  *secret = form_unescape (colon + 1);
  return TRUE;
}

IdTokenRequest *
id_token_request_parse (SoupServerMessage *msg)
{
  IdTokenRequest *req = g_new0 (IdTokenRequest, 1);

  req->form_encoded = is_form_encoded (msg);
  req->form = req->form_encoded
              ? form_decode (msg)
              : g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  req->grant_type = id_token_request_get (req, "grant_type");

  /* Basic wins over form fields, as in IdentityServer's secret parsers. */
  if (parse_basic (msg, &req->client_id, &req->client_secret))
    req->auth_method = "basic";
  else
    {
      req->client_id = g_strdup (id_token_request_get (req, "client_id"));
      req->client_secret = g_strdup (id_token_request_get (req, "client_secret"));
      req->auth_method = req->client_secret != NULL ? "post" : "none";
    }
  return req;
}

gboolean
id_token_request_client_ok (const IdTokenRequest *req,
                            GHashTable           *clients)
{
  IdClient *client = id_clients_lookup (clients, req->client_id);

  if (req->client_id == NULL)
    return FALSE;
  return client == NULL || g_strcmp0 (client->secret, req->client_secret) == 0;
}

/* Empty fields count as missing, as they do for IdentityServer. */
const char *
id_token_request_get (const IdTokenRequest *req,
                      const char           *name)
{
  const char *value = g_hash_table_lookup (req->form, name);

  return value != NULL && *value != '\0' ? value : NULL;
}

void
id_token_request_free (IdTokenRequest *req)
{
  if (req == NULL)
    return;
  g_hash_table_unref (req->form);
  g_free (req->client_id);
  g_free (req->client_secret);
  g_free (req);
}
