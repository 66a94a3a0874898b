#!/bin/sh
# The real git binary with git-credential-uipauth as its credential helper:
# `git credential fill`, and git fetching over HTTP from a local server that
# demands a token the identity server issued.  TAP.
. "$UA_TESTS/lib.sh"
ua_setup

SECRET='git-app-secret'
SRV="$T/srv"
mkdir -p "$SRV/org" "$SRV/other"

# git's own settings: nothing from the system or the user, never a prompt.
export GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0 GIT_ASKPASS=
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.invalid
export GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.invalid
unset SSH_ASKPASS GIT_TRACE GIT_CURL_VERBOSE

# A bare repository served over git's dumb HTTP protocol: plain files.
make_repo () {
  git init -q "$T/work-$2" &&
  printf '%s\n' "$3" >"$T/work-$2/README" &&
  git -C "$T/work-$2" add README && git -C "$T/work-$2" commit -qm init &&
  git clone -q --bare "$T/work-$2" "$SRV/$1" &&
  git -C "$SRV/$1" update-server-info
}
make_repo org/repo.git a 'hello from org' || { echo "Bail out! cannot make a git repository"; exit 1; }
make_repo other/repo.git b 'hello from other'

ua_start_idserver --client "app1:$SECRET:OR.Default" --git-root "$SRV" ||
  { echo "Bail out! identity server did not start"; exit 1; }
ua_start_agent || { echo "Bail out! agent did not start"; exit 1; }
HOSTPORT=${IDP#http://}
REPO="$IDP/git/org/repo.git"

# git runs "git credential-uipauth": git-credential-uipauth on PATH, the
# same binary as uipauth, answering by the name it was called by.
mkdir "$T/bin"
ln -s "$UIPAUTH" "$T/bin/git-credential-uipauth"
ln -s "$UIPAUTH" "$T/bin/uipauth"
export PATH="$T/bin:$PATH"
git config --global credential.helper uipauth
git config --global credential.useHttpPath true

add_cc () {
  ua_name=$1; shift
  printf '%s\n' "$SECRET" | "$UIPAUTH" add "$ua_name" --type client-credentials \
    --client-id app1 --scopes OR.Default --identity-url "$IDP/identity_" \
    --url "$IDP" --organization org --tenant tenant "$@" >/dev/null 2>"$T/add.err"
}
git_stat () { curl -sf "$IDP/git/_stats" | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }
fill () {
  printf 'protocol=http\nhost=%s\n%s\n' "$HOSTPORT" "$1" | git credential fill 2>"$T/fill.err"
}

add_cc orgp --match "$IDP/git/org/*"
is "$?" 0 "a profile for the org's repositories"

# --- git credential fill -----------------------------------------------------
out=$(fill 'path=git/org/repo.git')
is "$?" 0 "git credential fill succeeds through the helper"
tok=$("$UIPAUTH" token orgp)
like "$out" "^protocol=http$" "git keeps the protocol"
is "$(printf '%s\n' "$out" | sed -n 's/^password=//p')" "$tok" "the password is the agent's token for the profile"
like "$out" "^username=uipauth$" "with a placeholder username"
out=$(printf 'url=%s\n' "$REPO" | git credential fill 2>/dev/null)
is "$(printf '%s\n' "$out" | sed -n 's/^password=//p')" "$tok" "fill from a url= too"

# git uses a credential until password_expiry_utc: that must leave the
# token the validity the helper asked the agent for (300 s, or --min-valid).
helper_get () {
  printf 'protocol=http\nhost=%s\npath=git/org/repo.git\n\n' "$HOSTPORT" |
    "$T/bin/git-credential-uipauth" "$@" get | sed -n 's/^password_expiry_utc=//p'
}
expires_at=$("$UIPAUTH" status --json | tr -d ' \n' | grep -o '"name":"orgp"[^}]*' |
  sed -n 's/.*"expires_at":\([0-9]*\).*/\1/p')
is "$(helper_get)" "$((expires_at - 300))" \
  "git is told the token expires 300 s before it does"
is "$(helper_get --min-valid 60)" "$((expires_at - 60))" \
  "or --min-valid seconds before"
fill 'path=git/nobody/repo.git' >/dev/null
is "$?" 128 "a URL no profile matches: git gets nothing from us and may not prompt"
unlike "$(cat "$T/fill.err")" "uipauth" "and the helper said nothing about it"

# --- git over HTTP -----------------------------------------------------------
before_denied=$(git_stat denied)
out=$(git ls-remote "$REPO" 2>"$T/git.err")
is "$?" 0 "git ls-remote over HTTP succeeds with the agent's token"
like "$out" "refs/heads/" "and lists the branches"
check "the server first refused git without a token" test "$(git_stat denied)" -gt "$before_denied"
check "and then let it in" test "$(git_stat ok)" -gt 0
if git version | awk '{ split($3, v, "."); exit !(v[1] > 2 || (v[1] == 2 && v[2] >= 46)) }'; then
  check "git >= 2.46 sends the token as a bearer token" test "$(git_stat bearer)" -gt 0
else
  check "git < 2.46 sends the token as the Basic password" test "$(git_stat basic)" -gt 0
fi
git clone -q "$REPO" "$T/clone" 2>"$T/git.err"
is "$?" 0 "git clone over HTTP succeeds"
is "$(cat "$T/clone/README" 2>/dev/null)" "hello from org" "with the repository's content"
git -C "$T/clone" pull -q 2>"$T/git.err"
is "$?" 0 "git pull in the clone succeeds too"
check "git stored no credential anywhere (store does nothing)" test ! -e "$HOME/.git-credentials"
check "the token is in no file git wrote" no_file_contains "$tok" "$HOME"
check "nor in the clone" no_file_contains "$tok" "$T/clone"

# --- a token the server stops taking: erase drops it, the secret stays -------
minted=$(idp_stat token_requests)
curl -sf -X POST --data-binary "$tok" "$IDP/git/_revoke" >/dev/null
git ls-remote "$REPO" >/dev/null 2>"$T/git.err"
is "$?" 128 "a revoked token: git fails this once"
like "$(cat "$T/git.err")" "Authentication failed|terminal prompts disabled" "and says authentication failed"
is "$(idp_stat token_requests)" "$minted" "erase minted nothing"
git ls-remote "$REPO" >/dev/null 2>"$T/git.err"
is "$?" 0 "the next git command works: erase dropped the cached token and get minted a new one"
is "$(idp_stat token_requests)" $((minted + 1)) "with one new request to the identity server"
new=$("$UIPAUTH" token orgp)
check "the new token is another one" test "$new" != "$tok"
like "$("$UIPAUTH" list)" "^orgp " "the profile and its secret are still there after erase"
printf 'protocol=http\nhost=%s\npath=git/org/repo.git\nusername=uipauth\npassword=%s\n\n' "$HOSTPORT" "$new" |
  git credential approve
is "$?" 0 "git credential approve (store) succeeds"
is "$("$UIPAUTH" token orgp)" "$new" "and changes nothing: store never replaces what the agent holds"

# --- which profile: longest pattern; useHttpPath off ---------------------------
add_cc hostp --match "$IDP/*"
add_cc otherp --match "$IDP/git/other/*"
hostp_tok=$("$UIPAUTH" token hostp) otherp_tok=$("$UIPAUTH" token otherp)
is "$(fill 'path=git/org/repo.git' | sed -n 's/^password=//p')" "$new" \
  "the longest matching pattern wins (org over the whole host)"
is "$(fill 'path=git/other/repo.git' | sed -n 's/^password=//p')" "$otherp_tok" \
  "another organisation's path gets its own profile"
is "$(fill 'path=git/third/repo.git' | sed -n 's/^password=//p')" "$hostp_tok" \
  "a path only the host-wide pattern covers gets that profile"
git clone -q "$IDP/git/other/repo.git" "$T/clone-other" 2>"$T/git.err"
is "$(cat "$T/clone-other/README" 2>/dev/null)" "hello from other" "git clone of the other organisation's repository"

git config --global credential.useHttpPath false
out=$(fill '')
is "$(printf '%s\n' "$out" | sed -n 's/^password=//p')" "$hostp_tok" \
  "useHttpPath off: a pattern for the whole host matches first"
"$UIPAUTH" remove hostp >/dev/null
fill '' >/dev/null
is "$?" 128 "useHttpPath off with two profiles below one host: no token"
like "$(cat "$T/fill.err")" "orgp.*otherp.*credential.useHttpPath true" \
  "and the helper names both and says to turn on useHttpPath"
"$UIPAUTH" remove otherp >/dev/null
is "$(fill '' | sed -n 's/^password=//p')" "$new" \
  "useHttpPath off with one profile below the host: that profile answers"
git ls-remote "$REPO" >/dev/null 2>"$T/git.err"
is "$?" 0 "and git ls-remote works without useHttpPath"
git config --global credential.useHttpPath true

# --- a wildcard in a pattern's host stays in the host --------------------------
add_cc uip --match 'https://*.uipath.com/*' --match 'https://cloud.uipath.com/myorg/*'
uip_tok=$("$UIPAUTH" token uip)
password_for () {
  printf '%s\n' "$@" | git credential fill 2>"$T/fill.err" | sed -n 's/^password=//p'
}
is "$(password_for protocol=https host=cloud.uipath.com path=myorg/repo.git)" "$uip_tok" \
  "patterns on another host: the profile answers for its organisation"
is "$(password_for protocol=https host=alpha.uipath.com path=x/repo.git)" "$uip_tok" \
  "and for any host the wildcard covers"
for req in 'host=evil.example path=x.uipath.com/repo' \
    'url=https://evil.example/.uipath.com/repo' \
    'host=evil.example:443 path=a.uipath.com/x' \
    'url=https://evil.example%2Fcloud.uipath.com/myorg/x' \
    'host=cloud.uipath.com/myorg/x.evil.example'; do
  # shellcheck disable=SC2086 # one attribute a word
  is "$(password_for protocol=https $req)" "" "git gets no token for $req"
  # shellcheck disable=SC2086
  out=$(printf '%s\n' protocol=https $req '' | "$T/bin/git-credential-uipauth" get 2>&1)
  unlike "$out" "password=|credential=" "nor does the helper answer one when asked directly"
done
"$UIPAUTH" remove uip >/dev/null

# --- the helper named by absolute path, and as "uipauth get" -----------------
git -c credential.helper= -c credential.helper="$T/bin/git-credential-uipauth" ls-remote "$REPO" >/dev/null 2>"$T/git.err"
is "$?" 0 "credential.helper as an absolute path to git-credential-uipauth"
git -c credential.helper= -c credential.helper="$UIPAUTH" ls-remote "$REPO" >/dev/null 2>"$T/git.err"
is "$?" 0 "credential.helper as an absolute path to uipauth (git runs 'uipauth get')"
git -c credential.helper= -c credential.helper='!uipauth' ls-remote "$REPO" >/dev/null 2>"$T/git.err"
is "$?" 0 "credential.helper as a shell command '!uipauth'"
git -c credential.helper= -c credential.helper='uipauth --profile orgp' ls-remote "$IDP/git/other/repo.git" >/dev/null 2>"$T/git.err"
is "$?" 0 "'uipauth --profile P' pins the profile whatever the URL"

# --- the bearer form git >= 2.46 asks for, shown against the same server -----
out=$(printf 'capability[]=authtype\ncapability[]=state\nprotocol=http\nhost=%s\npath=git/org/repo.git\nwwwauth[]=Basic realm="x"\nwwwauth[]=Bearer realm="x"\n\n' "$HOSTPORT" |
  "$T/bin/git-credential-uipauth" get)
like "$out" "^authtype=Bearer$" "a git that announces authtype gets authtype=Bearer"
like "$out" "^state\[\]=uipauth:profile=orgp$" "and our state[], naming the profile"
cred=$(printf '%s\n' "$out" | sed -n 's/^credential=//p')
is "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $cred" "$REPO/info/refs")" 200 \
  "the server takes that credential as a bearer token"

# --- after uipauth remove, git fails cleanly ----------------------------------
"$UIPAUTH" remove orgp >/dev/null
is "$?" 0 "uipauth remove"
out=$(git ls-remote "$REPO" 2>"$T/git.err")
is "$?" 128 "git ls-remote fails after the profile is removed"
is "$out" "" "with nothing on standard output"
like "$(cat "$T/git.err")" "Authentication failed|terminal prompts disabled|could not read Username" \
  "and git's own clear message"
unlike "$(cat "$T/git.err")" "uipauth: " "the helper adds no error of its own: no profile matches, git may ask others"
check "the agent kept running" kill -0 "$AGENT_PID"

done_testing
