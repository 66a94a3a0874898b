#include "config.h"

#include "idle.h"

/* While something is in flight, look again this often. */
#define IDLE_RECHECK_MS 1000

static void schedule (UaAgent *agent, gint64 delay_us);

static gboolean
busy (UaAgent *agent)
{
  return ua_server_n_connections (agent->server) > 0 ||
         ua_cache_n_minting (agent->cache) > 0 || agent->busy > 0;
}

static gboolean
check_idle (gpointer data)
{
  UaAgent *agent = data;
  gint64 quiet = g_get_monotonic_time () - ua_server_last_activity (agent->server);

  agent->idle_source = 0;
  if (quiet < agent->idle_timeout_us)
    schedule (agent, agent->idle_timeout_us - quiet);
  else if (busy (agent))
    schedule (agent, IDLE_RECHECK_MS * 1000);
  else
    {
      g_message ("idle for %" G_GINT64_FORMAT " s, exiting", quiet / G_USEC_PER_SEC);
      g_main_loop_quit (agent->loop);
    }
  return G_SOURCE_REMOVE;
}

static void
schedule (UaAgent *agent, gint64 delay_us)
{
  gint64 ms = (delay_us + 999) / 1000;

  agent->idle_source = g_timeout_add ((guint) CLAMP (ms, 1, G_MAXINT), check_idle, agent);
}

void
ua_idle_start (UaAgent *agent, guint timeout_s)
{
  ua_idle_stop (agent);
  if (timeout_s == 0)
    return;
  agent->idle_timeout_us = (gint64) timeout_s * G_USEC_PER_SEC;
  schedule (agent, agent->idle_timeout_us);
}

void
ua_idle_stop (UaAgent *agent)
{
  g_clear_handle_id (&agent->idle_source, g_source_remove);
}
