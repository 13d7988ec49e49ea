#!/usr/bin/env bash
# replay_all.sh BUILD - replay every recording under tests/recordings/ with one build (posix:
# build/bin/wslns; windows: wslns.exe under Wine) and check, for each: the replay says it
# matched the recording (the same report byte for byte and the same exit code, else it
# exits 4 naming the first difference), and every claim of the folder's `expect` file holds
# for the replayed report:
#   exit CODE                       the exit code
#   SOURCE STATUS [REASON TEXT]     vm | distro:NAME | system:NAME, ok | skipped | failed,
#                                   and optionally a piece of its reason
#   ready-echoes AT-LEAST N         the debug shell was sent at least N ready echoes (the
#                                   earlier ones lost to a login's flush, say)
# No lab, no emulator: a recording is the whole machine (docs/recording.md).
#
# Environment (tests/record/CMakeLists.txt): WSLNS_BIN, WSLNS_RECORDINGS, WSLNS_WINE and the Wine
# variables for windows.
set -uo pipefail

build=$1
: "${WSLNS_BIN:?}" "${WSLNS_RECORDINGS:?}"
work=$(mktemp -d /tmp/wslns-replay-all.XXXXXX)
trap 'rm -rf "$work"' EXIT
winpath() { printf 'Z:%s' "${1//\//\\}"; }

failed=0 count=0
for rec in "$WSLNS_RECORDINGS"/*/; do
    rec=${rec%/}
    name=$(basename "$rec")
    [[ -f $rec/manifest.json ]] || continue
    count=$((count + 1))
    out=$work/$name.json
    if [[ $build == posix ]]; then
        "$WSLNS_BIN/wslns" --replay "$rec" --color never --json "$out" > "$work/$name.console" 2>&1
    else
        "$WSLNS_WINE" "$WSLNS_BIN/wslns.exe" --replay "$(winpath "$rec")" --color never \
            --json "$(winpath "$out")" > "$work/$name.console" 2>&1
    fi
    rc=$?
    if ! grep -q "the same report and exit code as the recorded run" "$work/$name.console"; then
        echo "FAIL: $name: the replay (exit $rc) did not match its recording:" >&2
        grep "wslns: --replay" "$work/$name.console" >&2
        failed=$((failed + 1))
        continue
    fi
    if ! python3 - "$out" "$rc" "$rec/expect" "$name" <<'PY'; then
import json, sys
report, rc, expect, name = json.load(open(sys.argv[1], encoding="utf-8")), int(sys.argv[2]), sys.argv[3], sys.argv[4]
manifest = json.load(open(expect[:-len("expect")] + "manifest.json", encoding="utf-8"))
echoes = sum(1 for e in manifest.get("exchanges", []) if "--debug-shell" in e.get("argv", [])
             for f in e.get("feeds", []) if "READY" in f.get("sent", ""))
sources = {}
for s in report.get("sources", []):
    key = s["kind"] if s["kind"] == "vm" else f'{s["kind"]}:{s.get("distro")}'
    sources[key] = (s.get("status"), s.get("reason") or "")
bad = 0
claims = [l.strip() for l in open(expect, encoding="utf-8") if l.strip() and not l.startswith("#")]
for claim in claims:
    words = claim.split(" ", 2)
    if words[0] == "exit":
        ok = rc == int(words[1])
        got = f"exit {rc}"
    elif words[0] == "ready-echoes":
        ok = echoes >= int(words[2])
        got = f"{echoes} ready echoes"
    else:
        status, reason = sources.get(words[0], ("missing", ""))
        ok = status == words[1] and (len(words) < 3 or words[2] in reason)
        got = f"{status}: {reason}"
    if not ok:
        print(f"FAIL: {name}: claim '{claim}' does not hold (got {got})", file=sys.stderr)
        bad += 1
print(f"{name}: replayed, {len(claims)} claims hold" if not bad else "", end="\n" if not bad else "")
sys.exit(1 if bad or not claims else 0)
PY
        failed=$((failed + 1))
    fi
done
[[ $count -gt 0 ]] || { echo "FAIL: no recordings in $WSLNS_RECORDINGS" >&2; exit 1; }
echo "$count recordings, $failed failed"
[[ $failed == 0 ]]
