#!/usr/bin/env bash
# run.sh CASE BUILD MODE - one case of the hostile-view suite (docs/hostile.md).
#
# One view answers hostile bytes (tests/hostile/make_doc.py CASE, or a probe that never
# answers / keeps its pipe open); the others are good. wslns must finish (a guard kills it
# after twice the good views' budget), exit 1, name the hostile source with the problem, and still show every
# namespace and process of the good views in the tree, the JSON and the HTML.
#
#   BUILD posix     the native build
#         windows   wslns.exe under Wine (for emu: through wsl-stand-in\wsl.exe and the relay)
#   MODE  from      wslns --from vm.json --from Ubuntu.json --from hostile (lab fixtures, no lab)
#         emu       a lab of its own and the emulator; distro Debian answers the hostile bytes
#                   (EMU_ANSWER), never answers (EMU_HANG) or keeps stdout open (EMU_KEEP_OPEN);
#                   every other view must still equal the lab's truth (tests/e2e/compare.py)
#
# Environment (tests/hostile/CMakeLists.txt): WSLNS_BIN, WSLNS_LAB, WSLNS_PROBE, WSLNS_FIXTURES (the
# lab's probe documents), WSLNS_WINE and the Wine variables for windows. The work directory
# (big inputs included) and any lab come from tests/lab/harness.sh and are removed on exit.
set -uo pipefail

case=$1 build=$2 mode=$3
here=$(cd "$(dirname "$0")" && pwd)
: "${WSLNS_LAB:?}" "${WSLNS_PROBE:?}" "${WSLNS_FIXTURES:?}"
. "$WSLNS_LAB/harness.sh"
harness_init hostile
# Views that must answer get a budget a loaded machine (ASan, Wine, the emulated debug shell)
# meets; only the view meant to hang (Debian in hang and keep-open) gets a short one.
good_budget=150 hang_budget=5

# What the diagnostic must say for each case (a regex, case-insensitive).
case $case in
    empty) expect='empty document|no output' ;;
    null) expect='expected a JSON object' ;;
    truncated) expect='not valid JSON.*truncated' ;;
    bad-utf8) expect='not valid UTF-8' ;;
    bad-utf8-comm) expect='comm: not valid UTF-8 and no comm_hex' ;;
    huge) expect='64 MiB' ;;
    deep) expect='not valid JSON' ;;
    numbers) expect='pid: expected an integer from 1 to 2147483647' ;;
    types) expect='processes: expected an array' ;;
    nspid-contradicts) expect='levels in its NSpid' ;;
    cycle) expect='form a cycle' ;;
    self-parent) expect='cannot be its own parent' ;;
    duplicates) expect='listed twice' ;;
    unlisted-ns) expect='namespace list leaves out' ;;
    other-boot) expect='another boot' ;;
    schema) expect='not "wslns-probe/1"' ;;
    many-processes) expect='processes: more than 1000000 entries' ;;
    many-namespaces) expect='namespaces: more than 100000 entries' ;;
    many-errors) expect='errors: more than 100000 entries' ;;
    many-args) expect='cmdline' ;;
    many-warnings) expect='more entries were dropped' ;;
    deep-parents) expect='levels deep, deeper than wslns follows' ;;
    hang|keep-open)
        expect="no answer within $hang_budget s \\(killed; its budget: --timeout Debian=$hang_budget\\)" ;;
    *) fail "unknown case $case" ;;
esac

# run_wslns ARGS...: exit code in $rc, seconds in $took; outputs in $work
run_wslns() {
    local t0 limit=$((good_budget * 2))
    t0=$(date +%s.%N)
    local out=(--color never --timeout "$good_budget")
    [[ $case == hang || $case == keep-open ]] && out+=(--timeout "Debian=$hang_budget")
    if [[ $build == posix ]]; then
        timeout -k 5 "$limit" "$WSLNS_BIN/wslns" "${out[@]}" --json "$work/report.json" \
            --html "$work/report.html" "$@" > "$work/console" 2>&1
        rc=$?
    else
        [[ -n ${WSLNS_WINE:-} ]] || fail "no Wine"
        timeout -k 5 "$limit" "$WSLNS_WINE" "$WSLNS_BIN/wslns.exe" "${out[@]}" \
            --json "$(winpath "$work/report.json")" --html "$(winpath "$work/report.html")" \
            "$@" > "$work/console" 2>&1
        rc=$?
    fi
    took=$(echo "$(date +%s.%N) - $t0" | bc)
    echo "wslns ($build, $mode, $case) exited $rc after $took s"
    ((rc == 124 || rc == 137)) && { cat "$work/console" >&2; fail "wslns hung (killed after $limit s)"; }
    # In the sanitizer tree a leak or a memory error exits 1 (ASan's default exitcode), the
    # very code these cases expect: the report on stderr is what tells them apart.
    if grep -q 'Sanitizer' "$work/console"; then
        cat "$work/console" >&2
        fail "a sanitizer report (leak or memory error)"
    fi
    if [[ $rc != 1 ]]; then
        cat "$work/console" >&2
        fail "wslns exited $rc, expected 1 (partial)"
    fi
}

if [[ $mode == from ]]; then
    [[ $case == hang || $case == keep-open ]] && fail "$case needs a probe: emu mode only"
    python3 "$here/make_doc.py" "$case" "$WSLNS_FIXTURES/Debian.json" "$work/hostile.json" ||
        fail "make_doc.py $case"
    good=("$WSLNS_FIXTURES/vm.json" "$WSLNS_FIXTURES/Ubuntu.json")
    args=()
    for f in "${good[@]}" "$work/hostile.json"; do
        [[ $build == windows ]] && f=$(winpath "$f")
        args+=(--from "$f")
    done
    run_wslns "${args[@]}"
    rm -f "$work/hostile.json"
    goods=()
    for f in "${good[@]}"; do goods+=(--good "$f"); done
    python3 "$here/check.py" "$work/report.json" "$work/report.html" "$work/console" \
        --hostile hostile.json --expect "$expect" "${goods[@]}" ||
        { cat "$work/console" >&2; fail "the report does not show what it must"; }
    echo "ok: $case $build $mode"
    exit 0
fi
[[ $mode == emu ]] || fail "unknown mode $mode"

harness_start_lab
"$WSLNS_LAB/lab.sh" truth > "$work/before.json" || fail "lab.sh truth"

case $case in
    hang) echo "EMU_HANG=Debian" > "$WSLNS_LAB_DIR/emu.conf" ;;
    keep-open) echo "EMU_KEEP_OPEN=Debian" > "$WSLNS_LAB_DIR/emu.conf" ;;
    *)
        # The hostile bytes grow from what Debian's probe really says, so its inodes and
        # boot are the lab's and the attack reaches the good views' namespaces.
        "$WSLNS_LAB/lab.sh" exec Debian -- "$WSLNS_PROBE" > "$work/debian.json" ||
            fail "the probe did not run in Debian"
        python3 "$here/make_doc.py" "$case" "$work/debian.json" "$work/hostile.json" ||
            fail "make_doc.py $case"
        echo "EMU_ANSWER=Debian:$work/hostile.json" > "$WSLNS_LAB_DIR/emu.conf" ;;
esac

if [[ $build == posix ]]; then
    run_wslns --wsl "$WSLNS_LAB/wsl" --probe "$WSLNS_PROBE"
else
    harness_start_relay
    WSLNS_RELAY_PORT=$relay_port run_wslns \
        --wsl "$(winpath "$WSLNS_BIN/wsl-stand-in/wsl.exe")" --probe "$(winpath "$WSLNS_PROBE")"
fi
"$WSLNS_LAB/lab.sh" truth > "$work/after.json" || fail "lab.sh truth"
rm -f "$work/hostile.json"
python3 "$here/check.py" "$work/report.json" "$work/report.html" "$work/console" \
    --hostile Debian --expect "$expect" ||
    { cat "$work/console" >&2; fail "the report does not name the hostile view with its problem"; }
# Every view but Debian's is whole: the VM root sees every process, so the whole truth must
# be there, with the parents the kernel reports.
python3 "$WSLNS_LAB/../e2e/compare.py" "$work/report.json" "$work/before.json" "$work/after.json" \
    --source vm=ok --source distro:Ubuntu=ok --source system:Ubuntu=ok --source system:Debian=ok ||
    { cat "$work/console" >&2; fail "the good views' namespaces and processes are not all there"; }
echo "ok: $case $build $mode"
