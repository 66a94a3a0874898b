/* The per-exec key: the one credential the child holds.  A request gets a
 * token only if it carries the key as `Authorization: Bearer KEY`. */
#pragma once

#include <glib.h>

#include "secret.h"

/* Shortest and longest key accepted from the client: it sends 64 hex
 * digits (256 random bits). */
#define UA_PROXY_KEY_MIN 32
#define UA_PROXY_KEY_MAX 128

/* Reads one line from @fd (the client's pipe), without reading past it:
 * the same pipe stays open to tell us when the client is gone.  The key
 * is [A-Za-z0-9_-]{MIN,MAX}.  NULL with @error set otherwise. */
UaSecret *ua_proxy_key_read (int fd, GError **error);

/* Whether an Authorization header value is "Bearer KEY" for @key, in a
 * time that does not depend on how much of the key matched. */
gboolean ua_proxy_key_matches (const UaSecret *key, const char *authorization);
