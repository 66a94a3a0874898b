/* For fuzz drivers of GLib code: a warning or critical is a bug the fuzzer
 * must report, so it aborts, which libFuzzer catches and keeps the input
 * for (GLib's own handling would only log or hit a breakpoint). */
#pragma once

#include <glib.h>
#include <stdlib.h>

static GLogWriterOutput
ua_fuzz_fatal_writer (GLogLevelFlags level, const GLogField *fields, gsize n,
                      gpointer data)
{
  g_log_writer_standard_streams (level, fields, n, data);
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return G_LOG_WRITER_HANDLED;
}

static inline void
ua_fuzz_glib_logs_fatal (void)
{
  g_log_set_writer_func (ua_fuzz_fatal_writer, NULL, NULL);
}
