#include "config.h"

#include "match.h"

#include <string.h>

#include "url.h"

/* A URL or a pattern, in the parts the rules compare. */
typedef struct {
  char *scheme;     /* lower case */
  char *name;       /* the host without its port, lower case */
  char *port;       /* as written, else the scheme's default */
  const char *path; /* after the '/' that ends the host; "" without one */
} Parts;

static void
parts_clear (Parts *p)
{
  g_free (p->scheme);
  g_free (p->name);
  g_free (p->port);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Parts, parts_clear)

static const char *
default_port (const char *scheme)
{
  if (strcmp (scheme, "https") == 0)
    return "443";
  if (strcmp (scheme, "http") == 0)
    return "80";
  return "";
}

/* Where the name in the host at @host ends (@end: where the host does).
 * An IPv6 address has colons of its own, inside its brackets. */
static const char *
name_end (const char *host, const char *end)
{
  const char *from = host, *colon;

  if (*host == '[')
    {
      const char *bracket = memchr (host, ']', (gsize) (end - host));
      from = bracket ? bracket : end;
    }
  colon = memchr (from, ':', (gsize) (end - from));
  return colon ? colon : end;
}

/* Splits "scheme://host[:port]/path".  With @strict (a URL, not a
 * pattern), the scheme and host must be ones a URL can have. */
static gboolean
split (const char *s, gboolean strict, Parts *p)
{
  const char *sep = strstr (s, "://"), *host, *end, *ne;

  if (sep == NULL || sep == s)
    return FALSE;
  host = sep + 3;
  end = host + strcspn (host, "/");
  if (strict && (!ua_url_scheme_valid (s, (gsize) (sep - s)) ||
                 !ua_url_host_valid (host, (gsize) (end - host))))
    return FALSE;
  ne = name_end (host, end);
  p->scheme = g_ascii_strdown (s, sep - s);
  p->name = g_ascii_strdown (host, ne - host);
  p->port = ne < end ? g_strndup (ne + 1, (gsize) (end - ne - 1))
                     : g_strdup (default_port (p->scheme));
  p->path = *end == '/' ? end + 1 : end;
  return TRUE;
}

static gboolean
same_origin (const Parts *pattern, const Parts *url)
{
  return strcmp (pattern->scheme, url->scheme) == 0 &&
         g_pattern_match_simple (pattern->name, url->name) &&
         g_pattern_match_simple (pattern->port, url->port);
}

gboolean
ua_match_url (const char *pattern, const char *url)
{
  g_auto(Parts) p = { 0 };
  g_auto(Parts) u = { 0 };

  return split (pattern, FALSE, &p) && split (url, TRUE, &u) &&
         same_origin (&p, &u) && g_pattern_match_simple (p.path, u.path);
}

gboolean
ua_match_origin (const char *pattern, const char *url)
{
  g_auto(Parts) p = { 0 };
  g_auto(Parts) u = { 0 };

  return split (pattern, FALSE, &p) && split (url, TRUE, &u) &&
         same_origin (&p, &u);
}
