/* Fuzz target: the message parser (proto/msg.c).  Whatever parses must
 * hold only valid keys and values and survive an encode/decode round trip
 * unchanged; whatever does not parse must leave nothing allocated. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "msg.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_round_trip (const UaMsg *msg)
{
  uint8_t *buf = NULL;
  size_t len = 0;
  UaMsg *again = NULL;

  if (ua_msg_encode (msg, UA_FRAME_REPLY_MAX, &buf, &len) != UA_MSG_OK)
    abort ();
  if (ua_msg_decode (buf + UA_FRAME_HEADER_LEN, len - UA_FRAME_HEADER_LEN,
                     &again) != UA_MSG_OK
      || ua_msg_count (again) != ua_msg_count (msg))
    abort ();
  for (size_t i = 0; i < ua_msg_count (msg); i++)
    if (strcmp (ua_msg_key (msg, i), ua_msg_key (again, i)) != 0
        || strcmp (ua_msg_value (msg, i), ua_msg_value (again, i)) != 0)
      abort ();
  ua_msg_free (again);
  ua_msg_buffer_free (buf, len);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  UaMsg *msg = NULL;
  UaMsgStatus st = ua_msg_decode (data, size, &msg);
  long long n;

  if (st != UA_MSG_OK)
    {
      if (msg != NULL)
        abort ();
      return 0;
    }
  for (size_t i = 0; i < ua_msg_count (msg); i++)
    {
      const char *k = ua_msg_key (msg, i), *v = ua_msg_value (msg, i);
      if (!ua_msg_key_valid (k, strlen (k)) || !ua_msg_value_valid (v, strlen (v)))
        abort ();
    }
  /* What the agent's handlers read from a request. */
  (void) ua_msg_get (msg, "op");
  (void) ua_msg_get_int (msg, "v", &n);
  (void) ua_msg_get_int (msg, "min_valid", &n);
  (void) ua_msg_get_bool (msg, "force_new");
  check_round_trip (msg);
  /* Editing keeps it valid. */
  if (ua_msg_set (msg, "op", "token") != UA_MSG_OK
      || strcmp (ua_msg_get (msg, "op"), "token") != 0)
    abort ();
  if (ua_msg_count (msg) < UA_MSG_FIELDS_MAX && ua_msg_add (msg, "x", "a\nb") != UA_MSG_BAD_VALUE)
    abort ();
  ua_msg_free (msg);
  return 0;
}
