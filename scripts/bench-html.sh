#!/usr/bin/env bash
# bench-html.sh - the HTML report at scale: a synthetic VM-root probe document of N processes
# (tests/html/synthetic.py; 8 distros below their system distros, containers 4 levels deep)
# goes through `wslns --from DOC --html`. Prints, from one run: the time to render; the file
# size against its target (<= 3 MB for 10,000 processes); and, from R fresh loads in Debian's
# headless Chromium alternating with loads of an empty page (tests/html/bench.mjs), the
# median time to open the report (scripts and DOM ready) divided by the median time to open
# the empty page (target <= 2x), with the search, collapse-all and expand-all times beside
# it (they must not get slower). Ratios, because absolute times are noise on a shared
# machine; the load average is printed with them. Not a test.
#
#   scripts/bench-html.sh [--procs N] [--runs R] [--bin DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
procs=10000
runs=5
bin=${WSLNS_BIN:-$root/build/bin}
while [ $# -gt 0 ]; do
    case $1 in
        --procs) procs=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --bin) bin=$2; shift 2 ;;
        *) echo "usage: $0 [--procs N] [--runs R] [--bin DIR]" >&2; exit 2 ;;
    esac
done
[ -x "$bin/wslns" ] || { echo "bench-html.sh: $bin/wslns not found (cmake --build build, or --bin DIR)" >&2; exit 2; }
[ -d "$root/tests/html/node_modules/playwright-core" ] ||
    { echo "bench-html.sh: playwright-core missing: run scripts/setup.sh (npm ci in tests/html)" >&2; exit 2; }

work=$(mktemp -d /tmp/wslns-bench-html.XXXXXX)
trap 'rm -rf "$work"' EXIT
python3 "$root/tests/html/synthetic.py" "$procs" "$work/probe.json"

t0=$(date +%s%N)
"$bin/wslns" --color never --from "$work/probe.json" --html "$work/report.html" > /dev/null
t1=$(date +%s%N)
"$bin/wslns" --color never --from "$work/probe.json" --json "$work/report.json" > /dev/null
size=$(wc -c < "$work/report.html")
json=$(wc -c < "$work/report.json")
limit=3000000
echo "report of $procs processes ($(nproc) CPUs, $(chromium --version 2>/dev/null || echo chromium))"
echo "  load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  wslns --from --html: $(( (t1 - t0) / 1000000 )) ms (reading, merging and rendering)"
echo "  the --json report alone: $json bytes"
echo "  Chromium, median of $runs fresh loads of each page:"
node "$root/tests/html/bench.mjs" "$work/report.html" "$runs" | tee "$work/bench.out" | grep -v '^ratio '
ratio=$(sed -n 's/^ratio load=//p' "$work/bench.out")
verdict() { if [ "$1" = 1 ]; then echo "holds"; else echo "MISSED"; fi; }
echo "  load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "HTML file size: $size bytes vs target <= $limit: $(awk -v s="$size" -v l="$limit" 'BEGIN { printf "%.2fx of the target", s / l }') ($(verdict "$([ "$size" -le "$limit" ] && echo 1)"))"
echo "Chromium load (scripts + DOM ready) / empty page: ${ratio}x vs target <= 2x ($(verdict "$(awk -v r="$ratio" 'BEGIN { print (r <= 2) }')"))"
