#!/usr/bin/env bash
# run.sh BUILD CASE - one end-to-end test: start a lab of its own, set the emulator's
# scenario, run wslns (BUILD: posix = the native build on tests/lab/wsl directly; windows =
# wslns.exe under Wine through wsl-stand-in\wsl.exe and wslns-relay-server), then check
# the report against the lab's ground truth (compare.py) and the exit code. The lab is
# always stopped, and a lab process left behind fails the test.
#
# Environment (set by tests/e2e/CMakeLists.txt): WSLNS_BIN, WSLNS_LAB, WSLNS_PROBE, WSLNS_WINE (for
# windows) and the Wine variables.
#
# CASE:
#   truth         every view collected: the tree equals the truth, exit 0
#   not-elevated  the debug shell refuses: the VM level is a placeholder, the rest unchanged
#   gui-off       NoGui (GUI apps off) hangs directly under the VM root, no system distro
#   hang          a distro that never answers times out, the others are reported, exit 1
#   start-budget  a stopped distro that takes longer to start (--all) than its --timeout is
#                 still collected: WSL's start budget comes on top
#   garbage       a garbage answer fails that view only, exit 1
#   real-names    the VM root's document without WSLg's processes (--from): every system
#                 distro is still labelled one, from WSL's own name for its pid 1, init()
#   spaced-name   a registry-made name with a space is listed, skipped, never given to -d
#   lang-de, lang-ja  each scenario below run with wsl.exe in English and in German / Japanese
#                 (EMU_LANG: WSL's own strings, localized "Error code:" label): every view gets
#                 the same status and the runs the same exit code (same_status.py):
#                 GUI apps off, debug shell not elevated / disabled by policy / missing while
#                 the VM runs, a distro unregistered after the list, no distro installed
#   policy-off    AllowDebugShell=0: wslns.exe reads the policy and never runs the debug
#                 shell; the POSIX build classifies wsl.exe's code-less refusal
#   debug-shell-unavailable  no debug-shell pipe although the VM runs: the VM level is
#                 skipped as unavailable, not as "VM not running"
#   same-json     both builds give the same report on the same lab (modulo paths)
#   diff          two runs with a process killed and another started in Ubuntu between them:
#                 `wslns diff` lists exactly those two (exit 1; the same report twice: exit 0)
set -uo pipefail

build=$1 case=$2
e2e=$(cd "$(dirname "$0")" && pwd)
: "${WSLNS_LAB:?}" "${WSLNS_PROBE:?}"
. "$WSLNS_LAB/harness.sh"
harness_init e2e
# The budget of views that must answer (--timeout): what a loaded 2-core machine meets, the
# debug shell and Wine included. Only a view meant to hang gets a short one.
good_budget=150
last=$build
harness_start_lab

# run_wslns BUILD REPORT [ARGS...]: the tool's exit code in $rc, its console output in
# $work/console.BUILD
run_wslns() {
    local b=$1 report=$2; shift 2
    local t0=$SECONDS
    local cmd=() home=$HOME
    # doctor_mode: `wslns doctor`, with a HOME without .wslconfig (its defaults)
    [[ -n ${doctor_mode:-} ]] && cmd=(doctor) home=$work
    last=$b
    if [[ $b == posix ]]; then
        HOME=$home "$WSLNS_BIN/wslns" "${cmd[@]}" --wsl "$WSLNS_LAB/wsl" --probe "$WSLNS_PROBE" --color never \
            --timeout "$good_budget" --json "$report" "$@" > "$work/console.$b" 2>&1
        rc=$?
    else
        [[ -n ${WSLNS_WINE:-} ]] || fail "no Wine"
        harness_start_relay
        WSLNS_RELAY_PORT=$relay_port "$WSLNS_WINE" "$WSLNS_BIN/wslns.exe" "${cmd[@]}" \
            --wsl "$(winpath "$WSLNS_BIN/wsl-stand-in/wsl.exe")" --probe "$(winpath "$WSLNS_PROBE")" \
            --color never --timeout "$good_budget" --json "$(winpath "$report")" "$@" > "$work/console.$b" 2>&1
        rc=$?
    fi
    echo "wslns ($b) exited $rc after $((SECONDS - t0)) s"
}

expect_exit() {
    if [[ $rc != "$1" ]]; then
        cat "$work/console.$last" >&2
        fail "wslns exited $rc, expected $1"
    fi
}

truth() { "$WSLNS_LAB/lab.sh" truth > "$1" || fail "lab.sh truth"; }

compare() { # report [compare.py options]
    local report=$1; shift
    python3 "$e2e/compare.py" "$report" "$work/before.json" "$work/after.json" "$@" ||
        { echo "--- console output:" >&2; cat "$work/console.$last" >&2; fail "report differs from the truth"; }
}

conf() { printf '%s\n' "$@" > "$WSLNS_LAB_DIR/emu.conf"; }

truth "$work/before.json"
case $case in
    truth)
        run_wslns "$build" "$work/report.json"
        truth "$work/after.json"
        expect_exit 0
        compare "$work/report.json" --types --source vm=ok --source distro:Ubuntu=ok \
            --source system:Ubuntu=ok --source distro:docker-desktop=ok \
            --source distro:Alpine=skipped:stopped --source "distro:Legacy=skipped:WSL 1" ;;
    spaced-name)
        # Registration allows only [a-zA-Z0-9._-]{1,256} (WSL src/windows/service/exe/
        # LxssUserSession.cpp s_ValidateDistroName, 3e27a6a5): a name with a space exists
        # only when a third-party tool wrote the registry. Skipped, never passed to -d.
        conf "EMU_DISTROS=*Ubuntu:Running:2,Ubuntu-18.04:Running:2,NoGui:Running:2,Debian:Running:2,docker-desktop:Running:2,My Distro:Running:2" "EMU_LOG=$work/calls"
        run_wslns "$build" "$work/report.json"
        truth "$work/after.json"
        expect_exit 0
        compare "$work/report.json" --source "distro:My Distro=skipped:not addressable with -d" \
            --source "system:My Distro=skipped:not addressable with -d" --source distro:Ubuntu=ok
        ! grep -q 'My' "$work/calls" || fail "wsl.exe was asked about My Distro: $(grep My "$work/calls")" ;;
    not-elevated)
        # As root (and as Wine's elevated token) wslns runs --debug-shell and gets the refusal.
        conf EMU_ELEVATED=no
        run_wslns "$build" "$work/report.json"
        truth "$work/after.json"
        expect_exit 0
        compare "$work/report.json" --no-vm --source "vm=skipped:the VM level cannot be seen" \
            --source distro:Ubuntu=ok --source system:Ubuntu=ok ;;
    policy-off)
        # AllowDebugShell=0 under HKLM\Software\Policies\WSL (WSL src/windows/inc/
        # wslpolicies.h): the service makes no pipe and wsl.exe says so without a code.
        # wslns.exe reads the policy and never runs the debug shell; the POSIX build has no
        # policy to read and classifies wsl.exe's refusal. The Windows run gets a prefix of
        # its own (copied registry, shared drive_c) so no other test sees the policy.
        conf EMU_DEBUG_SHELL=policy "EMU_LOG=$work/calls"
        if [[ $build == windows ]]; then
            : "${WINEPREFIX:?}"
            prefix=$work/prefix
            mkdir "$prefix" || fail "mkdir prefix"
            cp -a "$WINEPREFIX"/{system.reg,user.reg,userdef.reg,.update-timestamp,dosdevices} \
                "$prefix/" || fail "copy the Wine registry"
            ln -s "$WINEPREFIX/drive_c" "$prefix/drive_c"
            WINEPREFIX=$prefix "$WSLNS_WINE" reg add 'HKLM\Software\Policies\WSL' \
                /v AllowDebugShell /t REG_DWORD /d 0 /f > "$work/reg.out" 2>&1 ||
                { cat "$work/reg.out" >&2; fail "reg add"; }
            WINEPREFIX=$prefix run_wslns "$build" "$work/report.json"
            WINEPREFIX=$prefix wineserver -k 2>/dev/null
            want="the debug shell is disabled by policy (AllowDebugShell=0"
            ! grep -q -- --debug-shell "$work/calls" ||
                fail "wsl --debug-shell ran although the policy is off"
        else
            run_wslns "$build" "$work/report.json"
            want="wsl.exe refused the debug shell"
        fi
        truth "$work/after.json"
        expect_exit 0
        compare "$work/report.json" --no-vm --source "vm=skipped:$want" \
            --source distro:Ubuntu=ok --source system:Ubuntu=ok ;;
    debug-shell-unavailable)
        conf EMU_DEBUG_SHELL=unavailable
        run_wslns "$build" "$work/report.json"
        truth "$work/after.json"
        expect_exit 0
        compare "$work/report.json" --no-vm \
            --source "vm=skipped:not available although the WSL 2 VM runs" \
            --source distro:Ubuntu=ok --source system:Ubuntu=ok ;;
    lang-de|lang-ja)
        lang=${case#lang-}
        # scenario NAME EXPECT... : the same emu.conf ($scenario_conf) in English and in $lang
        scenario() {
            local name=$1 l; shift
            for l in en "$lang"; do
                conf "${scenario_conf[@]}" "EMU_LANG=$l"
                run_wslns "$build" "$work/$name.$l.json" "${scenario_args[@]}"
                printf '%s' "$rc" > "$work/$name.$l.rc"
                [[ -s $work/$name.$l.json ]] || { cat "$work/console.$build" >&2; fail "$name ($l): no report"; }
            done
            local expects=() e
            for e in "$@"; do expects+=(--expect "$e"); done
            echo "--- $name: en vs $lang"
            python3 "$e2e/same_status.py" "$work/$name.en.json" "$(cat "$work/$name.en.rc")" \
                "$work/$name.$lang.json" "$(cat "$work/$name.$lang.rc")" "${expects[@]}" ||
                { cat "$work/console.$build" >&2; fail "$name: $lang differs from English"; }
        }
        scenario_args=()
        scenario_conf=(EMU_GUI=off)
        scenario gui-off "system:Ubuntu=skipped:GUI apps are off for Ubuntu" distro:Ubuntu=ok vm=ok
        scenario_conf=(EMU_ELEVATED=no)
        scenario not-elevated "vm=skipped:the VM level cannot be seen" system:Ubuntu=ok
        scenario_conf=(EMU_DEBUG_SHELL=policy)
        scenario policy "vm=skipped:the VM level cannot be seen"
        scenario_conf=(EMU_DEBUG_SHELL=unavailable)
        scenario unavailable "vm=skipped:not available although the WSL 2 VM runs"
        scenario_conf=(EMU_GONE=Debian)
        scenario unknown-distro "distro:Debian=failed:WSL_E_DISTRO_NOT_FOUND" \
            "system:Debian=failed:WSL_E_DISTRO_NOT_FOUND" distro:Ubuntu=ok
        scenario_conf=(EMU_LIST=empty EMU_VM=stopped)
        scenario no-distro "vm=skipped:the WSL 2 VM is not running"
        # nothing to collect is exit 3 (docs/cli.md), in every language, with a report
        scenario_conf=()
        scenario_args=(-d Nope)
        scenario unknown-name "distro:Nope=failed:no distro named Nope"
        # wslns doctor: the GUI verdicts rest on the refusal's code, the versions on
        # `wsl --version`'s lines, both printed in the user's language.
        doctor_mode=1 scenario_args=() scenario_conf=(EMU_GUI=off)
        scenario doctor-gui-off ;;
    gui-off)
        run_wslns "$build" "$work/report.json"
        truth "$work/after.json"
        expect_exit 0
        compare "$work/report.json" --parent NoGui=vm --parent Ubuntu=system:Ubuntu \
            --source "system:NoGui=skipped:GUI apps are off for NoGui" --source distro:NoGui=ok ;;
    hang)
        # Only the hanging view has a short budget: the good ones must never race a clock.
        conf EMU_HANG=Debian
        run_wslns "$build" "$work/report.json" --timeout Debian=3
        truth "$work/after.json"
        expect_exit 1
        compare "$work/report.json" \
            --source "distro:Debian=failed:no answer within 3 s (killed; its budget: --timeout Debian=3)" \
            --source distro:Ubuntu=ok --source vm=ok --source system:Debian=ok ;;
    start-budget)
        conf EMU_DISTROS='*Ubuntu:Running:2,Ubuntu-18.04:Running:2,NoGui:Running:2,Debian:Stopped:2,docker-desktop:Running:2' \
            EMU_START_DELAY=4
        run_wslns "$build" "$work/report.json" --all --timeout Debian=2 \
            --timeout system:Debian=2
        truth "$work/after.json"
        expect_exit 0
        compare "$work/report.json" --source distro:Debian=ok --source system:Debian=ok \
            --source vm=ok --source distro:Ubuntu=ok ;;
    garbage)
        conf EMU_GARBAGE=Ubuntu
        run_wslns "$build" "$work/report.json"
        truth "$work/after.json"
        expect_exit 1
        compare "$work/report.json" --source "distro:Ubuntu=failed:not a probe document" \
            --source system:Ubuntu=ok --source vm=ok --source distro:Debian=ok ;;
    real-names)
        # The VM root alone, WSLg's processes gone: the system distros are known by init().
        "$WSLNS_LAB/lab.sh" exec vm -- "$WSLNS_PROBE" > "$work/vm-full.json" || fail "probe in vm"
        python3 "$e2e/names.py" strip "$work/vm-full.json" "$work/vm.json" || fail "names.py strip"
        if [[ $build == posix ]]; then
            "$WSLNS_BIN/wslns" --color never --from "$work/vm.json" --json "$work/report.json" \
                > "$work/console.$build" 2>&1
        else
            "$WSLNS_WINE" "$WSLNS_BIN/wslns.exe" --color never --from "$(winpath "$work/vm.json")" \
                --json "$(winpath "$work/report.json")" > "$work/console.$build" 2>&1
        fi
        rc=$?
        expect_exit 0
        python3 "$e2e/names.py" check "$work/report.json" "$work/before.json" ||
            { cat "$work/console.$build" >&2; fail "labels do not follow WSL's names"; } ;;
    same-json)
        run_wslns posix "$work/posix.json"
        expect_exit 0
        run_wslns windows "$work/windows.json"
        expect_exit 0
        truth "$work/after.json"
        python3 "$e2e/same_report.py" "$work/posix.json" "$work/windows.json" \
            "$work/before.json" "$work/after.json" || fail "the two builds' reports differ" ;;
    diff)
        # start_sleep ARG: `sleep ARG` in Ubuntu, through lab.sh exec (its relay stays outside
        # the lab, and a TERM to it kills the sleep); back once the lab runs sleep itself.
        start_sleep() {
            "$WSLNS_LAB/lab.sh" exec Ubuntu -- sleep "$1" &
            sleeper=$!
            local child='' _
            for _ in $(seq 600); do # up to 60 s on a loaded machine
                child=$(cat "/proc/$sleeper/task/$sleeper/children" 2> /dev/null)
                [[ -n $child && $(cat "/proc/${child%% *}/comm" 2> /dev/null) == sleep ]] && return
                sleep 0.1
            done
            fail "sleep $1 did not start in Ubuntu"
        }
        stop_sleep() { kill -TERM "$sleeper"; wait "$sleeper" 2> /dev/null; }
        start_sleep 3001
        run_wslns "$build" "$work/old.json"
        expect_exit 0
        stop_sleep
        start_sleep 3002
        run_wslns "$build" "$work/new.json"
        expect_exit 0
        stop_sleep
        # wslns_diff OUT ARGS...: the same build's `wslns diff`, exit code in $rc
        wslns_diff() {
            local out=$1; shift
            if [[ $build == posix ]]; then
                "$WSLNS_BIN/wslns" diff --color never "$@" > "$out" 2>&1
            else
                local a=() f
                for f in "$@"; do [[ $f == /* ]] && a+=("$(winpath "$f")") || a+=("$f"); done
                "$WSLNS_WINE" "$WSLNS_BIN/wslns.exe" diff --color never "${a[@]}" > "$out" 2>&1
            fi
            rc=$?
        }
        wslns_diff "$work/console.$build" "$work/old.json" "$work/old.json"
        expect_exit 0
        wslns_diff "$work/console.$build" --json "$work/diff.json" "$work/old.json" "$work/new.json"
        expect_exit 1
        cat "$work/console.$build"
        python3 "$e2e/diff_check.py" "$work/diff.json" 3002 3001 ||
            { cat "$work/console.$build" >&2; fail "the diff is not one ended, one started"; } ;;
    *) fail "unknown case $case" ;;
esac
echo "ok: $build $case"
