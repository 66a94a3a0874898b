/* Fuzz target: the uipathcli config reader (client/clicfg.c): any bytes
 * give one of its three answers, for any profile name. */
#include <stdint.h>
#include <stdlib.h>

#include "clicfg.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const char *const names[] = { "default", "work", "", "-", "auth" };

  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if ((unsigned) ua_clicfg_profile_auth ((const char *) data, size, names[i]) > UA_CLICFG_UNSURE)
      abort ();
  return 0;
}
