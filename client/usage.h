/* What `--help` prints for each command, and the hint after a usage error. */
#pragma once

#include "cli.h"

/* The help of @cmd (the overview for UA_CMD_NONE and UA_CMD_HELP). */
const char *ua_usage_text (UaCmd cmd);
/* Prints the help of @cli's command on standard output; UA_EXIT_OK. */
int ua_usage_print (const UaCli *cli);
/* Prints "uipauth: @err" and a hint to the command's --help; UA_EXIT_USAGE. */
int ua_usage_error (const UaCli *cli, const char *err);
/* `uipauth --version`. */
int ua_usage_version (const UaCli *cli);
