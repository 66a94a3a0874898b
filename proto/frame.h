/* Framing: every message on the agent socket is a 4-byte big-endian payload
 * length followed by that many bytes.  The decoder does no I/O: callers feed
 * it whatever bytes they have and it says whether a whole frame is there. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define UA_FRAME_HEADER_LEN 4

/* Largest request the agent accepts: requests carry a few short fields. */
#define UA_FRAME_REQUEST_MAX (64u * 1024u)
/* Largest reply a client accepts: a list of many profiles. */
#define UA_FRAME_REPLY_MAX (8u * 1024u * 1024u)

typedef enum {
  UA_FRAME_COMPLETE,  /* a whole frame is in the buffer */
  UA_FRAME_NEED_MORE, /* wait for more bytes */
  UA_FRAME_TOO_LARGE, /* the header announces more than the cap: drop the peer */
} UaFrameStatus;

/* Look at the start of @buf.  On COMPLETE, @payload and @payload_len describe
 * the message and @consumed is the number of bytes the frame took.  On
 * NEED_MORE, @want (if not NULL) is how many bytes the whole frame needs, or
 * UA_FRAME_HEADER_LEN while the header itself is incomplete.  The announced
 * length is checked against @max before the caller allocates anything. */
UaFrameStatus ua_frame_decode (const uint8_t *buf, size_t len, size_t max,
                               const uint8_t **payload, size_t *payload_len,
                               size_t *consumed, size_t *want);

/* Write the header for a payload of @len bytes. */
void ua_frame_put_header (uint8_t out[UA_FRAME_HEADER_LEN], uint32_t len);
