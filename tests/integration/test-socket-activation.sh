#!/bin/sh
# systemd socket activation: the agent takes its listening sockets from
# fd 3 (LISTEN_FDS, LISTEN_PID): its own and the restricted one, told apart
# by their paths; binds none of its own, exits when idle (but never in the
# middle of a mint) and is started again on the next connection to either,
# as a socket unit does it.  LISTEN_* meant for another process or a wrong
# hand-over are handled.
. "$UA_TESTS/lib.sh"
ua_setup

# The client must not start an agent of its own: the launcher does.
export UIPAUTH_NO_AUTOSTART=1
PAT=pat-activated-Kq2
SECRET=cc-activated-secret

ua_start_idserver --client "app1:$SECRET:OR.Jobs" ||
  { echo "Bail out! identity server did not start"; exit 1; }

starts () { grep -c '^start' "$T/lf.log" 2>/dev/null || echo 0; }
exits () { grep -c '^exit' "$T/lf.log" 2>/dev/null || echo 0; }
exited_n () { [ "$(exits)" -ge "$1" ]; }

RSOCK="$(dirname "$UIPAUTH_SOCK")/agent.restricted.sock"

# --- the launcher holds the sockets; the first connection starts the agent --
# The restricted one first: the order of ListenStream= lines is not relied on.
"$UA_LISTEN_FDS" --starts 4 --log "$T/lf.log" "$RSOCK" "$UIPAUTH_SOCK" -- \
  "$UIPAUTH_AGENT" --foreground --debug --idle-timeout 2 2>>"$T/agent.log" &
LF_PID=$!
ua_track "$LF_PID"
wait_for 10 test -S "$UIPAUTH_SOCK" || { echo "Bail out! launcher did not listen"; exit 1; }
inode=$(stat -c %i "$UIPAUTH_SOCK")
is "$(stat -c %a "$UIPAUTH_SOCK")" 600 "the socket is mode 0600"
is "$(stat -c %a "$(dirname "$UIPAUTH_SOCK")")" 700 "its directory is mode 0700"

printf '%s\n' "$PAT" | "$UIPAUTH" add work --type pat >/dev/null 2>"$T/add.err"
is "$?" 0 "add through an activated agent"
is "$("$UIPAUTH" token work)" "$PAT" "token through an activated agent"
pid=$("$UIPAUTH" agent status | sed -n 's/.*pid \([0-9]*\),.*/\1/p')
is "$(sed -n 's/^start //p' "$T/lf.log" | head -n 1)" "$pid" \
  "the agent took the socket as the process LISTEN_PID named"
like "$(cat "$T/agent.log")" "serving a socket from systemd" "the agent says it serves the inherited socket"
is "$(stat -c %i "$UIPAUTH_SOCK")" "$inode" "the agent bound no socket of its own"
check "no lock file beside an inherited socket" test ! -e "$UIPAUTH_SOCK.lock"
unlike "$(cat "$T/agent.log")" "without a restricted socket" "the agent took the restricted socket too"
printf '%s\n' "$PAT" | "$UIPAUTH" add fwd --type pat --forward >/dev/null 2>&1
is "$(UIPAUTH_SOCK=$RSOCK "$UIPAUTH" token fwd)" "$PAT" "the inherited restricted socket serves a forwarded profile"
status_is 4 "and only those" env UIPAUTH_SOCK="$RSOCK" "$UIPAUTH" token work
status_is 1 "and refuses the rest" env UIPAUTH_SOCK="$RSOCK" "$UIPAUTH" remove work

# --- idle exit, then a clean restart on the next connection ---------------
check "the idle agent exits by itself" wait_for 10 exited_n 1
is "$(sed -n 's/^exit [0-9]* //p' "$T/lf.log" | head -n 1)" 0 "an idle exit is a clean exit (status 0)"
check "the socket stays with the launcher" test -S "$UIPAUTH_SOCK"
is "$("$UIPAUTH" token work)" "$PAT" "the next connection starts the agent again and is served"
is "$(starts)" 2 "a second start"
pid2=$("$UIPAUTH" agent status | sed -n 's/.*pid \([0-9]*\),.*/\1/p')
check "it is a new process" test "$pid2" != "$pid"
check "the second agent exits idle" wait_for 10 exited_n 2
is "$(UIPAUTH_SOCK=$RSOCK "$UIPAUTH" token fwd)" "$PAT" \
  "a connection to the restricted socket starts the agent again too (a forward never finds it gone)"
is "$(starts)" 3 "a third start"

# --- no idle exit while a mint is in flight --------------------------------
check "the third agent exits idle too" wait_for 10 exited_n 3
printf '%s\n' "$SECRET" | "$UIPAUTH" add cc --type client-credentials --client-id app1 \
  --scopes OR.Jobs --identity-url "$IDP/identity_" --url "$IDP" >/dev/null 2>&1
check "the fourth start is up" wait_for 10 sh -c "[ \$(grep -c '^start' '$T/lf.log') -ge 4 ]"
idp_control fault '{"mode":"delay","ms":4000}' >/dev/null
# The caller gives up at once; the mint goes on without any connection.
"$UIPAUTH" token cc >/dev/null 2>&1 &
client=$!
sleep 0.5
kill "$client" 2>/dev/null
wait "$client" 2>/dev/null
sleep 2.5
is "$(exits)" 3 "no idle exit while a mint is in flight (2 s idle limit, 4 s mint)"
check "the agent exits once the mint is done" wait_for 10 exited_n 4
idp_control fault '{"mode":"none"}' >/dev/null
like "$(cat "$T/agent.log")" "idle for [0-9]+ s, exiting" "the idle exit is logged"

kill -TERM "$LF_PID" 2>/dev/null; wait "$LF_PID" 2>/dev/null

# --- LISTEN_* meant for someone else, or a wrong hand-over ---------------
sock2="$XDG_RUNTIME_DIR/other/agent.sock"
LISTEN_PID=1 LISTEN_FDS=1 "$UIPAUTH_AGENT" --foreground --socket "$sock2" 2>"$T/other.log" &
other=$!
ua_track "$other"
check "LISTEN_PID of another process: the agent binds its own socket" wait_for 10 test -S "$sock2"
kill -TERM "$other"; wait "$other" 2>/dev/null

status_is 1 "LISTEN_FDS=3 is refused" sh -c \
  'export LISTEN_PID=$$ LISTEN_FDS=3; exec "$UIPAUTH_AGENT" --foreground 3</dev/null'
like "$(cat "$T/last.err")" "one ListenStream= for the agent's socket, and may have a second" \
  "and the error says what the unit must have"
# Two sockets of which neither sits beside the other as its restricted one.
"$UA_LISTEN_FDS" --log "$T/lf2.log" "$XDG_RUNTIME_DIR/x/a.sock" "$XDG_RUNTIME_DIR/x/b.sock" -- \
  "$UIPAUTH_AGENT" --foreground 2>"$T/pair.err" &
pair=$!
ua_track "$pair"
check "two unrelated sockets: the agent refuses them" wait_for 10 grep -q '^exit' "$T/lf2.log"
like "$(cat "$T/pair.err")" "neither is the restricted socket beside the other" "and says so"
kill -TERM "$pair" 2>/dev/null; wait "$pair" 2>/dev/null
# One socket, as a unit from before the restricted socket has it.
"$UA_LISTEN_FDS" --log "$T/lf3.log" "$XDG_RUNTIME_DIR/y/agent.sock" -- \
  "$UIPAUTH_AGENT" --foreground --debug 2>"$T/one.log" &
one=$!
ua_track "$one"
wait_for 10 test -S "$XDG_RUNTIME_DIR/y/agent.sock"
is "$(UIPAUTH_SOCK=$XDG_RUNTIME_DIR/y/agent.sock "$UIPAUTH" token work)" "$PAT" \
  "one socket passed (an older unit): the agent serves it"
like "$(cat "$T/one.log")" "without a restricted socket: nothing can be forwarded" \
  "and says how to get the restricted socket"
kill -TERM "$one" 2>/dev/null; wait "$one" 2>/dev/null
status_is 1 "a descriptor 3 that is no listening socket is refused" sh -c \
  'export LISTEN_PID=$$ LISTEN_FDS=1; exec "$UIPAUTH_AGENT" --foreground 3</dev/null'
like "$(cat "$T/last.err")" "not a listening Unix stream socket" "and the error says so"

# --- the same with systemd's own launcher, when it is installed ----------
if command -v systemd-socket-activate >/dev/null 2>&1; then
  sock3="$XDG_RUNTIME_DIR/sd/agent.sock"
  mkdir -m 0700 -p "$(dirname "$sock3")"
  # It passes on only the environment it is told to, like a unit.
  systemd-socket-activate -l "$sock3" -l "$XDG_RUNTIME_DIR/sd/agent.restricted.sock" -E HOME -E XDG_CONFIG_HOME -E XDG_RUNTIME_DIR \
    -E XDG_DATA_HOME -E DBUS_SESSION_BUS_ADDRESS "$UIPAUTH_AGENT" --idle-timeout 1 \
    >"$T/sd.out" 2>"$T/sd.log" &
  sd=$!
  ua_track "$sd"
  wait_for 10 test -S "$sock3"
  out=$(UIPAUTH_SOCK=$sock3 "$UIPAUTH" token work)
  is "$out" "$PAT" "systemd-socket-activate: the agent serves its socket"
  out=$(UIPAUTH_SOCK=$XDG_RUNTIME_DIR/sd/agent.restricted.sock "$UIPAUTH" token fwd)
  is "$out" "$PAT" "systemd-socket-activate: and the restricted one"
  check "systemd-socket-activate: the agent exits when idle" wait_for 10 sh -c "! kill -0 $sd 2>/dev/null"
else
  skip "systemd-socket-activate: the agent serves its socket" "systemd-socket-activate not installed"
  skip "systemd-socket-activate: and the restricted one" "systemd-socket-activate not installed"
  skip "systemd-socket-activate: the agent exits when idle" "systemd-socket-activate not installed"
fi

done_testing
