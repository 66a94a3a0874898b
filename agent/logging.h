#pragma once

#include <glib.h>

/* In the foreground, log to stderr (unless stderr is the journal, as in a
 * systemd service: then with the journal's fields); otherwise to the
 * journal when there is one, else to syslog.  Debug messages only with
 * @debug.  Nothing logged anywhere in the agent carries a secret: profile
 * names, lengths, expiry. */
void ua_logging_setup (gboolean foreground, gboolean debug);
