/* uipauth-proxy: what every request through it shares. */
#pragma once

#include <libsoup/soup.h>

#include "secret.h"
#include "tokens.h"

typedef struct {
  SoupServer *server;
  SoupSession *session;
  GUri *upstream;        /* the profile's url: where every request goes
                          * (http://localhost as http://127.0.0.1) */
  char *upstream_base;   /* the url as given, no trailing slash */
  char *own_base;        /* http://127.0.0.1:PORT, once listening */
  UaSecret *key;         /* the child's key */
  UaProxyTokens *tokens;
} UaProxy;

/* Takes every request on @proxy->server. */
void ua_proxy_forward_install (UaProxy *proxy);
