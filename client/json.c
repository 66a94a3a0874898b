#include "json.h"

#include <stdbool.h>
#include <string.h>

/* Longest key compared with the one asked for; longer keys never match. */
#define KEY_MAX 64

typedef struct {
  const char *s;
  size_t len, pos;
} Parser;

/* Where a decoded string goes: nowhere (a value we skip), or a buffer. */
typedef struct {
  char *buf;
  size_t size, len;
  bool overflow, bad_char;
} Sink;

static void
skip_ws (Parser *p)
{
  while (p->pos < p->len && strchr (" \t\n\r", p->s[p->pos]) != NULL && p->s[p->pos])
    p->pos++;
}

static bool
eat (Parser *p, char c)
{
  if (p->pos < p->len && p->s[p->pos] == c)
    {
      p->pos++;
      return true;
    }
  return false;
}

static void
put (Sink *out, unsigned char c)
{
  if (out == NULL)
    return;
  if (c < 0x20)
    out->bad_char = true;
  if (out->len + 1 >= out->size)
    out->overflow = true;
  else
    out->buf[out->len++] = (char) c;
}

static void
put_utf8 (Sink *out, unsigned long cp)
{
  if (cp < 0x80)
    put (out, (unsigned char) cp);
  else if (cp < 0x800)
    {
      put (out, (unsigned char) (0xc0 | cp >> 6));
      put (out, (unsigned char) (0x80 | (cp & 0x3f)));
    }
  else if (cp < 0x10000)
    {
      put (out, (unsigned char) (0xe0 | cp >> 12));
      put (out, (unsigned char) (0x80 | (cp >> 6 & 0x3f)));
      put (out, (unsigned char) (0x80 | (cp & 0x3f)));
    }
  else
    {
      put (out, (unsigned char) (0xf0 | cp >> 18));
      put (out, (unsigned char) (0x80 | (cp >> 12 & 0x3f)));
      put (out, (unsigned char) (0x80 | (cp >> 6 & 0x3f)));
      put (out, (unsigned char) (0x80 | (cp & 0x3f)));
    }
}

static bool
hex4 (Parser *p, unsigned long *out)
{
  *out = 0;
  if (p->len - p->pos < 4)
    return false;
  for (int i = 0; i < 4; i++)
    {
      char c = p->s[p->pos++];
      int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (v < 0)
        return false;
      *out = *out << 4 | (unsigned long) v;
    }
  return true;
}

/* \uXXXX, and its low half when it is a high surrogate. */
static bool
unicode_escape (Parser *p, Sink *out)
{
  unsigned long cp, lo;

  if (!hex4 (p, &cp))
    return false;
  if (cp >= 0xd800 && cp <= 0xdbff && p->len - p->pos >= 6 &&
      p->s[p->pos] == '\\' && p->s[p->pos + 1] == 'u')
    {
      size_t save = p->pos;
      p->pos += 2;
      if (!hex4 (p, &lo))
        return false;
      if (lo >= 0xdc00 && lo <= 0xdfff)
        {
          put_utf8 (out, 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00));
          return true;
        }
      p->pos = save;
    }
  if (cp >= 0xd800 && cp <= 0xdfff)
    {
      if (out != NULL)
        out->bad_char = true;
      return true;
    }
  put_utf8 (out, cp);
  return true;
}

static bool
escape (Parser *p, Sink *out)
{
  static const char from[] = "\"\\/bfnrt";
  static const char to[] = "\"\\/\b\f\n\r\t";
  const char *hit;

  if (p->pos >= p->len)
    return false;
  if (p->s[p->pos] == 'u')
    {
      p->pos++;
      return unicode_escape (p, out);
    }
  hit = p->s[p->pos] ? strchr (from, p->s[p->pos]) : NULL;
  if (hit == NULL)
    return false;
  p->pos++;
  put (out, (unsigned char) to[hit - from]);
  return true;
}

/* A string at p->pos (its opening quote), decoded into @out if given. */
static bool
string (Parser *p, Sink *out)
{
  if (!eat (p, '"'))
    return false;
  while (p->pos < p->len)
    {
      unsigned char c = (unsigned char) p->s[p->pos++];

      if (c == '"')
        {
          if (out != NULL)
            out->buf[out->len] = '\0';
          return true;
        }
      if (c < 0x20)
        return false; /* raw control characters are not JSON */
      if (c != '\\')
        put (out, c);
      else if (!escape (p, out))
        return false;
    }
  return false;
}

static bool
digits (Parser *p)
{
  size_t start = p->pos;

  while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
    p->pos++;
  return p->pos > start;
}

static bool
number (Parser *p)
{
  eat (p, '-');
  if (eat (p, '0'))
    ;
  else if (p->pos >= p->len || p->s[p->pos] < '1' || p->s[p->pos] > '9' || !digits (p))
    return false;
  if (eat (p, '.') && !digits (p))
    return false;
  if (eat (p, 'e') || eat (p, 'E'))
    {
      if (!eat (p, '+'))
        eat (p, '-');
      return digits (p);
    }
  return true;
}

static bool
literal (Parser *p, const char *word)
{
  size_t n = strlen (word);

  if (p->len - p->pos < n || memcmp (p->s + p->pos, word, n) != 0)
    return false;
  p->pos += n;
  return true;
}

static bool value (Parser *p, int depth);

static bool
array (Parser *p, int depth)
{
  p->pos++; /* [ */
  skip_ws (p);
  if (eat (p, ']'))
    return true;
  do
    {
      if (!value (p, depth))
        return false;
      skip_ws (p);
    }
  while (eat (p, ','));
  return eat (p, ']');
}

/* The members of an object after its '{'; for the top level (@want not
 * NULL), the value of member @want goes to @found. */
static bool
members (Parser *p, int depth, const char *want, Sink *found, int *seen,
         bool *not_string)
{
  skip_ws (p);
  if (eat (p, '}'))
    return true;
  do
    {
      char keybuf[KEY_MAX + 1];
      Sink key = { keybuf, sizeof keybuf, 0, false, false };
      bool match;

      skip_ws (p);
      if (!string (p, want ? &key : NULL))
        return false;
      match = want && !key.overflow && key.len == strlen (want) &&
              memcmp (keybuf, want, key.len) == 0;
      skip_ws (p);
      if (!eat (p, ':'))
        return false;
      skip_ws (p);
      if (match && ++*seen == 1 && p->pos < p->len && p->s[p->pos] == '"')
        {
          if (!string (p, found))
            return false;
        }
      else
        {
          *not_string |= match;
          if (!value (p, depth))
            return false;
        }
      skip_ws (p);
    }
  while (eat (p, ','));
  return eat (p, '}');
}

static bool
value (Parser *p, int depth)
{
  int seen = 0;
  bool not_string = false;

  skip_ws (p);
  if (p->pos >= p->len || depth >= UA_JSON_DEPTH_MAX)
    return false;
  switch (p->s[p->pos])
    {
    case '{':
      p->pos++;
      return members (p, depth + 1, NULL, NULL, &seen, &not_string);
    case '[':
      return array (p, depth + 1);
    case '"':
      return string (p, NULL);
    case 't':
      return literal (p, "true");
    case 'f':
      return literal (p, "false");
    case 'n':
      return literal (p, "null");
    default:
      return number (p);
    }
}

UaJsonStatus
ua_json_object_string (const char *text, size_t len, const char *key,
                       char *out, size_t outsize, size_t *outlen)
{
  Parser p = { text, len, 0 };
  Sink found = { out, outsize, 0, false, false };
  bool not_string = false;
  int seen = 0;

  if (outsize == 0)
    return UA_JSON_TOO_LONG;
  out[0] = '\0';
  skip_ws (&p);
  if (!eat (&p, '{') || !members (&p, 1, key, &found, &seen, &not_string))
    return UA_JSON_MALFORMED;
  skip_ws (&p);
  if (p.pos != len || seen > 1)
    return UA_JSON_MALFORMED;
  if (seen == 0)
    return UA_JSON_ABSENT;
  if (not_string)
    return UA_JSON_NOT_STRING;
  if (found.overflow)
    return UA_JSON_TOO_LONG;
  if (found.bad_char)
    return UA_JSON_BAD_CHAR;
  *outlen = found.len;
  return UA_JSON_FOUND;
}

const char *
ua_json_status_string (UaJsonStatus status)
{
  static const char *const names[] = {
    "found", "absent", "not a string", "not one JSON object", "too long",
    "a control character",
  };

  return (unsigned) status < sizeof names / sizeof *names ? names[status] : "?";
}
