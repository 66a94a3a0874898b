/* reply.c: JSON and raw response helpers shared by every endpoint. */
#include "reply.h"

#include <string.h>

void
id_reply_raw (SoupServerMessage *msg,
              guint              status,
              const char        *content_type,
              const char        *body,
              gsize              length)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY,
                                    body, length);
}

static void
reply_node (SoupServerMessage *msg,
            guint              status,
            JsonNode          *root)
{
  g_autofree char *text = json_to_string (root, FALSE);
  gsize length = strlen (text);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, ID_JSON_TYPE, SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), length);
}

void
id_reply_object (SoupServerMessage *msg,
                 guint              status,
                 JsonObject        *object)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (root, object);
  reply_node (msg, status, root);
}

void
id_reply_builder (SoupServerMessage *msg,
                  guint              status,
                  JsonBuilder       *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  reply_node (msg, status, root);
}

/* The OAuth error shape ({"error": code}), also used by the control API. */
void
id_reply_error (SoupServerMessage *msg,
                guint              status,
                const char        *error)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "error", error);
  id_reply_object (msg, status, object);
}

void
id_reply_ok (SoupServerMessage *msg)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_boolean_member (object, "ok", TRUE);
  id_reply_object (msg, SOUP_STATUS_OK, object);
}
