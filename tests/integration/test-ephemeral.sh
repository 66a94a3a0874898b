#!/bin/sh
# uipauth-agent --ephemeral, the CI-job mode: no keyring at all, secrets
# from the agent's environment (then scrubbed from it) or from `uipauth
# add`, kept in memory only; nothing is written anywhere.
. "$UA_TESTS/lib.sh"
ua_setup_dirs
# A CI runner: no D-Bus session, no keyring.
unset DBUS_SESSION_BUS_ADDRESS
export UIPAUTH_NO_AUTOSTART=1

SECRET='cc-ephemeral-secret-Vn4w'
PAT='pat-ephemeral-Lk9p'
ADDED='pat-added-later-Rt6c'
ua_start_idserver --client "ci-app:$SECRET:OR.Jobs,OR.Folders.Read" ||
  { echo "Bail out! identity server did not start"; exit 1; }

# start_ephemeral VAR=VALUE...: an agent with that environment.
start_ephemeral () {
  env "$@" "$UIPAUTH_AGENT" --ephemeral --foreground --debug --socket "$UIPAUTH_SOCK" \
    2>>"$T/agent.log" &
  AGENT_PID=$!
  ua_track "$AGENT_PID"
  wait_for 10 test -S "$UIPAUTH_SOCK"
}

# --- an external application from the environment --------------------------
start_ephemeral UIPATH_CLIENT_ID=ci-app UIPATH_CLIENT_SECRET="$SECRET" \
  UIPATH_URL="$IDP/myorg/mytenant" UIPATH_IDENTITY_URL="$IDP/identity_" \
  UIPATH_SCOPES="OR.Jobs OR.Folders.Read" ||
  { echo "Bail out! ephemeral agent did not start"; exit 1; }
list=$("$UIPAUTH" list)
like "$list" "env +client-credentials" "the environment's credential is profile \"env\""
tok=$("$UIPAUTH" token)
like "$tok" '^tok-' "it mints tokens at the identity server"
is "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tok" "$IDP/api/check")" 200 \
  "the token is one the server accepts"
out=$(sh -c 'eval "$("$UIPAUTH" env --shell sh)" && printf %s "$UIPATH_URL"')
is "$out" "$IDP/myorg/mytenant" "UIPATH_URL is split into url, organization and tenant"

environ=$(tr '\0' '\n' <"/proc/$AGENT_PID/environ")
unlike "$environ" "$SECRET" "the client secret is scrubbed from /proc/PID/environ"
unlike "$environ" "UIPATH_CLIENT_SECRET|UIPATH_CLIENT_ID|UIPATH_PAT" \
  "so are the variables' names"
like "$environ" "UIPATH_SCOPES=" "settings stay (they are not secret)"

# --- more secrets with uipauth add, in memory only -----------------------
printf '%s\n' "$ADDED" | "$UIPAUTH" add later --type pat >/dev/null 2>"$T/add.err"
is "$?" 0 "uipauth add works without a keyring"
is "$("$UIPAUTH" token later)" "$ADDED" "and its secret is served"
like "$("$UIPAUTH" status)" "memory only" "status says the profiles are in memory only"
status_is 0 "doctor: nothing wrong with no keyring in ephemeral mode" "$UIPAUTH" doctor
like "$(cat "$T/last.out")" "ok +keyring +none: the agent runs with --ephemeral" \
  "doctor says secrets are in memory"
kill -HUP "$AGENT_PID"
sleep 0.3
is "$("$UIPAUTH" token later)" "$ADDED" "SIGHUP keeps the in-memory profiles"
status_is 0 "remove works in memory" "$UIPAUTH" remove later
status_is 4 "and the profile is gone" "$UIPAUTH" token later

check "no profiles.ini is written" test ! -e "$XDG_CONFIG_HOME/uipauth/profiles.ini"
check "no secret in any file under the test's home" no_file_contains "$SECRET" "$T"
check "nor the added one" no_file_contains "$ADDED" "$T"
check "no keyring files either" test ! -e "$XDG_DATA_HOME/keyrings"

ua_stop_agent
start_ephemeral
status_is 4 "a restarted ephemeral agent has forgotten everything" "$UIPAUTH" token env
ua_stop_agent

# --- a PAT from the environment ----------------------------------------------
start_ephemeral UIPATH_PAT="$PAT" UIPATH_URL=https://cloud.uipath.com/org1/ten1
is "$("$UIPAUTH" token env)" "$PAT" "UIPATH_PAT becomes a pat profile"
unlike "$(tr '\0' '\n' <"/proc/$AGENT_PID/environ")" "$PAT|UIPATH_PAT" "and is scrubbed"
ua_stop_agent

# --- contradictions are refused at start -------------------------------------
status_is 1 "UIPATH_PAT and UIPATH_CLIENT_SECRET together are refused" \
  env UIPATH_PAT=x UIPATH_CLIENT_ID=y UIPATH_CLIENT_SECRET=z \
  "$UIPAUTH_AGENT" --ephemeral --foreground --socket "$UIPAUTH_SOCK"
like "$(cat "$T/last.err")" "set one credential" "with a message saying so"
status_is 1 "a client secret without an id is refused" \
  env UIPATH_CLIENT_SECRET=z "$UIPAUTH_AGENT" --ephemeral --foreground --socket "$UIPAUTH_SOCK"
like "$(cat "$T/last.err")" "UIPATH_CLIENT_ID" "naming the missing variable"

done_testing
