#!/usr/bin/env bash
# remake.sh [--reports] - re-make the recordings under tests/recordings/ that come straight
# from the emulator (each folder's `remake` file holds the emulator settings and wslns
# arguments it was made with), with the POSIX build against a lab of its own. Run it when a
# change alters what wslns asks (the debug-shell script, the probe runner, the random draws).
# With --reports, instead rewrite every recording's report.json from a replay by the current
# build (after a change of the report, e.g. a new version number): check the diff! When the
# exit code changed too, the replay says so; set "exit_code" in manifest.json by hand.
# Hand-edited recordings (no `remake` file) are re-made by hand (docs/recording.md).
#
# Needs a built tree: WSLNS_BIN (default build/bin) and WSLNS_PROBE (default
# $WSLNS_BIN/wslns-probe); as root, like the lab.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
export WSLNS_BIN=${WSLNS_BIN:-$repo/build/bin} WSLNS_LAB=$repo/tests/lab
probe=${WSLNS_PROBE:-$WSLNS_BIN/wslns-probe}
cd "$repo" || exit 1

if [[ ${1:-} == --reports ]]; then
    for rec in tests/recordings/*/; do
        rec=${rec%/}
        "$WSLNS_BIN/wslns" --replay "$rec" --color never --json "$rec/report.json.new" > /dev/null 2>&1
        mv "$rec/report.json.new" "$rec/report.json"
        echo "$rec: report.json rewritten"
    done
    exit 0
fi

. "$WSLNS_LAB/harness.sh"
harness_init remake
harness_start_lab
for rec in tests/recordings/*/; do
    rec=${rec%/}
    [[ -f $rec/remake ]] || continue
    # The remake file: EMU_* lines for the emulator, then one line of wslns arguments.
    grep '^EMU_' "$rec/remake" > "$WSLNS_LAB_DIR/emu.conf"
    read -ra args < <(grep -v '^EMU_\|^#' "$rec/remake")
    keep=$work/keep
    mkdir -p "$keep"
    cp "$rec/remake" "$rec/expect" "$keep/"
    rm -rf "$rec"
    "$WSLNS_BIN/wslns" --wsl tests/lab/wsl --probe "$(realpath --relative-to=. "$probe")" \
        --color never --record "$rec" "${args[@]}" > /dev/null 2>&1
    echo "$rec: re-made (exit $?)"
    cp "$keep/remake" "$keep/expect" "$rec/"
done
