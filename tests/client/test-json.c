/* ua_json_object_string(): documents from tests/data/client-json.txt. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "tap.h"

#define VALUE_MAX 32

static void
check_line (char **f, size_t lineno)
{
  static char doc[4096], want[512];
  char value[VALUE_MAX], got[VALUE_MAX + 1];
  size_t dlen = tap_unescape (f[1], doc), vlen = 0;
  UaJsonStatus st;

  tap_unescape (f[2], want);
  st = ua_json_object_string (doc, dlen, f[0], value, sizeof value, &vlen);
  if (st == UA_JSON_FOUND)
    snprintf (got, sizeof got, "=%s", value);
  else
    snprintf (got, sizeof got, "%s", ua_json_status_string (st));
  tap_is (got, want, "line %zu: %s", lineno, f[1]);
  if (st == UA_JSON_FOUND)
    tap_ok (vlen == strlen (value), "line %zu: the length is the string's", lineno);
}

int
main (void)
{
  char *text = tap_read_fixture ("client-json.txt", NULL);
  char *lines[256];
  size_t n = tap_split (text, '\n', lines, 256);

  for (size_t i = 0; i < n; i++)
    {
      char *f[3];

      if (lines[i][0] == '#' || (lines[i][0] == '\0' && i + 1 == n))
        continue;
      if (tap_split (lines[i], '\t', f, 3) != 3)
        tap_ok (false, "fixture line %zu is KEY<TAB>DOCUMENT<TAB>RESULT", i + 1);
      else
        check_line (f, i + 1);
    }
  free (text);
  return tap_done ();
}
