/* server.h: the state shared by every endpoint of the test identity server.
 *
 * The server is single-threaded (one GMainContext), so nothing here is
 * locked: every handler runs to completion on the main loop.
 */
#pragma once

#include <libsoup/soup.h>

#include "auth.h"
#include "faults.h"
#include "pending.h"
#include "stats.h"
#include "tokens.h"

typedef struct _IdServer IdServer;
typedef struct _IdSignIn IdSignIn;

struct _IdServer {
  SoupServer *soup;
  GHashTable *clients;            /* id → IdClient */
  GHashTable *pats;               /* set of accepted personal access tokens */
  IdTokens *tokens;
  IdAuth *auth;                   /* codes and refresh-token families */
  GHashTable *api_keys;           /* legacy user key → tenant */
  GHashTable *users;              /* "tenant\nuser" → password */
  IdPending *pending;
  IdSignIn *sign_in;              /* NULL: authorize approves at once */
  IdStats stats;
  IdFault fault;                  /* armed for the next token requests */
  guint invalid_client_status;    /* UiPath answers 400 or 401: tests pick */
  gint64 lifetime_s;
};

IdServer *id_server_new  (gint64    lifetime_s);
void      id_server_free (IdServer *srv);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IdServer, id_server_free)
