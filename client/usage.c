#include "usage.h"

#include <string.h>
#include <unistd.h>

#include "errors.h"
#include "out.h"
#include "sdkauth.h"
#include "ua-version.h"

static const char overview[] =
  "Usage: uipauth COMMAND [OPTIONS]\n"
  "\n"
  "Bearer tokens for the UiPath APIs, from secrets kept in the keyring by\n"
  "uipauth-agent.\n"
  "\n"
  "Profiles:\n"
  "  add PROFILE --type TYPE [...]   store a credential (secret read from stdin\n"
  "                                  or a prompt, never from the command line)\n"
  "  remove PROFILE                  forget a profile, its secrets and tokens\n"
  "  list [--json]                   list profiles\n"
  "  status [--json] [--callers]     profiles, sign-ins, token expiry, errors,\n"
  "                                  and who was given tokens\n"
  "  login PROFILE [--no-browser]    sign in with a browser (authorization-code)\n"
  "  import PROFILE [--dir DIR] [--delete]\n"
  "                                  move a `uipath auth` sign-in into uipauth\n"
  "  logout [PROFILE]                revoke the sign-in and forget its tokens\n"
  "\n"
  "Tokens:\n"
  "  token [PROFILE]                 print a bearer token\n"
  "  header [PROFILE]                print \"Authorization: Bearer TOKEN\"\n"
  "  env [PROFILE] [--shell SHELL]   print commands that export UIPATH_* variables\n"
  "  exec PROFILE [--proxy] -- CMD   run CMD with UIPATH_* variables set\n"
  "\n"
  "git credential helper (also installed as git-credential-uipauth):\n"
  "  get | store | erase\n"
  "\n"
  "Agent:\n"
  "  agent start | stop | status\n"
  "  lock                            drop every cached token from memory\n"
  "  doctor                          check the set-up and say what to fix\n"
  "\n"
  "PROFILE defaults to $UIPAUTH_PROFILE, then to the only profile there is.\n"
  "Run 'uipauth COMMAND --help' for a command's options.\n"
  "\n"
  "Exit status: 0 success, 1 failure, 2 usage error, 3 no agent, 4 unknown\n"
  "profile, 5 credential rejected or expired, 6 identity server unreachable,\n"
  "7 secret unavailable (keyring locked or missing, or secret file unreadable).\n";

static const char help_add[] =
  "Usage: uipauth add PROFILE --type TYPE [OPTIONS]\n"
  "\n"
  "Creates PROFILE and stores its secret in the keyring.  TYPE is one of:\n"
  "  pat                 Personal Access Token (the secret is the token)\n"
  "  client-credentials  confidential external application (client secret)\n"
  "  authorization-code  application that signs you in: run 'uipauth login'\n"
  "                      (a client secret only with --confidential)\n"
  "  api-key             legacy user key (no longer supported by UiPath)\n"
  "  password            username and password (not recommended; opt in\n"
  "                      with --allow-password)\n"
  "\n"
  "The secret is read from standard input when it is not a terminal (one\n"
  "line; a trailing newline is dropped), else asked for without echo.\n"
  "\n"
  "Options:\n"
  "  --url URL             service base, e.g. https://cloud.uipath.com\n"
  "  --organization ORG    organization name (URL path segment)\n"
  "  --tenant TENANT       tenant name (URL path segment)\n"
  "  --client-id ID        external application id\n"
  "  --scopes \"S1 S2\"      scopes to request, space-separated\n"
  "  --identity-url URL    identity server (default {scheme}://{host}/identity_)\n"
  "  --redirect-uri URI    authorization-code redirect (default http://localhost:12700)\n"
  "  --username USER       user name (password type)\n"
  "  --expires YYYY-MM-DD  when the PAT expires, to be warned before\n"
  "  --tenant-id ID        the tenant's id, exported as UIPATH_TENANT_ID\n"
  "  --organization-id ID  the organization's id, exported as UIPATH_ORGANIZATION_ID\n"
  "  --match PATTERN       URL pattern for git, e.g. https://cloud.uipath.com/org/*\n"
  "                        (may be given several times)\n"
  "  --allow-password      allow the password type (not recommended)\n"
  "  --exchange            api-key: trade the key for 24 h tokens at the account\n"
  "                        server (needs --tenant) instead of sending it as is\n"
  "  --confidential        authorization-code: the application is confidential;\n"
  "                        its client secret is read like any secret\n"
  "  --token-auth HOW      how an application's client secret is sent: post (in\n"
  "                        the form, the default) or basic (HTTP Basic)\n"
  "  --forward             also serve its tokens on the agent's restricted socket,\n"
  "                        the one to forward to other hosts with ssh -R\n"
  "  --replace             overwrite an existing profile of that name\n"
  "  --secret-stdin        read the secret from standard input even from a terminal\n"
  "  --secret-source SRC   where the agent reads the secret at every mint, instead\n"
  "                        of storing one: file:/ABSOLUTE/PATH, credential:NAME (in\n"
  "                        the agent's $CREDENTIALS_DIRECTORY, from systemd), or\n"
  "                        keyring (the default); with a file, no secret is read\n"
  "\n"
  "Example:\n"
  "  printf %s \"$PAT\" | uipauth add work --type pat --url https://cloud.uipath.com \\\n"
  "      --organization myorg --tenant DefaultTenant\n";

static const char help_remove[] =
  "Usage: uipauth remove PROFILE\n"
  "\n"
  "Forgets PROFILE: its settings, its secrets in the keyring and its cached\n"
  "tokens.  A secret file (--secret-source) is left alone.  An\n"
  "authorization-code profile is signed out first, as by 'uipauth logout': its\n"
  "refresh token is revoked at the identity server if it can be.\n";

static const char help_list[] =
  "Usage: uipauth list [--json]\n"
  "\n"
  "Lists the profiles and their settings (never secrets).\n"
  "\n"
  "  --json    print a JSON array of objects, one per profile\n";

static const char help_status[] =
  "Usage: uipauth status [--json] [--callers]\n"
  "\n"
  "Shows the agent and each profile: type, when its cached token expires,\n"
  "its state and its last error; for authorization-code profiles, whether\n"
  "they are signed in and when they were last refreshed.  Never shows a token.\n"
  "\n"
  "  --json     print a JSON object\n"
  "  --callers  also who was given each profile's tokens (the last 50): when,\n"
  "             on which socket, and the process's pid, uid and executable\n";

static const char help_token[] =
  "Usage: uipauth token [PROFILE] [--min-valid SECONDS] [--force-new]\n"
  "\n"
  "Prints a bearer token for PROFILE and a newline.\n"
  "\n"
  "  --min-valid SECONDS  the token must stay valid this long (default 60)\n"
  "  --force-new          mint a new token instead of using the cached one\n"
  "  --profile PROFILE    the same as the PROFILE argument\n";

static const char help_header[] =
  "Usage: uipauth header [PROFILE] [--min-valid SECONDS] [--force-new]\n"
  "\n"
  "Prints \"Authorization: Bearer TOKEN\", for example for curl:\n"
  "  uipauth header work | curl -H @- https://cloud.uipath.com/...\n";

static const char help_env[] =
  "Usage: uipauth env [PROFILE] [--shell SHELL] [--unset] [--min-valid SECONDS]\n"
  "\n"
  "Prints commands that set UIPATH_URL, UIPATH_ACCESS_TOKEN, UIPATH_URI,\n"
  "UIPATH_ORGANIZATION, UIPATH_TENANT, UIPATH_PAT, UIPATH_TENANT_ID and\n"
  "UIPATH_ORGANIZATION_ID for PROFILE, and remove those it has no value for,\n"
  "UNATTENDED_USER_ACCESS_TOKEN (which UiPath's SDK would prefer to ours) and\n"
  "uipathcli's UIPATH_CLIENT_ID, UIPATH_CLIENT_SECRET and UIPATH_AUTH_*:\n"
  "  sh, bash, zsh:  eval \"$(uipauth env)\"\n"
  "  fish:           uipauth env | source\n"
  "  csh, tcsh:      eval \"`uipauth env`\"\n"
  "\n"
  "  --shell SHELL  sh, bash, zsh, fish, csh, tcsh or json (default: from $SHELL)\n"
  "  --unset        print the commands that remove the variables instead\n"
  "\n"
  "Warns on standard error when UIPATH_URL would not be\n"
  "scheme://host[:port]/ORGANIZATION/TENANT, the shape UiPath's SDK reads.\n"
  "  --min-valid SECONDS, --force-new, --profile PROFILE: as for 'uipauth token'\n";

static const char help_exec[] =
  "Usage: uipauth exec PROFILE [--proxy] [--no-dotenv] [--no-cli-config]\n"
  "                    [--min-valid SECONDS] -- CMD [ARGS...]\n"
  "\n"
  "Runs CMD with the variables of 'uipauth env' set (and those PROFILE has no\n"
  "value for removed, as are every UIPATH_AUTH_* variable).  Exits as CMD\n"
  "does; 127 if CMD is not found, 126 if it cannot be run.\n"
  "\n"
  "Warns when ./.env sets UIPATH_URL, UIPATH_ACCESS_TOKEN or\n"
  "UNATTENDED_USER_ACCESS_TOKEN (UiPath's `uipath` command loads it over the\n"
  "environment), and when uipathcli's config ($UIPATH_CONFIGURATION_PATH or\n"
  "~/.uipath/config) has an auth section for the profile it would use.\n"
  "\n"
  "  --proxy          for commands that run longer than a token lives: CMD\n"
  "                   talks to a proxy on 127.0.0.1 that adds a fresh token to\n"
  "                   each request and sends it to PROFILE's url.  UIPATH_URL\n"
  "                   and UIPATH_URI point at the proxy; UIPATH_ACCESS_TOKEN\n"
  "                   and UIPATH_PAT hold a random key that only this proxy\n"
  "                   accepts, never a token.  The proxy ends with CMD.\n"
  "  --no-dotenv      set PYTHON_DOTENV_DISABLED=1: the command loads no .env\n"
  "  --no-cli-config  set UIPATH_CONFIGURATION_PATH=/dev/null: uipathcli reads\n"
  "                   an empty config, so only uipauth's token is used\n"
  "  --min-valid SECONDS, --force-new: as for 'uipauth token'\n";

static const char help_git[] =
  "Usage: uipauth get | store | erase [--profile PROFILE] [--min-valid SECONDS]\n"
  "       git-credential-uipauth [--profile PROFILE] get | store | erase\n"
  "\n"
  "git's credential helper protocol on standard input and output.  'get'\n"
  "answers with a token of the profile whose --match pattern fits the URL\n"
  "(or of --profile); 'store' does nothing, since tokens are minted, not\n"
  "stored; 'erase' drops the profile's cached token.  Set up with:\n"
  "  git config --global credential.https://cloud.uipath.com.helper uipauth\n"
  "  git config --global credential.https://cloud.uipath.com.useHttpPath true\n"
  "\n"
  "  --min-valid SECONDS  how long the token must stay valid (default 300)\n";

static const char help_agent[] =
  "Usage: uipauth agent start | stop | status\n"
  "\n"
  "  start   start uipauth-agent unless one is running\n"
  "  stop    ask the running agent to exit\n"
  "  status  print the running agent's pid and version; exit 3 if none runs\n"
  "\n"
  "The agent is started on demand by every command that needs it, unless\n"
  "UIPAUTH_NO_AUTOSTART=1, or unless the socket is the end of a forward\n"
  "over ssh (see uipauth(1), FORWARDING TO REMOTE HOSTS).  Its socket is\n"
  "$UIPAUTH_SOCK, else $XDG_RUNTIME_DIR/uipauth/agent.sock, else\n"
  "/tmp/uipauth-$UID/agent.sock.\n";

static const char help_lock[] =
  "Usage: uipauth lock\n"
  "\n"
  "Makes the agent drop every cached token from memory at once, for example\n"
  "from a screen locker.  Secrets stay in the keyring; the next request\n"
  "mints a new token.  Succeeds when no agent runs.\n";

static const char help_doctor[] =
  "Usage: uipauth doctor\n"
  "\n"
  "Checks the socket, the agent, the keyring, the profiles file, the clock,\n"
  "and for each profile its secret and whether its identity server answers;\n"
  "prints what to fix.  Warns (WARN, not a failure) about a profile whose\n"
  "UIPATH_URL UiPath's SDK could not read.  Exits 1 when something is wrong.\n";

static const char help_login[] =
  "Usage: uipauth login PROFILE [--no-browser] [--timeout SECONDS]\n"
  "\n"
  "Signs PROFILE (type authorization-code) in: the agent listens at the\n"
  "profile's redirect URI (default http://localhost:12700), and login opens\n"
  "your browser ($BROWSER, else xdg-open) at the identity server; after you\n"
  "sign in there, the agent stores the refresh token in the keyring.  Tokens\n"
  "are then minted from it.\n"
  "\n"
  "Without a display, or through ssh, login prints the URL to open on your\n"
  "own machine and the 'ssh -L PORT:127.0.0.1:PORT USER@HOST' command that\n"
  "brings the sign-in back here.  Ctrl-C cancels the sign-in.\n"
  "\n"
  "  --no-browser       print the URL to open instead of opening a browser\n"
  "  --timeout SECONDS  give up waiting for the browser after this (default 300)\n";

static const char help_import[] =
  "Usage: uipauth import PROFILE [--dir DIR] [--delete]\n"
  "\n"
  "Moves what `uipath auth` (UiPath's Python SDK) left in DIR (default: the\n"
  "current directory) into uipauth: creates PROFILE, an authorization-code\n"
  "profile for UiPath's own client (" UA_SDKAUTH_CLIENT_ID "),\n"
  "with url, organization and tenant from UIPATH_URL in DIR/.env (and its\n"
  "UIPATH_TENANT_ID and UIPATH_ORGANIZATION_ID), and stores the refresh token\n"
  "of DIR/.uipath/.auth.json in the keyring.  Says what it found and did.\n"
  "\n"
  "  --dir DIR   where `uipath auth` ran\n"
  "  --delete    once a token was minted from the imported refresh token,\n"
  "              remove DIR/.uipath/.auth.json and the token lines of DIR/.env\n"
  "              (rewritten whole; its other lines are kept)\n"
  "\n"
  "Nothing is changed when a file cannot be read cleanly.  Sign in again with\n"
  "'uipauth login PROFILE' (redirect " UA_SDKAUTH_REDIRECT_URI ").\n";
static const char help_logout[] =
  "Usage: uipauth logout [PROFILE]\n"
  "\n"
  "Signs PROFILE (type authorization-code) out: the agent revokes its refresh\n"
  "token at the identity server, then forgets it and every token of the\n"
  "profile, and cancels a pending 'uipauth login'.  When the server cannot\n"
  "revoke it, a warning says why; the sign-in is forgotten here anyway (exit\n"
  "status 0).  Sign in again with 'uipauth login PROFILE'.\n";

static const char *const texts[UA_CMD_LAST_] = {
  [UA_CMD_NONE] = overview, [UA_CMD_HELP] = overview,
  [UA_CMD_VERSION] = "Usage: uipauth --version\n",
  [UA_CMD_ADD] = help_add, [UA_CMD_REMOVE] = help_remove,
  [UA_CMD_LIST] = help_list, [UA_CMD_STATUS] = help_status,
  [UA_CMD_TOKEN] = help_token, [UA_CMD_HEADER] = help_header,
  [UA_CMD_ENV] = help_env, [UA_CMD_EXEC] = help_exec,
  [UA_CMD_GET] = help_git, [UA_CMD_STORE] = help_git, [UA_CMD_ERASE] = help_git,
  [UA_CMD_AGENT] = help_agent, [UA_CMD_PING] = help_agent,
  [UA_CMD_LOGIN] = help_login, [UA_CMD_IMPORT] = help_import,
  [UA_CMD_LOGOUT] = help_logout,
  [UA_CMD_LOCK] = help_lock, [UA_CMD_DOCTOR] = help_doctor,
};

const char *
ua_usage_text (UaCmd cmd)
{
  return cmd < UA_CMD_LAST_ && texts[cmd] ? texts[cmd] : overview;
}

int
ua_usage_print (const UaCli *cli)
{
  const char *text = ua_usage_text (cli->cmd);

  return ua_out_write (STDOUT_FILENO, text, strlen (text)) < 0 ? UA_EXIT_FAILURE : UA_EXIT_OK;
}

int
ua_usage_error (const UaCli *cli, const char *err)
{
  const char *name = ua_cli_command_name (cli->cmd);

  if (cli->cmd == UA_CMD_NONE)
    ua_out_error ("%s\nTry 'uipauth --help'.", err);
  else
    ua_out_error ("%s\nTry 'uipauth %s --help'.", err, name);
  return UA_EXIT_USAGE;
}

int
ua_usage_version (const UaCli *cli)
{
  static const char version[] = "uipauth " UA_VERSION "\n";

  return ua_out_write (STDOUT_FILENO, version, sizeof version - 1) < 0
         ? UA_EXIT_FAILURE : UA_EXIT_OK;
}
