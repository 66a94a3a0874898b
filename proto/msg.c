#include "msg.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "secret.h"

typedef struct {
  char *key;
  char *value;
  size_t value_len;
} Field;

struct UaMsg {
  Field *fields;
  size_t n;
  size_t alloc;
};

UaMsg *
ua_msg_new (void)
{
  return calloc (1, sizeof (UaMsg));
}

void
ua_msg_free (UaMsg *msg)
{
  if (msg == NULL)
    return;
  for (size_t i = 0; i < msg->n; i++)
    {
      free (msg->fields[i].key);
      ua_wipe (msg->fields[i].value, msg->fields[i].value_len);
      free (msg->fields[i].value);
    }
  free (msg->fields);
  free (msg);
}

bool
ua_msg_key_valid (const char *key, size_t len)
{
  if (len == 0 || len > UA_MSG_KEY_MAX)
    return false;
  for (size_t i = 0; i < len; i++)
    {
      char c = key[i];
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '_' || c == '.' || c == '-'))
        return false;
    }
  return true;
}

bool
ua_msg_value_valid (const char *value, size_t len)
{
  for (size_t i = 0; i < len; i++)
    if (value[i] == '\r' || value[i] == '\n' || value[i] == '\0')
      return false;
  return true;
}

static UaMsgStatus
grow (UaMsg *msg)
{
  size_t alloc;
  Field *f;

  if (msg->n < msg->alloc)
    return UA_MSG_OK;
  if (msg->n >= UA_MSG_FIELDS_MAX)
    return UA_MSG_TOO_MANY;
  alloc = msg->alloc ? msg->alloc * 2 : 8;
  f = realloc (msg->fields, alloc * sizeof (Field));
  if (f == NULL)
    return UA_MSG_ENOMEM;
  msg->fields = f;
  msg->alloc = alloc;
  return UA_MSG_OK;
}

static UaMsgStatus
add_checked (UaMsg *msg, const char *key, size_t key_len,
             const char *value, size_t value_len)
{
  UaMsgStatus st;
  Field *f;

  if (!ua_msg_key_valid (key, key_len))
    return UA_MSG_BAD_KEY;
  if (!ua_msg_value_valid (value, value_len))
    return UA_MSG_BAD_VALUE;
  if ((st = grow (msg)) != UA_MSG_OK)
    return st;

  f = &msg->fields[msg->n];
  f->key = strndup (key, key_len);
  f->value = malloc (value_len + 1);
  if (f->key == NULL || f->value == NULL)
    {
      free (f->key);
      free (f->value);
      return UA_MSG_ENOMEM;
    }
  memcpy (f->value, value, value_len);
  f->value[value_len] = '\0';
  f->value_len = value_len;
  msg->n++;
  return UA_MSG_OK;
}

UaMsgStatus
ua_msg_add_len (UaMsg *msg, const char *key, const char *value, size_t value_len)
{
  return add_checked (msg, key, strlen (key), value, value_len);
}

UaMsgStatus
ua_msg_add (UaMsg *msg, const char *key, const char *value)
{
  return ua_msg_add_len (msg, key, value ? value : "", value ? strlen (value) : 0);
}

/* Every reply carries a few integers, and snprintf() cost more than all
 * the rest of adding a field. */
UaMsgStatus
ua_msg_add_int (UaMsg *msg, const char *key, long long value)
{
  char buf[24], *p = buf + sizeof buf;
  unsigned long long u = value < 0 ? 0ULL - (unsigned long long) value
                                   : (unsigned long long) value;

  do
    *--p = (char) ('0' + u % 10);
  while ((u /= 10) != 0);
  if (value < 0)
    *--p = '-';
  return ua_msg_add_len (msg, key, p, (size_t) (buf + sizeof buf - p));
}

UaMsgStatus
ua_msg_set (UaMsg *msg, const char *key, const char *value)
{
  size_t len = value ? strlen (value) : 0;
  char *copy;

  for (size_t i = 0; i < msg->n; i++)
    {
      Field *f = &msg->fields[i];
      if (strcmp (f->key, key) != 0)
        continue;
      if (!ua_msg_value_valid (value ? value : "", len))
        return UA_MSG_BAD_VALUE;
      copy = malloc (len + 1);
      if (copy == NULL)
        return UA_MSG_ENOMEM;
      memcpy (copy, value ? value : "", len);
      copy[len] = '\0';
      ua_wipe (f->value, f->value_len);
      free (f->value);
      f->value = copy;
      f->value_len = len;
      return UA_MSG_OK;
    }
  return ua_msg_add (msg, key, value);
}

const char *
ua_msg_get (const UaMsg *msg, const char *key)
{
  for (size_t i = 0; i < msg->n; i++)
    if (strcmp (msg->fields[i].key, key) == 0)
      return msg->fields[i].value;
  return NULL;
}

bool
ua_msg_get_int (const UaMsg *msg, const char *key, long long *out)
{
  const char *v = ua_msg_get (msg, key);
  char *end;
  long long n;

  if (v == NULL || *v == '\0')
    return false;
  errno = 0;
  n = strtoll (v, &end, 10);
  if (errno != 0 || *end != '\0')
    return false;
  *out = n;
  return true;
}

bool
ua_msg_get_bool (const UaMsg *msg, const char *key)
{
  const char *v = ua_msg_get (msg, key);

  return v != NULL && (strcmp (v, "1") == 0 || strcmp (v, "true") == 0 ||
                       strcmp (v, "yes") == 0);
}

size_t
ua_msg_count (const UaMsg *msg)
{
  return msg->n;
}

const char *
ua_msg_key (const UaMsg *msg, size_t i)
{
  return i < msg->n ? msg->fields[i].key : NULL;
}

const char *
ua_msg_value (const UaMsg *msg, size_t i)
{
  return i < msg->n ? msg->fields[i].value : NULL;
}

UaMsgStatus
ua_msg_decode (const uint8_t *payload, size_t len, UaMsg **out)
{
  const char *p = (const char *) payload;
  /* An empty payload may come as NULL: NULL + 0 is undefined behaviour. */
  const char *end = len > 0 ? p + len : p;
  UaMsg *msg;
  UaMsgStatus st = UA_MSG_OK;

  *out = NULL;
  if (len > 0 && p[len - 1] != '\n')
    return UA_MSG_BAD_LINE;
  msg = ua_msg_new ();
  if (msg == NULL)
    return UA_MSG_ENOMEM;

  while (p < end && st == UA_MSG_OK)
    {
      const char *nl = memchr (p, '\n', (size_t) (end - p));
      const char *eq = memchr (p, '=', (size_t) (nl - p));

      if (eq == NULL)
        st = memchr (p, '\0', (size_t) (nl - p)) ? UA_MSG_BAD_VALUE : UA_MSG_BAD_LINE;
      else
        st = add_checked (msg, p, (size_t) (eq - p), eq + 1, (size_t) (nl - eq - 1));
      p = nl + 1;
    }

  if (st != UA_MSG_OK)
    {
      ua_msg_free (msg);
      return st;
    }
  *out = msg;
  return UA_MSG_OK;
}

UaMsgStatus
ua_msg_encode (const UaMsg *msg, size_t max, uint8_t **out, size_t *out_len)
{
  size_t len = 0;
  uint8_t *buf, *p;

  for (size_t i = 0; i < msg->n; i++)
    len += strlen (msg->fields[i].key) + 1 + msg->fields[i].value_len + 1;
  if (len > max || len > UINT32_MAX)
    return UA_MSG_TOO_LARGE;

  buf = malloc (UA_FRAME_HEADER_LEN + len);
  if (buf == NULL)
    return UA_MSG_ENOMEM;
  ua_frame_put_header (buf, (uint32_t) len);
  p = buf + UA_FRAME_HEADER_LEN;
  for (size_t i = 0; i < msg->n; i++)
    {
      size_t kl = strlen (msg->fields[i].key);
      memcpy (p, msg->fields[i].key, kl);
      p += kl;
      *p++ = '=';
      memcpy (p, msg->fields[i].value, msg->fields[i].value_len);
      p += msg->fields[i].value_len;
      *p++ = '\n';
    }
  *out = buf;
  *out_len = UA_FRAME_HEADER_LEN + len;
  return UA_MSG_OK;
}

void
ua_msg_buffer_free (uint8_t *buf, size_t len)
{
  if (buf == NULL)
    return;
  ua_wipe (buf, len);
  free (buf);
}

const char *
ua_msg_status_to_string (UaMsgStatus status)
{
  switch (status)
    {
    case UA_MSG_OK: return "ok";
    case UA_MSG_ENOMEM: return "out of memory";
    case UA_MSG_BAD_KEY: return "invalid key";
    case UA_MSG_BAD_VALUE: return "CR, LF or NUL in a value";
    case UA_MSG_BAD_LINE: return "malformed line";
    case UA_MSG_TOO_MANY: return "too many fields";
    case UA_MSG_TOO_LARGE: return "message too large";
    default: return "unknown error";
    }
}
