#include "config.h"

#include "logging.h"

#include <stdio.h>
#include <syslog.h>

static gboolean log_debug;
static gboolean log_foreground;

static int
syslog_priority (GLogLevelFlags level)
{
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
    return LOG_ERR;
  if (level & G_LOG_LEVEL_WARNING)
    return LOG_WARNING;
  if (level & G_LOG_LEVEL_MESSAGE)
    return LOG_NOTICE;
  if (level & G_LOG_LEVEL_INFO)
    return LOG_INFO;
  return LOG_DEBUG;
}

static const char *
field (const GLogField *fields, gsize n, const char *key)
{
  for (gsize i = 0; i < n; i++)
    if (g_str_equal (fields[i].key, key) && fields[i].length < 0)
      return fields[i].value;
  return NULL;
}

static GLogWriterOutput
writer (GLogLevelFlags level, const GLogField *fields, gsize n, gpointer data)
{
  if ((level & G_LOG_LEVEL_DEBUG) && !log_debug)
    return G_LOG_WRITER_HANDLED;
  if (log_foreground)
    {
      /* GLib's own stream writer sends debug and info to stdout, which
       * belongs to whoever started us; the log goes to stderr only. */
      g_autofree char *line = g_log_writer_format_fields (level, fields, n, FALSE);
      fprintf (stderr, "%s\n", line);
      return G_LOG_WRITER_HANDLED;
    }
  if (g_log_writer_journald (level, fields, n, data) == G_LOG_WRITER_HANDLED)
    return G_LOG_WRITER_HANDLED;
  syslog (syslog_priority (level), "%s", field (fields, n, "MESSAGE") ?: "");
  return G_LOG_WRITER_HANDLED;
}

void
ua_logging_setup (gboolean foreground, gboolean debug)
{
  log_debug = debug;
  log_foreground = foreground;
  if (!foreground)
    openlog ("uipauth-agent", LOG_PID, LOG_USER);
  g_log_set_writer_func (writer, NULL, NULL);
}
