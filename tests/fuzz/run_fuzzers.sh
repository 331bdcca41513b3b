#!/usr/bin/env bash
# Runs the libFuzzer harnesses of a -DMARSSCAN_FUZZ=ON tree, two at a time, SECONDS each,
# growing BUILD/tests/fuzz/work/<harness> from the seed corpus; crashes land in
# BUILD/tests/fuzz/artifacts/. Prints one summary line per harness (execs, exec/s, corpus).
# Usage: run_fuzzers.sh BUILD SECONDS [harness...]
set -uo pipefail
build=$1
seconds=$2
shift 2
dir="$build/tests/fuzz"
# libevtx leaks inside itself on malformed records (lsan.supp); marsscan must not.
# Huge allocations on corrupt headers return NULL as in production (see sanitizer_ci.sh).
export ASAN_OPTIONS=${ASAN_OPTIONS:-allocator_may_return_null=1}
export LSAN_OPTIONS=suppressions=$(cd "$(dirname "$0")" && pwd)/lsan.supp
[ -d "$dir/corpus" ] || python3 "$(dirname "$0")/make_seeds.py" "$dir/corpus"
mkdir -p "$dir/artifacts" "$dir/logs"
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(fuzz_text fuzz_leaf fuzz_archive fuzz_evtx fuzz_event_xml fuzz_event_csv
                                 fuzz_event_json fuzz_patterns fuzz_matcher)
run_one() {
  local name=$1
  mkdir -p "$dir/work/$name"
  "$dir/$name" -max_total_time="$seconds" -max_len=70000 -timeout=25 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$dir/artifacts/$name-" \
    "$dir/work/$name" "$dir/corpus/$name" >"$dir/logs/$name.log" 2>&1
  local rc=$?
  local execs speed
  execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$dir/logs/$name.log" | grep -Eo '[0-9]+$')
  speed=$(grep -Eo 'stat::average_exec_per_sec: *[0-9]+' "$dir/logs/$name.log" | grep -Eo '[0-9]+$')
  echo "$name rc=$rc execs=${execs:-?} exec/s=${speed:-?} corpus=$(ls "$dir/work/$name" | wc -l)" \
       "crashes=$(ls "$dir/artifacts" | grep -c "^$name-")"
}
i=0
for name in "${names[@]}"; do
  run_one "$name" &
  i=$((i + 1))
  if [ $((i % 2)) -eq 0 ]; then wait -n; i=1; fi
done
wait
