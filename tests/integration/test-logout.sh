#!/bin/sh
# The end of a sign-in: `uipauth logout` revokes the refresh token at the
# identity server and forgets it, also when the revocation fails;
# `remove` revokes too; confidential apps send their secret on every
# request.  curl plays the browser.
. "$UA_TESTS/lib.sh"
. "$UA_TESTS/integration/login-lib.sh"
ua_setup

CSECRET='conf:se cr+et&=%'
ua_start_idserver --client "conf-app:$CSECRET:OR.Default" ||
  { echo "Bail out! identity server did not start"; exit 1; }
ua_start_agent || { echo "Bail out! agent did not start"; exit 1; }

# status_of NAME: the profile's object in `status --json`, on one line.
status_of () {
  "$UIPAUTH" status --json | tr -d ' \n' | sed 's/},{/}\n{/g' | grep "\"name\":\"$1\""
}

# refresh_with TOKEN [CLIENT_ID SECRET]: what the identity server answers
# a refresh with TOKEN now.
refresh_with () {
  curl -s --data-urlencode grant_type=refresh_token --data-urlencode "refresh_token=$1" \
    --data-urlencode "client_id=${2:-public-app}" ${3:+--data-urlencode "client_secret=$3"} \
    "$IDP/identity_/connect/token"
}
auth_count () { n=$(idp_control stats | sed -n "s/.*\"by_auth\":{[^}]*\"$1\":\([0-9]*\).*/\1/p"); echo "${n:-0}"; }

# --- status: signed in or not, and when last refreshed ---------------------
add_ac web
like "$("$UIPAUTH" status)" '^  sign-in:    not signed in \(uipauth login web\)$' \
  "status: a new profile is not signed in, and says how to sign in"
like "$(status_of web)" '"signed_in":false' "status --json: signed_in false"
unlike "$(status_of web)" 'refreshed_at' "and no refreshed_at"
t0=$(date +%s)
do_login web || { echo "Bail out! cannot log in"; exit 1; }
ok "logged in"
like "$("$UIPAUTH" status)" '^  sign-in:    signed in, last refreshed [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} .*\([0-9]+s ago\)$' \
  "status: signed in, last refreshed at the login"
at=$(status_of web | sed -n 's/.*"refreshed_at":\([0-9]*\).*/\1/p')
check "status --json: refreshed_at is the login's time" test "${at:-0}" -ge "$t0" -a "${at:-0}" -le "$(date +%s)"
like "$(status_of web)" '"signed_in":true' "status --json: signed_in true"
sleep 1.1
"$UIPAUTH" token web >/dev/null && "$UIPAUTH" token web --force-new >/dev/null
at2=$(status_of web | sed -n 's/.*"refreshed_at":\([0-9]*\).*/\1/p')
check "a refresh moves refreshed_at on" test "${at2:-0}" -gt "$at"

# --- logout revokes, then forgets --------------------------------------------
rt=$(stored_refresh_token web)
"$UIPAUTH" token web >/dev/null
idp_control reset '{}' >/dev/null
out=$("$UIPAUTH" logout web 2>"$T/logout.err")
is "$?" 0 "logout exits 0"
like "$out" "profile web's sign-in was revoked at the identity server and forgotten" "and says so"
is "$(cat "$T/logout.err")" "" "with no warning"
is "$(idp_stat revocations)" 1 "one revocation request reached the identity server"
is "$(idp_stat revoked)" 1 "and it revoked the refresh token"
is "$(auth_count none)" 1 "a public app sends its id only"
is "$(stored_refresh_token web)" "" "the refresh token is gone from the keyring"
status_is 5 "the profile's tokens are forgotten: token needs a login" "$UIPAUTH" token web
like "$(cat "$T/last.err")" 'uipauth login web' "and says to sign in again"
is "$(idp_stat token_requests)" 0 "without asking the identity server"
like "$(refresh_with "$rt")" 'invalid_grant' "the identity server refuses the revoked refresh token"
out=$("$UIPAUTH" logout web 2>&1)
is "$?" 0 "logout when signed out exits 0"
like "$out" 'was not signed in' "and says there was nothing to sign out"
is "$(idp_stat revocations)" 1 "without a revocation request"

# --- a failing revocation is reported, and the sign-in forgotten anyway ------
for fault in '{"mode":"status","code":503,"count":1}|HTTP 503' \
             '{"mode":"reset","count":1}|the revocation failed: cannot reach' \
             '{"mode":"html","count":1}|'; do
  json=${fault%|*} why=${fault#*|}
  do_login web || not_ok "login again"
  rt=$(stored_refresh_token web)
  idp_control fault "$json" >/dev/null
  out=$("$UIPAUTH" logout web 2>"$T/logout.err")
  st=$?
  case $json in
    *html*)
      # Any 2xx is a revocation (RFC 7009 2.2): the body is not read.
      is "$st:$(cat "$T/logout.err")" "0:" "an HTML 200 counts as revoked"
      continue ;;
  esac
  is "$st" 0 "$why: logout still exits 0"
  like "$(cat "$T/logout.err")" "warning: profile \"web\": .*$why.*forgotten here anyway" \
    "$why: the warning gives the reason"
  like "$out" 'forgotten here \(not revoked' "$why: and the summary says it was not revoked"
  is "$(stored_refresh_token web)" "" "$why: the refresh token is forgotten anyway"
  status_is 5 "$why: token needs a login" "$UIPAUTH" token web
  like "$(refresh_with "$rt")" 'access_token' "$why: the server still knows the token (it was not revoked)"
done

# --- logout during a login cancels it ----------------------------------------
login_start web --timeout 60
"$UIPAUTH" logout web >/dev/null 2>&1
is "$?" 0 "logout during a pending login"
login_wait
is "$?" 5 "the login ends with exit 5"
like "$(cat "$T/login.err")" 'signed out during the sign-in' "saying it was signed out"
status_is 7 "its port is closed" curl -s "$REDIRECT/"

# --- remove revokes -----------------------------------------------------------
do_login web || not_ok "login again"
rt=$(stored_refresh_token web)
idp_control reset '{}' >/dev/null
"$UIPAUTH" remove web >/dev/null 2>"$T/remove.err"
is "$?" 0 "remove of a signed-in profile"
is "$(idp_stat revoked)" 1 "revokes its refresh token first"
like "$(refresh_with "$rt")" 'invalid_grant' "so the server refuses it afterwards"
is "$(cat "$T/remove.err")" "" "with no warning"
add_ac web && do_login web || not_ok "add and login again"
rt=$(stored_refresh_token web)
idp_control fault '{"mode":"status","code":500,"count":1}' >/dev/null
"$UIPAUTH" remove web >/dev/null 2>"$T/remove.err"
is "$?" 0 "remove when the revocation fails still removes"
like "$(cat "$T/remove.err")" 'HTTP 500.*forgotten here anyway' "with a warning that says why"
like "$("$UIPAUTH" list 2>&1)" 'no profiles yet' "the profile is gone"
is "$(stored_refresh_token web)" "" "and its refresh token"
add_ac web
"$UIPAUTH" remove web >/dev/null 2>"$T/remove.err"
is "$?:$(cat "$T/remove.err")" "0:" "remove of a profile never signed in sends nothing"

# --- misuse -------------------------------------------------------------------
printf 'p\n' | "$UIPAUTH" add apat --type pat >/dev/null
status_is 2 "logout of a PAT profile is refused" "$UIPAUTH" logout apat
like "$(cat "$T/last.err")" 'authorization-code' "saying which profiles sign out"
status_is 4 "logout of an unknown profile" "$UIPAUTH" logout nope
"$UIPAUTH" remove apat >/dev/null

# --- confidential apps --------------------------------------------------------
# add_conf NAME SECRET [more add options]
add_conf () {
  ua_name=$1 ua_secret=$2; shift 2
  printf '%s' "$ua_secret" | "$UIPAUTH" add "$ua_name" --type authorization-code \
    --confidential --client-id conf-app --identity-url "$IDP/identity_" --url "$IDP" \
    --organization org --tenant tenant --redirect-uri "$REDIRECT" --replace "$@" \
    >/dev/null 2>"$T/add.err"
}
status_is 2 "a confidential profile needs its secret" sh -c \
  "printf '' | '$UIPAUTH' add conf --type authorization-code --confidential \
   --client-id conf-app --identity-url '$IDP/identity_'"
add_conf conf "$CSECRET"
is "$?" 0 "add a confidential authorization-code profile"
is "$(secret-tool lookup profile conf kind client-secret)" "$CSECRET" "its secret is in the keyring"
idp_control reset '{}' >/dev/null
do_login conf
is "$?" 0 "it signs in"
is "$(auth_count post)" 1 "the code exchange sent the secret in the form"
is "$(auth_count none)" 0 "and never without it"
"$UIPAUTH" token conf >/dev/null   # the login's own token
"$UIPAUTH" token conf --force-new >/dev/null
is "$?" 0 "it refreshes"
is "$(auth_count post)" 2 "the refresh sent the secret"
rt=$(stored_refresh_token conf)
"$UIPAUTH" logout conf >/dev/null 2>"$T/logout.err"
is "$?:$(idp_stat revoked)" "0:1" "logout revokes its refresh token"
is "$(auth_count post)" 3 "the revocation sent the secret"
like "$(refresh_with "$rt" conf-app "$CSECRET")" 'invalid_grant' "and the server refuses the token afterwards"

# HTTP Basic when the profile says so.
add_conf confb "$CSECRET" --token-auth basic
idp_control reset '{}' >/dev/null
do_login confb && "$UIPAUTH" token confb >/dev/null &&
  "$UIPAUTH" token confb --force-new >/dev/null && "$UIPAUTH" logout confb >/dev/null
is "$?" 0 "with token_auth=basic: sign in, refresh, sign out"
is "$(auth_count basic):$(auth_count post):$(idp_stat revoked)" "3:0:1" \
  "all three sent the secret as HTTP Basic, and the sign-in was revoked"

# A wrong secret is refused at the code exchange, and the keyring unchanged.
add_conf conf 'not-the-secret'
login_start conf
curl -s -L --max-redirs 1 -o /dev/null "$AUTH_URL"
login_wait
is "$?" 5 "a wrong client secret: login exits 5"
like "$(cat "$T/login.err")" 'rejected the client id or secret' "saying the secret was rejected"
is "$(stored_refresh_token conf)" "" "and nothing is stored"
# The right secret, then a wrong one: the refresh is refused, token kept.
add_conf conf "$CSECRET" && do_login conf || not_ok "login with the right secret"
"$UIPAUTH" token conf >/dev/null
rt=$(stored_refresh_token conf)
add_conf conf 'not-the-secret'   # the same settings: the sign-in stays
status_is 5 "a refresh with a wrong secret is refused" "$UIPAUTH" token conf --force-new
like "$(cat "$T/last.err")" 'rejected the client id or secret' "saying so"
is "$(stored_refresh_token conf)" "$rt" "and the refresh token is unchanged"
secret-tool clear profile conf kind client-secret
status_is 7 "a confidential profile whose secret is gone" "$UIPAUTH" token conf --force-new
like "$(cat "$T/last.err")" 'no client secret.*--confidential' "says how to store it again"
"$UIPAUTH" logout conf >/dev/null 2>"$T/logout.err"
is "$?" 0 "logout without the client secret still signs out"
like "$(cat "$T/logout.err")" 'not revoked.*no client secret' "and says why it could not revoke"
is "$(stored_refresh_token conf)" "" "the refresh token is forgotten"

# --- status in a new agent run, and on a locked keyring ----------------------
add_ac web && do_login web || not_ok "add and login again"
kill -TERM "$AGENT_PID"; wait "$AGENT_PID"
ua_start_agent || { echo "Bail out! the agent did not restart"; exit 1; }
like "$("$UIPAUTH" status)" '^  sign-in:    signed in, not refreshed in this agent run$' \
  "status after a restart: signed in, not refreshed in this agent run"
gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets \
  --method org.freedesktop.Secret.Service.Lock "['/org/freedesktop/secrets/collection/login']" \
  >/dev/null 2>&1
status_is 7 "with the keyring locked, a refresh cannot read the token" "$UIPAUTH" token web
like "$(status_of web)" '"signed_in":true' \
  "but status still says signed in: it never reads the token's value"

check "the agent survived all of it" kill -0 "$AGENT_PID"
check "no refresh token or secret in the agent's log" no_file_contains "$CSECRET" "$T/agent.log"
check "no secret under the config dir" no_file_contains "$CSECRET" "$XDG_CONFIG_HOME"

done_testing
