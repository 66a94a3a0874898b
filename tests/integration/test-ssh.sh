#!/bin/sh
# The recipe of uipauth(1), end to end through a real sshd: the agent's
# restricted socket forwarded with `ssh -R` to the "remote" side (this
# machine again, with its own XDG_RUNTIME_DIR and no agent of its own),
# where uipauth gets the tokens of forwarded profiles and nothing else,
# starts no agent, and says so when the forward is gone.  sshd runs as
# root with its own host key, config and authorized key, all in the test's
# directory, listening on 127.0.0.1 only, and is stopped at the end.
. "$UA_TESTS/lib.sh"

SSHD=/usr/sbin/sshd
skip_all () { echo "1..0 # SKIP $1"; exit 0; }
[ "$(id -u)" = 0 ] || skip_all "sshd must start as root to log a user in"
[ -x "$SSHD" ] || skip_all "no $SSHD (Debian: openssh-server; scripts/deps test installs it)"
for tool in ssh ssh-keygen python3; do
  command -v "$tool" >/dev/null 2>&1 || skip_all "no $tool"
done
ua_setup

FWD_PAT=ssh-fwd-pat-Hq28Ve
HOME_PAT=ssh-home-pat-Zt61Lo
S="$T/ssh"
mkdir -m 0700 "$S"

# --- sshd on a free loopback port ---------------------------------------------
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ssh-keygen -q -t ed25519 -N '' -f "$S/host_key" </dev/null
ssh-keygen -q -t ed25519 -N '' -f "$S/id" </dev/null
cp "$S/id.pub" "$S/authorized_keys"
cat >"$S/sshd_config" <<EOF
Port $PORT
ListenAddress 127.0.0.1
HostKey $S/host_key
PidFile $S/sshd.pid
AuthorizedKeysFile $S/authorized_keys
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
AllowStreamLocalForwarding yes
StreamLocalBindUnlink yes
# Not "no": OpenSSH refuses remote forwards of Unix sockets too then.
AllowTcpForwarding remote
AllowAgentForwarding no
X11Forwarding no
PermitTTY no
PrintMotd no
UseDNS no
LogLevel VERBOSE
EOF
# sshd's privilege separation directory; Debian's ssh.service makes it
# while sshd runs, and its init script keeps it.
[ -d /run/sshd ] || mkdir -m 0755 /run/sshd
if ! "$SSHD" -t -f "$S/sshd_config" >"$S/check.log" 2>&1; then
  skip_all "sshd refuses to run here: $(head -n 1 "$S/check.log")"
fi
"$SSHD" -D -f "$S/sshd_config" -E "$S/sshd.log" &
SSHD_PID=$!
ua_track "$SSHD_PID"
if ! wait_for 10 grep -q "Server listening on 127.0.0.1 port $PORT" "$S/sshd.log"; then
  echo "Bail out! sshd did not start: $(tail -n 3 "$S/sshd.log")"; exit 1
fi

# --- the agent, here --------------------------------------------------------
ua_start_agent || { echo "Bail out! agent did not start"; exit 1; }
RSOCK="$XDG_RUNTIME_DIR/uipauth/agent.restricted.sock"
wait_for 10 test -S "$RSOCK"
printf '%s\n' "$FWD_PAT" | "$UIPAUTH" add fwd --type pat --url https://cloud.uipath.com \
  --organization fwdorg --tenant t --match 'https://cloud.uipath.com/fwdorg/*' --forward \
  >/dev/null 2>&1
printf '%s\n' "$HOME_PAT" | "$UIPAUTH" add home --type pat \
  --match 'https://cloud.uipath.com/homeorg/*' >/dev/null 2>&1

# --- the remote side: its own runtime directory, no agent -----------------------
# The forward's socket goes where the remote client looks by default.  Its
# directory must exist before ssh binds there (uipauth(1) says how).
REMOTE_RUN="$T/remote-run"
mkdir -m 0700 -p "$REMOTE_RUN/uipauth"
REMOTE_SOCK="$REMOTE_RUN/uipauth/agent.sock"
# Were an agent started there, it would leave this mark.
cat >"$T/no-agent" <<EOF
#!/bin/sh
touch "$T/agent-started"
exit 1
EOF
chmod +x "$T/no-agent"
cat >"$T/remote" <<EOF
#!/bin/sh
exec env -i HOME="$T/remote-home" XDG_RUNTIME_DIR="$REMOTE_RUN" PATH=/usr/bin:/bin \
  UIPAUTH_AGENT="$T/no-agent" "$UIPAUTH" "\$@"
EOF
chmod +x "$T/remote"

# rssh ARGS...: `uipauth ARGS` on the remote side, in a session that
# forwards the restricted socket there; standard input goes along.
rssh () {
  env -u SSH_AUTH_SOCK ssh -F /dev/null -T -o BatchMode=yes \
    -o StrictHostKeyChecking=no -o UserKnownHostsFile="$S/known_hosts" \
    -o IdentitiesOnly=yes -i "$S/id" -p "$PORT" -o ExitOnForwardFailure=yes \
    -o LogLevel=ERROR -R "$REMOTE_SOCK:$RSOCK" root@127.0.0.1 "$T/remote $*"
}

out=$(rssh token fwd </dev/null 2>"$T/ssh.err"); rc=$?
is "$rc:$out" "0:$FWD_PAT" "over ssh -R: uipauth token of a forwarded profile"
[ "$rc" = 0 ] || diag "$(cat "$T/ssh.err")" "$(tail -n 5 "$S/sshd.log")"
is "$(rssh token </dev/null 2>/dev/null)" "$FWD_PAT" "the forwarded profile is the default there"
status_is 4 "a profile not forwarded is refused there (exit 4)" rssh token home </dev/null
like "$(cat "$T/last.err")" 'no profile named "home" is forwarded here' "saying so"
unlike "$(cat "$T/last.out" "$T/last.err")" "$HOME_PAT" "and without its token"
printf x | rssh add intruder --type pat >"$T/last.out" 2>"$T/last.err"
is "$?" 1 "add is refused there (exit 1)"
like "$(cat "$T/last.err")" 'op "add" is not served on the agent.s restricted socket' "saying why"
unlike "$("$UIPAUTH" list)" intruder "and nothing was added"
status_is 1 "remove is refused there" rssh remove fwd </dev/null
is "$("$UIPAUTH" token fwd)" "$FWD_PAT" "and the profile is still here"
list=$(rssh list </dev/null 2>/dev/null)
like "$list" '^fwd ' "list there shows the forwarded profile"
unlike "$list" home "and not the other"
out=$(printf 'protocol=https\nhost=cloud.uipath.com\npath=fwdorg/repo.git\n\n' | rssh get 2>/dev/null)
like "$out" "^password=$FWD_PAT\$" "git's get there, by match"
out=$(printf 'protocol=https\nhost=cloud.uipath.com\npath=homeorg/repo.git\n\n' | rssh get 2>/dev/null)
is "$out" "" "a URL of a profile not forwarded gets nothing there"
like "$(rssh env fwd --shell sh </dev/null 2>/dev/null)" "UIPATH_ACCESS_TOKEN='?$FWD_PAT" "env there"
like "$(rssh agent status </dev/null 2>/dev/null)" "restricted socket" "agent status there says it is forwarded"
check "no agent was started on the remote side" test ! -e "$T/agent-started"

# --- who was given tokens -------------------------------------------------------
ssh_exe=$(readlink -f "$(command -v ssh)")
callers=$("$UIPAUTH" status --callers | sed -n '/^fwd /,/^[a-z]/p')
like "$callers" "token  restricted socket  pid [0-9]+  uid 0  $ssh_exe\$" \
  "status --callers here: ssh was given the tokens, on the restricted socket"
like "$(grep 'gave a token of profile "fwd"' "$T/agent.log")" "$ssh_exe, on the restricted socket" \
  "and the log says so"

# --- the forward gone -------------------------------------------------------------
# sshd leaves the socket file behind when the session ends.
if [ -S "$REMOTE_SOCK" ]; then
  status_is 3 "the forward gone: uipauth there exits 3" "$T/remote" token fwd
  like "$(cat "$T/last.err")" "the forward over ssh \(ssh -R\) that made it has ended" "saying so"
  check "and starts no agent of its own" test ! -e "$T/agent-started"
else
  status_is 3 "the forward gone: uipauth there exits 3" "$T/remote" token fwd
  like "$(cat "$T/last.err")" "could not start uipauth-agent" "with no socket left, it tries its own agent"
  skip "and starts no agent of its own" "sshd removed the socket at the end of the session"
fi
# A forward that is up, to a host where the agent is not running.
ua_stop_agent
status_is 3 "no agent at the other end: uipauth there exits 3" rssh token fwd </dev/null
like "$(cat "$T/last.err")" "is uipauth-agent running on the other host" "saying where to look"
check "and starts no agent of its own" test ! -e "$T/agent-started"

for s in "$FWD_PAT" "$HOME_PAT"; do
  check "no log holds ${s%-*}" sh -c "! grep -qaF -- '$s' '$T/agent.log' '$S/sshd.log' '$T/ssh.err'"
done

kill -TERM "$SSHD_PID"
wait "$SSHD_PID" 2>/dev/null
check "sshd stopped" ua_gone "$SSHD_PID"

done_testing
