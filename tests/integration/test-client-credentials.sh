#!/bin/sh
# client-credentials profiles against the local identity server: single
# flight, refresh ahead, failures and back-off, and secret hygiene.
. "$UA_TESTS/lib.sh"
ua_setup

SECRET='cc-secret-&=+%-Zq81'
ua_start_idserver --client "app1:$SECRET:OR.Default,OR.Jobs" --client "app2:other:OR.Default" ||
  { echo "Bail out! identity server did not start"; exit 1; }
ua_start_agent || { echo "Bail out! agent did not start"; exit 1; }

# add_cc NAME CLIENT_ID SECRET [more add options]
add_cc () {
  ua_name=$1 ua_id=$2 ua_secret=$3; shift 3
  printf '%s\n' "$ua_secret" | "$UIPAUTH" add "$ua_name" --type client-credentials \
    --client-id "$ua_id" --scopes "OR.Jobs OR.Default" --identity-url "$IDP/identity_" \
    --url "$IDP" --organization org --tenant tenant "$@" >/dev/null 2>"$T/add.err"
}

server_requests () { idp_stat token_requests; }

# --- one mint for many cold callers -----------------------------------------
add_cc cold app1 "$SECRET"
is "$?" 0 "add a client-credentials profile"
idp_control fault '{"mode":"delay","ms":800}' >/dev/null
i=0 pids=""
while [ $i -lt 200 ]; do
  "$UIPAUTH" token cold >"$T/cold.$i" 2>"$T/cold.$i.err" &
  pids="$pids $!"
  i=$((i + 1))
done
wait $pids
idp_control fault '{"mode":"none"}' >/dev/null
is "$(server_requests)" 1 "200 concurrent cold requests cause exactly 1 request at the server"
is "$(cat "$T"/cold.[0-9]* | sort -u | wc -l)" 1 "all 200 callers get the same token"
is "$(cat "$T"/cold.[0-9]* | grep -c .)" 200 "every caller got a token"
tok=$(cat "$T/cold.0")
like "$tok" '^tok-' "it is a token the server issued"
"$UIPAUTH" header cold >"$T/hdr"
is "$(curl -s -o /dev/null -w '%{http_code}' -H @"$T/hdr" "$IDP/api/check")" 200 \
  "the server accepts it as a bearer token"

# --- steady state is served from memory -------------------------------------
before=$(server_requests)
for i in 1 2 3 4 5 6 7 8 9 10; do "$UIPAUTH" token cold >/dev/null; done
is "$(server_requests)" "$before" "ten more calls cause no request at the server"
status=$("$UIPAUTH" status)
like "$status" "cold" "status lists the profile"
unlike "$status" "$tok" "status never shows the token"
status_json=$("$UIPAUTH" status --json)
like "$status_json" '"expires_in"' "status --json shows the expiry"

# --- --force-new and min-valid ----------------------------------------------
new=$("$UIPAUTH" token cold --force-new)
check "--force-new mints a new token" test "$new" != "$tok"
is "$(server_requests)" $((before + 1)) "--force-new costs one request"
status_is 2 "a min-valid beyond the token lifetime is an error" "$UIPAUTH" token cold --min-valid 7200
like "$(cat "$T/last.err")" "lower --min-valid" "which says what to do"

# --- env and git get serve minted tokens ------------------------------------
out=$(sh -c 'eval "$("$UIPAUTH" env cold --shell sh)" && printf "%s %s" "$UIPATH_ACCESS_TOKEN" "$UIPATH_URL"')
is "$out" "$new $IDP/org/tenant" "env exports the minted token and the base URL"
"$UIPAUTH" remove cold >/dev/null
add_cc gitp app1 "$SECRET" --match "$IDP/*"
host=${IDP#http://}
out=$(printf 'protocol=http\nhost=%s\npath=org/repo.git\n\n' "$host" | "$UIPAUTH" get)
like "$out" "^password=tok-" "git get answers with a minted token"
like "$out" "password_expiry_utc=[0-9]+" "and sets password_expiry_utc"
out=$(printf 'protocol=https\nhost=elsewhere.example\n\n' | "$UIPAUTH" get)
is "$out" "" "git get stays silent for a URL no profile matches"

# --- 3 s tokens under continuous load ---------------------------------------
# Long enough for the agent's own timer to refresh ahead a few times; the
# schedule's bounds are checked with a fake clock in agent/test-cache.c.
idp_control lifetime '{"seconds":3}' >/dev/null
add_cc short app1 "$SECRET"
"$UIPAUTH" token short --min-valid 1 >/dev/null
load () {
  end=$(( $(date +%s) + 5 ))
  n=0
  while [ "$(date +%s)" -lt $end ]; do
    "$UIPAUTH" header short --min-valid 1 >"$T/h.$1" || { echo FAIL >>"$T/load.fail"; continue; }
    code=$(curl -s -o /dev/null -w '%{http_code}' -H @"$T/h.$1" "$IDP/api/check")
    [ "$code" = 200 ] || echo "$code" >>"$T/load.fail"
    n=$((n + 1))
  done
  echo $n >"$T/load.n.$1"
}
pids=""
for w in 1 2 3 4; do load $w & pids="$pids $!"; done
wait $pids
total=$(cat "$T"/load.n.* | awk '{s+=$1} END {print s}')
diag "$total requests over 5 s with 3 s tokens"
check "no client got an expired or refused token" test ! -s "$T/load.fail"
is "$(idp_stat check_expired)" 0 "the server saw no expired token"
st=$("$UIPAUTH" status --json)
like "$st" '"short"' "status knows the short-lived profile"
like "$(printf '%s' "$st" | tr -d ' \n' | grep -o '"name":"short"[^}]*')" '"waits":1([,}]|$)' \
  "no caller waited for a mint after the first"
idp_control lifetime '{"seconds":3600}' >/dev/null

# --- a mint in flight blocks nobody else ------------------------------------
printf 'plain-pat\n' | "$UIPAUTH" add pat --type pat >/dev/null
add_cc slow app1 "$SECRET"
idp_control fault '{"mode":"delay","ms":3000}' >/dev/null
"$UIPAUTH" token slow >"$T/slow.out" 2>&1 &
slow_pid=$!
sleep 0.3
is "$("$UIPAUTH" token pat)" "plain-pat" "another profile is served while a mint waits on the server"
check "the slow mint is still in flight meanwhile" kill -0 $slow_pid
wait $slow_pid
like "$(cat "$T/slow.out")" '^tok-' "the slow mint completes"
idp_control fault '{"mode":"none"}' >/dev/null

# --- rejected credentials: clear error, no retry storm ----------------------
add_cc wrong app1 "not-the-secret"
before=$(server_requests)
status_is 5 "a wrong secret exits 5" "$UIPAUTH" token wrong
like "$(cat "$T/last.err")" 'wrong.*invalid_client' "the error names the profile and invalid_client"
for i in 1 2 3 4 5 6 7 8 9 10; do "$UIPAUTH" token wrong >/dev/null 2>&1; done
is "$(server_requests)" $((before + 1)) "eleven attempts cause one request at the server"
idp_control fault '{"mode":"none","invalid_client_status":401}' >/dev/null
add_cc wrong401 app1 "nope"
status_is 5 "invalid_client with 401 also exits 5" "$UIPAUTH" token wrong401
add_cc scope app2 other
status_is 5 "a scope the app lacks exits 5" "$UIPAUTH" token scope
like "$(cat "$T/last.err")" 'invalid_scope' "the error names invalid_scope"

# --- transient failures -----------------------------------------------------
fault_case () {
  name=$1 json=$2 want=$3 desc=$4
  add_cc "$name" app1 "$SECRET"
  idp_control fault "$json" >/dev/null
  status_is 6 "$desc exits 6" "$UIPAUTH" token "$name"
  like "$(cat "$T/last.err")" "$want" "$desc: the error says what happened"
  idp_control fault '{"mode":"none"}' >/dev/null
}
fault_case f500 '{"mode":"status","code":500}' 'HTTP 500' "a 500 answer"
fault_case f503 '{"mode":"status","code":503}' 'HTTP 503' "a 503 answer"
fault_case fhtml '{"mode":"html"}' 'HTML' "an HTML page with 200"
fault_case ftrunc '{"mode":"truncated"}' 'JSON|json' "truncated JSON"
fault_case fgarb '{"mode":"garbage_json"}' 'access_token' "JSON without a token"
fault_case freset '{"mode":"reset"}' 'reach|reset|connection|Empty' "a reset connection"
fault_case f429 '{"mode":"429","retry_after":30}' '429|rate' "a 429 answer"
before=$(server_requests)
"$UIPAUTH" token f429 >/dev/null 2>&1
is "$(server_requests)" "$before" "Retry-After is honoured: no request before it passes"
add_cc fhang app1 "$SECRET"
check "every fault left the agent running" kill -0 "$AGENT_PID"
is "$("$UIPAUTH" token pat)" "plain-pat" "and serving"

# --- a failing server does not stop valid tokens being served ---------------
# Background retries and their back-off are in agent/test-cache.c.
add_cc keep app1 "$SECRET"
kept=$("$UIPAUTH" token keep)
idp_control fault '{"mode":"status","code":503}' >/dev/null
status_is 6 "--force-new fails rather than hand back the old token" "$UIPAUTH" token keep --force-new
is "$("$UIPAUTH" token keep)" "$kept" "the cached token is still served to other callers"
idp_control fault '{"mode":"none"}' >/dev/null

# --- the client secret is nowhere -------------------------------------------
check "the client secret is not in the agent's debug log" no_file_contains "$SECRET" "$T/agent.log"
check "the client secret is in no file under the config dir" no_file_contains "$SECRET" "$XDG_CONFIG_HOME"
check "the client secret is in no file under the runtime dir" no_file_contains "$SECRET" "$XDG_RUNTIME_DIR"
check "no token is in the agent's debug log" no_file_contains "$tok" "$T/agent.log"
is "$(secret-tool lookup profile gitp kind client-secret)" "$SECRET" "the client secret is in the keyring"

done_testing
