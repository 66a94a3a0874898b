#include "config.h"

#include "cache.h"

#include <gio/gio.h>
#include <string.h>

#include "mint.h"
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

typedef struct {
  gint refs;
  UaCache *cache;
  char *key;
  UaProfile *profile;        /* a copy, for background mints */
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
  gboolean dead;             /* forgotten while a mint was in flight */
} Entry;

/* Scheduled refreshes wait in one sequence ordered by time, under one
 * timer for the earliest.  A GLib timer per entry made every turn of the
 * main loop walk all of them: with 10,000 cached tokens the agent served
 * a tenth of the requests it serves with a few. */
struct UaCache {
  GHashTable *entries; /* key -> Entry */
  GSequence *due;      /* of Entry, by due_at; each holds a reference */
  guint timer;
  gint64 timer_at;     /* monotonic time the timer is set for */
};

static void start_mint (Entry *e);
static void unschedule (Entry *e);

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
  ua_profile_free (e->profile);
  g_array_unref (e->waiters);
  g_clear_error (&e->last_error);
  g_clear_object (&e->cancellable);
  g_free (e->key);
  g_free (e);
}

/* The entry leaves the table: no more timers, its mint is cancelled. */
static void
entry_kill (Entry *e)
{
  e->dead = TRUE;
  unschedule (e);
  if (e->cancellable != NULL)
    g_cancellable_cancel (e->cancellable);
  g_clear_pointer (&e->token, ua_token_free);
}

/* A profile has a handful of scopes; more take the general path. */
#define KEY_MAX_SCOPES 32

typedef struct {
  const char *p;
  size_t len;
} Span;

static int
span_cmp (const Span *a, const Span *b)
{
  int c = memcmp (a->p, b->p, MIN (a->len, b->len));

  return c != 0 ? c : (a->len > b->len) - (a->len < b->len);
}

/* The profile name, LF, and the scopes as ua_profile_scopes_normalized()
 * gives them (sorted, joined by one space), so a scope change is a new
 * key.  Built on every request, so the scopes are split and sorted in
 * place instead of through g_strsplit_set() and a GPtrArray. */
static char *
make_key (const UaProfile *profile)
{
  const char *scopes = ua_profile_get (profile, "scopes");
  Span spans[KEY_MAX_SCOPES];
  size_t n = 0;
  GString *key;

  for (const char *p = scopes ? scopes : ""; *p != '\0';)
    {
      size_t len = strcspn (p, " \t,");

      if (len > 0 && n == KEY_MAX_SCOPES)
        {
          g_autofree char *all = ua_profile_scopes_normalized (profile);
          return g_strdup_printf ("%s\n%s", profile->name, all);
        }
      if (len > 0)
        spans[n++] = (Span) { p, len };
      p += len + (p[len] != '\0');
    }
  for (size_t i = 1; i < n; i++)
    for (size_t j = i; j > 0 && span_cmp (&spans[j - 1], &spans[j]) > 0; j--)
      {
        Span t = spans[j];
        spans[j] = spans[j - 1];
        spans[j - 1] = t;
      }
  key = g_string_sized_new (128);
  g_string_append (key, profile->name);
  g_string_append_c (key, '\n');
  for (size_t i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (key, ' ');
      g_string_append_len (key, spans[i].p, (gssize) spans[i].len);
    }
  return g_string_free (key, FALSE);
}

UaCache *
ua_cache_new (void)
{
  UaCache *cache = g_new0 (UaCache, 1);

  cache->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, NULL);
  cache->due = g_sequence_new (NULL);
  return cache;
}

static gboolean
remove_entry (gpointer key, gpointer value, gpointer user_data)
{
  Entry *e = value;

  entry_kill (e);
  entry_unref (e);
  return TRUE;
}

void
ua_cache_free (UaCache *cache)
{
  if (cache == NULL)
    return;
  g_hash_table_foreach_remove (cache->entries, remove_entry, NULL);
  g_hash_table_unref (cache->entries);
  g_clear_handle_id (&cache->timer, g_source_remove);
  g_sequence_free (cache->due);
  g_free (cache);
}

void
ua_cache_clear (UaCache *cache)
{
  g_hash_table_foreach_remove (cache->entries, remove_entry, NULL);
}

static gboolean
entry_of_profile (gpointer key, gpointer value, gpointer name)
{
  Entry *e = value;

  if (!g_str_equal (e->profile->name, name))
    return FALSE;
  return remove_entry (key, value, NULL);
}

void
ua_cache_forget_profile (UaCache *cache, const char *name)
{
  g_hash_table_foreach_remove (cache->entries, entry_of_profile, (gpointer) name);
}

guint
ua_cache_size (UaCache *cache)
{
  return g_hash_table_size (cache->entries);
}

guint
ua_cache_n_minting (UaCache *cache)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_hash_table_iter_init (&iter, cache->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    n += ((Entry *) value)->cancellable != NULL;
  return n;
}

static gint64
remaining (const Entry *e, gint64 now)
{
  return e->token ? ua_token_remaining (e->token, now) : G_MININT64;
}

static void
refresh_due (Entry *e)
{
  /* Only tokens someone used since they were minted are kept fresh;
   * idle ones are left to lapse. */
  if (e->cancellable == NULL && e->token != NULL &&
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
  delay_ms = MAX (0, (at - g_get_monotonic_time () + 999) / 1000);
  cache->timer_at = at;
  cache->timer = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) MIN (delay_ms, G_MAXUINT),
                                     fire_due, cache, NULL);
}

static gboolean
fire_due (gpointer data)
{
  UaCache *cache = data;
  g_autoptr(GPtrArray) due = g_ptr_array_new ();
  gint64 now = g_get_monotonic_time ();
  GSequenceIter *it;

  cache->timer = 0;
  /* Taken out first: a refresh may schedule its entry again. */
  while (!g_sequence_iter_is_end (it = g_sequence_get_begin_iter (cache->due)) &&
         ((Entry *) g_sequence_get (it))->due_at <= now)
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

static gint64
backoff_delay_s (Entry *e, const UaGrantFailure *failure)
{
  guint shift = MIN (e->failures - 1, 16u);
  gint64 base, cap;

  if (failure->retry == UA_GRANT_RETRY_AFTER && failure->retry_after > 0)
    return MIN (failure->retry_after, (gint64) REJECT_HOLD_MAX_S);
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
  base = MIN (base << shift, cap);
  return (gint64) g_random_double_range ((double) base / 2, (double) base + 0.5);
}

static void
answer (const Waiter *w, const UaToken *token, const GError *error)
{
  w->reply (token, error, w->user_data);
}

static void
answer_too_short (Entry *e, const Waiter *w)
{
  g_autoptr(GError) error = NULL;
  gint64 life = (e->token->expires_mono - e->token->issued_mono) / G_USEC_PER_SEC;

  error = g_error_new (UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                       "profile \"%s\": the identity server issues tokens valid "
                       "for %" G_GINT64_FORMAT " s, less than the %" G_GINT64_FORMAT
                       " s asked for; lower --min-valid",
                       e->profile->name, life, w->min_valid);
  answer (w, NULL, error);
}

/* Answers every waiter from the entry's token, or with @error. */
static void
flush_waiters (Entry *e, const GError *error)
{
  g_autoptr(GArray) waiters = e->waiters;
  gint64 now = g_get_monotonic_time ();

  e->waiters = g_array_new (FALSE, FALSE, sizeof (Waiter));
  for (guint i = 0; i < waiters->len; i++)
    {
      const Waiter *w = &g_array_index (waiters, Waiter, i);

      /* A failed mint still leaves callers the valid token they had,
       * except those who asked for a new one: they get the failure. */
      if (e->token != NULL && remaining (e, now) >= w->min_valid &&
          !(error != NULL && w->force_new))
        answer (w, e->token, NULL);
      else if (error != NULL)
        answer (w, NULL, error);
      else if (e->token != NULL)
        answer_too_short (e, w);
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
  if (!e->dead)
    schedule_refresh (e);
  g_debug ("profile %s: new token, %" G_GINT64_FORMAT " s", e->profile->name,
           token->expires_mono ? (token->expires_mono - token->issued_mono) / G_USEC_PER_SEC : -1);
}

static void
mint_failed (Entry *e, const GError *error, const UaGrantFailure *failure)
{
  gint64 delay, now = g_get_monotonic_time ();

  e->failures++;
  delay = backoff_delay_s (e, failure);
  e->hold_until = now + delay * G_USEC_PER_SEC;
  /* A locked or missing keyring costs nothing to ask again (it never
   * prompts), and the user may unlock it any moment: the next request
   * tries again at once; background retries keep their back-off. */
  if (ua_error_code (error) == UA_ERR_KEYRING)
    e->hold_until = now;
  e->last_error_final = failure->retry == UA_GRANT_RETRY_NEVER;
  g_clear_error (&e->last_error);
  e->last_error = g_error_copy (error);
  g_message ("profile %s: mint failed (%s), next try in %" G_GINT64_FORMAT " s",
             e->profile->name, ua_error_to_string (ua_error_code (error)), delay);

  /* Keep a still-valid token fresh by retrying in the background; a
   * rejected credential waits for a caller or a profile change. */
  if (!e->dead && !e->last_error_final && e->token != NULL &&
      remaining (e, now) > delay)
    schedule (e, now + delay * G_USEC_PER_SEC);
}

static void
mint_done (GObject *source, GAsyncResult *res, gpointer data)
{
  Entry *e = data;
  g_autoptr(GError) error = NULL;
  UaGrantFailure failure = { UA_GRANT_RETRY_BACKOFF, 0 };
  UaToken *token = ua_mint_finish (res, &failure, &error);

  g_clear_object (&e->cancellable);
  if (token != NULL)
    mint_succeeded (e, token);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    mint_failed (e, error, &failure);
  else
    {
      g_clear_error (&error);
      error = g_error_new (UA_ERROR, UA_ERR_UNKNOWN_PROFILE,
                           "profile \"%s\" was changed or removed while its "
                           "token was being minted; try again", e->profile->name);
    }
  flush_waiters (e, error);
  entry_unref (e);
}

static void
start_mint (Entry *e)
{
  g_assert (e->cancellable == NULL);
  e->cancellable = g_cancellable_new ();
  ua_mint_async (e->profile, e->cancellable, mint_done, entry_ref (e));
}

static Entry *
lookup_entry (UaCache *cache, const UaProfile *profile)
{
  g_autofree char *key = make_key (profile);
  Entry *e = g_hash_table_lookup (cache->entries, key);

  if (e != NULL)
    return e;
  e = g_new0 (Entry, 1);
  e->refs = 1;
  e->cache = cache;
  e->key = g_steal_pointer (&key);
  e->profile = ua_profile_copy (profile);
  e->waiters = g_array_new (FALSE, FALSE, sizeof (Waiter));
  g_hash_table_insert (cache->entries, e->key, e);
  return e;
}

void
ua_cache_get (UaCache *cache, const UaProfile *profile, gint64 min_valid,
              gboolean force_new, UaCacheReply reply, gpointer user_data)
{
  Entry *e = lookup_entry (cache, profile);
  gint64 now = g_get_monotonic_time ();
  Waiter w = { MAX (min_valid, 0), reply, user_data, force_new };

  e->last_used = now;
  e->max_min_valid = MAX (e->max_min_valid, w.min_valid);

  if (!force_new && e->token != NULL && remaining (e, now) >= w.min_valid)
    {
      e->hits++;
      answer (&w, e->token, NULL);
      return;
    }
  /* The server's tokens never live that long: minting cannot help. */
  if (!force_new && e->token != NULL && e->token->expires_mono != 0 &&
      e->token->expires_mono - e->token->issued_mono < w.min_valid * G_USEC_PER_SEC)
    {
      answer_too_short (e, &w);
      return;
    }
  /* Joining a mint in flight is as fresh as starting one. */
  if (e->cancellable != NULL)
    {
      e->waits++;
      g_array_append_val (e->waiters, w);
      return;
    }
  if (!force_new && e->last_error != NULL && now < e->hold_until)
    {
      answer (&w, NULL, e->last_error);
      return;
    }
  e->waits++;
  g_array_append_val (e->waiters, w);
  start_mint (e);
}

gboolean
ua_cache_describe (UaCache *cache, const UaProfile *profile, UaCacheInfo *info)
{
  g_autofree char *key = make_key (profile);
  Entry *e = g_hash_table_lookup (cache->entries, key);
  gint64 now = g_get_monotonic_time ();

  memset (info, 0, sizeof *info);
  if (e == NULL)
    return FALSE;
  info->cached = e->token != NULL && remaining (e, now) > 0;
  if (info->cached)
    {
      info->expires_in = remaining (e, now);
      info->expires_at = e->token->expires_wall;
    }
  if (e->cancellable != NULL)
    info->state = "minting";
  else if (e->last_error != NULL && now < e->hold_until)
    info->state = e->last_error_final ? "failed" : "backoff";
  else
    info->state = "idle";
  info->last_error = e->last_error ? e->last_error->message : NULL;
  info->mints = e->mints;
  info->hits = e->hits;
  info->waits = e->waits;
  return TRUE;
}
