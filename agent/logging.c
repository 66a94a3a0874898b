#include "config.h"

#include "logging.h"

#include <stdio.h>
#include <string.h>
#include <syslog.h>

static gboolean log_debug;
static gboolean log_foreground;
static gboolean log_stderr_is_journal;

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

/* To the journal with the fields GLib gives (PRIORITY, MESSAGE,
 * GLIB_DOMAIN, CODE_*) and an identifier, so that
 * "journalctl --user -t uipauth-agent" finds every line. */
static GLogWriterOutput
to_journal (GLogLevelFlags level, const GLogField *fields, gsize n, gpointer data)
{
  g_autofree GLogField *all = g_new (GLogField, n + 1);

  memcpy (all, fields, n * sizeof *fields);
  all[n] = (GLogField) { "SYSLOG_IDENTIFIER", "uipauth-agent", -1 };
  return g_log_writer_journald (level, all, n + 1, data);
}

static GLogWriterOutput
writer (GLogLevelFlags level, const GLogField *fields, gsize n, gpointer data)
{
  if ((level & G_LOG_LEVEL_DEBUG) && !log_debug)
    return G_LOG_WRITER_HANDLED;
  /* systemd connects a service's stderr to the journal: use its fields. */
  if (log_foreground && !log_stderr_is_journal)
    {
      /* GLib's own stream writer sends debug and info to stdout, which
       * belongs to whoever started us; the log goes to stderr only. */
      g_autofree char *line = g_log_writer_format_fields (level, fields, n, FALSE);
      fprintf (stderr, "%s\n", line);
      return G_LOG_WRITER_HANDLED;
    }
  if (to_journal (level, fields, n, data) == G_LOG_WRITER_HANDLED)
    return G_LOG_WRITER_HANDLED;
  syslog (syslog_priority (level), "%s", field (fields, n, "MESSAGE") ?: "");
  return G_LOG_WRITER_HANDLED;
}

void
ua_logging_setup (gboolean foreground, gboolean debug)
{
  log_debug = debug;
  log_foreground = foreground;
  log_stderr_is_journal = g_log_writer_is_journald (fileno (stderr));
  if (!foreground || log_stderr_is_journal)
    openlog ("uipauth-agent", LOG_PID, LOG_USER);
  g_log_set_writer_func (writer, NULL, NULL);
}
