#include "url.h"

#include <string.h>

#define ALPHA "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define DIGIT "0123456789"
#define SCHEME_CHARS ALPHA DIGIT "+-."
#define NAME_CHARS ALPHA DIGIT "-._"
#define IPV6_CHARS DIGIT "abcdefABCDEF:."
#define PORT_DIGITS_MAX 5

/* How many of the @len bytes at @s are in @set, from the start. */
static size_t
span (const char *s, size_t len, const char *set)
{
  size_t n = 0;

  while (n < len && s[n] != '\0' && strchr (set, s[n]) != NULL)
    n++;
  return n;
}

bool
ua_url_scheme_valid (const char *scheme, size_t len)
{
  return len > 0 && span (scheme, 1, ALPHA) == 1 &&
         span (scheme, len, SCHEME_CHARS) == len;
}

/* The length of the name at the start of @host, 0 if there is none. */
static size_t
name_len (const char *host, size_t len)
{
  size_t n;

  if (len == 0 || host[0] != '[')
    return span (host, len, NAME_CHARS);
  n = 1 + span (host + 1, len - 1, IPV6_CHARS);
  return n > 1 && n < len && host[n] == ']' ? n + 1 : 0;
}

bool
ua_url_host_valid (const char *host, size_t len)
{
  size_t name = name_len (host, len), port;

  if (name == 0)
    return false;
  if (name == len)
    return true;
  port = span (host + name + 1, len - name - 1, DIGIT);
  return host[name] == ':' && port > 0 && port <= PORT_DIGITS_MAX &&
         name + 1 + port == len;
}

size_t
ua_url_origin_len (const char *url)
{
  const char *sep = strstr (url, "://");
  const char *host, *end;

  if (sep == NULL || !ua_url_scheme_valid (url, (size_t) (sep - url)))
    return 0;
  host = sep + 3;
  end = host + strcspn (host, "/?#");
  if (!ua_url_host_valid (host, (size_t) (end - host)))
    return 0;
  return (size_t) (end - url);
}
