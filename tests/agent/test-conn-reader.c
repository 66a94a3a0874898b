/* The connection reader (agent/conn-reader.c): streams from
 * tests/data/conn-reader.txt fed whole, one byte at a time and split at
 * every byte must give out the same requests; and the bounds: never more
 * than one capped request held, a request at the cap taken whole, what
 * was held wiped. */
#include "config.h"

#include <string.h>

#include "conn-reader.h"
#include "fixture.h"

/* req(k=v|k=v), bytes outside printable ASCII as \xHH, as in the fixture. */
static void
put_request (GString *out, UaMsg *msg)
{
  g_string_append (out, " req(");
  for (size_t i = 0; i < ua_msg_count (msg); i++)
    {
      g_string_append_printf (out, "%s%s=", i ? "|" : "", ua_msg_key (msg, i));
      for (const guint8 *v = (const guint8 *) ua_msg_value (msg, i); *v != '\0'; v++)
        if (*v >= 0x20 && *v < 0x7f && *v != '\\')
          g_string_append_c (out, (char) *v);
        else
          g_string_append_printf (out, "\\x%02x", *v);
    }
  g_string_append_c (out, ')');
}

/* Takes out everything the reader has; FALSE once it is broken. */
static gboolean
drain (UaConnReader *reader, GString *out)
{
  for (;;)
    {
      UaMsg *msg = NULL;
      UaMsgStatus why = UA_MSG_OK;

      switch (ua_conn_reader_next (reader, &msg, &why))
        {
        case UA_CONN_READER_NEED_MORE:
          return TRUE;
        case UA_CONN_READER_REQUEST:
          put_request (out, msg);
          ua_msg_free (msg);
          break;
        case UA_CONN_READER_MALFORMED:
          g_assert_null (msg);
          g_string_append_printf (out, " malformed(%s)", ua_msg_status_to_string (why));
          break;
        case UA_CONN_READER_TOO_LARGE:
          g_assert_null (msg);
          g_assert_cmpuint (ua_conn_reader_room (reader), ==, 0);
          g_string_append (out, " too-large");
          return FALSE;
        }
    }
}

/* Feeds @len bytes in pieces of at most @piece (0: as many as it takes),
 * taking requests out after each; FALSE once the reader is broken. */
static gboolean
feed (UaConnReader *reader, const guint8 *data, gsize len, gsize piece, GString *out)
{
  while (len > 0)
    {
      gsize n = MIN (len, ua_conn_reader_room (reader));

      if (piece != 0)
        n = MIN (n, piece);
      g_assert_cmpuint (n, >, 0);
      ua_conn_reader_feed (reader, data, n);
      g_assert_cmpuint (reader->len - reader->off, <=, UA_CONN_READER_MAX);
      g_assert_cmpuint (reader->alloc, <=, UA_CONN_READER_MAX);
      data += n;
      len -= n;
      if (!drain (reader, out))
        return FALSE;
    }
  return TRUE;
}

/* What comes out of @data fed split at @split, in pieces of @piece. */
static char *
run (const guint8 *data, gsize len, gsize split, gsize piece)
{
  UaConnReader reader;
  GString *out = g_string_new (NULL);

  ua_conn_reader_init (&reader);
  if (feed (&reader, data, split, piece, out) &&
      feed (&reader, data + split, len - split, piece, out) &&
      ua_conn_reader_started (&reader))
    g_string_append (out, " partial");
  ua_conn_reader_clear (&reader);
  return g_strstrip (g_string_free (out, FALSE));
}

static void
test_stream (gconstpointer data)
{
  char *const *row = data;
  g_autoptr(GBytes) in = ua_fixture_unescape (row[1]);
  gsize len = g_bytes_get_size (in);
  /* g_bytes_get_data() gives NULL for an empty stream. */
  const guint8 *bytes = len ? g_bytes_get_data (in, NULL) : (const guint8 *) "";
  const char *want = row[2] ? row[2] : "";
  g_autofree char *whole = run (bytes, len, 0, 0);
  g_autofree char *bytewise = run (bytes, len, 0, 1);

  g_assert_cmpstr (whole, ==, want);
  g_assert_cmpstr (bytewise, ==, want);
  for (gsize split = 1; split < len; split++)
    {
      g_autofree char *got = run (bytes, len, split, 0);
      if (g_strcmp0 (got, want) != 0)
        g_error ("split at byte %" G_GSIZE_FORMAT ": got \"%s\", want \"%s\"",
                 split, got, want);
    }
}

static GByteArray *
frame_of (const char *payload)
{
  GByteArray *f = g_byte_array_new ();
  guint8 header[UA_FRAME_HEADER_LEN];

  ua_frame_put_header (header, (uint32_t) strlen (payload));
  g_byte_array_append (f, header, sizeof header);
  g_byte_array_append (f, (const guint8 *) payload, (guint) strlen (payload));
  return f;
}

/* A frame of @payload_len bytes of "a=b\n" fields, header included. */
static GByteArray *
frame_of_fields (gsize payload_len)
{
  GByteArray *f = g_byte_array_sized_new ((guint) (payload_len + UA_FRAME_HEADER_LEN));
  guint8 header[UA_FRAME_HEADER_LEN];

  ua_frame_put_header (header, (uint32_t) payload_len);
  g_byte_array_append (f, header, sizeof header);
  for (gsize i = 0; i < payload_len / 4; i++)
    g_byte_array_append (f, (const guint8 *) "a=b\n", 4);
  return f;
}

/* A request of exactly the cap, fed a byte at a time, fills the reader
 * exactly: it takes no byte more until the request is out. */
static void
test_at_cap (void)
{
  g_autoptr(GByteArray) f = frame_of_fields (UA_FRAME_REQUEST_MAX);
  UaConnReader reader;
  UaMsg *msg = NULL;
  UaMsgStatus why;

  g_assert_cmpuint (f->len, ==, UA_CONN_READER_MAX);
  ua_conn_reader_init (&reader);
  for (guint i = 0; i < f->len; i++)
    {
      g_assert_cmpuint (ua_conn_reader_room (&reader), ==, f->len - i);
      g_assert_cmpint (ua_conn_reader_next (&reader, &msg, &why), ==, UA_CONN_READER_NEED_MORE);
      ua_conn_reader_feed (&reader, f->data + i, 1);
    }
  g_assert_cmpuint (ua_conn_reader_room (&reader), ==, 0);
  g_assert_cmpuint (reader.alloc, ==, UA_CONN_READER_MAX);
  g_assert_cmpint (ua_conn_reader_next (&reader, &msg, &why), ==, UA_CONN_READER_REQUEST);
  g_assert_cmpuint (ua_msg_count (msg), ==, UA_FRAME_REQUEST_MAX / 4);
  ua_msg_free (msg);
  g_assert_cmpint (ua_conn_reader_next (&reader, &msg, &why), ==, UA_CONN_READER_NEED_MORE);
  g_assert_cmpuint (ua_conn_reader_room (&reader), ==, UA_CONN_READER_MAX);
  g_assert_false (ua_conn_reader_started (&reader));
  ua_conn_reader_clear (&reader);
}

/* One byte over the cap is refused on its header alone, before any of the
 * payload is taken. */
static void
test_over_cap (void)
{
  g_autoptr(GByteArray) f = frame_of_fields (UA_FRAME_REQUEST_MAX + 4);
  UaConnReader reader;
  UaMsg *msg = NULL;
  UaMsgStatus why;

  ua_conn_reader_init (&reader);
  ua_conn_reader_feed (&reader, f->data, UA_FRAME_HEADER_LEN);
  g_assert_cmpint (ua_conn_reader_next (&reader, &msg, &why), ==, UA_CONN_READER_TOO_LARGE);
  g_assert_null (msg);
  g_assert_cmpuint (ua_conn_reader_room (&reader), ==, 0);
  g_assert_cmpint (ua_conn_reader_next (&reader, &msg, &why), ==, UA_CONN_READER_TOO_LARGE);
  ua_conn_reader_clear (&reader);
}

/* Requests fed as fast as the reader takes them, none taken out: it stops
 * at one capped request's worth, and goes on once they are out. */
static void
test_pipelined_past_cap (void)
{
  g_autoptr(GByteArray) f = frame_of ("v=1\nop=ping\n");
  const gsize n = 2 * UA_CONN_READER_MAX / f->len;
  UaConnReader reader;
  gsize fed = 0, taken = 0;

  ua_conn_reader_init (&reader);
  while (fed < n * f->len)
    {
      gsize room = ua_conn_reader_room (&reader);
      UaMsg *msg = NULL;
      UaMsgStatus why;

      for (; room > 0 && fed < n * f->len; room--, fed++)
        ua_conn_reader_feed (&reader, f->data + fed % f->len, 1);
      g_assert_cmpuint (reader.len - reader.off, <=, UA_CONN_READER_MAX);
      while (ua_conn_reader_next (&reader, &msg, &why) == UA_CONN_READER_REQUEST)
        {
          g_assert_cmpstr (ua_msg_get (msg, "op"), ==, "ping");
          ua_msg_free (msg);
          taken++;
        }
    }
  g_assert_cmpuint (taken, ==, n);
  g_assert_cmpuint (reader.alloc, <=, UA_CONN_READER_MAX);
  ua_conn_reader_clear (&reader);
}

static gboolean
holds (const UaConnReader *reader, const char *needle)
{
  return reader->buf != NULL &&
         memmem (reader->buf, reader->alloc, needle, strlen (needle)) != NULL;
}

/* A request taken out is wiped from the buffer: when the rest of the next
 * one moves to the front, and when nothing is left. */
static void
test_wiped (void)
{
  g_autoptr(GByteArray) a = frame_of ("v=1\nop=add\nsecret=pat-super-secret-xyz\n");
  const guint8 *add = a->data;
  const gsize alen = a->len;
  g_autoptr(GByteArray) big = frame_of_fields (4096);
  UaConnReader reader;
  UaMsg *msg = NULL;
  UaMsgStatus why;

  ua_conn_reader_init (&reader);
  ua_conn_reader_feed (&reader, add, alen);
  ua_conn_reader_feed (&reader, add, 10);
  g_assert_cmpint (ua_conn_reader_next (&reader, &msg, &why), ==, UA_CONN_READER_REQUEST);
  g_assert_cmpstr (ua_msg_get (msg, "secret"), ==, "pat-super-secret-xyz");
  ua_msg_free (msg);
  g_assert_cmpint (ua_conn_reader_next (&reader, &msg, &why), ==, UA_CONN_READER_NEED_MORE);
  g_assert_false (holds (&reader, "pat-super"));
  ua_conn_reader_feed (&reader, add + 10, alen - 10);
  g_assert_true (holds (&reader, "pat-super"));
  ua_conn_reader_feed (&reader, big->data, big->len);
  g_assert_cmpint (ua_conn_reader_next (&reader, &msg, &why), ==, UA_CONN_READER_REQUEST);
  ua_msg_free (msg);
  g_assert_cmpint (ua_conn_reader_next (&reader, &msg, &why), ==, UA_CONN_READER_REQUEST);
  ua_msg_free (msg);
  g_assert_cmpint (ua_conn_reader_next (&reader, &msg, &why), ==, UA_CONN_READER_NEED_MORE);
  g_assert_false (holds (&reader, "pat-super"));
  ua_conn_reader_clear (&reader);
}

int
main (int argc, char **argv)
{
  g_autoptr(GPtrArray) rows = NULL;

  g_test_init (&argc, &argv, NULL);
  rows = ua_fixture_load ("conn-reader.txt");
  ua_fixture_add_tests (rows, "/conn-reader/stream", test_stream);
  g_test_add_func ("/conn-reader/at-cap", test_at_cap);
  g_test_add_func ("/conn-reader/over-cap", test_over_cap);
  g_test_add_func ("/conn-reader/pipelined-past-cap", test_pipelined_past_cap);
  g_test_add_func ("/conn-reader/wiped", test_wiped);
  return g_test_run ();
}
