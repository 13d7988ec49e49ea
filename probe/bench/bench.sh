#!/bin/sh
# bench.sh - the probe's speed and memory against the floor loop (floor.c), on whatever
# processes this machine has now. For the figure that matters, start many processes first:
#   bench.sh --spawn 10000 [BIN_DIR] [RUNS]
# spawns them in a private pid namespace (killed at the end), then measures.
#
# Prints the best and median wall time of RUNS runs of each (alternating, so that load from
# elsewhere hits both alike), their ratio (target: <= 1.3), and the probe's peak RSS.
set -eu
spawn=0
if [ "${1:-}" = "--spawn" ]; then
    spawn=$2
    shift 2
fi
bin=${1:-$(dirname "$0")/../../build/bin}
runs=${2:-9}
probe=$bin/wslns-probe
[ -x "$probe" ] || probe=$bin/wslns-probe-native
floor=$bin/wslns-probe-floor
for f in "$probe" "$floor"; do
    [ -x "$f" ] || { echo "bench.sh: $f not found (build first, or pass the bin dir)" >&2; exit 2; }
done

helper=
if [ "$spawn" -gt 0 ]; then
    # Children of one sleeping shell; the namespace dies with its init when we kill it.
    unshare -fp --mount-proc --kill-child sh -c "i=0; while [ \$i -lt $spawn ]; do sleep 100000 & i=\$((i+1)); done; wait" &
    helper=$!
    # unshare ignores SIGTERM while it waits; SIGKILL it and --kill-child takes the rest.
    trap 'kill -KILL $helper 2>/dev/null; wait $helper 2>/dev/null || true' EXIT
    until [ "$(ls /proc | grep -c '^[0-9]')" -ge "$spawn" ]; do sleep 0.5; done
fi

now_us() { echo $(( $(date +%s%N) / 1000 )); }
tf=$(mktemp)
tp=$(mktemp)
i=0
while [ $i -lt "$runs" ]; do
    a=$(now_us); "$floor" 1 >/dev/null; b=$(now_us); echo $((b - a)) >>"$tf"
    a=$(now_us); "$probe" >/dev/null || true; b=$(now_us); echo $((b - a)) >>"$tp"
    i=$((i + 1))
done
stats() { sort -n "$1" | awk '{v[NR]=$1} END {printf "%d %d", v[1], v[int((NR+1)/2)]}'; }
set -- $(stats "$tf") $(stats "$tp")
rss=$( { /usr/bin/time -f "%M" "$probe" >/dev/null; } 2>&1 | tail -1 )
pids=$(ls /proc | grep -c '^[0-9]')
rm -f "$tf" "$tp"
echo "pids: $pids"
echo "floor: best $1 us, median $2 us"
echo "probe: best $3 us, median $4 us ($probe)"
awk -v f="$1" -v p="$3" -v fm="$2" -v pm="$4" \
    'BEGIN {printf "ratio probe/floor: best %.2f, median %.2f (target <= 1.3)\n", p / f, pm / fm}'
echo "probe peak RSS: $rss KB (target <= 32768 KB at 10000 processes)"
