#!/usr/bin/env bash
# run.sh BUILD CASE - record a run of wslns (BUILD: posix = the native build on
# tests/lab/wsl; windows = wslns.exe under Wine through wsl-stand-in\wsl.exe and the relay)
# against the emulator and a lab of its own, stop the lab, then replay the recording with
# the POSIX build and (when Wine and wslns.exe exist) the Windows build: each replay must
# say it matched, exit as the recorded run did, and write a JSON report byte for byte equal
# to the recorded run's (docs/recording.md).
#
# Environment (set by tests/record/CMakeLists.txt): WSLNS_BIN, WSLNS_LAB, WSLNS_PROBE, WSLNS_WINE
# and the Wine variables.
#
# CASE:
#   map      wslns --record: every view collected (VM root through the debug shell,
#            distros, system distros), exit 0
#   partial  a hanging distro and a garbage answer: failed views replay as failed, exit 1
#   doctor   wslns doctor --record, with a .wslconfig and wsl --version
#   pid      wslns pid 1 --in Ubuntu --record: the model's report, the translation's exit
set -uo pipefail

build=$1 case=$2
: "${WSLNS_LAB:?}" "${WSLNS_PROBE:?}"
. "$WSLNS_LAB/harness.sh"
harness_init record
harness_start_lab

rec=$work/recording
conf() { printf '%s\n' "$@" > "$WSLNS_LAB_DIR/emu.conf"; }

# record BUILD ARGS...: the recorded run; its exit code in $rc
record() {
    local b=$1; shift
    if [[ $b == posix ]]; then
        "$WSLNS_BIN/wslns" --wsl "$WSLNS_LAB/wsl" --probe "$WSLNS_PROBE" --color never \
            --timeout 150 --record "$rec" --json "$work/recorded.json" "$@" > "$work/console.record" 2>&1
        rc=$?
    else
        [[ -n ${WSLNS_WINE:-} ]] || fail "no Wine"
        harness_start_relay
        WSLNS_RELAY_PORT=$relay_port "$WSLNS_WINE" "$WSLNS_BIN/wslns.exe" \
            --wsl "$(winpath "$WSLNS_BIN/wsl-stand-in/wsl.exe")" --probe "$(winpath "$WSLNS_PROBE")" \
            --color never --timeout 150 --record "$(winpath "$rec")" --json "$(winpath "$work/recorded.json")" \
            "$@" > "$work/console.record" 2>&1
        rc=$?
    fi
    echo "recorded with the $b build: exit $rc"
}

# replay BUILD: replays $rec; its exit code in $rc, its report in $work/replay.BUILD.json
replay() {
    local b=$1 out=$work/replay.$1.json
    if [[ $b == posix ]]; then
        "$WSLNS_BIN/wslns" --replay "$rec" --color never --json "$out" > "$work/console.$b" 2>&1
        rc=$?
    else
        "$WSLNS_WINE" "$WSLNS_BIN/wslns.exe" --replay "$(winpath "$rec")" --color never \
            --json "$(winpath "$out")" > "$work/console.$b" 2>&1
        rc=$?
    fi
    echo "replayed with the $b build: exit $rc"
}

check_replay() { # BUILD EXPECTED_EXIT
    local b=$1
    replay "$b"
    if [[ $rc != "$2" ]] || ! grep -q "the same report and exit code as the recorded run" \
        "$work/console.$b"; then
        cat "$work/console.$b" >&2
        fail "the $b build's replay exited $rc (expected $2) or did not match"
    fi
    # wslns pid writes no --json; its replay compared the model's report itself.
    [[ $case == pid ]] || cmp "$rec/report.json" "$work/replay.$b.json" ||
        fail "the $b build's replayed report differs from the recorded one"
}

case $case in
    map) args=() expect=0 ;;
    partial)
        conf EMU_HANG=Debian EMU_GARBAGE=Ubuntu
        # Only the hanging view gets a short budget; the good ones keep 150 s (see record).
        args=(--timeout Debian=3) expect=1 ;;
    doctor)
        printf '[wsl2]\nguiApplications=true\n' > "$work/wslconfig"
        if [[ $build == posix ]]; then
            args=(doctor --wslconfig "$work/wslconfig")
        else
            args=(doctor --wslconfig "$(winpath "$work/wslconfig")")
        fi
        expect=any ;;
    pid) args=(pid 1 --in Ubuntu) expect=0 ;;
    *) fail "unknown case $case" ;;
esac

record "$build" "${args[@]}"
[[ $expect == any ]] && expect=$rc
[[ $rc == "$expect" ]] || { cat "$work/console.record" >&2; fail "the recorded run exited $rc, expected $expect"; }
grep -q "recorded this run in" "$work/console.record" ||
    { cat "$work/console.record" >&2; fail "no recording was announced"; }
[[ -s $rec/manifest.json && -s $rec/report.json ]] || fail "no manifest.json or report.json"
if [[ $case != doctor && $case != pid ]]; then
    cmp "$rec/report.json" "$work/recorded.json" || fail "report.json is not the run's --json report"
fi

# A folder that holds a recording is not written over (its files would mix with the new ones).
"$WSLNS_BIN/wslns" --wsl "$WSLNS_LAB/wsl" --probe "$WSLNS_PROBE" --record "$rec" > "$work/console.again" 2>&1
rc=$?
[[ $rc == 2 ]] && grep -q "already holds a recording" "$work/console.again" ||
    { cat "$work/console.again" >&2; fail "a second --record into the same folder was not refused (exit $rc)"; }

# Nothing secret unasked: the probe is in the recording as its hash only.
python3 - "$rec" "$WSLNS_PROBE" <<'EOF' || fail "the recording holds the probe's bytes"
import base64, glob, hashlib, json, sys
rec, probe = sys.argv[1], open(sys.argv[2], "rb").read()
# Pieces of the probe that occur nowhere else: raw, and as the base64 lines a tty echoes.
raw = [probe[i:i + 32] for i in range(0, len(probe) - 32, 4096) if len(set(probe[i:i + 32])) > 16]
lines = [l for l in base64.encodebytes(probe).split(b"\n") if len(set(l)) > 24]
assert raw and lines
for f in glob.glob(rec + "/*"):
    data = open(f, "rb").read()
    bad = [p for p in raw + lines if p in data]
    if bad:
        sys.exit(f"{f} holds {len(bad)} pieces of the probe, e.g. {bad[0][:40]!r}")
m = json.load(open(rec + "/manifest.json"))
probes = [r for r in m["calls"]["read_file"] if r.get("probe")]
assert probes and probes[0]["sha256"] == hashlib.sha256(probe).hexdigest(), "no probe hash"
assert m["calls"]["random_bytes"], "no random bytes recorded"
print(f"{len(m['exchanges'])} exchanges, probe {probes[0]['sha256'][:12]}..., no probe bytes")
EOF

# The replays need no lab: stop it first, so they cannot reach it.
"$WSLNS_LAB/lab.sh" stop > "$work/stop.log" 2>&1 || { cat "$work/stop.log"; fail "lab.sh stop"; }
check_replay posix "$expect"
if [[ -n ${WSLNS_WINE:-} && -x $WSLNS_BIN/wslns.exe ]]; then
    check_replay windows "$expect"
fi
if [[ $case == map ]]; then
    # The answers come from the recording, not from this machine: with the recorded policy
    # or elevation changed, the replay no longer makes the debug-shell exchange.
    for answer in '"debug_shell_policy": ["disallowed"]' '"is_elevated": [false]'; do
        rm -rf "$work/tampered"
        cp -r "$rec" "$work/tampered"
        python3 - "$work/tampered/manifest.json" "$answer" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
key, value = next(iter(json.loads("{" + sys.argv[2] + "}").items()))
m["calls"][key] = value * max(1, len(m["calls"].get(key, [])))
json.dump(m, open(sys.argv[1], "w"))
EOF
        "$WSLNS_BIN/wslns" --replay "$work/tampered" > "$work/console.tampered" 2>&1
        rc=$?
        [[ $rc == 4 ]] && grep -q "did not make recorded exchange.*--debug-shell" "$work/console.tampered" ||
            { cat "$work/console.tampered" >&2; fail "a recorded $answer did not change the replay (exit $rc)"; }
    done
fi
echo "ok: $build $case"
