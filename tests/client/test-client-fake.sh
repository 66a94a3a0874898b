#!/bin/sh
# The client against tests/client/fake-agent: the exact requests it sends,
# what it makes of replies, errors and misbehaving agents, autostart, exec
# and the git helper.  TAP.
#   test-client-fake.sh UIPAUTH GIT-CREDENTIAL-UIPAUTH FAKE-AGENT
set -u

UIPAUTH=$1
GIT_HELPER=$2
export UIPAUTH_AGENT=$3

T=$(mktemp -d "${TMPDIR:-/tmp}/uipauth-client.XXXXXX")
n=0
failed=0

cleanup () {
  [ -f "$T/pids" ] && while read -r p; do kill -KILL "$p" 2>/dev/null; done < "$T/pids"
  rm -rf "$T"
}
trap cleanup EXIT

ok () { n=$((n + 1)); printf 'ok %d - %s\n' "$n" "$1"; }
not_ok () { n=$((n + 1)); failed=$((failed + 1)); printf 'not ok %d - %s\n' "$n" "$1"; }
diag () { printf '%s\n' "$@" | sed 's/^/# /'; }
is () {
  if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3"; diag "got:  '$1'" "want: '$2'"; fi
}
like () {
  if printf '%s\n' "$1" | grep -Eq -- "$2"; then ok "$3"; else not_ok "$3"; diag "got: '$1'" "want match: '$2'"; fi
}

# run ARGS...: runs uipauth; sets $out, $err and $rc.
run () {
  "$UIPAUTH" "$@" > "$T/out" 2> "$T/err"
  rc=$?
  out=$(cat "$T/out")
  err=$(cat "$T/err")
}

# last_request: the fields of the last request the fake agent got.
last_request () {
  awk '/^--$/ { last = cur; cur = ""; next } { cur = cur $0 "\n" } END { printf "%s", last }' "$T/log"
}

# reply OP PAYLOAD: what the fake agent answers to OP (printf escapes).
reply () {
  printf "$2" > "$T/replies/$1"
}

stop_agent () {
  "$UIPAUTH" agent stop > /dev/null 2>&1
}

mkdir -m 700 "$T/run" "$T/replies"
export UIPAUTH_SOCK="$T/run/uipauth/agent.sock"
export FAKE_LOG="$T/log" FAKE_REPLIES="$T/replies" FAKE_PIDFILE="$T/pids" FAKE_IDLE=60
unset UIPAUTH_PROFILE UIPAUTH_TIMEOUT UIPAUTH_NO_AUTOSTART FAKE_MODE FAKE_START
unset UIPATH_URL UIPATH_ACCESS_TOKEN UIPATH_URI UIPATH_ORGANIZATION UIPATH_TENANT UIPATH_PAT

# --- no agent, and agents that do not start
UIPAUTH_NO_AUTOSTART=1 run token
is "$rc" 3 "UIPAUTH_NO_AUTOSTART=1 and no agent: exit 3"
like "$err" "^uipauth: no uipauth-agent is running on $UIPAUTH_SOCK" "says no agent runs, and where"

FAKE_START=fail run token
is "$rc" 3 "an agent that fails to start: exit 3"
like "$err" "could not start uipauth-agent \(.*exited with status 1\)" "says it could not start the agent"

UIPAUTH_AGENT=$T/nonexistent run token
is "$rc" 3 "a missing agent binary: exit 3"
like "$err" "could not start uipauth-agent \($T/nonexistent: No such file" "names the missing binary"

UIPAUTH_TIMEOUT=soon run token
is "$rc" 2 "a bad UIPAUTH_TIMEOUT is a usage error"

# --- token, autostarting the fake agent
reply token 'v=1\nstatus=ok\nprofile=work\ntype=pat\ntoken=tok'"'"'en$`!\\ x\ntoken_type=Bearer\nexpires_in=3600\nexpires_at=2000000000\nurl=https://cloud.uipath.com\norganization=org\ntenant=Ten ant\nbase_url=https://cloud.uipath.com/org/Ten ant\nusername=svc\nwarning=this PAT expires in 3 days\nwarning=and a second warning\n'
TOKEN='tok'"'"'en$`!\ x'

run token work --min-valid 120 --force-new
is "$rc" 0 "token: autostarts the agent and succeeds"
is "$out" "$TOKEN" "token: prints the token"
is "$(wc -l < "$T/out")" 1 "token: and one newline"
is "$err" "uipauth: warning: this PAT expires in 3 days
uipauth: warning: and a second warning" "token: every warning goes to stderr"
is "$(last_request)" "v=1
op=token
profile=work
min_valid=120
force_new=1" "token: the request has exactly the given fields"

UIPAUTH_PROFILE=fromenv run token
is "$(last_request | grep ^profile=)" "profile=fromenv" "PROFILE defaults to \$UIPAUTH_PROFILE"
run token
is "$(last_request)" "v=1
op=token" "without a profile, none is sent"

run header work
is "$out" "Authorization: Bearer $TOKEN" "header: the Authorization line"

# --- env and exec
run env work --shell sh
is "$rc" 0 "env: succeeds"
got=$(eval "$out"; printf '%s|%s|%s|%s|%s|%s' "$UIPATH_URL" "$UIPATH_ACCESS_TOKEN" "$UIPATH_URI" "$UIPATH_ORGANIZATION" "$UIPATH_TENANT" "$UIPATH_PAT")
is "$got" "https://cloud.uipath.com/org/Ten ant|$TOKEN|https://cloud.uipath.com|org|Ten ant|$TOKEN" "env: eval sets all six variables exactly"
SHELL=/usr/bin/fish run env work
like "$out" "^set -gx UIPATH_URL " "env: the shell comes from \$SHELL"

got=$("$UIPAUTH" exec work -- sh -c 'printf "%s|%s" "$UIPATH_PAT" "$UIPATH_TENANT"' 2>/dev/null)
is "$got" "$TOKEN|Ten ant" "exec: the command sees the variables"
"$UIPAUTH" exec work -- sh -c 'exit 42' 2>/dev/null
is "$?" 42 "exec: the command's exit status is ours"
"$UIPAUTH" exec work -- sh -c 'kill -TERM $$' 2>/dev/null
is "$?" 143 "exec: a signal that ends the command ends us alike"
run exec work -- "$T/no-such-command"
is "$rc" 127 "exec: a missing command exits 127"
like "$err" "command not found" "exec: and says so"
printf 'x' > "$T/not-executable"
run exec work -- "$T/not-executable"
is "$rc" 126 "exec: a command that cannot run exits 126"
reply token 'v=1\nstatus=ok\nprofile=other\ntype=pat\ntoken=T2\n'
got=$(UIPATH_ORGANIZATION=stale UIPATH_TENANT=stale "$UIPAUTH" exec other -- sh -c 'printf "%s|%s" "${UIPATH_ORGANIZATION-unset}" "$UIPATH_PAT"' 2>/dev/null)
is "$got" "unset|T2" "exec: variables the profile has no value for are removed"
run env other --shell sh
is "$(printf '%s\n' "$out" | grep '^export')" "export UIPATH_ACCESS_TOKEN='T2';
export UIPATH_PAT='T2';" "env: only variables with a value are exported"
is "$(printf '%s\n' "$out" | grep -c '^unset ')" 12 "env: the other twelve are removed"

# --- errors from the agent
for case in "rejected 5" "expired 5" "login-required 5" "unknown-profile 4" "no-profile 4" \
            "unreachable 6" "server-error 6" "keyring 7" "busy 3" "invalid-argument 2" \
            "exists 1" "something-new 1"; do
  set -- $case
  reply token "v=1\nstatus=error\nerror=$1\nmessage=profile work: $1, do something\n"
  run token work
  is "$rc" "$2" "error=$1 exits $2"
done
is "$err" "uipauth: profile work: something-new, do something" "the agent's message is printed after 'uipauth: '"
reply token 'v=1\nstatus=error\nerror=rejected\n'
run token work
like "$err" "^uipauth: the agent answered with error 'rejected'" "an error without a message still says something"
reply token 'v=1\nstatus=ok\nprofile=work\n'
run token work
is "$rc" 1 "a reply without a token fails"
reply token 'v=1\nerror=x\n'
run token work
is "$rc" 1 "a reply without a status fails"

# --- git credential helper
reply token 'v=1\nstatus=ok\nprofile=work\ntype=pat\ntoken=GITTOKEN\nexpires_at=2000000000\n'
printf 'protocol=https\nhost=cloud.uipath.com\npath=org/repo.git\nusername=bob\n\n' | "$UIPAUTH" get > "$T/out" 2> "$T/err"
is "$?|$(cat "$T/out")" "0|username=bob
password=GITTOKEN
password_expiry_utc=1999999700" "get: username and password for git, expiring the 300 s asked for early"
is "$(last_request)" "v=1
op=token
match=https://cloud.uipath.com/org/repo.git
min_valid=300" "get: asks by URL with a longer minimum validity"
printf 'capability[]=authtype\nurl=https://cloud.uipath.com/org/repo.git\n\n' | "$GIT_HELPER" --profile work --min-valid 900 get > "$T/out"
is "$(cat "$T/out")" "capability[]=authtype
authtype=Bearer
credential=GITTOKEN
ephemeral=1
password_expiry_utc=1999999100" "git-credential-uipauth get: a bearer credential when git takes one, expiring --min-valid early"
is "$(last_request)" "v=1
op=token
profile=work
min_valid=900" "git-credential-uipauth --profile: asks by profile"
reply token 'v=1\nstatus=error\nerror=unknown-profile\nmessage=no profile matches\n'
printf 'protocol=https\nhost=github.com\n\n' | "$UIPAUTH" get > "$T/out" 2> "$T/err"
is "$?|$(cat "$T/out")|$(cat "$T/err")" "0||" "get: no matching profile is silent, so git asks its other helpers"
printf 'protocol=https\nhost=github.com\n\n' | "$GIT_HELPER" --profile nope get > "$T/out" 2> "$T/err"
is "$?" 4 "get --profile: an unknown profile is an error"
printf 'protocol=https\nhost=h\r\n\n' | "$UIPAUTH" get > "$T/out" 2> "$T/err"
is "$?|$(cat "$T/out")" "1|" "get: a CR in the request is refused"
: > "$T/log"
printf 'protocol=https\nhost=h\npassword=x\n\n' | "$UIPAUTH" store > "$T/out" 2> "$T/err"
is "$?|$(cat "$T/out")|$(cat "$T/log")" "0||" "store: does nothing"
printf 'protocol=https\nhost=cloud.uipath.com\npath=org/repo.git\npassword=GITTOKEN\n\n' | "$GIT_HELPER" erase > "$T/out" 2> "$T/err"
is "$?|$(cat "$T/err")" "0|" "erase: unknown-op from the agent is fine"
is "$(last_request)" "v=1
op=forget
match=https://cloud.uipath.com/org/repo.git" "erase: asks the agent to forget that URL's token"
reply token 'v=1\nstatus=ok\nprofile=work\ntype=pat\ntoken=GITTOKEN\nexpires_at=2000000000\n'
printf 'capability[]=authtype\ncapability[]=state\nprotocol=https\nhost=cloud.uipath.com\nwwwauth[]=Basic realm="git"\n\n' |
  "$UIPAUTH" get > "$T/out"
is "$(cat "$T/out")" "username=uipauth
password=GITTOKEN
password_expiry_utc=1999999700
capability[]=state
state[]=uipauth:profile=work" "get: a password when the server offers only Basic, and our state[] when git speaks it"
: > "$T/log"
printf 'capability[]=state\nprotocol=https\nhost=cloud.uipath.com\nstate[]=uipauth:profile=work\npassword=GITTOKEN\n\n' |
  "$GIT_HELPER" erase > "$T/out" 2> "$T/err"
is "$?|$(last_request)" "0|v=1
op=forget
profile=work" "erase: with our state[] back, forgets exactly that profile"
: > "$T/log"
printf 'capability[]=state\nprotocol=https\nhost=cloud.uipath.com\nstate[]=other:x\npassword=FROMELSEWHERE\n\n' |
  "$GIT_HELPER" erase > "$T/out" 2> "$T/err"
is "$?|$(cat "$T/log")" "0|" "erase: a credential another helper gave (no state[] of ours) leaves our token alone"
: > "$T/log"
printf 'capability[]=state\nprotocol=https\nhost=cloud.uipath.com\npassword=FROMELSEWHERE\n\n' |
  "$GIT_HELPER" --profile work erase > "$T/out" 2> "$T/err"
is "$?|$(cat "$T/log")" "0|" "erase --profile: the same, when the profile is pinned"
printf 'protocol=https\nhost=cloud.uipath.com\nurl=https://cloud.uipath.com/a%%0a\n\n' | "$UIPAUTH" erase > "$T/out" 2> "$T/err"
is "$?" 1 "erase: a request that decodes to a line break is refused"
"$GIT_HELPER" some-future-action < /dev/null
is "$?" 0 "git-credential-uipauth ignores actions it does not know"

# --- add, remove, list, status
reply add 'v=1\nstatus=ok\nprofile=work\nwarning=API keys are deprecated\n'
printf 'sec ret$`!\n' | "$UIPAUTH" add work --type api-key --url https://cloud.uipath.com --tenant T \
  --match 'https://a/*' --match 'https://b/*' --expires 2026-01-31 --replace > "$T/out" 2> "$T/err"
is "$?" 0 "add: succeeds"
is "$(cat "$T/err")" "uipauth: warning: API keys are deprecated" "add: warnings are shown"
is "$(last_request)" "v=1
op=add
profile=work
type=api-key
url=https://cloud.uipath.com
tenant=T
expires=2026-01-31
match=https://a/* https://b/*
replace=1
secret=sec ret\$\`!" "add: settings, joined patterns, replace, and the secret without its newline"
printf 'pw\n' | "$UIPAUTH" add pw --type password --username bob --url https://orch.example --allow-password > /dev/null 2>&1
is "$(last_request | grep -E '^(username|allow_password|secret)=')" "username=bob
allow_password=true
secret=pw" "add --type password: username, allow_password=true"
: > "$T/log"
"$UIPAUTH" add work --type pat < /dev/null > "$T/out" 2> "$T/err"
is "$?|$(cat "$T/log")" "2|" "add: an empty secret is a usage error, refused before anything is sent"
like "$(cat "$T/err")" "Personal Access Token for work is empty" "add: and the message names the profile"
printf 'a\r\n' | "$UIPAUTH" add work --type pat > /dev/null 2>&1
is "$?|$(cat "$T/log")" "2|" "add: a CRLF secret is refused"
printf 'not-read\n' | "$UIPAUTH" add me --type authorization-code --client-id c > /dev/null 2>&1
is "$(last_request | grep -c '^secret=')" 0 "add --type authorization-code: no secret is read or sent"

reply remove 'v=1\nstatus=ok\nprofile=work\n'
run remove work
is "$rc|$out" "0|Removed profile work." "remove: says so"

reply list 'v=1\nstatus=ok\ncount=1\nprofile.0.name=work\nprofile.0.type=pat\nprofile.0.url=https://x\n'
run list
is "$out" "NAME  TYPE  URL
work  pat   https://x" "list: a table"
# A reply far beyond one read: 20000 profiles.
awk 'BEGIN { printf "v=1\nstatus=ok\ncount=20000\n"; for (i = 0; i < 20000; i++) printf "profile.%d.name=p%d\nprofile.%d.type=pat\n", i, i, i }' > "$T/replies/list"
run list --json
is "$rc|$(printf '%s\n' "$out" | grep -c '"name"')" "0|20000" "list --json: a reply of $(wc -c < "$T/replies/list") bytes"

run agent status
like "$out" "^uipauth-agent running: pid 1, version fake, protocol 1, socket $UIPAUTH_SOCK" "agent status: pid and version"
run agent stop
is "$rc" 0 "agent stop: succeeds"
UIPAUTH_NO_AUTOSTART=1 run agent status
is "$rc" 3 "agent status after stop: exit 3"
run agent stop
is "$rc" 0 "agent stop without an agent: nothing to do"

# --- agents that misbehave: each a fresh fake agent
for case in "hang 3 did not answer within 1 s" "close 3 the agent closed the connection" \
            "partial 3 the agent closed the connection" "huge 1 larger than" \
            "malformed 1 malformed reply"; do
  mode=${case%% *}; rest=${case#* }; want_rc=${rest%% *}; want_msg=${rest#* }
  start=$(date +%s)
  FAKE_MODE=$mode UIPAUTH_TIMEOUT=1 run token work
  took=$(( $(date +%s) - start ))
  is "$rc" "$want_rc" "agent that does '$mode': exit $want_rc"
  like "$err" "$want_msg" "agent that does '$mode': says '$want_msg'"
  [ "$took" -le 3 ] && ok "agent that does '$mode': gives up in ${took}s" || not_ok "'$mode' took ${took}s"
  while read -r p; do kill -KILL "$p" 2>/dev/null; done < "$T/pids"
  rm -f "$UIPAUTH_SOCK"
done

# --- a socket directory others can write to is refused
chmod 755 "$T/run/uipauth"
: > "$T/log"
run token work
is "$rc" 3 "an unsafe socket directory: exit 3"
like "$err" "open to other users" "and says why"
chmod 700 "$T/run/uipauth"

# --- the agent we start gets none of our file descriptors beyond 0-2: a
# pipe it kept would hold our caller's $(...) open until it exits.
stop_agent
rm -f "$UIPAUTH_SOCK"
start=$(date +%s)
got=$(timeout 20 sh -c 'x=$("$1" agent start 3>&1 >/dev/null 2>&1); echo returned' sh "$UIPAUTH")
is "$got" "returned" "a caller's pipe on fd 3 is not kept open by the agent"
[ $(( $(date +%s) - start )) -le 5 ] && ok "and the caller is not kept waiting" || not_ok "the caller waited"
stop_agent

# --- many clients autostarting at once get one agent
: > "$T/pids"
for i in 1 2 3 4 5 6 7 8; do "$UIPAUTH" agent start > "$T/race.$i" 2>&1 & done
wait
is "$(cat "$T"/race.* | grep -c '^uipauth-agent running')" 8 "8 clients starting the agent at once all get an answer"
is "$(grep -c . "$T/pids")" 1 "and exactly one agent serves"
stop_agent

echo "1..$n"
[ "$failed" -eq 0 ]
