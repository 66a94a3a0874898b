/* ua_clicfg_profile_auth(): uipathcli config files from
 * tests/data/client-clicfg.txt. */
#include <stdlib.h>
#include <string.h>

#include "clicfg.h"
#include "tap.h"

static void
check_case (char *header, const char *body, size_t len)
{
  char *f[3];

  if (tap_split (header, ' ', f, 3) != 3)
    {
      tap_ok (false, "case header is PROFILE RESULT DESCRIPTION: %s", header);
      return;
    }
  tap_is (ua_clicfg_auth_name (ua_clicfg_profile_auth (body, len, f[0])), f[1],
          "%s: %s", f[0], f[2]);
}

int
main (void)
{
  size_t len;
  char *text = tap_read_fixture ("client-clicfg.txt", &len);
  char *p = strstr (text, "\n=== ");

  while (p != NULL)
    {
      char *header = p + 5, *eol = strchr (header, '\n');
      char *body = eol ? eol + 1 : text + len;
      char *next = eol ? strstr (eol, "\n=== ") : NULL;
      size_t blen = next ? (size_t) (next + 1 - body) : (size_t) (text + len - body);

      if (eol != NULL)
        *eol = '\0';
      check_case (header, body, blen);
      p = next;
    }
  free (text);
  return tap_done ();
}
