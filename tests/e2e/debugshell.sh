#!/usr/bin/env bash
# debugshell.sh BUILD CASE - the VM-root view through the debug shell as WSL really gives it
# (docs/wsl-emulator.md, "The debug shell"): a login that flushes early input and a console
# that outlives each wsl.exe, in the state its last client left it. Each case starts a lab of
# its own, runs wslns (BUILD: posix or windows, as tests/e2e/run.sh) and checks the report
# against the lab's ground truth.
#
# CASE:
#   flush           a fresh console whose login flushes input for 1.5 s: the view arrives
#   heredoc|noecho|halfline
#                   the console starts inside an open heredoc / with echo off / with half a
#                   line typed: the view arrives
#   killed          runs killed in the middle of their script (their wsl.exe stalls, the view
#                   times out) leave the console inside a heredoc, then a half line with the
#                   probe's directory in /tmp; the next run still works and removes it
#   mktemp-fail     mktemp fails in the console: the view fails saying so and no command
#                   runs after mktemp (nothing with an empty directory name)
#   stale-dirs      directories a killed distro view left in /tmp (root's, older than 10
#                   minutes) are removed by the next run; a young one (maybe in use), a
#                   user's and a symlink are left alone
set -uo pipefail

build=$1 case=$2
e2e=$(cd "$(dirname "$0")" && pwd)
: "${WSLNS_LAB:?}" "${WSLNS_PROBE:?}"
. "$WSLNS_LAB/harness.sh"
harness_init debugshell
harness_start_lab

# run_wslns REPORT [ARGS...]: the tool's exit code in $rc, its console output in $work/console
run_wslns() {
    local report=$1; shift
    local t0=$SECONDS
    if [[ $build == posix ]]; then
        "$WSLNS_BIN/wslns" --wsl "$WSLNS_LAB/wsl" --probe "$WSLNS_PROBE" --color never \
            --json "$report" "$@" > "$work/console" 2>&1
        rc=$?
    else
        [[ -n ${WSLNS_WINE:-} ]] || fail "no Wine"
        harness_start_relay
        WSLNS_RELAY_PORT=$relay_port "$WSLNS_WINE" "$WSLNS_BIN/wslns.exe" \
            --wsl "$(winpath "$WSLNS_BIN/wsl-stand-in/wsl.exe")" --probe "$(winpath "$WSLNS_PROBE")" \
            --color never --json "$(winpath "$report")" "$@" > "$work/console" 2>&1
        rc=$?
    fi
    echo "wslns ($build) exited $rc after $((SECONDS - t0)) s"
}

conf() { printf '%s\n' "$@" > "$WSLNS_LAB_DIR/emu.conf"; }
truth() { "$WSLNS_LAB/lab.sh" truth > "$1" || fail "lab.sh truth"; }
console_log() { echo "--- wslns console:" >&2; cat "$work/console" >&2; }

# The VM view is OK and the whole tree equals the truth (good path: generous budget).
expect_vm_ok() {
    truth "$work/after.json"
    [[ $rc == 0 ]] || { console_log; fail "wslns exited $rc, expected 0"; }
    python3 "$e2e/compare.py" "$1" "$work/before.json" "$work/after.json" --source vm=ok \
        --source distro:Ubuntu=ok ||
        { console_log; fail "report differs from the truth"; }
}

vm_reason() { # report -> "status: reason" of the VM source
    python3 -c 'import json,sys
for s in json.load(open(sys.argv[1]))["sources"]:
    if s["kind"] == "vm": print(s["status"] + ": " + (s.get("reason") or ""))' "$1"
}

truth "$work/before.json"
case $case in
    flush)
        conf EMU_DEBUG_SHELL_FLUSH=1.5
        run_wslns "$work/report.json" --timeout 120
        expect_vm_ok "$work/report.json" ;;
    heredoc|noecho|halfline)
        conf "EMU_DEBUG_SHELL_STATE=$case"
        run_wslns "$work/report.json" --timeout 120
        expect_vm_ok "$work/report.json" ;;
    killed)
        # A console already logged in (no flush hides what a killed run typed). The first
        # run's wsl.exe relays 3000 bytes (the middle of the probe's base64: the console is
        # left inside the heredoc); the second one's stops in the script's last line, after
        # the probe was decoded into its directory (which stays). Both time out.
        # The console's mktemp logs the directory it made (/tmp is shared with other tests:
        # only this trace says which directory is the killed run's).
        conf EMU_DEBUG_SHELL_STATE=idle EMU_DEBUG_SHELL_STALL=3000 EMU_DEBUG_SHELL_MKTEMP=log
        # Only the VM view (meant to hang) has a short budget; Ubuntu must answer under any load.
        run_wslns "$work/first.json" -d Ubuntu --no-system --timeout 150 --timeout vm=15
        got=$(vm_reason "$work/first.json")
        [[ $got == "failed: no answer within 15 s"* ]] ||
            { console_log; fail "first run: VM view is '$got', expected a timeout"; }
        # The console is inside the heredoc, echo off, PS2 empty (the killed run's ready echo
        # emptied it): the first ready echo (105 bytes) gets no output at all, so a second
        # later a reset (1 byte) and a second echo, answered; the script's first line (352
        # bytes), the base64 (lines of 2048 characters, common/base64.h), its terminator
        # line, then 150 bytes into the last line (about 390 bytes: one echo more or less
        # still stops inside it)
        b64=$(base64 -w 2048 < "$WSLNS_PROBE" | wc -c)
        conf EMU_DEBUG_SHELL_STALL=$((2 * 105 + 1 + 352 + b64 + 24 + 150))
        run_wslns "$work/second.json" -d Ubuntu --no-system --timeout 150 --timeout vm=15
        got=$(vm_reason "$work/second.json")
        [[ $got == "failed: no answer within 15 s"* ]] ||
            { console_log; fail "second run: VM view is '$got', expected a timeout"; }
        trace=$WSLNS_LAB_DIR/debugshell/trace
        left=$(sed -n 's/^mktemp .* -> //p' "$trace" 2>/dev/null | tail -n 1)
        echo "left by the killed run: ${left:-none}"
        [[ -n $left ]] && "$WSLNS_LAB/lab.sh" exec vm -- test -d "$left" ||
            fail "the killed run left no directory: the test proves nothing"
        conf
        run_wslns "$work/report.json" --timeout 120
        expect_vm_ok "$work/report.json"
        ! "$WSLNS_LAB/lab.sh" exec vm -- test -e "$left" ||
            fail "the killed run's directory $left is still there after the next run" ;;
    mktemp-fail)
        # A console already logged in: the test is about what the script does.
        conf EMU_DEBUG_SHELL_MKTEMP=fail EMU_DEBUG_SHELL_STATE=idle
        run_wslns "$work/report.json" -d Ubuntu --no-system --timeout 120
        got=$(vm_reason "$work/report.json")
        [[ $got == "failed: cannot create a private directory"* ]] ||
            { console_log; fail "VM view is '$got', expected the mktemp failure"; }
        trace=$WSLNS_LAB_DIR/debugshell/trace
        echo "commands the console ran:"; cat "$trace" 2>/dev/null
        grep -q '^mktemp' "$trace" || fail "mktemp was never called"
        after=$(sed -n '/^mktemp/,$p' "$trace" | tail -n +2)
        [[ -z $after ]] || fail "commands ran after mktemp failed: $after" ;;
    stale-dirs)
        tag=$(head -c 64 /dev/urandom | tr -dc 'A-Za-z0-9' | head -c 6)
        old=/tmp/wslns.${tag}Ol young=/tmp/wslns.${tag}Yo user=/tmp/wslns.${tag}Us
        link=/tmp/wslns.${tag}Ln target=$work/link-target
        mkdir -p "$old/sub" "$young" "$user" "$target"
        touch "$old/sub/wslns-probe" "$target/keep"
        chown 65534 "$user"
        ln -s "$target" "$link"
        touch -d '20 minutes ago' "$old" "$user" "$target"
        touch -h -d '20 minutes ago' "$link"
        conf EMU_DEBUG_SHELL_STATE=idle
        run_wslns "$work/report.json" --timeout 120
        expect_vm_ok "$work/report.json"
        problems=''
        [[ -e $old ]] && problems+=" $old (root's, 20 minutes old) is still there;"
        [[ -d $young ]] || problems+=" $young (young, maybe in use) was removed;"
        [[ -d $user ]] || problems+=" $user (not root's) was removed;"
        [[ -L $link && -e $target/keep ]] || problems+=" the symlink $link or its target was touched;"
        rm -rf "$old" "$young" "$user" "$link"
        [[ -z $problems ]] || fail "$problems" ;;
    *) fail "unknown case $case" ;;
esac
echo "ok: $build $case"
