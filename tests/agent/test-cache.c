/* The token cache with a fake clock and a fake mint: single flight,
 * minimum validity, refresh ahead, back-off, --force-new, the rejected
 * hold, retiring and locking.  Time moves only when a test moves it, so
 * a test of an hour-long schedule takes microseconds. */
#include "config.h"

#include <string.h>

#include "cache.h"
#include "ua-error.h"

#define USEC G_USEC_PER_SEC
/* Rounds of the randomised tests: enough that a bound that is off shows. */
#define JITTER_ROUNDS 200

/* ---- a fake clock and a fake mint ----------------------------------- */

static gint64 fake_now;

static gint64
fake_clock (void)
{
  return fake_now;
}

static void
advance (gint64 seconds)
{
  fake_now += seconds * USEC;
}

typedef struct {
  guint calls;
  char *token;
  GError *error;
} Answer;

static void
answer_free (Answer *a)
{
  g_free (a->token);
  g_clear_error (&a->error);
  g_free (a);
}

typedef struct {
  UaCache *cache;
  UaCacheEntry *entry;
  GPtrArray *mints;   /* of GTask, in the order asked; NULL once answered */
  GPtrArray *answers; /* of Answer */
} Fixture;

static void
fake_mint_async (gpointer owner, GCancellable *cancellable,
                 GAsyncReadyCallback callback, gpointer user_data)
{
  Fixture *f = owner;
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  /* A refresh reads its answer even after a cancel, so the cache must
   * drop a late answer itself: the fake delivers it too. */
  g_task_set_check_cancellable (task, FALSE);
  g_ptr_array_add (f->mints, task);
}

static const UaCacheFuncs fake_funcs = {
  .now = fake_clock,
  .mint_async = fake_mint_async,
  .mint_finish = ua_grant_result_propagate,
};

/* Until every completion queued on the main context has run. */
static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* A token issued now on the fake clock; @lifetime_s 0 never expires. */
static UaToken *
token_new (const char *value, gint64 lifetime_s)
{
  UaToken *t = ua_token_new (ua_secret_new_str (value), "Bearer", NULL, lifetime_s);

  t->issued_mono = fake_now;
  t->expires_mono = lifetime_s > 0 ? fake_now + lifetime_s * USEC : 0;
  return t;
}

static GTask *
mint_call (Fixture *f, guint i)
{
  g_assert_cmpuint (i, <, f->mints->len);
  g_assert_nonnull (f->mints->pdata[i]);
  return f->mints->pdata[i];
}

static void
complete (Fixture *f, guint i, UaGrantResult *result)
{
  GTask *task = mint_call (f, i);

  f->mints->pdata[i] = NULL;
  g_task_return_pointer (task, result, (GDestroyNotify) ua_grant_result_free);
  g_object_unref (task);
  drain ();
}

static void
complete_token (Fixture *f, guint i, const char *value, gint64 lifetime_s)
{
  complete (f, i, ua_grant_result_new_token (token_new (value, lifetime_s)));
}

static void
complete_error (Fixture *f, guint i, UaErrorCode code, UaGrantRetry retry,
                gint64 retry_after)
{
  UaGrantResult *r = ua_grant_result_new_error (retry, g_error_new (UA_ERROR, code,
                                                                    "failed (%s)",
                                                                    ua_error_to_string (code)));

  r->failure.retry_after = retry_after;
  complete (f, i, r);
}

static void
got (const UaToken *token, const GError *error, gpointer data)
{
  Answer *a = data;

  g_assert_true ((token == NULL) != (error == NULL));
  a->calls++;
  a->token = token ? g_strdup (ua_secret_get (token->value)) : NULL;
  a->error = error ? g_error_copy (error) : NULL;
}

static Answer *
ask (Fixture *f, gint64 min_valid, gboolean force_new)
{
  Answer *a = g_new0 (Answer, 1);

  g_ptr_array_add (f->answers, a);
  ua_cache_entry_get (f->entry, min_valid, force_new, got, a);
  return a;
}

static void
assert_pending (const Answer *a)
{
  g_assert_cmpuint (a->calls, ==, 0);
}

static void
assert_token (const Answer *a, const char *value)
{
  g_assert_cmpuint (a->calls, ==, 1);
  g_assert_no_error (a->error);
  g_assert_cmpstr (a->token, ==, value);
}

static void
assert_error (const Answer *a, UaErrorCode code)
{
  g_assert_cmpuint (a->calls, ==, 1);
  g_assert_null (a->token);
  g_assert_error (a->error, UA_ERROR, (gint) code);
}

/* A token minted for the first caller, issued now. */
static void
prime (Fixture *f, gint64 min_valid, gint64 lifetime_s, const char *value)
{
  Answer *a = ask (f, min_valid, FALSE);
  guint last = f->mints->len - 1;

  complete_token (f, last, value, lifetime_s);
  assert_token (a, value);
}

/* The next caller waits for a new mint and gets its token. */
static void
assert_next_mints (Fixture *f, const char *value)
{
  guint before = f->mints->len;
  Answer *a = ask (f, 60, FALSE);

  assert_pending (a);
  g_assert_cmpuint (f->mints->len, ==, before + 1);
  complete_token (f, before, value, 3600);
  assert_token (a, value);
}

static void
retire_entry (Fixture *f)
{
  g_autoptr(GError) why = g_error_new_literal (UA_ERROR, UA_ERR_UNKNOWN_PROFILE, "retired");

  if (f->entry != NULL)
    ua_cache_entry_retire (g_steal_pointer (&f->entry), why);
}

/* A new entry in the same cache, as a profile's next generation gets. */
static void
new_entry (Fixture *f)
{
  retire_entry (f);
  f->entry = ua_cache_entry_new (f->cache, f, "p");
}

static void
setup (Fixture *f, gconstpointer data)
{
  fake_now = 1000 * USEC;
  f->cache = ua_cache_new (&fake_funcs);
  f->mints = g_ptr_array_new ();
  f->answers = g_ptr_array_new_with_free_func ((GDestroyNotify) answer_free);
  f->entry = ua_cache_entry_new (f->cache, f, "p");
}

static void
teardown (Fixture *f, gconstpointer data)
{
  retire_entry (f);
  for (guint i = 0; i < f->mints->len; i++)
    if (f->mints->pdata[i] != NULL)
      complete_error (f, i, UA_ERR_UNREACHABLE, UA_GRANT_RETRY_BACKOFF, 0);
  g_assert_cmpuint (ua_cache_n_minting (f->cache), ==, 0);
  g_assert_cmpuint (ua_cache_size (f->cache), ==, 0);
  /* Every caller was answered exactly once. */
  for (guint i = 0; i < f->answers->len; i++)
    g_assert_cmpuint (((Answer *) f->answers->pdata[i])->calls, ==, 1);
  ua_cache_free (f->cache);
  g_ptr_array_unref (f->mints);
  g_ptr_array_unref (f->answers);
}

/* ---- single flight -------------------------------------------------- */

#define CONCURRENT 50

static void
test_single_flight_token (Fixture *f, gconstpointer data)
{
  Answer *a[CONCURRENT];

  for (guint i = 0; i < CONCURRENT; i++)
    a[i] = ask (f, 60 + i, i % 7 == 3);
  g_assert_cmpuint (f->mints->len, ==, 1);
  g_assert_cmpuint (ua_cache_n_minting (f->cache), ==, 1);
  for (guint i = 0; i < CONCURRENT; i++)
    assert_pending (a[i]);
  complete_token (f, 0, "tok-1", 3600);
  for (guint i = 0; i < CONCURRENT; i++)
    assert_token (a[i], "tok-1");
  g_assert_cmpuint (ua_cache_n_minting (f->cache), ==, 0);
}

static void
test_single_flight_error (Fixture *f, gconstpointer data)
{
  Answer *a[CONCURRENT];

  for (guint i = 0; i < CONCURRENT; i++)
    a[i] = ask (f, 60, i % 5 == 0);
  g_assert_cmpuint (f->mints->len, ==, 1);
  complete_error (f, 0, UA_ERR_UNREACHABLE, UA_GRANT_RETRY_BACKOFF, 0);
  for (guint i = 0; i < CONCURRENT; i++)
    assert_error (a[i], UA_ERR_UNREACHABLE);
  g_assert_cmpuint (ua_cache_n_minting (f->cache), ==, 0);
}

/* ---- minimum validity ----------------------------------------------- */

static const struct {
  gint64 age;       /* seconds since the 3600 s token was issued */
  gint64 min_valid;
  gboolean served;  /* from memory, without a mint */
} min_valid_cases[] = {
  { 0, 60, TRUE },
  { 0, 3600, TRUE },
  { 1000, 2600, TRUE },
  { 1000, 2601, FALSE },
  { 3540, 60, TRUE },
  { 3541, 60, FALSE },
  { 3599, 0, TRUE },
  { 3601, 0, FALSE },
  { 7200, 60, FALSE },
};

static void
test_min_valid (Fixture *f, gconstpointer data)
{
  for (gsize i = 0; i < G_N_ELEMENTS (min_valid_cases); i++)
    {
      guint mints;
      Answer *a;

      g_test_message ("age %" G_GINT64_FORMAT " s, min_valid %" G_GINT64_FORMAT " s",
                      min_valid_cases[i].age, min_valid_cases[i].min_valid);
      new_entry (f);
      prime (f, 0, 3600, "tok-old");
      mints = f->mints->len;
      advance (min_valid_cases[i].age);
      a = ask (f, min_valid_cases[i].min_valid, FALSE);
      if (min_valid_cases[i].served)
        {
          assert_token (a, "tok-old");
          g_assert_cmpuint (f->mints->len, ==, mints);
          continue;
        }
      assert_pending (a);
      g_assert_cmpuint (f->mints->len, ==, mints + 1);
      complete_token (f, mints, "tok-new", 3600);
      assert_token (a, "tok-new");
    }
}

static void
test_too_short (Fixture *f, gconstpointer data)
{
  Answer *cold = ask (f, 601, FALSE);
  Answer *warm;

  /* Nothing is known of the server's tokens yet: one mint tells. */
  g_assert_cmpuint (f->mints->len, ==, 1);
  complete_token (f, 0, "tok-1", 600);
  assert_error (cold, UA_ERR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (cold->error->message, "lower --min-valid"));
  g_assert_nonnull (strstr (cold->error->message, "\"p\""));

  /* Now it is known: refused at once, whatever the cached token's age. */
  advance (500);
  warm = ask (f, 601, FALSE);
  assert_error (warm, UA_ERR_INVALID_ARGUMENT);
  g_assert_cmpuint (f->mints->len, ==, 1);
  assert_token (ask (f, 60, FALSE), "tok-1");
}

/* ---- refresh ahead -------------------------------------------------- */

static const struct {
  gint64 lifetime;
  gint64 min_valid;
} ahead_cases[] = {
  { 3600, 60 },   /* the default: about 40 minutes after the mint */
  { 3600, 3000 }, /* asks for more than a third is left: the quarter floor */
  { 86400, 60 },
  { 60, 30 },
  { 3, 1 },       /* the shell tests' short tokens */
};

/* The documented window: a refresh when max(lifetime/3, min_valid +
 * margin) is left, the margin at most 10 s, less up to 5% of the
 * lifetime of jitter; never before a quarter of the lifetime. */
static void
assert_due_in_window (gint64 due, gint64 issued, gint64 life_s, gint64 min_valid)
{
  gint64 life = life_s * USEC, expires = issued + life;
  gint64 floor = issued + life / 4;
  gint64 lead_min = MAX (life / 3, min_valid * USEC);
  gint64 lead_max = MAX (life / 3, (min_valid + 10) * USEC) + life / 20;

  g_assert_cmpint (due, >=, floor);
  if (due == floor)
    g_assert_cmpint (expires - lead_max, <=, floor);
  else
    {
      g_assert_cmpint (expires - due, >=, lead_min);
      g_assert_cmpint (expires - due, <=, lead_max);
    }
}

static void
test_refresh_window (Fixture *f, gconstpointer data)
{
  for (gsize c = 0; c < G_N_ELEMENTS (ahead_cases); c++)
    {
      gint64 life = ahead_cases[c].lifetime, earliest = G_MAXINT64, latest = 0;

      for (guint round = 0; round < JITTER_ROUNDS; round++)
        {
          gint64 due;

          new_entry (f);
          prime (f, ahead_cases[c].min_valid, life, "tok");
          due = ua_cache_entry_due_at (f->entry);
          assert_due_in_window (due, fake_now, life, ahead_cases[c].min_valid);
          earliest = MIN (earliest, due - fake_now);
          latest = MAX (latest, due - fake_now);
        }
      g_test_message ("%" G_GINT64_FORMAT " s tokens: refreshed %.2f to %.2f s after the mint",
                      life, (double) earliest / USEC, (double) latest / USEC);
      /* Jitter spreads the refreshes, within 5% of the lifetime. */
      g_assert_cmpint (latest - earliest, <=, life * USEC / 20);
      if (earliest > life * USEC / 4)
        g_assert_cmpint (latest - earliest, >=, life * USEC / 40);
    }
}

static void
test_refresh_only_used (Fixture *f, gconstpointer data)
{
  gint64 due;

  prime (f, 60, 3600, "tok-1");
  due = ua_cache_entry_due_at (f->entry);
  g_assert_cmpint (due, >, fake_now);
  fake_now = due;
  ua_cache_run_due (f->cache);
  /* Nobody asked since the mint: the token is left to lapse. */
  g_assert_cmpuint (f->mints->len, ==, 1);
  g_assert_cmpint (ua_cache_entry_due_at (f->entry), ==, 0);
  g_assert_cmpuint (ua_cache_n_minting (f->cache), ==, 0);
}

static void
test_refresh_in_use (Fixture *f, gconstpointer data)
{
  gint64 due;

  prime (f, 60, 3600, "tok-1");
  due = ua_cache_entry_due_at (f->entry);
  advance (1);
  assert_token (ask (f, 60, FALSE), "tok-1");

  fake_now = due - 1;
  ua_cache_run_due (f->cache);
  g_assert_cmpuint (f->mints->len, ==, 1);
  fake_now = due;
  ua_cache_run_due (f->cache);
  g_assert_cmpuint (f->mints->len, ==, 2);
  g_assert_cmpuint (ua_cache_n_minting (f->cache), ==, 1);

  /* Callers keep the old token while the refresh is in flight. */
  for (guint i = 0; i < 5; i++)
    assert_token (ask (f, 60, FALSE), "tok-1");
  g_assert_cmpuint (f->mints->len, ==, 2);

  complete_token (f, 1, "tok-2", 3600);
  assert_token (ask (f, 60, FALSE), "tok-2");
  assert_due_in_window (ua_cache_entry_due_at (f->entry), fake_now, 3600, 60);
}

/* A failed background refresh retries on the back-off schedule while the
 * token is valid; a rejected one waits for a caller. */
static void
test_refresh_retries (Fixture *f, gconstpointer data)
{
  prime (f, 60, 3600, "tok-1");
  advance (1);
  ask (f, 60, FALSE);
  fake_now = ua_cache_entry_due_at (f->entry);
  ua_cache_run_due (f->cache);
  complete_error (f, 1, UA_ERR_UNREACHABLE, UA_GRANT_RETRY_BACKOFF, 0);
  g_assert_cmpint (ua_cache_entry_due_at (f->entry), ==, ua_cache_entry_hold_until (f->entry));
  assert_token (ask (f, 60, FALSE), "tok-1");

  fake_now = ua_cache_entry_due_at (f->entry);
  ua_cache_run_due (f->cache);
  g_assert_cmpuint (f->mints->len, ==, 3);
  complete_error (f, 2, UA_ERR_REJECTED, UA_GRANT_RETRY_NEVER, 0);
  g_assert_cmpint (ua_cache_entry_due_at (f->entry), ==, 0);
  assert_token (ask (f, 60, FALSE), "tok-1");
}

/* ---- back-off ------------------------------------------------------- */

typedef struct {
  const char *name;
  UaErrorCode code;
  UaGrantRetry retry;
  gint64 first_s, max_s; /* the hold doubles from first to max */
} BackoffCase;

static const BackoffCase backoff_cases[] = {
  { "transient", UA_ERR_UNREACHABLE, UA_GRANT_RETRY_BACKOFF, 1, 300 },
  { "unusable", UA_ERR_SERVER, UA_GRANT_RETRY_BACKOFF, 1, 300 },
  { "rejected", UA_ERR_REJECTED, UA_GRANT_RETRY_NEVER, 60, 3600 },
};

/* Failures in a row, enough to reach both caps. */
#define FAILURES 14

/* One failure more: the hold it sets, in microseconds. */
static gint64
fail_once (Fixture *f, const BackoffCase *bc)
{
  Answer *a = ask (f, 60, FALSE);

  complete_error (f, f->mints->len - 1, bc->code, bc->retry, 0);
  assert_error (a, bc->code);
  return ua_cache_entry_hold_until (f->entry) - fake_now;
}

static void
test_backoff_bounds (Fixture *f, gconstpointer data)
{
  const BackoffCase *bc = data;
  gint64 low[FAILURES], high[FAILURES];

  for (guint k = 0; k < FAILURES; k++)
    low[k] = G_MAXINT64, high[k] = 0;
  for (guint round = 0; round < JITTER_ROUNDS; round++)
    {
      new_entry (f);
      for (guint k = 0; k < FAILURES; k++)
        {
          gint64 hold = fail_once (f, bc);

          low[k] = MIN (low[k], hold);
          high[k] = MAX (high[k], hold);
          fake_now += hold;
        }
    }
  for (guint k = 0; k < FAILURES; k++)
    {
      gint64 d = MIN (bc->first_s << k, bc->max_s) * USEC;

      g_test_message ("%s failure %u: held %.3f to %.3f s", bc->name, k + 1,
                      (double) low[k] / USEC, (double) high[k] / USEC);
      /* Full jitter in [d/2, d], and it does spread. */
      g_assert_cmpint (low[k], >=, d / 2);
      g_assert_cmpint (high[k], <=, d);
      g_assert_cmpint (low[k], <, d * 6 / 10);
      g_assert_cmpint (high[k], >, d * 9 / 10);
    }
}

/* Callers during a hold get the failure without a mint. */
static void
test_backoff_holds_callers (Fixture *f, gconstpointer data)
{
  const BackoffCase *bc = data;
  gint64 hold = fail_once (f, bc);

  for (guint i = 0; i < 10; i++)
    {
      fake_now += hold / 11;
      assert_error (ask (f, 60, FALSE), bc->code);
    }
  g_assert_cmpuint (f->mints->len, ==, 1);
  fake_now = ua_cache_entry_hold_until (f->entry);
  assert_next_mints (f, "tok-1");
  g_assert_cmpint (ua_cache_entry_hold_until (f->entry), ==, 0);
}

static void
test_backoff_resets (Fixture *f, gconstpointer data)
{
  for (guint k = 0; k < 5; k++)
    fake_now += fail_once (f, &backoff_cases[0]);
  prime (f, 60, 3600, "tok-1");
  advance (3600);
  g_assert_cmpint (fail_once (f, &backoff_cases[0]), <=, 1 * USEC);
}

static void
test_retry_after (Fixture *f, gconstpointer data)
{
  for (guint k = 0; k < 4; k++)
    {
      Answer *a = ask (f, 60, FALSE);

      complete_error (f, k, UA_ERR_UNREACHABLE, UA_GRANT_RETRY_AFTER, 30);
      assert_error (a, UA_ERR_UNREACHABLE);
      /* As the server said, neither doubled nor jittered. */
      g_assert_cmpint (ua_cache_entry_hold_until (f->entry) - fake_now, ==, 30 * USEC);
      advance (29);
      assert_error (ask (f, 60, FALSE), UA_ERR_UNREACHABLE);
      g_assert_cmpuint (f->mints->len, ==, k + 1);
      advance (1);
    }
}

/* A locked or missing keyring never prompts: the next caller asks again. */
static void
test_keyring_no_hold (Fixture *f, gconstpointer data)
{
  for (guint k = 0; k < 5; k++)
    {
      Answer *a = ask (f, 60, FALSE);

      g_assert_cmpuint (f->mints->len, ==, k + 1);
      complete_error (f, k, UA_ERR_KEYRING, UA_GRANT_RETRY_BACKOFF, 0);
      assert_error (a, UA_ERR_KEYRING);
      g_assert_cmpint (ua_cache_entry_hold_until (f->entry), <=, fake_now);
    }
}

/* ---- --force-new ---------------------------------------------------- */

static void
test_force_new_joins (Fixture *f, gconstpointer data)
{
  Answer *plain = ask (f, 60, FALSE);
  Answer *forced = ask (f, 60, TRUE);

  g_assert_cmpuint (f->mints->len, ==, 1);
  complete_token (f, 0, "tok-1", 3600);
  assert_token (plain, "tok-1");
  assert_token (forced, "tok-1");
}

static void
test_force_new_mints (Fixture *f, gconstpointer data)
{
  Answer *forced;

  prime (f, 60, 3600, "tok-1");
  advance (10);
  forced = ask (f, 60, TRUE);
  g_assert_cmpuint (f->mints->len, ==, 2);
  assert_token (ask (f, 60, FALSE), "tok-1");
  complete_token (f, 1, "tok-2", 3600);
  assert_token (forced, "tok-2");
  assert_token (ask (f, 60, FALSE), "tok-2");
}

/* A forced mint that fails answers its callers with the failure, never
 * the old token; plain callers keep getting the old one. */
static void
test_force_new_fails (Fixture *f, gconstpointer data)
{
  Answer *forced[2];

  prime (f, 60, 3600, "tok-1");
  advance (10);
  forced[0] = ask (f, 60, TRUE);
  assert_token (ask (f, 60, FALSE), "tok-1");
  forced[1] = ask (f, 60, TRUE);
  g_assert_cmpuint (f->mints->len, ==, 2);
  complete_error (f, 1, UA_ERR_UNREACHABLE, UA_GRANT_RETRY_BACKOFF, 0);
  assert_error (forced[0], UA_ERR_UNREACHABLE);
  assert_error (forced[1], UA_ERR_UNREACHABLE);
  assert_token (ask (f, 60, FALSE), "tok-1");
}

/* ---- the rejected hold ---------------------------------------------- */

static void
test_rejected_hold (Fixture *f, gconstpointer data)
{
  Answer *first = ask (f, 60, FALSE), *forced;
  UaCacheInfo info;

  complete_error (f, 0, UA_ERR_REJECTED, UA_GRANT_RETRY_NEVER, 0);
  assert_error (first, UA_ERR_REJECTED);
  g_assert_true (ua_cache_entry_describe (f->entry, &info));
  g_assert_cmpstr (info.state, ==, "failed");
  g_assert_cmpstr (info.last_error, ==, first->error->message);
  for (guint i = 0; i < 10; i++)
    {
      Answer *a = ask (f, 60, FALSE);

      assert_error (a, UA_ERR_REJECTED);
      g_assert_cmpstr (a->error->message, ==, first->error->message);
    }
  g_assert_cmpuint (f->mints->len, ==, 1);

  /* --force-new tries again, and a second refusal doubles the hold. */
  forced = ask (f, 60, TRUE);
  g_assert_cmpuint (f->mints->len, ==, 2);
  complete_error (f, 1, UA_ERR_REJECTED, UA_GRANT_RETRY_NEVER, 0);
  assert_error (forced, UA_ERR_REJECTED);
  g_assert_cmpint (ua_cache_entry_hold_until (f->entry) - fake_now, >=, 60 * USEC);

  /* Once the hold has passed, a caller tries again. */
  fake_now = ua_cache_entry_hold_until (f->entry);
  assert_next_mints (f, "tok-1");
  g_assert_true (ua_cache_entry_describe (f->entry, &info));
  g_assert_cmpstr (info.state, ==, "idle");
  g_assert_null (info.last_error);
}

/* ---- retiring and locking ------------------------------------------- */

static void
test_retire_answers_waiters (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) why = g_error_new_literal (UA_ERROR, UA_ERR_UNKNOWN_PROFILE,
                                               "profile \"p\" was removed");
  Answer *a[3], *successor;

  for (guint i = 0; i < 3; i++)
    a[i] = ask (f, 60, i == 1);
  ua_cache_entry_retire (g_steal_pointer (&f->entry), why);
  /* At once, not when the mint answers. */
  for (guint i = 0; i < 3; i++)
    {
      assert_error (a[i], UA_ERR_UNKNOWN_PROFILE);
      g_assert_cmpstr (a[i]->error->message, ==, why->message);
    }
  g_assert_true (g_cancellable_is_cancelled (g_task_get_cancellable (mint_call (f, 0))));
  g_assert_cmpuint (ua_cache_size (f->cache), ==, 0);
  g_assert_cmpuint (ua_cache_n_minting (f->cache), ==, 1);

  /* The late answer goes to nobody, not to the profile's next generation. */
  new_entry (f);
  successor = ask (f, 60, FALSE);
  g_assert_cmpuint (f->mints->len, ==, 2);
  complete_token (f, 0, "tok-of-the-retired", 3600);
  assert_pending (successor);
  g_assert_cmpuint (ua_cache_n_minting (f->cache), ==, 1);
  complete_token (f, 1, "tok-of-the-successor", 3600);
  assert_token (successor, "tok-of-the-successor");
  g_assert_cmpuint (ua_cache_n_minting (f->cache), ==, 0);
}

static void
test_retire_unschedules (Fixture *f, gconstpointer data)
{
  gint64 due;

  prime (f, 60, 3600, "tok-1");
  advance (1);
  ask (f, 60, FALSE);
  due = ua_cache_entry_due_at (f->entry);
  retire_entry (f);
  fake_now = due;
  ua_cache_run_due (f->cache);
  g_assert_cmpuint (f->mints->len, ==, 1);
}

static void
test_lock_drops_token (Fixture *f, gconstpointer data)
{
  prime (f, 60, 3600, "tok-1");
  advance (1);
  ask (f, 60, FALSE);
  ua_cache_entry_forget (f->entry); /* what lock does */
  g_assert_cmpint (ua_cache_entry_due_at (f->entry), ==, 0);
  assert_next_mints (f, "tok-2");
}

static void
test_lock_during_mint (Fixture *f, gconstpointer data)
{
  Answer *waiting = ask (f, 60, FALSE);

  ua_cache_entry_forget (f->entry); /* what lock does */
  complete_token (f, 0, "tok-1", 3600);
  /* Its callers asked before the lock: they are answered ... */
  assert_token (waiting, "tok-1");
  /* ... but the token is not kept, nor refreshed. */
  g_assert_cmpint (ua_cache_entry_due_at (f->entry), ==, 0);
  assert_next_mints (f, "tok-2");
  assert_token (ask (f, 60, FALSE), "tok-2");
}

static void
test_lock_resets_hold (Fixture *f, gconstpointer data)
{
  fail_once (f, &backoff_cases[2]);
  ua_cache_entry_forget (f->entry); /* what lock does */
  assert_next_mints (f, "tok-1");
}

/* A sign-in forgets the entry: a mint that was already in flight answers
 * its callers, but its failure holds back nobody after the sign-in. */
static void
test_forget_during_failing_mint (Fixture *f, gconstpointer data)
{
  Answer *waiting = ask (f, 60, FALSE);

  ua_cache_entry_forget (f->entry);
  complete_error (f, 0, UA_ERR_REJECTED, UA_GRANT_RETRY_NEVER, 0);
  assert_error (waiting, UA_ERR_REJECTED);
  g_assert_cmpint (ua_cache_entry_hold_until (f->entry), ==, 0);
  assert_next_mints (f, "tok-1");
}

static void
quiet (const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
}

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, setup, func, teardown)

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* Thousands of failures are logged in the back-off rounds. */
  if (!g_test_verbose ())
    g_log_set_handler (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_DEBUG, quiet, NULL);

  ADD ("/cache/single-flight/token", test_single_flight_token, NULL);
  ADD ("/cache/single-flight/error", test_single_flight_error, NULL);
  ADD ("/cache/min-valid/served-or-minted", test_min_valid, NULL);
  ADD ("/cache/min-valid/too-short", test_too_short, NULL);
  ADD ("/cache/refresh/window", test_refresh_window, NULL);
  ADD ("/cache/refresh/only-used", test_refresh_only_used, NULL);
  ADD ("/cache/refresh/in-use", test_refresh_in_use, NULL);
  ADD ("/cache/refresh/retries", test_refresh_retries, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (backoff_cases); i++)
    {
      g_autofree char *bounds = g_strdup_printf ("/cache/backoff/bounds/%s",
                                                 backoff_cases[i].name);
      g_autofree char *holds = g_strdup_printf ("/cache/backoff/holds-callers/%s",
                                                backoff_cases[i].name);

      ADD (bounds, test_backoff_bounds, &backoff_cases[i]);
      ADD (holds, test_backoff_holds_callers, &backoff_cases[i]);
    }
  ADD ("/cache/backoff/resets-on-success", test_backoff_resets, NULL);
  ADD ("/cache/backoff/retry-after", test_retry_after, NULL);
  ADD ("/cache/backoff/keyring-no-hold", test_keyring_no_hold, NULL);
  ADD ("/cache/force-new/joins", test_force_new_joins, NULL);
  ADD ("/cache/force-new/mints", test_force_new_mints, NULL);
  ADD ("/cache/force-new/fails", test_force_new_fails, NULL);
  ADD ("/cache/rejected-hold", test_rejected_hold, NULL);
  ADD ("/cache/retire/answers-waiters", test_retire_answers_waiters, NULL);
  ADD ("/cache/retire/unschedules", test_retire_unschedules, NULL);
  ADD ("/cache/lock/drops-token", test_lock_drops_token, NULL);
  ADD ("/cache/lock/during-mint", test_lock_during_mint, NULL);
  ADD ("/cache/lock/resets-hold", test_lock_resets_hold, NULL);
  ADD ("/cache/forget/during-failing-mint", test_forget_during_failing_mint, NULL);

  return g_test_run ();
}
