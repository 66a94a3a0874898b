#!/bin/sh
# uipauth import: a sign-in of `uipath auth` (sdk-auth-like.py, a stand-in
# that signs in as UiPath's first-party client at the test identity
# server and writes .env and .uipath/.auth.json as the SDK does) moved
# into an authorization-code profile and the keyring; --delete; and
# hostile files, each a clear error with nothing written anywhere.  TAP.
. "$UA_TESTS/lib.sh"
ua_setup
command -v python3 >/dev/null || { echo "1..0 # SKIP python3 is not installed"; exit 0; }

SIGNIN="$UA_TESTS/integration/sdk-auth-like.py"
SDK_CLIENT=36dea5b8-e8bb-423d-8e7b-c808df8f1c00
TID=6a1f0c2e-2b5d-4c1a-9d7e-0f3b2a1c4d5e
OID=0b9e8d7c-6a5f-4e3d-8c2b-1a0f9e8d7c6b
ua_start_idserver || { echo "Bail out! identity server did not start"; exit 1; }
ua_start_agent || { echo "Bail out! agent did not start"; exit 1; }

stored_refresh_token () { secret-tool lookup profile "$1" kind refresh-token 2>/dev/null; }
# project DIR: `uipath auth` run in DIR, which has a .env of the user's own.
project () {
  mkdir -p "$1" && printf '# my project\nUIPATH_FOLDER_PATH=Shared\n' >"$1/.env" &&
    (cd "$1" && python3 "$SIGNIN" "$IDP" org tenant $TID $OID)
}
# unchanged DIR: the files are as a copy made before, in DIR.before.
snapshot () { rm -rf "$1.before"; cp -a "$1" "$1.before"; }
unchanged () { diff -r "$1.before" "$1" >/dev/null; }
no_profile () { ! "$UIPAUTH" list | grep -q "^$1 " && [ -z "$(stored_refresh_token "$1")" ]; }

# --- import, files kept -----------------------------------------------------
project "$T/p1" || { echo "Bail out! the stand-in for uipath auth failed"; exit 1; }
snapshot "$T/p1"
rt=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["refresh_token"])' "$T/p1/.uipath/.auth.json")
"$UIPAUTH" import sdk --dir "$T/p1" >"$T/out" 2>"$T/err"
is "$?" 0 "import exits 0"
like "$(cat "$T/out")" "Found in $T/p1:" "it says where it looked"
like "$(cat "$T/out")" "UIPATH_URL=$IDP/org/tenant, UIPATH_TENANT_ID=$TID, UIPATH_ORGANIZATION_ID=$OID, and 1 access token line" \
  "and what .env holds"
like "$(cat "$T/out")" '\.auth\.json: a refresh token' "and that .auth.json holds a refresh token"
like "$(cat "$T/out")" "Added profile sdk \\(authorization-code, UiPath's own client $SDK_CLIENT, redirect http://localhost:8104/oidc/login\\)" \
  "and what it added"
like "$(cat "$T/out")" "files were left as they were" "and that it left the files"
unlike "$(cat "$T/out" "$T/err")" "$rt" "never the token itself"
check "without --delete the files are untouched" unchanged "$T/p1"
is "$(stored_refresh_token sdk)" "$rt" "the refresh token is in the keyring"
"$UIPAUTH" list --json >"$T/list.json"
out=$(python3 -c 'import json,sys
p=[p for p in json.load(open(sys.argv[1])) if p["name"]=="sdk"][0]
print("|".join(p.get(k,"-") for k in ("type","url","organization","tenant","client_id","redirect_uri","tenant_id","organization_id")))
print("offline_access" in p["scopes"].split(), "OrchestratorApiUserAccess" in p["scopes"].split())' "$T/list.json")
is "$out" "authorization-code|$IDP|org|tenant|$SDK_CLIENT|http://localhost:8104/oidc/login|$TID|$OID
True True" "the profile: url, organization, tenant from UIPATH_URL, the SDK's client, redirect and granted scopes, the ids"
check "a token is minted from the imported refresh token" sh -c \
  "[ \$(\"$UIPAUTH\" header sdk | curl -s -o /dev/null -w '%{http_code}' -H @- '$IDP/api/check') = 200 ]"
is "$(idp_stat refresh_token)" 1 "with one refresh at the identity server"
out=$("$UIPAUTH" exec sdk -- sh -c 'printf "%s|%s" "$UIPATH_URL" "$UIPATH_TENANT_ID"')
is "$out" "$IDP/org/tenant|$TID" "exec exports its URL and tenant id"

status_is 1 "importing under a taken name fails" "$UIPAUTH" import sdk --dir "$T/p1"
like "$(cat "$T/last.err")" "a profile named sdk exists already; import under another name, or remove it first" \
  "saying what to do"
if no_profile sdk; then not_ok "(the check for no profile sees one that is there)"; else
  ok "(the check for no profile sees one that is there)"; fi

# --- import --delete --------------------------------------------------------------
project "$T/p2"
chmod 640 "$T/p2/.env"
grep -v '^UIPATH_ACCESS_TOKEN=' "$T/p2/.env" >"$T/p2.env.want"
(cd "$T/p2" && "$UIPAUTH" import sdk2 --delete) >"$T/out" 2>"$T/err"
is "$?" 0 "import --delete (from the current directory) exits 0"
like "$(cat "$T/out")" 'Checked: a token was minted from it' "it checks the refresh token first"
like "$(cat "$T/out")" 'Removed the access token line from .env' "says it rewrote .env"
like "$(cat "$T/out")" 'Removed .uipath/.auth.json' "and removed .auth.json"
check ".auth.json is gone" test ! -e "$T/p2/.uipath/.auth.json"
check ".env lost only its token line, every other byte kept" cmp -s "$T/p2.env.want" "$T/p2/.env"
is "$(stat -c %a "$T/p2/.env")" 640 ".env keeps its mode"
check "no temporary file is left" sh -c "! ls -A '$T/p2' | grep -q uipauth"
(cd "$T/p2" && "$UIPAUTH" exec sdk2 -- true) 2>"$T/err"
is "$(cat "$T/err")" "" "exec from there now has nothing to warn about (UIPATH_URL is the one it sets)"
check "and tokens flow" "$UIPAUTH" token sdk2

# A refresh token the server refuses: the profile stays, the files too.
project "$T/p3"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["refresh_token"]="rt-revoked"; json.dump(d,open(sys.argv[1],"w"))' \
  "$T/p3/.uipath/.auth.json"
snapshot "$T/p3"
status_is 5 "import --delete with a refused refresh token: exit 5" "$UIPAUTH" import bad --dir "$T/p3" --delete
like "$(cat "$T/last.err")" "no token could be minted from the imported refresh token; $T/p3 was left as it was; sign in with: uipauth login bad" \
  "saying the files were kept and how to sign in"
check "the files are untouched" unchanged "$T/p3"
"$UIPAUTH" remove bad >/dev/null

# --- hostile files: a clear error, nothing written --------------------------------
# hostile NAME WHAT PATTERN: import of $T/h (prepared by the caller) exits
# 2 with an error matching PATTERN; no profile, no keyring item, files as
# they were.
hostile () {
  snapshot "$T/h"
  status_is 2 "$2: exit 2" "$UIPAUTH" import "$1" --dir "$T/h" --delete
  like "$(cat "$T/last.err")" "$3" "$2: a clear error"
  check "$2: no profile, nothing in the keyring" no_profile "$1"
  check "$2: the files are untouched" unchanged "$T/h"
  is "$(cat "$T/last.out")" "" "$2: nothing said to be done"
}
fresh () { rm -rf "$T/h" "$T/h.before"; mkdir -p "$T/h/.uipath"; cp "$T/p1/.env" "$T/h/.env"
  cp "$T/p1.before/.uipath/.auth.json" "$T/h/.uipath/.auth.json"; }

fresh; printf 'not json at all\n' >"$T/h/.uipath/.auth.json"
hostile h1 ".auth.json not JSON" "\\.auth\\.json is not one JSON object"
fresh; printf '{"refresh_token": "rt", "x": }' >"$T/h/.uipath/.auth.json"
hostile h2 ".auth.json cut short" "is not one JSON object"
fresh; printf '{"refresh_token": "rt-a\\nrt-b"}' >"$T/h/.uipath/.auth.json"
hostile h3 "a line break in the refresh token" "refresh_token is a control character"
fresh; printf '{"refresh_token": "rt-\\" quote"}' >"$T/h/.uipath/.auth.json"
hostile h4 "a quote and a space in the refresh token" "holds spaces or non-ASCII"
fresh; printf '{"refresh_token": "rt-a", "refresh_token": "rt-b"}' >"$T/h/.uipath/.auth.json"
hostile h5 "two refresh tokens" "is not one JSON object"
fresh; python3 -c 'import json; print(json.dumps({"refresh_token": "r" * 100000}))' >"$T/h/.uipath/.auth.json"
hostile h6 "a huge .auth.json" "larger than 65536 bytes"
fresh; python3 -c 'import json; print(json.dumps({"refresh_token": "r" * 40000}))' >"$T/h/.uipath/.auth.json"
hostile h7 "a huge refresh token" "refresh_token is too long"
fresh; printf '{"access_token": "eyJ"}' >"$T/h/.uipath/.auth.json"
hostile h8 "no refresh token (a client-credentials sign-in)" "holds no refresh_token.*client-credentials"
fresh; rm "$T/h/.uipath/.auth.json"
hostile h9 "no .auth.json" "\\.auth\\.json: no such file; is this where .uipath auth. ran"
fresh; printf 'UIPATH_URL="%s/org/tenant\nUIPATH_ACCESS_TOKEN=x\n' "$IDP" >"$T/h/.env"
hostile h10 "an unclosed quote in .env" "\\.env, line 1: not KEY=VALUE \\(an unclosed quote\\?\\)"
fresh; printf 'UIPATH_URL="%s/org/ten\\nant"\n' "$IDP" >"$T/h/.env"
hostile h11 "a line break in UIPATH_URL" "the value of UIPATH_URL .* holds a control character"
fresh; printf 'UIPATH_URL=%s/org/tenant\nUIPATH_ACCESS_TOKEN=%s\n' "$IDP" "$(head -c 70000 /dev/zero | tr '\0' t)" >"$T/h/.env"
hostile h12 "a huge .env" "\\.env: is larger than 65536 bytes"
fresh; printf 'UIPATH_ACCESS_TOKEN=x\n' >"$T/h/.env"
hostile h13 "no UIPATH_URL" "sets no UIPATH_URL"
fresh; printf 'UIPATH_URL=%s/orchestrator/org/tenant\n' "$IDP" >"$T/h/.env"
hostile h14 "a UIPATH_URL of another shape" "is not exactly /ORGANIZATION/TENANT"
fresh; printf 'UIPATH_URL=%s/org/tenant\nUIPATH_TENANT_ID=DefaultTenant\n' "$IDP" >"$T/h/.env"
hostile h15 "a tenant name where the id belongs" "UIPATH_TENANT_ID is not an id"
fresh; printf 'UIPATH_URL=%s/org/tenant\0\n' "$IDP" >"$T/h/.env"
hostile h16 "a NUL byte in .env" "holds a NUL byte"
fresh; mv "$T/h/.env" "$T/h/real.env"; ln -s real.env "$T/h/.env"
hostile h17 ".env a symbolic link, with --delete" "\\.env: is a symbolic link"
fresh; rm "$T/h/.uipath/.auth.json"; mkfifo "$T/h/.uipath/.auth.json"
snapshot "$T/h"
status_is 2 ".auth.json a FIFO: exit 2, no hang" timeout 10 "$UIPAUTH" import h18 --dir "$T/h"
like "$(cat "$T/last.err")" "is not a regular file" ".auth.json a FIFO: a clear error"
check ".auth.json a FIFO: no profile" no_profile h18
status_is 2 "a bad profile name: exit 2, nothing written" "$UIPAUTH" import "bad/name" --dir "$T/p1"
check "(no such profile)" no_profile "bad/name"

done_testing
