#!/usr/bin/env bash
# demo.sh - wslns on the built-in WSL lab, with nothing but a Debian 12 machine:
#
#   scripts/demo.sh              set up, build, start the lab, map it with wslns.exe under
#                                Wine (the native Linux build when Wine is missing)
#   scripts/demo.sh --posix      map it with the native Linux build of the same code
#   scripts/demo.sh --views      also show each view's own probe tree first
#   scripts/demo.sh -- ARGS...   pass ARGS to wslns (e.g. -- -d Ubuntu, -- pid 7 --in Ubuntu)
#
# The lab is a set of real nested pid namespaces in WSL's layout (tests/lab, docs/lab.md);
# wsl.exe is played by an emulator (tests/lab/wsl) that answers like the real one. The lab
# is stopped on exit, whatever happens.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mode=auto show_views=0
wslns_args=()
while [ $# -gt 0 ]; do
    case $1 in
    --posix) mode=posix ;;
    --views) show_views=1 ;;
    --) shift; wslns_args=("$@"); break ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
[ "$(id -u)" = 0 ] || { echo "demo.sh: the lab creates namespaces: run it as root (sudo $0)" >&2; exit 2; }

bash "$root/scripts/setup.sh"
echo "== building (build/)"
cmake --preset default -S "$root" >/dev/null
cmake --build "$root/build" >/dev/null

bin=$root/build/bin
lab=$root/tests/lab/lab.sh
export WSLNS_BIN=$bin WSLNS_LAB_INIT=$bin/wslns-lab-init WSLNS_LAB_OWNER=$$
WSLNS_LAB_DIR=$(mktemp -d /tmp/wslns-demo.XXXXXX)
export WSLNS_LAB_DIR
relay_pid=
cleanup() {
    [ -n "$relay_pid" ] && kill "$relay_pid" 2>/dev/null && wait "$relay_pid" 2>/dev/null
    "$lab" stop >/dev/null || true
    rm -rf "$WSLNS_LAB_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$lab" start
echo "== lab running; views: $("$lab" views | tr '\n' ' ')"

if [ "$show_views" = 1 ]; then
    for view in $("$lab" views); do
        echo
        echo "== wslns-probe --tree inside view $view"
        "$lab" exec "$view" "$bin/wslns-probe" --tree
    done
fi

wine=$(command -v wine || command -v wine64 || true)
if [ "$mode" = auto ] && [ -n "$wine" ] && [ -f "$bin/wslns.exe" ]; then
    export WINEPREFIX=${WINEPREFIX:-$root/build/wineprefix} WINEDEBUG=-all WINEDLLOVERRIDES=mscoree,mshtml=
    winpath() { printf 'Z:%s' "${1//\//\\}"; }
    "$bin/wslns-relay-server" --port-file "$WSLNS_LAB_DIR/relay.port" -- "$root/tests/lab/wsl" \
        2>"$WSLNS_LAB_DIR/relay.log" &
    relay_pid=$!
    for _ in $(seq 100); do [ -s "$WSLNS_LAB_DIR/relay.port" ] && break; sleep 0.1; done
    echo
    echo "== wslns.exe (Windows build, under Wine) driving the emulated wsl.exe"
    echo
    rc=0
    WSLNS_RELAY_PORT=$(cat "$WSLNS_LAB_DIR/relay.port") "$wine" "$bin/wslns.exe" \
        --wsl "$(winpath "$bin/wsl-stand-in/wsl.exe")" --probe "$(winpath "$bin/wslns-probe")" \
        "${wslns_args[@]}" || rc=$?
else
    echo
    echo "== wslns (Linux build) driving the emulated wsl.exe"
    echo
    rc=0
    "$bin/wslns" --wsl "$root/tests/lab/wsl" --probe "$bin/wslns-probe" "${wslns_args[@]}" || rc=$?
fi
echo
echo "== wslns exited $rc (0: every view collected; 1: some view failed - see 'views' above)"
exit "$rc"
