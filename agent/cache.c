#include "config.h"

#include "cache.h"

#include <string.h>

#include "ua-error.h"

/* Refresh when a third of the lifetime is left, or earlier if callers ask
 * for more validity than that. */
#define REFRESH_LEAD_FRACTION 3
/* Never refresh before a quarter of the lifetime: a token that cannot
 * satisfy its callers must not make the agent mint in a loop. */
#define REFRESH_EARLIEST_FRACTION 4
/* Transient failures: first retry after 1 s, doubling up to 5 minutes. */
#define BACKOFF_FIRST_S 1
#define BACKOFF_MAX_S 300
/* A rejected credential is not tried again for a minute (doubling up to
 * an hour) unless the caller forces it or the profile changes. */
#define REJECT_HOLD_S 60
#define REJECT_HOLD_MAX_S 3600

typedef struct {
  gint64 min_valid;
  UaCacheReply reply;
  gpointer user_data;
  gboolean force_new; /* asked for a new token: an old one will not do */
} Waiter;

struct UaCacheEntry {
  gint refs;                 /* the owner's, the mint's, the schedule's */
  UaCache *cache;
  gpointer owner;
  char *name;
  UaToken *token;
  GArray *waiters;           /* of Waiter */
  GCancellable *cancellable; /* of the mint in flight, NULL if none */
  gint64 max_min_valid;      /* largest minimum callers asked for */
  gint64 last_used;          /* monotonic */
  GSequenceIter *due;        /* in cache->due while a refresh is scheduled */
  gint64 due_at;             /* monotonic */
  guint failures;
  gint64 hold_until;         /* monotonic: no mint before, unless forced */
  GError *last_error;
  gboolean last_error_final; /* rejected: do not retry in the background */
  guint64 mints;
  guint64 hits;
  guint64 waits;
  guint resets;              /* bumped by a forget or a lock: a mint started
                              * before it answers its waiters but leaves
                              * nothing behind, neither token nor hold */
  gboolean asked;            /* some caller asked for a token */
  gboolean retired;          /* the owner let go */
};

/* Scheduled refreshes wait in one sequence ordered by time, under one
 * timer for the earliest.  A GLib timer per entry made every turn of the
 * main loop walk all of them: with 10,000 cached tokens the agent served
 * a tenth of the requests it serves with a few. */
struct UaCache {
  UaCacheFuncs funcs;
  GSequence *due;      /* of UaCacheEntry, by due_at; each holds a reference */
  guint timer;
  gint64 timer_at;     /* the clock's time the timer is set for */
  guint n_entries;     /* not retired */
  guint n_minting;
};

typedef UaCacheEntry Entry;

static void start_mint (Entry *e);
static void unschedule (Entry *e);

static gint64
now (const Entry *e)
{
  return e->cache->funcs.now ();
}

static Entry *
entry_ref (Entry *e)
{
  e->refs++;
  return e;
}

static void
entry_unref (Entry *e)
{
  if (--e->refs > 0)
    return;
  g_assert (e->waiters->len == 0);
  g_assert (e->due == NULL);
  ua_token_free (e->token);
  g_array_unref (e->waiters);
  g_clear_error (&e->last_error);
  g_clear_object (&e->cancellable);
  g_free (e->name);
  g_free (e);
}

UaCache *
ua_cache_new (const UaCacheFuncs *funcs)
{
  UaCache *cache = g_new0 (UaCache, 1);

  cache->funcs = *funcs;
  cache->due = g_sequence_new (NULL);
  return cache;
}

void
ua_cache_free (UaCache *cache)
{
  if (cache == NULL)
    return;
  /* Entries outlive the cache only in their owners, which are gone. */
  while (!g_sequence_is_empty (cache->due))
    {
      GSequenceIter *it = g_sequence_get_begin_iter (cache->due);
      Entry *e = g_sequence_get (it);

      g_sequence_remove (it);
      e->due = NULL;
      entry_unref (e);
    }
  g_clear_handle_id (&cache->timer, g_source_remove);
  g_sequence_free (cache->due);
  g_free (cache);
}

guint
ua_cache_size (UaCache *cache)
{
  return cache->n_entries;
}

guint
ua_cache_n_minting (UaCache *cache)
{
  return cache->n_minting;
}

UaCacheEntry *
ua_cache_entry_new (UaCache *cache, gpointer owner, const char *name)
{
  Entry *e = g_new0 (Entry, 1);

  e->refs = 1;
  e->cache = cache;
  e->owner = owner;
  e->name = g_strdup (name);
  e->waiters = g_array_new (FALSE, FALSE, sizeof (Waiter));
  cache->n_entries++;
  return e;
}

static gint64
remaining (const Entry *e, gint64 at)
{
  return e->token ? ua_token_remaining (e->token, at) : G_MININT64;
}

static void
refresh_due (Entry *e)
{
  /* Only tokens someone used since they were minted are kept fresh;
   * idle ones are left to lapse. */
  if (!e->retired && e->cancellable == NULL && e->token != NULL &&
      e->last_used > e->token->issued_mono)
    start_mint (e);
}

static gint
by_due_at (gconstpointer a, gconstpointer b, gpointer data)
{
  const Entry *x = a, *y = b;

  if (x->due_at != y->due_at)
    return x->due_at < y->due_at ? -1 : 1;
  return x < y ? -1 : x > y;
}

static gboolean fire_due (gpointer data);

/* One timer, for the earliest scheduled refresh. */
static void
rearm (UaCache *cache)
{
  GSequenceIter *first = g_sequence_get_begin_iter (cache->due);
  gint64 at, delay_ms;

  if (g_sequence_iter_is_end (first))
    {
      g_clear_handle_id (&cache->timer, g_source_remove);
      return;
    }
  at = ((Entry *) g_sequence_get (first))->due_at;
  if (cache->timer != 0 && cache->timer_at == at)
    return;
  g_clear_handle_id (&cache->timer, g_source_remove);
  /* Rounded up: when the timer fires, the entry is due. */
  delay_ms = MAX (0, (at - cache->funcs.now () + 999) / 1000);
  cache->timer_at = at;
  cache->timer = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) MIN (delay_ms, G_MAXUINT),
                                     fire_due, cache, NULL);
}

void
ua_cache_run_due (UaCache *cache)
{
  g_autoptr(GPtrArray) due = g_ptr_array_new ();
  gint64 at = cache->funcs.now ();
  GSequenceIter *it;

  /* Taken out first: a refresh may schedule its entry again. */
  while (!g_sequence_iter_is_end (it = g_sequence_get_begin_iter (cache->due)) &&
         ((Entry *) g_sequence_get (it))->due_at <= at)
    {
      Entry *e = g_sequence_get (it);
      g_sequence_remove (it);
      e->due = NULL;
      g_ptr_array_add (due, e);
    }
  for (guint i = 0; i < due->len; i++)
    {
      refresh_due (due->pdata[i]);
      entry_unref (due->pdata[i]);
    }
  rearm (cache);
}

static gboolean
fire_due (gpointer data)
{
  UaCache *cache = data;

  cache->timer = 0;
  ua_cache_run_due (cache);
  return G_SOURCE_REMOVE;
}

static void
unschedule (Entry *e)
{
  if (e->due == NULL)
    return;
  g_sequence_remove (e->due);
  e->due = NULL;
  rearm (e->cache);
  entry_unref (e);
}

static void
schedule (Entry *e, gint64 at_mono)
{
  unschedule (e);
  e->due_at = at_mono;
  e->due = g_sequence_insert_sorted (e->cache->due, entry_ref (e), by_due_at, NULL);
  rearm (e->cache);
}

static void
schedule_refresh (Entry *e)
{
  const UaToken *t = e->token;
  gint64 lifetime, lead, margin, jitter, at;

  if (t->expires_mono == 0)
    return;
  lifetime = t->expires_mono - t->issued_mono;
  margin = CLAMP (lifetime / 10, G_USEC_PER_SEC / 5, 10 * G_USEC_PER_SEC);
  lead = MAX (lifetime / REFRESH_LEAD_FRACTION,
              e->max_min_valid * G_USEC_PER_SEC + margin);
  /* Jitter spreads the refreshes of many profiles minted together. */
  jitter = (gint64) g_random_double_range (0, (double) lifetime / 20);
  at = t->expires_mono - lead - jitter;
  at = MAX (at, t->issued_mono + lifetime / REFRESH_EARLIEST_FRACTION);
  schedule (e, at);
}

/* In microseconds: in whole seconds, the first transient hold of [0.5, 1]
 * s came out as 0 half the time, and the next caller or the background
 * retry minted again at once. */
static gint64
backoff_delay (Entry *e, const UaGrantFailure *failure)
{
  guint shift = MIN (e->failures - 1, 16u);
  gint64 base, cap;

  if (failure->retry == UA_GRANT_RETRY_AFTER && failure->retry_after > 0)
    return MIN (failure->retry_after, (gint64) REJECT_HOLD_MAX_S) * G_USEC_PER_SEC;
  if (failure->retry == UA_GRANT_RETRY_NEVER)
    {
      base = REJECT_HOLD_S;
      cap = REJECT_HOLD_MAX_S;
    }
  else
    {
      base = BACKOFF_FIRST_S;
      cap = BACKOFF_MAX_S;
    }
  /* Full jitter in [d/2, d], so a fleet of agents does not retry in step. */
  base = MIN (base << shift, cap) * G_USEC_PER_SEC;
  return (gint64) g_random_double_range ((double) base / 2, (double) base);
}

static void
answer (const Waiter *w, const UaToken *token, const GError *error)
{
  w->reply (token, error, w->user_data);
}

static void
answer_too_short (const Entry *e, const UaToken *token, const Waiter *w)
{
  g_autoptr(GError) error = NULL;
  gint64 life = (token->expires_mono - token->issued_mono) / G_USEC_PER_SEC;

  error = g_error_new (UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                       "profile \"%s\": the identity server issues tokens valid "
                       "for %" G_GINT64_FORMAT " s, less than the %" G_GINT64_FORMAT
                       " s asked for; lower --min-valid",
                       e->name, life, w->min_valid);
  answer (w, NULL, error);
}

/* Answers every waiter from @token (the entry's, or a mint's that is not
 * kept), or with @error. */
static void
flush_waiters (Entry *e, const UaToken *token, const GError *error)
{
  g_autoptr(GArray) waiters = e->waiters;
  gint64 at = now (e);

  e->waiters = g_array_new (FALSE, FALSE, sizeof (Waiter));
  for (guint i = 0; i < waiters->len; i++)
    {
      const Waiter *w = &g_array_index (waiters, Waiter, i);

      /* A failed mint still leaves callers the valid token they had,
       * except those who asked for a new one: they get the failure. */
      if (token != NULL && ua_token_remaining (token, at) >= w->min_valid &&
          !(error != NULL && w->force_new))
        answer (w, token, NULL);
      else if (error != NULL)
        answer (w, NULL, error);
      else if (token != NULL)
        answer_too_short (e, token, w);
    }
}

static void
mint_succeeded (Entry *e, UaToken *token)
{
  g_clear_pointer (&e->token, ua_token_free);
  e->token = token;
  e->failures = 0;
  e->hold_until = 0;
  e->mints++;
  g_clear_error (&e->last_error);
  schedule_refresh (e);
  g_debug ("profile %s: new token, %" G_GINT64_FORMAT " s", e->name,
           token->expires_mono ? (token->expires_mono - token->issued_mono) / G_USEC_PER_SEC : -1);
}

static void
mint_failed (Entry *e, const GError *error, const UaGrantFailure *failure)
{
  gint64 delay, at = now (e);

  e->failures++;
  delay = backoff_delay (e, failure);
  e->hold_until = at + delay;
  /* A locked or missing keyring costs nothing to ask again (it never
   * prompts), and the user may unlock it any moment: the next request
   * tries again at once; background retries keep their back-off. */
  if (ua_error_code (error) == UA_ERR_KEYRING)
    e->hold_until = at;
  e->last_error_final = failure->retry == UA_GRANT_RETRY_NEVER;
  g_clear_error (&e->last_error);
  e->last_error = g_error_copy (error);
  g_message ("profile %s: mint failed (%s), next try in %.1f s",
             e->name, ua_error_to_string (ua_error_code (error)),
             (double) delay / G_USEC_PER_SEC);

  /* Keep a still-valid token fresh by retrying in the background; a
   * rejected credential waits for a caller or a profile change. */
  if (!e->last_error_final && e->token != NULL
      && remaining (e, at) > delay / G_USEC_PER_SEC)
    schedule (e, at + delay);
}

typedef struct {
  Entry *entry;
  guint resets; /* the entry's when the mint started */
} Mint;

static void
mint_done (GObject *source, GAsyncResult *res, gpointer data)
{
  Mint *m = data;
  Entry *e = m->entry;
  g_autoptr(UaGrantResult) result = e->cache->funcs.mint_finish (res);

  g_clear_object (&e->cancellable);
  e->cache->n_minting--;
  /* A retired entry's answer is wiped (by the autoptr) and dropped: its
   * waiters were answered when it was retired. */
  if (!e->retired)
    {
      if (m->resets != e->resets) /* served, not kept */
        flush_waiters (e, result->token ? result->token : e->token, result->error);
      else if (result->token != NULL)
        {
          mint_succeeded (e, g_steal_pointer (&result->token));
          flush_waiters (e, e->token, NULL);
        }
      else
        {
          mint_failed (e, result->error, &result->failure);
          flush_waiters (e, e->token, result->error);
        }
    }
  entry_unref (e);
  g_free (m);
}

static void
start_mint (Entry *e)
{
  Mint *m = g_new0 (Mint, 1);

  g_assert (e->cancellable == NULL);
  m->entry = entry_ref (e);
  m->resets = e->resets;
  e->cancellable = g_cancellable_new ();
  e->cache->n_minting++;
  e->cache->funcs.mint_async (e->owner, e->cancellable, mint_done, m);
}

void
ua_cache_entry_get (UaCacheEntry *e, gint64 min_valid, gboolean force_new,
                    UaCacheReply reply, gpointer user_data)
{
  gint64 at = now (e);
  Waiter w = { MAX (min_valid, 0), reply, user_data, force_new };

  g_assert (!e->retired);
  e->asked = TRUE;
  e->last_used = at;
  e->max_min_valid = MAX (e->max_min_valid, w.min_valid);

  if (!force_new && e->token != NULL && remaining (e, at) >= w.min_valid)
    {
      e->hits++;
      answer (&w, e->token, NULL);
      return;
    }
  /* The server's tokens never live that long: minting cannot help. */
  if (!force_new && e->token != NULL && e->token->expires_mono != 0 &&
      e->token->expires_mono - e->token->issued_mono < w.min_valid * G_USEC_PER_SEC)
    {
      answer_too_short (e, e->token, &w);
      return;
    }
  /* Joining a mint in flight is as fresh as starting one. */
  if (e->cancellable != NULL)
    {
      e->waits++;
      g_array_append_val (e->waiters, w);
      return;
    }
  if (!force_new && e->last_error != NULL && at < e->hold_until)
    {
      answer (&w, NULL, e->last_error);
      return;
    }
  e->waits++;
  g_array_append_val (e->waiters, w);
  start_mint (e);
}

void
ua_cache_entry_forget (UaCacheEntry *e)
{
  unschedule (e);
  g_clear_pointer (&e->token, ua_token_free);
  e->failures = 0;
  e->hold_until = 0;
  e->last_error_final = FALSE;
  g_clear_error (&e->last_error);
  e->resets++;
}

void
ua_cache_entry_retry_now (UaCacheEntry *e)
{
  if (e->last_error == NULL)
    return;
  e->failures = 0;
  e->hold_until = 0;
  e->last_error_final = FALSE;
  g_clear_error (&e->last_error);
}

void
ua_cache_entry_retire (UaCacheEntry *e, const GError *why)
{
  g_assert (!e->retired);
  e->retired = TRUE;
  e->cache->n_entries--;
  unschedule (e);
  g_clear_pointer (&e->token, ua_token_free);
  if (e->cancellable != NULL)
    g_cancellable_cancel (e->cancellable);
  flush_waiters (e, NULL, why);
  entry_unref (e);
}

gboolean
ua_cache_entry_describe (UaCacheEntry *e, UaCacheInfo *info)
{
  gint64 at = now (e);

  memset (info, 0, sizeof *info);
  if (!e->asked)
    return FALSE;
  info->cached = e->token != NULL && remaining (e, at) > 0;
  if (info->cached)
    {
      info->expires_in = remaining (e, at);
      info->expires_at = e->token->expires_wall;
    }
  if (e->cancellable != NULL)
    info->state = "minting";
  else if (e->last_error != NULL && at < e->hold_until)
    info->state = e->last_error_final ? "failed" : "backoff";
  else
    info->state = "idle";
  info->last_error = e->last_error ? e->last_error->message : NULL;
  info->mints = e->mints;
  info->hits = e->hits;
  info->waits = e->waits;
  return TRUE;
}

gint64
ua_cache_entry_due_at (UaCacheEntry *e)
{
  return e->due != NULL ? e->due_at : 0;
}

gint64
ua_cache_entry_hold_until (UaCacheEntry *e)
{
  return e->hold_until;
}
