#!/usr/bin/env bash
# Builds everything and runs every test:   scripts/test.sh
#
# 1. scripts/setup.sh installs what is missing (Debian packages, cJSON source).
# 2. build/: native host, static probe, wslns.exe, and every test.
# 3. build-asan/: the native tree with AddressSanitizer + UBSan; its whole suite runs as one
#    test of the main tree ("sanitizers: ..."). Its end-to-end tests send build/'s small
#    static probe (WSLNS_VIEW_PROBE); its probe tests run its own ASan probe.
# 4. CTest runs the main tree's tests; its summary is the last thing printed.
set -euo pipefail
cd "$(dirname "$0")/.."

# Where the time goes (scripts/stress-test.sh reads these lines).
t0=$SECONDS
took() { echo "test.sh: $1 took $((SECONDS - t0)) s" >&2; t0=$SECONDS; }

bash scripts/setup.sh
took setup

jobs=$(nproc 2>/dev/null || echo 2)

cmake --preset default -DWSLNS_ASAN_TREE="$PWD/build-asan" >/dev/null
cmake --build --preset default -j "$jobs"
took "the main build (build)"

cmake --preset asan -DWSLNS_CROSS=OFF -DWSLNS_VIEW_PROBE="$PWD/build/bin/wslns-probe" >/dev/null
cmake --build --preset asan -j "$jobs"
took "the sanitizer build (build-asan)"

ctest --preset default --timeout 600 -j "$jobs"
