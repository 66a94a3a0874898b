/* A .env file as python-dotenv reads it (UiPath's `uipath` command loads
 * ./.env over the environment, and `uipath auth` writes its token there):
 * KEY=VALUE lines, `export ` before the key, 'single' and "double"
 * quoted values that may span lines, comments.  A pure reader over bytes;
 * no allocation, no I/O. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

typedef struct {
  const char *key;
  size_t key_len;
  const char *value;  /* between the quotes when quoted; NULL: no '=' */
  size_t value_len;
  char quote;         /* '\'', '"' or 0 */
  size_t start, end;  /* the whole entry: from the start of the key's line
                       * to after the line break that ends it */
} UaDotenvEntry;

typedef enum {
  UA_DOTENV_END,    /* nothing more */
  UA_DOTENV_ENTRY,  /* *@e holds the next entry */
  UA_DOTENV_BAD,    /* a line python-dotenv would skip (an unclosed quote,
                     * no key, text after a quoted value): *@e has its
                     * start and end */
} UaDotenvStatus;

/* Reads the entry at *@pos of the @len bytes at @text and moves *@pos
 * past it; after UA_DOTENV_BAD, past the bad line, as python-dotenv goes
 * on after one. */
UaDotenvStatus ua_dotenv_next (const char *text, size_t len, size_t *pos,
                               UaDotenvEntry *e);

/* Whether @e's key is @key. */
bool ua_dotenv_key_is (const UaDotenvEntry *e, const char *key);

/* @e's value as python-dotenv gives it (escapes decoded, an unquoted
 * value cut before a " #" comment and trailing blanks) into @out.  false
 * if it does not fit @outsize, or holds a control character (a line
 * break, a tab, NUL...): nothing a URL, an id or a token may hold. */
bool ua_dotenv_value (const UaDotenvEntry *e, char *out, size_t outsize);
