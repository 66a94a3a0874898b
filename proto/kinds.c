#include "kinds.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const UaKindInfo kinds[UA_KIND_LAST_] = {
  [UA_KIND_PAT] = {
    .name = "pat", .secret = "pat", .secret_what = "Personal Access Token",
  },
  [UA_KIND_API_KEY] = {
    .name = "api-key", .secret = "api-key", .secret_what = "API key (user key)",
  },
  [UA_KIND_CLIENT_CREDENTIALS] = {
    .name = "client-credentials", .secret = "client-secret",
    .secret_what = "Client secret",
    .required = { "client_id", "url|identity_url" },
  },
  [UA_KIND_AUTHORIZATION_CODE] = {
    .name = "authorization-code", .secret = "client-secret",
    .secret_if = "confidential", .secret_what = "Client secret",
    .required = { "client_id", "url|identity_url" },
  },
  [UA_KIND_PASSWORD] = {
    .name = "password", .secret = "password", .secret_what = "Password",
    .required = { "username", "url" },
    .opt_in = "allow_password",
  },
};

const UaKindInfo *
ua_kind_info (UaKind kind)
{
  return (unsigned) kind < UA_KIND_LAST_ ? &kinds[kind] : NULL;
}

bool
ua_kind_from_name (const char *name, UaKind *out)
{
  for (int i = 0; name != NULL && i < UA_KIND_LAST_; i++)
    if (strcmp (kinds[i].name, name) == 0)
      {
        *out = (UaKind) i;
        return true;
      }
  return false;
}

static bool
is_set (UaKindGetter get, void *data, const char *key)
{
  const char *v = get (key, data);

  return v != NULL && *v != '\0';
}

/* "client_id" -> "--client-id" appended to @buf. */
static void
append_option (char *buf, size_t buflen, const char *key, size_t keylen)
{
  size_t n = strlen (buf);

  if (n + 2 + keylen + 1 > buflen)
    return;
  memcpy (buf + n, "--", 2);
  for (size_t i = 0; i < keylen; i++)
    buf[n + 2 + i] = key[i] == '_' ? '-' : key[i];
  buf[n + 2 + keylen] = '\0';
}

/* Whether one of the keys of "a|b" is set; else their options in @buf. */
static bool
alternative_met (const char *alternatives, UaKindGetter get, void *data,
                 char *buf, size_t buflen)
{
  char key[64];

  buf[0] = '\0';
  for (const char *p = alternatives; *p != '\0';)
    {
      size_t len = strcspn (p, "|");

      if (len < sizeof key)
        {
          memcpy (key, p, len);
          key[len] = '\0';
          if (is_set (get, data, key))
            return true;
          if (buf[0] != '\0' && strlen (buf) + 4 < buflen)
            strcat (buf, " or ");
          append_option (buf, buflen, p, len);
        }
      p += len + (p[len] == '|');
    }
  return false;
}

const char *
ua_kind_missing (const UaKindInfo *info, UaKindGetter get, void *data,
                 char *buf, size_t buflen)
{
  if (buflen == 0)
    return NULL;
  for (int i = 0; i < UA_KIND_MAX_REQUIRED && info->required[i] != NULL; i++)
    if (!alternative_met (info->required[i], get, data, buf, buflen))
      return buf;
  if (info->opt_in != NULL && !ua_bool_true (get (info->opt_in, data)))
    {
      buf[0] = '\0';
      append_option (buf, buflen, info->opt_in, strlen (info->opt_in));
      return buf;
    }
  return NULL;
}

const char *
ua_kind_secret (const UaKindInfo *info, UaKindGetter get, void *data)
{
  if (info->secret_if != NULL && !ua_bool_true (get (info->secret_if, data)))
    return NULL;
  return info->secret;
}

bool
ua_bool_parse (const char *value, bool *out)
{
  static const char *const yes[] = { "true", "yes", "1" };
  static const char *const no[] = { "false", "no", "0" };

  for (size_t i = 0; value != NULL && i < 3; i++)
    {
      if (strcasecmp (value, yes[i]) == 0)
        return *out = true, true;
      if (strcasecmp (value, no[i]) == 0)
        return *out = false, true;
    }
  return false;
}

bool
ua_bool_true (const char *value)
{
  bool b = false;

  return ua_bool_parse (value, &b) && b;
}
