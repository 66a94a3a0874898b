#include "dotenv.h"

#include <string.h>

/* python-dotenv's classes: \s in its regular expressions, and the blanks
 * that are not line breaks. */
static bool
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool
is_blank (char c)
{
  return is_space (c) && c != '\n' && c != '\r';
}

typedef struct {
  const char *s;
  size_t len, pos;
} Reader;

static bool
more (const Reader *r)
{
  return r->pos < r->len;
}

static char
peek (const Reader *r)
{
  return more (r) ? r->s[r->pos] : '\0';
}

static void
skip_blanks (Reader *r)
{
  while (more (r) && is_blank (r->s[r->pos]))
    r->pos++;
}

/* Past a line break: \r\n, \n or \r. */
static void
skip_break (Reader *r)
{
  bool cr = peek (r) == '\r';

  r->pos += cr;
  if (peek (r) == '\n')
    r->pos++;
}

/* Past the rest of the line and its break. */
static void
skip_line (Reader *r)
{
  while (more (r) && peek (r) != '\n' && peek (r) != '\r')
    r->pos++;
  skip_break (r);
}

/* A line break or the end, after blanks; false if anything else follows. */
static bool
end_of_line (Reader *r)
{
  skip_blanks (r);
  if (!more (r))
    return true;
  if (peek (r) != '\n' && peek (r) != '\r')
    return false;
  skip_break (r);
  return true;
}

/* An optional comment: blanks, '#', the rest of the line. */
static void
skip_comment (Reader *r)
{
  size_t save = r->pos;

  skip_blanks (r);
  if (peek (r) != '#')
    {
      r->pos = save;
      return;
    }
  while (more (r) && peek (r) != '\n' && peek (r) != '\r')
    r->pos++;
}

static void
skip_export (Reader *r)
{
  if (r->len - r->pos > 7 && memcmp (r->s + r->pos, "export", 6) == 0 &&
      is_blank (r->s[r->pos + 6]))
    {
      r->pos += 6;
      skip_blanks (r);
    }
}

static bool
read_key (Reader *r, UaDotenvEntry *e)
{
  size_t start;

  if (peek (r) == '\'')
    {
      start = ++r->pos;
      while (more (r) && peek (r) != '\'')
        r->pos++;
      if (!more (r) || r->pos == start)
        {
          r->pos = start - 1; /* python-dotenv skips the line from there */
          return false;
        }
      e->key = r->s + start;
      e->key_len = r->pos++ - start;
      return true;
    }
  start = r->pos;
  while (more (r) && peek (r) != '=' && peek (r) != '#' && !is_space (peek (r)))
    r->pos++;
  e->key = r->s + start;
  e->key_len = r->pos - start;
  return e->key_len > 0;
}

/* A quoted value, as python-dotenv's '((?:\\'|[^'])*)' matches it: up to
 * the first @q not right after a backslash; with none, its expression
 * backtracks to the last backslash-quote, which then closes the value. */
static bool
read_quoted (Reader *r, UaDotenvEntry *e, char q)
{
  size_t start = ++r->pos, last_pair = 0;

  while (more (r) && peek (r) != q)
    if (peek (r) == '\\' && r->pos + 1 < r->len && r->s[r->pos + 1] == q)
      {
        last_pair = r->pos + 1;
        r->pos += 2;
      }
    else
      r->pos++;
  if (!more (r))
    {
      if (last_pair == 0)
        {
          r->pos = start - 1;
          return false;
        }
      r->pos = last_pair;
    }
  e->quote = q;
  e->value = r->s + start;
  e->value_len = r->pos++ - start;
  return true;
}

static void
read_unquoted (Reader *r, UaDotenvEntry *e)
{
  size_t start = r->pos;

  while (more (r) && peek (r) != '\n' && peek (r) != '\r')
    r->pos++;
  e->value = r->s + start;
  e->value_len = r->pos - start;
}

static bool
read_value (Reader *r, UaDotenvEntry *e)
{
  r->pos++; /* '=' */
  skip_blanks (r);
  if (peek (r) == '\'' || peek (r) == '"')
    return read_quoted (r, e, peek (r));
  read_unquoted (r, e);
  return true;
}

static size_t
line_start (const char *text, size_t pos)
{
  while (pos > 0 && text[pos - 1] != '\n' && text[pos - 1] != '\r')
    pos--;
  return pos;
}

static bool
read_binding (Reader *r, UaDotenvEntry *e)
{
  skip_export (r);
  if (!read_key (r, e))
    return false;
  skip_blanks (r);
  if (peek (r) == '=' && !read_value (r, e))
    return false;
  skip_comment (r);
  return end_of_line (r);
}

UaDotenvStatus
ua_dotenv_next (const char *text, size_t len, size_t *pos, UaDotenvEntry *e)
{
  Reader r = { text, len, *pos };

  for (;;)
    {
      while (more (&r) && is_space (peek (&r)))
        r.pos++;
      if (!more (&r))
        {
          *pos = r.pos;
          return UA_DOTENV_END;
        }
      if (peek (&r) != '#')
        break;
      skip_line (&r);
    }
  *e = (UaDotenvEntry) { .start = line_start (text, r.pos) };
  if (!read_binding (&r, e))
    {
      skip_line (&r);
      e->end = *pos = r.pos;
      return UA_DOTENV_BAD;
    }
  e->end = *pos = r.pos;
  return UA_DOTENV_ENTRY;
}

bool
ua_dotenv_key_is (const UaDotenvEntry *e, const char *key)
{
  return strlen (key) == e->key_len && memcmp (e->key, key, e->key_len) == 0;
}

/* An unquoted value ends before blanks followed by '#', and its trailing
 * blanks go. */
static size_t
unquoted_len (const char *v, size_t len)
{
  for (size_t i = 1; i < len; i++)
    if (v[i] == '#' && is_space (v[i - 1]))
      {
        len = i;
        break;
      }
  while (len > 0 && is_space (v[len - 1]))
    len--;
  return len;
}

/* The escape python-dotenv decodes at v[i] ('\\' there), or 0. */
static char
escape_at (const UaDotenvEntry *e, size_t i)
{
  static const char single[] = "\\'";
  static const char dbl[] = "\\'\"abfnrtv";
  static const char dbl_to[] = "\\'\"\a\b\f\n\r\t\v";
  const char *set = e->quote == '"' ? dbl : single;
  const char *hit;

  if (e->quote == 0 || i + 1 >= e->value_len)
    return 0;
  hit = strchr (set, e->value[i + 1]);
  if (hit == NULL || e->value[i + 1] == '\0')
    return 0;
  return e->quote == '"' ? dbl_to[hit - dbl] : *hit;
}

bool
ua_dotenv_value (const UaDotenvEntry *e, char *out, size_t outsize)
{
  size_t len = e->quote ? e->value_len : unquoted_len (e->value, e->value_len);
  size_t n = 0;

  if (e->value == NULL || outsize == 0)
    return false;
  for (size_t i = 0; i < len; i++)
    {
      char esc = e->value[i] == '\\' ? escape_at (e, i) : 0;
      char c = esc ? esc : e->value[i];

      i += esc != 0;
      if ((unsigned char) c < 0x20 || c == 0x7f || n + 1 >= outsize)
        return false;
      out[n++] = c;
    }
  out[n] = '\0';
  return true;
}
