#!/bin/sh
# Abusive peers on the agent's socket (tests/abuse/ua-abuse.c): malformed,
# oversized, truncated and random frames; peers that vanish mid-reply; one
# byte a second; silent peers; more connections than the limit.  Throughout,
# a well-behaved client keeps getting its token quickly, the agent's memory
# stays flat, and slow or idle peers are closed on time.  The limits are
# lowered through the environment (they can only be lowered) to keep this
# fast: see docs/protocol.md.
. "$UA_TESTS/lib.sh"
ua_setup

MAXCONN=100 REQ_TIMEOUT=2 IDLE_TIMEOUT=3
export UIPAUTH_MAX_CONNECTIONS=$MAXCONN UIPAUTH_REQUEST_TIMEOUT=$REQ_TIMEOUT
export UIPAUTH_IDLE_TIMEOUT=$IDLE_TIMEOUT
ua_start_agent || { echo "Bail out! agent did not start"; exit 1; }
unset UIPAUTH_MAX_CONNECTIONS UIPAUTH_REQUEST_TIMEOUT UIPAUTH_IDLE_TIMEOUT

TOKEN=abuse-pat-Zk3q9
printf '%s\n' "$TOKEN" | "$UIPAUTH" add work --type pat >/dev/null 2>&1
is "$("$UIPAUTH" token work)" "$TOKEN" "a PAT profile to probe with"

rss () { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$AGENT_PID/status"; }
abuse () { "$UA_ABUSE" "$UIPAUTH_SOCK" "$@"; }

# The well-behaved client, before any abuse: its normal latency.
base=$(abuse probe 2 work "$TOKEN")
like "$base" "failures=0" "the probe is served before the abuse ($base)"
base_p99=$(printf '%s\n' "$base" | sed -n 's/.*p99_ms=\([0-9.]*\).*/\1/p')

# --- peers that pipeline requests and never read their replies --------------
# The agent stops reading a connection once 64 KiB of its replies wait
# unread, so each such peer costs it at most that, the reply that crossed
# it, and one capped request (64 KiB): see docs/security.md.  The bound
# allows twice that per peer and 4 MiB besides; without the cap each peer
# cost 4 MiB.
HOARD=32
out=$(abuse hoard "$HOARD" work "$AGENT_PID")
like "$out" "connect_errors=0" "$HOARD peers pipeline token requests and never read ($out)"
hoard_kb () { printf '%s\n' "$out" | sed -n "s/.* $1=\\([0-9]*\\).*/\\1/p"; }
grown=$(( $(hoard_kb rss_peak_kb) - $(hoard_kb rss_before_kb) ))
bound=$((HOARD * 256 + 4096))
if [ -n "${UA_SANITIZER:-}" ]; then
  skip "their replies cost a bounded amount of memory" "RSS is not meaningful under ASan"
else
  check "their replies cost a bounded amount of memory (peak RSS +$grown kB, bound $bound kB)" \
    test "$grown" -lt "$bound"
fi
is "$("$UIPAUTH" token work)" "$TOKEN" "the agent serves a token after them"
# A peer that does read, after sending a batch that fits the socket's
# buffers: the agent stops and resumes reading it, and answers everything.
out=$(abuse pipeline 2000 work)
like "$out" "answered=2000 " "2000 pipelined requests read after sending get 2000 replies ($out)"

# It keeps asking through everything below.
abuse probe 30 work "$TOKEN" >"$T/probe.out" 2>"$T/probe.err" &
PROBE_PID=$!

# --- one round of every kind of abuse -------------------------------------
round () {
  abuse garbage 700 >"$T/garbage.out" &&
    abuse vanish 200 >"$T/vanish.out" &&
    abuse flood $((MAXCONN + 50)) >"$T/flood.out"
}
round; is "$?" 0 "warm-up round: every malformed request answered, no connection refused"
rss_warm=$(rss)
diag "$(cat "$T/garbage.out" "$T/vanish.out" "$T/flood.out")" "RSS after warm-up: $rss_warm kB"

for i in 1 2 3 4; do
  round || not_ok "abuse round $i"
done
ok "four more rounds: $((4 * 700)) malformed, oversized, truncated or random frames, $((4 * 200)) vanishing peers"
like "$(cat "$T/garbage.out")" "answered=([0-9]+) expected=\\1" "each malformed request got an error reply"
flood=$(cat "$T/flood.out")
busy=$(printf '%s\n' "$flood" | sed -n 's/.*busy=\([0-9]*\).*/\1/p')
like "$flood" "other=0" "past $MAXCONN connections every peer gets an answer ($flood)"
check "at least the 50 over the limit are told busy" test "${busy:-0}" -ge 50
check "the agent is alive" kill -0 "$AGENT_PID"
rss_after=$(rss)
diag "RSS after 4 more rounds: $rss_after kB"
if [ -n "${UA_SANITIZER:-}" ]; then
  # ASan keeps freed memory in quarantine: RSS says nothing there, and
  # LeakSanitizer checks for leaks instead.
  skip "its memory stays flat" "RSS is not meaningful under ASan"
else
  check "its memory stays flat (RSS $rss_warm -> $rss_after kB, under 4 MiB growth)" \
    test $((rss_after - rss_warm)) -lt 4096
fi

# --- slow and silent peers are closed on time ------------------------------
out=$(abuse slow 50 $((REQ_TIMEOUT + 6)))
like "$out" "still_open=0" "peers sending one byte a second are closed ($out)"
secs=$(printf '%s\n' "$out" | sed -n 's/.*closed_after_s=\([0-9]*\).*/\1/p')
check "after about the request timeout ($REQ_TIMEOUT s), not before" \
  test "$secs" -ge "$REQ_TIMEOUT" -a "$secs" -le $((REQ_TIMEOUT + 3))
out=$(abuse idle 50 $((IDLE_TIMEOUT + 6)))
like "$out" "still_open=0" "silent peers are closed ($out)"
secs=$(printf '%s\n' "$out" | sed -n 's/.*closed_after_s=\([0-9]*\).*/\1/p')
check "after about the idle timeout ($IDLE_TIMEOUT s)" \
  test "$secs" -ge "$IDLE_TIMEOUT" -a "$secs" -le $((IDLE_TIMEOUT + 3))

wait "$PROBE_PID"
probe=$(cat "$T/probe.out")
like "$probe" "failures=0" "the well-behaved client was served throughout ($probe)"
p99=$(printf '%s\n' "$probe" | sed -n 's/.*p99_ms=\([0-9]*\).*/\1/p')
check "within its normal latency (p99 ${p99} ms, before the abuse ${base_p99} ms; bound 250 ms)" \
  test "${p99:-9999}" -lt 250

# --- the agent's limit is not its descriptor limit -------------------------
# With few descriptors, accept() itself fails: the agent must answer busy and
# keep serving, not spin on a listening socket it cannot accept from.
ua_stop_agent
(ulimit -n 90; exec "$UIPAUTH_AGENT" --foreground --debug --socket "$UIPAUTH_SOCK" 2>>"$T/agent-fd.log") &
AGENT_PID=$!; ua_track "$AGENT_PID"
wait_for 10 test -S "$UIPAUTH_SOCK"
out=$(abuse flood 120)
like "$out" "busy=[1-9][0-9]* other=0" "out of descriptors, extra peers are told busy ($out)"
cpu0=$(awk '{print $14 + $15}' "/proc/$AGENT_PID/stat")
is "$("$UIPAUTH" token work)" "$TOKEN" "and the agent still serves"
check "it does not spin (under 1 s of CPU for the flood)" test "$cpu0" -lt 100
done_testing
