#!/bin/sh
# The agent's life: start, status and stop from the client, logging in the
# foreground, SIGHUP reloading profiles.ini, `uipauth lock` dropping every
# token at once, and `uipauth doctor` on a healthy and a broken set-up.
. "$UA_TESTS/lib.sh"
ua_setup

SECRET=cc-lifecycle-secret
ua_start_idserver --client "app1:$SECRET:OR.Jobs" ||
  { echo "Bail out! identity server did not start"; exit 1; }

cached_of () {
  "$UIPAUTH" status --json | tr -d ' \n' |
    sed -n "s/.*\"name\":\"$1\"[^}]*\"cached\":\([a-z0-9]*\).*/\1/p"
}

# --- agent start | status | stop ------------------------------------------
status_is 3 "agent status with no agent exits 3" env UIPAUTH_NO_AUTOSTART=1 "$UIPAUTH" agent status
status_is 0 "agent start starts one" "$UIPAUTH" agent start
like "$(cat "$T/last.out")" "uipauth-agent running: pid [0-9]+" "and says its pid"
status_is 0 "agent status finds it" "$UIPAUTH" agent status
status_is 0 "agent start again is fine" "$UIPAUTH" agent start
status_is 0 "agent stop stops it" "$UIPAUTH" agent stop
check "and the socket is gone" test ! -e "$UIPAUTH_SOCK"
status_is 0 "agent stop with none running is fine" "$UIPAUTH" agent stop
status_is 0 "lock with no agent succeeds (nothing to drop)" env UIPAUTH_NO_AUTOSTART=1 "$UIPAUTH" lock

# --- --foreground logs to standard error -------------------------------------
ua_start_agent || { echo "Bail out! agent did not start"; exit 1; }
like "$(cat "$T/agent.log")" "serving $UIPAUTH_SOCK" "--foreground logs to standard error"

# --- lock drops every token ---------------------------------------------------
printf '%s\n' "$SECRET" | "$UIPAUTH" add cc --type client-credentials --client-id app1 \
  --scopes OR.Jobs --identity-url "$IDP/identity_" --url "$IDP" >/dev/null 2>&1
printf 'pat-lifecycle\n' | "$UIPAUTH" add work --type pat >/dev/null 2>&1
t1=$("$UIPAUTH" token cc)
"$UIPAUTH" token work >/dev/null
is "$(cached_of cc)" true "a minted token is cached"
is "$(cached_of work)" true "so is the PAT"
status_is 0 "uipauth lock succeeds" "$UIPAUTH" lock
is "$(cat "$T/last.out")" "" "silently"
is "$(cached_of cc)" false "after lock, no token of cc is in memory"
is "$(cached_of work)" false "nor of work"
t2=$("$UIPAUTH" token cc)
like "$t2" '^tok-' "the next request mints anew"
check "a new token" test "$t1" != "$t2"
is "$(idp_stat token_requests)" 2 "exactly one more request at the server"

# --- SIGHUP reloads profiles.ini ----------------------------------------------
ini="$XDG_CONFIG_HOME/uipauth/profiles.ini"
printf 'pat-by-hand' |
  secret-tool store --label hand profile hand kind pat xdg:schema org.uipauth.Credential
printf '\n# added by hand\n[hand]\ntype=pat\n' >>"$ini"
status_is 4 "a profile added by hand is unknown before a reload" "$UIPAUTH" token hand
kill -HUP "$AGENT_PID"
check "SIGHUP: the reload is logged" wait_for 5 grep -q "profiles reloaded" "$T/agent.log"
is "$("$UIPAUTH" token hand)" "pat-by-hand" "after SIGHUP the new profile is served"
is "$(cached_of cc)" true "SIGHUP keeps the tokens of profiles it did not change"
cp "$ini" "$T/ini.good"
printf '[broken\n' >>"$ini"
kill -HUP "$AGENT_PID"
check "a broken file is reported" wait_for 5 grep -q "reload: cannot read" "$T/agent.log"
is "$("$UIPAUTH" token hand)" "pat-by-hand" "and the profiles loaded before are kept"
status_is 1 "doctor sees the broken file" "$UIPAUTH" doctor
like "$(cat "$T/last.out")" "FAIL +profiles +cannot read" "and says which file"
cp "$T/ini.good" "$ini"
kill -HUP "$AGENT_PID"

# --- doctor ---------------------------------------------------------------------
status_is 0 "doctor: a healthy set-up exits 0" "$UIPAUTH" doctor
out=$(cat "$T/last.out")
like "$out" "ok +socket +$UIPAUTH_SOCK" "doctor checks the socket"
like "$out" "ok +agent " "the agent"
like "$out" "ok +keyring +Secret Service available" "the keyring"
like "$out" "ok +profiles +$ini, 3 profile" "the profiles file"
like "$out" "ok +clock " "the clock"
like "$out" "ok +cc +$IDP/identity_/.well-known/openid-configuration answers \(HTTP [0-9]+" \
  "each profile's identity server"
like "$out" "No problems found" "and sums up"
unlike "$out" "pat-|$SECRET|tok-" "doctor shows no secret or token"

printf 'x\n' | "$UIPAUTH" add down --type client-credentials --client-id app1 \
  --identity-url "http://127.0.0.1:9/identity_" >/dev/null 2>&1
secret-tool clear profile hand kind pat
status_is 1 "doctor: problems exit 1" "$UIPAUTH" doctor
out=$(cat "$T/last.out")
like "$out" "FAIL +down +cannot reach http://127.0.0.1:9" "an unreachable identity server is named"
like "$out" "FAIL +hand +no secret in the keyring; store it again: uipauth add hand --replace" \
  "a missing secret, with what to do"
like "$out" "2 problems found" "and counted"

done_testing
