#!/usr/bin/env bash
# bench-collect.sh [BIN_DIR] - what the VM root costs a collection (not a test).
#
# Starts a lab of its own (the default layout: nine views to collect, the VM root through the
# debug shell, five distros and the four system distros of those with GUI apps on), makes
# the wsl.exe emulator add 300 ms to every call (EMU_LATENCY, like a cold wsl.exe round
# trip), and prints issue 14's row as a ratio of medians, runs interleaved so that load
# drifts hit both sides alike:
#   - whole: `wslns --json` with every view, the debug shell included
#   - one distro: `wslns -d Ubuntu --no-debug-shell --json`: the distro and its system
#     distro, the least any collection costs (the list call, then one view's round trip)
# (target <= 1.3x). Also: the first whole run, which finds a fresh debug-shell console (a
# login, as after a VM boot), the VM root alone (`-d` of a name that is not there), and the
# whole run without latency (what the rig's CPU costs).
#
#   BIN_DIR  where wslns and wslns-probe are (default: build/bin)
#   RUNS     runs of each kind, the medians are compared (default 5, at least 5 for the issue)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${1:-$repo/build/bin}" && pwd)
lab=$repo/tests/lab/lab.sh
emu=$repo/tests/lab/wsl
probe=$bin/wslns-probe
[[ -x $probe ]] || probe=$bin/wslns-probe-native
runs=${RUNS:-5}
export WSLNS_BIN=$bin
WSLNS_LAB_DIR=$(mktemp -d /tmp/wslns-bench.XXXXXX)
export WSLNS_LAB_DIR
trap '"$lab" stop >/dev/null 2>&1 || echo "lab.sh stop found processes left behind" >&2; rm -rf "$WSLNS_LAB_DIR"' EXIT

"$lab" start >/dev/null
export WSL_UTF8=1
set_latency() { printf 'EMU_LATENCY=%s\n' "$1" > "$WSLNS_LAB_DIR/emu.conf"; }

now() { date +%s.%N; }
# timed VAR ARGS...: wslns ARGS, its wall time in VAR; a failed run ends the benchmark.
timed() {
    local var=$1 start
    shift
    start=$(now)
    "$bin/wslns" --wsl "$emu" --probe "$probe" "$@" --json /dev/null >/dev/null 2>&1 || {
        echo "wslns $* failed (exit $?)" >&2; exit 1; }
    printf -v "$var" '%s' "$(echo "$(now) - $start" | bc)"
}
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
whole_args=()
one_args=(-d Ubuntu --no-debug-shell)

set_latency 0.3
first=
timed first "${whole_args[@]}"
whole=() one=() vm=()
for _ in $(seq "$runs"); do
    timed t "${whole_args[@]}"; whole+=("$t")
    timed t "${one_args[@]}"; one+=("$t")
    # A -d name that is not there fails that source (exit status not 0): not checked.
    t0=$(now)
    "$bin/wslns" --wsl "$emu" --probe "$probe" -d no-such-distro --no-system --json /dev/null \
        >/dev/null 2>&1 || true
    vm+=("$(echo "$(now) - $t0" | bc)")
done
set_latency 0
floor=()
for _ in $(seq "$runs"); do timed t "${whole_args[@]}"; floor+=("$t"); done

# The views the whole run collected, to show what was measured.
"$bin/wslns" --wsl "$emu" --probe "$probe" --json "$WSLNS_LAB_DIR/report.json" >/dev/null 2>&1
ok=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(sum(1 for s in r["sources"] if s["status"]=="ok"))' \
    "$WSLNS_LAB_DIR/report.json" 2>/dev/null || echo '?')

w=$(median "${whole[@]}") o=$(median "${one[@]}")
printf 'emulator latency 300 ms per wsl.exe call, %d runs each, %d cores, load %s\n' "$runs" \
    "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'whole (%s views, debug shell):     median %.3f s  [%s]\n' "$ok" "$w" "${whole[*]}"
printf 'one distro (2 views):            median %.3f s  [%s]\n' "$o" "${one[*]}"
printf 'VM root alone (list + debug shell): median %.3f s\n' "$(median "${vm[@]}")"
printf 'first whole run (fresh console):  %.3f s\n' "$first"
printf 'whole without latency (CPU only): median %.3f s\n' "$(median "${floor[@]}")"
printf 'whole / one distro: %.2fx (target <= 1.3x)\n' "$(echo "$w / $o" | bc -l)"
