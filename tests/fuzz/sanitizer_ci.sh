#!/usr/bin/env bash
# The sanitizer leg of CI (registered as a ctest test by tests/CMakeLists.txt):
#   1. configures and builds a second tree with clang, ASan+UBSan and the libFuzzer harnesses,
#   2. runs that tree's whole ctest suite with leak checking and UBSan errors fatal,
#   3. runs each fuzzer for a few seconds on its seed corpus (smoke).
# Fails when any step fails. Exits 77 (ctest: skipped) with MARSSCAN_SKIP_SANITIZERS=1.
# Usage: sanitizer_ci.sh SOURCE_DIR BUILD_DIR [FUZZ_SECONDS]
set -euo pipefail
src=$1
out=$2
seconds=${3:-5}
if [ "${MARSSCAN_SKIP_SANITIZERS:-}" = 1 ]; then
  echo "sanitizer run skipped (MARSSCAN_SKIP_SANITIZERS=1)"
  exit 77
fi
command -v clang++ >/dev/null || { echo "clang++ not found (.ci/setup installs clang)" >&2; exit 1; }

start=$(date +%s)
step() { echo "== $(( $(date +%s) - start ))s: $*"; }

step "configure $out"
# -O1 with line tables: fast to build, readable sanitizer stacks.
cmake -S "$src" -B "$out" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS_RELEASE="-O1 -gline-tables-only" \
  -DMARSSCAN_SANITIZE=ON -DMARSSCAN_FUZZ=ON -DMARSSCAN_BENCH=OFF >/dev/null
step "build"
cmake --build "$out" -j2

# allocator_may_return_null: libarchive and libevtx ask for absurd sizes on corrupt headers
# (terabytes) and handle the NULL that malloc returns in production (where --max-memory makes
# sure of it); ASan's default would abort instead.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# libevtx leaks inside itself on malformed records (lsan.supp); marsscan must not.
export LSAN_OPTIONS=suppressions=$src/tests/fuzz/lsan.supp
# Tests with memory or time bounds (tests/e2e/test_hostile.py) relax them under ASan.
export MARSSCAN_UNDER_SANITIZER=1
step "ctest"
ctest --test-dir "$out" -j2 --output-on-failure --timeout 900

step "fuzz smoke, ${seconds}s each"
corpus="$out/tests/fuzz/corpus"
rm -rf "$corpus"
python3 "$src/tests/fuzz/make_seeds.py" "$corpus"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failed=()
for fuzzer in "$out"/tests/fuzz/fuzz_*; do
  [ -x "$fuzzer" ] || continue
  name=$(basename "$fuzzer")
  mkdir -p "$scratch/$name"
  # New inputs go to the scratch dir, so the seed corpus stays as generated.
  if ! "$fuzzer" -max_total_time="$seconds" -max_len=70000 -timeout=25 -rss_limit_mb=2048 \
       -artifact_prefix="$scratch/$name-" "$scratch/$name" "$corpus/$name" \
       >"$scratch/$name.log" 2>&1; then
    echo "FAILED: $name" >&2
    tail -n 60 "$scratch/$name.log" >&2
    failed+=("$name")
  else
    echo "$name: $(grep -Eo 'Done [0-9]+ runs' "$scratch/$name.log" | tail -1)"
  fi
done
step "done"
[ ${#failed[@]} -eq 0 ] || { echo "fuzzers failed: ${failed[*]}" >&2; exit 1; }
