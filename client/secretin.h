/* Reading the secret for `add` from standard input or from a no-echo
 * prompt on the terminal; never from the command line. */
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

/* Shows @prompt on /dev/tty and reads one line with echo off.  The terminal
 * is restored whatever happens, also when a signal ends the read. */
UaSecret *ua_secretin_prompt (const char *prompt, const char *what,
                              char *err, size_t errlen);
