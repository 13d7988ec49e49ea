#!/usr/bin/env bash
# remake.sh [--reports] - re-make the recordings under tests/recordings/ that come straight
# from the emulator (each folder's `remake` file holds the emulator settings and wslns
# arguments it was made with), with the POSIX build against a lab of its own. Run it when a
# change alters what wslns asks (the debug-shell script, the probe runner, the random draws).
# With --reports, instead rewrite every recording's report.json from a replay by the current
# build (after a change of the report, e.g. a new version number): check the diff! When the
# exit code changed too, the replay says so; set "exit_code" in manifest.json by hand.
# A folder may also hold `edit.py`, run (python3 edit.py FOLDER) on the new recording: the
# hand edit that puts a real-Windows quirk in, made repeatable. Its report.json and exit
# code are then taken from a replay by the current build. Recordings with no `remake` file
# are re-made by hand (docs/recording.md).
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
    rm -rf "$keep"
    mkdir -p "$keep"
    cp "$rec"/remake "$rec"/expect "$rec"/edit.py "$keep/" 2>/dev/null
    rm -rf "$rec"
    # A new debug-shell console for each recording, so its EMU_DEBUG_SHELL_STATE and _FLUSH
    # apply (they shape only a console that starts): the old one's server ends when its
    # socket is gone (tests/lab/debugshell_pty.c).
    rm -rf "$WSLNS_LAB_DIR/debugshell"
    "$WSLNS_BIN/wslns" --wsl tests/lab/wsl --probe "$(realpath --relative-to=. "$probe")" \
        --color never --record "$rec" "${args[@]}" > /dev/null 2>&1
    echo "$rec: re-made (exit $?)"
    cp "$keep"/* "$rec/"
    if [[ -f $rec/edit.py ]]; then
        python3 "$rec/edit.py" "$rec" || fail "$rec/edit.py"
        # The report and the exit code of the edited run, from its replay.
        "$WSLNS_BIN/wslns" --replay "$rec" --json "$work/report.json" > /dev/null 2> "$work/replay.err"
        mv "$work/report.json" "$rec/report.json"
        python3 - "$rec" "$work/replay.err" <<'PY'
import json, re, sys
rec, err = sys.argv[1], open(sys.argv[2]).read()
m = re.search(r"the run exited (-?\d+), the recorded run", err)
if m:
    man = json.load(open(rec + "/manifest.json"))
    man["exit_code"] = int(m.group(1))
    open(rec + "/manifest.json", "w", encoding="utf-8").write(
        json.dumps(man, indent="\t", ensure_ascii=False) + "\n")
PY
        "$WSLNS_BIN/wslns" --replay "$rec" > /dev/null 2>&1 || fail "$rec: the edited recording does not replay"
        echo "$rec: edited by edit.py"
    fi
done
