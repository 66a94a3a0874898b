#!/bin/sh
# Secret hygiene: with debug logging on, a workload that stores, mints and
# hands out secrets through every client path, on the agent's socket and
# on the restricted one; then no log (the record of each token given
# included), no `status --callers`, no file the agent or client wrote, no
# process environment and no command line holds a test secret.  And the agent's memory is closed to other processes:
# undumpable, no core file.
. "$UA_TESTS/lib.sh"
ua_setup

PAT='hyg-pat-Qw7Lp2Zx'
SECRET='hyg-secret-Mv3Kd8Ty'
ua_start_idserver --client "hyg-app:$SECRET:OR.Default" ||
  { echo "Bail out! identity server did not start"; exit 1; }
ua_start_agent || { echo "Bail out! agent did not start"; exit 1; }

# --- the workload ---------------------------------------------------------------
printf '%s\n' "$PAT" | "$UIPAUTH" add p --type pat --url https://cloud.uipath.com \
  --organization o --tenant t --match 'https://cloud.uipath.com/o/*' --forward \
  >"$T/c1.out" 2>"$T/c1.err"
printf '%s\n' "$SECRET" | "$UIPAUTH" add cc --type client-credentials --client-id hyg-app \
  --scopes OR.Default --identity-url "$IDP/identity_" >"$T/c2.out" 2>"$T/c2.err"
TOKEN=$("$UIPAUTH" token cc 2>"$T/c3.err")
like "$TOKEN" '^tok-' "a minted token to look for too"
{
  "$UIPAUTH" token p; "$UIPAUTH" env cc; "$UIPAUTH" env p --shell json
  "$UIPAUTH" status; "$UIPAUTH" status --json; "$UIPAUTH" list --json
  "$UIPAUTH" token cc --force-new
  printf 'protocol=https\nhost=cloud.uipath.com\npath=o/repo.git\n\n' | "$UIPAUTH" get
  "$UIPAUTH" exec p -- sh -c 'test -n "$UIPATH_ACCESS_TOKEN"'
  # The restricted socket, and the record of who was given tokens.
  RSOCK="$XDG_RUNTIME_DIR/uipauth/agent.restricted.sock"
  UIPAUTH_SOCK=$RSOCK "$UIPAUTH" token p; UIPAUTH_SOCK=$RSOCK "$UIPAUTH" token cc
  printf 'protocol=https\nhost=cloud.uipath.com\npath=o/repo.git\n\n' |
    UIPAUTH_SOCK=$RSOCK "$UIPAUTH" get
  printf 'bad\n' | "$UIPAUTH" add cc --type client-credentials --client-id wrong --replace \
    --identity-url "$IDP/identity_"
  "$UIPAUTH" token cc --force-new
  printf '%s\n' "$SECRET" | "$UIPAUTH" add cc --type client-credentials --client-id hyg-app \
    --scopes OR.Default --identity-url "$IDP/identity_" --replace
} >"$T/workload.out" 2>"$T/workload.err"
NEWTOKEN=$("$UIPAUTH" token cc --force-new 2>>"$T/workload.err")
# Who was given them, as a user sees it: scanned below with the logs.
{ "$UIPAUTH" status --callers; "$UIPAUTH" status --json --callers; } >"$T/callers.out" 2>&1

# While clients keep asking, look at every process on the machine.
( i=0; while [ $i -lt 100 ]; do "$UIPAUTH" token cc >/dev/null; "$UIPAUTH" token p >/dev/null
    i=$((i + 1)); done ) &
busy=$!
found=""
for round in 1 2 3; do
  for d in /proc/[0-9]*; do
    # The test identity server is given its client secret on its command line.
    [ "${d#/proc/}" = "$IDP_PID" ] && continue
    for f in cmdline environ; do
      for s in "$PAT" "$SECRET" "$TOKEN" "$NEWTOKEN"; do
        if tr '\0' '\n' <"$d/$f" 2>/dev/null | grep -qF -- "$s"; then
          found="$found ${d#/proc/}:$f:$(tr '\0' ' ' <"$d/cmdline" 2>/dev/null | cut -c1-60)"
        fi
      done
    done
  done
done
wait "$busy"
is "$found" "" "no process has a test secret in its command line or environment"

# --- logs and files -------------------------------------------------------------
check "the agent logged at debug level" grep -q 'DEBUG\|uipauth-DEBUG\|debug' "$T/agent.log"
check "the log has the record of each token given, on both sockets" sh -c \
  "grep -q 'gave a token of profile \"cc\".*main socket' '$T/agent.log' &&
   grep -q 'gave a token of profile \"p\".*restricted socket' '$T/agent.log'"
check "status --callers lists callers on both sockets" sh -c \
  "grep -q 'restricted socket  pid' '$T/callers.out' && grep -q 'main socket  pid' '$T/callers.out'"
for s in "$PAT" "$SECRET" "$TOKEN" "$NEWTOKEN"; do
  check "no log of the agent or client, nor status --callers, holds ${s%"${s#????????}"}..." \
    sh -c "! grep -qaF -- '$s' '$T/agent.log' '$T'/c?.err '$T/workload.err' '$T/callers.out'"
  for dir in "$XDG_CONFIG_HOME" "$XDG_RUNTIME_DIR" "$XDG_CACHE_HOME" "$HOME"; do
    check "no file under ${dir#$T/} holds ${s%"${s#????????}"}..." no_file_contains "$s" "$dir"
  done
done

# --- the agent's memory ----------------------------------------------------------
like "$(grep -i 'core file' "/proc/$AGENT_PID/limits")" "[[:space:]]0[[:space:]]+0[[:space:]]" \
  "the agent has no core limit (RLIMIT_CORE 0, soft and hard)"
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null &&
   [ -x /usr/bin/python3 ]; then
  # As root, an undumpable process is not provable: root may ptrace anyone.
  # So run an agent as nobody, and attack it as another process of nobody.
  as_nobody () { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
  # Its own directory: $T is closed to other users.
  NB=$(mktemp -d "${TMPDIR:-/tmp}/uipauth-nobody.XXXXXX")
  # The build tree may sit in a directory nobody cannot enter: run a copy
  # of the agent from nobody's own directory.
  cp "$UIPAUTH_AGENT" "$NB/uipauth-agent"
  chown -R nobody:nogroup "$NB"; chmod 0700 "$NB"
  # Not through the function: $! must be the agent itself, not a subshell,
  # or the agent outlives the test.
  setpriv --reuid=nobody --regid=nogroup --clear-groups \
    env -i HOME="$NB" XDG_CONFIG_HOME="$NB" XDG_RUNTIME_DIR="$NB" \
    "$NB/uipauth-agent" --foreground --socket "$NB/agent.sock" >/dev/null 2>"$T/nb.log" &
  nbpid=$!; ua_track "$nbpid"
  check "an agent runs as nobody to be attacked" wait_for 10 test -S "$NB/agent.sock"
  [ -s "$T/nb.log" ] && diag "$(cat "$T/nb.log")"
  setpriv --reuid=nobody --regid=nogroup --clear-groups \
    timeout 20 sleep 20 </dev/null >/dev/null 2>&1 & sleeper=$!
  sleep 0.5
  # An undumpable process's /proc files belong to root; where the kernel
  # (or a container) shows root for every process, that proves nothing.
  if [ "$(stat -c %U "/proc/$sleeper/status")" = nobody ]; then
    is "$(stat -c %U "/proc/$nbpid/status")" root \
      "the agent's /proc files belong to root: the kernel marks it undumpable"
  else
    skip "the agent's /proc files belong to root" "here every process's do"
  fi
  attach () {
    as_nobody timeout 10 /usr/bin/python3 -c "
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
r = libc.ptrace(16, $1, 0, 0)   # PTRACE_ATTACH
print('attached' if r == 0 else 'refused errno=%d' % ctypes.get_errno())" 2>&1
  }
  readmem () {
    as_nobody timeout 10 dd if="/proc/$1/mem" bs=1 count=1 skip=4096 >/dev/null 2>&1
  }
  # The control: a plain process of nobody, which nobody may trace (unless
  # Yama or a container forbids tracing at all, which would prove nothing).
  if [ "$(attach "$sleeper")" = attached ]; then
    like "$(attach "$nbpid")" "refused errno=1" \
      "another process of the same user cannot ptrace the agent (EPERM)"
    if readmem "$nbpid"; then not_ok "the agent's /proc/PID/mem is closed"; else ok "the agent's /proc/PID/mem is closed"; fi
  else
    skip "ptrace and /proc/PID/mem of the agent" "tracing is forbidden here even for plain processes"
  fi
  kill "$sleeper" "$nbpid" 2>/dev/null; wait "$nbpid" 2>/dev/null
  rm -rf "$NB"
else
  skip "undumpable agent" "needs root, a user nobody, setpriv and python3"
fi

done_testing
