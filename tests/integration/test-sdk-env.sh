#!/bin/sh
# uipauth env and exec with stand-ins for UiPath's own tools
# (sdk-like.py: the Python SDK; cli-like.py: uipathcli), against the test
# identity server's /api/check, which takes only its own live tokens: the
# token uipauth exports is the one these tools send, whatever a robot's
# environment, a project's .env or uipathcli's config file holds; and
# the warnings that say when it would not be.  TAP.
. "$UA_TESTS/lib.sh"
ua_setup

SDK="$UA_TESTS/integration/sdk-like.py"
CLI="$UA_TESTS/integration/cli-like.py"
command -v python3 >/dev/null || { echo "1..0 # SKIP python3 is not installed"; exit 0; }

ua_start_idserver --client "app1:app1-secret:OR.Default" --client "cliapp:cli-secret:OR.Default" ||
  { echo "Bail out! identity server did not start"; exit 1; }
ua_start_agent || { echo "Bail out! agent did not start"; exit 1; }
TID=6a1f0c2e-2b5d-4c1a-9d7e-0f3b2a1c4d5e
OID=0b9e8d7c-6a5f-4e3d-8c2b-1a0f9e8d7c6b
printf 'app1-secret' | "$UIPAUTH" add work --type client-credentials --client-id app1 \
  --scopes OR.Default --url "$IDP/" --organization org --tenant tenant \
  --tenant-id $TID --organization-id $OID >/dev/null
is "$?" 0 "a client-credentials profile, its url with a trailing slash"
mkdir "$T/project" && cd "$T/project" || exit 1

# --- the Python SDK -------------------------------------------------------------
out=$("$UIPAUTH" exec work -- python3 "$SDK")
is "$out" "200 org tenant $TID UIPATH_ACCESS_TOKEN" \
  "exec: the SDK reads organization and tenant from UIPATH_URL, and the server takes its token"
out=$(sh -c 'eval "$("$0" env work --shell sh)"; UNATTENDED_USER_ACCESS_TOKEN=robot-job-token python3 "$1"' "$UIPAUTH" "$SDK")
is "$out" "401 org tenant $TID UNATTENDED_USER_ACCESS_TOKEN" "(a robot's token wins in the SDK when present)"
out=$(UNATTENDED_USER_ACCESS_TOKEN=robot-job-token "$UIPAUTH" exec work -- python3 "$SDK")
is "$out" "200 org tenant $TID UIPATH_ACCESS_TOKEN" "exec removes UNATTENDED_USER_ACCESS_TOKEN: ours is used"
out=$(UNATTENDED_USER_ACCESS_TOKEN=robot-job-token sh -c 'eval "$("$0" env work --shell sh)" && python3 "$1"' "$UIPAUTH" "$SDK")
is "$out" "200 org tenant $TID UIPATH_ACCESS_TOKEN" "so does eval \"\$(uipauth env)\""

# A project's .env, as `uipath auth` leaves it, beats the environment.
printf 'UIPATH_URL=%s/other-org/tenant\nUIPATH_ACCESS_TOKEN=stale-from-dotenv\nUIPATH_TENANT_ID=%s\n' "$IDP" $TID >.env
out=$("$UIPAUTH" exec work -- python3 "$SDK" 2>"$T/exec.err")
is "$out" "401 other-org tenant $TID UIPATH_ACCESS_TOKEN" "(a .env token and URL replace ours in the SDK)"
like "$(cat "$T/exec.err")" 'warning: ./.env sets UIPATH_URL, UIPATH_ACCESS_TOKEN; .*--no-dotenv \(PYTHON_DOTENV_DISABLED=1\)' \
  "exec warns that ./.env sets them, naming --no-dotenv and PYTHON_DOTENV_DISABLED=1"
out=$("$UIPAUTH" exec work --no-dotenv -- python3 "$SDK" 2>"$T/exec.err")
is "$out" "200 org tenant $TID UIPATH_ACCESS_TOKEN" "exec --no-dotenv: the SDK loads no .env, ours is used"
is "$(cat "$T/exec.err")" "" "and no warning"
is "$("$UIPAUTH" exec work --no-dotenv -- printenv PYTHON_DOTENV_DISABLED)" 1 "--no-dotenv sets PYTHON_DOTENV_DISABLED=1"
PYTHON_DOTENV_DISABLED=yes "$UIPAUTH" exec work -- true 2>"$T/exec.err"
is "$(cat "$T/exec.err")" "" "no .env warning when PYTHON_DOTENV_DISABLED is already on"
printf 'UIPATH_URL="%s/org/tenant"\n' "$IDP" >.env
"$UIPAUTH" exec work -- true 2>"$T/exec.err"
is "$(cat "$T/exec.err")" "" "no warning for a .env UIPATH_URL that is the one exec sets"
printf 'UIPATH_FOLDER_PATH=Shared\n# UIPATH_ACCESS_TOKEN=old\nUIPATH_ACCESS_TOKEN_NOTE=x\n' >.env
"$UIPAUTH" exec work -- true 2>"$T/exec.err"
is "$(cat "$T/exec.err")" "" "no warning for a .env without those variables (comments and lookalikes aside)"
printf 'A="unclosed\nUNATTENDED_USER_ACCESS_TOKEN=x\n' >.env
"$UIPAUTH" exec work -- true 2>"$T/exec.err"
like "$(cat "$T/exec.err")" 'sets UNATTENDED_USER_ACCESS_TOKEN;' \
  "a line python-dotenv skips does not hide the next one"
rm -f .env; mkfifo .env
status_is 0 "a FIFO named .env does not hang exec" timeout 10 "$UIPAUTH" exec work -- true
rm -f .env

# A UIPATH_URL the SDK cannot read.
printf 'x' | "$UIPAUTH" add orch --type pat --url "$IDP/orchestrator" --organization org --tenant tenant >/dev/null
"$UIPAUTH" exec orch -- true 2>"$T/exec.err"
like "$(cat "$T/exec.err")" "warning: profile orch: UIPATH_URL would be $IDP/orchestrator/org/tenant, but its path is not exactly" \
  "exec warns when UIPATH_URL would not be scheme://host[:port]/org/tenant"
out=$("$UIPAUTH" exec orch -- python3 "$SDK" 2>/dev/null)
like "$out" '^[0-9]+ - - ' "(the SDK indeed finds no organization or tenant there)"
"$UIPAUTH" env orch >/dev/null 2>"$T/env.err"
like "$(cat "$T/env.err")" "warning: profile orch: UIPATH_URL would be" "so does env"
out=$("$UIPAUTH" doctor 2>&1)
like "$out" "WARN +orch +UIPATH_URL would be $IDP/orchestrator/org/tenant" "and doctor, in its report"
unlike "$out" "WARN +work" "not for a profile whose UIPATH_URL is right"
"$UIPAUTH" remove orch >/dev/null

# --- uipathcli -------------------------------------------------------------------
tok=$("$UIPAUTH" token work)
out=$("$UIPAUTH" exec work -- sh -c 'printf "%s|%s" "$UIPATH_URI" "$UIPATH_PAT"')
is "$out" "$IDP|$tok" "exec: UIPATH_URI without the trailing slash, UIPATH_PAT the token"
out=$("$UIPAUTH" exec work -- python3 "$CLI")
is "$out" "200 pat" "uipathcli uses it"
out=$(UIPATH_URI="$IDP/" UIPATH_PAT="$tok" python3 "$CLI")
is "$out" "404 pat" "(a trailing slash in UIPATH_URI breaks uipathcli)"
out=$(UIPATH_CLIENT_ID=cliapp UIPATH_CLIENT_SECRET=cli-secret UIPATH_AUTH_SCOPES=OR.Default \
  "$UIPAUTH" exec work -- python3 "$CLI")
is "$out" "200 pat" "exec removes uipathcli's own UIPATH_CLIENT_ID/SECRET: the PAT (ours) is used"

mkdir -p "$HOME/.uipath"
printf 'profiles:\n- name: default\n  organization: org\n  auth:\n    clientId: cliapp\n    clientSecret: cli-secret\n' \
  >"$HOME/.uipath/config"
out=$("$UIPAUTH" exec work -- python3 "$CLI" 2>"$T/exec.err")
is "$out" "200 credentials" "(uipathcli's config auth replaces UIPATH_PAT: the last auth wins)"
like "$(cat "$T/exec.err")" "warning: uipathcli's config $HOME/.uipath/config has an auth section for its profile \"default\".*--no-cli-config" \
  "exec warns about it, naming --no-cli-config"
out=$("$UIPAUTH" exec work --no-cli-config -- python3 "$CLI" 2>"$T/exec.err")
is "$out" "200 pat" "exec --no-cli-config: uipathcli reads an empty config and uses our token"
is "$(cat "$T/exec.err")" "" "and no warning"
is "$("$UIPAUTH" exec work --no-cli-config -- printenv UIPATH_CONFIGURATION_PATH)" /dev/null \
  "--no-cli-config points UIPATH_CONFIGURATION_PATH at /dev/null"
out=$(UIPATH_PROFILE=ci "$UIPAUTH" exec work -- python3 "$CLI" 2>"$T/exec.err")
is "$out" "200 pat" "with UIPATH_PROFILE=ci uipathcli does not use the default profile's auth"
is "$(cat "$T/exec.err")" "" "and exec does not warn about it"
printf 'profiles:\n- name: work\n  auth:\n    pat: x\n' >"$T/cli-config"
UIPATH_CONFIGURATION_PATH="$T/cli-config" "$UIPAUTH" exec work -- true 2>"$T/exec.err"
like "$(cat "$T/exec.err")" "config $T/cli-config has an auth section for its profile \"work\"" \
  "UIPATH_CONFIGURATION_PATH is read, and a profile named like ours is checked too"

# Both at once, the way a CI job would run them.
printf 'UIPATH_ACCESS_TOKEN=stale\n' >.env
out=$(UNATTENDED_USER_ACCESS_TOKEN=robot UIPATH_CLIENT_ID=cliapp UIPATH_CLIENT_SECRET=cli-secret \
  "$UIPAUTH" exec work --no-dotenv --no-cli-config -- sh -c 'python3 "$1"; python3 "$2"' sh "$SDK" "$CLI" 2>"$T/exec.err")
is "$out" "200 org tenant $TID UIPATH_ACCESS_TOKEN
200 pat" "exec --no-dotenv --no-cli-config: both tools use uipauth's token"
is "$(cat "$T/exec.err")" "" "without a warning"

done_testing
