/* Fuzz target: the .env reader (client/dotenv.c).  Every entry lies
 * inside the input, in order, each call moves forward, and a decoded
 * value holds no control character. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dotenv.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_entry (const char *text, size_t size, const UaDotenvEntry *e)
{
  char value[128];

  if (e->key < text || e->key + e->key_len > text + size || e->key_len == 0)
    abort ();
  if (e->value != NULL && (e->value < text || e->value + e->value_len > text + size))
    abort ();
  if (e->value != NULL && ua_dotenv_value (e, value, sizeof value))
    for (size_t i = 0; value[i] != '\0'; i++)
      if ((unsigned char) value[i] < 0x20 || value[i] == 0x7f)
        abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *text = (const char *) data;
  size_t pos = 0, last_end = 0, steps = 0;
  UaDotenvEntry e;
  UaDotenvStatus st;

  while ((st = ua_dotenv_next (text, size, &pos, &e)) != UA_DOTENV_END)
    {
      if (pos > size || e.start > e.end || e.end != pos || e.start < last_end ||
          ++steps > size + 1)
        abort ();
      if (st == UA_DOTENV_ENTRY)
        check_entry (text, size, &e);
      last_end = e.end;
    }
  return 0;
}
