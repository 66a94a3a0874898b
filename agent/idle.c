#include "config.h"

#include "idle.h"

/* While something is in flight, look again this often. */
#define IDLE_RECHECK_MS 1000

static UaAgent *idle_agent;
static gint64 idle_timeout_us;
static guint idle_source;

static void schedule (gint64 delay_us);

static gboolean
busy (UaAgent *agent)
{
  return ua_server_n_connections (agent->server) > 0 ||
         ua_cache_n_minting (agent->cache) > 0 || agent->busy > 0;
}

static gboolean
check_idle (gpointer data)
{
  UaAgent *agent = idle_agent;
  gint64 quiet = g_get_monotonic_time () - ua_server_last_activity (agent->server);

  idle_source = 0;
  if (quiet < idle_timeout_us)
    schedule (idle_timeout_us - quiet);
  else if (busy (agent))
    schedule (IDLE_RECHECK_MS * 1000);
  else
    {
      g_message ("idle for %" G_GINT64_FORMAT " s, exiting", quiet / G_USEC_PER_SEC);
      g_main_loop_quit (agent->loop);
    }
  return G_SOURCE_REMOVE;
}

static void
schedule (gint64 delay_us)
{
  gint64 ms = (delay_us + 999) / 1000;

  idle_source = g_timeout_add ((guint) CLAMP (ms, 1, G_MAXINT), check_idle, NULL);
}

void
ua_idle_start (UaAgent *agent, guint timeout_s)
{
  ua_idle_stop ();
  if (timeout_s == 0)
    return;
  idle_agent = agent;
  idle_timeout_us = (gint64) timeout_s * G_USEC_PER_SEC;
  schedule (idle_timeout_us);
}

void
ua_idle_stop (void)
{
  g_clear_handle_id (&idle_source, g_source_remove);
}
