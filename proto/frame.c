#include "frame.h"

static uint32_t
get_be32 (const uint8_t *p)
{
  return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) |
         ((uint32_t) p[2] << 8) | (uint32_t) p[3];
}

void
ua_frame_put_header (uint8_t out[UA_FRAME_HEADER_LEN], uint32_t len)
{
  out[0] = (uint8_t) (len >> 24);
  out[1] = (uint8_t) (len >> 16);
  out[2] = (uint8_t) (len >> 8);
  out[3] = (uint8_t) len;
}

UaFrameStatus
ua_frame_decode (const uint8_t *buf, size_t len, size_t max,
                 const uint8_t **payload, size_t *payload_len,
                 size_t *consumed, size_t *want)
{
  uint32_t n;

  if (len < UA_FRAME_HEADER_LEN)
    {
      if (want)
        *want = UA_FRAME_HEADER_LEN;
      return UA_FRAME_NEED_MORE;
    }

  n = get_be32 (buf);
  if (n > max)
    return UA_FRAME_TOO_LARGE;

  if (len - UA_FRAME_HEADER_LEN < n)
    {
      if (want)
        *want = UA_FRAME_HEADER_LEN + (size_t) n;
      return UA_FRAME_NEED_MORE;
    }

  *payload = buf + UA_FRAME_HEADER_LEN;
  *payload_len = n;
  *consumed = UA_FRAME_HEADER_LEN + (size_t) n;
  return UA_FRAME_COMPLETE;
}
