/* The environment `exec` gives its command: the variables of `env`, none
 * of the variables through which UiPath's tools would take another
 * credential instead, and warnings about what still could (a project's
 * .env, uipathcli's config file). */
#pragma once

#include "cli.h"
#include "execproxy.h"
#include "msg.h"

/* Sets up this process's environment for the command from the token
 * @reply, as @cli asks; with @proxy (exec --proxy), the service's address
 * and the token are the proxy's address and key instead, and the token
 * never enters the environment.  0, or -1 after saying why. */
int ua_execenv_apply (const UaCli *cli, const UaMsg *reply, const UaExecProxy *proxy);
