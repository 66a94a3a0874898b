/* faults.h: misbehaviour injected into the token endpoint on request. */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "pending.h"

typedef enum {
  ID_FAULT_NONE,
  ID_FAULT_DELAY,        /* answer normally after ms */
  ID_FAULT_STATUS,       /* code, {"error":"server_error"} */
  ID_FAULT_429,          /* 429 with Retry-After */
  ID_FAULT_HTML,         /* 200 text/html login page */
  ID_FAULT_TRUNCATED,    /* 200 JSON cut in the middle */
  ID_FAULT_GARBAGE_JSON, /* 200 valid JSON without access_token */
  ID_FAULT_WRONG_TYPE,   /* a real token, but token_type "mac" */
  ID_FAULT_RESET,        /* TCP reset instead of an answer */
  ID_FAULT_CLOSE,        /* orderly close (EOF) instead of an answer */
  ID_FAULT_HANG,         /* no answer until the fault is cleared */
  ID_FAULT_ROTATE_LATE,  /* grant at once (refresh tokens rotate), answer after ms */
} IdFaultMode;

typedef struct {
  IdFaultMode mode;
  guint ms;
  guint code;
  gint retry_after;   /* seconds; < 0 sends no Retry-After */
  gint remaining;     /* requests left to hit; < 0 until cleared */
} IdFault;

void        id_fault_clear     (IdFault    *fault);
gboolean    id_fault_parse     (JsonObject *object,
                                IdFault    *fault,
                                GError    **error);
IdFault     id_fault_take      (IdFault    *armed);
const char *id_fault_mode_name (IdFaultMode mode);
void        id_fault_run       (IdPending         *pending,
                                SoupServerMessage *msg,
                                const IdFault     *fault,
                                IdAnswerFunc       answer,
                                gpointer           data,
                                GDestroyNotify     destroy);
