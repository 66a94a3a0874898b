/* pending.c: park a request (pause the message) and answer it later.
 *
 * Delayed and hung token requests must not stall anything else: the
 * message is paused, the handler returns to the main loop, and a timer
 * (or the test clearing the fault) resumes it.  While parked, the socket
 * is watched so that a client which gives up frees its slot at once:
 * tests read in_flight and expect it to fall when the agent times out.
 */
#include "pending.h"

#include <errno.h>
#include <sys/socket.h>

#include "routes.h"

struct _IdPending {
  GHashTable *parked;   /* set of IdParked, owning them */
};

typedef struct {
  IdPending *owner;
  SoupServerMessage *msg;
  guint timer_id;       /* 0 when hung until released */
  GSource *watch;       /* NULL once the peer is known to be alive */
  IdAnswerFunc answer;
  gpointer data;
  GDestroyNotify destroy;
} IdParked;

static void
parked_free (IdParked *parked)
{
  g_clear_handle_id (&parked->timer_id, g_source_remove);
  if (parked->watch != NULL)
    {
      g_source_destroy (parked->watch);
      g_clear_pointer (&parked->watch, g_source_unref);
    }
  if (parked->destroy != NULL)
    parked->destroy (parked->data);
  g_object_unref (parked->msg);
  g_free (parked);
}

IdPending *
id_pending_new (void)
{
  IdPending *pending = g_new0 (IdPending, 1);

  pending->parked = g_hash_table_new_full (NULL, NULL,
                                           (GDestroyNotify) parked_free, NULL);
  return pending;
}

void
id_pending_free (IdPending *pending)
{
  if (pending == NULL)
    return;
  g_hash_table_unref (pending->parked);
  g_free (pending);
}

/* Answers (or, for a vanished client, fails) and hands the message back
 * to libsoup.  The parked record goes first so that nothing can resume
 * the same message twice. */
static void
parked_finish (IdParked *parked,
               gboolean  peer_alive)
{
  g_autoptr(SoupServerMessage) msg = g_object_ref (parked->msg);

  if (peer_alive)
    parked->answer (msg, parked->data);
  else
    {
      id_request_done (msg, "client-gone");
      soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                                      "Client went away");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
    }
  g_hash_table_remove (parked->owner->parked, parked);
  soup_server_message_unpause (msg);
}

static gboolean
on_timer (gpointer user_data)
{
  IdParked *parked = user_data;

  parked->timer_id = 0;
  parked_finish (parked, TRUE);
  return G_SOURCE_REMOVE;
}

/* Readable while parked means either EOF (the client gave up) or a
 * pipelined request; only the first is worth acting on. */
static gboolean
on_socket_event (GSocket      *socket,
                 GIOCondition  condition,
                 gpointer      user_data)
{
  IdParked *parked = user_data;
  char byte;
  ssize_t got = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);

  if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    return G_SOURCE_CONTINUE;

  if (got > 0)
    {
      /* Level-triggered: keep watching and we would spin on the data. */
      g_clear_pointer (&parked->watch, g_source_unref);
      return G_SOURCE_REMOVE;
    }

  parked_finish (parked, FALSE);
  return G_SOURCE_REMOVE;
}

static GSource *
watch_peer (SoupServerMessage *msg,
            IdParked          *parked)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  GSource *source;

  if (socket == NULL)
    return NULL;
  source = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (source, G_SOURCE_FUNC (on_socket_event), parked, NULL);
  g_source_attach (source, NULL);
  return source;
}

void
id_pending_park (IdPending         *pending,
                 SoupServerMessage *msg,
                 gint               delay_ms,
                 IdAnswerFunc       answer,
                 gpointer           data,
                 GDestroyNotify     destroy)
{
  IdParked *parked = g_new0 (IdParked, 1);

  parked->owner = pending;
  parked->msg = g_object_ref (msg);
  parked->answer = answer;
  parked->data = data;
  parked->destroy = destroy;
  if (delay_ms >= 0)
    parked->timer_id = g_timeout_add (delay_ms, on_timer, parked);
  parked->watch = watch_peer (msg, parked);
  g_hash_table_add (pending->parked, parked);
  soup_server_message_pause (msg);
}

/* Hung requests are answered normally once the test clears the fault. */
void
id_pending_release_hung (IdPending *pending)
{
  g_autoptr(GList) all = g_hash_table_get_keys (pending->parked);

  for (GList *l = all; l != NULL; l = l->next)
    {
      IdParked *parked = l->data;

      if (parked->timer_id == 0)
        parked_finish (parked, TRUE);
    }
}
