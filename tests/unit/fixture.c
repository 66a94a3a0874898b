#include "config.h"

#include "fixture.h"

#include <string.h>

GPtrArray *
ua_fixture_load (const char *name)
{
  const char *dir = g_getenv ("UA_TEST_DATA");
  g_autofree char *path = g_build_filename (dir ? dir : ".", name, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  if (!g_file_get_contents (path, &text, NULL, &error))
    g_error ("fixture %s: %s", path, error->message);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0' && lines[i][0] != '#')
      g_ptr_array_add (rows, g_strsplit (lines[i], "\t", -1));
  return rows;
}

GBytes *
ua_fixture_unescape (const char *s)
{
  GByteArray *out = g_byte_array_new ();

  for (const char *p = s; *p != '\0'; p++)
    {
      guint8 c = (guint8) *p;
      if (*p == '\\' && p[1] != '\0')
        {
          p++;
          switch (*p)
            {
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case 'x':
              c = (guint8) (g_ascii_xdigit_value (p[1]) * 16 + g_ascii_xdigit_value (p[2]));
              p += 2;
              break;
            default: c = (guint8) *p; break;
            }
        }
      g_byte_array_append (out, &c, 1);
    }
  return g_byte_array_free_to_bytes (out);
}

void
ua_fixture_add_tests (GPtrArray *rows, const char *prefix, GTestDataFunc func)
{
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = rows->pdata[i];
      g_autofree char *path = g_strdup_printf ("%s/%s", prefix, row[0]);

      g_test_add_data_func (path, row, func);
    }
}
