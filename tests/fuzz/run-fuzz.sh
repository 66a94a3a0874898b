#!/bin/sh
# run-fuzz.sh FUZZER NAME FUZZDIR SECONDS: runs one libFuzzer binary for a
# bounded time on its seed corpus (corpus/NAME) and its kept crashers
# (regressions/NAME), and reports one TAP line with the number of inputs
# tried.  Any crash, leak, sanitizer report or timeout fails it.
#
# By default the corpus is a temporary copy and a failing input is left in
# a work directory, named in the output: copy it to regressions/NAME/ once
# fixed, so the normal suite replays it.  Two variables change that, for
# long runs (scripts/fuzz):
#   UA_FUZZ_CORPUS    a directory that keeps the grown corpus between runs;
#   UA_FUZZ_FINDINGS  the directory a failing input is written to.
set -u
fuzzer=$1 name=$2 dir=$3 seconds=$4

work=$(mktemp -d "${TMPDIR:-/tmp}/uipauth-fuzz-$name.XXXXXX")
corpus=${UA_FUZZ_CORPUS:-$work/corpus}
findings=${UA_FUZZ_FINDINGS:-$work/artifacts}
mkdir -p "$corpus" "$findings"
# -n: a kept corpus may already hold these, perhaps minimised since.
cp -n "$dir/corpus/$name"/* "$corpus/" 2>/dev/null
[ -d "$dir/regressions/$name" ] && cp -n "$dir/regressions/$name"/* "$corpus/" 2>/dev/null

dict=
[ -f "$dir/$name.dict" ] && dict="-dict=$dir/$name.dict"

ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export ASAN_OPTIONS UBSAN_OPTIONS

# The profiles driver writes a file per input: memory beats a disk's fsync.
fuzz_tmp=${TMPDIR:-/tmp}
[ -d /dev/shm ] && [ -w /dev/shm ] && fuzz_tmp=/dev/shm

# shellcheck disable=SC2086
TMPDIR=$fuzz_tmp "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -max_len=65536 -print_final_stats=1 -artifact_prefix="$findings/" \
  $dict "$corpus" >"$work/log" 2>&1
status=$?

runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -n 1)
size=$(ls "$corpus" | wc -l)
# libFuzzer names every input it keeps for a crash, leak, timeout or OOM.
written=$(sed -n 's/.*Test unit written to //p' "$work/log")
if [ "$status" -eq 0 ] && [ -z "$written" ]; then
  echo "ok 1 - fuzz $name: ${runs:-?} inputs in $seconds s, corpus of $size, no findings"
  rm -rf "$work"
  echo "1..1"
  exit 0
fi
echo "not ok 1 - fuzz $name: a finding after ${runs:-?} inputs (exit status $status)"
for f in $written; do
  echo "# input kept in $f"
done
[ -z "${UA_FUZZ_FINDINGS:-}" ] && [ -n "$written" ] &&
  echo "# once fixed, copy it to tests/fuzz/regressions/$name/"
echo "# log: $work/log"
grep -E -A30 'ERROR: |runtime error|==[0-9]+==|Assertion|GLib' "$work/log" | head -n 60 | sed 's/^/# /'
echo "1..1"
exit 1
