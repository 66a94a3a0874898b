/* secret_source values from tests/data/secret-sources.txt, through the
 * parser the client and the agent share (proto/secret-source.c) and the
 * agent's typed profile (ua_profile_parse), with $CREDENTIALS_DIRECTORY
 * as each case sets it. */
#include "config.h"

#include <string.h>

#include "fixture.h"
#include "profiles.h"
#include "secret-source.h"

/* The settings @type must have to mint, so that only the source decides. */
static UaProfile *
profile_for (const char *name, const char *type)
{
  UaKind kind;
  UaProfile *p;

  g_assert_true (ua_profile_type_from_string (type, &kind));
  p = ua_profile_new (name, kind);
  if (kind == UA_KIND_CLIENT_CREDENTIALS || kind == UA_KIND_AUTHORIZATION_CODE)
    ua_profile_set (p, "client_id", "app");
  if (kind != UA_KIND_PAT && kind != UA_KIND_API_KEY)
    ua_profile_set (p, "url", "https://cloud.uipath.com");
  if (kind == UA_KIND_PASSWORD)
    {
      ua_profile_set (p, "username", "robot");
      ua_profile_set (p, "allow_password", "true");
    }
  return p;
}

static void
set_dir (const char *dir)
{
  if (g_str_equal (dir, "-"))
    g_unsetenv ("CREDENTIALS_DIRECTORY");
  else
    g_setenv ("CREDENTIALS_DIRECTORY", dir, TRUE);
}

/* The shared parser agrees: it refuses what it can tell is wrong by
 * itself, with the same words. */
static void
check_parser (const char *spec, const char *result)
{
  UaSecretSourceKind kind;
  const char *arg;
  char err[512] = "";
  int rc = ua_secret_source_parse (spec, &kind, &arg, err, sizeof err);

  if (rc < 0)
    {
      g_assert_true (g_str_has_prefix (result, "error: "));
      g_assert_nonnull (strstr (err, result + strlen ("error: ")));
    }
  else if (g_str_has_prefix (result, "file "))
    g_assert_cmpstr (arg, ==, result + strlen ("file "));
}

static void
check_error (const UaProfile *p, const char *spec, const char *text)
{
  g_autofree char *named = g_strdup_printf ("profile \"%s\"", p->name);

  g_assert_nonnull (p->invalid);
  g_test_message ("%s", p->invalid->message);
  g_assert_nonnull (strstr (p->invalid->message, text));
  g_assert_nonnull (strstr (p->invalid->message, named));
  /* A broken file source still never sends the agent to the keyring. */
  if (p->type != UA_KIND_AUTHORIZATION_CODE
      && (g_str_has_prefix (spec, "file:") || g_str_has_prefix (spec, "credential:")))
    g_assert_false (ua_profile_uses_store (p));
}

static void
check_source (const UaProfile *p, const char *result)
{
  const char *space = strchr (result, ' ');
  g_autofree char *kind = g_strndup (result, space ? (gsize) (space - result) : strlen (result));

  g_assert_null (p->invalid);
  g_assert_cmpstr (ua_secret_source_kind_name (p->secret_source), ==, kind);
  if (p->secret_source == UA_SECRET_SOURCE_KEYRING)
    {
      g_assert_null (p->secret_file);
      g_assert_cmpstr (ua_profile_stored_secret (p), ==, ua_profile_secret_kind (p));
      g_assert_true (ua_profile_uses_store (p));
      return;
    }
  g_assert_nonnull (space);
  g_assert_cmpstr (p->secret_file, ==, space + 1);
  g_assert_null (ua_profile_stored_secret (p));
  g_assert_false (ua_profile_uses_store (p));
}

static void
test_case (gconstpointer data)
{
  char *const *row = (char *const *) data;
  const char *spec, *result;
  g_autoptr(UaProfile) p = NULL;
  g_autoptr(UaProfile) copy = NULL;

  g_assert_cmpuint (g_strv_length ((char **) row), ==, 5);
  spec = g_str_equal (row[2], "-") ? NULL : row[2];
  result = row[4];
  set_dir (row[3]);
  check_parser (spec, result);
  p = profile_for (row[0], row[1]);
  if (spec != NULL)
    ua_profile_set (p, "secret_source", spec);
  ua_profile_parse (p);
  if (g_str_has_prefix (result, "error: "))
    check_error (p, spec, result + strlen ("error: "));
  else
    check_source (p, result);
  /* The credential's copy is typed the same. */
  copy = ua_profile_copy (p);
  g_assert_true (ua_profile_equal (copy, p));
  g_assert_cmpint (copy->secret_source, ==, p->secret_source);
  g_assert_cmpstr (copy->secret_file, ==, p->secret_file);
}

/* The longest path and name there can be, and one byte more. */
static void
test_limits (void)
{
  g_autofree char *path = g_strnfill (UA_SECRET_SOURCE_PATH_MAX, 'p');
  g_autofree char *name = g_strnfill (UA_SECRET_SOURCE_NAME_MAX + 1, 'n');
  g_autofree char *spec = NULL;
  UaSecretSourceKind kind;
  const char *arg;
  char err[512];

  path[0] = '/';
  spec = g_strconcat ("file:", path, NULL);
  g_assert_cmpint (ua_secret_source_parse (spec, &kind, &arg, err, sizeof err), ==, 0);
  g_free (spec);
  spec = g_strconcat ("file:", path, "p", NULL);
  g_assert_cmpint (ua_secret_source_parse (spec, &kind, &arg, err, sizeof err), ==, -1);
  g_assert_nonnull (strstr (err, "longer than"));
  g_free (spec);
  spec = g_strconcat ("credential:", name, NULL);
  g_assert_cmpint (ua_secret_source_parse (spec, &kind, &arg, err, sizeof err), ==, -1);
  g_assert_nonnull (strstr (err, "longer than"));
  g_free (spec);
  spec = g_strconcat ("credential:", name + 1, NULL);
  g_assert_cmpint (ua_secret_source_parse (spec, &kind, &arg, err, sizeof err), ==, 0);
  /* No room for a message is no reason to crash. */
  g_assert_cmpint (ua_secret_source_parse ("nope", &kind, &arg, NULL, 0), ==, -1);
}

int
main (int argc, char **argv)
{
  g_autoptr(GPtrArray) rows = ua_fixture_load ("secret-sources.txt");

  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  ua_fixture_add_tests (rows, "/secret-source", test_case);
  g_test_add_func ("/secret-source/limits", test_limits);
  return g_test_run ();
}
