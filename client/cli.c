#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kinds.h"
#include "secret-source.h"
#include "shell.h"

#define C(cmd) (1u << UA_CMD_##cmd)
#define TOKEN_CMDS (C (TOKEN) | C (HEADER) | C (ENV) | C (EXEC))
#define GIT_CMDS (C (GET) | C (STORE) | C (ERASE))
/* Commands that take a PROFILE argument. */
#define PROFILE_CMDS (C (ADD) | C (REMOVE) | C (LOGIN) | C (LOGOUT) | C (IMPORT) | TOKEN_CMDS)

static const char *const commands[UA_CMD_LAST_] = {
  [UA_CMD_ADD] = "add", [UA_CMD_REMOVE] = "remove", [UA_CMD_LIST] = "list",
  [UA_CMD_STATUS] = "status", [UA_CMD_TOKEN] = "token",
  [UA_CMD_HEADER] = "header", [UA_CMD_ENV] = "env", [UA_CMD_EXEC] = "exec",
  [UA_CMD_GET] = "get", [UA_CMD_STORE] = "store", [UA_CMD_ERASE] = "erase",
  [UA_CMD_AGENT] = "agent", [UA_CMD_PING] = "ping",
  [UA_CMD_LOCK] = "lock", [UA_CMD_DOCTOR] = "doctor",
  [UA_CMD_LOGIN] = "login", [UA_CMD_IMPORT] = "import",
  [UA_CMD_LOGOUT] = "logout",
  [UA_CMD_HELP] = "help", [UA_CMD_VERSION] = "version",
};

static const char *const setting_keys[UA_SETTING_LAST_] = {
  [UA_SETTING_URL] = "url", [UA_SETTING_ORGANIZATION] = "organization",
  [UA_SETTING_TENANT] = "tenant", [UA_SETTING_CLIENT_ID] = "client_id",
  [UA_SETTING_SCOPES] = "scopes", [UA_SETTING_IDENTITY_URL] = "identity_url",
  [UA_SETTING_REDIRECT_URI] = "redirect_uri",
  [UA_SETTING_USERNAME] = "username", [UA_SETTING_EXPIRES] = "expires",
  [UA_SETTING_TENANT_ID] = "tenant_id",
  [UA_SETTING_ORGANIZATION_ID] = "organization_id",
  [UA_SETTING_SECRET_SOURCE] = "secret_source",
  [UA_SETTING_TOKEN_AUTH] = "token_auth",
};

typedef enum {
  OPT_HELP, OPT_PROFILE, OPT_TYPE, OPT_SETTING, OPT_MATCH, OPT_ALLOW_PASSWORD,
  OPT_REPLACE, OPT_SECRET_STDIN, OPT_MIN_VALID, OPT_FORCE_NEW, OPT_JSON,
  OPT_SHELL, OPT_UNSET, OPT_EXCHANGE, OPT_NO_BROWSER, OPT_TIMEOUT,
  OPT_NO_DOTENV, OPT_NO_CLI_CONFIG, OPT_DIR, OPT_DELETE, OPT_CONFIDENTIAL,
  OPT_FORWARD, OPT_CALLERS, OPT_PROXY,
} OptId;

typedef struct {
  const char *name;
  bool has_arg;
  OptId id;
  unsigned cmds;     /* commands that accept it */
  UaSetting setting; /* for OPT_SETTING */
} OptSpec;

static const OptSpec options[] = {
  { "help", false, OPT_HELP, ~0u, 0 },
  { "profile", true, OPT_PROFILE, TOKEN_CMDS | GIT_CMDS, 0 },
  { "type", true, OPT_TYPE, C (ADD), 0 },
  { "url", true, OPT_SETTING, C (ADD), UA_SETTING_URL },
  { "organization", true, OPT_SETTING, C (ADD), UA_SETTING_ORGANIZATION },
  { "tenant", true, OPT_SETTING, C (ADD), UA_SETTING_TENANT },
  { "client-id", true, OPT_SETTING, C (ADD), UA_SETTING_CLIENT_ID },
  { "scopes", true, OPT_SETTING, C (ADD), UA_SETTING_SCOPES },
  { "identity-url", true, OPT_SETTING, C (ADD), UA_SETTING_IDENTITY_URL },
  { "redirect-uri", true, OPT_SETTING, C (ADD), UA_SETTING_REDIRECT_URI },
  { "username", true, OPT_SETTING, C (ADD), UA_SETTING_USERNAME },
  { "expires", true, OPT_SETTING, C (ADD), UA_SETTING_EXPIRES },
  { "tenant-id", true, OPT_SETTING, C (ADD), UA_SETTING_TENANT_ID },
  { "organization-id", true, OPT_SETTING, C (ADD), UA_SETTING_ORGANIZATION_ID },
  { "secret-source", true, OPT_SETTING, C (ADD), UA_SETTING_SECRET_SOURCE },
  { "token-auth", true, OPT_SETTING, C (ADD), UA_SETTING_TOKEN_AUTH },
  { "confidential", false, OPT_CONFIDENTIAL, C (ADD), 0 },
  { "match", true, OPT_MATCH, C (ADD), 0 },
  { "allow-password", false, OPT_ALLOW_PASSWORD, C (ADD), 0 },
  { "exchange", false, OPT_EXCHANGE, C (ADD), 0 },
  { "forward", false, OPT_FORWARD, C (ADD), 0 },
  { "no-browser", false, OPT_NO_BROWSER, C (LOGIN), 0 },
  { "timeout", true, OPT_TIMEOUT, C (LOGIN), 0 },
  { "replace", false, OPT_REPLACE, C (ADD), 0 },
  { "secret-stdin", false, OPT_SECRET_STDIN, C (ADD), 0 },
  { "min-valid", true, OPT_MIN_VALID, TOKEN_CMDS | C (GET), 0 },
  { "force-new", false, OPT_FORCE_NEW, TOKEN_CMDS, 0 },
  { "json", false, OPT_JSON, C (LIST) | C (STATUS), 0 },
  { "callers", false, OPT_CALLERS, C (STATUS), 0 },
  { "shell", true, OPT_SHELL, C (ENV), 0 },
  { "unset", false, OPT_UNSET, C (ENV), 0 },
  { "no-dotenv", false, OPT_NO_DOTENV, C (EXEC), 0 },
  { "no-cli-config", false, OPT_NO_CLI_CONFIG, C (EXEC), 0 },
  { "dir", true, OPT_DIR, C (IMPORT), 0 },
  { "delete", false, OPT_DELETE, C (IMPORT), 0 },
  { "proxy", false, OPT_PROXY, C (EXEC), 0 },
};

const char *
ua_cli_command_name (UaCmd cmd)
{
  return cmd > UA_CMD_NONE && cmd < UA_CMD_LAST_ ? commands[cmd] : "";
}

const char *
ua_cli_setting_key (UaSetting setting)
{
  return setting < UA_SETTING_LAST_ ? setting_keys[setting] : NULL;
}

static bool
type_known (const char *type)
{
  UaKind kind;

  return ua_kind_from_name (type, &kind);
}

static bool
source_is_keyring (const char *spec)
{
  UaSecretSourceKind kind;
  const char *arg;

  return ua_secret_source_parse (spec, &kind, &arg, NULL, 0) == 0
         && kind == UA_SECRET_SOURCE_KEYRING;
}

bool
ua_cli_add_reads_secret (const UaCli *cli)
{
  return ua_cli_needs_secret (cli)
         && source_is_keyring (cli->settings[UA_SETTING_SECRET_SOURCE]);
}

/* A setting of the command line, as the kinds table asks for them. */
static const char *
cli_setting (const char *key, void *data)
{
  const UaCli *cli = data;

  if (strcmp (key, "allow_password") == 0)
    return cli->allow_password ? "true" : NULL;
  if (strcmp (key, "confidential") == 0)
    return cli->confidential ? "true" : NULL;
  for (int i = 0; i < UA_SETTING_LAST_; i++)
    if (strcmp (setting_keys[i], key) == 0)
      return cli->settings[i];
  return NULL;
}

bool
ua_cli_needs_secret (const UaCli *cli)
{
  UaKind kind;

  return ua_kind_from_name (cli->type, &kind) &&
         ua_kind_secret (ua_kind_info (kind), cli_setting, (void *) cli) != NULL;
}

static UaCmd
command_from_name (const char *name)
{
  for (int i = UA_CMD_NONE + 1; i < UA_CMD_LAST_; i++)
    if (strcmp (commands[i], name) == 0)
      return (UaCmd) i;
  return UA_CMD_NONE;
}

static const OptSpec *
find_option (const char *name, size_t len)
{
  for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
    if (strlen (options[i].name) == len && memcmp (options[i].name, name, len) == 0)
      return &options[i];
  return NULL;
}

static int fail (char *err, size_t errlen, const char *fmt, ...)
  __attribute__ ((format (printf, 3, 4)));

static int
fail (char *err, size_t errlen, const char *fmt, ...)
{
  va_list ap;

  va_start (ap, fmt);
  vsnprintf (err, errlen, fmt, ap);
  va_end (ap);
  return -1;
}

static int
set_once (const char **slot, const char *value, const char *opt,
          char *err, size_t errlen)
{
  if (*slot != NULL)
    return fail (err, errlen, "--%s given twice", opt);
  *slot = value;
  return 0;
}

static int
parse_min_valid (UaCli *cli, const char *value, char *err, size_t errlen)
{
  char *end;
  long n;

  errno = 0;
  n = strtol (value, &end, 10);
  if (errno != 0 || end == value || *end != '\0' || n < 0 ||
      n > UA_CLI_MIN_VALID_MAX || value[0] == '+' || value[0] == ' ')
    return fail (err, errlen, "--min-valid takes a number of seconds, not '%s'", value);
  cli->min_valid = n;
  return 0;
}

static int
parse_login_timeout (UaCli *cli, const char *value, char *err, size_t errlen)
{
  char *end;
  long n;

  errno = 0;
  n = strtol (value, &end, 10);
  if (errno != 0 || end == value || *end != '\0' || n < 1 ||
      n > UA_CLI_LOGIN_TIMEOUT_MAX || value[0] == '+' || value[0] == ' ')
    return fail (err, errlen, "--timeout takes a number of seconds from 1 to %ld, not '%s'",
                 UA_CLI_LOGIN_TIMEOUT_MAX, value);
  cli->login_timeout = n;
  return 0;
}

static int
add_match (UaCli *cli, const char *value, char *err, size_t errlen)
{
  if (value[0] == '\0' || strpbrk (value, " \t") != NULL)
    return fail (err, errlen, "--match takes one URL pattern without spaces, not '%s'", value);
  if (cli->n_match == UA_CLI_MATCH_MAX)
    return fail (err, errlen, "too many --match patterns (at most %d)", UA_CLI_MATCH_MAX);
  cli->match[cli->n_match++] = value;
  return 0;
}

static int
apply_option (UaCli *cli, const OptSpec *opt, const char *value,
              char *err, size_t errlen)
{
  switch (opt->id)
    {
    case OPT_HELP: cli->help = true; return 0;
    case OPT_PROFILE: return set_once (&cli->profile, value, opt->name, err, errlen);
    case OPT_TYPE: return set_once (&cli->type, value, opt->name, err, errlen);
    case OPT_SETTING:
      return set_once (&cli->settings[opt->setting], value, opt->name, err, errlen);
    case OPT_MATCH: return add_match (cli, value, err, errlen);
    case OPT_ALLOW_PASSWORD: cli->allow_password = true; return 0;
    case OPT_REPLACE: cli->replace = true; return 0;
    case OPT_EXCHANGE: cli->exchange = true; return 0;
    case OPT_CONFIDENTIAL: cli->confidential = true; return 0;
    case OPT_FORWARD: cli->forward = true; return 0;
    case OPT_CALLERS: cli->callers = true; return 0;
    case OPT_NO_BROWSER: cli->no_browser = true; return 0;
    case OPT_TIMEOUT: return parse_login_timeout (cli, value, err, errlen);
    case OPT_SECRET_STDIN: cli->secret_stdin = true; return 0;
    case OPT_MIN_VALID: return parse_min_valid (cli, value, err, errlen);
    case OPT_FORCE_NEW: cli->force_new = true; return 0;
    case OPT_JSON: cli->json = true; return 0;
    case OPT_UNSET: cli->unset = true; return 0;
    case OPT_NO_DOTENV: cli->no_dotenv = true; return 0;
    case OPT_NO_CLI_CONFIG: cli->no_cli_config = true; return 0;
    case OPT_DIR:
      if (*value == '\0')
        return fail (err, errlen, "%s", "--dir needs a directory");
      return set_once (&cli->dir, value, opt->name, err, errlen);
    case OPT_DELETE: cli->delete_files = true; return 0;
    case OPT_PROXY: cli->proxy = true; return 0;
    case OPT_SHELL:
      cli->shell = ua_shell_from_name (value);
      if (cli->shell < 0)
        return fail (err, errlen, "unknown shell '%s' (use sh, bash, zsh, fish, csh, tcsh or json)", value);
      return 0;
    }
  return fail (err, errlen, "internal error parsing %s", opt->name);
}

/* Handles argv[*i], an option; may consume the next argument as its value. */
static int
parse_option (UaCli *cli, int argc, char **argv, int *i, char *err, size_t errlen)
{
  const char *arg = argv[*i];
  const char *name = arg + 2, *eq;
  const OptSpec *opt;

  if (strcmp (arg, "-h") == 0)
    name = "help";
  else if (arg[1] != '-')
    return fail (err, errlen, "unknown option '%s'", arg);
  eq = strchr (name, '=');
  opt = find_option (name, eq ? (size_t) (eq - name) : strlen (name));
  if (opt == NULL || !(opt->cmds & (1u << cli->cmd)))
    return fail (err, errlen, "unknown option '%s'", arg);
  if (!opt->has_arg)
    {
      if (eq != NULL)
        return fail (err, errlen, "option '%s' takes no value", arg);
      return apply_option (cli, opt, NULL, err, errlen);
    }
  if (eq == NULL && *i + 1 >= argc)
    return fail (err, errlen, "option '%s' needs a value", arg);
  return apply_option (cli, opt, eq ? eq + 1 : argv[++*i], err, errlen);
}

static int
parse_positional (UaCli *cli, char **argv, int i, bool *done,
                  char *err, size_t errlen)
{
  if (cli->cmd == UA_CMD_EXEC && cli->profile != NULL)
    {
      /* exec PROFILE CMD...: the command starts at the second word. */
      cli->exec_argv = &argv[i];
      *done = true;
      return 0;
    }
  if (!((1u << cli->cmd) & PROFILE_CMDS) || cli->profile != NULL)
    return fail (err, errlen, "unexpected argument '%s'", argv[i]);
  cli->profile = argv[i];
  return 0;
}

static int
parse_args (UaCli *cli, int argc, char **argv, char *err, size_t errlen)
{
  bool done = false;

  for (int i = 0; i < argc && !done; i++)
    {
      const char *arg = argv[i];
      int rc;

      if (strcmp (arg, "--") == 0)
        {
          if (cli->cmd == UA_CMD_EXEC)
            {
              cli->exec_argv = &argv[i + 1];
              return 0;
            }
          for (i++; i < argc && !done; i++)
            if (parse_positional (cli, argv, i, &done, err, errlen) < 0)
              return -1;
          return 0;
        }
      if (arg[0] == '-' && arg[1] != '\0')
        rc = parse_option (cli, argc, argv, &i, err, errlen);
      else
        rc = parse_positional (cli, argv, i, &done, err, errlen);
      if (rc < 0)
        return -1;
    }
  return 0;
}

static bool
date_valid (const char *s)
{
  static const char pattern[] = "dddd-dd-dd";

  if (strlen (s) != sizeof pattern - 1)
    return false;
  for (size_t i = 0; pattern[i]; i++)
    if (pattern[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != '-')
      return false;
  return true;
}

bool
ua_cli_id_valid (const char *s)
{
  size_t len = strlen (s);

  return len > 0 && len <= 64 &&
         strspn (s, "0123456789abcdefABCDEF-") == len;
}

static int
check_ids (const UaCli *cli, char *err, size_t errlen)
{
  static const UaSetting ids[] = { UA_SETTING_TENANT_ID, UA_SETTING_ORGANIZATION_ID };
  static const char *const opts[] = { "--tenant-id", "--organization-id" };

  for (size_t i = 0; i < 2; i++)
    if (cli->settings[ids[i]] != NULL && !ua_cli_id_valid (cli->settings[ids[i]]))
      return fail (err, errlen, "%s takes the id (a GUID such as "
                   "1b2c3d4e-0000-4000-8000-00000000000a), not '%s'",
                   opts[i], cli->settings[ids[i]]);
  return 0;
}

/* --secret-source: a form the agent knows, for a type with a secret. */
static int
check_secret_source (const UaCli *cli, char *err, size_t errlen)
{
  const char *spec = cli->settings[UA_SETTING_SECRET_SOURCE];
  UaSecretSourceKind kind;
  const char *arg;
  char why[512];

  if (ua_secret_source_parse (spec, &kind, &arg, why, sizeof why) < 0)
    return fail (err, errlen, "--secret-source: %s", why);
  if (kind == UA_SECRET_SOURCE_KEYRING)
    return 0;
  if (!ua_cli_needs_secret (cli))
    return fail (err, errlen, "--type %s has no secret for --secret-source to "
                 "name (its refresh token stays in the keyring)", cli->type);
  if (cli->secret_stdin)
    return fail (err, errlen, "--secret-source %s: the agent reads the secret "
                 "there, so there is none to give; drop --secret-stdin", spec);
  return 0;
}

static int
check_add (UaCli *cli, char *err, size_t errlen)
{
  const char *expires = cli->settings[UA_SETTING_EXPIRES];
  const char *token_auth = cli->settings[UA_SETTING_TOKEN_AUTH];
  const char *missing;
  char need[128];
  UaKind kind;

  if (cli->profile == NULL)
    return fail (err, errlen, "%s", "add needs a PROFILE name");
  if (cli->type == NULL)
    return fail (err, errlen, "add needs --type (%s)", UA_KIND_NAMES);
  if (!type_known (cli->type))
    return fail (err, errlen, "unknown --type '%s' (use " UA_KIND_NAMES ")", cli->type);
  if (cli->exchange && strcmp (cli->type, "api-key") != 0)
    return fail (err, errlen, "%s", "--exchange is for --type api-key only");
  if (cli->confidential && strcmp (cli->type, "authorization-code") != 0)
    return fail (err, errlen, "%s", "--confidential is for --type authorization-code "
                 "(a client-credentials app always has its secret)");
  if (token_auth != NULL && strcmp (token_auth, "post") != 0 && strcmp (token_auth, "basic") != 0)
    return fail (err, errlen, "--token-auth takes post or basic, not '%s'", token_auth);
  if (token_auth != NULL && !ua_cli_needs_secret (cli))
    return fail (err, errlen, "%s", "--token-auth is for apps with a client secret: "
                 "--type client-credentials, or authorization-code with --confidential");
  if (cli->secret_stdin && !ua_cli_needs_secret (cli))
    return fail (err, errlen, "--type %s has no secret to read%s; drop --secret-stdin",
                 cli->type, strcmp (cli->type, "authorization-code") == 0
                 ? " (unless the app is --confidential)" : "");
  if (expires != NULL && !date_valid (expires))
    return fail (err, errlen, "--expires takes a date as YYYY-MM-DD, not '%s'", expires);
  if (check_ids (cli, err, errlen) < 0 || check_secret_source (cli, err, errlen) < 0)
    return -1;
  /* The same requirements as the agent's, before any secret prompt. */
  ua_kind_from_name (cli->type, &kind);
  if ((missing = ua_kind_missing (ua_kind_info (kind), cli_setting, cli, need,
                                  sizeof need)) != NULL)
    {
      if (strcmp (missing, "--allow-password") == 0)
        return fail (err, errlen, "--type %s is refused unless you opt in with "
                     "--allow-password (not recommended: prefer --type pat or "
                     "client-credentials)", cli->type);
      return fail (err, errlen, "--type %s needs %s", cli->type, missing);
    }
  return 0;
}

/* Checks what the options alone cannot: required arguments. */
static int
check (UaCli *cli, char *err, size_t errlen)
{
  if (cli->help)
    return 0;
  switch (cli->cmd)
    {
    case UA_CMD_ADD:
      return check_add (cli, err, errlen);
    case UA_CMD_REMOVE:
      return cli->profile ? 0 : fail (err, errlen, "%s", "remove needs a PROFILE name");
    case UA_CMD_IMPORT:
      return cli->profile ? 0 : fail (err, errlen, "%s", "import needs a PROFILE name "
                                      "for the profile to create");
    case UA_CMD_EXEC:
      if (cli->exec_argv == NULL || cli->exec_argv[0] == NULL)
        return fail (err, errlen, "%s", "exec needs a command: uipauth exec PROFILE -- CMD [ARGS...]");
      return 0;
    default:
      return 0;
    }
}

static int
parse_agent (UaCli *cli, int argc, char **argv, char *err, size_t errlen)
{
  static const char *const actions[] = { NULL, "start", "stop", "status" };

  if (argc > 0 && argv[0][0] != '-')
    {
      for (int a = UA_AGENT_START; a <= UA_AGENT_STATUS; a++)
        if (strcmp (argv[0], actions[a]) == 0)
          cli->agent_action = (UaAgentAction) a;
      if (cli->agent_action == UA_AGENT_NONE)
        return fail (err, errlen, "unknown agent action '%s' (use start, stop or status)", argv[0]);
      argc--, argv++;
    }
  if (parse_args (cli, argc, argv, err, errlen) < 0)
    return -1;
  if (cli->agent_action == UA_AGENT_NONE && !cli->help)
    return fail (err, errlen, "%s", "agent needs an action: start, stop or status");
  return 0;
}

/* As git-credential-uipauth, git runs "git-credential-uipauth [OPTIONS]
 * ACTION": the action comes last, and git may add actions we do not know,
 * which helpers must ignore (they become a `store`, which does nothing). */
static int
parse_git_helper (UaCli *cli, int argc, char **argv, char *err, size_t errlen)
{
  const char *action = argc > 1 ? argv[argc - 1] : NULL;

  cli->git_helper = true;
  if (action == NULL)
    return fail (err, errlen, "%s", "missing action: get, store or erase");
  if (strcmp (action, "--help") == 0 || strcmp (action, "-h") == 0)
    {
      cli->cmd = UA_CMD_GET;
      cli->help = true;
      return 0;
    }
  cli->cmd = command_from_name (action);
  if (!((1u << cli->cmd) & GIT_CMDS))
    cli->cmd = UA_CMD_STORE;
  return parse_args (cli, argc - 2, argv + 1, err, errlen);
}

static const char *
basename_of (const char *path)
{
  const char *slash = strrchr (path, '/');
  return slash ? slash + 1 : path;
}

int
ua_cli_parse (int argc, char **argv, UaCli *cli, char *err, size_t errlen)
{
  const char *first = argc > 1 ? argv[1] : NULL;

  *cli = (UaCli) { .min_valid = -1, .shell = -1, .login_timeout = -1 };
  if (argc > 0 && strcmp (basename_of (argv[0]), "git-credential-uipauth") == 0)
    return parse_git_helper (cli, argc, argv, err, errlen) < 0 ? -1 : check (cli, err, errlen);
  if (first == NULL)
    return fail (err, errlen, "%s", "missing command");
  if (strcmp (first, "--help") == 0 || strcmp (first, "-h") == 0)
    first = "help";
  else if (strcmp (first, "--version") == 0)
    first = "version";
  cli->cmd = command_from_name (first);
  if (cli->cmd == UA_CMD_NONE)
    return fail (err, errlen, "unknown command '%s'", first);
  if (cli->cmd == UA_CMD_HELP && argc > 2)
    {
      /* "uipauth help CMD" is "uipauth CMD --help". */
      cli->cmd = command_from_name (argv[2]);
      cli->help = true;
      if (cli->cmd == UA_CMD_NONE)
        return fail (err, errlen, "unknown command '%s'", argv[2]);
      return 0;
    }
  if (cli->cmd == UA_CMD_AGENT)
    return parse_agent (cli, argc - 2, argv + 2, err, errlen) < 0 ? -1 : check (cli, err, errlen);
  if (parse_args (cli, argc - 2, argv + 2, err, errlen) < 0)
    return -1;
  return check (cli, err, errlen);
}
