/* Messages: an ordered list of key=value fields, one per line.
 *
 * Keys are 1..UA_MSG_KEY_MAX bytes of [a-z0-9_.-].  Values are any bytes but
 * CR, LF and NUL; such a value is refused both when a message is built and
 * when one is parsed, so nothing downstream can be tricked into splitting a
 * line.  Keys a reader does not know are ignored by it, which is how the
 * protocol grows.  Freeing a message wipes every value it held. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UA_MSG_KEY_MAX 64
/* Enough for a list reply of a few thousand profiles, few enough that a
 * hostile frame cannot make the reader build a huge index. */
#define UA_MSG_FIELDS_MAX 65536

typedef enum {
  UA_MSG_OK = 0,
  UA_MSG_ENOMEM,
  UA_MSG_BAD_KEY,     /* empty, too long, or a byte outside [a-z0-9_.-] */
  UA_MSG_BAD_VALUE,   /* CR, LF or NUL in a value */
  UA_MSG_BAD_LINE,    /* a line without '=' or a payload not ending in LF */
  UA_MSG_TOO_MANY,    /* more than UA_MSG_FIELDS_MAX fields */
  UA_MSG_TOO_LARGE,   /* the encoded message would exceed the frame cap */
} UaMsgStatus;

typedef struct UaMsg UaMsg;

UaMsg *ua_msg_new (void);
void ua_msg_free (UaMsg *msg);

/* Appends a field; a key may appear more than once (lookups find the first). */
UaMsgStatus ua_msg_add (UaMsg *msg, const char *key, const char *value);
UaMsgStatus ua_msg_add_len (UaMsg *msg, const char *key,
                            const char *value, size_t value_len);
UaMsgStatus ua_msg_add_int (UaMsg *msg, const char *key, long long value);
/* Replaces the first field named @key, or appends it. */
UaMsgStatus ua_msg_set (UaMsg *msg, const char *key, const char *value);

const char *ua_msg_get (const UaMsg *msg, const char *key);
/* Returns false if the key is missing or not a whole decimal number. */
bool ua_msg_get_int (const UaMsg *msg, const char *key, long long *out);
bool ua_msg_get_bool (const UaMsg *msg, const char *key);

size_t ua_msg_count (const UaMsg *msg);
const char *ua_msg_key (const UaMsg *msg, size_t i);
const char *ua_msg_value (const UaMsg *msg, size_t i);

/* Parses a frame payload (no header).  On error *out is NULL. */
UaMsgStatus ua_msg_decode (const uint8_t *payload, size_t len, UaMsg **out);

/* Encodes @msg as a whole frame, header included, into a new buffer that the
 * caller must release with ua_msg_buffer_free() (it wipes). */
UaMsgStatus ua_msg_encode (const UaMsg *msg, size_t max,
                           uint8_t **out, size_t *out_len);
void ua_msg_buffer_free (uint8_t *buf, size_t len);

bool ua_msg_key_valid (const char *key, size_t len);
bool ua_msg_value_valid (const char *value, size_t len);
const char *ua_msg_status_to_string (UaMsgStatus status);
