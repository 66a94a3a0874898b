/* The no-echo prompt for a secret on the terminal; what it accepts is
 * checked as standard input is (secretin.h). */
#pragma once

#include <stddef.h>

#include "secret.h"

/* Shows @prompt on /dev/tty and reads one line with echo off.  The terminal
 * is restored whatever happens, also when a signal ends the read. */
UaSecret *ua_secretin_prompt (const char *prompt, const char *what,
                              char *err, size_t errlen);
