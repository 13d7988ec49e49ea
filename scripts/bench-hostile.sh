#!/usr/bin/env bash
# The hostile-input benchmark (not a test): for every super-linear path docs/hostile.md lists,
# a crafted input and a benign one of about the same size, each run through wslns; prints the
# median wall time of RUNS runs of each (a run under 0.3 s is repeated within a sample and
# averaged) and their ratio, which must be at most 3. For the
# config cases it also prints the peak memory (<= 100 MB; getrusage's maxrss of the child, an
# upper bound: it counts the forked Python before exec, ~15 MB) and the output size (<= 1 MB).
# Exit 1 when a bound is passed.
#
#   scripts/bench-hostile.sh [--runs N] [--before WSLNS] [WSLNS]
#
# WSLNS is the binary to measure (default build/bin/wslns). --before WSLNS also runs an
# older binary (for instance one built from the commit before the fixes) once on every input,
# with a 300 s limit, and prints its figures beside the others: not checked, only shown.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=5
before=
while [ $# -gt 0 ]; do
    case $1 in
    --runs) runs=$2; shift 2 ;;
    --before) before=$2; shift 2 ;;
    -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
    *) break ;;
    esac
done
wslns=${1:-$root/build/bin/wslns}
[ -x "$wslns" ] || { echo "bench-hostile: no wslns at $wslns (build first)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
base=$root/tests/support/data/lab/Ubuntu.json
make_doc=$root/tests/hostile/make_doc.py

# Pids an attacker picks against idmap's old public hash (splitmix64's finaliser of
# pid * golden ^ constant): every one's hash has its low 18 bits below 64, so they pile into
# one run of slots in every table up to 2^18 slots (100,000 keys). Brute force: ~2 s.
cat >"$work/pids.c" <<'EOF'
#include <stdint.h>
#include <stdio.h>
int main(void)
{
    int found = 0;
    for (uint64_t a = 2; a < 2147483648u && found < 100000; a++) {
        uint64_t x = a * 0x9E3779B97F4A7C15u ^ 0x632BE59BD9B4E019u;
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9u;
        x ^= x >> 27;
        x *= 0x94D049BB133111EBu;
        x ^= x >> 31;
        if ((x & 0x3FFFF) < 64) {
            printf("%llu\n", (unsigned long long)a);
            found++;
        }
    }
    return found < 100000;
}
EOF
cc -O2 -o "$work/pids" "$work/pids.c"
nice "$work/pids" >"$work/pids.txt"

for c in hex-args hex-args-benign sequential-pids wslg-children wslg-children-benign \
    many-distros many-distros-benign wsl-conf-section wsl-conf-benign wslconfig-section \
    wslconfig-benign; do
    python3 "$make_doc" "$c" "$base" "$work/$c.json"
done
python3 "$make_doc" colliding-pids "$base" "$work/colliding-pids.json" "$work/pids.txt"
printf '[wsl2]\n' >"$work/plain.wslconfig"

rc=0
python3 - "$wslns" "$before" "$runs" "$work" "$base" <<'EOF' || rc=$?
import os, statistics, subprocess, sys, time

wslns, before, runs, work, base = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
MAX_RATIO, MAX_RSS_MB, MAX_OUT = 3.0, 100.0, 1024 * 1024

def tree(doc):
    return ["--color", "never", "--from", doc]

def json_report(doc):
    return ["--color", "never", "--from", doc, "--json", os.path.join(work, "report.json")]

def doctor_conf(doc):
    return ["doctor", "--color", "never", "--from", doc, "--wslconfig",
            os.path.join(work, "plain.wslconfig")]

def doctor_wslconfig(path):
    return ["doctor", "--color", "never", "--from", base, "--wslconfig", path]

# (what, crafted input, benign input, argv builder, memory and output bounds?)
cases = [
    ("view.c: 65,000 args with cmdline_hex", "hex-args", "hex-args-benign", tree, False),
    ("idmap: 100,000 pids colliding (old hash)", "colliding-pids", "sequential-pids", tree, False),
    ("model.c wslg_like: 10k children x 40k", "wslg-children", "wslg-children-benign", tree, False),
    ("render_json find_distro: 50k distros", "many-distros", "many-distros-benign", json_report,
     False),
    ("doctor: wsl.conf 32 KiB section, 8k keys", "wsl-conf-section", "wsl-conf-benign",
     doctor_conf, True),
    ("doctor: .wslconfig 32 KiB section, 8k keys", "wslconfig-section", "wslconfig-benign",
     lambda p: doctor_wslconfig(p), True),
]

def run_once(binary, argv, timeout):
    """Wall seconds, peak RSS in MB, stdout+stderr bytes, exit status (None: timed out)."""
    out_path = os.path.join(work, "out.txt")
    with open(out_path, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen([binary] + argv, stdout=out, stderr=out)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                return timeout, float("nan"), os.path.getsize(out_path), None
            time.sleep(0.005)
        wall = time.perf_counter() - start
    return wall, usage.ru_maxrss / 1024.0, os.path.getsize(out_path), os.waitstatus_to_exitcode(status)

def measure(binary, argv, n, timeout):
    """Median of n samples; a run shorter than 0.3 s is repeated within each sample (up to 20
    times, the mean taken), so a loaded machine's jitter does not decide a ratio."""
    first = run_once(binary, argv, timeout)
    repeat = 1 if first[3] is None or n == 1 else max(1, min(20, int(0.3 / max(first[0], 1e-3))))
    samples = []
    for _ in range(n):
        runs_ = [run_once(binary, argv, timeout) for _ in range(repeat)]
        samples.append((sum(r[0] for r in runs_) / repeat, max(r[1] for r in runs_),
                        max(r[2] for r in runs_), any(r[3] is None for r in runs_), runs_[0][3]))
    for s in samples:
        if s[4] is not None and s[4] < 0:
            sys.exit(f"bench-hostile: {binary} {' '.join(argv)} died of signal {-s[4]}")
    return (statistics.median(s[0] for s in samples), max(s[1] for s in samples),
            max(s[2] for s in samples), any(s[3] for s in samples))

def path(name):
    return os.path.join(work, name + ".json")

failed = False
print(f"wslns: {wslns}   runs: {runs} (median)   bounds: ratio <= {MAX_RATIO:g}, "
      f"config cases <= {MAX_RSS_MB:g} MB and <= {MAX_OUT} output bytes")
if before:
    print(f"before: {before} (1 run each, 300 s limit; shown, not checked)")
print()
header = f"{'case':44} {'crafted s':>9} {'benign s':>9} {'ratio':>6} {'max RSS MB':>10} {'out bytes':>10}"
print(header)
print("-" * len(header))
for what, crafted, benign, argv, bounded in cases:
    c = measure(wslns, argv(path(crafted)), runs, 600)
    b = measure(wslns, argv(path(benign)), runs, 600)
    ratio = c[0] / max(b[0], 1e-3)
    over = ratio > MAX_RATIO or (bounded and (c[1] > MAX_RSS_MB or c[2] > MAX_OUT))
    failed |= over
    print(f"{what:44} {c[0]:9.3f} {b[0]:9.3f} {ratio:6.2f} {c[1]:10.1f} {c[2]:10d}"
          f"{'  OVER' if over else ''}")
    if before:
        cb = measure(before, argv(path(crafted)), 1, 300)
        bb = measure(before, argv(path(benign)), 1, 300)
        late = " (timed out)" if cb[3] else ""
        print(f"{'  before':44} {cb[0]:9.3f} {bb[0]:9.3f} {cb[0] / max(bb[0], 1e-3):6.2f} "
              f"{cb[1]:10.1f} {cb[2]:10d}{late}")
print()
print("every bound holds" if not failed else "a bound is passed (OVER above)")
sys.exit(1 if failed else 0)
EOF
exit $rc
