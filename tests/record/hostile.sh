#!/usr/bin/env bash
# hostile.sh - a recording may come from anyone: replay tampered copies of
# tests/recordings/emulator-distros and check each is refused (exit 2) or replayed to a
# divergence or a report (exit 0, 1, 3 or 4), never a crash or a sanitizer finding (exit 23
# in the ASan tree), never a read or write outside the folder and the --json file, and in
# bounded time (CTest's timeout). Environment: WSLNS_BIN, WSLNS_RECORDINGS.
set -uo pipefail
: "${WSLNS_BIN:?}" "${WSLNS_RECORDINGS:?}"
work=$(mktemp -d /tmp/wslns-record-hostile.XXXXXX)
trap 'rm -rf "$work"' EXIT
src=$WSLNS_RECORDINGS/emulator-distros
failed=0

# case_ NAME "EXPECTED CODES" PYTHON: the python edits the manifest `m` (a dict; None: leave
# the file as the edit wrote it) and may write files into the folder `d`.
case_() {
    local name=$1 codes=$2 edit=$3 d=$work/$1
    cp -r "$src" "$d"
    if ! python3 - "$d" <<EOF; then
import json, os, sys
d = sys.argv[1]
m = json.load(open(d + "/manifest.json"))
$edit
if m is not None:
    open(d + "/manifest.json", "w").write(json.dumps(m))
EOF
        echo "FAIL: $name: the edit failed"
        failed=$((failed + 1))
        return
    fi
    "$WSLNS_BIN/wslns" --replay "$d" --color never --json "$work/$name.json" > "$work/$name.out" 2>&1
    local rc=$?
    if [[ " $codes " != *" $rc "* ]]; then
        echo "FAIL: $name: exit $rc, expected one of: $codes"
        tail -5 "$work/$name.out"
        failed=$((failed + 1))
    else
        echo "ok: $name: exit $rc ($(grep -o 'wslns: --replay.*' "$work/$name.out" | cut -c1-160 | tr -cd '[:print:]'))"
    fi
}

case_ not-json "2" 'open(d + "/manifest.json", "w").write("{\"schema\": "); m = None'
case_ deep-nesting "2" 'open(d + "/manifest.json", "w").write("[" * 100000); m = None'
case_ wrong-schema "2" 'm["schema"] = "wslns-recording/9"'
case_ huge-manifest "2" 'open(d + "/manifest.json", "w").write(" " * (17 << 20)); m = None'
case_ argv-not-strings "4" 'm["exchanges"][1]["argv"] = [1, None, {"a": 1}]'
case_ too-many-exchanges "2" 'm["exchanges"] = m["exchanges"] * 200'
case_ too-many-arguments "2" 'm["command_line"] = ["--all"] * 300'
case_ replay-in-replay "2" 'm["command_line"] += ["--replay", d]'
case_ help-instead "2" 'm["command_line"] = ["--help"]'
case_ bad-numbers "0 1 3 4" '
for e in m["exchanges"]:
    e.update(exit_code=1e300, seconds=-5, stdout_reads=[[0, 1e30], "x", [1, -3], [2]])
m["calls"]["read_file"][0]["length"] = 1e18'
case_ random-garbage "0 1 4" 'm["calls"]["random_bytes"] = ["zz" * 5000, 7, None]'
case_ marker-flood "0 1 3 4" '
open(d + "/exchange-001.stdout", "w").write("<<wslns-probe-base64-line:999999999>>" * 100000 + "<<wslns-probe-base64-line:0>>" * 100000)'
case_ missing-stream "4" 'os.remove(d + "/exchange-001.stdout")'
case_ other-files "4" '
m["calls"]["read_file"].append({"path": "/etc/shadow", "error": None, "length": 5, "probe": False})
m["command_line"] += ["--from", "/etc/passwd"]'
case_ recorded-outputs "0 1 3 4" 'm["command_line"] += ["--json", d + "/../escaped.json", "--html", d + "/../escaped.html"]'
if [[ -e $work/escaped.json || -e $work/escaped.html ]]; then
    echo "FAIL: the recorded --json/--html were written"
    failed=$((failed + 1))
fi
echo "$failed failed"
[[ $failed == 0 ]]
