/* clients.h: registered confidential clients (external applications). */
#pragma once

#include <glib.h>

typedef struct {
  char *id;
  char *secret;
  GHashTable *scopes;   /* set of scope names the client may ask for */
} IdClient;

GHashTable *id_clients_new      (void);
void        id_clients_put      (GHashTable  *clients,
                                 const char  *id,
                                 const char  *secret,
                                 const char  *scopes);
gboolean    id_clients_put_spec (GHashTable  *clients,
                                 const char  *spec,
                                 GError     **error);
IdClient   *id_clients_lookup   (GHashTable  *clients,
                                 const char  *id);

gboolean    id_client_grant_scopes (const IdClient *client,
                                    const char     *requested,
                                    char          **granted);
