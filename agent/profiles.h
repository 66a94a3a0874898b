/* The profile table: non-secret settings, one GKeyFile group per profile in
 * $XDG_CONFIG_HOME/uipauth/profiles.ini.  Owned by the main context. */
#pragma once

#include <glib.h>

typedef enum {
  UA_PROFILE_PAT,
  UA_PROFILE_API_KEY,
  UA_PROFILE_CLIENT_CREDENTIALS,
  UA_PROFILE_AUTHORIZATION_CODE,
  UA_PROFILE_PASSWORD,
} UaProfileType;

typedef struct {
  char *name;
  UaProfileType type;
  GHashTable *settings; /* key -> value, "type" included */
} UaProfile;

typedef struct UaProfiles UaProfiles;

/* @path NULL means $XDG_CONFIG_HOME/uipauth/profiles.ini. */
UaProfiles *ua_profiles_new (const char *path);
/* --ephemeral: a table that is never read from or written to a file. */
UaProfiles *ua_profiles_new_memory (void);
#define UA_PROFILES_MEMORY_PATH "(memory only: --ephemeral)"
void ua_profiles_free (UaProfiles *profiles);
const char *ua_profiles_path (UaProfiles *profiles);

/* A missing file is an empty table.  On error the table is unchanged. */
gboolean ua_profiles_load (UaProfiles *profiles, GError **error);

UaProfile *ua_profiles_lookup (UaProfiles *profiles, const char *name);
/* The named profile, or the only one when @name is NULL. */
UaProfile *ua_profiles_resolve (UaProfiles *profiles, const char *name,
                                GError **error);
/* The profile whose `match` pattern fits @url best (longest pattern). */
UaProfile *ua_profiles_match (UaProfiles *profiles, const char *url,
                              GError **error);
/* Sorted by name; the array does not own the profiles. */
GPtrArray *ua_profiles_list (UaProfiles *profiles);
guint ua_profiles_count (UaProfiles *profiles);

/* Adds or replaces (takes @profile) and saves atomically.  On error nothing
 * changes, in memory or on disk. */
gboolean ua_profiles_put (UaProfiles *profiles, UaProfile *profile,
                          gboolean replace, GError **error);
gboolean ua_profiles_remove (UaProfiles *profiles, const char *name,
                             GError **error);

UaProfile *ua_profile_new (const char *name, UaProfileType type);
void ua_profile_free (UaProfile *profile);
const char *ua_profile_get (const UaProfile *profile, const char *key);
void ua_profile_set (UaProfile *profile, const char *key, const char *value);
/* Scopes split, sorted and joined by single spaces ("" if none). */
char *ua_profile_scopes_normalized (const UaProfile *profile);
/* {url}/{organization}/{tenant}, or NULL without url. */
char *ua_profile_base_url (const UaProfile *profile);

gboolean ua_profile_name_valid (const char *name);
gboolean ua_profile_type_from_string (const char *str, UaProfileType *out);
const char *ua_profile_type_to_string (UaProfileType type);
/* Whether @key may be set on a profile through `add`. */
gboolean ua_profile_setting_known (const char *key);
/* Checks the settings a profile of its type needs. */
gboolean ua_profile_validate (const UaProfile *profile, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UaProfile, ua_profile_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UaProfiles, ua_profiles_free)

UaProfile *ua_profile_copy (const UaProfile *profile);
