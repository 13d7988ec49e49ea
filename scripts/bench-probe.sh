#!/usr/bin/env bash
# bench-probe.sh - the probe's speed and memory where it matters: a view holding 10,000
# processes in the namespace lab (as root). Not a test: it prints figures.
#
#   scripts/bench-probe.sh [--procs N] [--runs R] [--bin DIR]
#
# Starts a private lab with a "bench" view of N idle processes (lab.sh start --bench N), then
# inside that view runs, R times each, interleaved so that noise hits all alike: the probe,
# util-linux `lsns -J -t pid`, and the floor (wslns-probe-floor: per pid only openat+read+close
# of status and fstatat of ns/pid). Every run is a whole process with its output to /dev/null,
# timed from inside the view. Prints the medians, the ratios probe/floor (target <= 2.0) and
# probe/lsns (target < 1), and the probe's peak RSS (target <= 32 MB). Stops the lab on exit.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
procs=10000
runs=9
bin=${WSLNS_BIN:-$root/build/bin}
while [ $# -gt 0 ]; do
    case $1 in
        --procs) procs=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --bin) bin=$2; shift 2 ;;
        *) echo "usage: $0 [--procs N] [--runs R] [--bin DIR]" >&2; exit 2 ;;
    esac
done
probe=$bin/wslns-probe
floor=$bin/wslns-probe-floor
export WSLNS_LAB_INIT=${WSLNS_LAB_INIT:-$bin/wslns-lab-init}
for f in "$probe" "$floor" "$WSLNS_LAB_INIT"; do
    [ -x "$f" ] || { echo "bench-probe.sh: $f not found (cmake --build build, or --bin DIR)" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "bench-probe.sh: the lab needs root" >&2; exit 2; }

lab=$root/tests/lab/lab.sh
WSLNS_LAB_DIR=$(mktemp -d /tmp/wslns-bench.XXXXXX)
export WSLNS_LAB_DIR
trap '"$lab" stop; rm -rf "$WSLNS_LAB_DIR"' EXIT

t0=$(date +%s%N)
"$lab" start --bench "$procs"
t1=$(date +%s%N)
echo "lab with a view of $procs idle processes started in $(( (t1 - t0) / 1000000 )) ms"

"$lab" exec bench /usr/bin/python3 - "$runs" "$probe" "$floor" <<'EOF'
import os, statistics, subprocess, sys, time

runs, probe, floor = int(sys.argv[1]), sys.argv[2], sys.argv[3]
tools = {"probe": [probe], "lsns": ["lsns", "-J", "-t", "pid"], "floor": [floor, "1"]}

def run(argv):
    """Wall seconds and peak RSS (KB) of one whole run of argv."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"{argv[0]} exited with {code}")
    return elapsed, usage.ru_maxrss

pids = sum(1 for e in os.listdir("/proc") if e.isdigit())
times = {name: [] for name in tools}
rss = []
for _ in range(runs):
    for name, argv in tools.items():
        elapsed, maxrss = run(argv)
        times[name].append(elapsed)
        if name == "probe":
            rss.append(maxrss)
med = {name: statistics.median(v) * 1000 for name, v in times.items()}
print(f"processes in the view: {pids}; {runs} runs each, medians:")
for name in tools:
    print(f"  {name:6s} {med[name]:8.1f} ms   (best {min(times[name]) * 1000:.1f} ms)")
print(f"probe / floor: {med['probe'] / med['floor']:.2f}   (target <= 2.0)")
print(f"probe / lsns:  {med['probe'] / med['lsns']:.2f}   (target < 1: faster than lsns)")
print(f"probe peak RSS: {max(rss) / 1024:.1f} MB   (target <= 32 MB)")
EOF
