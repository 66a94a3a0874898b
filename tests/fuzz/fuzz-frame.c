/* Fuzz target: the frame decoder (proto/frame.c), fed the way the agent
 * feeds it: a stream of bytes, decoded frame after frame, under both caps. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
decode_stream (const uint8_t *data, size_t size, size_t max)
{
  size_t off = 0;

  while (off <= size)
    {
      const uint8_t *payload = NULL;
      size_t plen = 0, used = 0, want = 0;
      UaFrameStatus st = ua_frame_decode (data + off, size - off, max,
                                          &payload, &plen, &used, &want);

      if (st == UA_FRAME_TOO_LARGE)
        return;
      if (st == UA_FRAME_NEED_MORE)
        {
          /* What it waits for is more than it has, and never past the cap. */
          if (want <= size - off || want > UA_FRAME_HEADER_LEN + max)
            abort ();
          return;
        }
      if (payload != data + off + UA_FRAME_HEADER_LEN || plen > max
          || used != UA_FRAME_HEADER_LEN + plen || used > size - off)
        abort ();
      /* Touch the payload: the sanitizers check it lies inside the input. */
      if (plen > 0)
        {
          volatile uint8_t first = payload[0], last = payload[plen - 1];
          (void) first;
          (void) last;
        }
      off += used;
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  uint8_t header[UA_FRAME_HEADER_LEN];

  decode_stream (data, size, UA_FRAME_REQUEST_MAX);
  decode_stream (data, size, UA_FRAME_REPLY_MAX);
  /* A small cap, so the too-large path runs on small inputs. */
  decode_stream (data, size, 16);

  /* The header writer and the decoder agree. */
  if (size >= 4)
    {
      uint32_t n;
      memcpy (&n, data, sizeof n);
      ua_frame_put_header (header, n);
      {
        const uint8_t *payload;
        size_t plen, used, want = 0;
        UaFrameStatus st = ua_frame_decode (header, sizeof header, UINT32_MAX,
                                            &payload, &plen, &used, &want);
        if (n == 0 ? st != UA_FRAME_COMPLETE
                   : (st != UA_FRAME_NEED_MORE || want != 4 + (size_t) n))
          abort ();
      }
    }
  return 0;
}
