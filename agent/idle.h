/* Exit when nothing has happened for a while.  Meant for socket
 * activation, where systemd keeps the socket and starts the agent again on
 * the next connection; tokens are re-minted then, secrets stay in the
 * keyring. */
#pragma once

#include "agent.h"

/* After @timeout_s seconds without a request, with no client connected,
 * no mint in flight (ua_cache_n_minting) and agent->busy 0, quits the
 * agent's loop.  0 means never. */
void ua_idle_start (UaAgent *agent, guint timeout_s);
void ua_idle_stop (UaAgent *agent);
