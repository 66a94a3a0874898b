/* Fuzz target: the loopback redirect parser (agent/redirect.c), which reads
 * whatever connects to `uipauth login`'s listener: the browser, or any
 * local process that got there first.  Only a clean GET of the redirect
 * path yields fields, and no field holds a control character. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "redirect.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_field (const char *s)
{
  for (const unsigned char *p = (const unsigned char *) s; s != NULL && *p != '\0'; p++)
    if (*p < 0x20 || *p == 0x7f)
      abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const char *const paths[] = { "/", "/callback" };
  UaRedirect r;

  for (int i = 0; i < 2; i++)
    {
      UaRedirectResult res = ua_redirect_parse ((const char *) data, size, paths[i], &r);

      if (res != UA_REDIRECT_OK && (r.code || r.state || r.error || r.error_description))
        abort ();
      if (res < UA_REDIRECT_INCOMPLETE || res > UA_REDIRECT_BAD)
        abort ();
      check_field (r.code);
      check_field (r.state);
      check_field (r.error);
      check_field (r.error_description);
      ua_redirect_clear (&r);
      if (r.code || r.state || r.error || r.error_description)
        abort ();
    }
  return 0;
}
