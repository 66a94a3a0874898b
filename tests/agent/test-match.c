/* Which git credential requests a `match` pattern answers, from
 * tests/data/match-cases.txt: each request goes through the client's
 * parser and the agent's matcher both, as it does in use, since a host
 * that smuggles a path (host=cloud.uipath.com/org/x.evil.example) can be
 * told apart only before the client joins it into a URL. */
#include "config.h"

#include <string.h>

#include "fixture.h"
#include "gitcred.h"
#include "match.h"

/* The URL the client would send the agent for @request, NULL if it
 * refuses the request. */
static char *
url_for (const char *request)
{
  g_autoptr(GBytes) raw = ua_fixture_unescape (request);
  gsize len;
  const char *data = g_bytes_get_data (raw, &len);
  UaGitCred cred;
  char err[512], *url, *copy;

  if (g_str_has_prefix (request, "match="))
    return g_strdup (request + strlen ("match="));
  if (ua_gitcred_parse (data, len, &cred, err, sizeof err) < 0)
    {
      g_test_message ("refused: %s", err);
      return NULL;
    }
  url = ua_gitcred_url (&cred);
  ua_gitcred_clear (&cred);
  copy = g_strdup (url);
  free (url);
  return copy;
}

static const char *
judge (const char *pattern, const char *url)
{
  if (url == NULL)
    return "refused";
  if (ua_match_url (pattern, url))
    return "token";
  if (ua_match_origin (pattern, url))
    return "host";
  return "none";
}

static void
test_case (gconstpointer data)
{
  char *const *row = (char *const *) data;
  g_autofree char *url = NULL;

  g_assert_cmpuint (g_strv_length ((char **) row), ==, 4);
  url = url_for (row[2]);
  g_test_message ("pattern %s, URL %s", row[1], url ? url : "(none)");
  g_assert_cmpstr (judge (row[1], url), ==, row[3]);
}

int
main (int argc, char **argv)
{
  g_autoptr(GPtrArray) rows = ua_fixture_load ("match-cases.txt");

  g_test_init (&argc, &argv, NULL);
  /* Every case is reported, not only the first that fails. */
  g_test_set_nonfatal_assertions ();
  ua_fixture_add_tests (rows, "/match", test_case);
  return g_test_run ();
}
