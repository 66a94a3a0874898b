/* One function per command; each returns the process exit status. */
#pragma once

#include "cli.h"
#include "msg.h"

int ua_cmd_add (const UaCli *cli);
int ua_cmd_remove (const UaCli *cli);
int ua_cmd_list (const UaCli *cli);
int ua_cmd_status (const UaCli *cli);
int ua_cmd_token (const UaCli *cli);
int ua_cmd_header (const UaCli *cli);
int ua_cmd_env (const UaCli *cli);
int ua_cmd_exec (const UaCli *cli);
int ua_cmd_get (const UaCli *cli);
int ua_cmd_store (const UaCli *cli);
int ua_cmd_erase (const UaCli *cli);
int ua_cmd_agent (const UaCli *cli);
int ua_cmd_ping (const UaCli *cli);
int ua_cmd_login (const UaCli *cli);
int ua_cmd_logout (const UaCli *cli);
int ua_cmd_lock (const UaCli *cli);
int ua_cmd_doctor (const UaCli *cli);
int ua_cmd_import (const UaCli *cli);

/* Before holding a secret: no core dumps, no debugger of the same user. */
void ua_cmd_harden (void);

/* The profile a command is about: the argument, else $UIPAUTH_PROFILE,
 * else NULL (the agent picks the only profile). */
const char *ua_cmd_profile (const UaCli *cli);

/* Asks the agent for a token as @cli says (profile, --min-valid,
 * --force-new).  UA_EXIT_OK with *reply holding a non-empty token, or the
 * exit status after saying what went wrong. */
int ua_cmd_fetch_token (const UaCli *cli, UaMsg **reply);
