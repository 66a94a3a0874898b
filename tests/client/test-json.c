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
  tap_fixture_rows ("client-json.txt", 3, check_line);
  return tap_done ();
}
