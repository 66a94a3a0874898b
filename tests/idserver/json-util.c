/* json-util.c: typed member access that fails loudly.  A test that sends
 * "ms":"500" must get a 400, not a silent zero-millisecond delay. */
#include "json-util.h"

#include <gio/gio.h>

/* Reads an optional integer member within [min, max]; absent keeps *value. */
gboolean
id_json_get_int (JsonObject  *object,
                 const char  *name,
                 gint64       min,
                 gint64       max,
                 gint64      *value,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
      || json_node_get_int (node) < min || json_node_get_int (node) > max)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "\"%s\" must be an integer in [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "]",
                   name, min, max);
      return FALSE;
    }
  *value = json_node_get_int (node);
  return TRUE;
}
