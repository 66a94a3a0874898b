/* check.c: the protected resource.  It tells the tests whether the agent
 * handed out a token this server considers good, and counts expired
 * ones separately: serving an expired token is an agent bug worth its
 * own counter. */
#include "check.h"

#include "reply.h"

/* The token after "Bearer ", or NULL. */
static char *
bearer_token (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *value = soup_message_headers_get_one (headers, "Authorization");
  g_autofree char *token = NULL;

  if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0)
    return NULL;
  token = g_strstrip (g_strdup (value + 7));
  return *token != '\0' ? g_steal_pointer (&token) : NULL;
}

static IdTokenState
token_state (IdServer   *srv,
             const char *token)
{
  if (token == NULL)
    return ID_TOKEN_UNKNOWN;
  if (g_hash_table_contains (srv->pats, token))
    return ID_TOKEN_VALID;
  return id_tokens_check (srv->tokens, token);
}

static void
reply_unauthorized (SoupServerMessage *msg,
                    gboolean           had_token)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  /* RFC 6750 3: a bare challenge when no token came, else invalid_token. */
  soup_message_headers_replace (headers, "WWW-Authenticate",
                                had_token ? "Bearer error=\"invalid_token\"" : "Bearer");
  id_reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "invalid_token");
}

gboolean
id_check_bearer (IdServer          *srv,
                 SoupServerMessage *msg)
{
  g_autofree char *token = bearer_token (msg);

  switch (token_state (srv, token))
    {
    case ID_TOKEN_VALID:
      srv->stats.check_ok++;
      return TRUE;
    case ID_TOKEN_EXPIRED:
      srv->stats.check_expired++;
      reply_unauthorized (msg, TRUE);
      return FALSE;
    case ID_TOKEN_UNKNOWN:
    default:
      srv->stats.check_bad++;
      reply_unauthorized (msg, token != NULL);
      return FALSE;
    }
}

void
id_check_handle (IdServer          *srv,
                 SoupServerMessage *msg)
{
  if (id_check_bearer (srv, msg))
    id_reply_ok (msg);
}
