/* Reading table-driven test fixtures: TAB-separated lines, '#' comments,
 * C escapes (\n \r \t \\ \xHH) in the fields. */
#pragma once

#include <glib.h>

/* The rows of @name (in $UA_TEST_DATA), each a NULL-terminated GStrv of
 * raw (still escaped) fields. */
GPtrArray *ua_fixture_load (const char *name);
/* Adds a test PREFIX/NAME for each row of @rows, NAME its first field,
 * that runs @func on the row.  @rows must outlive g_test_run(). */
void ua_fixture_add_tests (GPtrArray *rows, const char *prefix, GTestDataFunc func);
/* Unescapes @s; the result may hold NULs, so its length is returned. */
GBytes *ua_fixture_unescape (const char *s);
