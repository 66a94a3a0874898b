/* The server side of HTTP on 127.0.0.1 for the agent's unit tests: a
 * listening socket, and blocking reads and writes of one request on an
 * accepted one.  No HTTP beyond what curl sends for one request. */
#pragma once

#include <gio/gio.h>

/* Long enough for slow CI, short enough that a broken test ends. */
#define UA_LOOPBACK_IO_TIMEOUT_S 10

/* A listening socket on 127.0.0.1 with a port the kernel chose. */
GSocket *ua_loopback_listen (guint16 *port);
/* Appends one request, its headers and its Content-Length body, to
 * @request; less if the client hangs up first. */
void ua_loopback_read_request (GSocket *socket, GString *request);
/* Sends until done or the client hangs up (as some tests intend). */
void ua_loopback_send_all (GSocket *socket, const char *data, gsize len);
void ua_loopback_send_text (GSocket *socket, const char *text);
