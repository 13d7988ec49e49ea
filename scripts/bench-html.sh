#!/usr/bin/env bash
# bench-html.sh - the HTML report at scale: a synthetic VM-root probe document of N processes
# (tests/html/synthetic.py; 8 distros below their system distros, containers 4 levels deep)
# goes through `wslns --from DOC --html`; prints the time to render and the file size (target:
# under 5 MB for 10,000 processes), then opens it R times in Debian's headless Chromium
# (tests/html/bench.mjs) and prints the median time to open and to filter (target: within a
# second each). Not a test.
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
echo "report of $procs processes ($(nproc) CPUs, $(chromium --version 2>/dev/null || echo chromium))"
echo "  wslns --from --html: $(( (t1 - t0) / 1000000 )) ms (reading, merging and rendering)"
echo "  HTML file: $size bytes ($(( size / 1024 )) KiB; target < 5 MiB); the --json report alone: $json bytes"
echo "  Chromium, median of $runs fresh loads:"
node "$root/tests/html/bench.mjs" "$work/report.html" "$runs"
