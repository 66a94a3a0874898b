/* signin.c: the sign-in and consent steps of the authorize endpoint. */
#include "signin.h"

#include <string.h>

#include "signin-page.h"
#include "token-request.h"

/* Authorize requests remembered at once; a test server needs few, and
 * past this the oldest are simply dropped (their forms then say so). */
#define MAX_PENDING 256

typedef struct {
  IdAuthorizeRequest *request;
  char *authorize_path;   /* where the forms post to, below it */
  char *user;             /* NULL until signed in */
} Pending;

struct _IdSignIn {
  char *user;
  char *password;
  GHashTable *pending;    /* random id → Pending */
};

static void
pending_free (Pending *p)
{
  id_authorize_request_free (p->request);
  g_free (p->authorize_path);
  g_free (p->user);
  g_free (p);
}

IdSignIn *
id_sign_in_new (const char  *spec,
                GError     **error)
{
  const char *colon = strchr (spec, ':');
  IdSignIn *sign_in;

  if (colon == NULL || colon == spec || colon[1] == '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--sign-in wants USER:PASSWORD, both not empty");
      return NULL;
    }
  sign_in = g_new0 (IdSignIn, 1);
  sign_in->user = g_strndup (spec, colon - spec);
  sign_in->password = g_strdup (colon + 1);
  sign_in->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) pending_free);
  return sign_in;
}

void
id_sign_in_free (IdSignIn *sign_in)
{
  if (sign_in == NULL)
    return;
  g_hash_table_unref (sign_in->pending);
  g_free (sign_in->user);
  g_free (sign_in->password);
  g_free (sign_in);
}

/* Pages are for one person once: never cached, never framed.  No
 * form-action: browsers apply it to the redirect that follows a form's
 * POST too, and the consent form's ends at the app's loopback URI. */
static void
reply_page (SoupServerMessage *msg,
            guint              status,
            char              *html)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Content-Security-Policy",
                                "default-src 'none'; style-src 'unsafe-inline'; "
                                "frame-ancestors 'none'");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE,
                                    html, strlen (html));
}

static char *
action (const Pending *p,
        const char    *step)
{
  return g_strconcat (p->authorize_path, "/", step, NULL);
}

static void
show_form (SoupServerMessage *msg,
           const char        *id,
           const Pending     *p,
           const char        *error)
{
  g_autofree char *to = action (p, "sign-in");

  reply_page (msg, SOUP_STATUS_OK, id_sign_in_page_form (to, id, error));
}

void
id_sign_in_start (IdSignIn           *sign_in,
                  SoupServerMessage  *msg,
                  IdAuthorizeRequest *request)
{
  Pending *p = g_new0 (Pending, 1);
  char *id = g_strdup_printf ("%08x%08x%08x%08x", g_random_int (), g_random_int (),
                              g_random_int (), g_random_int ());

  if (g_hash_table_size (sign_in->pending) >= MAX_PENDING)
    g_hash_table_remove_all (sign_in->pending);
  p->request = request;
  p->authorize_path = g_strdup (g_uri_get_path (soup_server_message_get_uri (msg)));
  g_hash_table_insert (sign_in->pending, id, p);
  show_form (msg, id, p, NULL);
}

/* The request the posted form names, or NULL once an error is set. */
static Pending *
posted_pending (IdServer             *srv,
                SoupServerMessage    *msg,
                const IdTokenRequest *form)
{
  const char *id = id_token_request_get (form, "request");
  Pending *p;

  if (srv->sign_in == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return NULL;
    }
  p = id != NULL ? g_hash_table_lookup (srv->sign_in->pending, id) : NULL;
  if (p == NULL)
    reply_page (msg, SOUP_STATUS_BAD_REQUEST, id_sign_in_page_message (
      "Sign-in expired", "This sign-in is unknown or already finished. Start "
      "again from the application that sent you here."));
  return p;
}

void
id_sign_in_credentials (IdServer          *srv,
                        SoupServerMessage *msg)
{
  g_autoptr(IdTokenRequest) form = id_token_request_parse (msg);
  const char *id = id_token_request_get (form, "request");
  Pending *p = posted_pending (srv, msg, form);
  g_autofree char *to = NULL;

  if (p == NULL)
    return;
  if (g_strcmp0 (id_token_request_get (form, "username"), srv->sign_in->user) != 0
      || g_strcmp0 (id_token_request_get (form, "password"), srv->sign_in->password) != 0)
    {
      show_form (msg, id, p, "The user name or password is incorrect.");
      return;
    }
  g_free (p->user);
  p->user = g_strdup (srv->sign_in->user);
  to = action (p, "consent");
  reply_page (msg, SOUP_STATUS_OK,
              id_sign_in_page_consent (to, id, p->user, p->request->client_id,
                                       p->request->scope, p->request->redirect_uri));
}

void
id_sign_in_consent (IdServer          *srv,
                    SoupServerMessage *msg)
{
  g_autoptr(IdTokenRequest) form = id_token_request_parse (msg);
  const char *id = id_token_request_get (form, "request");
  const char *decision = id_token_request_get (form, "decision");
  Pending *p = posted_pending (srv, msg, form);

  if (p == NULL)
    return;
  if (p->user == NULL
      || (g_strcmp0 (decision, "allow") != 0 && g_strcmp0 (decision, "deny") != 0))
    {
      show_form (msg, id, p, "Sign in first, then choose Allow or Deny.");
      return;
    }
  id_authorize_redirect (srv, msg, p->request, g_str_equal (decision, "allow"));
  g_hash_table_remove (srv->sign_in->pending, id);
}
