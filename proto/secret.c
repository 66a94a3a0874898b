#include "secret.h"

#include <stdlib.h>
#include <string.h>

struct UaSecret {
  size_t len;
  char data[]; /* len bytes, then a NUL */
};

static UaSecretFreeHook free_hook;
static void *free_hook_data;

void
ua_wipe (void *p, size_t len)
{
  if (p != NULL && len > 0)
    explicit_bzero (p, len);
}

void
ua_wipe_str (char *str)
{
  if (str == NULL)
    return;
  ua_wipe (str, strlen (str));
  free (str);
}

UaSecret *
ua_secret_new (const char *data, size_t len)
{
  UaSecret *s;

  if (len > ((size_t) -1) / 2)
    return NULL;
  s = malloc (sizeof (UaSecret) + len + 1);
  if (s == NULL)
    return NULL;
  s->len = len;
  if (len > 0)
    memcpy (s->data, data, len);
  s->data[len] = '\0';
  return s;
}

UaSecret *
ua_secret_new_str (const char *str)
{
  return ua_secret_new (str, strlen (str));
}

UaSecret *
ua_secret_copy (const UaSecret *secret)
{
  return secret ? ua_secret_new (secret->data, secret->len) : NULL;
}

void
ua_secret_free (UaSecret *secret)
{
  size_t total;

  if (secret == NULL)
    return;
  total = sizeof (UaSecret) + secret->len + 1;
  ua_wipe (secret, total);
  if (free_hook)
    free_hook ((const unsigned char *) secret, total, free_hook_data);
  free (secret);
}

const char *
ua_secret_get (const UaSecret *secret)
{
  return secret->data;
}

size_t
ua_secret_len (const UaSecret *secret)
{
  return secret->len;
}

void
ua_secret_set_free_hook (UaSecretFreeHook hook, void *user_data)
{
  free_hook = hook;
  free_hook_data = user_data;
}
