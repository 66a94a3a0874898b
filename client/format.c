#include "format.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"

/* Keys whose values JSON output gives as numbers or booleans. */
static const char *const number_keys[] = {
  "expires_in", "expires_at", "pid", "uptime", "count", "mints", "hits", "waits",
  "refreshed_at", "time", "uid",
};
/* Of each caller (profile.I.caller.J.KEY), in the order they are shown. */
static const char *const caller_keys[] = {
  "time", "count", "op", "socket", "pid", "uid", "exe", "comm",
};
/* "1" and "0" become true and false; any other value stays a string
 * (signed_in is "unknown" when the keyring cannot say). */
static const char *const bool_keys[] = { "cached", "signed_in" };

/* Parses "profile.I.KEY": returns KEY and sets @index, or NULL. */
static const char *
split_key (const char *key, size_t *index)
{
  char *end;
  unsigned long long i;

  if (strncmp (key, "profile.", 8) != 0 || key[8] < '0' || key[8] > '9')
    return NULL;
  errno = 0;
  i = strtoull (key + 8, &end, 10);
  if (errno != 0 || *end != '.' || end[1] == '\0')
    return NULL;
  *index = (size_t) i;
  return end + 1;
}

static size_t
profile_count (const UaMsg *reply)
{
  size_t fields = ua_msg_count (reply), max = 0, index;
  long long count;

  if (ua_msg_get_int (reply, "count", &count) && count >= 0 && (size_t) count <= fields)
    return (size_t) count;
  for (size_t i = 0; i < fields; i++)
    if (split_key (ua_msg_key (reply, i), &index) && index < fields && index >= max)
      max = index + 1;
  return max;
}

int
ua_format_profiles (const UaMsg *reply, UaProfileList *list)
{
  size_t n = profile_count (reply), fields = ua_msg_count (reply), index, used = 0;
  const char *key;

  *list = (UaProfileList) { 0 };
  if (n == 0)
    return 0;
  list->profiles = calloc (n, sizeof *list->profiles);
  list->storage = calloc (fields, sizeof *list->storage);
  if (list->profiles == NULL || list->storage == NULL)
    {
      ua_format_profiles_clear (list);
      return -1;
    }
  list->n = n;
  for (size_t i = 0; i < fields; i++)
    if ((key = split_key (ua_msg_key (reply, i), &index)) && index < n)
      list->profiles[index].n++;
  for (size_t p = 0; p < n; p++)
    {
      list->profiles[p].fields = list->storage + used;
      used += list->profiles[p].n;
      list->profiles[p].n = 0;
    }
  for (size_t i = 0; i < fields; i++)
    if ((key = split_key (ua_msg_key (reply, i), &index)) && index < n)
      {
        UaProfileView *pv = &list->profiles[index];
        pv->fields[pv->n++] = (UaField) { key, ua_msg_value (reply, i) };
        if (strcmp (key, "name") == 0 && pv->name == NULL)
          pv->name = ua_msg_value (reply, i);
      }
  return 0;
}

void
ua_format_profiles_clear (UaProfileList *list)
{
  free (list->profiles);
  free (list->storage);
  *list = (UaProfileList) { 0 };
}

const char *
ua_format_field (const UaProfileView *profile, const char *key)
{
  for (size_t i = 0; i < profile->n; i++)
    if (strcmp (profile->fields[i].key, key) == 0)
      return profile->fields[i].value;
  return NULL;
}

void
ua_format_duration (long long s, char *buf, size_t size)
{
  if (s < 0)
    s = -s;
  if (s < 60)
    snprintf (buf, size, "%llds", s);
  else if (s < 3600)
    snprintf (buf, size, "%lldm %02llds", s / 60, s % 60);
  else if (s < 86400)
    snprintf (buf, size, "%lldh %02lldm", s / 3600, s % 3600 / 60);
  else
    snprintf (buf, size, "%lldd %lldh", s / 86400, s % 86400 / 3600);
}

static bool
in (const char *key, const char *const *keys, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp (keys[i], key) == 0)
      return true;
  return false;
}

static bool
is_integer (const char *v)
{
  size_t i = v[0] == '-' ? 1 : 0;

  if (v[i] == '\0' || strlen (v + i) > 18)
    return false;
  for (; v[i]; i++)
    if (v[i] < '0' || v[i] > '9')
      return false;
  return true;
}

static void
json_member (UaBuf *out, const char *indent, const char *key, const char *value, bool *first)
{
  ua_buf_append_str (out, *first ? "\n" : ",\n");
  *first = false;
  ua_buf_append_str (out, indent);
  ua_shell_quote (UA_SHELL_JSON, key, strlen (key), out);
  ua_buf_append_str (out, ": ");
  if (in (key, number_keys, sizeof number_keys / sizeof *number_keys) && is_integer (value))
    ua_buf_append_str (out, value);
  else if (in (key, bool_keys, sizeof bool_keys / sizeof *bool_keys)
           && (strcmp (value, "1") == 0 || strcmp (value, "0") == 0))
    ua_buf_append_str (out, strcmp (value, "1") == 0 ? "true" : "false");
  else
    ua_shell_quote (UA_SHELL_JSON, value, strlen (value), out);
}

/* "callers" and "caller.J.KEY" become one array of objects. */
static bool
is_caller_key (const char *key)
{
  return strcmp (key, "callers") == 0 || strncmp (key, "caller.", 7) == 0;
}

static const char *
caller_field (const UaProfileView *pv, size_t j, const char *key)
{
  char k[64];

  snprintf (k, sizeof k, "caller.%zu.%s", j, key);
  return ua_format_field (pv, k);
}

/* The number of callers the reply says it holds, never more than the
 * fields it has. */
static size_t
caller_count (const UaProfileView *pv)
{
  const char *v = ua_format_field (pv, "callers");
  unsigned long long n;

  if (v == NULL || !is_integer (v) || v[0] == '-')
    return 0;
  n = strtoull (v, NULL, 10);
  return n > pv->n ? pv->n : (size_t) n;
}

static void
json_callers (const UaProfileView *pv, const char *indent, UaBuf *out, bool *first)
{
  size_t n = caller_count (pv);
  char inner[48];

  snprintf (inner, sizeof inner, "%s    ", indent);
  ua_buf_printf (out, ",\n%s\"callers\": [", indent);
  *first = false;
  for (size_t j = 0; j < n; j++)
    {
      bool first_key = true;

      ua_buf_printf (out, "%s%s  {", j == 0 ? "\n" : ",\n", indent);
      for (size_t k = 0; k < sizeof caller_keys / sizeof *caller_keys; k++)
        {
          const char *v = caller_field (pv, j, caller_keys[k]);
          if (v != NULL)
            json_member (out, inner, caller_keys[k], v, &first_key);
        }
      ua_buf_printf (out, "\n%s  }", indent);
    }
  if (n > 0)
    ua_buf_printf (out, "\n%s", indent);
  ua_buf_append_char (out, ']');
}

static void
json_profiles (const UaProfileList *list, const char *indent, UaBuf *out)
{
  char inner[32];

  snprintf (inner, sizeof inner, "%s    ", indent);
  ua_buf_append_char (out, '[');
  for (size_t p = 0; p < list->n; p++)
    {
      const UaProfileView *pv = &list->profiles[p];
      bool first = true;

      ua_buf_append_str (out, p == 0 ? "\n" : ",\n");
      ua_buf_append_str (out, indent);
      ua_buf_append_str (out, "  {");
      json_member (out, inner, "name", pv->name ? pv->name : "", &first);
      for (size_t i = 0; i < pv->n; i++)
        if (strcmp (pv->fields[i].key, "name") != 0 && !is_caller_key (pv->fields[i].key))
          json_member (out, inner, pv->fields[i].key, pv->fields[i].value, &first);
      if (ua_format_field (pv, "callers") != NULL)
        json_callers (pv, inner, out, &first);
      ua_buf_printf (out, "\n%s  }", indent);
    }
  if (list->n > 0)
    ua_buf_printf (out, "\n%s", indent);
  ua_buf_append_char (out, ']');
}

static void
append_padded (UaBuf *out, const char *s, size_t width)
{
  size_t len = strlen (s);

  ua_buf_append_str (out, s);
  for (; len < width; len++)
    ua_buf_append_char (out, ' ');
}

static void
append_base_url (UaBuf *out, const UaProfileView *pv)
{
  const char *parts[] = { ua_format_field (pv, "url"),
                          ua_format_field (pv, "organization"),
                          ua_format_field (pv, "tenant") };

  if (parts[0] == NULL || parts[0][0] == '\0')
    {
      ua_buf_append_char (out, '-');
      return;
    }
  ua_buf_append (out, parts[0], strlen (parts[0]) - (parts[0][strlen (parts[0]) - 1] == '/'));
  for (size_t i = 1; i < 3 && parts[i] && parts[i][0]; i++)
    {
      ua_buf_append_char (out, '/');
      ua_buf_append_str (out, parts[i]);
    }
}

static const char *
name_of (const UaProfileView *pv)
{
  return pv->name ? pv->name : "?";
}

static const char *
type_of (const UaProfileView *pv)
{
  const char *type = ua_format_field (pv, "type");
  return type ? type : "?";
}

void
ua_format_list (const UaProfileList *list, bool json, UaBuf *out)
{
  size_t wname = 4, wtype = 4;

  if (json)
    {
      json_profiles (list, "", out);
      ua_buf_append_char (out, '\n');
      return;
    }
  for (size_t p = 0; p < list->n; p++)
    {
      size_t ln = strlen (name_of (&list->profiles[p]));
      size_t lt = strlen (type_of (&list->profiles[p]));
      wname = ln > wname ? ln : wname;
      wtype = lt > wtype ? lt : wtype;
    }
  append_padded (out, "NAME", wname + 2);
  append_padded (out, "TYPE", wtype + 2);
  ua_buf_append_str (out, "URL\n");
  for (size_t p = 0; p < list->n; p++)
    {
      append_padded (out, name_of (&list->profiles[p]), wname + 2);
      append_padded (out, type_of (&list->profiles[p]), wtype + 2);
      append_base_url (out, &list->profiles[p]);
      ua_buf_append_char (out, '\n');
    }
}

static void
format_when (time_t t, char *buf, size_t size)
{
  struct tm tm;

  if (localtime_r (&t, &tm) == NULL || strftime (buf, size, "%Y-%m-%d %H:%M:%S %Z", &tm) == 0)
    snprintf (buf, size, "@%lld", (long long) t);
}

static void
status_token_line (const UaProfileView *pv, time_t now, UaBuf *out)
{
  const char *cached = ua_format_field (pv, "cached");
  const char *in_s = ua_format_field (pv, "expires_in");
  const char *at_s = ua_format_field (pv, "expires_at");
  char when[64], left[32];
  long long secs, at;

  if (cached == NULL || strcmp (cached, "1") != 0)
    {
      ua_buf_append_str (out, "  token:      none cached\n");
      return;
    }
  if ((in_s == NULL || !is_integer (in_s)) && (at_s == NULL || !is_integer (at_s)))
    {
      ua_buf_append_str (out, "  token:      cached, no expiry known\n");
      return;
    }
  secs = in_s && is_integer (in_s) ? atoll (in_s) : atoll (at_s) - (long long) now;
  at = at_s && is_integer (at_s) ? atoll (at_s) : (long long) now + secs;
  format_when ((time_t) at, when, sizeof when);
  ua_format_duration (secs, left, sizeof left);
  if (secs > 0)
    ua_buf_printf (out, "  token:      expires %s (in %s)\n", when, left);
  else
    ua_buf_printf (out, "  token:      expired %s (%s ago)\n", when, left);
}

/* authorization-code profiles: whether a refresh token is stored, and
 * when the identity server last issued tokens for it. */
static void
status_signin_line (const UaProfileView *pv, time_t now, UaBuf *out)
{
  const char *signed_in = ua_format_field (pv, "signed_in");
  const char *at_s = ua_format_field (pv, "refreshed_at");
  char when[64], ago[32];

  if (signed_in == NULL)
    return;
  if (strcmp (signed_in, "0") == 0)
    {
      ua_buf_printf (out, "  sign-in:    not signed in (uipauth login %s)\n", name_of (pv));
      return;
    }
  if (strcmp (signed_in, "1") != 0)
    {
      ua_buf_append_str (out, "  sign-in:    unknown (the keyring cannot be asked; "
                         "see uipauth doctor)\n");
      return;
    }
  if (at_s == NULL || !is_integer (at_s))
    {
      ua_buf_append_str (out, "  sign-in:    signed in, not refreshed in this agent run\n");
      return;
    }
  format_when ((time_t) atoll (at_s), when, sizeof when);
  ua_format_duration ((long long) now - atoll (at_s), ago, sizeof ago);
  ua_buf_printf (out, "  sign-in:    signed in, last refreshed %s (%s ago)\n", when, ago);
}

/* The kernel keeps 15 bytes of a process's name. */
#define COMM_LEN 15

/* Whether @comm is what the kernel makes of @exe's own name: a name of its
 * own (git-credential-uipauth, a link to uipauth) is worth showing. */
static bool
comm_of_exe (const char *comm, const char *exe)
{
  const char *slash = strrchr (exe, '/');
  const char *base = slash ? slash + 1 : exe;
  size_t len = strlen (base) < COMM_LEN ? strlen (base) : COMM_LEN;

  return strlen (comm) == len && strncmp (comm, base, len) == 0;
}

/* What is known of a caller's program: its executable, and its name when
 * that says more; else its name alone. */
static void
append_program (UaBuf *out, const UaProfileView *pv, size_t j)
{
  const char *exe = caller_field (pv, j, "exe");
  const char *comm = caller_field (pv, j, "comm");

  if (exe != NULL)
    {
      ua_buf_append_str (out, exe);
      if (comm != NULL && !comm_of_exe (comm, exe))
        ua_buf_printf (out, " [%s]", comm);
    }
  else if (comm != NULL)
    ua_buf_printf (out, "[%s] (executable unknown)", comm);
  else
    ua_buf_append_str (out, "(executable unknown)");
}

static void
status_callers (const UaProfileView *pv, UaBuf *out)
{
  size_t n = caller_count (pv);

  if (ua_format_field (pv, "callers") == NULL)
    return;
  if (n == 0)
    {
      ua_buf_append_str (out, "  callers:    none recorded\n");
      return;
    }
  ua_buf_printf (out, "  callers:    %zu, newest first\n", n);
  for (size_t j = 0; j < n; j++)
    {
      const char *t = caller_field (pv, j, "time");
      const char *op = caller_field (pv, j, "op");
      const char *sock = caller_field (pv, j, "socket");
      const char *pid = caller_field (pv, j, "pid");
      const char *uid = caller_field (pv, j, "uid");
      const char *count = caller_field (pv, j, "count");
      char when[64] = "?";

      if (t != NULL && is_integer (t))
        format_when ((time_t) atoll (t), when, sizeof when);
      ua_buf_printf (out, "    %s  %s  %s socket  pid %s  uid %s  ", when,
                     op ? op : "?", sock ? sock : "?", pid ? pid : "?", uid ? uid : "?");
      append_program (out, pv, j);
      if (count != NULL && is_integer (count) && atoll (count) > 1)
        ua_buf_printf (out, "  (%s tokens in a row, the last at that time)", count);
      ua_buf_append_char (out, '\n');
    }
}

static void
status_text (const UaMsg *reply, const UaProfileList *list, time_t now, UaBuf *out)
{
  const char *pid = ua_msg_get (reply, "pid");
  const char *version = ua_msg_get (reply, "agent_version");
  const char *config = ua_msg_get (reply, "config");
  long long uptime;
  char up[32] = "?";

  if (ua_msg_get_int (reply, "uptime", &uptime))
    ua_format_duration (uptime, up, sizeof up);
  ua_buf_printf (out, "uipauth-agent: pid %s, version %s, up %s\n",
                 pid ? pid : "?", version ? version : "?", up);
  if (config != NULL)
    ua_buf_printf (out, "profiles:      %s\n", config);
  for (size_t p = 0; p < list->n; p++)
    {
      const UaProfileView *pv = &list->profiles[p];
      const char *state = ua_format_field (pv, "state");
      const char *error = ua_format_field (pv, "last_error");
      const char *source = ua_format_field (pv, "secret_source");

      ua_buf_printf (out, "%s (%s)\n", name_of (pv), type_of (pv));
      if (source != NULL && *source != '\0' && strcmp (source, "keyring") != 0)
        ua_buf_printf (out, "  secret:     %s\n", source);
      status_signin_line (pv, now, out);
      status_token_line (pv, now, out);
      ua_buf_printf (out, "  state:      %s\n", state && *state ? state : "?");
      if (error != NULL && *error != '\0')
        ua_buf_printf (out, "  last error: %s\n", error);
      status_callers (pv, out);
    }
}

static void
status_json (const UaMsg *reply, const UaProfileList *list, UaBuf *out)
{
  static const char *const agent_keys[][2] = {
    { "pid", "pid" }, { "agent_version", "version" }, { "uptime", "uptime" },
    { "config", "config" },
  };
  bool first = true;

  ua_buf_append_str (out, "{\n  \"agent\": {");
  for (size_t i = 0; i < sizeof agent_keys / sizeof *agent_keys; i++)
    {
      const char *v = ua_msg_get (reply, agent_keys[i][0]);
      if (v != NULL)
        json_member (out, "    ", agent_keys[i][1], v, &first);
    }
  ua_buf_append_str (out, first ? "},\n  \"profiles\": " : "\n  },\n  \"profiles\": ");
  json_profiles (list, "  ", out);
  ua_buf_append_str (out, "\n}\n");
}

void
ua_format_status (const UaMsg *reply, const UaProfileList *list, bool json,
                  time_t now, UaBuf *out)
{
  if (json)
    status_json (reply, list, out);
  else
    status_text (reply, list, now, out);
}
