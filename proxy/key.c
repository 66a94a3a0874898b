#include "config.h"

#include "key.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "ua-error.h"

static gboolean
key_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_';
}

static gboolean
key_valid (const char *key, size_t len)
{
  if (len < UA_PROXY_KEY_MIN || len > UA_PROXY_KEY_MAX)
    return FALSE;
  for (size_t i = 0; i < len; i++)
    if (!key_char (key[i]))
      return FALSE;
  return TRUE;
}

/* One byte at a time, so that nothing after the newline is consumed. */
UaSecret *
ua_proxy_key_read (int fd, GError **error)
{
  char buf[UA_PROXY_KEY_MAX + 1];
  size_t len = 0;
  gboolean line = FALSE;
  UaSecret *key = NULL;

  while (!line && len < sizeof buf)
    {
      ssize_t n = read (fd, buf + len, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      if (buf[len] == '\n')
        line = TRUE;
      else
        len++;
    }
  if (line && key_valid (buf, len))
    key = ua_secret_new (buf, len);
  else
    g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                 "no key on standard input: uipauth-proxy is started by "
                 "`uipauth exec --proxy`, which sends it one");
  ua_wipe (buf, sizeof buf);
  return key;
}

gboolean
ua_proxy_key_matches (const UaSecret *key, const char *authorization)
{
  static const char scheme[] = "Bearer ";
  size_t key_len = ua_secret_len (key);
  const unsigned char *want = (const unsigned char *) ua_secret_get (key);
  const unsigned char *got;
  unsigned char diff = 0;

  if (authorization == NULL ||
      g_ascii_strncasecmp (authorization, scheme, sizeof scheme - 1) != 0)
    return FALSE;
  got = (const unsigned char *) authorization + sizeof scheme - 1;
  if (strlen ((const char *) got) != key_len)
    return FALSE;
  for (size_t i = 0; i < key_len; i++)
    diff |= got[i] ^ want[i];
  return diff == 0;
}
