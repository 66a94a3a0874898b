/* uipauth-proxy's pure parts: which headers cross (hop.c, from
 * tests/data/proxy-hop.txt) and the key (key.c): reading it from the
 * client's pipe without reading past its line, and matching an
 * Authorization value. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "hop.h"
#include "key.h"

#define KEY "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void
test_hop (gconstpointer data)
{
  char *const *row = (char *const *) data;
  const char *connection;
  UaHopDirection direction;

  g_assert_cmpuint (g_strv_length ((char **) row), ==, 5);
  connection = g_str_equal (row[2], "-") ? NULL : row[2];
  direction = g_str_equal (row[3], "request") ? UA_HOP_REQUEST : UA_HOP_RESPONSE;
  g_assert_true (g_str_equal (row[3], "request") || g_str_equal (row[3], "response"));
  g_assert_cmpstr (ua_proxy_hop_drops (row[1], connection, direction) ? "drop" : "keep",
                   ==, row[4]);
}

static const struct {
  const char *authorization;
  gboolean matches;
} match_cases[] = {
  { "Bearer " KEY, TRUE },
  { "bearer " KEY, TRUE },
  { "BEARER " KEY, TRUE },
  { NULL, FALSE },
  { "", FALSE },
  { "Bearer ", FALSE },
  { "Bearer " KEY "0", FALSE },
  { "Bearer " KEY " ", FALSE },
  { "Bearer  " KEY, FALSE },
  { "Bearer 0123456789abcdef", FALSE },
  { "Bearer 1123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", FALSE },
  { "Bearer 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdee", FALSE },
  { "Basic " KEY, FALSE },
  { KEY, FALSE },
};

static void
test_key_matches (void)
{
  UaSecret *key = ua_secret_new_str (KEY);

  for (gsize i = 0; i < G_N_ELEMENTS (match_cases); i++)
    {
      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i,
                      match_cases[i].authorization ? match_cases[i].authorization : "(none)");
      g_assert_cmpint (ua_proxy_key_matches (key, match_cases[i].authorization),
                       ==, match_cases[i].matches);
    }
  ua_secret_free (key);
}

/* What the pipe holds; whether a key comes out; what is left after. */
static const struct {
  const char *input;
  gboolean ok;
  const char *left;
} read_cases[] = {
  { KEY "\n", TRUE, "" },
  { KEY "\nmore", TRUE, "more" },
  { KEY, FALSE, NULL },                       /* no newline: the client died */
  { "", FALSE, NULL },
  { "\n", FALSE, NULL },
  { "short-key\n", FALSE, NULL },
  { KEY " \n", FALSE, NULL },
  { "0123456789abcdef0123456789abcdef0123456789abcdef01234567\r\n", FALSE, NULL },
  { KEY KEY KEY "\n", FALSE, NULL },          /* longer than UA_PROXY_KEY_MAX */
  { "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd\xc3\xa9\n", FALSE, NULL },
  { "ABCDEFGHIJKLMNOPQRSTUVWXYZ_-abcdefghij\n", TRUE, "" },
};

static void
test_key_read (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (read_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      UaSecret *key;
      char left[64] = "";
      ssize_t n;
      int fds[2];

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_no_errno (pipe (fds));
      g_assert_cmpint (write (fds[1], read_cases[i].input, strlen (read_cases[i].input)),
                       ==, (ssize_t) strlen (read_cases[i].input));
      close (fds[1]);
      key = ua_proxy_key_read (fds[0], &error);
      g_assert_cmpint (key != NULL, ==, read_cases[i].ok);
      g_assert_true ((error == NULL) == read_cases[i].ok);
      if (read_cases[i].left != NULL)
        {
          n = read (fds[0], left, sizeof left - 1);
          left[MAX (n, 0)] = '\0';
          g_assert_cmpstr (left, ==, read_cases[i].left);
        }
      ua_secret_free (key);
      close (fds[0]);
    }
}

int
main (int argc, char **argv)
{
  g_autoptr(GPtrArray) rows = ua_fixture_load ("proxy-hop.txt");

  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  ua_fixture_add_tests (rows, "/proxy/hop", test_hop);
  g_test_add_func ("/proxy/key/matches", test_key_matches);
  g_test_add_func ("/proxy/key/read", test_key_read);
  return g_test_run ();
}
