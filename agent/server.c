#include "config.h"

#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "conn-reader.h"
#include "frame.h"
#include "peer.h"
#include "reply.h"
#include "sockpath.h"
#include "ua-error.h"

/* Most a read() takes at once; pipelining peers may send more. */
#define READ_CHUNK 16384
#define LISTEN_BACKLOG 1024
/* Descriptors kept for everything but clients: D-Bus, curl, files. */
#define FD_RESERVE 64

/* One listening socket: the agent's own, or the restricted one beside it. */
typedef struct {
  UaServer *server;
  UaSocketKind kind;
  int fd;            /* -1: not listening */
  char *path;        /* removed on exit when we created it */
  guint source;
} Listener;

struct UaServer {
  UaServerHandler handler;
  gpointer user_data;
  Listener listeners[UA_SOCKET_LAST_];
  char *lock_path;
  int lock_fd;
  guint sweep_source;
  GHashTable *conns; /* UaConn set */
  gint64 last_activity;
  guint max_connections;
  gint64 request_timeout_us;
  gint64 idle_timeout_us;
  int spare_fd;      /* given up to accept-and-refuse when out of descriptors */
};

/* A reply the peer has not taken whole yet.  Replies carry tokens: the
 * buffer is wiped when it is freed. */
typedef struct OutReply OutReply;
struct OutReply {
  OutReply *next;
  uint8_t *data; /* a whole frame from ua_msg_encode() */
  size_t len;
  size_t off;    /* bytes already written */
};

struct UaConn {
  gint refs;
  UaServer *server; /* NULL once closed */
  int fd;
  UaSocketKind socket; /* which listener accepted it */
  pid_t pid;
  uid_t uid;
  gboolean peer_read;      /* exe and comm were looked up */
  char *exe;               /* the peer's, from /proc; NULL if unreadable */
  char *comm;
  UaConnReader reader;
  OutReply *out_head; /* oldest first */
  OutReply *out_tail;
  gsize out_pending;  /* bytes of the queued replies not yet written */
  GSource *source;
  GIOCondition watching;
  gboolean busy;           /* a request is with its handler */
  gboolean processing;     /* conn_process() is on the stack */
  gboolean close_after;    /* close once the output is flushed */
  gint64 frame_started;    /* monotonic, 0 when no partial request */
  gint64 last_activity;
};

static void conn_close (UaConn *conn);
static void conn_update_watch (UaConn *conn);
static void conn_process (UaConn *conn);

UaConn *
ua_conn_ref (UaConn *conn)
{
  conn->refs++;
  return conn;
}

static void
out_pop (UaConn *conn)
{
  OutReply *r = conn->out_head;

  conn->out_head = r->next;
  if (conn->out_head == NULL)
    conn->out_tail = NULL;
  conn->out_pending -= r->len - r->off;
  ua_msg_buffer_free (r->data, r->len);
  g_free (r);
}

static void
out_push (UaConn *conn, uint8_t *data, size_t len, size_t off)
{
  OutReply *r = g_new (OutReply, 1);

  *r = (OutReply) { NULL, data, len, off };
  if (conn->out_tail != NULL)
    conn->out_tail->next = r;
  else
    conn->out_head = r;
  conn->out_tail = r;
  conn->out_pending += len - off;
}

void
ua_conn_unref (UaConn *conn)
{
  if (--conn->refs > 0)
    return;
  g_assert (conn->server == NULL);
  ua_conn_reader_clear (&conn->reader);
  while (conn->out_head != NULL)
    out_pop (conn);
  g_clear_pointer (&conn->exe, g_ref_string_release);
  g_clear_pointer (&conn->comm, g_ref_string_release);
  g_free (conn);
}

pid_t
ua_conn_peer_pid (UaConn *conn)
{
  return conn->pid;
}

/* Records of this connection's peer share its strings (audit.c). */
static char *
ref_string_take (char *s)
{
  char *ref = s ? g_ref_string_new (s) : NULL;

  g_free (s);
  return ref;
}

uid_t
ua_conn_peer_uid (UaConn *conn)
{
  return conn->uid;
}

/* Read once per connection: a token hand-out is the agent's hot path,
 * and /proc costs more than the rest of it. */
static void
conn_read_peer (UaConn *conn)
{
  if (conn->peer_read)
    return;
  conn->peer_read = TRUE;
  conn->exe = ref_string_take (ua_peer_exe (conn->pid));
  conn->comm = ref_string_take (ua_peer_comm (conn->pid));
}

const char *
ua_conn_peer_exe (UaConn *conn)
{
  conn_read_peer (conn);
  return conn->exe;
}

const char *
ua_conn_peer_comm (UaConn *conn)
{
  conn_read_peer (conn);
  return conn->comm;
}

UaSocketKind
ua_conn_socket (UaConn *conn)
{
  return conn->socket;
}

gboolean
ua_conn_restricted (UaConn *conn)
{
  return conn->socket == UA_SOCKET_RESTRICTED;
}

gboolean
ua_conn_is_open (UaConn *conn)
{
  return conn->server != NULL;
}

const char *
ua_socket_kind_name (UaSocketKind kind)
{
  return kind == UA_SOCKET_RESTRICTED ? "restricted" : "main";
}

/* Writes from @data + *@off what the peer takes without blocking.  FALSE
 * if the peer is gone. */
static gboolean
write_some (int fd, const uint8_t *data, size_t len, size_t *off)
{
  while (*off < len)
    {
      ssize_t n = write (fd, data + *off, len - *off);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN)
        break;
      if (n <= 0)
        return FALSE;
      *off += (size_t) n;
    }
  return TRUE;
}

/* Writes the queued replies the peer takes. FALSE if the peer is gone. */
static gboolean
conn_flush (UaConn *conn)
{
  while (conn->out_head != NULL)
    {
      OutReply *r = conn->out_head;
      size_t was = r->off;

      if (!write_some (conn->fd, r->data, r->len, &r->off))
        return FALSE;
      conn->out_pending -= r->off - was;
      if (r->off < r->len)
        break;
      out_pop (conn);
    }
  return TRUE;
}

static void
encode_reply (UaMsg *reply, uint8_t **buf, size_t *len)
{
  UaMsgStatus st = ua_msg_encode (reply, UA_FRAME_REPLY_MAX, buf, len);

  if (st != UA_MSG_OK)
    {
      g_autoptr(UaMsg) err = NULL;
      g_warning ("cannot encode a reply: %s", ua_msg_status_to_string (st));
      err = ua_reply_error (UA_ERR_INTERNAL, "the reply could not be encoded");
      st = ua_msg_encode (err, UA_FRAME_REPLY_MAX, buf, len);
      g_assert (st == UA_MSG_OK);
    }
}

/* With nothing queued before it (the usual case) the reply is written at
 * once, and only what the peer did not take is queued. */
static gboolean
conn_send (UaConn *conn, UaMsg *reply)
{
  uint8_t *buf = NULL;
  size_t len = 0, off = 0;

  encode_reply (reply, &buf, &len);
  if (conn->out_head == NULL && !write_some (conn->fd, buf, len, &off))
    {
      ua_msg_buffer_free (buf, len);
      return FALSE;
    }
  if (off == len)
    ua_msg_buffer_free (buf, len);
  else
    out_push (conn, buf, len, off);
  return TRUE;
}

void
ua_conn_reply (UaConn *conn, UaMsg *reply)
{
  g_autoptr(UaMsg) owned = reply;

  if (conn->server == NULL)
    return;
  conn->busy = FALSE;
  conn->last_activity = g_get_monotonic_time ();
  if (!conn_send (conn, owned))
    {
      conn_close (conn);
      return;
    }
  if (conn->close_after && conn->out_pending == 0)
    {
      conn_close (conn);
      return;
    }
  /* Answer whatever the peer sent behind this request; when the handler
   * answered at once, the loop in conn_process() below us does that. */
  if (conn->processing)
    return;
  ua_conn_ref (conn);
  conn_process (conn);
  if (conn->server != NULL)
    conn_update_watch (conn);
  ua_conn_unref (conn);
}

static void
reply_and_close (UaConn *conn, UaErrorCode code, const char *message)
{
  conn->close_after = TRUE;
  conn->busy = TRUE;
  ua_conn_reply (conn, ua_reply_error (code, message));
}

/* Whether to take another request from the peer: one at a time, and none
 * while too much of its replies waits unread. */
static gboolean
conn_wants_request (UaConn *conn)
{
  return !conn->busy && !conn->close_after &&
         conn->out_pending < UA_CONN_MAX_PENDING_OUT;
}

/* Hands complete requests to the handler, one at a time. */
static void
conn_process (UaConn *conn)
{
  conn->processing = TRUE;
  while (conn->server != NULL && conn_wants_request (conn))
    {
      UaMsg *request = NULL;
      UaMsgStatus why = UA_MSG_OK;
      UaConnReaderStatus rs = ua_conn_reader_next (&conn->reader, &request, &why);

      if (rs == UA_CONN_READER_NEED_MORE)
        {
          if (!ua_conn_reader_started (&conn->reader))
            conn->frame_started = 0;
          else if (conn->frame_started == 0)
            conn->frame_started = g_get_monotonic_time ();
          break;
        }
      if (rs == UA_CONN_READER_TOO_LARGE)
        {
          reply_and_close (conn, UA_ERR_BAD_REQUEST,
                           "request larger than 64 KiB; closing the connection");
          break;
        }
      conn->frame_started = 0;
      conn->server->last_activity = conn->last_activity = g_get_monotonic_time ();
      conn->busy = TRUE;
      if (rs == UA_CONN_READER_MALFORMED)
        {
          g_autofree char *m = g_strdup_printf ("malformed request: %s",
                                                ua_msg_status_to_string (why));
          ua_conn_reply (conn, ua_reply_error (UA_ERR_BAD_REQUEST, m));
          continue;
        }
      conn->server->handler (conn, request, conn->server->user_data);
    }
  conn->processing = FALSE;
}

/* Reads no more than the reader takes: at most one capped request waits
 * in the agent, the rest in the kernel. */
static gboolean
conn_read (UaConn *conn)
{
  guint8 chunk[READ_CHUNK];
  gsize want;

  while ((want = MIN (sizeof chunk, ua_conn_reader_room (&conn->reader))) > 0)
    {
      ssize_t n = read (conn->fd, chunk, want);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN)
        return TRUE;
      if (n <= 0)
        return FALSE;
      ua_conn_reader_feed (&conn->reader, chunk, (gsize) n);
      ua_wipe (chunk, (size_t) n);
      if ((gsize) n < want)
        return TRUE;
    }
  return TRUE;
}

static gboolean
conn_ready (gint fd, GIOCondition cond, gpointer data)
{
  UaConn *conn = data;

  ua_conn_ref (conn);
  if ((cond & G_IO_OUT) && !conn_flush (conn))
    conn_close (conn);
  if (conn->server != NULL && (cond & (G_IO_IN | G_IO_HUP | G_IO_ERR)) &&
      !conn_read (conn))
    conn_close (conn);
  /* Also after a flush alone: requests already read wait for the replies
   * to drain, and the peer may have nothing more to send. */
  if (conn->server != NULL)
    conn_process (conn);
  if (conn->server != NULL && conn->close_after && conn->out_pending == 0)
    conn_close (conn);
  if (conn->server != NULL)
    conn_update_watch (conn);
  ua_conn_unref (conn);
  return G_SOURCE_CONTINUE;
}

static void
conn_update_watch (UaConn *conn)
{
  GIOCondition want = 0;

  /* While a request is with its handler, or its replies wait unread,
   * further requests wait in the kernel: that is the back-pressure on
   * pipelining peers. */
  if (conn_wants_request (conn))
    want |= G_IO_IN;
  if (conn->out_pending > 0)
    want |= G_IO_OUT;
  if (conn->source != NULL && want == conn->watching)
    return;
  if (conn->source != NULL)
    {
      g_source_destroy (conn->source);
      g_source_unref (conn->source);
      conn->source = NULL;
    }
  conn->watching = want;
  if (want == 0)
    return;
  conn->source = g_unix_fd_source_new (conn->fd, want);
  g_source_set_callback (conn->source, G_SOURCE_FUNC (conn_ready), conn, NULL);
  g_source_attach (conn->source, NULL);
}

static void
conn_close (UaConn *conn)
{
  if (conn->server == NULL)
    return;
  if (conn->source != NULL)
    {
      g_source_destroy (conn->source);
      g_clear_pointer (&conn->source, g_source_unref);
    }
  close (conn->fd);
  conn->fd = -1;
  g_hash_table_remove (conn->server->conns, conn);
  conn->server = NULL;
  ua_conn_unref (conn);
}

static gboolean
peer_allowed (int fd, pid_t *pid, uid_t *uid)
{
  struct ucred cred;
  socklen_t len = sizeof cred;

  if (getsockopt (fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
    {
      g_warning ("refused a connection: cannot read peer credentials: %s",
                 g_strerror (errno));
      return FALSE;
    }
  *pid = cred.pid;
  *uid = cred.uid;
  if (cred.uid != getuid ())
    {
      g_warning ("refused a connection from uid %u (pid %d): only uid %u may use this agent",
                 (unsigned) cred.uid, (int) cred.pid, (unsigned) getuid ());
      return FALSE;
    }
  return TRUE;
}

static void
refuse_busy (int fd)
{
  g_autoptr(UaMsg) reply = ua_reply_error (UA_ERR_BUSY,
                                           "the agent is at its connection limit; try again");
  uint8_t *buf;
  size_t len;

  if (ua_msg_encode (reply, UA_FRAME_REPLY_MAX, &buf, &len) == UA_MSG_OK)
    {
      if (write (fd, buf, len) < 0)
        g_debug ("busy reply not delivered: %s", g_strerror (errno));
      ua_msg_buffer_free (buf, len);
    }
}

static void
accept_one (UaServer *server, UaSocketKind kind, int fd)
{
  UaConn *conn;
  pid_t pid = 0;
  uid_t uid = 0;

  if (!peer_allowed (fd, &pid, &uid))
    {
      close (fd);
      return;
    }
  if (g_hash_table_size (server->conns) >= server->max_connections)
    {
      refuse_busy (fd);
      close (fd);
      return;
    }
  conn = g_new0 (UaConn, 1);
  conn->refs = 1; /* the server's */
  conn->server = server;
  conn->fd = fd;
  conn->socket = kind;
  conn->pid = pid;
  conn->uid = uid;
  ua_conn_reader_init (&conn->reader);
  conn->last_activity = g_get_monotonic_time ();
  g_hash_table_add (server->conns, conn);
  conn_update_watch (conn);
}

/* Out of descriptors, a pending connection would keep the listening socket
 * readable and the loop spinning: take it with the spare descriptor, tell
 * the peer, and keep the spare for next time. */
static void
refuse_out_of_fds (UaServer *server, int listen_fd)
{
  int cfd;

  if (server->spare_fd < 0)
    return;
  close (server->spare_fd);
  cfd = accept4 (listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (cfd >= 0)
    {
      g_warning ("out of file descriptors: refused a connection as busy");
      refuse_busy (cfd);
      close (cfd);
    }
  server->spare_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
}

static gboolean
listen_ready (gint fd, GIOCondition cond, gpointer data)
{
  Listener *listener = data;
  UaServer *server = listener->server;

  /* Bounded, so a flood of connections cannot starve the replies. */
  for (int i = 0; i < 64; i++)
    {
      int cfd = accept4 (fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (cfd < 0 && (errno == EMFILE || errno == ENFILE))
        {
          refuse_out_of_fds (server, fd);
          break;
        }
      if (cfd < 0)
        {
          if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
            g_warning ("accept: %s", g_strerror (errno));
          break;
        }
      accept_one (server, listener->kind, cfd);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
conn_expired (UaConn *conn, gint64 now)
{
  UaServer *server = conn->server;

  if (conn->frame_started != 0 &&
      now - conn->frame_started > server->request_timeout_us)
    return TRUE;
  if (conn->busy)
    return FALSE;
  if (conn->out_pending > 0)
    return now - conn->last_activity > server->request_timeout_us;
  return now - conn->last_activity > server->idle_timeout_us;
}

static gboolean
sweep (gpointer data)
{
  UaServer *server = data;
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GPtrArray) expired = g_ptr_array_new ();
  GHashTableIter it;
  gpointer key;

  g_hash_table_iter_init (&it, server->conns);
  while (g_hash_table_iter_next (&it, &key, NULL))
    if (conn_expired (key, now))
      g_ptr_array_add (expired, key);
  for (guint i = 0; i < expired->len; i++)
    {
      g_debug ("closing a slow or idle connection (pid %d)",
               ((UaConn *) expired->pdata[i])->pid);
      conn_close (expired->pdata[i]);
    }
  return G_SOURCE_CONTINUE;
}

/* A limit from the environment, for tests: it may only be lowered, so the
 * variable cannot make the agent any more lenient than its constants. */
static gint64
limit_from_env (const char *name, gint64 value)
{
  const char *s = g_getenv (name);
  guint64 v;

  if (s != NULL && g_ascii_string_to_unsigned (s, 10, 1, (guint64) value, &v, NULL))
    return (gint64) v;
  return value;
}

/* Never more clients than descriptors: past that, accept() fails instead
 * of the peer getting a `busy` reply. */
static guint
max_connections (void)
{
  gint64 max = limit_from_env ("UIPAUTH_MAX_CONNECTIONS", UA_SERVER_MAX_CONNECTIONS);
  struct rlimit rl;

  if (getrlimit (RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
    max = MIN (max, MAX ((gint64) rl.rlim_cur - FD_RESERVE, 1));
  return (guint) max;
}

UaServer *
ua_server_new (UaServerHandler handler, gpointer user_data)
{
  UaServer *server = g_new0 (UaServer, 1);

  server->handler = handler;
  server->user_data = user_data;
  for (int k = 0; k < UA_SOCKET_LAST_; k++)
    server->listeners[k] = (Listener) { server, k, -1, NULL, 0 };
  server->lock_fd = -1;
  server->conns = g_hash_table_new (NULL, NULL);
  server->last_activity = g_get_monotonic_time ();
  server->max_connections = max_connections ();
  server->request_timeout_us = G_USEC_PER_SEC *
    limit_from_env ("UIPAUTH_REQUEST_TIMEOUT", UA_CONN_REQUEST_TIMEOUT_S);
  server->idle_timeout_us = G_USEC_PER_SEC *
    limit_from_env ("UIPAUTH_IDLE_TIMEOUT", UA_CONN_IDLE_TIMEOUT_S);
  server->spare_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  return server;
}

static void
listener_close (Listener *listener)
{
  g_clear_handle_id (&listener->source, g_source_remove);
  if (listener->path != NULL)
    unlink (listener->path);
  g_clear_pointer (&listener->path, g_free);
  if (listener->fd >= 0)
    close (listener->fd);
  listener->fd = -1;
}

void
ua_server_free (UaServer *server)
{
  GHashTableIter it;
  gpointer key;

  if (server == NULL)
    return;
  g_clear_handle_id (&server->sweep_source, g_source_remove);
  /* The sockets and the lock go before the connections close: a client
   * that saw its connection close (`uipauth agent stop`) finds no stale
   * socket, and an agent it starts right away is not told another one
   * still runs. */
  for (int k = 0; k < UA_SOCKET_LAST_; k++)
    listener_close (&server->listeners[k]);
  if (server->lock_fd >= 0)
    close (server->lock_fd);
  server->lock_fd = -1;
  g_hash_table_iter_init (&it, server->conns);
  while (g_hash_table_iter_next (&it, &key, NULL))
    {
      UaConn *conn = key;
      g_hash_table_iter_steal (&it);
      conn->server = server; /* conn_close expects it; the table no longer has it */
      if (conn->source != NULL)
        {
          g_source_destroy (conn->source);
          g_clear_pointer (&conn->source, g_source_unref);
        }
      close (conn->fd);
      conn->server = NULL;
      ua_conn_unref (conn);
    }
  g_hash_table_unref (server->conns);
  if (server->spare_fd >= 0)
    close (server->spare_fd);
  g_free (server->lock_path);
  g_free (server);
}

/* One agent per socket: the lock is held for the agent's lifetime, so a
 * second agent (two clients autostarting at once) knows to step aside. */
static gboolean
take_lock (UaServer *server, const char *path, GError **error)
{
  server->lock_path = g_strconcat (path, ".lock", NULL);
  server->lock_fd = open (server->lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (server->lock_fd < 0)
    {
      g_set_error (error, UA_ERROR, UA_ERR_INTERNAL, "cannot open %s: %s",
                   server->lock_path, g_strerror (errno));
      return FALSE;
    }
  if (flock (server->lock_fd, LOCK_EX | LOCK_NB) < 0)
    {
      g_set_error (error, UA_ERROR, UA_ERR_EXISTS,
                   "another uipauth-agent is already serving %s", path);
      return FALSE;
    }
  return TRUE;
}

/* Whether something answers on @path: a forward over ssh holds no lock,
 * so a socket that still answers belongs to someone even while we hold it. */
static gboolean
answers (const char *path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  gboolean live;

  strcpy (addr.sun_path, path);
  live = fd >= 0 && connect (fd, (struct sockaddr *) &addr, sizeof addr) == 0;
  if (fd >= 0)
    close (fd);
  return live;
}

static gboolean
listen_at (int fd, const char *at)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };

  strcpy (addr.sun_path, at);
  return bind (fd, (struct sockaddr *) &addr, sizeof addr) == 0 &&
         listen (fd, LISTEN_BACKLOG) == 0;
}

/* We hold the lock and nothing answers at @path: what is there is a dead
 * agent's socket.  The new socket listens before it takes the name, in
 * one rename, so that no client finds the name refusing connections while
 * we start: it would take that for the end of a dead forward
 * (proto/sockpath.h).  A path with no room for ".new" is bound in place. */
static gboolean
bind_in_place (int fd, const char *path)
{
  g_autofree char *fresh = g_strconcat (path, ".new", NULL);

  if (strlen (fresh) >= UA_SOCKPATH_MAX)
    {
      unlink (path);
      return listen_at (fd, path);
    }
  unlink (fresh);
  if (listen_at (fd, fresh) && rename (fresh, path) == 0)
    return TRUE;
  unlink (fresh);
  return FALSE;
}

static int
bind_socket (const char *path, GError **error)
{
  int fd;

  if (strlen (path) >= UA_SOCKPATH_MAX)
    {
      g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                   "socket path %s is too long; choose a shorter --socket", path);
      return -1;
    }
  if (answers (path))
    {
      g_set_error (error, UA_ERROR, UA_ERR_EXISTS,
                   "another process serves %s (a uipauth-agent forwarded over "
                   "ssh?); stop it or choose another --socket", path);
      return -1;
    }
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    {
      g_set_error (error, UA_ERROR, UA_ERR_INTERNAL, "socket: %s", g_strerror (errno));
      return -1;
    }
  if (!bind_in_place (fd, path))
    {
      g_set_error (error, UA_ERROR, UA_ERR_INTERNAL, "cannot listen on %s: %s",
                   path, g_strerror (errno));
      close (fd);
      return -1;
    }
  return fd;
}

static gboolean
listener_bind (Listener *listener, const char *path, GError **error)
{
  listener->fd = bind_socket (path, error);
  if (listener->fd < 0)
    return FALSE;
  listener->path = g_strdup (path);
  return TRUE;
}

/* The restricted socket is an addition: without it (a path too long, a
 * bind that fails) the agent still serves its own socket, and says why
 * nothing can be forwarded. */
static void
listen_restricted (UaServer *server, const char *path)
{
  g_autoptr(GError) error = NULL;
  char restricted[UA_SOCKPATH_MAX];

  if (ua_sockpath_restricted (path, restricted, sizeof restricted) < 0)
    g_warning ("no restricted socket beside %s: its path would be longer than "
               "%d bytes; choose a shorter --socket to forward profiles",
               path, UA_SOCKPATH_MAX - 1);
  else if (!listener_bind (&server->listeners[UA_SOCKET_RESTRICTED], restricted, &error))
    g_warning ("no restricted socket: %s", error->message);
}

gboolean
ua_server_listen (UaServer *server, const char *path, GError **error)
{
  char err[512];

  if (ua_sockpath_check_dir (path, TRUE, err, sizeof err) < 0)
    {
      g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT, "%s", err);
      return FALSE;
    }
  if (!take_lock (server, path, error) ||
      !listener_bind (&server->listeners[UA_SOCKET_MAIN], path, error))
    return FALSE;
  if (ua_sockpath_mark (server->lock_fd, path) < 0)
    g_warning ("cannot record the socket in %s: %s; a client that finds it "
               "dead will not start a new agent", server->lock_path,
               g_strerror (errno));
  listen_restricted (server, path);
  return TRUE;
}

gboolean
ua_server_adopt (UaServer *server, int fd, UaSocketKind kind, GError **error)
{
  int flags = fcntl (fd, F_GETFL);

  if (flags < 0 || fcntl (fd, F_SETFL, flags | O_NONBLOCK) < 0)
    {
      g_set_error (error, UA_ERROR, UA_ERR_INTERNAL,
                   "cannot use inherited socket %d: %s", fd, g_strerror (errno));
      return FALSE;
    }
  fcntl (fd, F_SETFD, FD_CLOEXEC);
  server->listeners[kind].fd = fd;
  return TRUE;
}

const char *
ua_server_path (UaServer *server, UaSocketKind kind)
{
  return server->listeners[kind].path;
}

void
ua_server_start (UaServer *server)
{
  for (int k = 0; k < UA_SOCKET_LAST_; k++)
    {
      Listener *listener = &server->listeners[k];
      if (listener->fd >= 0)
        listener->source = g_unix_fd_add (listener->fd, G_IO_IN, listen_ready, listener);
    }
  server->sweep_source = g_timeout_add_seconds (1, sweep, server);
}

guint
ua_server_n_connections (UaServer *server)
{
  return g_hash_table_size (server->conns);
}

gint64
ua_server_last_activity (UaServer *server)
{
  return server->last_activity;
}
