/* stats.c: request counters and the in-flight gauge. */
#include "stats.h"

static GHashTable *
counter_table_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

void
id_stats_init (IdStats *stats)
{
  *stats = (IdStats) { 0 };
  stats->by_client = counter_table_new ();
  stats->by_grant = counter_table_new ();
  stats->by_auth = counter_table_new ();
}

void
id_stats_clear (IdStats *stats)
{
  g_clear_pointer (&stats->by_client, g_hash_table_unref);
  g_clear_pointer (&stats->by_grant, g_hash_table_unref);
  g_clear_pointer (&stats->by_auth, g_hash_table_unref);
}

/* Requests still in flight stay counted so the gauge cannot go negative;
 * the high-water mark restarts from them. */
void
id_stats_reset (IdStats *stats)
{
  guint in_flight = stats->in_flight;

  id_stats_clear (stats);
  id_stats_init (stats);
  stats->in_flight = in_flight;
  stats->max_in_flight = in_flight;
}

static void
counter_bump (GHashTable *table,
              const char *key)
{
  guint count;

  /* A request without the parameter is still counted in the total. */
  if (key == NULL)
    return;
  count = GPOINTER_TO_UINT (g_hash_table_lookup (table, key));
  g_hash_table_insert (table, g_strdup (key), GUINT_TO_POINTER (count + 1));
}

void
id_stats_count_request (IdStats    *stats,
                        const char *client_id,
                        const char *grant_type)
{
  stats->token_requests++;
  counter_bump (stats->by_client, client_id);
  counter_bump (stats->by_grant, grant_type);
}

void
id_stats_count_auth (IdStats    *stats,
                     const char *method)
{
  counter_bump (stats->by_auth, method);
}

void
id_stats_enter (IdStats *stats)
{
  stats->in_flight++;
  stats->max_in_flight = MAX (stats->max_in_flight, stats->in_flight);
}

void
id_stats_leave (IdStats *stats)
{
  g_return_if_fail (stats->in_flight > 0);
  stats->in_flight--;
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_counters (JsonBuilder *builder,
              const char  *name,
              GHashTable  *table)
{
  GHashTableIter iter;
  gpointer key, count;

  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, &count))
    add_int (builder, key, GPOINTER_TO_UINT (count));
  json_builder_end_object (builder);
}

/* Adds the members to the object the caller has opened. */
void
id_stats_build (const IdStats *stats,
                JsonBuilder   *builder)
{
  add_int (builder, "token_requests", stats->token_requests);
  add_counters (builder, "by_client", stats->by_client);
  add_counters (builder, "by_grant", stats->by_grant);
  add_counters (builder, "by_auth", stats->by_auth);
  add_int (builder, "issued", stats->issued);
  add_int (builder, "check_ok", stats->check_ok);
  add_int (builder, "check_expired", stats->check_expired);
  add_int (builder, "check_bad", stats->check_bad);
  add_int (builder, "authorize", stats->authorize);
  add_int (builder, "reuse_detected", stats->reuse_detected);
  add_int (builder, "revocations", stats->revocations);
  add_int (builder, "revoked", stats->revoked);
  add_int (builder, "in_flight", stats->in_flight);
  add_int (builder, "max_in_flight", stats->max_in_flight);
}
