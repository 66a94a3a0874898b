/* Where uipauth sends a credential: https://, or plain http:// only to a
 * loopback host (127.0.0.0/8, ::1, localhost).  One rule for the agent's
 * identity servers (http.c) and for the token-adding proxy's upstream
 * (proxy/), so that neither can drift from the other.  GLib only: the
 * proxy links it without libcurl. */
#pragma once

#include <glib.h>

/* "localhost", or a strict dotted-quad or IPv6 literal in the loopback
 * range ("127.1" is not guessed at).  No brackets around IPv6. */
gboolean ua_url_policy_host_is_loopback (const char *host);

/* The policy on a scheme and host as some parser saw them in @url (which
 * only names the URL in the error). */
gboolean ua_url_policy_scheme_host (const char *url, const char *scheme,
                                    const char *host, GError **error);

/* The whole URL as GLib reads it: no user info, then the policy above.
 * A UA_ERR_INVALID_ARGUMENT error names the URL, redacted.  (The agent
 * runs the policy on libcurl's reading too: see http.c.) */
gboolean ua_url_policy_allowed (const char *url, GError **error);

/* Sets a UA_ERR_INVALID_ARGUMENT error refusing @url for @why.  FALSE. */
gboolean ua_url_policy_refuse (const char *url, const char *why, GError **error);

/* scheme://host[:port]/path of @url, for messages and logs: the query and
 * user info can carry secrets and are left out; control bytes escaped. */
char *ua_url_policy_redact (const char *url);
