#include "clicfg.h"

#include <stdbool.h>
#include <string.h>

typedef struct {
  const char *s;      /* the line, without its break */
  size_t len;
  size_t indent;      /* spaces before the content */
  bool tab;           /* a tab in the indentation */
} Line;

/* The next line at *@pos; false at the end. */
static bool
next_line (const char *text, size_t len, size_t *pos, Line *l)
{
  const char *nl;
  size_t end;

  if (*pos >= len)
    return false;
  nl = memchr (text + *pos, '\n', len - *pos);
  end = nl ? (size_t) (nl - text) : len;
  l->s = text + *pos;
  l->len = end - *pos;
  if (l->len > 0 && l->s[l->len - 1] == '\r')
    l->len--;
  *pos = nl ? end + 1 : len;
  l->indent = 0;
  l->tab = false;
  while (l->indent < l->len && (l->s[l->indent] == ' ' || l->s[l->indent] == '\t'))
    l->tab |= l->s[l->indent++] == '\t';
  return true;
}

/* Blank lines, comments and document markers say nothing. */
static bool
is_noise (const Line *l)
{
  const char *c = l->s + l->indent;
  size_t n = l->len - l->indent;

  return n == 0 || c[0] == '#' || (l->indent == 0 && n >= 3 &&
         (memcmp (c, "---", 3) == 0 || memcmp (c, "...", 3) == 0));
}

/* @n bytes at @s without blanks around, a trailing " #comment" and the
 * quotes of a quoted scalar. */
static void
scalar (const char **s, size_t *n)
{
  for (size_t i = 0; i < *n; i++)
    if ((*s)[i] == '#' && (i == 0 || (*s)[i - 1] == ' ' || (*s)[i - 1] == '\t'))
      {
        *n = i;
        break;
      }
  while (*n > 0 && ((*s)[0] == ' ' || (*s)[0] == '\t'))
    (*s)++, (*n)--;
  while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
    (*n)--;
  if (*n >= 2 && ((*s)[0] == '"' || (*s)[0] == '\'') && (*s)[*n - 1] == (*s)[0])
    (*s)++, *n -= 2;
}

typedef struct {
  const char *key, *value;
  size_t key_len, value_len;
} Pair;

/* "key: value" in the @n bytes at @s; false for anything else. */
static bool
split_pair (const char *s, size_t n, Pair *p)
{
  char q = n > 0 && (s[0] == '"' || s[0] == '\'') ? s[0] : 0;
  const char *colon = NULL;

  for (size_t i = q ? 1 : 0; i < n; i++)
    {
      if (q && s[i] == q)
        q = 0;
      else if (!q && s[i] == ':' && (i + 1 == n || s[i + 1] == ' ' || s[i + 1] == '\t'))
        {
          colon = s + i;
          break;
        }
    }
  if (colon == NULL)
    return false;
  p->key = s;
  p->key_len = (size_t) (colon - s);
  p->value = colon + 1;
  p->value_len = n - p->key_len - 1;
  scalar (&p->key, &p->key_len);
  scalar (&p->value, &p->value_len);
  return true;
}

static bool
is (const char *s, size_t n, const char *word)
{
  return strlen (word) == n && memcmp (s, word, n) == 0;
}

/* One item of the profiles list, as far as we read it. */
typedef struct {
  bool named;         /* its name is the one asked about */
  UaClicfgAuth auth;
  size_t key_indent;  /* where its keys start */
  bool auth_open;     /* `auth:` with nothing after: children may follow */
} Item;

static void
item_pair (Item *it, const Pair *p, const char *name)
{
  if (is (p->key, p->key_len, "name"))
    it->named = is (p->value, p->value_len, name);
  else if (is (p->key, p->key_len, "<<"))
    it->auth = UA_CLICFG_UNSURE;  /* a merge key may bring an auth section */
  else if (is (p->key, p->key_len, "auth"))
    {
      const char *v = p->value;
      size_t n = p->value_len;

      it->auth_open = n == 0;
      if (n == 0 || is (v, n, "{}") || is (v, n, "null") || is (v, n, "~"))
        it->auth = UA_CLICFG_NONE;
      else
        it->auth = v[0] == '{' || v[0] == '*' || v[0] == '&' ? UA_CLICFG_AUTH : UA_CLICFG_UNSURE;
    }
}

/* A line inside an item: a key of its own, or part of a nested value. */
static void
item_line (Item *it, const Line *l, const char *name)
{
  Pair p;

  if (it->key_indent == 0)
    it->key_indent = l->indent; /* "-" alone: the keys start below */
  if (l->indent > it->key_indent)
    {
      if (it->auth_open)
        it->auth = UA_CLICFG_AUTH;
      it->auth_open = false;
      return;
    }
  it->auth_open = false;
  if (split_pair (l->s + l->indent, l->len - l->indent, &p))
    item_pair (it, &p, name);
}

/* "- " starts an item; its first key may stand on the same line, after
 * an anchor (&name) if it has one. */
static void
item_start (Item *it, const Line *l, const char *name)
{
  size_t at = l->indent + 1;
  const char *c;

  while (at < l->len && l->s[at] == ' ')
    at++;
  if (at < l->len && l->s[at] == '&')
    {
      while (at < l->len && l->s[at] != ' ')
        at++;
      while (at < l->len && l->s[at] == ' ')
        at++;
    }
  *it = (Item) { 0 };
  if (at == l->len)
    return;
  c = l->s + at;
  if (c[0] == '{' || c[0] == '*')
    {
      /* A flow mapping or an alias: not followed here. */
      it->auth = UA_CLICFG_UNSURE;
      it->named = c[0] == '*' || memmem (c, l->len - at, name, strlen (name)) != NULL;
      return;
    }
  it->key_indent = at;
  {
    Line first = *l;
    first.indent = at;
    item_line (it, &first, name);
  }
}

/* The lines of the `profiles:` block, from *@pos: the first item named
 * @name decides. */
static UaClicfgAuth
read_profiles (const char *text, size_t len, size_t pos, const char *name)
{
  Item it = { 0 };
  bool started = false;
  size_t dash_indent = 0;
  Line l;

  while (next_line (text, len, &pos, &l))
    {
      bool dash = l.indent < l.len && l.s[l.indent] == '-' &&
                  (l.indent + 1 == l.len || l.s[l.indent + 1] == ' ');

      if (is_noise (&l))
        continue;
      if (l.tab)
        return UA_CLICFG_UNSURE;
      if (l.indent == 0 && !dash)
        break;
      if (dash && (!started || l.indent <= dash_indent))
        {
          /* uipathcli takes the first profile of that name. */
          if (started && it.named)
            return it.auth;
          dash_indent = l.indent;
          started = true;
          item_start (&it, &l, name);
        }
      else if (started)
        item_line (&it, &l, name);
    }
  return started && it.named ? it.auth : UA_CLICFG_NONE;
}

UaClicfgAuth
ua_clicfg_profile_auth (const char *text, size_t len, const char *name)
{
  size_t pos = 0;
  Line l;
  Pair p;

  while (next_line (text, len, &pos, &l))
    {
      if (is_noise (&l) || l.indent > 0 ||
          !split_pair (l.s, l.len, &p) || !is (p.key, p.key_len, "profiles"))
        continue;
      if (p.value_len > 0)
        /* profiles: [ ... ] in flow style, or an alias. */
        return memmem (text, len, "auth", 4) ? UA_CLICFG_UNSURE : UA_CLICFG_NONE;
      return read_profiles (text, len, pos, name);
    }
  return UA_CLICFG_NONE;
}

const char *
ua_clicfg_auth_name (UaClicfgAuth auth)
{
  static const char *const names[] = { "none", "auth", "unsure" };

  return (unsigned) auth < 3 ? names[auth] : "?";
}
