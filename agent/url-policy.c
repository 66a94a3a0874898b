#include "config.h"

#include "url-policy.h"

#include <gio/gio.h>
#include <string.h>

#include "ua-error.h"

/* URLs quoted in messages are cut here, so a pasted blob stays readable. */
#define URL_QUOTE_MAX 200

gboolean
ua_url_policy_host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) addr = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0
      || g_ascii_strcasecmp (host, "localhost.") == 0)
    return TRUE;
  /* Strict dotted-quad or IPv6 only: "127.1" or "2130706433" are refused
   * rather than guessed at. */
  addr = g_inet_address_new_from_string (host);
  return addr != NULL && g_inet_address_get_is_loopback (addr);
}

/* GLib decodes the host, which can then hold CR, LF or any other byte:
 * all of them are escaped, so that a URL cannot start a line of a log. */
char *
ua_url_policy_redact (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  g_autofree char *shown = NULL;

  if (uri != NULL && g_uri_get_host (uri) != NULL)
    shown = g_uri_join (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), NULL,
                        g_uri_get_host (uri), g_uri_get_port (uri),
                        g_uri_get_path (uri), NULL, NULL);
  else
    shown = g_strdup (url);
  if (strlen (shown) > URL_QUOTE_MAX)
    shown[URL_QUOTE_MAX] = '\0';
  return g_strescape (shown, NULL);
}

gboolean
ua_url_policy_refuse (const char *url, const char *why, GError **error)
{
  g_autofree char *shown = ua_url_policy_redact (url);

  g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
               "refusing URL \"%s\": %s; https:// is required "
               "(http:// only to 127.0.0.1, [::1] or localhost)",
               shown, why);
  return FALSE;
}

gboolean
ua_url_policy_scheme_host (const char *url, const char *scheme, const char *host,
                           GError **error)
{
  if (host == NULL || *host == '\0')
    return ua_url_policy_refuse (url, "it has no host", error);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (scheme, "http") != 0)
    return ua_url_policy_refuse (url, "unsupported scheme", error);
  if (!ua_url_policy_host_is_loopback (host))
    return ua_url_policy_refuse (url, "plain http to a remote host", error);
  return TRUE;
}

gboolean
ua_url_policy_allowed (const char *url, GError **error)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (url != NULL, FALSE);

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    return ua_url_policy_refuse (url, "not a valid URL", error);
  /* Credentials belong in the keyring, and URLs end up in messages. */
  if (g_uri_get_userinfo (uri) != NULL)
    return ua_url_policy_refuse (url, "user info in URLs is not accepted", error);
  return ua_url_policy_scheme_host (url, g_uri_get_scheme (uri),
                                    g_uri_get_host (uri), error);
}
