/* Fuzz target: the JSON string extractor (client/json.c).  A value it
 * finds fits its buffer, is as long as it says, and holds no control
 * character. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const char *const keys[] = { "refresh_token", "scope", "" };
  char out[64];

  for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
    {
      size_t len = 0;
      UaJsonStatus st = ua_json_object_string ((const char *) data, size, keys[k],
                                               out, sizeof out, &len);

      if ((unsigned) st > UA_JSON_BAD_CHAR)
        abort ();
      if (st != UA_JSON_FOUND)
        continue;
      if (len >= sizeof out || strlen (out) != len)
        abort ();
      for (size_t i = 0; i < len; i++)
        if ((unsigned char) out[i] < 0x20)
          abort ();
    }
  return 0;
}
