/* routes.c: the route table, dispatch, logging and the in-flight gauge.
 *
 * One libsoup handler takes every path and dispatches through a table,
 * because identity endpoints live under several prefixes (/identity_,
 * /identity, /{org}/identity_) that libsoup's prefix matching cannot
 * express.  New endpoints (authorize, the legacy /oauth/token exchange,
 * /api/account/authenticate) are one line each here.
 */
#include "routes.h"

#include <string.h>

#include "check.h"
#include "control.h"
#include "token.h"
#include "authorize.h"
#include "legacy.h"
#include "orchestrator.h"
#include "revocation.h"
#include "signin.h"

typedef enum {
  ROUTE_EXACT,      /* the path as written */
  ROUTE_IDENTITY,   /* the path below any identity base */
} RouteMatch;

typedef struct {
  const char *method;
  RouteMatch match;
  const char *path;
  gboolean in_flight;   /* counted in the in_flight gauge */
  IdRouteHandler handler;
} Route;

static const Route routes[] = {
  { "POST", ROUTE_IDENTITY, "/connect/token", TRUE, id_token_handle },
  { "GET", ROUTE_IDENTITY, "/connect/authorize", FALSE, id_authorize_handle },
  { "POST", ROUTE_IDENTITY, "/connect/authorize/sign-in", FALSE, id_sign_in_credentials },
  { "POST", ROUTE_IDENTITY, "/connect/authorize/consent", FALSE, id_sign_in_consent },
  { "POST", ROUTE_IDENTITY, "/connect/revocation", TRUE, id_revocation_handle },
  { "POST", ROUTE_EXACT, "/oauth/token", TRUE, id_legacy_exchange },
  { "POST", ROUTE_EXACT, "/api/account/authenticate", TRUE, id_legacy_authenticate },
  { "POST", ROUTE_EXACT, "/_control/legacy", FALSE, id_control_legacy },
  { "GET", ROUTE_EXACT, "/api/check", FALSE, id_check_handle },
  { "POST", ROUTE_EXACT, "/api/check", FALSE, id_check_handle },
  { "GET", ROUTE_EXACT, "/_control/stats", FALSE, id_control_stats },
  { "POST", ROUTE_EXACT, "/_control/reset", FALSE, id_control_reset },
  { "POST", ROUTE_EXACT, "/_control/fault", FALSE, id_control_fault },
  { "POST", ROUTE_EXACT, "/_control/client", FALSE, id_control_client },
  { "POST", ROUTE_EXACT, "/_control/lifetime", FALSE, id_control_lifetime },
};

/* Automation Cloud and Suite use /identity_, standalone Orchestrator
 * /identity; either may sit below an organisation segment. */
static const char *const identity_bases[] = { "/identity_", "/identity" };

#define REQUEST_KEY "idserver-request"

typedef struct {
  IdServer *srv;
  gboolean in_flight;
  gboolean done;
} Request;

static gboolean
route_matches_path (const Route *route,
                    const char  *path)
{
  if (route->match == ROUTE_EXACT)
    return g_str_equal (path, route->path);

  for (guint i = 0; i < G_N_ELEMENTS (identity_bases); i++)
    {
      g_autofree char *suffix = g_strconcat (identity_bases[i], route->path, NULL);

      if (g_str_has_suffix (path, suffix))
        return TRUE;
    }
  return FALSE;
}

/* When only the method is wrong, *allow lists the right ones (for 405). */
static const Route *
route_find (const char *method,
            const char *path,
            GString    *allow)
{
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      if (!route_matches_path (&routes[i], path))
        continue;
      if (g_str_equal (method, routes[i].method))
        return &routes[i];
      g_string_append_printf (allow, "%s%s", allow->len > 0 ? ", " : "", routes[i].method);
    }
  return NULL;
}

static void
reply_no_route (SoupServerMessage *msg,
                const GString     *allow)
{
  if (allow->len == 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Allow", allow->str);
  soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
}

/* Logs the request line and outcome only: bodies, queries and headers
 * carry secrets and tokens. */
void
id_request_done (SoupServerMessage *msg,
                 const char        *outcome)
{
  Request *request = g_object_get_data (G_OBJECT (msg), REQUEST_KEY);
  g_autofree char *status = NULL;

  if (request == NULL || request->done)
    return;
  request->done = TRUE;
  if (request->in_flight)
    id_stats_leave (&request->srv->stats);

  if (outcome == NULL)
    outcome = status = g_strdup_printf ("%u", soup_server_message_get_status (msg));
  g_printerr ("idserver: %s %s %s\n", soup_server_message_get_method (msg),
              g_uri_get_path (soup_server_message_get_uri (msg)), outcome);
}

static void
on_finished (SoupServerMessage *msg,
             gpointer           user_data)
{
  id_request_done (msg, NULL);
}

static void
request_begin (IdServer          *srv,
               SoupServerMessage *msg,
               gboolean           in_flight)
{
  Request *request = g_new0 (Request, 1);

  request->srv = srv;
  request->in_flight = in_flight;
  if (in_flight)
    id_stats_enter (&srv->stats);
  g_object_set_data_full (G_OBJECT (msg), REQUEST_KEY, request, g_free);
  g_signal_connect (msg, "finished", G_CALLBACK (on_finished), NULL);
}

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  IdServer *srv = user_data;
  g_autoptr(GString) allow = g_string_new (NULL);
  const Route *route = route_find (soup_server_message_get_method (msg), path, allow);

  request_begin (srv, msg, route != NULL && route->in_flight);
  if (route == NULL && strstr (path, ID_ORCHESTRATOR_BASE) != NULL)
    id_orchestrator_handle (srv, msg, path);
  else if (route != NULL)
    route->handler (srv, msg);
  else
    reply_no_route (msg, allow);
}

void
id_routes_install (IdServer *srv)
{
  id_orchestrator_install (srv);
  soup_server_add_handler (srv->soup, NULL, on_request, srv, NULL);
}
