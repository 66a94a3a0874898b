#include "config.h"

#include "conn-reader.h"

#include <string.h>

#include "secret.h"

/* Enough for any request the client sends but `add` with a long secret,
 * so most connections allocate once. */
#define MIN_ALLOC 256

void
ua_conn_reader_init (UaConnReader *reader)
{
  *reader = (UaConnReader) { 0 };
}

/* Bytes in [len, alloc) never hold anything: compact() and grow() wipe
 * what they move away from. */
void
ua_conn_reader_clear (UaConnReader *reader)
{
  if (reader->buf != NULL)
    ua_wipe (reader->buf, reader->len);
  g_free (reader->buf);
  ua_conn_reader_init (reader);
}

gsize
ua_conn_reader_room (const UaConnReader *reader)
{
  if (reader->broken)
    return 0;
  return UA_CONN_READER_MAX - (reader->len - reader->off);
}

gboolean
ua_conn_reader_started (const UaConnReader *reader)
{
  return reader->len > reader->off;
}

/* Drops what was taken out: the unread rest moves to the front. */
static void
compact (UaConnReader *reader)
{
  gsize held = reader->len - reader->off;

  if (reader->off == 0)
    return;
  memmove (reader->buf, reader->buf + reader->off, held);
  ua_wipe (reader->buf + held, reader->off);
  reader->len = held;
  reader->off = 0;
}

/* Not realloc(), which would leave a copy of the requests behind. */
static void
grow (UaConnReader *reader, gsize need)
{
  gsize alloc = MAX (MAX (reader->alloc * 2, need), MIN_ALLOC);
  guint8 *buf = g_malloc (MIN (alloc, UA_CONN_READER_MAX));

  if (reader->buf != NULL)
    {
      memcpy (buf, reader->buf, reader->len);
      ua_wipe (reader->buf, reader->len);
      g_free (reader->buf);
    }
  reader->buf = buf;
  reader->alloc = MIN (alloc, UA_CONN_READER_MAX);
}

void
ua_conn_reader_feed (UaConnReader *reader, const guint8 *data, gsize len)
{
  g_assert (len <= ua_conn_reader_room (reader));
  if (reader->len + len > reader->alloc)
    compact (reader);
  if (reader->len + len > reader->alloc)
    grow (reader, reader->len + len);
  memcpy (reader->buf + reader->len, data, len);
  reader->len += len;
}

UaConnReaderStatus
ua_conn_reader_next (UaConnReader *reader, UaMsg **request, UaMsgStatus *why)
{
  const guint8 *payload;
  gsize plen, used;
  UaFrameStatus fs = UA_FRAME_NEED_MORE;
  UaMsgStatus st;

  *request = NULL;
  if (reader->broken)
    return UA_CONN_READER_TOO_LARGE;
  if (reader->len > reader->off)
    fs = ua_frame_decode (reader->buf + reader->off, reader->len - reader->off,
                          UA_FRAME_REQUEST_MAX, &payload, &plen, &used, NULL);
  if (fs == UA_FRAME_NEED_MORE)
    {
      compact (reader);
      return UA_CONN_READER_NEED_MORE;
    }
  if (fs == UA_FRAME_TOO_LARGE)
    {
      reader->off = reader->len;
      compact (reader);
      reader->broken = TRUE;
      return UA_CONN_READER_TOO_LARGE;
    }
  st = ua_msg_decode (payload, plen, request);
  reader->off += used;
  if (st == UA_MSG_OK)
    return UA_CONN_READER_REQUEST;
  *why = st;
  return UA_CONN_READER_MALFORMED;
}
