/* json-util.h: strict reading of control-API JSON bodies. */
#pragma once

#include <json-glib/json-glib.h>

gboolean id_json_get_int (JsonObject  *object,
                          const char  *name,
                          gint64       min,
                          gint64       max,
                          gint64      *value,
                          GError     **error);
