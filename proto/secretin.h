/* Reading a secret that is given as one line: by the client, for `add`,
 * from standard input (client/prompt.h has its no-echo prompt); by the
 * agent from a profile's secret file (agent/secret-file.c).  Both accept
 * exactly the same bytes.  Never from the command line. */
#pragma once

#include <stddef.h>

#include "secret.h"

/* Longest secret accepted; real ones are under 2 KiB. */
#define UA_SECRETIN_MAX (32u * 1024u)

/* Checks the bytes read for a secret: drops one trailing "\n" and refuses an
 * empty secret or one with CR, LF or NUL inside.  Returns the secret's
 * length, or -1 with a sentence about @what in @err. */
long ua_secretin_check (const char *buf, size_t len, const char *what,
                        char *err, size_t errlen);

/* Reads all of @fd.  NULL with @err filled on failure. */
UaSecret *ua_secretin_read_fd (int fd, const char *what, char *err, size_t errlen);
