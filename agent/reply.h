/* Building replies (see docs/protocol.md). */
#pragma once

#include <glib.h>

#include "errors.h"
#include "ua-msg.h"

#define UA_PROTOCOL_VERSION 1

UaMsg *ua_reply_ok (void);
UaMsg *ua_reply_error (UaErrorCode code, const char *message);
UaMsg *ua_reply_from_gerror (const GError *error);
/* Adds @value under @key unless it is NULL. */
void ua_reply_add (UaMsg *reply, const char *key, const char *value);
void ua_reply_add_int (UaMsg *reply, const char *key, gint64 value);
