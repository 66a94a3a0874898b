/* The token cache: each credential's token in agent memory only, with
 * deadlines on the cache's monotonic clock.
 *
 * - A token is handed out only while it stays valid for the caller's
 *   minimum; tokens that are in use are re-minted in the background ahead
 *   of expiry, so steady-state callers never wait on the network.
 * - Any number of concurrent requests for one entry share one mint and its
 *   result or error (single flight).
 * - Failures back off: exponentially with jitter for transient ones, by
 *   Retry-After when the server says, and a long hold for rejected
 *   credentials; meanwhile still-valid tokens keep being served.
 *
 * One UaCacheEntry per credential (credential.h), which owns it; the
 * UaCache holds what entries share: the clock, the mint function and one
 * timer for every scheduled refresh.  Both are seams for the unit tests,
 * which give the cache a fake clock and a fake mint.  Owned by the main
 * context; not thread-safe. */
#pragma once

#include <gio/gio.h>

#include "grant.h"
#include "token.h"

typedef struct UaCache UaCache;
typedef struct UaCacheEntry UaCacheEntry;

/* Called exactly once per ua_cache_entry_get(), possibly before it
 * returns.  Exactly one of @token and @error is set; neither outlives the
 * call. */
typedef void (*UaCacheReply) (const UaToken *token, const GError *error,
                              gpointer user_data);

typedef struct {
  /* Monotonic microseconds (g_get_monotonic_time). */
  gint64 (*now) (void);
  /* Mints a token for an entry's owner; finishes with a UaGrantResult. */
  void (*mint_async) (gpointer owner, GCancellable *cancellable,
                      GAsyncReadyCallback callback, gpointer user_data);
  UaGrantResult *(*mint_finish) (GAsyncResult *result);
} UaCacheFuncs;

typedef struct {
  gboolean cached;
  gint64 expires_in;  /* seconds, G_MAXINT64 for tokens that never expire */
  gint64 expires_at;  /* Unix seconds, 0 if never */
  const char *state;  /* idle, minting, backoff, failed */
  const char *last_error;
  guint64 mints;      /* mints completed */
  guint64 hits;       /* requests answered from memory at once */
  guint64 waits;      /* requests that waited for a mint */
} UaCacheInfo;

/* Copies @funcs. */
UaCache *ua_cache_new (const UaCacheFuncs *funcs);
void ua_cache_free (UaCache *cache);
/* Starts the refreshes that are due now on the cache's clock.  The
 * cache's timer calls it; tests call it after moving a fake clock. */
void ua_cache_run_due (UaCache *cache);
/* Entries that are not retired. */
guint ua_cache_size (UaCache *cache);
/* Mints in flight, foreground or background (the agent does not exit
 * idle during one). */
guint ua_cache_n_minting (UaCache *cache);

/* @owner is what the mint function is given; @name (copied) names the
 * profile in errors and logs. */
UaCacheEntry *ua_cache_entry_new (UaCache *cache, gpointer owner,
                                  const char *name);
/* The owner lets go, and the entry with it: its mint is cancelled, its
 * waiters are answered with @why, its token is wiped, and an answer still
 * in flight is wiped and dropped when it comes. */
void ua_cache_entry_retire (UaCacheEntry *entry, const GError *why);

void ua_cache_entry_get (UaCacheEntry *entry, gint64 min_valid,
                         gboolean force_new, UaCacheReply reply,
                         gpointer user_data);
/* Drops the token and resets the back-off (a new sign-in, `forget`,
 * `lock`).  A mint in flight still answers the callers waiting for it,
 * but leaves nothing behind: its token is not kept, its failure sets no
 * hold. */
void ua_cache_entry_forget (UaCacheEntry *entry);
/* What made the last mint fail has changed (its secret file was
 * replaced): the next request mints at once instead of getting the held
 * error.  The token, if any, stays. */
void ua_cache_entry_retry_now (UaCacheEntry *entry);

/* Fills @info; FALSE for an entry that was never asked for a token. */
gboolean ua_cache_entry_describe (UaCacheEntry *entry, UaCacheInfo *info);
/* When the next background refresh or retry is due (monotonic), 0 when
 * none is scheduled; and until when a mint is held back after a failure. */
gint64 ua_cache_entry_due_at (UaCacheEntry *entry);
gint64 ua_cache_entry_hold_until (UaCacheEntry *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UaCache, ua_cache_free)
