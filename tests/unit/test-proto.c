/* The frame decoder and the message parser, from fixtures in tests/data. */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "errors.h"
#include "fixture.h"
#include "frame.h"
#include "msg.h"
#include "secret.h"
#include "sockpath.h"

static const char *
frame_status_name (UaFrameStatus st)
{
  switch (st)
    {
    case UA_FRAME_COMPLETE: return "complete";
    case UA_FRAME_NEED_MORE: return "need-more";
    case UA_FRAME_TOO_LARGE: return "too-large";
    default: return "?";
    }
}

static void
test_frame_case (gconstpointer data)
{
  char *const *row = data;
  g_autoptr(GBytes) in = ua_fixture_unescape (row[1]);
  g_autoptr(GBytes) want_payload = ua_fixture_unescape (row[5] ? row[5] : "");
  gsize len, cap = (gsize) g_ascii_strtoull (row[2], NULL, 10);
  const guint8 *buf = g_bytes_get_data (in, &len);
  const uint8_t *payload = NULL;
  size_t plen = 0, used = 0, want = 0;
  UaFrameStatus st = ua_frame_decode (buf, len, cap, &payload, &plen, &used, &want);

  g_assert_cmpstr (frame_status_name (st), ==, row[3]);
  if (st == UA_FRAME_COMPLETE)
    {
      g_assert_cmpuint (used, ==, g_ascii_strtoull (row[4], NULL, 10));
      g_assert_cmpmem (payload, plen, g_bytes_get_data (want_payload, NULL),
                       g_bytes_get_size (want_payload));
    }
  else if (st == UA_FRAME_NEED_MORE)
    g_assert_cmpuint (want, ==, g_ascii_strtoull (row[4], NULL, 10));
}

static const char *
msg_status_name (UaMsgStatus st)
{
  switch (st)
    {
    case UA_MSG_OK: return "ok";
    case UA_MSG_BAD_KEY: return "bad-key";
    case UA_MSG_BAD_VALUE: return "bad-value";
    case UA_MSG_BAD_LINE: return "bad-line";
    case UA_MSG_TOO_MANY: return "too-many";
    case UA_MSG_TOO_LARGE: return "too-large";
    default: return "?";
    }
}

/* "k=v|k=v" from a parsed message, values unescaped for comparison. */
static void
assert_fields (UaMsg *msg, const char *expected)
{
  g_auto(GStrv) want = g_strsplit (expected ? expected : "", "|", -1);
  guint n = *expected ? g_strv_length (want) : 0;

  g_assert_cmpuint (ua_msg_count (msg), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GBytes) w = ua_fixture_unescape (want[i]);
      g_autofree char *got = g_strdup_printf ("%s=%s", ua_msg_key (msg, i),
                                              ua_msg_value (msg, i));
      g_assert_cmpmem (got, strlen (got), g_bytes_get_data (w, NULL), g_bytes_get_size (w));
    }
}

static void
test_message_case (gconstpointer data)
{
  char *const *row = data;
  g_autoptr(GBytes) in = ua_fixture_unescape (row[1]);
  gsize len;
  const guint8 *buf = g_bytes_get_data (in, &len);
  UaMsg *msg = NULL;
  UaMsgStatus st = ua_msg_decode (buf, len, &msg);

  g_assert_cmpstr (msg_status_name (st), ==, row[2]);
  if (st != UA_MSG_OK)
    {
      g_assert_null (msg);
      return;
    }
  assert_fields (msg, row[3] ? row[3] : "");
  ua_msg_free (msg);
}

/* Values that may not be sent are refused when a message is built. */
static void
test_build_refuses_injection (void)
{
  static const char *bad[] = { "a\nop=remove", "a\r", "\n", NULL };
  UaMsg *msg = ua_msg_new ();

  for (guint i = 0; bad[i] != NULL; i++)
    g_assert_cmpint (ua_msg_add (msg, "token", bad[i]), ==, UA_MSG_BAD_VALUE);
  g_assert_cmpint (ua_msg_add_len (msg, "token", "a\0b", 3), ==, UA_MSG_BAD_VALUE);
  g_assert_cmpint (ua_msg_add (msg, "Bad Key", "x"), ==, UA_MSG_BAD_KEY);
  g_assert_cmpint (ua_msg_set (msg, "token", "x\ny"), ==, UA_MSG_BAD_VALUE);
  g_assert_cmpuint (ua_msg_count (msg), ==, 0);
  ua_msg_free (msg);
}

/* Every byte a value may hold survives encode then decode. */
static void
test_round_trip_all_bytes (void)
{
  char value[256];
  size_t n = 0;
  UaMsg *msg = ua_msg_new (), *back = NULL;
  uint8_t *buf;
  size_t len;
  const uint8_t *payload;
  size_t plen, used;

  for (int c = 1; c < 256; c++)
    if (c != '\r' && c != '\n')
      value[n++] = (char) c;
  value[n] = '\0';
  g_assert_cmpint (ua_msg_add_len (msg, "token", value, n), ==, UA_MSG_OK);
  g_assert_cmpint (ua_msg_add_int (msg, "expires_in", -42), ==, UA_MSG_OK);
  g_assert_cmpint (ua_msg_encode (msg, UA_FRAME_REQUEST_MAX, &buf, &len), ==, UA_MSG_OK);
  g_assert_cmpint (ua_frame_decode (buf, len, UA_FRAME_REQUEST_MAX, &payload, &plen,
                                    &used, NULL), ==, UA_FRAME_COMPLETE);
  g_assert_cmpuint (used, ==, len);
  g_assert_cmpint (ua_msg_decode (payload, plen, &back), ==, UA_MSG_OK);
  g_assert_cmpmem (ua_msg_get (back, "token"), strlen (ua_msg_get (back, "token")), value, n);
  {
    long long v;
    g_assert_true (ua_msg_get_int (back, "expires_in", &v));
    g_assert_cmpint (v, ==, -42);
  }
  ua_msg_buffer_free (buf, len);
  ua_msg_free (back);
  ua_msg_free (msg);
}

static void
test_encode_cap (void)
{
  UaMsg *msg = ua_msg_new ();
  uint8_t *buf = NULL;
  size_t len = 0;

  ua_msg_add (msg, "message", "0123456789");
  g_assert_cmpint (ua_msg_encode (msg, 8, &buf, &len), ==, UA_MSG_TOO_LARGE);
  g_assert_null (buf);
  ua_msg_free (msg);
}

static void
test_set_replaces (void)
{
  UaMsg *msg = ua_msg_new ();

  ua_msg_add (msg, "a", "1");
  ua_msg_add (msg, "a", "2");
  g_assert_cmpint (ua_msg_set (msg, "a", "3"), ==, UA_MSG_OK);
  g_assert_cmpstr (ua_msg_get (msg, "a"), ==, "3");
  g_assert_cmpstr (ua_msg_value (msg, 1), ==, "2");
  g_assert_true (!ua_msg_get_bool (msg, "missing"));
  ua_msg_free (msg);
}

typedef struct {
  gboolean called;
  gboolean clean;
} HookResult;

static void
free_hook (const unsigned char *buf, size_t len, void *data)
{
  HookResult *r = data;

  r->called = TRUE;
  r->clean = TRUE;
  for (size_t i = 0; i < len; i++)
    if (buf[i] != 0)
      r->clean = FALSE;
}

/* A freed secret leaves nothing of itself behind. */
static void
test_secret_wiped_on_free (void)
{
  HookResult r = { FALSE, FALSE };
  UaSecret *s = ua_secret_new_str ("pat-super-secret-value");

  g_assert_cmpstr (ua_secret_get (s), ==, "pat-super-secret-value");
  g_assert_cmpuint (ua_secret_len (s), ==, 22);
  ua_secret_set_free_hook (free_hook, &r);
  ua_secret_free (s);
  ua_secret_set_free_hook (NULL, NULL);
  g_assert_true (r.called);
  g_assert_true (r.clean);
}

/* Error codes are only ever added: the last one added keeps its name. */
static void
test_error_forbidden (void)
{
  g_assert_cmpstr (ua_error_to_string (UA_ERR_FORBIDDEN), ==, "forbidden");
  g_assert_cmpint (ua_error_from_string ("forbidden"), ==, UA_ERR_FORBIDDEN);
  g_assert_cmpint (ua_error_exit_status (UA_ERR_FORBIDDEN), ==, UA_EXIT_FAILURE);
  g_assert_cmpstr (ua_error_to_string (UA_ERR_INTERNAL), ==, "internal");
}

static void
test_sockpath_restricted (void)
{
  static const struct {
    const char *in;
    const char *want; /* NULL: does not fit */
  } cases[] = {
    { "/run/user/1000/uipauth/agent.sock", "/run/user/1000/uipauth/agent.restricted.sock" },
    { "/tmp/x/other.sock", "/tmp/x/other.restricted.sock" },
    { "/tmp/x/socket", "/tmp/x/socket.restricted.sock" },
    { "/tmp/x/.sock", "/tmp/x/.sock.restricted.sock" },
    { "agent.sock", "agent.restricted.sock" },
    { "/a/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.sock",
      NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char buf[UA_SOCKPATH_MAX];
      int rc = ua_sockpath_restricted (cases[i].in, buf, sizeof buf);

      g_assert_cmpint (rc, ==, cases[i].want ? 0 : -1);
      if (cases[i].want)
        g_assert_cmpstr (buf, ==, cases[i].want);
    }
}

static int
bind_unix (const char *path)
{
  struct sockaddr_un sa = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM, 0);

  g_strlcpy (sa.sun_path, path, sizeof sa.sun_path);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &sa, sizeof sa), ==, 0);
  return fd;
}

/* The socket an agent bound and marked is its own; one bound later at the
 * same path (a forward), or one without a mark, is not. */
static void
test_sockpath_mark (void)
{
  g_autofree char *dir = g_dir_make_tmp ("uipauth-sockpath-XXXXXX", NULL);
  g_autofree char *sock = g_build_filename (dir, "agent.sock", NULL);
  g_autofree char *lock = g_strconcat (sock, ".lock", NULL);
  int fd = bind_unix (sock), lock_fd;

  g_assert_false (ua_sockpath_bound_here (sock));
  lock_fd = open (lock, O_RDWR | O_CREAT, 0600);
  g_assert_false (ua_sockpath_bound_here (sock));
  g_assert_cmpint (ua_sockpath_mark (lock_fd, sock), ==, 0);
  g_assert_true (ua_sockpath_bound_here (sock));
  close (fd);
  g_unlink (sock);
  /* The file system may give the next file the same inode; its change
   * time, from a coarse clock, differs after a tick. */
  g_usleep (50000);
  fd = bind_unix (sock);
  g_assert_false (ua_sockpath_bound_here (sock));
  g_assert_cmpint (ua_sockpath_mark (lock_fd, sock), ==, 0);
  g_assert_true (ua_sockpath_bound_here (sock));
  g_unlink (sock);
  g_assert_false (ua_sockpath_bound_here (sock));
  close (fd);
  close (lock_fd);
  g_unlink (lock);
  g_rmdir (dir);
}

static void
add_table (const char *fixture, const char *prefix, GTestDataFunc func, GPtrArray *keep)
{
  GPtrArray *rows = ua_fixture_load (fixture);

  g_ptr_array_add (keep, rows);
  ua_fixture_add_tests (rows, prefix, func);
}

int
main (int argc, char **argv)
{
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  int status;

  g_test_init (&argc, &argv, NULL);
  add_table ("proto-frames.txt", "/proto/frame", test_frame_case, keep);
  add_table ("proto-messages.txt", "/proto/message", test_message_case, keep);
  g_test_add_func ("/proto/build/refuses-injection", test_build_refuses_injection);
  g_test_add_func ("/proto/build/round-trip-all-bytes", test_round_trip_all_bytes);
  g_test_add_func ("/proto/build/encode-cap", test_encode_cap);
  g_test_add_func ("/proto/build/set-replaces", test_set_replaces);
  g_test_add_func ("/proto/secret/wiped-on-free", test_secret_wiped_on_free);
  g_test_add_func ("/proto/errors/forbidden", test_error_forbidden);
  g_test_add_func ("/proto/sockpath/restricted", test_sockpath_restricted);
  g_test_add_func ("/proto/sockpath/mark", test_sockpath_mark);
  status = g_test_run ();
  return status;
}
