#!/bin/sh
# uipauth exec and uipauth header with the real agent and identity server:
# the variables set, a token that lives as long as asked, the command's exit
# status and signals its own.  TAP.
. "$UA_TESTS/lib.sh"
ua_setup

SECRET='exec-secret'
ua_start_idserver --client "app1:$SECRET:OR.Default" ||
  { echo "Bail out! identity server did not start"; exit 1; }
ua_start_agent || { echo "Bail out! agent did not start"; exit 1; }
printf '%s\n' "$SECRET" | "$UIPAUTH" add robot --type client-credentials --client-id app1 \
  --scopes OR.Default --identity-url "$IDP/identity_" --url "$IDP" \
  --organization org --tenant tenant >/dev/null
is "$?" 0 "a client-credentials profile"
check_code () { curl -s -o /dev/null -w '%{http_code}' "$@" "$IDP/api/check"; }

# --- header ---------------------------------------------------------------------
"$UIPAUTH" header robot >"$T/hdr"
like "$(cat "$T/hdr")" '^Authorization: Bearer tok-' "header prints an Authorization line"
is "$("$UIPAUTH" header robot | curl -s -o /dev/null -w '%{http_code}' -H @- "$IDP/api/check")" 200 \
  "uipauth header | curl -H @- : the server takes it"
is "$( ("$UIPAUTH" header robot; printf 'X-UIPATH-OrganizationUnitId: 42\n') |
  curl -s -o /dev/null -w '%{http_code}' -H @- "$IDP/api/check")" 200 \
  "with a folder header on the next line"

# --- exec: variables ------------------------------------------------------------
tok=$("$UIPAUTH" token robot)
out=$(UIPATH_TENANT=stale-tenant UIPATH_PAT=stale "$UIPAUTH" exec robot -- sh -c \
  'printf "%s|%s|%s|%s|%s|%s" "$UIPATH_URL" "$UIPATH_ACCESS_TOKEN" "$UIPATH_URI" "$UIPATH_ORGANIZATION" "$UIPATH_TENANT" "$UIPATH_PAT"')
is "$out" "$IDP/org/tenant|$tok|$IDP|org|tenant|$tok" "exec sets every variable, replacing inherited ones"
printf 'pat-only\n' | "$UIPAUTH" add bare --type pat >/dev/null
out=$(UIPATH_TENANT=other-tenant UIPATH_URL=https://other.example "$UIPAUTH" exec bare -- sh -c \
  'printf "%s|%s|%s" "$UIPATH_ACCESS_TOKEN" "${UIPATH_TENANT-unset}" "${UIPATH_URL-unset}"')
is "$out" "pat-only|unset|unset" "variables the profile has no value for are removed, not inherited"
out=$(UNATTENDED_USER_ACCESS_TOKEN=robot-token UIPATH_CLIENT_ID=cli-app UIPATH_CLIENT_SECRET=cli-secret \
  UIPATH_AUTH_GRANT_TYPE=client_credentials UIPATH_AUTH_SCOPES=OR.Default UIPATH_AUTH_FUTURE_SETTING=x \
  UIPATH_AUTHOR=kept "$UIPAUTH" exec robot -- env | grep -E '^(UNATTENDED_|UIPATH_CLIENT_|UIPATH_AUTH)' | sort)
is "$out" "UIPATH_AUTHOR=kept" \
  "exec removes the robot token and every uipathcli auth variable (UIPATH_AUTH_*), nothing else"
printf 'pat-ids\n' | "$UIPAUTH" add ids --type pat --url "$IDP/" --organization org --tenant tenant \
  --tenant-id 6a1f0c2e-2b5d-4c1a-9d7e-0f3b2a1c4d5e --organization-id 0b9e8d7c-6a5f-4e3d-8c2b-1a0f9e8d7c6b >/dev/null
out=$("$UIPAUTH" exec ids -- sh -c 'printf "%s|%s|%s|%s" "$UIPATH_URL" "$UIPATH_URI" "$UIPATH_TENANT_ID" "$UIPATH_ORGANIZATION_ID"')
is "$out" "$IDP/org/tenant|$IDP|6a1f0c2e-2b5d-4c1a-9d7e-0f3b2a1c4d5e|0b9e8d7c-6a5f-4e3d-8c2b-1a0f9e8d7c6b" \
  "exec exports the tenant and organization ids, and UIPATH_URI without the url's trailing slash"
out=$(UIPATH_TENANT_ID=other UIPATH_ORGANIZATION_ID=other "$UIPAUTH" exec robot -- sh -c \
  'printf "%s|%s" "${UIPATH_TENANT_ID-unset}" "${UIPATH_ORGANIZATION_ID-unset}"')
is "$out" "unset|unset" "a profile without ids removes inherited ones"
"$UIPAUTH" exec bare -- true 2>"$T/bare.err"
is "$(cat "$T/bare.err")" "" "no UIPATH_URL at all: no shape warning"
printf 'orch\n' | "$UIPAUTH" add orch --type pat --url "$IDP/orchestrator" --organization org --tenant tenant >/dev/null
out=$("$UIPAUTH" exec orch -- sh -c 'printf %s "$UIPATH_URI"' 2>"$T/orch.err")
is "$out" "$IDP" "UIPATH_URI is scheme://host:port even when the url has a path"
like "$(cat "$T/orch.err")" "warning: profile orch: UIPATH_URL would be $IDP/orchestrator/org/tenant, but its path is not exactly /ORGANIZATION/TENANT" \
  "and exec warns, on stderr, that the SDK would not read that UIPATH_URL"
out=$("$UIPAUTH" exec robot -- sh -c 'curl -s -o /dev/null -w "%{http_code}" -H "Authorization: Bearer $UIPATH_ACCESS_TOKEN" "$UIPATH_URI/api/check"')
is "$out" 200 "the command can call the API with UIPATH_ACCESS_TOKEN"
out=$("$UIPAUTH" exec robot -- printf '%s|' 'two words' '$HOME' '' "a'b")
is "$out" "two words|\$HOME||a'b|" "arguments reach the command unchanged"

# --- exec: exit status and signals ---------------------------------------------------
"$UIPAUTH" exec robot -- sh -c 'exit 42'
is "$?" 42 "the command's exit status is passed through"
"$UIPAUTH" exec robot -- false
is "$?" 1 "false exits 1 through exec"
status_is 127 "a command that does not exist: 127" "$UIPAUTH" exec robot -- no-such-command-here
like "$(cat "$T/last.err")" "no-such-command-here: command not found" "and says so"
printf '#!/bin/sh\n' >"$T/noexec"
status_is 126 "a command that cannot be run: 126" "$UIPAUTH" exec robot -- "$T/noexec"
status_is 4 "an unknown profile: 4, and the command never runs" "$UIPAUTH" exec nope -- touch "$T/ran"
check "the command did not run" test ! -e "$T/ran"

"$UIPAUTH" exec robot -- sh -c 'echo $$ >"$1"; exec sleep 30' sh "$T/pid" &
bg=$!
wait_for 10 test -s "$T/pid"
is "$(cat "$T/pid")" "$bg" "the command runs as uipauth's own process, so it gets signals directly"
kill -TERM "$bg"
wait "$bg"
is "$?" 143 "SIGTERM to uipauth exec ends the command with SIGTERM (128+15)"
"$UIPAUTH" exec robot -- sh -c 'kill -INT $$; sleep 5'
is "$?" 130 "a command killed by SIGINT reports 130"
"$UIPAUTH" exec robot -- sh -c 'sleep 30 >/dev/null & trap "kill $!; exit 7" HUP; echo ready >"$1"; wait' sh "$T/ready" &
bg=$!
wait_for 10 test -s "$T/ready"
kill -HUP "$bg"
wait "$bg"
is "$?" 7 "a signal the command handles reaches its handler"

# --- exec: a fresh token for at least the requested minimum ------------------------
idp_control lifetime '{"seconds":10}' >/dev/null
"$UIPAUTH" token robot --force-new --min-valid 1 >"$T/short"
sleep 4
# The cached token has about 6 s left; the command needs 8.
out=$("$UIPAUTH" exec robot --min-valid 8 -- sh -c 'sleep 7; curl -s -o /dev/null -w "%{http_code}" -H "Authorization: Bearer $UIPATH_ACCESS_TOKEN" "$UIPATH_URI/api/check"')
is "$out" 200 "--min-valid 8: the token still works 7 s into the command"
is "$(idp_stat check_expired)" 0 "the server never saw an expired token"
status_is 2 "--min-valid beyond what the server's tokens live: a usage error" \
  "$UIPAUTH" exec robot --min-valid 3600 -- true
idp_control lifetime '{"seconds":3600}' >/dev/null

done_testing
