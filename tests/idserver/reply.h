/* reply.h: writing responses. */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

/* What UiPath's identity server sends; some clients compare it verbatim. */
#define ID_JSON_TYPE "application/json; charset=utf-8"

void id_reply_raw     (SoupServerMessage *msg,
                       guint              status,
                       const char        *content_type,
                       const char        *body,
                       gsize              length);
void id_reply_object  (SoupServerMessage *msg,
                       guint              status,
                       JsonObject        *object);
void id_reply_builder (SoupServerMessage *msg,
                       guint              status,
                       JsonBuilder       *builder);
void id_reply_error   (SoupServerMessage *msg,
                       guint              status,
                       const char        *error);
void id_reply_ok      (SoupServerMessage *msg);
