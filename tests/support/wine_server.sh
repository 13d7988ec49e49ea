#!/usr/bin/env bash
# wine_server.sh start|stop WINE - the Wine prefix's server for the whole test run (the `wine`
# fixture of tests/CMakeLists.txt; WINEPREFIX and friends come from the environment).
#
#   start  creates the prefix (with its registry files on disk) and leaves a wineserver running (it ends by itself 300 s after
#          its last client, so an interrupted run leaves nothing for long) with Wine's
#          services already up, all detached from the test's output.
#   stop   ends that server (wineserver -k).
#
# Why: a `wine` that finds no server starts one, and that server and its services inherit the
# caller's stdout and stderr and keep them open until they exit, 3 s after the last client:
# CTest waits for that, so every Wine test paid 3-5 s of nothing (and the first one started
# the services of every test running beside it). With the server up, `wine X.exe` through a
# pipe takes 0.3 s instead of 4-5 s.
set -u
cmd=${1:?start or stop} wine=${2:?the wine program}
server=$(dirname "$(command -v "$wine")")/wineserver
[[ -x $server ]] || server=$(command -v wineserver) || { echo "no wineserver next to $wine" >&2; exit 1; }
: "${WINEPREFIX:?}"

case $cmd in
    start)
        mkdir -p "$WINEPREFIX"
        log=$WINEPREFIX.setup.log
        boot() {
            "$server" -p 300 < /dev/null > /dev/null 2>&1
            if ! "$wine" cmd /c exit 0 < /dev/null > "$log" 2>&1; then
                cat "$log" >&2
                echo "FAIL: wine cmd /c exit 0 (the prefix $WINEPREFIX)" >&2
                exit 1
            fi
        }
        boot
        # A new prefix's registry lives in the server until it saves it (at exit, or every
        # 30 s): a test that copies system.reg (e2e policy-off) would find none. Ending the
        # server writes it; then the run's server starts again.
        if [[ ! -f $WINEPREFIX/system.reg ]]; then
            "$server" -k < /dev/null > /dev/null 2>&1
            "$server" -w < /dev/null > /dev/null 2>&1
            boot
            [[ -f $WINEPREFIX/system.reg ]] ||
                { echo "FAIL: the new prefix $WINEPREFIX has no system.reg after its server ended" >&2; exit 1; }
        fi
        echo "ok: prefix $WINEPREFIX, its server up for the run" ;;
    stop)
        "$server" -k < /dev/null > /dev/null 2>&1 || true
        echo "ok: the Wine server ended" ;;
    *) echo "usage: $0 start|stop WINE" >&2; exit 2 ;;
esac
