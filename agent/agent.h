/* The agent's state, owned by the main context. */
#pragma once

#include <glib.h>

#include "cache.h"
#include "profiles.h"
#include "server.h"

typedef struct {
  UaProfiles *profiles;
  UaCache *cache;
  UaServer *server;
  GMainLoop *loop;
  gint64 started;      /* monotonic */
  guint busy;          /* long operations in flight (a browser login): the
                          agent does not exit idle while this is not 0 */
} UaAgent;

/* The server's request handler: looks `op` up in the dispatch table. */
void ua_dispatch (UaConn *conn, UaMsg *request, gpointer agent);
