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
} UaAgent;

/* The server's request handler: looks `op` up in the dispatch table. */
void ua_dispatch (UaConn *conn, UaMsg *request, gpointer agent);
