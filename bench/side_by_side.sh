#!/usr/bin/env bash
# Side-by-side timing of marsscan against ripgrep, ugrep and GNU grep on the same generated corpus, with the
# same regex list (`marsscan patterns export --format regex`). Prints wall time, throughput, ratios, peak RSS
# (/usr/bin/time -v) and checks that every tool counts the same matching lines.
#
# usage: bench/side_by_side.sh [SIZE_MIB] [WORKDIR]
#   env: MARSSCAN (binary; default build-perf/marsscan, then build/marsscan), RUNS (best of N, default 3),
#        PAR_RUNS (runs per -j in the parallelism rows, whose median counts; default 9),
#        TOOLS (default "marsscan rg ugrep grep"), CURVE=1 (also the 64 MiB..4 GiB linearity curve),
#        BIG_GIB (streamed input size for the peak-RSS check, default 10; 0 skips it),
#        NEAR_MISS (gen_corpus.py --near-miss-rate of the realistic corpus, default 0.01),
#        DENSE=0 (skip the dense near-miss stress corpus, gen_corpus.py --dense)
# Output of every tool goes to a file (some greps stop early when writing to /dev/null).
set -euo pipefail
export LC_ALL=C  # one decimal point for EPOCHREALTIME, awk and sort

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
size=${1:-256}
work=${2:-/tmp/marsscan-bench}
runs=${RUNS:-3}
par_runs=${PAR_RUNS:-9}
tools=${TOOLS:-"marsscan rg ugrep grep"}
ms=${MARSSCAN:-}
if [ -z "$ms" ]; then
  for c in "$root/build-perf2/marsscan" "$root/build-perf/marsscan" "$root/build/marsscan"; do [ -x "$c" ] && ms=$c && break; done
fi
[ -x "${ms:-}" ] || { echo "side_by_side: no marsscan binary (set MARSSCAN)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "side_by_side: /usr/bin/time missing (Debian package 'time', see .ci/setup)" >&2; exit 2; }
mkdir -p "$work"

near_miss=${NEAR_MISS:-0.01}
corpus() {  # corpus SIZE [utf16] [dense] -> path (generated once)
  local kind="nm$near_miss" opts=(--near-miss-rate "$near_miss")
  [ "${3:-}" = dense ] && kind=dense && opts=(--dense)
  local f="$work/errlog-$1-$kind${2:+-utf16}.log"
  [ -s "$f" ] || python3 "$here/gen_corpus.py" "$1" "$f" ${2:+--utf16} "${opts[@]}" 2>/dev/null
  echo "$f"
}

"$ms" patterns export --format regex >"$work/list.txt"
python3 "$here/ugrep_list.py" "$work/list.txt" "$work/list-ugrep.txt"
nregex=$(wc -l <"$work/list.txt")

# measure NAME FILE CMD... : best wall time of $runs, peak RSS, and the count the tool printed.
# secs: best wall time; cpu: user+sys CPU time of that same run (on a busy machine the wall time
# includes waiting for a core, the CPU time does not: per-core throughput is bytes / CPU time).
declare -A secs cpu rss count
measure() {
  local name=$1 file=$2; shift 2
  local best="" best_cpu="" mem=0 out="$work/out.$name" log="$work/time.$name"
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -v -o "$log" "$@" >"$out" 2>"$work/err.$name" || true
    local t c m
    t=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, a, ":"); s = 0; for (k = 1; k <= n; k++) s = s * 60 + a[k]; print s}' "$log")
    c=$(awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {print u + s}' "$log")
    m=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    if [ -z "$best" ] || awk "BEGIN {exit !($t < $best)}"; then best=$t; best_cpu=$c; fi
    [ "$m" -gt "$mem" ] && mem=$m
  done
  secs[$name]=$best
  cpu[$name]=$best_cpu
  rss[$name]=$mem
  count[$name]=$(tail -n 1 "$out" | tr -dc '0-9')
  [ -n "${count[$name]}" ] || count[$name]="-"
  if [ -s "$work/err.$name" ]; then count[$name]="${count[$name]} (stderr: $(head -c 60 "$work/err.$name" | tr '\n' ' '))"; fi
  return 0
}

row() {  # row NAME BYTES BASE
  local n=$1 bytes=$2 base=$3
  awk -v n="$n" -v s="${secs[$n]}" -v u="${cpu[$n]}" -v b="$bytes" -v base="${secs[$base]:-${secs[$n]}}" \
    -v ubase="${cpu[$base]:-${cpu[$n]}}" -v r="${rss[$n]}" -v c="${count[$n]}" \
    'BEGIN {if (u <= 0) u = 0.005; if (ubase <= 0) ubase = 0.005
            printf "  %-28s %7.2f s %7.0f MB/s %6.2fx | %6.2f s %7.0f MB/s %6.2fx | %7.1f MiB  %s\n",
                   n, s, b / s / 1e6, s / base, u, b / u / 1e6, u / ubase, r / 1024, c}'
}

run_corpus() {  # run_corpus LABEL FILE
  local label=$1 f=$2 bytes
  bytes=$(stat -c %s "$f")
  echo
  echo "== $label: $f ($((bytes >> 20)) MiB), $nregex regexes; best of $runs; ratio = time / marsscan grep -c; load $(cut -d' ' -f1-3 /proc/loadavg)"
  cat "$f" >/dev/null  # warm the page cache
  local names=()
  for t in $tools; do
    case $t in
      marsscan)
        # One thread (the per-core rate), then the default: every core on the file's blocks.
        measure "marsscan-grep-c" "$f" "$ms" grep -c -j 1 "$f" && names+=(marsscan-grep-c)
        measure "marsscan-grep-c-j$(nproc)" "$f" "$ms" grep -c "$f" && names+=("marsscan-grep-c-j$(nproc)")
        measure "marsscan-grep-c-noprefilter" "$f" "$ms" grep -c -j 1 --no-prefilter "$f" && names+=(marsscan-grep-c-noprefilter)
        measure "marsscan-report" "$f" "$ms" report -j 1 --format json -o "$work/report.json" "$f"
        count[marsscan-report]="(report)"; names+=(marsscan-report) ;;
      rg) measure "rg-c-f" "$f" rg -c -f "$work/list.txt" "$f" && names+=(rg-c-f) ;;
      ugrep) measure "ugrep-c-f" "$f" ugrep -c -f "$work/list-ugrep.txt" "$f" && names+=(ugrep-c-f) ;;
      grep) measure "grep-c-E-f" "$f" grep -c -E -f "$work/list.txt" "$f" && names+=(grep-c-E-f) ;;
    esac
  done
  [ ${#names[@]} -gt 0 ] || return 0  # TOOLS named none of the above
  printf "  %-28s %-32s| %-31s| %-10s  %s\n" tool "wall: time, rate, ratio" "CPU (user+sys): time, rate, ratio" "peak RSS" count
  for n in "${names[@]}"; do row "$n" "$bytes" marsscan-grep-c; done
  # The check: every tool that accepted the list must count the lines marsscan counts.
  local ref=${count[marsscan-grep-c]:-${count[${names[0]}]}} bad=0
  for n in "${names[@]}"; do
    case $n in marsscan-report*) continue ;; esac
    case ${count[$n]} in *stderr*)
      echo "  not compared: $n rejected or misread the list (GNU grep -E has no (?i), \\s or \\b of RE2)"
      continue ;;
    esac
    if [ "${count[$n]}" != "$ref" ]; then
      echo "  COUNT MISMATCH: $n counted ${count[$n]}, the reference counted $ref"
      bad=1
    fi
  done
  [ $bad = 0 ] && echo "  counts agree: $ref matching lines"
  return 0
}

echo "marsscan side-by-side  $(date -u +%Y-%m-%dT%H:%MZ)  $(lscpu | awk -F': +' '/Model name/ {print $2}'), $(nproc) cores"
echo "marsscan: $ms ($("$ms" --version)); $(rg --version 2>/dev/null | head -1); $(ugrep --version 2>/dev/null | head -1 | cut -d' ' -f1-2); $(grep --version | head -1)"
run_corpus "UTF-8 errlog, near-miss rate $near_miss" "$(corpus "$size")"
run_corpus "UTF-16LE errlog (BOM, CRLF), near-miss rate $near_miss" "$(corpus "$size" utf16)"
if [ "${DENSE:-1}" != 0 ]; then
  run_corpus "UTF-8 errlog, dense near misses (stress)" "$(corpus "$size" "" dense)"
  run_corpus "UTF-16LE errlog (BOM, CRLF), dense near misses (stress)" "$(corpus "$size" utf16 dense)"
fi

# Parallelism: several inputs, and one big input cut into chunks (report, -j).
f=$(corpus "$size")
cp -f "$f" "$work/copy-a.log"; cp -f "$f" "$work/copy-b.log"
# A support bundle's Temp folder: the same bytes as 16 files, given as one input.
rm -rf "$work/folder"; mkdir -p "$work/folder"
split -n l/16 -d --additional-suffix=.errlog "$f" "$work/folder/CBEngine"
echo
echo "== parallelism (marsscan report --format json, marsscan grep -n; median of $par_runs runs, -j 1 and -j 2 taking turns; output compared byte for byte; ceiling: two separate -j 1 runs at once)"
# A row's runs alternate between -j 1 and -j 2, so that the machine's drift during the row falls on
# both alike; the wall clock is read around each run (EPOCHREALTIME, microseconds).
median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
for cmd in report grep; do
  for spec in "two files:$work/copy-a.log $work/copy-b.log" "one file:$f" "folder:$work/folder"; do
    label=${spec%%:*}; inputs=${spec#*:}
    : >"$work/walls.j1"; : >"$work/walls.j2"; : >"$work/cpus.j1"; : >"$work/cpus.j2"
    for ((i = 0; i < par_runs; i++)); do
      for j in 1 2; do
        t0=$EPOCHREALTIME
        if [ $cmd = report ]; then
          # shellcheck disable=SC2086
          /usr/bin/time -f "%U %S" -o "$work/cpu.j$j" "$ms" report --format json -j $j -o "$work/j$j.out" $inputs || true
        else
          # shellcheck disable=SC2086
          /usr/bin/time -f "%U %S" -o "$work/cpu.j$j" "$ms" grep -n -j $j $inputs >"$work/j$j.out" || true
        fi
        t1=$EPOCHREALTIME
        awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}' >>"$work/walls.j$j"
        tail -n 1 "$work/cpu.j$j" | awk '{print $1 + $2}' >>"$work/cpus.j$j"  # after any "exited with" line
      done
    done
    same=$(cmp -s "$work/j1.out" "$work/j2.out" && echo identical || echo DIFFERENT)
    awk -v c="$cmd" -v l="$label" -v a="$(median <"$work/walls.j1")" -v b="$(median <"$work/walls.j2")" \
      -v ca="$(median <"$work/cpus.j1")" -v cb="$(median <"$work/cpus.j2")" -v s="$same" \
      'BEGIN {printf "  %-6s %-9s -j 1 %7.3f s (CPU %.2f s)   -j 2 %7.3f s (CPU %.2f s)   wall speed-up %.2fx   output %s\n",
                     c, l, a, ca, b, cb, a / b, s}'
  done
done
# The machine's own ceiling: two separate one-thread runs at once, against one alone, both on a
# file's worth of work. Shared caches and memory bandwidth, or a host that puts both vCPUs on one
# physical core, cap every -j 2 by this much, whatever the program does.
one_run() {  # one_run CMD INPUT OUT
  if [ "$1" = report ]; then "$ms" report --format json -j 1 -o "$3" "$2" || true
  else "$ms" grep -n -j 1 "$2" >"$3" || true; fi
}
for cmd in report grep; do
  : >"$work/walls.solo"; : >"$work/walls.pair"
  for ((i = 0; i < par_runs; i++)); do
    t0=$EPOCHREALTIME; one_run $cmd "$work/copy-a.log" "$work/solo.out"; t1=$EPOCHREALTIME
    awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}' >>"$work/walls.solo"
    t0=$EPOCHREALTIME
    one_run $cmd "$work/copy-a.log" "$work/pair-a.out" & one_run $cmd "$work/copy-b.log" "$work/pair-b.out"; wait
    t1=$EPOCHREALTIME
    awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}' >>"$work/walls.pair"
  done
  awk -v c="$cmd" -v a="$(median <"$work/walls.solo")" -v b="$(median <"$work/walls.pair")" \
    'BEGIN {printf "  %-6s ceiling   one -j 1 run %7.3f s   two -j 1 runs at once %7.3f s   the machine allows %.2fx\n",
                   c, a, b, 2 * a / b}'
done
echo "  (load before: $(cut -d' ' -f1-3 /proc/loadavg); a speed-up needs an idle second core)"

if [ "${BIG_GIB:-10}" != 0 ]; then
  echo
  echo "== peak RSS on a ${BIG_GIB:-10} GiB input streamed through standard input (marsscan grep -c -)"
  reps=$(( (${BIG_GIB:-10} << 10) / size ))
  /usr/bin/time -v -o "$work/time.big" bash -c "for i in \$(seq $reps); do cat '$f'; done | '$ms' grep -c -" >"$work/out.big" || true
  awk -F': ' -v n="$reps" -v s="$size" '/Elapsed/ {t = $2} /Maximum resident/ {m = $2}
    END {printf "  %d x %d MiB: wall %s, peak RSS of the pipeline %.1f MiB\n", n, s, t, m / 1024}' "$work/time.big"
  echo "  count: $(cat "$work/out.big")"
fi

if [ "${CURVE:-0}" = 1 ]; then
  echo
  echo "== linearity (marsscan grep -c and report; UTF-8)"
  printf "  %-9s %9s %9s %10s %9s | %9s %9s %9s\n" size "grep s" "CPU s" "MB/s/core" "RSS MiB" "report s" "CPU s" "RSS MiB"
  for s in 64 256 1024 4096; do
    f=$(corpus $s)
    cat "$f" >/dev/null
    RUNS=1 runs=1
    measure g "$f" "$ms" grep -c -j 1 "$f"
    measure r "$f" "$ms" report -j 1 --format json -o "$work/curve.json" "$f"
    awk -v s=$s -v a="${secs[g]}" -v b="${secs[r]}" -v ca="${cpu[g]}" -v cb="${cpu[r]}" -v ra="${rss[g]}" -v rb="${rss[r]}" \
      'BEGIN {printf "  %-9s %9.2f %9.2f %10.0f %9.1f | %9.2f %9.2f %9.1f\n", s " MiB", a, ca, s * 1048576 / ca / 1e6, ra / 1024, b, cb, rb / 1024}'
    [ $s -ge 1024 ] && rm -f "$f"
  done
fi
