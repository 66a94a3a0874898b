#include "config.h"

#include "bodypipe.h"

#include <string.h>

struct _UaBodyPipe {
  GInputStream parent;
  SoupServerMessage *msg;  /* NULL once abandoned */
  GQueue chunks;           /* of GBytes */
  gsize head_offset;       /* bytes of the first chunk already read */
  gsize queued;            /* bytes waiting */
  gboolean ended;
  gboolean paused;         /* we paused msg */
  GTask *pending;          /* a read waiting for bytes */
  void *pending_buf;
  gsize pending_count;
};

G_DEFINE_TYPE (UaBodyPipe, ua_body_pipe, G_TYPE_INPUT_STREAM)

static gsize
take (UaBodyPipe *self, guint8 *buf, gsize count)
{
  gsize n = 0;

  while (n < count && !g_queue_is_empty (&self->chunks))
    {
      GBytes *head = g_queue_peek_head (&self->chunks);
      gsize size, part;
      const guint8 *data = g_bytes_get_data (head, &size);

      part = MIN (count - n, size - self->head_offset);
      memcpy (buf + n, data + self->head_offset, part);
      n += part;
      self->head_offset += part;
      if (self->head_offset == size)
        {
          g_bytes_unref (g_queue_pop_head (&self->chunks));
          self->head_offset = 0;
        }
    }
  self->queued -= n;
  return n;
}

static void
resume (UaBodyPipe *self)
{
  if (self->paused && self->msg != NULL && self->queued < UA_BODY_PIPE_MAX)
    {
      self->paused = FALSE;
      soup_server_message_unpause (self->msg);
    }
}

/* Completes the waiting read if it can be. */
static void
serve_pending (UaBodyPipe *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->pending == NULL || (self->queued == 0 && !self->ended && self->msg != NULL))
    return;
  task = g_steal_pointer (&self->pending);
  if (self->msg == NULL && !self->ended)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             "the request was abandoned");
  else
    g_task_return_int (task, (gssize) take (self, self->pending_buf, self->pending_count));
  resume (self);
}

static gssize
read_fn (GInputStream *stream, void *buffer, gsize count,
         GCancellable *cancellable, GError **error)
{
  UaBodyPipe *self = UA_BODY_PIPE (stream);
  gsize n;

  if (self->queued == 0 && !self->ended)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK,
                           "no request body bytes yet");
      return -1;
    }
  n = take (self, buffer, count);
  resume (self);
  return (gssize) n;
}

static void
read_async (GInputStream *stream, void *buffer, gsize count, int io_priority,
            GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  UaBodyPipe *self = UA_BODY_PIPE (stream);
  GTask *task = g_task_new (stream, cancellable, callback, user_data);

  g_return_if_fail (self->pending == NULL);
  self->pending = task;
  self->pending_buf = buffer;
  self->pending_count = count;
  serve_pending (self);
  resume (self);
}

static gssize
read_finish (GInputStream *stream, GAsyncResult *result, GError **error)
{
  return g_task_propagate_int (G_TASK (result), error);
}

static void
ua_body_pipe_finalize (GObject *object)
{
  UaBodyPipe *self = UA_BODY_PIPE (object);

  g_queue_clear_full (&self->chunks, (GDestroyNotify) g_bytes_unref);
  g_clear_object (&self->pending);
  G_OBJECT_CLASS (ua_body_pipe_parent_class)->finalize (object);
}

static void
ua_body_pipe_class_init (UaBodyPipeClass *klass)
{
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = ua_body_pipe_finalize;
  stream_class->read_fn = read_fn;
  stream_class->read_async = read_async;
  stream_class->read_finish = read_finish;
}

static void
ua_body_pipe_init (UaBodyPipe *self)
{
  g_queue_init (&self->chunks);
}

UaBodyPipe *
ua_body_pipe_new (SoupServerMessage *msg)
{
  UaBodyPipe *self = g_object_new (UA_TYPE_BODY_PIPE, NULL);

  self->msg = msg;
  return self;
}

void
ua_body_pipe_push (UaBodyPipe *self, GBytes *chunk)
{
  if (self->msg == NULL || g_bytes_get_size (chunk) == 0)
    return;
  g_queue_push_tail (&self->chunks, g_bytes_ref (chunk));
  self->queued += g_bytes_get_size (chunk);
  if (self->queued >= UA_BODY_PIPE_MAX && !self->paused)
    {
      self->paused = TRUE;
      soup_server_message_pause (self->msg);
    }
  serve_pending (self);
}

void
ua_body_pipe_end (UaBodyPipe *self)
{
  self->ended = TRUE;
  serve_pending (self);
}

void
ua_body_pipe_abandon (UaBodyPipe *self, gboolean msg_alive)
{
  if (self->msg == NULL)
    return;
  if (self->paused && msg_alive)
    soup_server_message_unpause (self->msg);
  self->paused = FALSE;
  self->msg = NULL;
  g_queue_clear_full (&self->chunks, (GDestroyNotify) g_bytes_unref);
  self->head_offset = 0;
  self->queued = 0;
  serve_pending (self);
}
