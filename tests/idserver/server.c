/* server.c: creation and teardown of the shared server state. */
#include "server.h"

#include "clients.h"
#include "signin.h"

IdServer *
id_server_new (gint64 lifetime_s)
{
  IdServer *srv = g_new0 (IdServer, 1);

  srv->soup = soup_server_new ("server-header", "uipauth-test-idserver ", NULL);
  srv->clients = id_clients_new ();
  srv->pats = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  srv->tokens = id_tokens_new ();
  srv->auth = id_auth_new ();
  srv->api_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  srv->users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  srv->pending = id_pending_new ();
  id_stats_init (&srv->stats);
  id_fault_clear (&srv->fault);
  srv->invalid_client_status = SOUP_STATUS_BAD_REQUEST;
  srv->lifetime_s = lifetime_s;
  return srv;
}

void
id_server_free (IdServer *srv)
{
  if (srv == NULL)
    return;

  /* Parked messages hold references into libsoup: drop them while the
   * server still exists, then stop listening. */
  id_pending_free (srv->pending);
  soup_server_disconnect (srv->soup);
  g_object_unref (srv->soup);
  g_hash_table_unref (srv->clients);
  g_hash_table_unref (srv->pats);
  id_tokens_free (srv->tokens);
  id_auth_free (srv->auth);
  g_hash_table_unref (srv->api_keys);
  g_hash_table_unref (srv->users);
  id_sign_in_free (srv->sign_in);
  id_stats_clear (&srv->stats);
  g_free (srv);
}
