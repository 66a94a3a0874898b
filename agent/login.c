#include "config.h"

#include "login.h"

#include <string.h>
#include <sys/random.h>

#include "grant.h"
#include "handlers.h"
#include "http.h"
#include "keyring.h"
#include "redirect.h"
#include "refresh.h"
#include "reply.h"
#include "ua-error.h"

typedef enum {
  PHASE_LISTENING,  /* waiting for the browser */
  PHASE_EXCHANGING, /* got the code, at the token endpoint */
  PHASE_DONE,       /* result kept for late login-wait */
} Phase;

typedef struct Login Login;

/* One connection to the listener. */
typedef struct {
  Login *login;
  GSocketConnection *connection;
  GCancellable *cancellable;
  guint deadline;
  GByteArray *buf;
  char *page;             /* the answer being written */
  gint refs;              /* the login's list, and each pending read or write */
  gboolean closed;
  char chunk[1024];
} Peer;

struct Login {
  UaAgent *agent;
  char *id;
  char *profile;
  char *client_id;
  char *token_endpoint;
  char *redirect_uri;
  char *redirect_path;
  char *state;
  UaSecret *verifier;
  char *authorize_url;
  GSocketService *service;
  GPtrArray *peers;       /* Peer being read or answered */
  Peer *answering;        /* the peer whose redirect is being exchanged */
  GPtrArray *waiters;     /* UaConn of login-wait */
  guint timer;
  Phase phase;
  GError *result;         /* PHASE_DONE: NULL on success */
};

static GHashTable *logins; /* id -> Login */

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
  g_autofree char *scopes = ua_profile_scopes_normalized (profile);
  g_auto(GStrv) parts = g_strsplit (scopes, " ", -1);

  if (g_strv_contains ((const char *const *) parts, "offline_access"))
    return g_steal_pointer (&scopes);
  return *scopes ? g_strconcat (scopes, " offline_access", NULL)
                 : g_strdup ("offline_access");
}

static void
append_param (GString *url, const char *key, const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_printf (url, "%c%s=%s", strchr (url->str, '?') ? '&' : '?',
                          key, escaped);
}

/* ---- ending a login ------------------------------------------------- */

static void peer_close (Peer *peer);
static gboolean peer_too_slow (gpointer data);

static UaMsg *
result_reply (Login *login)
{
  UaMsg *reply;

  if (login->result != NULL)
    return ua_reply_from_gerror (login->result);
  reply = ua_reply_ok ();
  ua_reply_add (reply, "profile", login->profile);
  return reply;
}

static void
login_free (Login *login)
{
  while (login->peers->len > 0)
    peer_close (login->peers->pdata[0]);
  g_ptr_array_unref (login->peers);
  g_ptr_array_unref (login->waiters);
  g_clear_handle_id (&login->timer, g_source_remove);
  if (login->service != NULL)
    {
      g_socket_service_stop (login->service);
      g_socket_listener_close (G_SOCKET_LISTENER (login->service));
      g_object_unref (login->service);
    }
  ua_secret_free (login->verifier);
  g_clear_error (&login->result);
  g_free (login->id);
  g_free (login->profile);
  g_free (login->client_id);
  g_free (login->token_endpoint);
  g_free (login->redirect_uri);
  g_free (login->redirect_path);
  g_free (login->state);
  g_free (login->authorize_url);
  g_free (login);
}

static gboolean
linger_over (gpointer data)
{
  Login *login = data;

  login->timer = 0;
  g_hash_table_remove (logins, login->id);
  return G_SOURCE_REMOVE;
}

static void answer_page (Peer *peer, guint status, const char *title,
                         const char *text);

/* Ends the login with @error (taken; NULL: success): every waiter gets
 * the result, the browser its page, and the port is closed. */
static void
login_finish (Login *login, GError *error)
{
  if (login->phase == PHASE_DONE)
    {
      g_clear_error (&error);
      return;
    }
  login->phase = PHASE_DONE;
  login->result = error;
  login->agent->busy--;
  if (error != NULL)
    g_message ("login for profile %s failed: %s", login->profile,
               ua_error_to_string (ua_error_code (error)));
  else
    g_message ("login for profile %s succeeded", login->profile);
  for (guint i = 0; i < login->waiters->len; i++)
    ua_conn_reply (login->waiters->pdata[i], result_reply (login));
  g_ptr_array_set_size (login->waiters, 0);
  if (login->answering != NULL)
    {
      if (error == NULL)
        answer_page (login->answering, 200, "Signed in",
                     "uipauth has stored the sign-in. You can close this tab.");
      else
        answer_page (login->answering, 400, "Sign-in failed", error->message);
      login->answering = NULL;
    }
  g_socket_service_stop (login->service);
  g_socket_listener_close (G_SOCKET_LISTENER (login->service));
  g_clear_handle_id (&login->timer, g_source_remove);
  login->timer = g_timeout_add_seconds (UA_LOGIN_LINGER_S, linger_over, login);
}

static GError *
login_error (Login *login, UaErrorCode code, const char *what)
{
  return g_error_new (UA_ERROR, code, "profile \"%s\": %s; the stored sign-in "
                      "is unchanged; run \"uipauth login %s\" again",
                      login->profile, what, login->profile);
}

static gboolean
timed_out (gpointer data)
{
  Login *login = data;
  g_autofree char *what = NULL;

  login->timer = 0;
  what = g_strdup_printf ("no sign-in arrived at %s in time", login->redirect_uri);
  login_finish (login, login_error (login, UA_ERR_LOGIN_REQUIRED, what));
  return G_SOURCE_REMOVE;
}

/* ---- the code exchange ---------------------------------------------- */

typedef struct {
  Login *login;
  UaToken *token;
} Exchange;

static void
refresh_token_stored (GObject *source, GAsyncResult *res, gpointer data)
{
  Exchange *x = data;
  Login *login = x->login;
  GError *error = NULL;

  if (!ua_keyring_store_finish (res, &error))
    {
      ua_token_free (x->token);
      login_finish (login, error);
    }
  else
    {
      ua_refresh_logged_in (login->profile, x->token);
      ua_cache_forget_profile (login->agent->cache, login->profile);
      login_finish (login, NULL);
    }
  g_free (x);
}

static void
code_exchanged (GObject *source, GAsyncResult *res, gpointer data)
{
  Login *login = data;
  g_autoptr(UaHttpResponse) response = NULL;
  g_autoptr(UaSecret) refresh_token = NULL;
  GError *error = NULL;
  UaToken *token;
  Exchange *x;

  response = ua_http_perform_finish (res, &error);
  if (response == NULL)
    {
      g_prefix_error (&error, "profile \"%s\": ", login->profile);
      login_finish (login, error);
      return;
    }
  refresh_token = ua_grant_take_refresh_token (response);
  token = ua_grant_parse_token_response (response, login->profile, NULL, &error);
  if (token == NULL)
    {
      login_finish (login, error);
      return;
    }
  if (refresh_token == NULL)
    {
      ua_token_free (token);
      login_finish (login, login_error (login, UA_ERR_REJECTED,
                                        "the identity server issued no refresh "
                                        "token: the external app must allow the "
                                        "offline_access scope"));
      return;
    }
  x = g_new0 (Exchange, 1);
  x->login = login;
  x->token = token;
  ua_keyring_store_async (login->profile, UA_SECRET_REFRESH_TOKEN, refresh_token,
                          NULL, refresh_token_stored, x);
}

static void
exchange_code (Login *login, const char *code)
{
  g_autoptr(UaSecret) c = ua_secret_new_str (code);
  UaHttpRequest *request;

  login->phase = PHASE_EXCHANGING;
  request = ua_grant_authorization_code_request (login->token_endpoint,
                                                 login->client_id, c,
                                                 login->redirect_uri,
                                                 login->verifier);
  ua_http_perform_async (request, NULL, code_exchanged, login);
}

/* ---- the listener --------------------------------------------------- */

static Peer *
peer_ref (Peer *peer)
{
  peer->refs++;
  return peer;
}

static void
peer_unref (Peer *peer)
{
  if (--peer->refs > 0)
    return;
  g_object_unref (peer->connection);
  g_object_unref (peer->cancellable);
  ua_wipe (peer->buf->data, peer->buf->len);
  g_byte_array_unref (peer->buf);
  ua_wipe (peer->chunk, sizeof peer->chunk);
  g_free (peer->page);
  g_free (peer);
}

/* Idempotent; pending reads and writes see peer->closed and let go. */
static void
peer_close (Peer *peer)
{
  Login *login = peer->login;

  if (peer->closed)
    return;
  peer->closed = TRUE;
  if (login->answering == peer)
    login->answering = NULL;
  g_cancellable_cancel (peer->cancellable);
  g_clear_handle_id (&peer->deadline, g_source_remove);
  g_io_stream_close (G_IO_STREAM (peer->connection), NULL, NULL);
  g_ptr_array_remove (login->peers, peer); /* drops the list's reference */
}

static void
page_written (GObject *source, GAsyncResult *res, gpointer data)
{
  Peer *peer = data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), res, NULL, NULL);
  peer_close (peer);
  peer_unref (peer);
}

static const char *
reason (guint status)
{
  switch (status)
    {
    case 200: return "OK";
    case 404: return "Not Found";
    case 409: return "Conflict";
    default: return "Bad Request";
    }
}

static void
answer_page (Peer *peer, guint status, const char *title, const char *text)
{
  g_autofree char *t = g_markup_escape_text (title, -1);
  g_autofree char *x = g_markup_escape_text (text, -1);
  g_autofree char *body = NULL;
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (peer->connection));

  if (peer->closed || peer->page != NULL)
    return;
  body = g_strdup_printf ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                          "<title>uipauth: %s</title></head>\n<body><h1>%s</h1>"
                          "<p>%s</p></body></html>\n", t, t, x);
  peer->page = g_strdup_printf ("HTTP/1.1 %u %s\r\nContent-Type: text/html; "
                                "charset=utf-8\r\nContent-Length: %zu\r\n"
                                "Cache-Control: no-store\r\nConnection: close\r\n\r\n%s",
                                status, reason (status), strlen (body), body);
  /* The write may not take longer than reading the request could. */
  peer->deadline = g_timeout_add_seconds (UA_LOGIN_PEER_TIMEOUT_S, peer_too_slow, peer);
  g_output_stream_write_all_async (out, peer->page, strlen (peer->page),
                                   G_PRIORITY_DEFAULT, peer->cancellable,
                                   page_written, peer_ref (peer));
}

/* A redirect that names this login: end or advance it. */
static void
handle_redirect (Peer *peer, UaRedirect *r)
{
  Login *login = peer->login;
  g_autofree char *what = NULL;

  if (login->phase != PHASE_LISTENING)
    {
      answer_page (peer, 409, "Already used",
                   "This sign-in has already been received; a second redirect "
                   "is ignored. You can close this tab.");
      return;
    }
  if (r->state == NULL || strcmp (r->state, login->state) != 0)
    what = g_strdup ("the redirect's state does not match this login (a "
                     "stale tab, or a forged request)");
  else if (r->error != NULL)
    what = g_strdup_printf ("the sign-in was refused: %.64s%s%.200s", r->error,
                            r->error_description ? ": " : "",
                            r->error_description ? r->error_description : "");
  else if (r->code == NULL || *r->code == '\0')
    what = g_strdup ("the redirect carries no authorization code");
  login->answering = peer;
  if (what != NULL)
    {
      login_finish (login, login_error (login, UA_ERR_REJECTED, what));
      return;
    }
  exchange_code (login, r->code);
}

static void
peer_request (Peer *peer)
{
  UaRedirect r;
  UaRedirectResult result = ua_redirect_parse ((const char *) peer->buf->data,
                                               peer->buf->len,
                                               peer->login->redirect_path, &r);

  g_clear_handle_id (&peer->deadline, g_source_remove);
  switch (result)
    {
    case UA_REDIRECT_OK:
      handle_redirect (peer, &r);
      break;
    case UA_REDIRECT_OTHER:
      answer_page (peer, 404, "Not found", "This is uipauth's sign-in listener.");
      break;
    case UA_REDIRECT_INCOMPLETE:
    case UA_REDIRECT_BAD:
    default:
      answer_page (peer, 400, "Bad request", "uipauth could not read this request.");
      break;
    }
  ua_redirect_clear (&r);
}

static void read_more (Peer *peer);

static gboolean
has_line (const Peer *peer)
{
  return memchr (peer->buf->data, '\n', peer->buf->len) != NULL
         || peer->buf->len >= UA_REDIRECT_MAX_LINE;
}

static void
chunk_read (GObject *source, GAsyncResult *res, gpointer data)
{
  Peer *peer = data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), res, NULL);

  if (peer->closed)
    ;
  else if (n <= 0)
    peer_close (peer);
  else
    {
      g_byte_array_append (peer->buf, (const guint8 *) peer->chunk, n);
      if (has_line (peer))
        peer_request (peer);
      else
        read_more (peer);
    }
  peer_unref (peer);
}

static void
read_more (Peer *peer)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (peer->connection));

  g_input_stream_read_async (in, peer->chunk, sizeof peer->chunk, G_PRIORITY_DEFAULT,
                             peer->cancellable, chunk_read, peer_ref (peer));
}

static gboolean
peer_too_slow (gpointer data)
{
  Peer *peer = data;

  peer->deadline = 0;
  peer_close (peer);
  return G_SOURCE_REMOVE;
}

static gboolean
incoming (GSocketService *service, GSocketConnection *connection,
          GObject *source, gpointer data)
{
  Login *login = data;
  Peer *peer;

  if (login->peers->len >= UA_LOGIN_MAX_PEERS || login->phase == PHASE_DONE)
    return FALSE; /* closed when libgio drops it */
  peer = g_new0 (Peer, 1);
  peer->refs = 1; /* the list's */
  peer->login = login;
  peer->connection = g_object_ref (connection);
  peer->cancellable = g_cancellable_new ();
  peer->buf = g_byte_array_new ();
  peer->deadline = g_timeout_add_seconds (UA_LOGIN_PEER_TIMEOUT_S, peer_too_slow, peer);
  g_ptr_array_add (login->peers, peer);
  read_more (peer);
  return TRUE;
}

/* ---- starting ------------------------------------------------------- */

/* The loopback addresses to listen on for @uri, its port and path.
 * Only http:// to localhost, 127.0.0.1 or [::1] with a port. */
static GPtrArray *
listen_addresses (const char *uri, char **path, GError **error)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GPtrArray) addrs = g_ptr_array_new_with_free_func (g_object_unref);
  const char *host;
  gint port;

  if (parsed == NULL || g_ascii_strcasecmp (g_uri_get_scheme (parsed), "http") != 0
      || (host = g_uri_get_host (parsed)) == NULL
      || (port = g_uri_get_port (parsed)) <= 0 || g_uri_get_query (parsed) != NULL)
    goto bad;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    {
      g_ptr_array_add (addrs, g_inet_socket_address_new_from_string ("127.0.0.1", port));
      g_ptr_array_add (addrs, g_inet_socket_address_new_from_string ("::1", port));
    }
  else if (g_str_equal (host, "127.0.0.1") || g_str_equal (host, "::1"))
    g_ptr_array_add (addrs, g_inet_socket_address_new_from_string (host, port));
  else
    goto bad;
  *path = g_strdup (*g_uri_get_path (parsed) ? g_uri_get_path (parsed) : "/");
  return g_steal_pointer (&addrs);
bad:
  g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
               "redirect_uri \"%.200s\" is not http://localhost:PORT[/PATH] (or "
               "127.0.0.1 or [::1]); fix it with \"uipauth add NAME --replace "
               "--redirect-uri ...\"", uri);
  return NULL;
}

/* Binds every address; for localhost, IPv6 may be missing, not IPv4. */
static gboolean
login_listen (Login *login, GError **error)
{
  g_autoptr(GPtrArray) addrs = listen_addresses (login->redirect_uri,
                                                 &login->redirect_path, error);
  GSocketListener *listener;
  guint bound = 0;

  if (addrs == NULL)
    return FALSE;
  login->service = g_socket_service_new ();
  listener = G_SOCKET_LISTENER (login->service);
  for (guint i = 0; i < addrs->len; i++)
    {
      g_autoptr(GError) e = NULL;

      if (g_socket_listener_add_address (listener, addrs->pdata[i],
                                         G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                         NULL, NULL, &e))
        bound++;
      else if (i == 0 || addrs->len == 1)
        {
          g_set_error (error, UA_ERROR, UA_ERR_INTERNAL,
                       "profile \"%s\": cannot listen for the sign-in at %s: %s; "
                       "is another \"uipauth login\" or uipathcli using the port?",
                       login->profile, login->redirect_uri, e->message);
          return FALSE;
        }
    }
  g_signal_connect (login->service, "incoming", G_CALLBACK (incoming), login);
  g_socket_service_start (login->service);
  return bound > 0;
}

static char *
build_authorize_url (Login *login, const UaProfile *profile, GError **error)
{
  const char *identity = ua_profile_get (profile, "identity_url");
  g_autofree char *base = identity ? g_strdup (identity)
                                   : ua_grant_default_identity_url (ua_profile_get (profile, "url"), error);
  g_autofree char *scopes = login_scopes (profile);
  g_autofree char *challenge = pkce_challenge (login->verifier);
  GString *url;

  if (base == NULL)
    return NULL;
  while (*base && base[strlen (base) - 1] == '/')
    base[strlen (base) - 1] = '\0';
  url = g_string_new (base);
  g_string_append (url, "/connect/authorize");
  append_param (url, "response_type", "code");
  append_param (url, "client_id", login->client_id);
  append_param (url, "redirect_uri", login->redirect_uri);
  append_param (url, "scope", scopes);
  append_param (url, "state", login->state);
  append_param (url, "code_challenge", challenge);
  append_param (url, "code_challenge_method", "S256");
  return g_string_free (url, FALSE);
}

static Login *
login_new (UaAgent *agent, const UaProfile *profile, GError **error)
{
  Login *login = g_new0 (Login, 1);
  const char *redirect = ua_profile_get (profile, "redirect_uri");
  g_autofree char *verifier = random_url_safe (32);

  login->agent = agent;
  login->id = random_url_safe (16);
  login->profile = g_strdup (profile->name);
  login->client_id = g_strdup (ua_profile_get (profile, "client_id"));
  login->redirect_uri = g_strdup (redirect ? redirect : "http://localhost:12700");
  login->state = random_url_safe (16);
  login->verifier = ua_secret_new_str (verifier);
  ua_wipe (verifier, strlen (verifier));
  login->peers = g_ptr_array_new_with_free_func ((GDestroyNotify) peer_unref);
  login->waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) ua_conn_unref);
  login->phase = PHASE_LISTENING;
  if (login->client_id == NULL
      || (login->token_endpoint = ua_refresh_token_endpoint (ua_profile_get (profile, "identity_url"),
                                                             ua_profile_get (profile, "url"),
                                                             error)) == NULL
      || (login->authorize_url = build_authorize_url (login, profile, error)) == NULL
      || !ua_http_url_allowed (login->token_endpoint, error)
      || !login_listen (login, error))
    {
      if (login->client_id == NULL && error != NULL && *error == NULL)
        g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                     "profile \"%s\" has no client_id", profile->name);
      login->phase = PHASE_DONE;
      login_free (login);
      return NULL;
    }
  return login;
}

/* A new login replaces one still pending for the same profile. */
static void
supersede (const char *profile)
{
  GHashTableIter it;
  gpointer value;

  g_hash_table_iter_init (&it, logins);
  while (g_hash_table_iter_next (&it, NULL, &value))
    {
      Login *old = value;

      if (g_str_equal (old->profile, profile) && old->phase != PHASE_DONE)
        login_finish (old, login_error (old, UA_ERR_LOGIN_REQUIRED,
                                        "a newer \"uipauth login\" replaced this one"));
    }
}

static gboolean
parse_timeout (const UaMsg *request, guint *out, GError **error)
{
  long long v = UA_LOGIN_TIMEOUT_DEFAULT_S;

  if (ua_msg_get (request, "timeout") != NULL
      && (!ua_msg_get_int (request, "timeout", &v) || v < 1 || v > UA_LOGIN_TIMEOUT_MAX_S))
    {
      g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                   "timeout must be a number of seconds from 1 to %d",
                   UA_LOGIN_TIMEOUT_MAX_S);
      return FALSE;
    }
  *out = (guint) v;
  return TRUE;
}

static void
open_browser (Login *login, UaMsg *reply)
{
  g_autoptr(GError) error = NULL;

  if (g_app_info_launch_default_for_uri (login->authorize_url, NULL, &error))
    {
      ua_reply_add (reply, "browser", "1");
      return;
    }
  ua_reply_add (reply, "browser", "0");
  ua_reply_add (reply, "warning", "could not open a web browser; open the "
                                  "sign-in URL yourself");
  g_message ("login for profile %s: no browser: %s", login->profile, error->message);
}

void
ua_handle_login_start (UaAgent *agent, UaConn *conn, const UaMsg *request)
{
  g_autoptr(GError) error = NULL;
  UaProfile *profile = ua_handler_profile (agent, request, &error);
  guint timeout = 0;
  Login *login;
  UaMsg *reply;

  if (profile != NULL && profile->type != UA_PROFILE_AUTHORIZATION_CODE)
    g_set_error (&error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                 "profile \"%s\" is of type %s; \"uipauth login\" is for "
                 "authorization-code profiles", profile->name,
                 ua_profile_type_to_string (profile->type));
  if (error != NULL || !parse_timeout (request, &timeout, &error))
    {
      ua_conn_reply (conn, ua_reply_from_gerror (error));
      return;
    }
  if (logins == NULL)
    logins = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                    (GDestroyNotify) login_free);
  supersede (profile->name);
  if ((login = login_new (agent, profile, &error)) == NULL)
    {
      ua_conn_reply (conn, ua_reply_from_gerror (error));
      return;
    }
  g_hash_table_insert (logins, login->id, login);
  agent->busy++;
  login->timer = g_timeout_add_seconds (timeout, timed_out, login);
  g_message ("login for profile %s: listening at %s for %u s", login->profile,
             login->redirect_uri, timeout);

  reply = ua_reply_ok ();
  ua_reply_add (reply, "profile", login->profile);
  ua_reply_add (reply, "login", login->id);
  ua_reply_add (reply, "authorize_url", login->authorize_url);
  ua_reply_add (reply, "redirect_uri", login->redirect_uri);
  ua_reply_add_int (reply, "timeout", timeout);
  if (!ua_msg_get_bool (request, "no_browser"))
    open_browser (login, reply);
  ua_conn_reply (conn, reply);
}

void
ua_handle_login_wait (UaAgent *agent, UaConn *conn, const UaMsg *request)
{
  const char *id = ua_msg_get (request, "login");
  Login *login = (logins && id) ? g_hash_table_lookup (logins, id) : NULL;

  if (login == NULL)
    {
      ua_conn_reply (conn, ua_reply_error (UA_ERR_INVALID_ARGUMENT,
                                           "no such login: it ended more than a "
                                           "minute ago or the agent restarted; run "
                                           "\"uipauth login PROFILE\" again"));
      return;
    }
  if (login->phase == PHASE_DONE)
    {
      ua_conn_reply (conn, result_reply (login));
      return;
    }
  g_ptr_array_add (login->waiters, ua_conn_ref (conn));
}
