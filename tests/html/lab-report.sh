#!/usr/bin/env bash
# lab-report.sh DIR - the report the browser tests open, made from a namespace lab of its own:
# wslns (POSIX build) drives the wsl.exe emulator over the lab and writes DIR/lab.html and,
# in the same run, DIR/lab.json; the lab's ground truth is read before and after the run
# (DIR/truth-before.json, DIR/truth-after.json) so the run's own probes can be told apart.
# The lab is always stopped; a lab process left behind fails the script.
#
# Environment (set by tests/html/CMakeLists.txt): WSLNS_BIN, WSLNS_LAB, WSLNS_PROBE.
set -uo pipefail

out=$1
: "${WSLNS_LAB:?}" "${WSLNS_PROBE:?}"
. "$WSLNS_LAB/harness.sh"
mkdir -p "$out"
rm -f "$out"/lab.html "$out"/lab.json "$out"/truth-*.json
harness_init html
harness_start_lab
"$WSLNS_LAB/lab.sh" truth > "$out/truth-before.json" || fail "lab.sh truth"
# Every view must answer: a budget a loaded machine meets (the default 30 s is for users).
"$WSLNS_BIN/wslns" --wsl "$WSLNS_LAB/wsl" --probe "$WSLNS_PROBE" --color never --timeout 150 \
    --html "$out/lab.html" --json "$out/lab.json" > "$out/console.txt" 2>&1
rc=$?
"$WSLNS_LAB/lab.sh" truth > "$out/truth-after.json" || fail "lab.sh truth"
[[ $rc == 0 ]] || { cat "$out/console.txt" >&2; fail "wslns exited $rc, expected 0"; }
[[ -s $out/lab.html ]] || fail "wslns wrote no $out/lab.html"
echo "ok: $out/lab.html ($(wc -c < "$out/lab.html") bytes) from a lab of $(grep -c '"nspid"' "$out/truth-before.json") processes"
