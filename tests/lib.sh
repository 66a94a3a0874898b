# Shared set-up for the integration tests: TAP output, a private D-Bus
# session with a real gnome-keyring-daemon unlocked by a throw-away
# password, the agent on a temporary socket, and the local identity server.
# Everything started here is stopped by the EXIT trap.
#
# The meson test() passes: UIPAUTH (client), UIPAUTH_AGENT (agent, also
# what the client autostarts), UA_IDSERVER, UA_RAW, UA_CONNECT_AS.

set -u

ua_n=0
ua_failures=0
ua_pids=""

ok () { ua_n=$((ua_n + 1)); echo "ok $ua_n - $*"; }
not_ok () { ua_n=$((ua_n + 1)); ua_failures=$((ua_failures + 1)); echo "not ok $ua_n - $*"; }
skip () { ua_n=$((ua_n + 1)); echo "ok $ua_n - $1 # SKIP $2"; }
diag () { printf '%s\n' "$@" | sed 's/^/# /'; }

# check DESCRIPTION COMMAND...: passes when COMMAND succeeds.
check () {
  ua_desc=$1; shift
  if "$@"; then ok "$ua_desc"; else not_ok "$ua_desc"; diag "failed: $*"; fi
}

# is GOT WANT DESCRIPTION
is () {
  if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3"; diag "got:  '$1'" "want: '$2'"; fi
}

# like GOT PATTERN DESCRIPTION (grep -E on GOT)
like () {
  if printf '%s\n' "$1" | grep -Eq -- "$2"; then ok "$3"; else not_ok "$3"; diag "got: '$1'" "want match: '$2'"; fi
}

unlike () {
  if printf '%s\n' "$1" | grep -Eq -- "$2"; then not_ok "$3"; diag "got: '$1'" "must not match: '$2'"; else ok "$3"; fi
}

# status_is WANT DESCRIPTION COMMAND...: the exit status of COMMAND.
status_is () {
  ua_want=$1; ua_desc=$2; shift 2
  "$@" >"$T/last.out" 2>"$T/last.err"
  ua_got=$?
  if [ "$ua_got" = "$ua_want" ]; then ok "$ua_desc"; else
    not_ok "$ua_desc"; diag "exit status $ua_got, want $ua_want" "stderr: $(cat "$T/last.err")"; fi
}

done_testing () {
  ua_check_tool_reports
  echo "1..$ua_n"
  [ "$ua_failures" -eq 0 ]
}

ua_track () { ua_pids="$ua_pids $1"; }

# ua_gone PID: the process has exited.  A zombie (state Z: exited, not yet
# reaped by its parent) counts as gone: an orphan's parent is init, and
# where init does not reap (many containers) it stays a zombie for good.
ua_gone () {
  [ "$(sed -n 's/.*) \(.\).*/\1/p' "/proc/$1/stat" 2>/dev/null)" = Z ] ||
    ! kill -0 "$1" 2>/dev/null
}

# Runs on exit, also under `set -e` (scripts/demo-run): nothing in it may
# fail, or the script would end with that status however it went.
ua_cleanup () {
  for p in $ua_pids; do kill -TERM "$p" 2>/dev/null || :; done
  for p in $ua_pids; do
    i=0
    while ! ua_gone "$p" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    ua_gone "$p" || kill -KILL "$p" 2>/dev/null || :
    # Reaps the ones started here, our children; an orphan (dbus-daemon
    # --fork) is init's to reap, and wait returns at once for it.
    wait "$p" 2>/dev/null || :
  done
  if [ -n "${UA_KEEP_TMP:-}" ]; then echo "# kept $T" >&2; else rm -rf "$T"; fi
}

# wait_for SECONDS COMMAND...: polls COMMAND every 50 ms.
wait_for () {
  ua_limit=$(( $1 * 20 )); shift
  ua_i=0
  while ! "$@" 2>/dev/null; do
    ua_i=$((ua_i + 1))
    [ $ua_i -ge $ua_limit ] && return 1
    sleep 0.05
  done
  return 0
}

ua_bus_has_secrets () {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
    grep -q 'boolean true'
}

# A private home: config, data (the keyring's files) and runtime dirs.
ua_setup_dirs () {
  T=$(mktemp -d "${TMPDIR:-/tmp}/uipauth-test.XXXXXX")
  trap ua_cleanup EXIT
  trap 'exit 130' INT TERM
  export HOME="$T/home" XDG_CONFIG_HOME="$T/config" XDG_DATA_HOME="$T/data"
  export XDG_RUNTIME_DIR="$T/run" XDG_CACHE_HOME="$T/cache"
  mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
  mkdir -m 0700 "$XDG_RUNTIME_DIR"
  export UIPAUTH_SOCK="$XDG_RUNTIME_DIR/uipauth/agent.sock"
  # Whether and how `uipauth login` starts a browser: tests say so.
  unset UIPAUTH_PROFILE UIPATH_URL UIPATH_ACCESS_TOKEN DISPLAY WAYLAND_DISPLAY \
    SSH_CONNECTION BROWSER
  ua_setup_tools
}

# UA_VALGRIND=1 runs the client and the agent (also when the client
# autostarts it) under valgrind memcheck; UA_SANITIZER=1 (an ASan/UBSan
# build) sends sanitizer reports to files.  Either way done_testing fails
# on any report: a memory error, or a leak at exit.
ua_setup_tools () {
  mkdir -p "$T/reports"
  if [ -n "${UA_SANITIZER:-}" ]; then
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$T/reports/asan"
    export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$T/reports/ubsan"
  fi
  [ -n "${UA_VALGRIND:-}" ] || return 0
  mkdir -p "$T/bin"
  for ua_w in UIPAUTH UIPAUTH_AGENT; do
    eval "ua_real=\$$ua_w"
    ua_name=$(basename "$ua_real")
    {
      echo '#!/bin/sh'
      echo "exec valgrind -q --tool=memcheck --num-callers=40 --leak-check=full --show-leak-kinds=definite \\"
      echo "  --errors-for-leak-kinds=definite --error-exitcode=99 \\"
      echo "  --suppressions='$UA_TESTS/valgrind.supp' \\"
      echo "  --log-file='$T/reports/valgrind-$ua_name.%p' '$ua_real' \"\$@\""
    } >"$T/bin/$ua_name"
    chmod +x "$T/bin/$ua_name"
    eval "export $ua_w=\"\$T/bin/\$ua_name\""
  done
}

# Exit-time reports (leaks) are written once the agents exit.
ua_check_tool_reports () {
  [ -n "${UA_VALGRIND:-}${UA_SANITIZER:-}" ] || return 0
  UIPAUTH_NO_AUTOSTART=1 "$UIPAUTH" agent stop >/dev/null 2>&1
  if [ -n "${AGENT_PID:-}" ]; then kill -TERM "$AGENT_PID" 2>/dev/null; wait "$AGENT_PID" 2>/dev/null; fi
  ua_i=0
  while pgrep -f -- "--log-file=$T/reports/" >/dev/null && [ $ua_i -lt 300 ]; do
    sleep 0.1; ua_i=$((ua_i + 1))
  done
  ua_reports=$(find "$T/reports" -type f -size +0 2>/dev/null)
  ua_tool="${UA_VALGRIND:+valgrind}${UA_SANITIZER:+sanitizer}"
  if [ -z "$ua_reports" ]; then
    ok "no $ua_tool report from any process"
  else
    not_ok "no $ua_tool report from any process"
    for ua_f in $ua_reports; do diag "--- $ua_f" "$(head -n 40 "$ua_f")"; done
  fi
}

ua_start_keyring () {
  ua_bus=$(dbus-daemon --session --fork --print-address=1 --print-pid=1) || return 1
  export DBUS_SESSION_BUS_ADDRESS=$(printf '%s\n' "$ua_bus" | sed -n 1p)
  DBUS_PID=$(printf '%s\n' "$ua_bus" | sed -n 2p)
  ua_track "$DBUS_PID"
  printf 'throw-away-keyring-password' |
    gnome-keyring-daemon --unlock --components=secrets --foreground \
      >"$T/keyring.out" 2>"$T/keyring.log" &
  KEYRING_PID=$!
  ua_track "$KEYRING_PID"
  wait_for 10 ua_bus_has_secrets
}

# ua_setup: dirs and keyring; fails the whole test early if they cannot run.
ua_setup () {
  ua_setup_dirs
  if ! ua_start_keyring; then
    echo "Bail out! cannot start a private D-Bus session with gnome-keyring-daemon"
    exit 1
  fi
}

ua_start_agent () {
  "$UIPAUTH_AGENT" --foreground --debug --socket "$UIPAUTH_SOCK" "$@" \
    2>>"$T/agent.log" &
  AGENT_PID=$!
  ua_track "$AGENT_PID"
  wait_for 10 test -S "$UIPAUTH_SOCK"
}

ua_stop_agent () {
  kill -TERM "$AGENT_PID" 2>/dev/null
  wait "$AGENT_PID" 2>/dev/null
}

# ua_start_idserver [ARGS...]: sets IDP (its base URL) and IDP_PID.  Its
# files are $T/idp.*; UA_IDP_NAME=NAME gives a second server $T/NAME.*.
ua_start_idserver () {
  ua_idp="$T/${UA_IDP_NAME:-idp}"
  rm -f "$ua_idp.port"
  "$UA_IDSERVER" --port-file "$ua_idp.port" "$@" >"$ua_idp.out" 2>>"$ua_idp.log" &
  IDP_PID=$!
  ua_track "$IDP_PID"
  wait_for 10 test -s "$ua_idp.port" || return 1
  IDP="http://127.0.0.1:$(cat "$ua_idp.port")"
}

# idp_control PATH [JSON]: the identity server's control API.
idp_control () {
  if [ $# -gt 1 ]; then
    curl -sf -X POST -H 'Content-Type: application/json' -d "$2" "$IDP/_control/$1"
  else
    curl -sf "$IDP/_control/$1"
  fi
}

# idp_stat NAME: one number from the identity server's counters.
idp_stat () {
  idp_control stats | sed -n "s/.*\"$1\" *: *\([0-9]*\).*/\1/p"
}

# frame PAYLOAD: PAYLOAD (printf escapes allowed) with its 4-byte length.
frame () {
  printf "$1" >"$T/frame.payload"
  ua_len=$(wc -c <"$T/frame.payload")
  printf "\\$(printf %03o $((ua_len >> 24 & 255)))\\$(printf %03o $((ua_len >> 16 & 255)))\\$(printf %03o $((ua_len >> 8 & 255)))\\$(printf %03o $((ua_len & 255)))"
  cat "$T/frame.payload"
}

# Is the secret anywhere in a file under DIR?
no_file_contains () {
  ! grep -rqaF -- "$1" "$2" 2>/dev/null
}
