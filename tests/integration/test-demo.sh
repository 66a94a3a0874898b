#!/bin/sh
# scripts/demo-run, the README's walk-through, as users run it: with its
# output redirected to a file, and in a container whose init does not reap
# orphans (a PID namespace with tests/tools/no-reap as PID 1).  Each run
# must exit 0, leave the whole transcript in the file, and clean up
# without waiting for processes that have already exited.  TAP.
. "$UA_TESTS/lib.sh"
ua_setup_dirs
DEMO="$UA_TESTS/../scripts/demo-run"
# Cleaning up signals each process and waits for it to go: more than this
# means it waited on one that had already exited (5 s each).
CLEANUP_MAX_S=4

# run_demo NAME [WRAPPER...]: the demo, all its output to $T/NAME.log;
# sets demo_rc, and cleanup_s: the seconds from its last step to its exit.
run_demo () {
  ua_log="$T/$1.log"; shift
  "$@" env -u UA_KEEP_TMP sh "$DEMO" "$UA_BUILD_ROOT" >"$ua_log" 2>&1 </dev/null &
  ua_demo=$!
  wait_for 120 sh -c "grep -q 'Demo finished' '$ua_log' || ! kill -0 $ua_demo"
  ua_t0=$(date +%s)
  wait "$ua_demo"
  demo_rc=$?
  cleanup_s=$(( $(date +%s) - ua_t0 ))
}

# check_demo NAME: what run_demo left.
check_demo () {
  ua_log="$T/$1.log"
  is "$demo_rc" 0 "$1: the demo exits 0"
  is "$(tr -d '\000' <"$ua_log" | wc -c)" "$(wc -c <"$ua_log")" "$1: the file holds no NUL byte"
  like "$(head -n 3 "$ua_log")" "private keyring and a local identity server" \
    "$1: it begins with the demo's first step"
  like "$(cat "$ua_log")" "^password=" "$1: and holds git's answer"
  like "$(tail -n 1 "$ua_log")" "Demo finished" "$1: and ends with its last step"
  check "$1: cleaning up took under $CLEANUP_MAX_S s (took $cleanup_s s)" \
    test "$cleanup_s" -le "$CLEANUP_MAX_S"
  [ "$demo_rc" = 0 ] || diag "$(tail -n 20 "$ua_log")"
}

run_demo redirected
check_demo redirected

if ! ua_ns_err=$(unshare --fork --pid --mount-proc true 2>&1); then
  skip "the demo under an init that does not reap" "cannot make a PID namespace: $ua_ns_err"
else
  run_demo no-reap unshare --fork --pid --mount-proc "$UA_NO_REAP"
  check_demo no-reap
fi

done_testing
