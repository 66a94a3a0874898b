/* The agent's state, owned by the main context:
 *
 *   UaAgent ─┬─ profiles     the table (profiles.ini, or memory)
 *            ├─ store        where secrets live (keyring or memory)
 *            ├─ cache        clock, mint function, one refresh timer
 *            ├─ credentials  one UaCredential per profile generation:
 *            │               its cache entry, refresh-token state, login
 *            ├─ logins       pending and lingering logins, by id
 *            └─ server       the socket and its connections
 */
#pragma once

#include <glib.h>

#include "cache.h"
#include "credentials.h"
#include "profiles.h"
#include "server.h"
#include "store.h"

typedef struct {
  UaProfiles *profiles;
  UaStore *store;
  UaCache *cache;
  UaCredentials *credentials;
  GHashTable *logins;  /* id -> UaLogin */
  UaServer *server;
  GMainLoop *loop;
  gint64 started;      /* monotonic */
  guint busy;          /* long operations in flight (a browser login): the
                          agent does not exit idle while this is not 0 */
  guint idle_source;   /* idle.c: the check for idle exit */
  gint64 idle_timeout_us;
} UaAgent;

/* The server's request handler: looks `op` up in the dispatch table, and
 * on the restricted socket refuses (`forbidden`) every op the table does
 * not allow there, unknown ones included. */
void ua_dispatch (UaConn *conn, UaMsg *request, gpointer agent);
/* The table's ops, i from 0 until NULL: tests send each one to the
 * restricted socket. */
const char *ua_dispatch_op (guint i);

/* Wires the agent's parts around @profiles and @store (both taken). */
void ua_agent_init (UaAgent *agent, UaProfiles *profiles, UaStore *store);
/* Retires every credential, ends every login, frees the parts. */
void ua_agent_clear (UaAgent *agent);
