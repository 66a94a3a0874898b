#!/bin/sh
# API keys (as stored, and exchanged for 24 h tokens), password profiles
# (opt-in only) and PAT expiry dates.
. "$UA_TESTS/lib.sh"
ua_setup

ua_start_idserver --pat pat-good || { echo "Bail out! identity server did not start"; exit 1; }
ua_start_agent || { echo "Bail out! agent did not start"; exit 1; }
idp_control legacy '{"tenant":"DefaultTenant","api_key":"user-key-123"}' >/dev/null
idp_control legacy '{"tenant":"Default","username":"admin","password":"pa\"ss\\w0rd"}' >/dev/null
requests () { n=$(idp_stat "$1"); echo "${n:-0}"; }

# --- api-key ----------------------------------------------------------------
printf 'user-key-123' | "$UIPAUTH" add key --type api-key --url "$IDP" \
  --organization org --tenant DefaultTenant >/dev/null 2>"$T/add.err"
like "$(cat "$T/add.err")" 'March 2025' "adding an API key warns"
"$UIPAUTH" token key >"$T/k.out" 2>"$T/k.err"
is "$(cat "$T/k.out")" "user-key-123" "a stored API key is served as it is"
like "$(cat "$T/k.err")" 'ended API key support in March 2025.*client-credentials.*Personal Access Token' \
  "its first use warns and says where to move"
"$UIPAUTH" token key >"$T/k.out" 2>"$T/k.err"
is "$(cat "$T/k.err")" "" "once per agent run"

printf 'user-key-123' | "$UIPAUTH" add xkey --type api-key --exchange --identity-url "$IDP" \
  --url "$IDP" --organization org --tenant DefaultTenant >/dev/null 2>&1
is "$?" 0 "add an API key to exchange"
tok=$("$UIPAUTH" token xkey 2>"$T/x.err")
like "$tok" '^tok-' "it is exchanged for a token"
like "$(cat "$T/x.err")" 'March 2025' "which warns too"
"$UIPAUTH" header xkey >"$T/hdr"
is "$(curl -s -o /dev/null -w '%{http_code}' -H @"$T/hdr" "$IDP/api/check")" 200 "the server accepts it"
exp=$("$UIPAUTH" status --json | tr -d ' \n' | grep -o '"name":"xkey"[^}]*' | sed -n 's/.*"expires_in":\([0-9]*\).*/\1/p')
check "it lives 24 h" test "${exp:-0}" -gt 86000
"$UIPAUTH" token xkey >/dev/null 2>&1
is "$(requests api_key)" 1 "and is cached like any other"
out=$(sh -c 'eval "$("$UIPAUTH" env xkey --shell sh 2>/dev/null)" && printf %s "$UIPATH_ACCESS_TOKEN"')
is "$out" "$tok" "env exports it"
printf 'not-the-key' | "$UIPAUTH" add badkey --type api-key --exchange --identity-url "$IDP" \
  --tenant DefaultTenant >/dev/null 2>&1
status_is 5 "a refused API key exits 5" "$UIPAUTH" token badkey
like "$(cat "$T/last.err")" 'refused the API key.*client-credentials' "and says where to move"
printf 'user-key-123' | "$UIPAUTH" add notenant --type api-key --exchange --identity-url "$IDP" >/dev/null 2>&1
status_is 2 "exchange without a tenant is refused" "$UIPAUTH" token notenant
like "$(cat "$T/last.err")" 'tenant' "naming the missing tenant"

# --- password ---------------------------------------------------------------
status_is 2 "a password profile without --allow-password is refused" \
  sh -c "printf 'x' | '$UIPAUTH' add pw --type password --username admin --url '$IDP'"
like "$(cat "$T/last.err")" 'allow-password' "saying how to opt in"
out=$(frame "v=1\nop=add\nprofile=pw\ntype=password\nusername=admin\nurl=$IDP\nsecret=x\n" |
  "$UA_RAW" "$UIPAUTH_SOCK" --replies 1)
like "$out" 'error=invalid-argument' "the agent refuses it too"
printf 'pa"ss\\w0rd' | "$UIPAUTH" add pw --type password --username admin --url "$IDP" \
  --allow-password >/dev/null 2>"$T/add.err"
is "$?" 0 "with --allow-password it is added"
like "$(cat "$T/add.err")" 'warning' "with a warning"
tok=$("$UIPAUTH" token pw)
like "$tok" '^tok-' "the password is traded for a token"
exp=$("$UIPAUTH" status --json | tr -d ' \n' | grep -o '"name":"pw"[^}]*' | sed -n 's/.*"expires_in":\([0-9]*\).*/\1/p')
check "that lives 30 minutes" test "${exp:-0}" -gt 1700 -a "${exp:-0}" -le 1800
is "$("$UIPAUTH" exec pw -- sh -c 'printf %s "$UIPATH_ACCESS_TOKEN"')" "$tok" "exec passes it"
printf 'wrong' | "$UIPAUTH" add pw2 --type password --username admin --url "$IDP" --allow-password >/dev/null 2>&1
status_is 5 "a wrong password exits 5" "$UIPAUTH" token pw2
like "$(cat "$T/last.err")" 'Invalid user name or password' "with the server's reason"
sed -i '/^\[pw\]/,/^\[/{/allow_password/d}' "$XDG_CONFIG_HOME/uipauth/profiles.ini"
frame 'v=1\nop=reload\n' | "$UA_RAW" "$UIPAUTH_SOCK" --replies 1 >/dev/null
status_is 2 "a password profile edited to drop allow_password is refused at use" "$UIPAUTH" token pw
like "$(cat "$T/last.err")" 'allow_password' "saying why"

# --- PAT expiry -------------------------------------------------------------
add_pat () {
  printf 'pat-good' | "$UIPAUTH" add "$1" --type pat --url "$IDP" --expires "$2" >/dev/null 2>&1
}
add_pat far "$(date -d '+60 days' +%F)"
"$UIPAUTH" token far >/dev/null 2>"$T/p.err"
is "$(cat "$T/p.err")" "" "a PAT far from its expiry date does not warn"
soon=$(date -d '+3 days' +%F)
add_pat soon "$soon"
out=$("$UIPAUTH" token soon 2>"$T/p.err")
is "$out" "pat-good" "a PAT in its last week is still served"
like "$(cat "$T/p.err")" "expires on $soon" "with a warning naming the date"
like "$("$UIPAUTH" status 2>&1)" "soon.*expires on $soon" "status warns too"
add_pat today "$(date +%F)"
"$UIPAUTH" token today >/dev/null 2>"$T/p.err"
like "$(cat "$T/p.err")" 'in 1 day' "a PAT expiring today warns"
past=$(date -d '-1 day' +%F)
add_pat old "$past"
status_is 5 "an expired PAT exits 5" "$UIPAUTH" token old
like "$(cat "$T/last.err")" "expired on $past.*uipauth add old --replace" "saying when and what to do"
status_is 5 "env fails the same way" "$UIPAUTH" env old
st=$("$UIPAUTH" status 2>&1)
like "$st" "expired on $past" "status shows the expired PAT as a warning"
is "$(printf 'protocol=http\nhost=x\n\n' | "$UIPAUTH" get --profile old 2>/dev/null)" "" \
  "git get gives git nothing for it"
check "the agent survived all of it" kill -0 "$AGENT_PID"
check "the password is in no log" no_file_contains 'pa"ss' "$T/agent.log"

done_testing
