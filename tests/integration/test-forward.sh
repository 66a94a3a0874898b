#!/bin/sh
# The restricted socket beside the agent's (agent.restricted.sock), the one
# meant for `ssh -R`: every op of the dispatch table that is not on its
# list is refused there, unknown ops too; only profiles marked `forward`
# are served, by name, by git's `match` and as the default, and `list`
# shows no other.  Every token handed out, on either socket, is recorded
# without the token: in the log and for `uipauth status --callers`.  And a
# client that finds a socket no agent of this host made (the end of a
# forward) does not start an agent in its place.  test-ssh.sh does the
# same through a real sshd.
. "$UA_TESTS/lib.sh"
ua_setup

FWD_PAT=fwd-pat-Lk93Qz
HOME_PAT=home-pat-Vb27Wx
OTHER_PAT=other-pat-Rt55Nm
RSOCK="$XDG_RUNTIME_DIR/uipauth/agent.restricted.sock"

ua_start_agent || { echo "Bail out! agent did not start"; exit 1; }
check "the restricted socket is beside the agent's" wait_for 10 test -S "$RSOCK"
like "$(stat -c %a "$RSOCK")" '^[67]00$' "it is closed to group and others"
check "the agent says where it is" wait_for 10 grep -qF "restricted socket $RSOCK" "$T/agent.log"
status_is 0 "list there with nothing forwarded" env UIPAUTH_SOCK="$RSOCK" "$UIPAUTH" list
like "$(cat "$T/last.err")" "no profile is forwarded to this host" "says so, not that there are no profiles"

printf '%s\n' "$FWD_PAT" | "$UIPAUTH" add fwd --type pat --url https://cloud.uipath.com \
  --organization fwdorg --tenant t --match 'https://cloud.uipath.com/fwdorg/*' --forward \
  >/dev/null 2>"$T/add.err"
is "$?" 0 "add --forward"
printf '%s\n' "$HOME_PAT" | "$UIPAUTH" add home --type pat --url https://cloud.uipath.com \
  --match 'https://cloud.uipath.com/homeorg/*' >/dev/null 2>>"$T/add.err"
# A shorter pattern that fits every URL of both.
printf '%s\n' "$OTHER_PAT" | "$UIPAUTH" add other --type pat \
  --match 'https://cloud.uipath.com/*' >/dev/null 2>>"$T/add.err"
like "$(grep -A8 '^\[fwd\]' "$XDG_CONFIG_HOME/uipauth/profiles.ini")" '^forward=true$' \
  "profiles.ini says forward=true"

# On the restricted socket, as a forwarded host's client is.
r () { UIPAUTH_SOCK=$RSOCK "$UIPAUTH" "$@"; }
raw () { frame "$1" | "$UA_RAW" "$RSOCK" --replies 1; }
# git_get PATH COMMAND...: git's request for https://cloud.uipath.com/PATH.
git_get () {
  ua_path=$1; shift
  printf 'protocol=https\nhost=cloud.uipath.com\npath=%s\n\n' "$ua_path" | "$@"
}

# --- every op of the dispatch table, and some it does not have -------------------
ops=$("$UA_OPS")
check "ua-ops lists the dispatch table" test "$(printf '%s\n' "$ops" | grep -c .)" -ge 13
served="ping token list forget"
for op in $ops logout login-cancel frobnicate; do
  out=$(raw "v=1\nop=$op\nprofile=fwd\nlogin=x\n")
  case " $served " in
    *" $op "*)
      like "$out" '^status=ok$' "restricted socket serves $op" ;;
    *)
      like "$out" '^error=forbidden$' "restricted socket refuses $op"
      like "$out" 'not served on the agent.s restricted socket' "and says why ($op)" ;;
  esac
done
out=$(raw 'v=1\nop\n')
like "$out" '^error=bad-request$' "a request without op is still a bad request there"
is "$("$UIPAUTH" token fwd)" "$FWD_PAT" "the agent still serves its own socket"
like "$(raw 'v=1\nop=ping\n')" '^restricted=1$' "ping there says restricted=1"
unlike "$(raw 'v=1\nop=ping\n')" '^pid=' "and gives no pid, which means nothing on another host"
unlike "$(frame 'v=1\nop=ping\n' | "$UA_RAW" "$UIPAUTH_SOCK" --replies 1)" '^restricted=' \
  "ping on the agent's own socket does not say restricted"

# --- only forwardable profiles --------------------------------------------------
is "$(r token fwd)" "$FWD_PAT" "token of a forwarded profile"
is "$(r token)" "$FWD_PAT" "the only forwarded profile is the default there"
status_is 4 "token of a profile not forwarded: exit 4" r token home
home_err=$(cat "$T/last.err")
like "$home_err" 'no profile named "home" is forwarded here' "and the message says so"
unlike "$home_err" "$HOME_PAT" "without the token"
status_is 4 "token of a profile that does not exist: exit 4" r token nosuch
is "$(sed 's/nosuch/home/' "$T/last.err")" "$home_err" \
  "the same answer as for one that exists: a forwarded host learns no names"
like "$(raw 'v=1\nop=forget\nprofile=home\n')" '^error=unknown-profile$' \
  "forget of a profile not forwarded: unknown-profile"
like "$(git_get fwdorg/repo.git r get)" "^password=$FWD_PAT\$" "git get by match, forwarded profile"
out=$(git_get homeorg/repo.git r get); rc=$?
is "$rc:$out" "0:" "git get whose best match is not forwarded gets nothing (git asks its next helper)"
like "$(git_get homeorg/repo.git "$UIPAUTH" get)" "^password=$HOME_PAT\$" \
  "the same URL on the agent's own socket gets that profile"
out=$(git_get elsewhere/repo.git r get)
is "$out" "" "a URL only a profile not forwarded fits gets nothing either"
status_is 0 "git erase of a forwarded profile's token" sh -c \
  'git_get () { printf "protocol=https\nhost=cloud.uipath.com\npath=fwdorg/r.git\n\n"; };
   git_get | UIPAUTH_SOCK="$1" "$2" erase' sh "$RSOCK" "$UIPAUTH"
list=$(r list)
like "$list" '^fwd ' "list there shows the forwarded profile"
unlike "$list" 'home|other' "and no other"
is "$(r list --json | grep -c '"name"')" 1 "list --json there: one profile"
out=$(r env fwd --shell sh)
like "$out" "UIPATH_ACCESS_TOKEN='?$FWD_PAT" "env works there"
like "$out" "UIPATH_URL='?https://cloud.uipath.com/fwdorg/t" "with the profile's URL"
is "$(r exec fwd -- sh -c 'printf %s "$UIPATH_ACCESS_TOKEN"')" "$FWD_PAT" "exec works there"
is "$(r header fwd)" "Authorization: Bearer $FWD_PAT" "header works there"
like "$(r agent status)" 'restricted socket' "agent status there says it is the restricted socket"

# --- what the restricted socket refuses, through the client -----------------
status_is 1 "add there is refused (exit 1)" sh -c \
  'printf x | UIPAUTH_SOCK="$1" "$2" add intruder --type pat' sh "$RSOCK" "$UIPAUTH"
like "$(cat "$T/last.err")" 'op "add" is not served on the agent.s restricted socket' \
  "with a message that says what and why"
unlike "$("$UIPAUTH" list)" intruder "and no profile was added"
status_is 1 "remove there is refused" r remove fwd
is "$("$UIPAUTH" token fwd)" "$FWD_PAT" "and the profile is still there"
status_is 1 "status there is refused" r status
status_is 1 "lock there is refused" r lock
status_is 1 "login there is refused" r login home --no-browser --timeout 1
status_is 1 "agent stop there is refused" r agent stop
check "and the agent still runs" kill -0 "$AGENT_PID"

# --- forward=true by hand, and away again -------------------------------------
ini="$XDG_CONFIG_HOME/uipauth/profiles.ini"
sed -i '/^\[home\]/a forward=true' "$ini"
kill -HUP "$AGENT_PID"
check "a hand-edited forward=true is read on reload" wait_for 5 sh -c \
  '[ "$(UIPAUTH_SOCK="$1" "$2" token home 2>/dev/null)" = "$3" ]' sh "$RSOCK" "$UIPAUTH" "$HOME_PAT"
status_is 4 "with two forwarded profiles there is no default there" r token
sed -i '/^forward=true$/d' "$ini"
kill -HUP "$AGENT_PID"
check "and taking it away refuses the profile again" wait_for 5 sh -c \
  '! UIPAUTH_SOCK="$1" "$2" token home >/dev/null 2>&1' sh "$RSOCK" "$UIPAUTH"
printf '%s\n' "$FWD_PAT" | "$UIPAUTH" add fwd --type pat --replace \
  --match 'https://cloud.uipath.com/fwdorg/*' >/dev/null 2>&1
status_is 4 "add --replace without --forward: no longer forwarded" r token fwd
printf '%s\n' "$FWD_PAT" | "$UIPAUTH" add fwd --type pat --url https://cloud.uipath.com \
  --organization fwdorg --tenant t --match 'https://cloud.uipath.com/fwdorg/*' --forward \
  --replace >/dev/null 2>&1

# --- the record of who was given tokens --------------------------------------
exe=$(readlink -f "$UIPAUTH")
r token fwd >/dev/null
sh -c 'echo $$ >"$1"; exec env UIPAUTH_SOCK="$2" "$3" token fwd' sh "$T/caller.pid" "$RSOCK" \
  "$UIPAUTH" >/dev/null
caller=$(cat "$T/caller.pid")
"$UIPAUTH" token home >/dev/null
log=$(grep 'gave a token' "$T/agent.log")
like "$log" "gave a token of profile \"fwd\" \\(token\\) to pid $caller, uid $(id -u), $exe, on the restricted socket" \
  "the log names profile, op, pid, uid, executable and socket"
like "$log" "gave a token of profile \"home\" \\(token\\) to pid [0-9]+, uid $(id -u), $exe, on the main socket" \
  "tokens on the agent's own socket are recorded too"
status=$("$UIPAUTH" status --callers)
like "$status" "^  callers: +[0-9]+, newest first" "status --callers lists callers"
like "$(printf '%s\n' "$status" | sed -n '/^fwd /,/^[a-z]/p' | grep -m1 'socket  pid')" \
  "token  restricted socket  pid $caller  uid $(id -u)  $exe\$" \
  "the newest caller of fwd first: the process that asked on the restricted socket"
unlike "$(UIPAUTH_SOCK=$RSOCK "$UIPAUTH" status --callers 2>&1)" "$caller" \
  "the restricted socket shows no callers"
unlike "$("$UIPAUTH" status)" "callers:" "plain status shows no callers"
"$UIPAUTH" status --json --callers >"$T/callers.json"
is "$(python3 - "$T/callers.json" "$caller" "$exe" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
fwd = [p for p in doc["profiles"] if p["name"] == "fwd"][0]
c = fwd["callers"][0]
print(c["pid"] == int(sys.argv[2]), c["socket"], c["op"], c["exe"] == sys.argv[3],
      isinstance(c["time"], int), all("callers" in p for p in doc["profiles"]))
EOF
)" "True restricted token True True True" "status --json --callers: an array of callers per profile"
i=0
while [ $i -lt 60 ]; do "$UIPAUTH" token home >/dev/null; i=$((i + 1)); done
is "$("$UIPAUTH" status --json --callers | python3 -c '
import json, sys
print([len(p["callers"]) for p in json.load(sys.stdin)["profiles"] if p["name"] == "home"][0])')" \
  50 "the last 50 callers are kept per profile"
printf '%s\n' "$HOME_PAT" | "$UIPAUTH" add home --type pat --replace >/dev/null 2>&1
like "$("$UIPAUTH" status --callers | sed -n '/^home /,/^[a-z]/p')" "callers: +none recorded" \
  "a replaced profile is a new credential, with no callers yet (the log keeps the old ones)"
for s in "$FWD_PAT" "$HOME_PAT" "$OTHER_PAT"; do
  check "no log line or record holds ${s%-*}" sh -c \
    "! grep -qF -- '$s' '$T/agent.log' '$T/callers.json' && ! '$UIPAUTH' status --callers | grep -qF -- '$s'"
done

# --- a socket no agent of this host made: not replaced -----------------------
# The end of a forward whose ssh connection has ended: a socket file that
# refuses connections, with no lock of an agent beside it.
FR="$T/remote"
mkdir -m 0700 -p "$FR/uipauth"
python3 -c 'import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' \
  "$FR/uipauth/agent.sock"
inode=$(stat -c %i "$FR/uipauth/agent.sock")
status_is 3 "a dead forward: exit 3" env UIPAUTH_SOCK="$FR/uipauth/agent.sock" "$UIPAUTH" token fwd
like "$(cat "$T/last.err")" "no uipauth-agent of this host made it: the forward over ssh" \
  "saying the forward has ended"
is "$(stat -c %i "$FR/uipauth/agent.sock")" "$inode" "no agent was started in its place"
check "no agent took a lock there" test ! -e "$FR/uipauth/agent.sock.lock"
# A forward that answers, to a host where no agent listens: ssh accepts and
# then closes.
python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX); os.unlink(sys.argv[1]); s.bind(sys.argv[1]); s.listen(4)
print(flush=True)
while True:
    c, _ = s.accept(); c.close()' "$FR/uipauth/agent.sock" >"$T/closer.out" &
closer=$!
ua_track "$closer"
wait_for 5 test -s "$T/closer.out"
status_is 3 "a forward with no agent at its other end: exit 3" \
  env UIPAUTH_SOCK="$FR/uipauth/agent.sock" "$UIPAUTH" token fwd
like "$(cat "$T/last.err")" "is uipauth-agent running on the other host" "saying where to look"
inode=$(stat -c %i "$FR/uipauth/agent.sock")
status_is 0 "an agent started by hand where a forward answers steps aside" \
  "$UIPAUTH_AGENT" --foreground --socket "$FR/uipauth/agent.sock"
like "$(cat "$T/last.err")" "another process serves $FR/uipauth/agent.sock" "saying so"
is "$(stat -c %i "$FR/uipauth/agent.sock")" "$inode" "and leaves the forward's socket alone"
kill "$closer" 2>/dev/null; wait "$closer" 2>/dev/null
# A dead agent's own socket, with its lock: replaced as before.
A2="$T/a2/uipauth/agent.sock"
mkdir -p "$T/a2"
"$UIPAUTH_AGENT" --foreground --socket "$A2" 2>>"$T/a2.log" &
a2=$!
ua_track "$a2"
wait_for 10 test -S "$A2"
kill -KILL "$a2"; wait "$a2" 2>/dev/null
check "a killed agent leaves its socket" test -S "$A2"
UIPAUTH_SOCK=$A2 "$UIPAUTH" agent start >/dev/null 2>&1
like "$(UIPAUTH_SOCK=$A2 "$UIPAUTH" agent status 2>&1)" "running: pid" \
  "a dead agent's socket is replaced by a new agent"
UIPAUTH_SOCK=$A2 "$UIPAUTH" agent stop >/dev/null 2>&1

done_testing
