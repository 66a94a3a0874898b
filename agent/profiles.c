#include "config.h"

#include "profiles.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "grant.h"
#include "match.h"
#include "ua-error.h"

#define PROFILE_NAME_MAX 64

struct UaProfiles {
  struct stat seen;    /* the file as last read or written; st_ino 0: none */
  char *path;
  GHashTable *by_name; /* name -> UaProfile */
  GKeyFile *file;      /* as loaded, so a user's comments and order survive */
  gboolean memory_only; /* --ephemeral: never read or written */
  UaProfilesChanged changed;
  gpointer changed_data;
};

void
ua_profiles_set_changed_func (UaProfiles *profiles, UaProfilesChanged func,
                              gpointer user_data)
{
  profiles->changed = func;
  profiles->changed_data = user_data;
}

static void
notify (UaProfiles *profiles, const char *name)
{
  if (profiles->changed != NULL)
    profiles->changed (profiles, name, profiles->changed_data);
}

static const char *const known_settings[] = {
  "url", "organization", "tenant", "identity_url", "client_id", "scopes",
  "redirect_uri", "username", "expires", "match", "allow_password",
  "exchange", "secret_source", "tenant_id", "organization_id", "confidential",
  "token_auth", "forward", NULL,
};

gboolean
ua_profile_type_from_string (const char *str, UaKind *out)
{
  return ua_kind_from_name (str, out);
}

const char *
ua_profile_type_to_string (UaKind type)
{
  const UaKindInfo *info = ua_kind_info (type);

  return info ? info->name : "unknown";
}

gboolean
ua_profile_setting_known (const char *key)
{
  return g_strv_contains (known_settings, key);
}

gboolean
ua_profile_name_valid (const char *name)
{
  size_t len = name ? strlen (name) : 0;

  if (len == 0 || len > PROFILE_NAME_MAX || name[0] == '.' || name[0] == '-')
    return FALSE;
  for (size_t i = 0; i < len; i++)
    if (!g_ascii_isalnum (name[i]) && strchr ("_.-", name[i]) == NULL)
      return FALSE;
  return TRUE;
}

UaProfile *
ua_profile_new (const char *name, UaKind type)
{
  UaProfile *profile = g_new0 (UaProfile, 1);

  profile->name = g_strdup (name);
  profile->type = type;
  profile->settings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (profile->settings, g_strdup ("type"),
                       g_strdup (ua_profile_type_to_string (type)));
  profile->kind = ua_kind_info (type);
  profile->scopes = g_strdup ("");
  return profile;
}

static void
clear_typed (UaProfile *profile)
{
  g_clear_pointer (&profile->url, g_free);
  g_clear_pointer (&profile->organization, g_free);
  g_clear_pointer (&profile->tenant, g_free);
  g_clear_pointer (&profile->tenant_id, g_free);
  g_clear_pointer (&profile->organization_id, g_free);
  g_clear_pointer (&profile->client_id, g_free);
  g_clear_pointer (&profile->username, g_free);
  g_clear_pointer (&profile->redirect_uri, g_free);
  g_clear_pointer (&profile->expires, g_free);
  g_clear_pointer (&profile->match, g_free);
  g_clear_pointer (&profile->base_url, g_free);
  g_clear_pointer (&profile->identity_base, g_free);
  g_clear_pointer (&profile->token_endpoint, g_free);
  g_clear_pointer (&profile->scopes, g_free);
  g_clear_pointer (&profile->secret_file, g_free);
  profile->secret_source = UA_SECRET_SOURCE_KEYRING;
  g_clear_error (&profile->invalid);
}

void
ua_profile_free (UaProfile *profile)
{
  if (profile == NULL)
    return;
  clear_typed (profile);
  g_free (profile->name);
  g_hash_table_unref (profile->settings);
  g_free (profile);
}

const char *
ua_profile_get (const UaProfile *profile, const char *key)
{
  const char *v = g_hash_table_lookup (profile->settings, key);

  return (v != NULL && *v != '\0') ? v : NULL;
}

void
ua_profile_set (UaProfile *profile, const char *key, const char *value)
{
  g_hash_table_insert (profile->settings, g_strdup (key), g_strdup (value));
}

static gint
compare_str_ptr (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The one scope normalisation: split on blanks and commas, sorted,
 * joined by single spaces ("" if none), so a reordering is no change. */
static char *
scopes_normalized (const char *scopes)
{
  g_auto(GStrv) parts = g_strsplit_set (scopes ? scopes : "", " \t,", -1);
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_ptr_array_add (kept, parts[i]);
  g_ptr_array_sort (kept, compare_str_ptr);
  g_ptr_array_add (kept, NULL);
  return g_strjoinv (" ", (char **) kept->pdata);
}

static char *
strip_slashes (const char *url)
{
  size_t n = url ? strlen (url) : 0;

  while (n > 0 && url[n - 1] == '/')
    n--;
  return url ? g_strndup (url, n) : NULL;
}

static char *
base_url (const UaProfile *profile)
{
  GString *s;

  if (profile->url == NULL)
    return NULL;
  s = g_string_new (profile->url);
  if (profile->organization != NULL)
    g_string_append_printf (s, "/%s", profile->organization);
  if (profile->organization != NULL && profile->tenant != NULL)
    g_string_append_printf (s, "/%s", profile->tenant);
  return g_string_free (s, FALSE);
}

/* The one identity-URL rule: identity_url as given, else the service's
 * own identity server ({scheme}://{host}/identity_), or for API keys the
 * account server. */
static char *
identity_base (const UaProfile *profile, GError **error)
{
  const char *given = ua_profile_get (profile, "identity_url");
  char *base;

  if (profile->type == UA_KIND_PAT || profile->type == UA_KIND_PASSWORD)
    return NULL;
  if (given != NULL)
    return strip_slashes (given);
  if (profile->type == UA_KIND_API_KEY)
    return g_strdup (UA_GRANT_API_KEY_URL);
  base = ua_grant_default_identity_url (profile->url, error);
  if (base == NULL)
    g_prefix_error (error, "profile \"%s\": ", profile->name);
  return base;
}

static char *
token_endpoint (const UaProfile *profile)
{
  switch (profile->type)
    {
    case UA_KIND_CLIENT_CREDENTIALS:
    case UA_KIND_AUTHORIZATION_CODE:
      return profile->identity_base ? ua_grant_token_endpoint (profile->identity_base) : NULL;
    case UA_KIND_API_KEY:
      return g_strconcat (profile->identity_base, "/oauth/token", NULL);
    case UA_KIND_PASSWORD:
      return profile->url ? g_strconcat (profile->url, "/api/account/authenticate", NULL) : NULL;
    case UA_KIND_PAT:
    default:
      return NULL;
    }
}

static const char *
get_setting (const char *key, void *profile)
{
  return ua_profile_get (profile, key);
}

/* The kind's requirements (proto/kinds.c), as the client checks them. */
static gboolean
check_required (const UaProfile *profile, GError **error)
{
  char missing[128];

  if (ua_kind_missing (profile->kind, get_setting, (void *) profile, missing,
                       sizeof missing) == NULL)
    return TRUE;
  if (profile->kind->opt_in != NULL && g_str_equal (missing, "--allow-password"))
    g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                 "profile \"%s\": password profiles are refused unless you "
                 "opt in with --allow-password (allow_password=true); prefer "
                 "a Personal Access Token or an external app", profile->name);
  else
    g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                 "profile \"%s\" of type %s needs %s", profile->name,
                 profile->kind->name, missing);
  return FALSE;
}

/* $CREDENTIALS_DIRECTORY/NAME: the directory systemd gave this process. */
static char *
credential_file (const UaProfile *profile, const char *name, GError **error)
{
  const char *dir = g_getenv ("CREDENTIALS_DIRECTORY");

  if (dir != NULL && g_path_is_absolute (dir))
    return g_build_filename (dir, name, NULL);
  g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
               "profile \"%s\": secret_source=credential:%s needs "
               "$CREDENTIALS_DIRECTORY, which systemd sets for a service with "
               "LoadCredential= or LoadCredentialEncrypted=, and this agent "
               "has none; run the agent from such a unit (see uipauth-agent(1)) "
               "or use secret_source=file:PATH", profile->name, name);
  return NULL;
}

/* secret_source: where the kind's secret is read.  The kind is set even
 * when the value is wrong, so that a broken file-source profile never
 * makes the agent reach for the keyring. */
static gboolean
parse_secret_source (UaProfile *profile, GError **error)
{
  const char *spec = ua_profile_get (profile, "secret_source");
  const char *arg;
  char err[512];

  if (ua_secret_source_parse (spec, &profile->secret_source, &arg, err, sizeof err) < 0)
    {
      g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT, "profile \"%s\": %s",
                   profile->name, err);
      return FALSE;
    }
  if (profile->secret_source == UA_SECRET_SOURCE_KEYRING)
    return TRUE;
  if (ua_profile_secret_kind (profile) == NULL)
    {
      g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                   "profile \"%s\" of type %s has no secret to read from a file "
                   "(its refresh token rotates, so it stays in the keyring); "
                   "remove secret_source from it", profile->name, profile->kind->name);
      return FALSE;
    }
  if (profile->secret_source == UA_SECRET_SOURCE_FILE)
    profile->secret_file = g_strdup (arg);
  else
    profile->secret_file = credential_file (profile, arg, error);
  return profile->secret_file != NULL;
}

/* How a confidential app sends its secret: in the form (client_secret_post,
 * what UiPath documents) unless the profile says basic. */
static gboolean
parse_token_auth (UaProfile *profile, GError **error)
{
  const char *v = ua_profile_get (profile, "token_auth");

  profile->token_auth_basic = g_strcmp0 (v, "basic") == 0;
  if (v == NULL || g_str_equal (v, "post") || g_str_equal (v, "basic"))
    return TRUE;
  g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
               "profile \"%s\": token_auth is \"%.64s\"; use post (the secret "
               "in the form) or basic (HTTP Basic)", profile->name, v);
  return FALSE;
}

const char *
ua_profile_secret_kind (const UaProfile *profile)
{
  return ua_kind_secret (profile->kind, get_setting, (void *) profile);
}

void
ua_profile_parse (UaProfile *profile)
{
  GError *error = NULL;

  clear_typed (profile);
  profile->kind = ua_kind_info (profile->type);
  profile->url = strip_slashes (ua_profile_get (profile, "url"));
  profile->organization = g_strdup (ua_profile_get (profile, "organization"));
  profile->tenant = g_strdup (ua_profile_get (profile, "tenant"));
  profile->tenant_id = g_strdup (ua_profile_get (profile, "tenant_id"));
  profile->organization_id = g_strdup (ua_profile_get (profile, "organization_id"));
  profile->client_id = g_strdup (ua_profile_get (profile, "client_id"));
  profile->username = g_strdup (ua_profile_get (profile, "username"));
  profile->redirect_uri = g_strdup (ua_profile_get (profile, "redirect_uri"));
  if (profile->redirect_uri == NULL && profile->type == UA_KIND_AUTHORIZATION_CODE)
    profile->redirect_uri = g_strdup (UA_PROFILE_DEFAULT_REDIRECT_URI);
  profile->expires = g_strdup (ua_profile_get (profile, "expires"));
  profile->match = g_strdup (ua_profile_get (profile, "match"));
  profile->scopes = scopes_normalized (ua_profile_get (profile, "scopes"));
  profile->exchange = ua_bool_true (ua_profile_get (profile, "exchange"));
  profile->allow_password = ua_bool_true (ua_profile_get (profile, "allow_password"));
  profile->confidential = ua_profile_secret_kind (profile) != NULL
                          && profile->type == UA_KIND_AUTHORIZATION_CODE;
  profile->forward = ua_bool_true (ua_profile_get (profile, "forward"));
  profile->base_url = base_url (profile);
  if (parse_secret_source (profile, &error) && check_required (profile, &error)
      && parse_token_auth (profile, &error))
    profile->identity_base = identity_base (profile, &error);
  if (error == NULL)
    profile->token_endpoint = token_endpoint (profile);
  profile->invalid = error;
}

gboolean
ua_profile_validate (const UaProfile *profile, GError **error)
{
  if (profile->invalid == NULL)
    return TRUE;
  g_propagate_error (error, g_error_copy (profile->invalid));
  return FALSE;
}

const char *
ua_profile_stored_secret (const UaProfile *profile)
{
  return profile->secret_source == UA_SECRET_SOURCE_KEYRING
         ? ua_profile_secret_kind (profile) : NULL;
}

gboolean
ua_profile_uses_store (const UaProfile *profile)
{
  return ua_profile_stored_secret (profile) != NULL
         || profile->type == UA_KIND_AUTHORIZATION_CODE;
}

gboolean
ua_profile_token_is_secret (const UaProfile *profile)
{
  return profile->type == UA_KIND_PAT
         || (profile->type == UA_KIND_API_KEY && !profile->exchange);
}

gboolean
ua_profiles_use_store (UaProfiles *profiles)
{
  GHashTableIter it;
  gpointer v;

  if (g_hash_table_size (profiles->by_name) == 0)
    return TRUE;
  g_hash_table_iter_init (&it, profiles->by_name);
  while (g_hash_table_iter_next (&it, NULL, &v))
    if (ua_profile_uses_store (v))
      return TRUE;
  return FALSE;
}

static gboolean
settings_equal (GHashTable *a, GHashTable *b)
{
  GHashTableIter it;
  gpointer k, v;

  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;
  g_hash_table_iter_init (&it, a);
  while (g_hash_table_iter_next (&it, &k, &v))
    if (g_strcmp0 (v, g_hash_table_lookup (b, k)) != 0)
      return FALSE;
  return TRUE;
}

gboolean
ua_profile_equal (const UaProfile *a, const UaProfile *b)
{
  return g_str_equal (a->name, b->name) && a->type == b->type
         && settings_equal (a->settings, b->settings);
}

UaProfiles *
ua_profiles_new (const char *path)
{
  UaProfiles *profiles = g_new0 (UaProfiles, 1);

  profiles->path = path ? g_strdup (path)
                        : g_build_filename (g_get_user_config_dir (), "uipauth",
                                            "profiles.ini", NULL);
  profiles->by_name = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                             (GDestroyNotify) ua_profile_free);
  profiles->file = g_key_file_new ();
  return profiles;
}

UaProfiles *
ua_profiles_new_memory (void)
{
  UaProfiles *profiles = ua_profiles_new (UA_PROFILES_MEMORY_PATH);

  profiles->memory_only = TRUE;
  return profiles;
}

void
ua_profiles_free (UaProfiles *profiles)
{
  if (profiles == NULL)
    return;
  g_hash_table_unref (profiles->by_name);
  g_key_file_unref (profiles->file);
  g_free (profiles->path);
  g_free (profiles);
}

const char *
ua_profiles_path (UaProfiles *profiles)
{
  return profiles->path;
}

/* GKeyFile's escapes are \s \n \t \r and \\, never at the end of a value. */
static gboolean
escapes_valid (const char *raw)
{
  for (const char *p = raw; *p != '\0'; p++)
    if (*p == '\\' && (*++p == '\0' || strchr ("sntr\\", *p) == NULL))
      return FALSE;
  return TRUE;
}

/* A value that cannot be read is an error, not a setting that silently
 * vanishes (a lost identity_url would send the secret to the default
 * identity server).  The escapes are checked first: GLib sets its GError
 * twice, with a warning, on a value with two bad ones. */
static char *
read_value (GKeyFile *kf, const char *group, const char *key, const char *path,
            GError **error)
{
  g_autofree char *raw = g_key_file_get_value (kf, group, key, NULL);
  g_autofree char *shown = NULL;
  char *value;

  if (raw != NULL && escapes_valid (raw)
      && (value = g_key_file_get_string (kf, group, key, NULL)) != NULL)
    {
      /* Control characters (tabs aside) cannot go on the wire or into a
       * URL, and a raw CR loses itself on every rewrite of the file. */
      if (strcspn (value, "\001\002\003\004\005\006\007\010\012\013\014\015"
                          "\016\017\020\021\022\023\024\025\026\027\030"
                          "\031\032\033\034\035\036\037\177") == strlen (value))
        return value;
      g_free (value);
    }
  shown = g_strescape (key, NULL);
  g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
               "%s: profile \"%s\": the value of %s cannot be read (not UTF-8, "
               "a control character, or a backslash not followed by s, n, t, r "
               "or another backslash); fix the file", path, group, shown);
  return NULL;
}

static UaProfile *
profile_from_group (GKeyFile *kf, const char *group, const char *path,
                    GError **error)
{
  g_autofree char *type_str = NULL;
  g_auto(GStrv) keys = g_key_file_get_keys (kf, group, NULL, NULL);
  g_autoptr(UaProfile) profile = NULL;
  UaKind type;

  if (!ua_profile_name_valid (group))
    {
      g_autofree char *shown = g_strescape (group, NULL);
      g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                   "%s: [%s] is not a valid profile name (letters, digits, _ . -)",
                   path, shown);
      return NULL;
    }
  if (g_key_file_has_key (kf, group, "type", NULL)
      && (type_str = read_value (kf, group, "type", path, error)) == NULL)
    return NULL;
  if (!ua_profile_type_from_string (type_str, &type))
    {
      g_autofree char *shown = g_strescape (type_str ? type_str : "", NULL);
      g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                   "%s: profile \"%s\" has unknown type \"%s\"; use one of "
                   "pat, client-credentials, authorization-code, api-key, password",
                   path, group, shown);
      return NULL;
    }
  profile = ua_profile_new (group, type);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      g_autofree char *v = NULL;

      if (g_str_equal (keys[i], "type"))
        continue;
      if ((v = read_value (kf, group, keys[i], path, error)) == NULL)
        return NULL;
      ua_profile_set (profile, keys[i], v);
    }
  ua_profile_parse (profile);
  return g_steal_pointer (&profile);
}

static void
remember_file (UaProfiles *profiles)
{
  if (stat (profiles->path, &profiles->seen) < 0)
    memset (&profiles->seen, 0, sizeof profiles->seen);
}

/* Before a change is written: if the file was changed by hand since the
 * agent read it, read it again, so the hand edits are kept rather than
 * overwritten; if it cannot be read now, write nothing. */
static gboolean
catch_up_with_file (UaProfiles *profiles, GError **error)
{
  struct stat now;
  g_autoptr(GError) local = NULL;

  if (stat (profiles->path, &now) < 0)
    memset (&now, 0, sizeof now);
  if (now.st_ino == profiles->seen.st_ino && now.st_dev == profiles->seen.st_dev
      && now.st_size == profiles->seen.st_size
      && now.st_mtim.tv_sec == profiles->seen.st_mtim.tv_sec
      && now.st_mtim.tv_nsec == profiles->seen.st_mtim.tv_nsec)
    return TRUE;
  if (ua_profiles_load (profiles, &local))
    {
      g_message ("%s changed since it was read; read it again before writing",
                 profiles->path);
      return TRUE;
    }
  g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
               "%s; not writing over it", local->message);
  return FALSE;
}

gboolean
ua_profiles_load (UaProfiles *profiles, GError **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) local = NULL;
  g_autoptr(GHashTable) table = NULL;
  g_auto(GStrv) groups = NULL;

  if (profiles->memory_only)
    return TRUE;
  if (!g_key_file_load_from_file (kf, profiles->path, G_KEY_FILE_KEEP_COMMENTS, &local))
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_hash_table_remove_all (profiles->by_name);
          g_key_file_unref (profiles->file);
          profiles->file = g_key_file_new ();
          remember_file (profiles);
          notify (profiles, NULL);
          return TRUE;
        }
      g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                   "cannot read %s: %s; fix or move the file", profiles->path,
                   local->message);
      return FALSE;
    }

  table = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                 (GDestroyNotify) ua_profile_free);
  groups = g_key_file_get_groups (kf, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      UaProfile *p = profile_from_group (kf, groups[i], profiles->path, error);
      if (p == NULL)
        return FALSE;
      g_hash_table_replace (table, p->name, p);
    }
  g_hash_table_unref (profiles->by_name);
  profiles->by_name = g_steal_pointer (&table);
  g_key_file_unref (profiles->file);
  profiles->file = g_steal_pointer (&kf);
  remember_file (profiles);
  notify (profiles, NULL);
  return TRUE;
}

static GKeyFile *
copy_file (GKeyFile *src)
{
  GKeyFile *dst = g_key_file_new ();
  gsize len;
  g_autofree char *data = g_key_file_to_data (src, &len, NULL);

  g_key_file_load_from_data (dst, data, len, G_KEY_FILE_KEEP_COMMENTS, NULL);
  return dst;
}

/* The table an add or remove changes: a copy, so that a failed write
 * leaves the old one in force.  In memory there is no write to fail, and
 * copying every profile on every add made adding n profiles cost n². */
static GKeyFile *
file_to_change (UaProfiles *profiles)
{
  if (profiles->memory_only)
    return g_key_file_ref (profiles->file);
  return copy_file (profiles->file);
}

static void
set_group (GKeyFile *kf, const UaProfile *profile)
{
  g_autoptr(GList) keys = g_hash_table_get_keys (profile->settings);

  g_key_file_remove_group (kf, profile->name, NULL);
  g_key_file_set_string (kf, profile->name, "type",
                         ua_profile_type_to_string (profile->type));
  keys = g_list_sort (keys, (GCompareFunc) strcmp);
  for (GList *l = keys; l != NULL; l = l->next)
    if (!g_str_equal (l->data, "type"))
      g_key_file_set_string (kf, profile->name, l->data,
                             g_hash_table_lookup (profile->settings, l->data));
}

/* Writes @kf and makes it the profiles' file. */
static gboolean
save_file (UaProfiles *profiles, GKeyFile *kf, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (profiles->path);
  g_autoptr(GError) local = NULL;
  gsize len;
  g_autofree char *data = NULL;

  if (profiles->memory_only)
    {
      g_key_file_unref (profiles->file);
      profiles->file = kf;
      return TRUE;
    }
  data = g_key_file_to_data (kf, &len, NULL);
  /* g_file_set_contents writes a temporary file, fsyncs and renames it, so
   * a crash leaves either the old file or the new one. */
  if (g_mkdir_with_parents (dir, 0700) < 0 ||
      !g_file_set_contents_full (profiles->path, data, (gssize) len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local))
    {
      g_set_error (error, UA_ERROR, UA_ERR_INTERNAL, "cannot write %s: %s; "
                   "check the disk and the directory's permissions",
                   profiles->path, local ? local->message : g_strerror (errno));
      g_key_file_unref (kf);
      return FALSE;
    }
  g_key_file_unref (profiles->file);
  profiles->file = kf;
  remember_file (profiles);
  return TRUE;
}

gboolean
ua_profiles_put (UaProfiles *profiles, UaProfile *profile, gboolean replace,
                 GError **error)
{
  g_autoptr(UaProfile) owned = profile;
  GKeyFile *next;

  if (!catch_up_with_file (profiles, error))
    return FALSE;
  if (!replace && g_hash_table_contains (profiles->by_name, profile->name))
    {
      g_set_error (error, UA_ERROR, UA_ERR_EXISTS,
                   "profile \"%s\" already exists; use --replace to overwrite it "
                   "or \"uipauth remove %s\" first", profile->name, profile->name);
      return FALSE;
    }
  next = file_to_change (profiles);
  set_group (next, profile);
  if (!save_file (profiles, next, error))
    return FALSE;
  g_hash_table_replace (profiles->by_name, profile->name, g_steal_pointer (&owned));
  notify (profiles, profile->name);
  return TRUE;
}

gboolean
ua_profiles_remove (UaProfiles *profiles, const char *name, GError **error)
{
  g_autofree char *gone = NULL;
  GKeyFile *next;

  if (!catch_up_with_file (profiles, error))
    return FALSE;
  if (!g_hash_table_contains (profiles->by_name, name))
    {
      g_set_error (error, UA_ERROR, UA_ERR_UNKNOWN_PROFILE,
                   "no profile named \"%s\" in %s; see \"uipauth list\"",
                   name, profiles->path);
      return FALSE;
    }
  next = file_to_change (profiles);
  g_key_file_remove_group (next, name, NULL);
  if (!save_file (profiles, next, error))
    return FALSE;
  gone = g_strdup (name); /* @name may be the removed profile's own */
  g_hash_table_remove (profiles->by_name, gone);
  notify (profiles, gone);
  return TRUE;
}

UaProfile *
ua_profiles_lookup (UaProfiles *profiles, const char *name)
{
  return g_hash_table_lookup (profiles->by_name, name);
}

guint
ua_profiles_count (UaProfiles *profiles)
{
  return g_hash_table_size (profiles->by_name);
}

static gint
compare_by_name (gconstpointer a, gconstpointer b)
{
  const UaProfile *pa = *(UaProfile *const *) a;
  const UaProfile *pb = *(UaProfile *const *) b;

  return strcmp (pa->name, pb->name);
}

GPtrArray *
ua_profiles_list (UaProfiles *profiles)
{
  GPtrArray *list = g_ptr_array_new ();
  GHashTableIter it;
  gpointer v;

  g_hash_table_iter_init (&it, profiles->by_name);
  while (g_hash_table_iter_next (&it, NULL, &v))
    g_ptr_array_add (list, v);
  g_ptr_array_sort (list, compare_by_name);
  return list;
}

UaProfile *
ua_profiles_resolve (UaProfiles *profiles, const char *name, GError **error)
{
  UaProfile *profile;

  if (name != NULL && *name != '\0')
    {
      profile = ua_profiles_lookup (profiles, name);
      if (profile == NULL)
        g_set_error (error, UA_ERROR, UA_ERR_UNKNOWN_PROFILE,
                     "no profile named \"%s\" in %s; see \"uipauth list\" or "
                     "create it with \"uipauth add %s --type ...\"",
                     name, profiles->path, name);
      return profile;
    }
  if (g_hash_table_size (profiles->by_name) == 1)
    {
      g_autoptr(GPtrArray) list = ua_profiles_list (profiles);
      return list->pdata[0];
    }
  g_set_error (error, UA_ERROR, UA_ERR_NO_PROFILE,
               g_hash_table_size (profiles->by_name) == 0
                 ? "no profiles yet; create one with \"uipauth add NAME --type pat\""
                 : "several profiles exist; name one or set UIPAUTH_PROFILE "
                   "(see \"uipauth list\")");
  return NULL;
}

static gsize
best_match_len (const UaProfile *profile, const char *url)
{
  const char *patterns = profile->match;
  g_auto(GStrv) parts = g_strsplit (patterns ? patterns : "", " ", -1);
  gsize best = 0;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      gsize len = strlen (parts[i]);
      if (len > best && ua_match_url (parts[i], url))
        best = len;
    }
  return best;
}

static char *
normalize_url (const char *url)
{
  const char *scheme_end = strstr (url, "://");
  const char *host = scheme_end ? scheme_end + 3 : url;

  /* "https://host" and "https://host/" are the same resource. */
  if (strchr (host, '/') == NULL)
    return g_strconcat (url, "/", NULL);
  return g_strdup (url);
}

/* True when @url is "scheme://host/" with no path: what git asks about
 * when credential.useHttpPath is off (its default). */
static gboolean
has_no_path (const char *url)
{
  const char *scheme_end = strstr (url, "://");
  const char *slash = scheme_end ? strchr (scheme_end + 3, '/') : NULL;

  return slash != NULL && slash[1] == '\0';
}

/* Whether a pattern of @profile names a path below @origin
 * ("scheme://host/"), as https://host/org/... does for https://host/. */
static gboolean
covers_origin (const UaProfile *profile, const char *origin)
{
  const char *patterns = profile->match;
  g_auto(GStrv) parts = g_strsplit (patterns ? patterns : "", " ", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    if (ua_match_origin (parts[i], origin))
      return TRUE;
  return FALSE;
}

/* Without a path, git cannot say which organisation it means: a profile
 * whose patterns are all below the host still answers when it is the
 * only one for that host; with two, guessing could send one tenant's
 * token to another's repository, so the user is told to turn on
 * credential.useHttpPath instead. */
static UaProfile *
match_origin (GPtrArray *list, const char *origin, GError **error)
{
  g_autoptr(GString) names = g_string_new (NULL);
  UaProfile *found = NULL;
  guint count = 0;

  for (guint i = 0; i < list->len; i++)
    if (covers_origin (list->pdata[i], origin))
      {
        found = list->pdata[i];
        g_string_append_printf (names, "%s\"%s\"", count++ ? ", " : "", found->name);
      }
  if (count == 1)
    return found;
  if (count > 1)
    g_set_error (error, UA_ERROR, UA_ERR_NO_PROFILE,
                 "profiles %s all have match patterns on %s, and git sent no "
                 "repository path to choose between them; run \"git config "
                 "--global credential.useHttpPath true\"", names->str, origin);
  else
    g_set_error (error, UA_ERROR, UA_ERR_UNKNOWN_PROFILE,
                 "no profile's match pattern fits %s; add one with "
                 "\"uipauth add NAME --match 'https://host/*' ...\"", origin);
  return NULL;
}

UaProfile *
ua_profiles_match (UaProfiles *profiles, const char *url, GError **error)
{
  g_autofree char *norm = normalize_url (url);
  g_autoptr(GPtrArray) list = ua_profiles_list (profiles);
  UaProfile *best = NULL;
  gsize best_len = 0;

  for (guint i = 0; i < list->len; i++)
    {
      gsize len = best_match_len (list->pdata[i], norm);
      if (len > best_len)
        {
          best = list->pdata[i];
          best_len = len;
        }
    }
  if (best == NULL && has_no_path (norm))
    return match_origin (list, norm, error);
  if (best == NULL)
    g_set_error (error, UA_ERROR, UA_ERR_UNKNOWN_PROFILE,
                 "no profile's match pattern fits %s; add one with "
                 "\"uipauth add NAME --match 'https://host/*' ...\"", url);
  return best;
}

UaProfile *
ua_profile_copy (const UaProfile *profile)
{
  UaProfile *copy = ua_profile_new (profile->name, profile->type);
  GHashTableIter it;
  gpointer k, v;

  g_hash_table_iter_init (&it, profile->settings);
  while (g_hash_table_iter_next (&it, &k, &v))
    ua_profile_set (copy, k, v);
  ua_profile_parse (copy);
  return copy;
}
