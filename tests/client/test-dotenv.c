/* ua_dotenv_*: .env files from tests/data/client-dotenv.txt, checked
 * against what python-dotenv makes of them; and the spans of entries,
 * which `import --delete` cuts out. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dotenv.h"
#include "tap.h"

static void
describe (const char *text, size_t len, UaBuf *out)
{
  UaDotenvEntry e;
  UaDotenvStatus st;
  size_t pos = 0;

  while ((st = ua_dotenv_next (text, len, &pos, &e)) != UA_DOTENV_END)
    {
      char value[256];

      if (out->len > 0)
        ua_buf_append_char (out, '|');
      if (st == UA_DOTENV_BAD)
        {
          ua_buf_append_char (out, '!');
          continue;
        }
      ua_buf_append (out, e.key, e.key_len);
      if (e.value == NULL)
        continue;
      ua_buf_append_char (out, '=');
      ua_buf_append_str (out, ua_dotenv_value (&e, value, sizeof value) ? value : "!");
    }
  if (out->data == NULL)
    ua_buf_append_str (out, "");
}

static void
check_row (char **f, size_t lineno)
{
  char input[512], want[512];
  UaBuf got = UA_BUF_INIT;
  size_t len = tap_unescape (f[0], input);

  tap_unescape (f[1], want);
  describe (input, len, &got);
  tap_is (got.data, want, "line %zu: %s", lineno, f[0]);
  ua_buf_clear (&got);
}

/* Cutting [start, end) of every entry of a key leaves the file without
 * it and every other byte as it was. */
static void
test_spans (void)
{
  static const struct {
    const char *text, *key, *want;
  } cases[] = {
    { "A=1\nT=x\nB=2\n", "T", "A=1\nB=2\n" },
    { "T=x\n", "T", "" },
    { "A=1\nT=x", "T", "A=1\n" },
    { "A=1\n  export T='x' # c\r\nB=2\n", "T", "A=1\nB=2\n" },
    { "T=\"multi\nline\"\nB=2\n", "T", "B=2\n" },
    { "# keep\n\nT=x\n\n# keep too\n", "T", "# keep\n\n\n# keep too\n" },
    { "T=1\nA=1\nT=2\n", "T", "A=1\n" },
  };

  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    {
      const char *text = cases[i].text;
      size_t len = strlen (text), pos = 0, kept = 0;
      UaDotenvEntry e;
      UaDotenvStatus st;
      UaBuf out = UA_BUF_INIT;

      while ((st = ua_dotenv_next (text, len, &pos, &e)) != UA_DOTENV_END)
        if (st == UA_DOTENV_ENTRY && ua_dotenv_key_is (&e, cases[i].key))
          {
            ua_buf_append (&out, text + kept, e.start - kept);
            kept = e.end;
          }
      ua_buf_append (&out, text + kept, len - kept);
      tap_is (out.data ? out.data : "", cases[i].want, "cutting %s out of case %zu", cases[i].key, i);
      ua_buf_clear (&out);
    }
}

int
main (void)
{
  tap_fixture_rows ("client-dotenv.txt", 2, check_row);
  test_spans ();
  return tap_done ();
}
