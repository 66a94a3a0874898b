#include "config.h"

#include "handlers.h"
#include "profile-txn.h"
#include "reply.h"
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
} AddCall;

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

static gboolean
check_secret (const UaProfile *profile, const char *secret, GError **error)
{
  gboolean needs = ua_profile_secret_kind (profile) != NULL;
  const char *which = profile->confidential ? "confidential " : "";

  if (needs && (secret == NULL || *secret == '\0'))
    {
      g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                   "%sprofile \"%s\" of type %s needs a secret on standard input",
                   which, profile->name, profile->kind->name);
      return FALSE;
    }
  if (!needs && secret != NULL && *secret != '\0')
    {
      g_set_error (error, UA_ERROR, UA_ERR_INVALID_ARGUMENT,
                   "profile \"%s\" of type %s takes no secret at add time%s",
                   profile->name, profile->kind->name,
                   profile->type == UA_KIND_AUTHORIZATION_CODE
                   ? " (a confidential app's client secret needs --confidential)" : "");
      return FALSE;
    }
  return TRUE;
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
      g_message ("profile %s added (%s)", call->name, ua_profile_type_to_string (call->type));
      reply = ua_reply_ok ();
      ua_reply_add (reply, "profile", call->name);
      if (call->type == UA_KIND_API_KEY)
        ua_reply_add (reply, "warning", API_KEY_WARNING);
      if (call->type == UA_KIND_PASSWORD)
        ua_reply_add (reply, "warning", PASSWORD_WARNING);
    }
  ua_conn_reply (call->conn, reply);
  ua_conn_unref (call->conn);
  g_free (call->name);
  g_free (call);
}

void
ua_handle_add (UaAgent *agent, UaConn *conn, const UaMsg *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UaProfile) profile = profile_from_request (request, &error);
  const char *secret = ua_msg_get (request, "secret");
  AddCall *call;

  if (profile == NULL || !check_secret (profile, secret, &error))
    {
      ua_conn_reply (conn, ua_reply_from_gerror (error));
      return;
    }
  call = g_new0 (AddCall, 1);
  call->conn = ua_conn_ref (conn);
  call->name = g_strdup (profile->name);
  call->type = profile->type;
  ua_profile_txn_add_async (agent->profiles, agent->store, g_steal_pointer (&profile),
                            ua_profile_secret_kind (profile) ? ua_secret_new_str (secret) : NULL,
                            ua_msg_get_bool (request, "replace"), added, call);
}
