#!/usr/bin/env bash
# demo.sh - what wslns sees, without Windows: builds what is missing, starts a private
# namespace lab in WSL's layout (as root), shows the probe's view from inside every view,
# then the whole map as wslns draws it through the wsl.exe emulator. Stops the lab on exit.
#
#   scripts/demo.sh [--bin DIR]      (DIR: the build's bin dir; default build/bin)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${WSLNS_BIN:-$root/build/bin}
if [ "${1:-}" = --bin ] && [ $# -ge 2 ]; then
    bin=$2
fi
[ "$(id -u)" = 0 ] || { echo "demo.sh: the lab builds namespaces: run it as root" >&2; exit 2; }

if [ ! -x "$bin/wslns-probe" ] || [ ! -x "$bin/wslns-lab-init" ]; then
    build=$(dirname "$bin")
    echo "== building into $build"
    cmake -S "$root" -B "$build" -G Ninja >/dev/null
    cmake --build "$build"
fi

lab=$root/tests/lab/lab.sh
export WSLNS_LAB_INIT=$bin/wslns-lab-init
WSLNS_LAB_DIR=$(mktemp -d /tmp/wslns-demo.XXXXXX)
export WSLNS_LAB_DIR
trap '"$lab" stop; rm -rf "$WSLNS_LAB_DIR"' EXIT

"$lab" start
echo "== lab running (state: $WSLNS_LAB_DIR); views:"
"$lab" views | sed 's/^/   /'

for view in $("$lab" views); do
    echo
    echo "== wslns-probe --tree in view $view  (lab.sh exec $view ...)"
    "$lab" exec "$view" "$bin/wslns-probe" --tree
done

if [ -x "$bin/wslns" ] && [ -x "$root/tests/lab/wsl" ]; then
    echo
    echo "== the whole map: wslns --wsl tests/lab/wsl (the wsl.exe emulator drives the lab)"
    "$bin/wslns" --wsl "$root/tests/lab/wsl" --probe "$bin/wslns-probe"
fi
