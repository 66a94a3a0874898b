/* Showing the user the sign-in page of `uipauth login`.
 *
 * The client opens the browser, not the agent: the client runs in the
 * user's session, with its display, $BROWSER and D-Bus; the agent may be
 * a systemd service without any of them.  The browser is started from an
 * argv (posix_spawnp), never through a shell, so nothing in the URL or
 * in $BROWSER is ever parsed as shell syntax.
 *
 * On a machine without a display, or reached through ssh, a browser
 * started here would be of no use: the user opens the URL on their own
 * machine instead, whose browser must reach the agent's loopback
 * listener here, through `ssh -L`.
 *
 * The parsing is pure and table-tested (tests/client/test-browser.c);
 * only ua_browser_open() starts anything. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* Whether a browser started here could be used: false without a display
 * (neither @display nor @wayland_display set) or in an ssh session
 * (@ssh_connection set, as sshd sets SSH_CONNECTION).  NULL or "" is
 * unset. */
bool ua_browser_usable (const char *display, const char *wayland_display,
                        const char *ssh_connection);

/* The argv of one $BROWSER entry of @len bytes: its words split on
 * blanks, "%s" in a word replaced by @url ("%%" is a "%"), else @url
 * appended as the last argument.  NULL for an entry without words, or
 * out of memory.  Free with ua_browser_argv_free(). */
char **ua_browser_argv (const char *entry, size_t len, const char *url);
void ua_browser_argv_free (char **argv);

/* Appends to @out the command that forwards @redirect_uri's port from
 * the user's machine to this one's loopback address, where the agent
 * listens: "ssh -L PORT:127.0.0.1:PORT USER@HOST", with "-p N" when
 * @ssh_connection names a server port other than 22.  HOST is the
 * address @ssh_connection says the user reached ("CLIENT CPORT SERVER
 * SPORT"), else @hostname.  -1 when @redirect_uri is no http:// URL. */
int ua_browser_ssh_command (const char *redirect_uri, const char *user,
                            const char *ssh_connection, const char *hostname,
                            UaBuf *out);

/* Starts the entries of @browser_env ($BROWSER, colon-separated) in turn,
 * or xdg-open when it is unset, with @url, in a process group of its own
 * (Ctrl-C on login must not close the browser) and its output to
 * /dev/null.  A command that exits non-zero within a moment counts as
 * failed.  0 when one started, else -1 with why in @err. */
int ua_browser_open (const char *browser_env, const char *url, char *err,
                     size_t errlen);
