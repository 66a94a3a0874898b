/* One string out of a small JSON document (`uipath auth`'s
 * .uipath/.auth.json): the whole text is checked to be one JSON object
 * (RFC 8259, nesting bounded), and the string value of one of its
 * top-level members is decoded.  Pure: no allocation, no I/O; recursion
 * no deeper than UA_JSON_DEPTH_MAX. */
#pragma once

#include <stddef.h>

#define UA_JSON_DEPTH_MAX 32

typedef enum {
  UA_JSON_FOUND,
  UA_JSON_ABSENT,      /* a valid object without that member */
  UA_JSON_NOT_STRING,  /* the member's value is a number, null, ... */
  UA_JSON_MALFORMED,   /* not one JSON object, too deep, or the member twice */
  UA_JSON_TOO_LONG,    /* the value does not fit the buffer */
  UA_JSON_BAD_CHAR,    /* the value decodes to a control character, NUL
                        * or a lone surrogate */
} UaJsonStatus;

/* Copies the decoded value of member @key of the object @text (@len
 * bytes) into @out (NUL-terminated; its length in *@outlen) when FOUND. */
UaJsonStatus ua_json_object_string (const char *text, size_t len, const char *key,
                                    char *out, size_t outsize, size_t *outlen);

const char *ua_json_status_string (UaJsonStatus status);
