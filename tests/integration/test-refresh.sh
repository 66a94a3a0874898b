#!/bin/sh
# Rotating refresh tokens: concurrent callers share one refresh, kills
# outside the loss window never lose the credential, and a kill inside it
# gives one clear re-login error and no retry loop.
. "$UA_TESTS/lib.sh"
. "$UA_TESTS/integration/login-lib.sh"
ua_setup
# Agents are started (and killed) here only: a client must not start one.
export UIPAUTH_NO_AUTOSTART=1

ua_start_idserver || { echo "Bail out! identity server did not start"; exit 1; }
ua_start_agent || { echo "Bail out! agent did not start"; exit 1; }
add_ac web && do_login web || { echo "Bail out! cannot log in"; exit 1; }
ok "logged in"
"$UIPAUTH" token web >/dev/null   # the login's own token

refreshes () { n=$(idp_stat refresh_token); echo "${n:-0}"; }
reuses () { idp_stat reuse_detected; }

# --- 100 concurrent callers across a refresh --------------------------------
# After a lock every caller needs a refresh (that idle tokens lapse and that
# one mint answers all its waiters is in agent/test-cache.c).
"$UIPAUTH" lock >/dev/null
idp_control reset '{}' >/dev/null
idp_control fault '{"mode":"delay","ms":1000}' >/dev/null
i=0 pids=""
while [ $i -lt 100 ]; do
  "$UIPAUTH" token web --min-valid 1 >"$T/c.$i" 2>"$T/c.$i.err" &
  pids="$pids $!"
  i=$((i + 1))
done
wait $pids
idp_control fault '{"mode":"none"}' >/dev/null
is "$(refreshes)" 1 "100 concurrent callers across a refresh cause one refresh request"
is "$(cat "$T"/c.[0-9]* | grep -c '^tok-')" 100 "every caller got a token"
is "$(cat "$T"/c.[0-9]* | sort -u | wc -l)" 1 "the same one"
is "$(reuses)" 0 "the server saw no refresh token twice"

# Refreshes ahead of expiry, and their rotation, are timed with a fake
# clock in agent/test-cache.c and agent/test-refresh.c.

# --- kill -9 outside the window ---------------------------------------------
# A refresh is parked at the server (not yet granted) or has been answered
# (so its rotation is in the keyring) when the agent dies.
restart_agent () {
  kill -KILL "$AGENT_PID" 2>/dev/null
  wait "$AGENT_PID" 2>/dev/null
  rm -f "$UIPAUTH_SOCK"   # stale: ua_start_agent waits for a new one
  ua_start_agent && kill -0 "$AGENT_PID" ||
    { echo "Bail out! the agent did not restart"; exit 1; }
}
failures=0
i=0
while [ $i -lt 12 ]; do
  if [ $((i % 2)) = 0 ]; then
    idp_control fault '{"mode":"delay","ms":1500}' >/dev/null
    "$UIPAUTH" token web --force-new >/dev/null 2>&1 &
    caller=$!
    # A different moment each round, all before the server's answer.
    sleep "0.$(( ($$ + i * 7) % 9 + 1 ))"
    restart_agent
    idp_control fault '{"mode":"none"}' >/dev/null
    wait "$caller"
  else
    "$UIPAUTH" token web --force-new >/dev/null 2>&1
    sleep "0.0$(( i % 9 ))"
    restart_agent
  fi
  "$UIPAUTH" token web --force-new >"$T/k.out" 2>"$T/k.err" && bearer_ok web ||
    { failures=$((failures + 1)); diag "round $i: $(cat "$T/k.err")"; }
  i=$((i + 1))
done
is "$failures" 0 "after 12 kills outside the window the credential works every time"
is "$(reuses)" 0 "and no refresh token was ever sent twice"

# --- kill -9 inside the window ----------------------------------------------
idp_control fault '{"mode":"rotate_late","ms":3000}' >/dev/null
idp_control reset '{}' >/dev/null
"$UIPAUTH" token web --force-new >/dev/null 2>&1 &
caller=$!
arrived () { [ "$(refreshes)" = 1 ]; }
wait_for 5 arrived
sleep 0.3
restart_agent
wait "$caller"
idp_control fault '{"mode":"none"}' >/dev/null
idp_control reset '{}' >/dev/null
status_is 5 "after a kill inside the window, the token request exits 5" "$UIPAUTH" token web
like "$(cat "$T/last.err")" 'run "uipauth login web"' "with the clear re-login error"
for i in 1 2 3 4 5; do "$UIPAUTH" token web >/dev/null 2>&1; done
"$UIPAUTH" token web --force-new >/dev/null 2>&1
status_is 5 "and keeps saying so" "$UIPAUTH" token web --force-new
is "$(refreshes)" 1 "eight attempts cause one refresh request: no retry loop"
is "$(reuses)" 1 "(the server saw the consumed token once and revoked its family)"
like "$(cat "$T/last.err")" 'invalid_grant' "the error names invalid_grant"
st=$("$UIPAUTH" status)
like "$st" 'login' "status shows the profile needs a login"
do_login web
is "$?" 0 "a new login recovers"
check "and its tokens work" bearer_ok web

check "the agent is still serving" kill -0 "$AGENT_PID"

done_testing
