/* control.c: /_control/ endpoints.  Plain HTTP on the test port: the
 * server only ever listens on loopback and only tests talk to it. */
#include "control.h"

#include "clients.h"
#include "json-util.h"
#include "reply.h"

/* The request body as a JSON object, or NULL after answering 400. */
static JsonObject *
body_object (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  JsonNode *root;

  if (!json_parser_load_from_data (parser, data != NULL ? data : "", size, NULL)
      || (root = json_parser_get_root (parser)) == NULL
      || !JSON_NODE_HOLDS_OBJECT (root))
    {
      id_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "body must be a JSON object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

void
id_control_stats (IdServer          *srv,
                  SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  id_stats_build (&srv->stats, builder);
  /* Not counters, but they explain counters when a test fails. */
  json_builder_set_member_name (builder, "fault");
  json_builder_add_string_value (builder, id_fault_mode_name (srv->fault.mode));
  json_builder_set_member_name (builder, "invalid_client_status");
  json_builder_add_int_value (builder, srv->invalid_client_status);
  json_builder_set_member_name (builder, "lifetime");
  json_builder_add_int_value (builder, srv->lifetime_s);
  json_builder_end_object (builder);
  id_reply_builder (msg, SOUP_STATUS_OK, builder);
}

/* A hang lasts until the fault changes; delays run their course. */
static void
arm_fault (IdServer      *srv,
           const IdFault *fault)
{
  srv->fault = *fault;
  if (fault->mode != ID_FAULT_HANG)
    id_pending_release_hung (srv->pending);
}

void
id_control_reset (IdServer          *srv,
                  SoupServerMessage *msg)
{
  id_stats_reset (&srv->stats);
  id_reply_ok (msg);
}

/* invalid_client_status is independent of the fault: a body may carry
 * it alone, and then the armed fault stays as it is. */
void
id_control_fault (IdServer          *srv,
                  SoupServerMessage *msg)
{
  g_autoptr(JsonObject) object = body_object (msg);
  g_autoptr(GError) error = NULL;
  gint64 status;
  gboolean sets_fault;
  IdFault fault;

  if (object == NULL)
    return;
  status = srv->invalid_client_status;
  sets_fault = json_object_has_member (object, "mode")
               || !json_object_has_member (object, "invalid_client_status");
  if (!id_json_get_int (object, "invalid_client_status", 400, 401, &status, &error)
      || (sets_fault && !id_fault_parse (object, &fault, &error)))
    {
      id_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }

  srv->invalid_client_status = status;
  if (sets_fault)
    arm_fault (srv, &fault);
  id_reply_ok (msg);
}

void
id_control_client (IdServer          *srv,
                   SoupServerMessage *msg)
{
  g_autoptr(JsonObject) object = body_object (msg);
  const char *id, *secret, *scopes;

  if (object == NULL)
    return;
  id = json_object_get_string_member_with_default (object, "id", NULL);
  secret = json_object_get_string_member_with_default (object, "secret", NULL);
  scopes = json_object_get_string_member_with_default (object, "scopes", "");
  if (id == NULL || *id == '\0' || secret == NULL || *secret == '\0')
    {
      id_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "id and secret are required");
      return;
    }
  id_clients_put (srv->clients, id, secret, scopes);
  id_reply_ok (msg);
}

void
id_control_lifetime (IdServer          *srv,
                     SoupServerMessage *msg)
{
  g_autoptr(JsonObject) object = body_object (msg);
  g_autoptr(GError) error = NULL;
  gint64 seconds = 0;

  if (object == NULL)
    return;
  if (!id_json_get_int (object, "seconds", 1, G_MAXINT, &seconds, &error) || seconds == 0)
    {
      id_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                      error != NULL ? error->message : "\"seconds\" is required");
      return;
    }
  srv->lifetime_s = seconds;
  id_reply_ok (msg);
}
