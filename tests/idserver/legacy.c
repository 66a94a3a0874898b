/* legacy.c: the API key exchange and the password endpoint. */
#include "legacy.h"

#include "reply.h"

static JsonObject *
json_body (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  JsonNode *root;

  if (!json_parser_load_from_data (parser, data != NULL ? data : "", size, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

static const char *
member (JsonObject *object,
        const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
is_json (SoupServerMessage *msg)
{
  const char *type = soup_message_headers_get_content_type (
    soup_server_message_get_request_headers (msg), NULL);

  return type != NULL && g_ascii_strcasecmp (type, "application/json") == 0;
}

void
id_legacy_exchange (IdServer          *srv,
                    SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = is_json (msg) ? json_body (msg) : NULL;
  const char *tenant = soup_message_headers_get_one (
    soup_server_message_get_request_headers (msg), "X-UIPATH-TenantName");
  const char *key = member (body, "refresh_token");
  const char *known_tenant;
  JsonObject *answer;

  id_stats_count_request (&srv->stats, member (body, "client_id"), "api_key");
  if (body == NULL || g_strcmp0 (member (body, "grant_type"), "refresh_token") != 0
      || g_strcmp0 (member (body, "client_id"), ID_LEGACY_CLIENT_ID) != 0
      || tenant == NULL || key == NULL)
    {
      id_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request");
      return;
    }
  known_tenant = g_hash_table_lookup (srv->api_keys, key);
  if (known_tenant == NULL || g_ascii_strcasecmp (known_tenant, tenant) != 0)
    {
      id_reply_error (msg, SOUP_STATUS_FORBIDDEN, "access_denied");
      return;
    }
  answer = json_object_new ();
  srv->stats.issued++;
  json_object_set_string_member (answer, "access_token",
                                 id_tokens_mint (srv->tokens, "api-key", "",
                                                 ID_LEGACY_LIFETIME_S));
  json_object_set_int_member (answer, "expires_in", ID_LEGACY_LIFETIME_S);
  json_object_set_string_member (answer, "token_type", "Bearer");
  json_object_set_string_member (answer, "scope", "openid profile email offline_access");
  id_reply_object (msg, SOUP_STATUS_OK, answer);
  json_object_unref (answer);
}

static void
reply_abp_error (SoupServerMessage *msg,
                 const char        *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "result");
  json_builder_add_null_value (b);
  json_builder_set_member_name (b, "success");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  json_builder_end_object (b);
  id_reply_builder (msg, SOUP_STATUS_BAD_REQUEST, b);
}

void
id_legacy_authenticate (IdServer          *srv,
                        SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = is_json (msg) ? json_body (msg) : NULL;
  const char *tenant = member (body, "tenancyName");
  const char *user = member (body, "usernameOrEmailAddress");
  const char *password = member (body, "password");
  g_autofree char *key = NULL;
  g_autoptr(JsonBuilder) b = NULL;

  id_stats_count_request (&srv->stats, user, "password");
  if (tenant == NULL || user == NULL || password == NULL)
    {
      reply_abp_error (msg, "tenancyName, usernameOrEmailAddress and password are required");
      return;
    }
  key = g_strdup_printf ("%s\n%s", tenant, user);
  if (g_strcmp0 (g_hash_table_lookup (srv->users, key), password) != 0)
    {
      reply_abp_error (msg, "Invalid user name or password");
      return;
    }
  srv->stats.issued++;
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "result");
  json_builder_add_string_value (b, id_tokens_mint (srv->tokens, user, "",
                                                    ID_PASSWORD_LIFETIME_S));
  json_builder_set_member_name (b, "targetUrl");
  json_builder_add_null_value (b);
  json_builder_set_member_name (b, "success");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "error");
  json_builder_add_null_value (b);
  json_builder_end_object (b);
  id_reply_builder (msg, SOUP_STATUS_OK, b);
}

void
id_control_legacy (IdServer          *srv,
                   SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = json_body (msg);
  const char *tenant = member (body, "tenant");
  const char *key = member (body, "api_key");
  const char *user = member (body, "username");
  const char *password = member (body, "password");

  if (tenant == NULL || (key == NULL && (user == NULL || password == NULL)))
    {
      id_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                      "tenant and api_key, or tenant, username and password");
      return;
    }
  if (key != NULL)
    g_hash_table_replace (srv->api_keys, g_strdup (key), g_strdup (tenant));
  if (user != NULL)
    g_hash_table_replace (srv->users, g_strdup_printf ("%s\n%s", tenant, user),
                          g_strdup (password));
  id_reply_ok (msg);
}
