/* The `doctor` op: what the agent can see that the client cannot — the
 * keyring, the profiles file as it is on disk now, the clock, each
 * profile's secret and whether its identity server answers.  All checks
 * run at once; one reply when the last is done.  Secrets are looked up
 * to see that they are there and wiped at once; nothing secret is sent. */
#include "config.h"

#include <sys/timex.h>
#include <time.h>

#include "grant.h"
#include "handlers.h"
#include "http.h"
#include "store.h"
#include "reply.h"
#include "ua-error.h"

/* A doctor must answer quickly, even about a server that does not. */
#define PROBE_CONNECT_TIMEOUT_MS 5000
#define PROBE_TOTAL_TIMEOUT_MS 10000
/* A wall clock before this (2024-01-01) is certainly wrong. */
#define CLOCK_SANE_AFTER 1704067200

typedef struct Doctor Doctor;

typedef struct {
  Doctor *doctor;
  UaProfile *profile;  /* a copy */
  const char *secret;  /* ok, missing, error, none (types that store none) */
  char *secret_error;
  char *probe_url;
  char *probe_error;
  long http_status;
  gint64 started;
  gint64 latency_ms;
} Check;

struct Doctor {
  UaAgent *agent;
  UaConn *conn;
  gboolean probe;
  guint pending;
  const char *keyring;
  char *keyring_error;
  GPtrArray *checks;   /* of Check */
};

static void
check_free (Check *c)
{
  ua_profile_free (c->profile);
  g_free (c->secret_error);
  g_free (c->probe_url);
  g_free (c->probe_error);
  g_free (c);
}

static void
add_indexed (UaMsg *reply, guint i, const char *key, const char *value)
{
  g_autofree char *k = g_strdup_printf ("profile.%u.%s", i, key);

  ua_reply_add (reply, k, value);
}

static void
add_indexed_int (UaMsg *reply, guint i, const char *key, gint64 value)
{
  g_autofree char *k = g_strdup_printf ("profile.%u.%s", i, key);

  ua_reply_add_int (reply, k, value);
}

static void
add_check (UaMsg *reply, guint i, const Check *c)
{
  add_indexed (reply, i, "name", c->profile->name);
  add_indexed (reply, i, "type", ua_profile_type_to_string (c->profile->type));
  add_indexed (reply, i, "secret", c->secret);
  add_indexed (reply, i, "secret_error", c->secret_error);
  add_indexed (reply, i, "probe_url", c->probe_url);
  if (c->probe_error != NULL)
    {
      add_indexed (reply, i, "reachable", "0");
      add_indexed (reply, i, "probe_error", c->probe_error);
    }
  else if (c->http_status != 0)
    {
      add_indexed (reply, i, "reachable", "1");
      add_indexed_int (reply, i, "http_status", c->http_status);
      add_indexed_int (reply, i, "latency_ms", c->latency_ms);
    }
}

/* The kernel's view: unsynchronised means no NTP client keeps it right. */
static void
add_clock (UaMsg *reply)
{
  struct timex tx = { 0 };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  int state = adjtimex (&tx);

  ua_reply_add_int (reply, "clock", now);
  if (now < CLOCK_SANE_AFTER)
    ua_reply_add (reply, "clock_state", "wrong");
  else if (state == TIME_ERROR || (tx.status & STA_UNSYNC))
    ua_reply_add (reply, "clock_state", "unsynchronized");
  else
    ua_reply_add (reply, "clock_state", "synchronized");
}

/* The profiles file as it is now, not as the agent last loaded it. */
static void
add_config (UaMsg *reply, UaAgent *agent)
{
  const char *path = ua_profiles_path (agent->profiles);
  g_autoptr(UaProfiles) fresh = NULL;
  g_autoptr(GError) error = NULL;

  ua_reply_add (reply, "config", path);
  if (ua_store_in_memory (agent->store))
    return;
  fresh = ua_profiles_new (path);
  if (!ua_profiles_load (fresh, &error))
    ua_reply_add (reply, "config_error", error->message);
}

static void
doctor_finish (Doctor *d)
{
  UaMsg *reply = ua_reply_ok ();

  ua_reply_add (reply, "agent_version", UA_VERSION);
  ua_reply_add (reply, "keyring", d->keyring);
  ua_reply_add (reply, "keyring_error", d->keyring_error);
  add_config (reply, d->agent);
  add_clock (reply);
  ua_reply_add_int (reply, "count", d->checks->len);
  for (guint i = 0; i < d->checks->len; i++)
    add_check (reply, i, d->checks->pdata[i]);
  ua_conn_reply (d->conn, reply);

  ua_conn_unref (d->conn);
  g_ptr_array_unref (d->checks);
  g_free (d->keyring_error);
  d->agent->busy--;
  g_free (d);
}

static void
done_one (Doctor *d)
{
  if (--d->pending == 0)
    doctor_finish (d);
}

static void
probe_done (GObject *source, GAsyncResult *res, gpointer data)
{
  Check *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(UaHttpResponse) response = ua_http_perform_finish (res, &error);

  if (response == NULL)
    c->probe_error = g_strdup (error->message);
  else
    {
      c->http_status = response->status;
      c->latency_ms = (g_get_monotonic_time () - c->started) / 1000;
    }
  done_one (c->doctor);
}

/* Where the profile's tokens come from: the identity server, or for a PAT
 * (which is its own token) and a password the service itself. */
static char *
probe_url (const UaProfile *p, GError **error)
{
  switch (p->type)
    {
    case UA_KIND_API_KEY:
      return g_strdup (UA_GRANT_API_KEY_URL "/.well-known/openid-configuration");
    case UA_KIND_PAT:
    case UA_KIND_PASSWORD:
      return g_strdup (p->url);
    case UA_KIND_CLIENT_CREDENTIALS:
    case UA_KIND_AUTHORIZATION_CODE:
    default:
      if (p->invalid != NULL)
        g_propagate_error (error, g_error_copy (p->invalid));
      if (p->identity_base == NULL)
        return NULL;
      return g_strconcat (p->identity_base, "/.well-known/openid-configuration", NULL);
    }
}

static void
start_probe (Check *c)
{
  g_autoptr(GError) error = NULL;
  UaHttpRequest *request;

  c->probe_url = probe_url (c->profile, &error);
  if (c->probe_url == NULL)
    {
      if (error != NULL)
        c->probe_error = g_strdup (error->message);
      return;
    }
  if (!ua_http_url_allowed (c->probe_url, &error))
    {
      c->probe_error = g_strdup (error->message);
      return;
    }
  request = ua_http_request_new (c->probe_url);
  request->connect_timeout_ms = PROBE_CONNECT_TIMEOUT_MS;
  request->total_timeout_ms = PROBE_TOTAL_TIMEOUT_MS;
  c->started = g_get_monotonic_time ();
  c->doctor->pending++;
  ua_http_perform_async (request, NULL, probe_done, c);
}

static void
secret_done (GObject *source, GAsyncResult *res, gpointer data)
{
  Check *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(UaSecret) secret = ua_store_lookup_finish (res, &error);

  if (error != NULL)
    {
      c->secret = "error";
      c->secret_error = g_strdup (error->message);
    }
  else
    c->secret = secret != NULL ? "ok" : "missing";
  done_one (c->doctor);
}

static void
start_profile (Doctor *d, const UaProfile *profile)
{
  Check *c = g_new0 (Check, 1);
  const char *kind = ua_profile_secret_kind (profile);

  c->doctor = d;
  c->profile = ua_profile_copy (profile);
  g_ptr_array_add (d->checks, c);
  if (kind == NULL)
    c->secret = "none";
  else if (g_str_equal (d->keyring, "ok") || g_str_equal (d->keyring, "memory"))
    {
      d->pending++;
      ua_store_lookup_async (d->agent->store, profile->name, kind, NULL, secret_done, c);
    }
  else
    c->secret = "unknown";
  if (d->probe)
    start_probe (c);
}

static void
keyring_checked (GObject *source, GAsyncResult *res, gpointer data)
{
  Doctor *d = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;

  if (!ua_store_check_finish (d->agent->store, res, &d->keyring, &error))
    d->keyring_error = g_strdup (error->message);
  list = ua_profiles_list (d->agent->profiles);
  for (guint i = 0; i < list->len; i++)
    start_profile (d, list->pdata[i]);
  done_one (d);
}

void
ua_handle_doctor (UaAgent *agent, UaConn *conn, const UaMsg *request)
{
  Doctor *d = g_new0 (Doctor, 1);
  const char *probe = ua_msg_get (request, "probe");

  d->agent = agent;
  d->conn = ua_conn_ref (conn);
  d->probe = probe == NULL || ua_msg_get_bool (request, "probe");
  d->checks = g_ptr_array_new_with_free_func ((GDestroyNotify) check_free);
  /* One for the keyring check, released when it has started the rest. */
  d->pending = 1;
  agent->busy++;
  ua_store_check_async (agent->store, NULL, keyring_checked, d);
}
