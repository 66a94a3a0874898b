/* listen.h: the loopback listening socket and the port file. */
#pragma once

#include <libsoup/soup.h>

gboolean id_listen_loopback  (SoupServer  *soup,
                              guint16      port,
                              guint16     *bound_port,
                              GError     **error);
gboolean id_write_port_file  (const char  *path,
                              guint16      port,
                              GError     **error);
