/* Which headers cross the proxy.  Hop-by-hop headers (RFC 9110 7.6.1:
 * Connection and every header it names, Keep-Alive, TE, Trailer,
 * Transfer-Encoding, Upgrade, Proxy-*) describe one connection and stop
 * here, both ways; so do the headers the proxy sets itself. */
#pragma once

#include <libsoup/soup.h>

typedef enum {
  UA_HOP_REQUEST,  /* child → upstream: Host, Authorization, Content-Length
                    * and Expect are the proxy's own */
  UA_HOP_RESPONSE, /* upstream → child: Content-Length and Date are the
                    * proxy's own */
} UaHopDirection;

/* Whether header @name stops at the proxy; @connection is the value of
 * the message's Connection headers (NULL if none).  Pure. */
gboolean ua_proxy_hop_drops (const char *name, const char *connection,
                             UaHopDirection direction);

/* Appends to @to every header of @from that crosses. */
void ua_proxy_hop_copy (SoupMessageHeaders *from, SoupMessageHeaders *to,
                        UaHopDirection direction);
