#!/usr/bin/env bash
# bench-probe.sh - the probe's speed and memory where it matters: a view holding 10,000
# processes in the namespace lab (as root). Not a test: it prints figures.
#
#   scripts/bench-probe.sh [--procs N] [--runs R] [--bin DIR]
#
# Starts a private lab with a "bench" view of N idle processes (lab.sh start --bench N), then
# inside that view runs, R times each, interleaved so that noise hits all alike: the probe,
# util-linux `lsns -J -t pid`, the floor (wslns-probe-floor: per pid only openat+read+close
# of status and fstatat of ns/pid) and the probe's own reads in one thread (wslns-probe-floor
# 1 reads: status, stat, cmdline, the ns/pid link below the view's namespace; no parsing, no
# output). Every run is a whole process with its output to /dev/null, timed from inside the
# view. Prints the medians of wall and CPU (user+sys) time, the ratios probe/floor (target <=
# 1.3) and probe/lsns (target <= 0.34), the probe's peak RSS (target <= 32 MB) and the load
# average before and after. The probe reads with two threads: it beats its one-thread reads
# only when the machine has CPU to spare; on a loaded machine (autogroups share the CPUs per
# session) its wall ratio tends to its CPU ratio, which one thread's reads bound from below.
# Stops the lab on exit.
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
tools = {"probe": [probe], "lsns": ["lsns", "-J", "-t", "pid"], "floor": [floor, "1"],
         "reads": [floor, "1", "reads"]}

def run(argv):
    """Wall seconds, CPU seconds (user+sys) and peak RSS (KB) of one whole run of argv."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"{argv[0]} exited with {code}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss

def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])

pids = sum(1 for e in os.listdir("/proc") if e.isdigit())
load_before = load()
times = {name: [] for name in tools}
cpu = {name: [] for name in tools}
rss = []
for _ in range(runs):
    for name, argv in tools.items():
        elapsed, cpu_s, maxrss = run(argv)
        times[name].append(elapsed)
        cpu[name].append(cpu_s)
        if name == "probe":
            rss.append(maxrss)
med = {name: statistics.median(v) * 1000 for name, v in times.items()}
mcpu = {name: statistics.median(v) * 1000 for name, v in cpu.items()}
print(f"processes in the view: {pids}; {runs} runs each, medians:")
for name in tools:
    print(f"  {name:6s} {med[name]:8.1f} ms   (best {min(times[name]) * 1000:.1f} ms)"
          f"   CPU {mcpu[name]:7.1f} ms")
print(f"probe / floor: {med['probe'] / med['floor']:.2f}   (target <= 1.3)"
      f"   CPU {mcpu['probe'] / mcpu['floor']:.2f}")
print(f"probe / lsns:  {med['probe'] / med['lsns']:.2f}   (target <= 0.34)"
      f"   CPU {mcpu['probe'] / mcpu['lsns']:.2f}")
print(f"one thread's reads / floor: {med['reads'] / med['floor']:.2f}"
      f"   CPU {mcpu['reads'] / mcpu['floor']:.2f}   (the probe's reads alone)")
print(f"floor / lsns:  {med['floor'] / med['lsns']:.2f}   CPU {mcpu['floor'] / mcpu['lsns']:.2f}")
print(f"probe peak RSS: {max(rss) / 1024:.1f} MB   (target <= 32 MB)")
print(f"load average: {load_before} before, {load()} after")
EOF
