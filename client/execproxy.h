/* exec --proxy: the client's half.  It starts uipauth-proxy, hands it a
 * fresh random key over a pipe (never argv or the environment of another
 * process), learns its port, runs the command with the proxy's address
 * and the key in place of a token, and ends the proxy when the command
 * ends. */
#pragma once

#include <sys/types.h>

#include "msg.h"
#include "shell.h"

/* 256 random bits as hex. */
#define UA_EXECPROXY_KEY_LEN 64
#define UA_EXECPROXY_URL_MAX 2048

typedef struct {
  pid_t pid;                  /* the proxy */
  int lifeline;               /* its standard input: closing it ends it */
  char key[UA_EXECPROXY_KEY_LEN + 1];
  char uri[64];               /* http://127.0.0.1:PORT, for UIPATH_URI */
  char url[UA_EXECPROXY_URL_MAX]; /* the same with /{org}/{tenant}, for UIPATH_URL */
} UaExecProxy;

/* Starts the proxy for the profile a token @reply is about.  UA_EXIT_OK,
 * or an exit status after saying what went wrong. */
int ua_execproxy_start (UaExecProxy *proxy, const UaMsg *reply, long min_valid);

/* Points the variables that carry the service's address and the token
 * at the proxy and its key. */
void ua_execproxy_env (const UaExecProxy *proxy, UaEnvVar *vars, int n_vars);

/* Runs @argv (with the environment as it is now), waits for it, ends the
 * proxy, and returns the command's exit status (128 + N for signal N). */
int ua_execproxy_run (UaExecProxy *proxy, char **argv);
