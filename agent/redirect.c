#include "config.h"

#include "redirect.h"

#include <string.h>

#include "ua-secret.h"

void
ua_redirect_clear (UaRedirect *r)
{
  if (r->code != NULL)
    ua_wipe (r->code, strlen (r->code));
  g_free (r->code);
  g_free (r->state);
  g_free (r->error);
  g_free (r->error_description);
  memset (r, 0, sizeof *r);
}

/* Percent-decodes [p, end) with '+' as space.  NULL for a broken escape
 * or a decoded byte that is a control character. */
static char *
decode (const char *p, const char *end)
{
  char *out = g_malloc (end - p + 1), *q = out;

  for (; p < end; p++)
    {
      unsigned char c = *p;

      if (c == '+')
        c = ' ';
      else if (c == '%')
        {
          if (end - p < 3 || !g_ascii_isxdigit (p[1]) || !g_ascii_isxdigit (p[2]))
            goto bad;
          c = g_ascii_xdigit_value (p[1]) * 16 + g_ascii_xdigit_value (p[2]);
          p += 2;
        }
      if (c < 0x20 || c == 0x7f)
        goto bad;
      *q++ = c;
    }
  *q = '\0';
  return out;
bad:
  ua_wipe (out, q - out);
  g_free (out);
  return NULL;
}

static char **
slot_for (UaRedirect *r, const char *key, size_t len)
{
#define IS(name) (len == sizeof name - 1 && memcmp (key, name, len) == 0)
  if (IS ("code"))
    return &r->code;
  if (IS ("state"))
    return &r->state;
  if (IS ("error"))
    return &r->error;
  if (IS ("error_description"))
    return &r->error_description;
#undef IS
  return NULL;
}

/* Fills @r from the query [p, end); FALSE on a repeat or a bad value. */
static gboolean
parse_query (const char *p, const char *end, UaRedirect *r)
{
  while (p < end)
    {
      const char *amp = memchr (p, '&', end - p);
      const char *stop = amp ? amp : end;
      const char *eq = memchr (p, '=', stop - p);
      const char *key_end = eq ? eq : stop;
      char **slot = slot_for (r, p, key_end - p);

      if (slot != NULL)
        {
          if (*slot != NULL)
            return FALSE;
          *slot = decode (eq ? eq + 1 : stop, stop);
          if (*slot == NULL)
            return FALSE;
        }
      p = stop + 1;
    }
  return TRUE;
}

/* The request target: printable ASCII without spaces. */
static gboolean
target_valid (const char *p, const char *end)
{
  if (p == end || *p != '/')
    return FALSE;
  for (; p < end; p++)
    if ((unsigned char) *p <= ' ' || (unsigned char) *p >= 0x7f)
      return FALSE;
  return TRUE;
}

UaRedirectResult
ua_redirect_parse (const char *buf, size_t len, const char *path, UaRedirect *out)
{
  const char *nl, *end, *sp1, *sp2, *query;
  size_t method_len;

  memset (out, 0, sizeof *out);
  nl = memchr (buf, '\n', MIN (len, (size_t) UA_REDIRECT_MAX_LINE));
  if (nl == NULL)
    return len >= UA_REDIRECT_MAX_LINE ? UA_REDIRECT_BAD : UA_REDIRECT_INCOMPLETE;
  end = (nl > buf && nl[-1] == '\r') ? nl - 1 : nl;
  sp1 = memchr (buf, ' ', end - buf);
  if (sp1 == NULL || sp1 == buf)
    return UA_REDIRECT_BAD;
  method_len = sp1 - buf;
  for (size_t i = 0; i < method_len; i++)
    if (!g_ascii_isupper (buf[i]))
      return UA_REDIRECT_BAD;
  sp2 = memchr (sp1 + 1, ' ', end - sp1 - 1);
  if (sp2 == NULL || end - sp2 - 1 != 8 || memcmp (sp2 + 1, "HTTP/1.", 7) != 0
      || (sp2[8] != '0' && sp2[8] != '1') || !target_valid (sp1 + 1, sp2))
    return UA_REDIRECT_BAD;
  query = memchr (sp1 + 1, '?', sp2 - sp1 - 1);
  if (method_len != 3 || memcmp (buf, "GET", 3) != 0
      || (size_t) ((query ? query : sp2) - (sp1 + 1)) != strlen (path)
      || memcmp (sp1 + 1, path, strlen (path)) != 0)
    return UA_REDIRECT_OTHER;
  if (query != NULL && !parse_query (query + 1, sp2, out))
    {
      ua_redirect_clear (out);
      return UA_REDIRECT_BAD;
    }
  return UA_REDIRECT_OK;
}
