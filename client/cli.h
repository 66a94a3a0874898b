/* The command line: which command, and its options, checked but not yet
 * acted on.  Parsing reads no environment and does no I/O, so the tests can
 * drive it with tables. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

typedef enum {
  UA_CMD_NONE = 0,  /* no command: print the usage and fail */
  UA_CMD_HELP,
  UA_CMD_VERSION,
  UA_CMD_ADD,
  UA_CMD_REMOVE,
  UA_CMD_LIST,
  UA_CMD_STATUS,
  UA_CMD_TOKEN,
  UA_CMD_HEADER,
  UA_CMD_ENV,
  UA_CMD_EXEC,
  UA_CMD_GET,
  UA_CMD_STORE,
  UA_CMD_ERASE,
  UA_CMD_AGENT,
  UA_CMD_PING,
  UA_CMD_LOCK,
  UA_CMD_DOCTOR,
  UA_CMD_LOGIN,
  UA_CMD_IMPORT,
  UA_CMD_LOGOUT,
  UA_CMD_LAST_,
} UaCmd;

typedef enum {
  UA_AGENT_NONE = 0,
  UA_AGENT_START,
  UA_AGENT_STOP,
  UA_AGENT_STATUS,
} UaAgentAction;

/* Profile settings that `add` takes as options, in the order they are sent. */
typedef enum {
  UA_SETTING_URL,
  UA_SETTING_ORGANIZATION,
  UA_SETTING_TENANT,
  UA_SETTING_CLIENT_ID,
  UA_SETTING_SCOPES,
  UA_SETTING_IDENTITY_URL,
  UA_SETTING_REDIRECT_URI,
  UA_SETTING_USERNAME,
  UA_SETTING_EXPIRES,
  UA_SETTING_TENANT_ID,
  UA_SETTING_ORGANIZATION_ID,
  UA_SETTING_SECRET_SOURCE,
  UA_SETTING_TOKEN_AUTH,
  UA_SETTING_LAST_,
} UaSetting;

#define UA_CLI_MATCH_MAX 32
/* Longest --min-valid, as the agent accepts it: no token lives a day. */
#define UA_CLI_MIN_VALID_MAX 86400L
/* Longest wait for a browser sign-in, as the agent accepts it. */
#define UA_CLI_LOGIN_TIMEOUT_MAX 3600L

typedef struct {
  UaCmd cmd;
  bool help;             /* --help: print this command's help */
  bool git_helper;       /* run as git-credential-uipauth */
  const char *profile;   /* NULL: $UIPAUTH_PROFILE, then the agent's choice */
  const char *type;
  const char *settings[UA_SETTING_LAST_];
  const char *match[UA_CLI_MATCH_MAX];
  size_t n_match;
  bool allow_password;
  bool exchange;         /* add: trade an API key for tokens */
  bool confidential;     /* add: an authorization-code app with a secret */
  bool forward;          /* add: serve it on the restricted socket too */
  bool callers;          /* status: who was given tokens */
  bool no_browser;       /* login: print the URL, open no browser */
  long login_timeout;    /* login: seconds to wait for the browser, -1: default */
  bool replace;
  bool secret_stdin;
  long min_valid;        /* -1: not given */
  bool force_new;
  bool json;
  int shell;             /* a UaShell, or -1: from $SHELL */
  bool unset;
  UaAgentAction agent_action;
  bool no_dotenv;        /* exec: PYTHON_DOTENV_DISABLED=1 for the command */
  bool no_cli_config;    /* exec: uipathcli reads an empty config */
  char **exec_argv;      /* exec: the command, NULL-terminated */
  const char *dir;       /* import: where `uipath auth` ran; NULL: "." */
  bool delete_files;     /* import: remove its token files afterwards */
  bool proxy;            /* exec: through uipauth-proxy */
} UaCli;

/* Returns 0, or -1 with a sentence in @err (cli->cmd is set as far as it is
 * known, for the "try --help" hint). */
int ua_cli_parse (int argc, char **argv, UaCli *cli, char *err, size_t errlen);

const char *ua_cli_command_name (UaCmd cmd);
/* The key `add` sends a setting under. */
const char *ua_cli_setting_key (UaSetting setting);
/* Whether @s can be a tenant's or organization's id.  UiPath's ids are
 * GUIDs; anything else is most likely a name given where the id belongs,
 * and the SDK would send it as a header. */
bool ua_cli_id_valid (const char *s);
/* Whether `add` reads a secret: its type has one, and --secret-source
 * does not name a file the agent reads it from instead. */
bool ua_cli_add_reads_secret (const UaCli *cli);
/* Whether the profile `add` makes has a secret for it to read: its type
 * has one (an authorization-code app only with --confidential). */
bool ua_cli_needs_secret (const UaCli *cli);
