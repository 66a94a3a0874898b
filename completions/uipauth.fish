# fish completion for uipauth(1).  Profile names come from the agent
# (`uipauth list --json`): an agent may hold its profiles in memory only.

function __uipauth_profiles
    set -l exe (commandline -opc)[1]
    set -q exe[1]; or set exe uipauth
    set -q UIPAUTH_TIMEOUT; or set -lx UIPAUTH_TIMEOUT 3
    $exe list --json 2>/dev/null | string replace -rf '^\s*"name": "([^"]*)".*' '$1'
end

set -l __uipauth_commands add remove list status token header env exec login logout import get store erase agent lock doctor help
set -l __uipauth_profile_commands remove login logout token header env exec

complete -c uipauth -f
complete -c uipauth -n "not __fish_seen_subcommand_from $__uipauth_commands" -l help -d 'Show help'
complete -c uipauth -n "not __fish_seen_subcommand_from $__uipauth_commands" -l version -d 'Show the version'
complete -c uipauth -n "not __fish_seen_subcommand_from $__uipauth_commands" -a add -d 'Store a credential in the keyring'
complete -c uipauth -n "not __fish_seen_subcommand_from $__uipauth_commands" -a remove -d 'Forget a profile, its secrets and tokens'
complete -c uipauth -n "not __fish_seen_subcommand_from $__uipauth_commands" -a list -d 'List profiles'
complete -c uipauth -n "not __fish_seen_subcommand_from $__uipauth_commands" -a status -d 'Profiles, sign-ins, cached token expiry, errors, callers'
complete -c uipauth -n "not __fish_seen_subcommand_from $__uipauth_commands" -a token -d 'Print a bearer token'
complete -c uipauth -n "not __fish_seen_subcommand_from $__uipauth_commands" -a header -d 'Print "Authorization: Bearer TOKEN"'
complete -c uipauth -n "not __fish_seen_subcommand_from $__uipauth_commands" -a env -d 'Print commands that export UIPATH_* variables'
complete -c uipauth -n "not __fish_seen_subcommand_from $__uipauth_commands" -a exec -d 'Run a command with UIPATH_* variables set'
complete -c uipauth -n "not __fish_seen_subcommand_from $__uipauth_commands" -a login -d 'Sign in through the browser'
complete -c uipauth -n "not __fish_seen_subcommand_from $__uipauth_commands" -a import -d 'Move a `uipath auth` sign-in into uipauth'
complete -c uipauth -n "not __fish_seen_subcommand_from $__uipauth_commands" -a logout -d 'Revoke the sign-in and forget its tokens'
complete -c uipauth -n "not __fish_seen_subcommand_from $__uipauth_commands" -a get -d 'git credential helper: answer with a token'
complete -c uipauth -n "not __fish_seen_subcommand_from $__uipauth_commands" -a store -d 'git credential helper: does nothing'
complete -c uipauth -n "not __fish_seen_subcommand_from $__uipauth_commands" -a erase -d 'git credential helper: drop the cached token'
complete -c uipauth -n "not __fish_seen_subcommand_from $__uipauth_commands" -a agent -d 'Start, stop or query uipauth-agent'
complete -c uipauth -n "not __fish_seen_subcommand_from $__uipauth_commands" -a lock -d 'Drop every cached token from memory'
complete -c uipauth -n "not __fish_seen_subcommand_from $__uipauth_commands" -a doctor -d 'Check the set-up and say what to fix'
complete -c uipauth -n "not __fish_seen_subcommand_from $__uipauth_commands" -a help -d 'Show help for a command'

# A profile name as the first argument of the commands that take one.
complete -c uipauth -n "__fish_seen_subcommand_from $__uipauth_profile_commands; and not __fish_seen_subcommand_from (__uipauth_profiles); and not __fish_seen_subcommand_from --" -a '(__uipauth_profiles)' -d Profile

complete -c uipauth -n "__fish_seen_subcommand_from $__uipauth_commands" -l help -d 'Show help'
complete -c uipauth -n '__fish_seen_subcommand_from add' -x -l type -a 'pat client-credentials authorization-code api-key password' -d 'Credential type'
complete -c uipauth -n '__fish_seen_subcommand_from add' -x -l url -d 'Service base URL'
complete -c uipauth -n '__fish_seen_subcommand_from add' -x -l organization -d 'Organization'
complete -c uipauth -n '__fish_seen_subcommand_from add' -x -l tenant -d 'Tenant'
complete -c uipauth -n '__fish_seen_subcommand_from add' -x -l client-id -d 'External application id'
complete -c uipauth -n '__fish_seen_subcommand_from add' -x -l scopes -d 'Scopes, space-separated'
complete -c uipauth -n '__fish_seen_subcommand_from add' -x -l identity-url -d 'Identity server'
complete -c uipauth -n '__fish_seen_subcommand_from add' -x -l redirect-uri -d 'Authorization-code redirect'
complete -c uipauth -n '__fish_seen_subcommand_from add' -x -l username -d 'User name'
complete -c uipauth -n '__fish_seen_subcommand_from add' -x -l expires -d 'PAT expiry date (YYYY-MM-DD)'
complete -c uipauth -n '__fish_seen_subcommand_from add' -x -l match -d 'URL pattern for git'
complete -c uipauth -n '__fish_seen_subcommand_from add' -x -l tenant-id -d 'Tenant id, for UIPATH_TENANT_ID'
complete -c uipauth -n '__fish_seen_subcommand_from add' -x -l organization-id -d 'Organization id, for UIPATH_ORGANIZATION_ID'
complete -c uipauth -n '__fish_seen_subcommand_from add' -l allow-password -d 'Allow the password type'
complete -c uipauth -n '__fish_seen_subcommand_from add' -l exchange -d 'api-key: trade the key for tokens at the account server'
complete -c uipauth -n '__fish_seen_subcommand_from add' -l confidential -d 'authorization-code: the application has a client secret'
complete -c uipauth -n '__fish_seen_subcommand_from add' -x -l token-auth -a 'post basic' -d 'How the client secret is sent'
complete -c uipauth -n '__fish_seen_subcommand_from add' -l forward -d 'Also serve it on the restricted socket, for ssh -R'
complete -c uipauth -n '__fish_seen_subcommand_from add' -l replace -d 'Overwrite an existing profile'
complete -c uipauth -n '__fish_seen_subcommand_from add' -l secret-stdin -d 'Read the secret from standard input'
complete -c uipauth -n '__fish_seen_subcommand_from add' -x -l secret-source -a 'keyring file:/ credential:' -d 'Where the agent reads the secret'
complete -c uipauth -n '__fish_seen_subcommand_from list status' -l json -d 'Print JSON'
complete -c uipauth -n '__fish_seen_subcommand_from status' -l callers -d "Also who was given each profile's tokens"
complete -c uipauth -n '__fish_seen_subcommand_from token header env exec get store erase' -x -l profile -a '(__uipauth_profiles)' -d Profile
complete -c uipauth -n '__fish_seen_subcommand_from token header env exec get' -x -l min-valid -d 'Seconds the token must stay valid'
complete -c uipauth -n '__fish_seen_subcommand_from token header env exec' -l force-new -d 'Mint a new token'
complete -c uipauth -n '__fish_seen_subcommand_from exec' -l proxy -d 'Give the command a token-adding loopback proxy, not a token'
complete -c uipauth -n '__fish_seen_subcommand_from env' -x -l shell -a 'sh bash zsh fish csh tcsh json' -d 'Shell to write for'
complete -c uipauth -n '__fish_seen_subcommand_from env' -l unset -d 'Print commands that remove the variables'
complete -c uipauth -n '__fish_seen_subcommand_from exec; and not __fish_seen_subcommand_from --' -l no-dotenv -d 'Set PYTHON_DOTENV_DISABLED=1 for the command'
complete -c uipauth -n '__fish_seen_subcommand_from exec; and not __fish_seen_subcommand_from --' -l no-cli-config -d 'Give uipathcli an empty config'
complete -c uipauth -n '__fish_seen_subcommand_from login' -l no-browser -d 'Print the URL instead of opening a browser'
complete -c uipauth -n '__fish_seen_subcommand_from login' -x -l timeout -d 'Seconds to wait for the sign-in'
complete -c uipauth -n '__fish_seen_subcommand_from import' -x -l dir -a '(__fish_complete_directories)' -d 'Where uipath auth ran'
complete -c uipauth -n '__fish_seen_subcommand_from import' -l delete -d 'Remove the token files afterwards'
complete -c uipauth -n '__fish_seen_subcommand_from agent; and not __fish_seen_subcommand_from start stop status' -a 'start stop status'
complete -c uipauth -n '__fish_seen_subcommand_from help; and test (count (commandline -opc)) -eq 2' -a "$__uipauth_commands"
# exec PROFILE -- CMD ARGS...: complete the command being run.
complete -c uipauth -n '__fish_seen_subcommand_from exec; and __fish_seen_subcommand_from --' -a '(__fish_complete_subcommand --fcs-skip=4)'
