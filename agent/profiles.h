/* The profile table: non-secret settings, one GKeyFile group per profile in
 * $XDG_CONFIG_HOME/uipauth/profiles.ini.  Owned by the main context. */
#pragma once

#include <glib.h>

#include "kinds.h"
#include "secret-source.h"

/* A profile's settings, as in the file (settings), and typed: parsed and
 * checked once by ua_profile_parse() when the profile is loaded or added,
 * so the rest of the agent reads fields instead of looking keys up. */
typedef struct {
  char *name;
  UaKind type;
  GHashTable *settings;     /* key -> value, "type" included, as written */

  /* Typed, from ua_profile_parse(); NULL where not set. */
  const UaKindInfo *kind;
  char *url;                /* the service, no trailing slash */
  char *organization;
  char *tenant;
  char *tenant_id;          /* for UiPath's SDK: UIPATH_TENANT_ID */
  char *organization_id;    /* and UIPATH_ORGANIZATION_ID */
  char *client_id;
  char *username;
  char *redirect_uri;
  char *expires;            /* pat: YYYY-MM-DD as given */
  char *match;              /* space-separated URL patterns */
  char *base_url;           /* {url}/{organization}/{tenant} */
  char *identity_base;      /* identity_url, or the default for the kind */
  char *token_endpoint;     /* where this kind mints */
  char *scopes;             /* sorted, joined by one space; "" if none */
  gboolean exchange;        /* api-key: trade the key for a token */
  gboolean allow_password;  /* password: the user opted in */
  UaSecretSourceKind secret_source; /* where the kind's secret is read */
  char *secret_file;        /* file: and credential: the file it is read
                             * from (credential: in $CREDENTIALS_DIRECTORY) */
  gboolean confidential;    /* authorization-code: the app has a client
                             * secret, sent on every request to the
                             * identity server */
  gboolean token_auth_basic; /* send the secret as HTTP Basic, not in the form */
  gboolean forward;         /* served on the restricted socket too */
  GError *invalid;          /* why it cannot mint (a missing setting), or NULL */
} UaProfile;

/* Where `uipauth login` listens when a profile names no redirect_uri. */
#define UA_PROFILE_DEFAULT_REDIRECT_URI "http://localhost:12700"

typedef struct UaProfiles UaProfiles;

/* @path NULL means $XDG_CONFIG_HOME/uipauth/profiles.ini. */
UaProfiles *ua_profiles_new (const char *path);
/* --ephemeral: a table that is never read from or written to a file. */
UaProfiles *ua_profiles_new_memory (void);
#define UA_PROFILES_MEMORY_PATH "(memory only: --ephemeral)"
void ua_profiles_free (UaProfiles *profiles);
const char *ua_profiles_path (UaProfiles *profiles);

/* Called after every change of the table, with the name of the profile
 * added, replaced or removed, or NULL after a (re)load, when any may have
 * changed. */
typedef void (*UaProfilesChanged) (UaProfiles *profiles, const char *name,
                                   gpointer user_data);
void ua_profiles_set_changed_func (UaProfiles *profiles, UaProfilesChanged func,
                                   gpointer user_data);

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

UaProfile *ua_profile_new (const char *name, UaKind type);
void ua_profile_free (UaProfile *profile);
/* The raw setting, NULL when unset or empty. */
const char *ua_profile_get (const UaProfile *profile, const char *key);
/* Changes a setting; call ua_profile_parse() before the profile is used. */
void ua_profile_set (UaProfile *profile, const char *key, const char *value);
/* Fills the typed fields from the settings.  A profile that cannot mint
 * (a required setting missing, an identity URL that cannot be derived)
 * keeps the reason in ->invalid; the table keeps such a profile so that
 * `list` shows it, and every use answers with that reason. */
void ua_profile_parse (UaProfile *profile);
/* Same name, type and settings: the same credential. */
gboolean ua_profile_equal (const UaProfile *a, const UaProfile *b);

/* The store item the kind's secret is kept in, or NULL when the profile
 * keeps none there: a kind without a secret, or one read from a file. */
const char *ua_profile_stored_secret (const UaProfile *profile);
/* Whether the profile keeps anything in the agent's store (the keyring):
 * a stored secret, or an authorization-code profile's refresh token. */
gboolean ua_profile_uses_store (const UaProfile *profile);
/* Whether the kind's secret is itself the bearer token: a PAT, or an
 * API key that is not exchanged. */
gboolean ua_profile_token_is_secret (const UaProfile *profile);
/* Whether the agent needs its store for @profiles: some profile uses it,
 * or there is none yet (the first `add` will likely want it). */
gboolean ua_profiles_use_store (UaProfiles *profiles);

gboolean ua_profile_name_valid (const char *name);
gboolean ua_profile_type_from_string (const char *str, UaKind *out);
const char *ua_profile_type_to_string (UaKind type);
/* Whether @key may be set on a profile through `add`. */
gboolean ua_profile_setting_known (const char *key);
/* The keyring item kind the profile's secret is kept in, or NULL for a
 * profile that keeps none (proto/kinds.h). */
const char *ua_profile_secret_kind (const UaProfile *profile);
/* FALSE with ->invalid copied into @error for a profile that cannot mint. */
gboolean ua_profile_validate (const UaProfile *profile, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UaProfile, ua_profile_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UaProfiles, ua_profiles_free)

UaProfile *ua_profile_copy (const UaProfile *profile);
