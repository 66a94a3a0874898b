/* The browser's redirect to the loopback listener of `uipauth login`:
 * reading one HTTP request line.  A pure function over bytes, so a fuzzer
 * can feed it anything; the listener (login.c) does the I/O. */
#pragma once

#include <glib.h>

/* Longest request line read; browsers send a few hundred bytes here. */
#define UA_REDIRECT_MAX_LINE 8192

typedef enum {
  UA_REDIRECT_INCOMPLETE, /* no whole request line yet: read more */
  UA_REDIRECT_OK,         /* a GET of the redirect path: fields filled */
  UA_REDIRECT_OTHER,      /* a readable request for another path or method */
  UA_REDIRECT_BAD,        /* not an HTTP request line we accept */
} UaRedirectResult;

typedef struct {
  char *code;              /* query parameters, percent-decoded; NULL if */
  char *state;             /* absent */
  char *error;
  char *error_description;
} UaRedirect;

/* Parses the request line at the start of @buf (@len bytes, not
 * NUL-terminated).  Only "GET @path[?query] HTTP/1.x" with a path equal
 * to @path is UA_REDIRECT_OK; a query repeating code, state or error, or
 * a value with control characters, is UA_REDIRECT_BAD.  @out is cleared
 * first and filled only for UA_REDIRECT_OK. */
UaRedirectResult ua_redirect_parse (const char *buf, size_t len, const char *path,
                                    UaRedirect *out);
/* Frees the fields (the code wiped) and zeroes @r. */
void ua_redirect_clear (UaRedirect *r);
