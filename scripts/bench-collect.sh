#!/usr/bin/env bash
# bench-collect.sh [BIN_DIR] - how much parallel collection saves (not a test).
#
# Starts a lab of its own with six running distros (the five of the layout plus "bench",
# which holds BENCH_PROCS idle processes), makes the wsl.exe emulator add 300 ms to every
# call (EMU_LATENCY, like a cold wsl.exe round trip), and measures:
#   - the whole collection: `wslns --json` with every view (the list call, then all views
#     at once)
#   - every single view alone: the exact command wslns runs for it, through the emulator
#     (the VM root: `wslns` with only the VM view, minus the list call)
# and prints the whole time against the slowest single view (target <= 1.3x, counting the
# list call that must come first) and against the sum (what a sequential tool would take).
#
#   BIN_DIR      where wslns and wslns-probe are (default: build/bin)
#   BENCH_PROCS  idle processes in the "bench" view (default 500)
#   RUNS         whole-collection runs, the median is reported (default 5)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${1:-$repo/build/bin}" && pwd)
lab=$repo/tests/lab/lab.sh
emu=$repo/tests/lab/wsl
probe=$bin/wslns-probe
[[ -x $probe ]] || probe=$bin/wslns-probe-native
export WSLNS_BIN=$bin
WSLNS_LAB_DIR=$(mktemp -d /tmp/wslns-bench.XXXXXX)
export WSLNS_LAB_DIR
trap '"$lab" stop >/dev/null 2>&1 || echo "lab.sh stop found processes left behind" >&2; rm -rf "$WSLNS_LAB_DIR"' EXIT

"$lab" start --bench "${BENCH_PROCS:-500}" >/dev/null
distros=(Ubuntu Ubuntu-18.04 NoGui Debian docker-desktop bench)
printf '%s\n' "EMU_LATENCY=0.3" \
    "EMU_DISTROS=*Ubuntu:Running:2,Ubuntu-18.04:Running:2,NoGui:Running:2,Debian:Running:2,docker-desktop:Running:2,bench:Running:2" \
    > "$WSLNS_LAB_DIR/emu.conf"
export WSL_UTF8=1

now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc; }
# shellcheck disable=SC2016 # expanded by the sh inside the view, as wslns sends it
runner='d=$(mktemp -d) && cat > "$d/p" && chmod 700 "$d/p" && "$d/p"; r=$?; rm -rf "$d"; exit $r'

declare -A single=()
t=$(now); "$emu" --list --verbose >/dev/null; list_s=$(elapsed "$t")
for d in "${distros[@]}"; do
    t=$(now); "$emu" -d "$d" -u root -e sh -c "$runner" < "$probe" >/dev/null || true
    single["distro $d"]=$(elapsed "$t")
    t=$(now); "$emu" --system -d "$d" -u root -e sh -c "$runner" < "$probe" >/dev/null 2>&1 || true
    single["system $d"]=$(elapsed "$t")
done
# The VM root alone: wslns with every distro filtered out (-d of a name that is not there).
t=$(now)
"$bin/wslns" --wsl "$emu" --probe "$probe" --no-system -d no-such-distro >/dev/null 2>&1 || true
vm_total=$(elapsed "$t")
single["vm (debug shell)"]=$(echo "$vm_total - $list_s" | bc)

# whole_runs LATENCY: sets times[] and their median in $median
whole_runs() {
    EMU_LATENCY=$1
    export EMU_LATENCY
    times=()
    for _ in $(seq "${RUNS:-5}"); do
        t=$(now)
        "$bin/wslns" --wsl "$emu" --probe "$probe" --json /dev/null >/dev/null 2>&1 || {
            echo "wslns failed (exit $?)" >&2; exit 1; }
        times+=("$(elapsed "$t")")
    done
    median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (${#times[@]} + 1) / 2 ))p")
}
# Without latency the run costs only CPU (emulator, lab, probes, wslns): the rig's floor.
whole_runs 0
floor=$median
whole_runs 0.3
whole=$median

slowest=0 slowest_name='' sum=$list_s
for k in "${!single[@]}"; do
    sum=$(echo "$sum + ${single[$k]}" | bc)
    if (( $(echo "${single[$k]} > $slowest" | bc) )); then slowest=${single[$k]} slowest_name=$k; fi
done

printf 'views (alone, 300 ms emulator latency each):\n'
printf '%s\n' "${!single[@]}" | sort | while IFS= read -r k; do
    printf '  %-28s %6.3f s\n' "$k" "${single[$k]}"
done
printf '  %-28s %6.3f s\n' "list (--list --verbose)" "$list_s"
printf '\nwhole collection (median of %d): %.3f s  [%s]\n' "${#times[@]}" "$whole" "${times[*]}"
printf 'slowest single view:            %.3f s  (%s)\n' "$slowest" "$slowest_name"
printf 'list + slowest view:            %.3f s\n' "$(echo "$list_s + $slowest" | bc)"
printf 'sum of every call (sequential): %.3f s\n' "$sum"
printf 'whole / (list + slowest view):  %.2fx  (target <= 1.3x)\n' "$(echo "$whole / ($list_s + $slowest)" | bc -l)"
printf 'whole / slowest view alone:     %.2fx\n' "$(echo "$whole / $slowest" | bc -l)"
printf 'whole / sum:                    %.2fx\n' "$(echo "$whole / $sum" | bc -l)"
printf 'whole without latency (CPU only, %d cores, load %s): %.3f s\n' "$(nproc)" \
    "$(cut -d' ' -f1 /proc/loadavg)" "$floor"
