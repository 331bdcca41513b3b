#!/usr/bin/env bash
# Zipped bundles: grep -c and report with -j 1 and -j N on zips of the same generated corpus cut
# into members of several shapes. Inflating is most of reading a zip; with -j, grep inflates the
# big members side by side (grep_search.h). Prints the median wall time of interleaved runs and
# checks that every -j counts the same lines.
#
# usage: bench/zip_members.sh [SIZE_MIB] [WORKDIR]
#   env: MARSSCAN (binary; default build-perf2/marsscan, then build/marsscan), RUNS (default 7),
#        JOBS (the -j compared with -j 1, default 2), BASE (another marsscan binary timed alongside)
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
size=${1:-256}
work=${2:-/tmp/marsscan-bench}
runs=${RUNS:-7}
jobs=${JOBS:-2}
ms=${MARSSCAN:-}
if [ -z "$ms" ]; then
  for c in "$root/build-perf2/marsscan" "$root/build/marsscan"; do [ -x "$c" ] && ms=$c && break; done
fi
[ -x "${ms:-}" ] || { echo "zip_members: no marsscan binary (set MARSSCAN)" >&2; exit 2; }
command -v zip >/dev/null || { echo "zip_members: needs zip (apt install zip)" >&2; exit 2; }
mkdir -p "$work/zips"
log="$work/errlog-$size-nm0.01.log"
[ -s "$log" ] || python3 "$here/gen_corpus.py" "$size" "$log" --near-miss-rate 0.01 2>/dev/null

# The shapes: one member; 2 and 8 equal members; 3 big members with 300 small ones between them;
# 2000 small members (the first 20 MiB).
z="$work/zips"
if [ ! -s "$z/mixed.zip" ]; then
  (
    cd "$z" && rm -rf parts small && mkdir parts small
    cp "$log" one.log && zip -q one.zip one.log && rm one.log
    split -n 2 -d "$log" parts/half && (cd parts && zip -q ../two.zip half*) && rm parts/half*
    split -n 8 -d "$log" parts/part && (cd parts && zip -q ../eight.zip part*)
    for i in $(seq 100 399); do head -c $(( (i * 7919) % 100000 )) parts/part05 > small/s$i.log; done
    (cd parts && zip -q ../mixed.zip part00 && cd ../small && zip -q ../mixed.zip s1*.log \
       && cd ../parts && zip -q ../mixed.zip part01 && cd ../small && zip -q ../mixed.zip s2*.log \
       && cd ../parts && zip -q ../mixed.zip part02 && cd ../small && zip -q ../mixed.zip s3*.log)
    head -c $((20 << 20)) "$log" > parts/head && mkdir -p many && split -n 2000 -a 4 parts/head many/m_ \
      && (cd many && zip -q ../many.zip m_*) && rm -rf many parts/head
  )
fi

now_ms() { echo "${EPOCHREALTIME/./}" | awk '{printf "%.1f", $1 / 1000}'; }
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
printf '%-10s %-8s' shape command; printf ' %10s' "-j 1" "-j $jobs" ${BASE:+"base -j $jobs"}; printf ' %8s\n' gain
for shape in one two eight mixed many; do
  f="$z/$shape.zip"
  for cmd in "grep -c" report; do
    c1=$("$ms" $cmd -j 1 "$f" 2>/dev/null | md5sum) || true
    cn=$("$ms" $cmd -j "$jobs" "$f" 2>/dev/null | md5sum) || true
    [ "$c1" = "$cn" ] || { echo "zip_members: $shape $cmd: -j $jobs prints other than -j 1" >&2; exit 1; }
    t1=() tn=() tb=()
    for ((r = 0; r < runs; r++)); do
      s=$(now_ms); "$ms" $cmd -j 1 "$f" >/dev/null 2>&1 || true; t1+=("$(awk -v a="$s" -v b="$(now_ms)" 'BEGIN {print b - a}')")
      s=$(now_ms); "$ms" $cmd -j "$jobs" "$f" >/dev/null 2>&1 || true; tn+=("$(awk -v a="$s" -v b="$(now_ms)" 'BEGIN {print b - a}')")
      if [ -n "${BASE:-}" ]; then
        s=$(now_ms); "$BASE" $cmd -j "$jobs" "$f" >/dev/null 2>&1 || true; tb+=("$(awk -v a="$s" -v b="$(now_ms)" 'BEGIN {print b - a}')")
      fi
    done
    m1=$(printf '%s\n' "${t1[@]}" | median) mn=$(printf '%s\n' "${tn[@]}" | median)
    printf '%-10s %-8s %8s ms %8s ms' "$shape" "$cmd" "$m1" "$mn"
    [ -n "${BASE:-}" ] && printf ' %10s ms' "$(printf '%s\n' "${tb[@]}" | median)"
    printf ' %7sx\n' "$(awk -v a="$m1" -v b="$mn" 'BEGIN {printf "%.2f", a / b}')"
  done
done
