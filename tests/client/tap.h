/* A few lines of TAP for tests that must not link GLib. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

bool tap_ok (bool ok, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));
/* Compares two strings, printing both as diagnostics when they differ. */
bool tap_is (const char *got, const char *want, const char *fmt, ...)
  __attribute__ ((format (printf, 3, 4)));
void tap_diag (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));
void tap_skip (const char *why, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));
/* Prints the plan; returns the exit status. */
int tap_done (void);

/* Reads $UA_TEST_DATA/@name (tests/data) whole; aborts the test on error. */
char *tap_read_fixture (const char *name, size_t *len);
/* Decodes \xNN escapes (other backslashes stay) into @out, which must have
 * strlen(@in) + 1 bytes; returns the decoded length. */
size_t tap_unescape (const char *in, char *out);
/* Splits @s in place at each @sep; returns the number of pieces (at most
 * @max) and stores them in @parts. */
size_t tap_split (char *s, char sep, char **parts, size_t max);
/* Calls @row for each line of fixture @name that is not a comment ('#')
 * or empty, split at tabs into exactly @nfields fields (at most 8); a line
 * with another count is a failed test. */
void tap_fixture_rows (const char *name, size_t nfields,
                       void (*row) (char **fields, size_t lineno));
