#include "config.h"

#include "login.h"

#include <string.h>
#include <sys/random.h>

#include "grant.h"
#include "http.h"
#include "listener.h"
#include "reply.h"
#include "ua-error.h"

typedef enum {
  PHASE_LISTENING,  /* waiting for the browser */
  PHASE_EXCHANGING, /* got the code, at the token endpoint */
  PHASE_DONE,       /* result kept for late login-wait */
} Phase;

struct UaLogin {
  UaAgent *agent;
  UaCredential *credential;
  char *id;
  char *state;
  UaSecret *verifier;
  UaSecret *code;            /* from the redirect, until it is sent */
  char *authorize_url;
  UaListener *listener;
  UaListenerPeer *answering; /* the browser whose code is being exchanged */
  GPtrArray *waiters;        /* UaConn of login-wait */
  guint timer;
  Phase phase;
  GError *result;            /* PHASE_DONE: NULL on success */
};

/* ---- small helpers -------------------------------------------------- */

/* base64url without padding (RFC 4648 5), as PKCE and state want. */
static char *
base64url (const guchar *data, gsize len)
{
  char *b64 = g_base64_encode (data, len);

  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');
  b64[strcspn (b64, "=")] = '\0';
  return b64;
}

static char *
random_url_safe (size_t n_bytes)
{
  guchar bytes[64];
  char *b64;

  g_assert (n_bytes <= sizeof bytes);
  if (getrandom (bytes, n_bytes, 0) != (ssize_t) n_bytes)
    g_error ("getrandom failed");
  b64 = base64url (bytes, n_bytes);
  ua_wipe (bytes, sizeof bytes);
  return b64;
}

/* BASE64URL(SHA-256(verifier)), RFC 7636 4.2. */
static char *
pkce_challenge (const UaSecret *verifier)
{
  guint8 digest[32];
  gsize len = sizeof digest;
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (sum, (const guchar *) ua_secret_get (verifier),
                     ua_secret_len (verifier));
  g_checksum_get_digest (sum, digest, &len);
  return base64url (digest, len);
}

/* The profile's scopes with offline_access, which yields the refresh token. */
static char *
login_scopes (const UaProfile *profile)
{
  g_auto(GStrv) parts = g_strsplit (profile->scopes, " ", -1);

  if (g_strv_contains ((const char *const *) parts, "offline_access"))
    return g_strdup (profile->scopes);
  return *profile->scopes ? g_strconcat (profile->scopes, " offline_access", NULL)
                          : g_strdup ("offline_access");
}

static void
append_param (GString *url, const char *key, const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_printf (url, "%c%s=%s", strchr (url->str, '?') ? '&' : '?',
                          key, escaped);
}

static const char *
name_of (const UaLogin *login)
{
  return login->credential->profile->name;
}

/* ---- ending a login ------------------------------------------------- */

static UaMsg *
result_reply (UaLogin *login)
{
  UaMsg *reply;

  if (login->result != NULL)
    return ua_reply_from_gerror (login->result);
  reply = ua_reply_ok ();
  ua_reply_add (reply, "profile", name_of (login));
  return reply;
}

void
ua_login_free (UaLogin *login)
{
  g_assert (login->phase == PHASE_DONE);
  g_clear_pointer (&login->answering, ua_listener_peer_unref);
  ua_listener_free (login->listener);
  g_ptr_array_unref (login->waiters);
  g_clear_handle_id (&login->timer, g_source_remove);
  ua_credential_unref (login->credential);
  ua_secret_free (login->verifier);
  ua_secret_free (login->code);
  g_clear_error (&login->result);
  g_free (login->id);
  g_free (login->state);
  g_free (login->authorize_url);
  g_free (login);
}

static gboolean
linger_over (gpointer data)
{
  UaLogin *login = data;

  login->timer = 0;
  g_hash_table_remove (login->agent->logins, login->id);
  return G_SOURCE_REMOVE;
}

/* The page the browser that brought the redirect ends on: what happened
 * and what to do next, without the code or any token. */
static void
answer_browser (UaLogin *login, const GError *error)
{
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;

  if (error == NULL)
    {
      title = g_strdup_printf ("Signed in to %s", name_of (login));
      text = g_strdup_printf ("uipauth has stored the sign-in of profile %s, and "
                              "\"uipauth login\" has finished in your terminal.\n"
                              "You can close this tab.", name_of (login));
      ua_listener_answer (login->answering, 200, title, text);
      return;
    }
  text = g_strdup_printf ("%s.\n\"uipauth login\" has stopped in your terminal "
                          "with this error. You can close this tab.", error->message);
  ua_listener_answer (login->answering, 400, "Sign-in failed", text);
}

/* Ends the login with @error (taken; NULL: success): every waiter gets
 * the result, the browser its page, and the port is closed. */
static void
login_finish (UaLogin *login, GError *error)
{
  if (login->phase == PHASE_DONE)
    {
      g_clear_error (&error);
      return;
    }
  login->phase = PHASE_DONE;
  login->result = error;
  login->agent->busy--;
  if (login->credential->login == login)
    login->credential->login = NULL;
  if (error != NULL)
    g_message ("login for profile %s failed: %s", name_of (login),
               ua_error_to_string (ua_error_code (error)));
  else
    g_message ("login for profile %s succeeded", name_of (login));
  for (guint i = 0; i < login->waiters->len; i++)
    ua_conn_reply (login->waiters->pdata[i], result_reply (login));
  g_ptr_array_set_size (login->waiters, 0);
  if (login->answering != NULL)
    {
      answer_browser (login, error);
      g_clear_pointer (&login->answering, ua_listener_peer_unref);
    }
  ua_listener_close (login->listener);
  g_clear_handle_id (&login->timer, g_source_remove);
  login->timer = g_timeout_add_seconds (UA_LOGIN_LINGER_S, linger_over, login);
}

gboolean
ua_login_cancel (UaLogin *login, GError *why)
{
  gboolean pending = login->phase != PHASE_DONE;

  login_finish (login, why);
  return pending;
}

static GError *
login_error (UaLogin *login, UaErrorCode code, const char *what)
{
  return g_error_new (UA_ERROR, code, "profile \"%s\": %s; the stored sign-in "
                      "is unchanged; run \"uipauth login %s\" again",
                      name_of (login), what, name_of (login));
}

static gboolean
timed_out (gpointer data)
{
  UaLogin *login = data;
  g_autofree char *what = NULL;

  login->timer = 0;
  what = g_strdup_printf ("no sign-in arrived at %s in time",
                          login->credential->profile->redirect_uri);
  login_finish (login, login_error (login, UA_ERR_LOGIN_REQUIRED, what));
  return G_SOURCE_REMOVE;
}

/* ---- the code exchange ---------------------------------------------- */

typedef struct {
  UaLogin *login;
  UaToken *token;
} Exchange;

static void
refresh_token_stored (GObject *source, GAsyncResult *res, gpointer data)
{
  Exchange *x = data;
  UaLogin *login = x->login;
  GError *error = NULL;

  if (!ua_store_store_finish (res, &error))
    ua_token_free (x->token);
  else if (login->phase != PHASE_EXCHANGING || login->credential->retired)
    ua_token_free (x->token); /* cancelled meanwhile: the page says so */
  else
    ua_credential_logged_in (login->credential, x->token);
  login_finish (login, error);
  g_free (x);
}

static void
code_exchanged (GObject *source, GAsyncResult *res, gpointer data)
{
  UaLogin *login = data;
  g_autoptr(UaHttpResponse) response = NULL;
  g_autoptr(UaGrantResult) result = NULL;
  GError *error = NULL;
  Exchange *x;

  response = ua_http_perform_finish (res, &error);
  /* Cancelled meanwhile (the profile changed): wiped, dropped. */
  if (login->phase != PHASE_EXCHANGING)
    {
      g_clear_error (&error);
      return;
    }
  if (response == NULL)
    {
      g_prefix_error (&error, "profile \"%s\": ", name_of (login));
      login_finish (login, error);
      return;
    }
  result = ua_grant_result_judge (response, name_of (login), ua_grant_parse_token_response);
  if (result->token == NULL)
    {
      login_finish (login, g_steal_pointer (&result->error));
      return;
    }
  if (result->refresh_token == NULL)
    {
      login_finish (login, login_error (login, UA_ERR_REJECTED,
                                        "the identity server issued no refresh "
                                        "token: the external app must allow the "
                                        "offline_access scope"));
      return;
    }
  x = g_new0 (Exchange, 1);
  x->login = login;
  x->token = g_steal_pointer (&result->token);
  ua_store_store_async (login->credential->store, name_of (login),
                        UA_SECRET_REFRESH_TOKEN, result->refresh_token, NULL,
                        refresh_token_stored, x);
}

static void
client_secret_read (GObject *source, GAsyncResult *res, gpointer data)
{
  UaLogin *login = data;
  const UaProfile *p = login->credential->profile;
  g_autoptr(UaSecret) code = g_steal_pointer (&login->code);
  g_autoptr(UaSecret) secret = NULL;
  GError *error = NULL;
  UaGrantClient client;

  secret = ua_credential_client_secret_finish (res, &error);
  if (login->phase != PHASE_EXCHANGING)
    {
      g_clear_error (&error); /* cancelled meanwhile: the code is never sent */
      return;
    }
  if (error != NULL)
    {
      login_finish (login, error);
      return;
    }
  client = ua_credential_grant_client (login->credential, secret);
  /* Not cancellable: the code is spent once sent; a cancelled login
   * drops the answer (code_exchanged). */
  ua_http_perform_async (ua_grant_authorization_code_request (p->token_endpoint, &client,
                                                              code, p->redirect_uri,
                                                              login->verifier),
                         NULL, code_exchanged, login);
}

static void
exchange_code (UaLogin *login, const char *code)
{
  login->phase = PHASE_EXCHANGING;
  login->code = ua_secret_new_str (code);
  ua_credential_client_secret_async (login->credential, client_secret_read, login);
}

/* ---- the browser's redirect ----------------------------------------- */

/* What an error= on the redirect means to the user (RFC 6749 4.1.2.1). */
static const char *
refusal (const char *error)
{
  if (g_str_equal (error, "access_denied"))
    return "the user denied access in the browser, or the identity server "
           "does not allow this app";
  return "the identity server refused the sign-in";
}

/* A redirect without this login's state is someone else's (a stale tab,
 * or another local user): it gets an error page and changes nothing, so
 * it cannot end the login; the right one may still come. */
static void
on_redirect (UaListenerPeer *peer, const UaRedirect *r, gpointer data)
{
  UaLogin *login = data;
  g_autofree char *what = NULL;

  if (login->phase != PHASE_LISTENING)
    {
      ua_listener_answer (peer, 409, "Already used",
                          "This sign-in has already been received; a second "
                          "redirect is ignored.\nThe terminal that runs \"uipauth "
                          "login\" shows how it ends. You can close this tab.");
      return;
    }
  if (r->state == NULL || strcmp (r->state, login->state) != 0)
    {
      g_message ("login for profile %s: a redirect without its state was ignored",
                 name_of (login));
      ua_listener_answer (peer, 400, "Sign-in not accepted",
                          "The redirect's state does not match the pending "
                          "sign-in (a stale tab, or a forged request); it was "
                          "ignored.\n\"uipauth login\" is still waiting in your "
                          "terminal: open the URL it printed last.");
      return;
    }
  if (r->error != NULL)
    what = g_strdup_printf ("%s (%.64s%s%.200s)", refusal (r->error), r->error,
                            r->error_description ? ": " : "",
                            r->error_description ? r->error_description : "");
  else if (r->code == NULL || *r->code == '\0')
    what = g_strdup ("the redirect carries no authorization code");
  login->answering = ua_listener_peer_ref (peer);
  if (what != NULL)
    {
      login_finish (login, login_error (login, UA_ERR_REJECTED, what));
      return;
    }
  exchange_code (login, r->code);
}

/* ---- starting ------------------------------------------------------- */

static char *
build_authorize_url (UaLogin *login)
{
  const UaProfile *p = login->credential->profile;
  g_autofree char *scopes = login_scopes (p);
  g_autofree char *challenge = pkce_challenge (login->verifier);
  GString *url = g_string_new (p->identity_base);

  g_string_append (url, "/connect/authorize");
  append_param (url, "response_type", "code");
  append_param (url, "client_id", p->client_id);
  append_param (url, "redirect_uri", p->redirect_uri);
  append_param (url, "scope", scopes);
  append_param (url, "state", login->state);
  append_param (url, "code_challenge", challenge);
  append_param (url, "code_challenge_method", "S256");
  return g_string_free (url, FALSE);
}

UaLogin *
ua_login_start (UaAgent *agent, UaCredential *credential, guint timeout_s,
                GError **error)
{
  const UaProfile *p = credential->profile;
  UaLogin *login;
  g_autofree char *verifier = NULL;

  if (!ua_profile_validate (p, error) || !ua_http_url_allowed (p->token_endpoint, error))
    return NULL;
  if (credential->signing_out > 0)
    {
      g_set_error (error, UA_ERROR, UA_ERR_LOGIN_REQUIRED, "profile \"%s\" is being "
                   "signed out; run \"uipauth login %s\" again once \"uipauth "
                   "logout\" has finished", p->name, p->name);
      return NULL;
    }
  if (credential->login != NULL)
    ua_login_cancel (credential->login,
                     g_error_new (UA_ERROR, UA_ERR_LOGIN_REQUIRED, "profile \"%s\": "
                                  "a newer \"uipauth login\" replaced this one; "
                                  "the stored sign-in is unchanged", p->name));
  login = g_new0 (UaLogin, 1);
  login->agent = agent;
  login->credential = ua_credential_ref (credential);
  login->waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) ua_conn_unref);
  login->listener = ua_listener_new (p->redirect_uri, p->name, on_redirect, login, error);
  if (login->listener == NULL)
    {
      login->phase = PHASE_DONE;
      ua_login_free (login);
      return NULL;
    }
  verifier = random_url_safe (32);
  login->verifier = ua_secret_new_str (verifier);
  ua_wipe (verifier, strlen (verifier));
  login->id = random_url_safe (16);
  login->state = random_url_safe (16);
  login->authorize_url = build_authorize_url (login);
  login->phase = PHASE_LISTENING;
  login->timer = g_timeout_add_seconds (timeout_s, timed_out, login);
  credential->login = login;
  agent->busy++;
  g_hash_table_insert (agent->logins, login->id, login);
  g_message ("login for profile %s: listening at %s for %u s", p->name,
             p->redirect_uri, timeout_s);
  return login;
}

const char *
ua_login_id (UaLogin *login)
{
  return login->id;
}

const char *
ua_login_authorize_url (UaLogin *login)
{
  return login->authorize_url;
}

const char *
ua_login_redirect_uri (UaLogin *login)
{
  return login->credential->profile->redirect_uri;
}

const char *
ua_login_profile (UaLogin *login)
{
  return name_of (login);
}

void
ua_login_wait (UaLogin *login, UaConn *conn)
{
  if (login->phase == PHASE_DONE)
    ua_conn_reply (conn, result_reply (login));
  else
    g_ptr_array_add (login->waiters, ua_conn_ref (conn));
}
