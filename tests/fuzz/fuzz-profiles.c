/* Fuzz target: the profiles.ini loader (agent/profiles.c) on any file a
 * user or a broken editor could leave, then everything the agent does with
 * what it loaded: resolve, match, base URL, scopes, validation, and a save
 * (add a profile) whose result must load back to the same table. */
#include "config.h"

#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz-glib.h"
#include "profiles.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
int LLVMFuzzerInitialize (int *argc, char ***argv);

static char *dir;
static char *path;

static void
remove_dir (void)
{
  g_unlink (path);
  g_rmdir (dir);
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  ua_fuzz_glib_logs_fatal ();
  dir = g_dir_make_tmp ("uipauth-fuzz-profiles-XXXXXX", NULL);
  if (dir == NULL)
    abort ();
  path = g_build_filename (dir, "profiles.ini", NULL);
  atexit (remove_dir);
  return 0;
}

static void
use_profile (UaProfiles *profiles, const UaProfile *p)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UaProfile) copy = ua_profile_copy (p);

  if (!ua_profile_name_valid (p->name)
      || ua_profiles_lookup (profiles, p->name) != p
      || g_strcmp0 (ua_profile_get (p, "type"), ua_profile_type_to_string (p->type)) != 0)
    abort ();
  if (!ua_profile_validate (p, &error) && error == NULL)
    abort ();
  if (strstr (p->scopes, "  ") != NULL || !ua_profile_equal (copy, p))
    abort ();
  if (copy->type != p->type || strcmp (copy->name, p->name) != 0)
    abort ();
}

/* Both tables hold the same profiles with the same settings. */
static void
check_same (UaProfiles *a, UaProfiles *b, const char *except)
{
  g_autoptr(GPtrArray) list = ua_profiles_list (a);

  for (guint i = 0; i < list->len; i++)
    {
      const UaProfile *p = list->pdata[i];
      const UaProfile *q = ua_profiles_lookup (b, p->name);
      GHashTableIter it;
      gpointer k, v;

      if (except != NULL && strcmp (p->name, except) == 0)
        continue;
      if (q == NULL || q->type != p->type
          || g_hash_table_size (q->settings) != g_hash_table_size (p->settings))
        abort ();
      g_hash_table_iter_init (&it, p->settings);
      while (g_hash_table_iter_next (&it, &k, &v))
        if (g_strcmp0 (g_hash_table_lookup (q->settings, k), v) != 0)
          abort ();
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(UaProfiles) profiles = ua_profiles_new (path);
  g_autoptr(UaProfiles) again = ua_profiles_new (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  UaProfile *added;

  if (!g_file_set_contents (path, (const char *) data, (gssize) size, NULL))
    abort ();
  if (!ua_profiles_load (profiles, &error))
    {
      if (error == NULL || ua_profiles_count (profiles) != 0)
        abort ();
      return 0;
    }
  list = ua_profiles_list (profiles);
  for (guint i = 0; i < list->len; i++)
    use_profile (profiles, list->pdata[i]);
  (void) ua_profiles_resolve (profiles, NULL, NULL);
  (void) ua_profiles_match (profiles, "https://cloud.uipath.com/org/x", NULL);
  (void) ua_profiles_match (profiles, "https://h", NULL);

  /* Adding a profile rewrites the file; everything else must survive. */
  added = ua_profile_new ("fuzz-added", UA_KIND_PAT);
  ua_profile_set (added, "url", "https://cloud.uipath.com");
  if (!ua_profiles_put (profiles, added, TRUE, &error))
    abort ();
  if (!ua_profiles_load (again, &error))
    abort ();
  check_same (profiles, again, NULL);
  check_same (again, profiles, NULL);
  return 0;
}
