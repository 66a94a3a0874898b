#include "config.h"

#include "handlers.h"
#include "profile-txn.h"
#include "reply.h"
#include "secret-file.h"
#include "ua-error.h"

#define API_KEY_WARNING \
  "UiPath ended support for API keys in March 2025; move to an external app " \
  "(\"uipauth add NAME --type client-credentials\") or a Personal Access Token"
#define PASSWORD_WARNING \
  "password profiles send your password to the server every 30 minutes; " \
  "prefer a Personal Access Token or an external app"

typedef struct {
  UaConn *conn;
  char *name;
  UaKind type;
  char *secret_file;  /* secret_source file: or credential:, or NULL */
  UaMsg *reply;       /* while the secret file is checked */
} AddCall;

static void
add_call_free (AddCall *call)
{
  ua_conn_unref (call->conn);
  g_free (call->name);
  g_free (call->secret_file);
  g_free (call);
}

static UaProfile *
profile_from_request (const UaMsg *request, GError **error)
{
  const char *name = ua_msg_get (request, "profile");
  const char *type_str = ua_msg_get (request, "type");
  g_autoptr(UaProfile) profile = NULL;
  UaKind type;

  if (!ua_profile_name_valid (name))
    {
      g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                   "\"%s\" is not a valid profile name: use 1 to 64 letters, "
                   "digits, _ . or -, not starting with . or -", name ? name : "");
      return NULL;
    }
  if (!ua_profile_type_from_string (type_str, &type))
    {
      g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                   "profile \"%s\": unknown type \"%s\"; use " UA_KIND_NAMES,
                   name, type_str ? type_str : "");
      return NULL;
    }
  profile = ua_profile_new (name, type);
  for (size_t i = 0; i < ua_msg_count (request); i++)
    if (ua_profile_setting_known (ua_msg_key (request, i)) && *ua_msg_value (request, i))
      ua_profile_set (profile, ua_msg_key (request, i), ua_msg_value (request, i));
  ua_profile_parse (profile);
  if (!ua_profile_validate (profile, error))
    return NULL;
  return g_steal_pointer (&profile);
}

/* An authorization-code profile stores no secret at add, except a
 * refresh token from a sign-in made elsewhere (`uipauth import`); only for
 * a new profile: replacing one retires its credential, which clears the
 * stored refresh token after this one would have been written. */
static gboolean
check_refresh_token (const UaProfile *profile, gboolean replace, GError **error)
{
  if (!replace)
    return TRUE;
  g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
               "profile \"%s\": a refresh token can only come with a new "
               "profile; remove the old one first (uipauth remove %s)",
               profile->name, profile->name);
  return FALSE;
}

static gboolean
check_secret (const UaProfile *profile, const char *secret, gboolean replace,
              GError **error)
{
  gboolean needs = ua_profile_stored_secret (profile) != NULL;
  gboolean given = secret != NULL && *secret != '\0';
  const char *which = profile->confidential ? "confidential " : "";

  if (needs && !given)
    {
      g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                   "%sprofile \"%s\" of type %s needs a secret on standard input",
                   which, profile->name, profile->kind->name);
      return FALSE;
    }
  if (!needs && given && profile->secret_file != NULL)
    {
      g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                   "profile \"%s\" reads its secret from %s (secret_source); "
                   "send none with add", profile->name, profile->secret_file);
      return FALSE;
    }
  if (!needs && given && profile->type == UA_KIND_AUTHORIZATION_CODE)
    return check_refresh_token (profile, replace, error);
  if (!needs && given)
    {
      g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                   "profile \"%s\" of type %s takes no secret at add time",
                   profile->name, profile->kind->name);
      return FALSE;
    }
  return TRUE;
}

/* Nothing refuses a secret file that is not there yet (systemd or
 * Kubernetes may put it there later), but the user hears of it now. */
static void
file_checked (GObject *source, GAsyncResult *res, gpointer data)
{
  AddCall *call = data;
  g_autoptr(GError) error = NULL;

  if (!ua_secret_file_check_finish (res, NULL, &error))
    {
      g_autofree char *warning = g_strdup_printf ("profile \"%s\" added, but "
                                                  "its secret cannot be read now: %s",
                                                  call->name, error->message);
      ua_reply_add (call->reply, "warning", warning);
    }
  ua_conn_reply (call->conn, call->reply);
  add_call_free (call);
}

static void
added (GObject *source, GAsyncResult *res, gpointer data)
{
  AddCall *call = data;
  g_autoptr(GError) error = NULL;
  UaMsg *reply;

  if (!ua_profile_txn_add_finish (res, &error))
    reply = ua_reply_from_gerror (error);
  else
    {
      g_message ("profile %s added (%s%s%s)", call->name,
                 ua_profile_type_to_string (call->type),
                 call->secret_file ? ", secret in " : "",
                 call->secret_file ? call->secret_file : "");
      reply = ua_reply_ok ();
      ua_reply_add (reply, "profile", call->name);
      if (call->type == UA_KIND_API_KEY)
        ua_reply_add (reply, "warning", API_KEY_WARNING);
      if (call->type == UA_KIND_PASSWORD)
        ua_reply_add (reply, "warning", PASSWORD_WARNING);
      if (call->secret_file != NULL)
        {
          call->reply = reply;
          ua_secret_file_check_async (call->secret_file, FALSE, NULL, file_checked, call);
          return;
        }
    }
  ua_conn_reply (call->conn, reply);
  add_call_free (call);
}

void
ua_handle_add (UaAgent *agent, UaConn *conn, const UaMsg *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UaProfile) profile = profile_from_request (request, &error);
  const char *secret = ua_msg_get (request, "secret");
  gboolean replace = ua_msg_get_bool (request, "replace");
  UaSecret *stored = NULL;
  AddCall *call;

  if (profile == NULL || !check_secret (profile, secret, replace, &error))
    {
      ua_conn_reply (conn, ua_reply_from_gerror (error));
      return;
    }
  call = g_new0 (AddCall, 1);
  call->conn = ua_conn_ref (conn);
  call->name = g_strdup (profile->name);
  call->type = profile->type;
  call->secret_file = g_strdup (profile->secret_file);
  /* check_secret() let through the kind's secret or a refresh token. */
  if (secret != NULL && *secret != '\0')
    stored = ua_secret_new_str (secret);
  ua_profile_txn_add_async (agent->profiles, agent->store, g_steal_pointer (&profile),
                            stored, replace, added, call);
}
