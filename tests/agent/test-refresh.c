/* Refresh-token rotation (refresh.c) against a token endpoint on
 * 127.0.0.1 and a fake secret store: the rotated token is saved before
 * the access token is handed out, in the foreground or ahead of expiry;
 * kept in memory when it cannot be saved; never sent again once refused;
 * dropped when its credential was retired or signed in again meanwhile.
 *
 * Everything runs on the test's main context except curl, which the
 * agent runs on worker threads; so the endpoint is served by the same
 * loop that waits for the answers.  Each step is written to a
 * log ("sent rt-1, saved rt-2, answer at-2") whose order the tests check. */
#include "config.h"

#include <string.h>

#include "cache.h"
#include "credential.h"
#include "http.h"
#include "loopback.h"
#include "mint.h"
#include "refresh.h"
#include "ua-error.h"

typedef struct {
  UaStore store;        /* the fake store's ops, first: a UaStore is a Fixture */
  GHashTable *items;    /* kind -> value, for the one profile */
  gboolean fail_writes; /* answer writes with a keyring error */
  gboolean park_writes; /* hold writes until the test releases them */
  GTask *parked_write;
  UaSecret *parked_secret;

  GSocket *listener;
  GSource *accepting;
  char *identity_url;
  guint issued;         /* tokens the endpoint has issued */
  gboolean refuse;      /* answer invalid_grant */
  gboolean park_requests;
  GSocket *parked_request;

  UaCache *cache;
  UaCredential *credential;
  GPtrArray *log;
  guint answers, awaited; /* callers answered, and how many a test awaits */
  UaGrantResult *result; /* of a ua_refresh_async() call */
} Fixture;

static void
note (Fixture *f, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
note (Fixture *f, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (f->log, g_strdup_vprintf (format, args));
  va_end (args);
}

static void
assert_log (Fixture *f, const char *expected)
{
  g_autofree char *got = NULL;

  g_ptr_array_add (f->log, NULL);
  got = g_strjoinv (", ", (char **) f->log->pdata);
  g_ptr_array_remove_index (f->log, f->log->len - 1);
  g_assert_cmpstr (got, ==, expected);
}

static const char *
stored (Fixture *f)
{
  UaSecret *s = g_hash_table_lookup (f->items, UA_SECRET_REFRESH_TOKEN);

  return s ? ua_secret_get (s) : NULL;
}

/* ---- the fake store ------------------------------------------------- */

static void
store_apply (Fixture *f, GTask *task, const UaSecret *secret)
{
  g_hash_table_replace (f->items, g_strdup (UA_SECRET_REFRESH_TOKEN), ua_secret_copy (secret));
  note (f, "saved %s", ua_secret_get (secret));
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
fake_store_async (UaStore *store, const char *profile, const char *kind,
                  const UaSecret *secret, GCancellable *cancellable,
                  GAsyncReadyCallback callback, gpointer user_data)
{
  Fixture *f = (Fixture *) store;
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_assert_cmpstr (profile, ==, "web");
  g_assert_cmpstr (kind, ==, UA_SECRET_REFRESH_TOKEN);
  if (f->fail_writes)
    {
      note (f, "write failed");
      g_task_return_new_error (task, UA_ERROR, UA_ERR_KEYRING, "the keyring is locked");
      g_object_unref (task);
    }
  else if (f->park_writes)
    {
      g_assert_null (f->parked_write);
      f->parked_write = task;
      f->parked_secret = ua_secret_copy (secret);
    }
  else
    store_apply (f, task, secret);
}

static void
release_write (Fixture *f)
{
  g_autoptr(UaSecret) secret = g_steal_pointer (&f->parked_secret);

  f->park_writes = FALSE;
  store_apply (f, g_steal_pointer (&f->parked_write), secret);
}

static void
fake_lookup_async (UaStore *store, const char *profile, const char *kind,
                   GCancellable *cancellable, GAsyncReadyCallback callback,
                   gpointer user_data)
{
  Fixture *f = (Fixture *) store;
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  UaSecret *s = g_hash_table_lookup (f->items, kind);

  g_task_return_pointer (task, s ? ua_secret_copy (s) : NULL, (GDestroyNotify) ua_secret_free);
  g_object_unref (task);
}

static const UaStoreOps fake_store_ops = {
  .name = "fake",
  .store_async = fake_store_async,
  .lookup_async = fake_lookup_async,
};

/* ---- the token endpoint --------------------------------------------- */

static void
respond (Fixture *f, GSocket *socket)
{
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;
  const char *status = "200 OK";

  if (f->refuse)
    {
      json = g_strdup ("{\"error\":\"invalid_grant\",\"error_description\":\"token used\"}");
      status = "400 Bad Request";
    }
  else
    {
      f->issued++;
      json = g_strdup_printf ("{\"access_token\":\"at-%u\",\"token_type\":\"Bearer\","
                              "\"expires_in\":3600,\"refresh_token\":\"rt-%u\"}",
                              f->issued + 1, f->issued + 1);
    }
  text = g_strdup_printf ("HTTP/1.1 %s\r\nContent-Type: application/json\r\n"
                          "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                          status, strlen (json), json);
  ua_loopback_send_text (socket, text);
  g_socket_close (socket, NULL);
}

/* The form in a request's body. */
static GHashTable *
form_of (const char *request)
{
  const char *body = strstr (request, "\r\n\r\n");
  GHashTable *form;

  g_assert_nonnull (body);
  form = g_uri_parse_params (body + 4, -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
  g_assert_nonnull (form);
  return form;
}

static gboolean
accept_request (GSocket *listener, GIOCondition condition, gpointer data)
{
  Fixture *f = data;
  g_autoptr(GSocket) socket = g_socket_accept (listener, NULL, NULL);
  g_autoptr(GString) request = g_string_new (NULL);
  g_autoptr(GHashTable) form = NULL;

  g_assert_nonnull (socket);
  /* curl sends the whole request at once from its own thread, so a
   * blocking read here does not wait on this loop. */
  g_socket_set_timeout (socket, UA_LOOPBACK_IO_TIMEOUT_S);
  ua_loopback_read_request (socket, request);
  g_assert_true (g_str_has_prefix (request->str, "POST /identity_/connect/token HTTP/1.1\r\n"));
  form = form_of (request->str);
  g_assert_cmpstr (g_hash_table_lookup (form, "grant_type"), ==, "refresh_token");
  g_assert_cmpstr (g_hash_table_lookup (form, "client_id"), ==, "app");
  note (f, "sent %s", (const char *) g_hash_table_lookup (form, "refresh_token"));
  if (f->park_requests)
    f->parked_request = g_steal_pointer (&socket);
  else
    respond (f, socket);
  return G_SOURCE_CONTINUE;
}

static void
release_request (Fixture *f)
{
  g_autoptr(GSocket) socket = g_steal_pointer (&f->parked_request);

  f->park_requests = FALSE;
  respond (f, socket);
}

static void
endpoint_start (Fixture *f)
{
  guint16 port;

  f->listener = ua_loopback_listen (&port);
  f->accepting = g_socket_create_source (f->listener, G_IO_IN, NULL);
  g_source_set_callback (f->accepting, G_SOURCE_FUNC (accept_request), f, NULL);
  g_source_attach (f->accepting, NULL);
  f->identity_url = g_strdup_printf ("http://127.0.0.1:%u/identity_", port);
}

static void
endpoint_stop (Fixture *f)
{
  g_source_destroy (f->accepting);
  g_source_unref (f->accepting);
  g_socket_close (f->listener, NULL);
  g_object_unref (f->listener);
  g_free (f->identity_url);
}

/* ---- waiting on the main loop --------------------------------------- */

typedef gboolean (*Done) (Fixture *f);

static gboolean
time_is_up (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
run_until (Fixture *f, Done done)
{
  gboolean up = FALSE;
  guint timer = g_timeout_add_seconds (UA_LOOPBACK_IO_TIMEOUT_S, time_is_up, &up);

  while (!done (f) && !up)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (up);
  g_source_remove (timer);
}

static gboolean
request_parked (Fixture *f)
{
  return f->parked_request != NULL;
}

static gboolean
write_parked (Fixture *f)
{
  return f->parked_write != NULL;
}

static gboolean
refreshed (Fixture *f)
{
  return f->result != NULL;
}

static gboolean
no_mint (Fixture *f)
{
  return ua_cache_n_minting (f->cache) == 0;
}

static gboolean
answered (Fixture *f)
{
  return f->answers >= f->awaited;
}

/* ---- asking ---------------------------------------------------------- */

static void
note_outcome (Fixture *f, const UaToken *token, const GError *error)
{
  if (token != NULL)
    note (f, "answer %s", ua_secret_get (token->value));
  else
    note (f, "error %s", ua_error_to_string (ua_error_code (error)));
}

static void
got_token (const UaToken *token, const GError *error, gpointer data)
{
  Fixture *f = data;

  f->answers++;
  note_outcome (f, token, error);
}

/* A caller asks through the cache, as `uipauth token web` does. */
static void
ask_token (Fixture *f, gboolean force_new)
{
  f->awaited = f->answers + 1;
  ua_credential_get_token (f->credential, 60, force_new, got_token, f);
}

static void
get_token (Fixture *f, gboolean force_new)
{
  ask_token (f, force_new);
  run_until (f, answered);
}

static void
refresh_done (GObject *source, GAsyncResult *res, gpointer data)
{
  Fixture *f = data;

  f->result = ua_refresh_finish (res);
  note_outcome (f, f->result->token, f->result->error);
}

/* Starts one refresh, without the cache. */
static void
start_refresh (Fixture *f)
{
  g_clear_pointer (&f->result, ua_grant_result_free);
  ua_refresh_async (f->credential, NULL, refresh_done, f);
}

/* ---- fixture --------------------------------------------------------- */

/* The cache's clock, which a test may move ahead of the real one: tokens
 * are stamped with the real clock when their answer is read. */
static gint64 clock_ahead;

static gint64
moved_clock (void)
{
  return g_get_monotonic_time () + clock_ahead;
}

static void
setup (Fixture *f, gconstpointer data)
{
  static const UaCacheFuncs funcs = { moved_clock, ua_mint_async, ua_mint_finish };
  g_autoptr(UaProfile) profile = ua_profile_new ("web", UA_KIND_AUTHORIZATION_CODE);

  f->store.ops = &fake_store_ops;
  f->items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                    (GDestroyNotify) ua_secret_free);
  g_hash_table_insert (f->items, g_strdup (UA_SECRET_REFRESH_TOKEN), ua_secret_new_str ("rt-1"));
  f->log = g_ptr_array_new_with_free_func (g_free);
  clock_ahead = 0;
  endpoint_start (f);

  ua_profile_set (profile, "client_id", "app");
  ua_profile_set (profile, "identity_url", f->identity_url);
  ua_profile_parse (profile);
  g_assert_no_error (profile->invalid);
  f->cache = ua_cache_new (&funcs);
  f->credential = ua_credential_new (f->cache, &f->store, profile);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  ua_credential_retire (f->credential);
  g_clear_pointer (&f->credential, ua_credential_unref);
  g_assert_cmpuint (ua_cache_n_minting (f->cache), ==, 0);
  ua_cache_free (f->cache);
  g_clear_pointer (&f->result, ua_grant_result_free);
  endpoint_stop (f);
  g_hash_table_unref (f->items);
  g_ptr_array_unref (f->log);
}

/* ---- rotation --------------------------------------------------------- */

static void
test_saved_before_answer (Fixture *f, gconstpointer data)
{
  f->park_writes = TRUE;
  ask_token (f, FALSE);
  run_until (f, write_parked);
  /* The server has consumed rt-1: until the write is done, rt-2 exists
   * only in the agent, and no caller has anything yet. */
  assert_log (f, "sent rt-1");
  g_assert_cmpstr (stored (f), ==, "rt-1");
  g_assert_cmpstr (ua_secret_get (f->credential->held), ==, "rt-2");

  release_write (f);
  run_until (f, answered);
  assert_log (f, "sent rt-1, saved rt-2, answer at-2");
  g_assert_null (f->credential->held);

  get_token (f, TRUE);
  assert_log (f, "sent rt-1, saved rt-2, answer at-2, sent rt-2, saved rt-3, answer at-3");
  g_assert_cmpstr (stored (f), ==, "rt-3");
}

/* A rotation that cannot be saved is held in memory and saved first by
 * the next refresh: the consumed token is never sent again. */
static void
test_write_fails (Fixture *f, gconstpointer data)
{
  f->fail_writes = TRUE;
  g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "*could not be saved*");
  get_token (f, FALSE);
  g_test_assert_expected_messages ();
  assert_log (f, "sent rt-1, write failed, error keyring");
  g_assert_cmpstr (ua_secret_get (f->credential->held), ==, "rt-2");
  g_assert_cmpstr (stored (f), ==, "rt-1");

  /* Still failing: nothing is sent while the rotation is unsaved. */
  g_ptr_array_set_size (f->log, 0);
  get_token (f, FALSE);
  assert_log (f, "write failed, error keyring");
  g_assert_cmpstr (ua_secret_get (f->credential->held), ==, "rt-2");

  f->fail_writes = FALSE;
  g_ptr_array_set_size (f->log, 0);
  get_token (f, FALSE);
  assert_log (f, "saved rt-2, sent rt-2, saved rt-3, answer at-3");
  g_assert_null (f->credential->held);
}

/* A refresh ahead of expiry, in the background, rotates the same way;
 * callers keep the old token until the new one is saved. */
static void
test_ahead_rotates (Fixture *f, gconstpointer data)
{
  get_token (f, FALSE);
  get_token (f, FALSE);
  f->park_writes = TRUE;
  clock_ahead = ua_cache_entry_due_at (f->credential->entry) - g_get_monotonic_time ();
  ua_cache_run_due (f->cache);
  run_until (f, write_parked);
  get_token (f, FALSE);
  release_write (f);
  run_until (f, no_mint);
  get_token (f, FALSE);
  assert_log (f, "sent rt-1, saved rt-2, answer at-2, answer at-2, "
                 "sent rt-2, answer at-2, saved rt-3, answer at-3");
  g_assert_cmpstr (stored (f), ==, "rt-3");
}

static void
test_invalid_grant (Fixture *f, gconstpointer data)
{
  f->refuse = TRUE;
  get_token (f, FALSE);
  assert_log (f, "sent rt-1, error login-required");

  /* Remembered: neither a caller nor --force-new sends it again. */
  get_token (f, FALSE);
  get_token (f, TRUE);
  start_refresh (f);
  run_until (f, refreshed);
  assert_log (f, "sent rt-1, error login-required, error login-required, "
                 "error login-required, error login-required");
  g_assert_error (f->result->error, UA_ERROR, UA_ERR_LOGIN_REQUIRED);
  g_assert_cmpint (f->result->failure.retry, ==, UA_GRANT_RETRY_NEVER);
  g_assert_nonnull (strstr (f->result->error->message, "run \"uipauth login web\""));
  g_assert_nonnull (strstr (f->result->error->message, "invalid_grant"));
  g_assert_cmpstr (stored (f), ==, "rt-1");
}

/* ---- answers that no longer belong to anyone ------------------------- */

static void
test_retired_in_flight (Fixture *f, gconstpointer data)
{
  f->park_requests = TRUE;
  start_refresh (f);
  run_until (f, request_parked);
  ua_credential_retire (f->credential);
  release_request (f);
  run_until (f, refreshed);

  assert_log (f, "sent rt-1, error unknown-profile");
  g_assert_null (f->result->token);
  g_assert_null (f->result->refresh_token);
  g_assert_cmpstr (stored (f), ==, "rt-1");
  g_assert_null (f->credential->held);
}

/* What a `uipauth login` leaves: its refresh token in the store, its
 * access token for the first use. */
static void
sign_in (Fixture *f)
{
  g_hash_table_insert (f->items, g_strdup (UA_SECRET_REFRESH_TOKEN),
                       ua_secret_new_str ("rt-login"));
  ua_credential_logged_in (f->credential, ua_token_new (ua_secret_new_str ("at-login"),
                                                        "Bearer", NULL, 3600));
}

/* A sign-in while a refresh is in flight: the refresh's rotation is
 * dropped, its callers get a copy of the sign-in's access token, and the
 * sign-in's tokens are the ones kept and used. */
static void
test_login_during_refresh (Fixture *f, gconstpointer data)
{
  f->park_requests = TRUE;
  start_refresh (f);
  run_until (f, request_parked);
  sign_in (f);
  release_request (f);
  run_until (f, refreshed);
  assert_log (f, "sent rt-1, answer at-login");
  g_assert_nonnull (f->result->token);
  g_assert_cmpstr (stored (f), ==, "rt-login");
  g_assert_null (f->credential->held);

  get_token (f, FALSE);
  get_token (f, TRUE);
  assert_log (f, "sent rt-1, answer at-login, answer at-login, "
                 "sent rt-login, saved rt-3, answer at-3");
}

/* The same through the cache: the caller waiting for the overtaken mint
 * and the next one both get the sign-in's token, not a hold left behind
 * by the dropped refresh. */
static void
test_login_during_mint (Fixture *f, gconstpointer data)
{
  f->park_requests = TRUE;
  ask_token (f, FALSE);
  run_until (f, request_parked);
  sign_in (f);
  release_request (f);
  run_until (f, answered);
  get_token (f, FALSE);
  assert_log (f, "sent rt-1, answer at-login, answer at-login");
  g_assert_cmpstr (stored (f), ==, "rt-login");
}

#define ADD(path, func) g_test_add (path, Fixture, NULL, setup, func, teardown)

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!ua_http_global_init (&error))
    g_error ("%s", error->message);

  ADD ("/refresh/rotation/saved-before-answer", test_saved_before_answer);
  ADD ("/refresh/rotation/write-fails", test_write_fails);
  ADD ("/refresh/rotation/ahead-of-expiry", test_ahead_rotates);
  ADD ("/refresh/invalid-grant", test_invalid_grant);
  ADD ("/refresh/dropped/retired-in-flight", test_retired_in_flight);
  ADD ("/refresh/dropped/login-during-refresh", test_login_during_refresh);
  ADD ("/refresh/dropped/login-during-mint", test_login_during_mint);

  status = g_test_run ();
  ua_http_global_cleanup ();
  return status;
}
