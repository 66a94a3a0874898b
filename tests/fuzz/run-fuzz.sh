#!/bin/sh
# run-fuzz.sh FUZZER NAME FUZZDIR SECONDS: runs one libFuzzer binary for a
# bounded time on a copy of its seed corpus (corpus/NAME) and its kept
# crashers (regressions/NAME), and reports one TAP line with the number of
# inputs tried.  Any crash, leak, sanitizer report or timeout fails it; the
# input that did it is left in the work directory and named in the output:
# copy it to regressions/NAME/ once fixed, so the normal suite replays it.
set -u
fuzzer=$1 name=$2 dir=$3 seconds=$4

work=$(mktemp -d "${TMPDIR:-/tmp}/uipauth-fuzz-$name.XXXXXX")
mkdir "$work/corpus" "$work/artifacts"
cp "$dir/corpus/$name"/* "$work/corpus/" 2>/dev/null
[ -d "$dir/regressions/$name" ] && cp "$dir/regressions/$name"/* "$work/corpus/" 2>/dev/null

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
  -max_len=65536 -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
  $dict "$work/corpus" >"$work/log" 2>&1
status=$?

runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -n 1)
corpus=$(ls "$work/corpus" | wc -l)
if [ "$status" -eq 0 ] && ! ls "$work/artifacts" | grep -q .; then
  echo "ok 1 - fuzz $name: ${runs:-?} inputs in $seconds s, corpus grew to $corpus"
  rm -rf "$work"
  echo "1..1"
  exit 0
fi
echo "not ok 1 - fuzz $name: a finding after ${runs:-?} inputs (exit status $status)"
for f in "$work/artifacts"/*; do
  [ -e "$f" ] && echo "# input kept in $f; once fixed, copy it to tests/fuzz/regressions/$name/"
done
grep -E -A30 'ERROR: |runtime error|==[0-9]+==|Assertion|GLib' "$work/log" | head -n 60 | sed 's/^/# /'
echo "1..1"
exit 1
