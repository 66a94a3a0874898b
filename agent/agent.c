#include "config.h"

#include "agent.h"

#include "login.h"
#include "mint.h"

static const UaCacheFuncs cache_funcs = {
  .now = g_get_monotonic_time,
  .mint_async = ua_mint_async,
  .mint_finish = ua_mint_finish,
};

void
ua_agent_init (UaAgent *agent, UaProfiles *profiles, UaStore *store)
{
  agent->profiles = profiles;
  agent->store = store;
  agent->cache = ua_cache_new (&cache_funcs);
  agent->logins = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) ua_login_free);
  agent->credentials = ua_credentials_new (profiles, agent->cache, store);
}

void
ua_agent_clear (UaAgent *agent)
{
  /* Retiring the credentials ends their logins; then the logins go. */
  g_clear_pointer (&agent->credentials, ua_credentials_free);
  g_clear_pointer (&agent->logins, g_hash_table_unref);
  g_clear_pointer (&agent->cache, ua_cache_free);
  g_clear_pointer (&agent->profiles, ua_profiles_free);
  g_clear_pointer (&agent->store, ua_store_free);
}
