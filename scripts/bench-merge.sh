#!/usr/bin/env bash
# The merge benchmark (not a test): 100,000 processes seen from 4 views should merge in less
# time than cJSON takes to parse their JSON twice. Prints medians and the ratio.
#
#   scripts/bench-merge.sh [BUILD_DIR]     (default build/; built there if missing)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
if [ ! -x "$build/tests/wslns-bench-merge" ]; then
    cmake -S "$root" -B "$build" -G Ninja >/dev/null
    cmake --build "$build" --target wslns-bench-merge >/dev/null
fi
exec "$build/tests/wslns-bench-merge"
