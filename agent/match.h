/* Whether a git credential request's URL fits a profile's `match`
 * pattern.  Pure functions over strings; the profile table (profiles.c)
 * decides which of the fitting patterns wins. */
#pragma once

#include <glib.h>

/* Whether @url fits @pattern, both "scheme://host[:port]/path".  Schemes
 * must be equal and host names compare without regard to case.  A '*' or
 * '?' in the pattern's host name matches within @url's host name only;
 * the port must fit the pattern's, where a missing port is the scheme's
 * default.  In the path, '*' matches anything, '/' included.  A @url
 * whose scheme or host no URL could have (see ua_url_host_valid()) fits
 * no pattern. */
gboolean ua_match_url (const char *pattern, const char *url);

/* Whether @url's scheme and host fit @pattern's by the same rules,
 * whatever their paths: the pattern names something on that host. */
gboolean ua_match_origin (const char *pattern, const char *url);
