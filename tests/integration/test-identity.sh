#!/bin/sh
# No token or refresh token crosses from one identity to another: a profile
# removed, replaced or edited to point at identity server B gets nothing
# that server A issued or is still sending, and `uipauth lock` leaves no
# token in memory.  Each scenario is one of issue 11.
. "$UA_TESTS/lib.sh"
. "$UA_TESTS/integration/login-lib.sh"
ua_setup
# Agents are started here only: a client must not start one.
export UIPAUTH_NO_AUTOSTART=1

SECRET=cc-identity-secret
UA_IDP_NAME=idp-a ua_start_idserver --client "app1:$SECRET:OR.Jobs" ||
  { echo "Bail out! identity server A did not start"; exit 1; }
IDP_A=$IDP
UA_IDP_NAME=idp-b ua_start_idserver --client "app1:$SECRET:OR.Jobs" ||
  { echo "Bail out! identity server B did not start"; exit 1; }
IDP_B=$IDP
IDP=$IDP_A
ua_start_agent || { echo "Bail out! agent did not start"; exit 1; }

# on A|B COMMAND...: COMMAND with that server as $IDP (add_ac, idp_stat...).
on () {
  ( eval "IDP=\$IDP_$1"; shift; "$@" )
}

# grants TYPE: how many token requests of that grant type $IDP received.
grants () {
  ua_count=$(idp_stat "$1")
  echo "${ua_count:-0}"
}

# finished PID: the background process has exited (a zombie counts).
finished () {
  ! ps -o stat= -p "$1" 2>/dev/null | grep -qv Z
}

parked_at_a () { [ "$(on A idp_stat in_flight)" = 1 ]; }
idle_at_a () { [ "$(on A idp_stat in_flight)" = 0 ]; }
has_refresh_token () { [ -n "$(stored_refresh_token "$1")" ]; }
# never SECONDS COMMAND...: COMMAND does not succeed within SECONDS.
never () { ! wait_for "$@"; }

# --- 1. remove, then add the name again at B --------------------------------
# The login holds its access token for the first `token`; remove must
# forget it with the rest of the profile.
add_ac me && do_login me || { echo "Bail out! cannot log in at A"; exit 1; }
"$UIPAUTH" remove me >/dev/null
on B add_ac me
status_is 5 "1: me removed and added at B, never signed in: token needs a login (exit 5)" \
  "$UIPAUTH" token me
is "$(cat "$T/last.out")" "" "1: and prints no token (not the one A issued at the login)"
status_is 5 "1: env me fails with login required (exit 5)" "$UIPAUTH" env me --shell sh
unlike "$(cat "$T/last.out")" 'UIPATH_ACCESS_TOKEN|tok-' "1: and exports no token of A's"

# --- 2. --replace while a login at A waits for the browser -------------------
on B idp_control reset '{}' >/dev/null
add_ac me2
login_start me2 --timeout 20 || { echo "Bail out! login me2 did not start"; exit 1; }
on B add_ac me2 --replace
# The old browser tab completes at A, whatever is listening now.
curl -s -L --max-redirs 1 -o /dev/null "$AUTH_URL"
login_wait
check "2: the login that --replace cancelled fails" test "$?" != 0
is "$(stored_refresh_token me2)" "" "2: no refresh token from A is stored for me2"
status_is 5 "2: token me2 needs a login (exit 5)" "$UIPAUTH" token me2
is "$(cat "$T/last.out")" "" "2: and prints no token of A's"
status_is 5 "2: token me2 --force-new needs a login too (exit 5)" "$UIPAUTH" token me2 --force-new
is "$(on B grants refresh_token)" 0 "2: B never received a refresh token for me2 (A's or any)"

# --- 3. remove and add at B while a refresh at A is in flight ----------------
on B idp_control reset '{}' >/dev/null
add_ac me3 && do_login me3 || { echo "Bail out! cannot log in me3 at A"; exit 1; }
"$UIPAUTH" token me3 >/dev/null   # the login's own token: the next one refreshes
on A idp_control fault '{"mode":"hang"}' >/dev/null
"$UIPAUTH" token me3 --force-new >"$T/old3.out" 2>"$T/old3.err" &
old=$!
wait_for 10 parked_at_a || { echo "Bail out! the refresh of me3 did not reach A"; exit 1; }
"$UIPAUTH" remove me3 >/dev/null
on B add_ac me3
"$UIPAUTH" token me3 >"$T/new3.out" 2>"$T/new3.err" &
new=$!
# A caller that joined A's refresh would wait for A; one that did not
# has its answer at once.
wait_for 5 finished "$new"
on A idp_control fault '{"mode":"none"}' >/dev/null   # A answers, rotating
wait "$new"
is "$?" 5 "3: token me3 (now at B, never signed in) needs a login (exit 5)"
is "$(cat "$T/new3.out")" "" "3: and is not served the token A was refreshing"
wait "$old"
diag "the caller whose refresh was in flight exited $?"
wait_for 10 idle_at_a || diag "A still has a request in flight"
# The agent has A's answer, or is about to: a saved rotation would show
# within a second.
check "3: A's rotated refresh token is not saved for the new me3" \
  never 1 has_refresh_token me3
status_is 5 "3: token me3 --force-new needs a login (exit 5)" "$UIPAUTH" token me3 --force-new
is "$(on B grants refresh_token)" 0 "3: B never received a refresh token (A's rotated one or any)"

# --- 4. profiles.ini edited by hand: identity_url from C to B ---------------
# A plays C.  The same client and secret exist at both servers, so only
# where the agent sends them decides which server mints.
INI="$XDG_CONFIG_HOME/uipauth/profiles.ini"
printf '%s\n' "$SECRET" | "$UIPAUTH" add cc --type client-credentials --client-id app1 \
  --scopes OR.Jobs --identity-url "$IDP_A/identity_" --url "$IDP_A" >/dev/null
c_tok=$("$UIPAUTH" token cc)
on A bearer_ok cc || { echo "Bail out! no token of cc from C"; exit 1; }
c_posts=$(on A grants client_credentials)
sed -i "/^\[cc\]/,/^\[/ s|^identity_url=.*|identity_url=$IDP_B/identity_|" "$INI"
grep -qx "identity_url=$IDP_B/identity_" "$INI" ||
  { echo "Bail out! cannot edit cc's identity_url in $INI"; exit 1; }
printf 'pat-other\n' | "$UIPAUTH" add other --type pat >/dev/null   # re-reads the file
tok=$("$UIPAUTH" token cc)
check "4: token cc no longer serves the token minted at C" test "$tok" != "$c_tok"
check "4: it serves a token B issued" on B bearer_ok cc
b_posts=$(on B grants client_credentials)
"$UIPAUTH" token cc --force-new >/dev/null
is "$(on A grants client_credentials)" "$c_posts" "4: C received the client secret no more after the edit"
is "$(on B grants client_credentials)" $((b_posts + 1)) "4: --force-new posted it to B"

# --- 5. lock, with the keyring locked, after a login ------------------------
add_ac me5 && do_login me5 || { echo "Bail out! cannot log in me5 at A"; exit 1; }
status_is 0 "5: uipauth lock" "$UIPAUTH" lock
gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets \
  --method org.freedesktop.Secret.Service.Lock "['/org/freedesktop/secrets/collection/login']" \
  >/dev/null 2>&1
status_is 7 "5: with the keyring locked, token me5 fails with the keyring error (exit 7)" \
  "$UIPAUTH" token me5
is "$(cat "$T/last.out")" "" "5: and prints no token: lock dropped the login's token from memory"

check "the agent is still serving" kill -0 "$AGENT_PID"

done_testing
