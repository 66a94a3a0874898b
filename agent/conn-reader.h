/* UaConnReader: the requests in the bytes one connection sends.  It does
 * no I/O: the server feeds it what read() returned and takes complete
 * requests out, and a test can feed it one byte at a time.  Framing and
 * parsing are proto/frame.c's and proto/msg.c's.
 *
 * It holds at most one whole capped request (UA_CONN_READER_MAX bytes) and
 * takes no more until that is taken out, so a connection's input costs
 * the agent that much at most; the rest waits in the kernel.  What it held
 * is wiped before its memory is reused or freed: requests carry secrets. */
#pragma once

#include <glib.h>

#include "frame.h"
#include "ua-msg.h"

/* A whole request of the largest size the agent accepts. */
#define UA_CONN_READER_MAX (UA_FRAME_HEADER_LEN + UA_FRAME_REQUEST_MAX)

typedef enum {
  UA_CONN_READER_NEED_MORE, /* no whole request held: feed more */
  UA_CONN_READER_REQUEST,   /* a request was taken out */
  UA_CONN_READER_MALFORMED, /* a whole frame that is not a message was dropped;
                             * what follows it may be fine */
  UA_CONN_READER_TOO_LARGE, /* a header announced more than the cap: nothing
                             * after it can be framed, so the connection is
                             * done (every later call says so again) */
} UaConnReaderStatus;

/* Embedded in its owner, so that a connection costs no allocation for it;
 * the fields are the reader's own. */
typedef struct {
  guint8 *buf;
  gsize alloc;
  gsize len;       /* bytes held, from buf */
  gsize off;       /* of which already taken out as requests */
  gboolean broken; /* a header announced more than the cap */
} UaConnReader;

void ua_conn_reader_init (UaConnReader *reader);
/* Wipes what it held and frees its memory; it may be used again after
 * ua_conn_reader_init(). */
void ua_conn_reader_clear (UaConnReader *reader);

/* How many bytes the reader takes now, so the caller reads no more than
 * that.  0 while it holds a whole capped request not yet taken out, or
 * once it is broken. */
gsize ua_conn_reader_room (const UaConnReader *reader);
/* Appends @len bytes, at most ua_conn_reader_room(). */
void ua_conn_reader_feed (UaConnReader *reader, const guint8 *data, gsize len);

/* Takes the next request out.  On REQUEST, *request is the caller's; on
 * MALFORMED, *why says what was wrong with the frame. */
UaConnReaderStatus ua_conn_reader_next (UaConnReader *reader, UaMsg **request,
                                        UaMsgStatus *why);
/* TRUE while part of a request is held: the peer has started one. */
gboolean ua_conn_reader_started (const UaConnReader *reader);
