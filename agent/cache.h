/* The token cache: tokens in agent memory only, keyed by profile and the
 * sorted scope set, with deadlines on the monotonic clock.
 *
 * - A token is handed out only while it stays valid for the caller's
 *   minimum; tokens that are in use are re-minted in the background ahead
 *   of expiry, so steady-state callers never wait on the network.
 * - Any number of concurrent requests for one key share one mint and its
 *   result or error (single flight).
 * - Failures back off: exponentially with jitter for transient ones, by
 *   Retry-After when the server says, and a long hold for rejected
 *   credentials; meanwhile still-valid tokens keep being served.
 * Owned by the main context; not thread-safe. */
#pragma once

#include <glib.h>

#include "profiles.h"
#include "token.h"

typedef struct UaCache UaCache;

/* Called exactly once per ua_cache_get(), possibly before it returns.
 * Exactly one of @token and @error is set; neither outlives the call. */
typedef void (*UaCacheReply) (const UaToken *token, const GError *error,
                              gpointer user_data);

typedef struct {
  gboolean cached;
  gint64 expires_in;  /* seconds, G_MAXINT64 for tokens that never expire */
  gint64 expires_at;  /* Unix seconds, 0 if never */
  const char *state;  /* idle, minting, backoff, failed */
  const char *last_error;
  guint64 mints;      /* mints completed for this key */
  guint64 hits;       /* requests answered from memory at once */
  guint64 waits;      /* requests that waited for a mint */
} UaCacheInfo;

UaCache *ua_cache_new (void);
void ua_cache_free (UaCache *cache);

void ua_cache_get (UaCache *cache, const UaProfile *profile, gint64 min_valid,
                   gboolean force_new, UaCacheReply reply, gpointer user_data);

/* Drops the tokens of @name, cancels its mints and resets its back-off. */
void ua_cache_forget_profile (UaCache *cache, const char *name);
/* Drops every token (screen lock); mints in flight are cancelled. */
void ua_cache_clear (UaCache *cache);

/* Fills @info for the entry of @profile; FALSE if there is none. */
gboolean ua_cache_describe (UaCache *cache, const UaProfile *profile,
                            UaCacheInfo *info);
guint ua_cache_size (UaCache *cache);
/* Mints in flight, foreground or background (the agent does not exit
 * idle during one). */
guint ua_cache_n_minting (UaCache *cache);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UaCache, ua_cache_free)
