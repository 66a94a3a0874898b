/* What the scheme and host of a URL can be, checked alike by the client
 * (on what git sends) and the agent (on the URL it matches profiles
 * against), so that a pattern on a host is never fooled by a path, a user
 * name or an encoding passed off as part of one. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Whether the @len bytes at @scheme are a URL scheme: a letter, then
 * letters, digits, '+', '-' or '.'. */
bool ua_url_scheme_valid (const char *scheme, size_t len);

/* Whether the @len bytes at @host are "NAME[:PORT]" as a URL writes a
 * host: NAME a DNS name or IPv4 address (ASCII letters, digits, '-', '.',
 * '_') or an IPv6 address in brackets, PORT 1 to 5 digits.  A '/', '@',
 * '%', space, second ':' or non-ASCII byte makes it no host. */
bool ua_url_host_valid (const char *host, size_t len);

/* The length of the "scheme://host[:port]" that @url starts with (scheme
 * and host as above), when what follows it is nothing, '/', '?' or '#';
 * 0 when @url does not start with one (a user name, an empty port). */
size_t ua_url_origin_len (const char *url);
