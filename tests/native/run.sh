#!/usr/bin/env bash
# run.sh CASE - one test of how wslns behaves as a native tool (tests/native/CMakeLists.txt). The
# collection cases use the wsl.exe emulator on the namespace-free stand-in lab
# (emu_fake_lab.sh) with the native probe, so they need no lab and take seconds; the Windows
# ones run wslns.exe under Wine through wsl-stand-in\wsl.exe and wslns-relay-server.
#
# Environment (from tests/native/CMakeLists.txt): WSLNS_BIN, WSLNS_LAB, WSLNS_SRC, WSLNS_HOST_DATA,
# WSLNS_WINE and the Wine variables for the Windows cases.
set -uo pipefail

case=$1
: "${WSLNS_BIN:?}" "${WSLNS_LAB:?}" "${WSLNS_SRC:?}" "${WSLNS_HOST_DATA:?}"
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/wslns-native.XXXXXX)
relay_pid='' tool_pid=''
# Every emulator process inherits this from the relay server or from wslns: a process
# that still carries it after the tool has ended is a child that outlived it.
tag=wslns-native-$$-$RANDOM

cleanup() {
    local rc=$?
    [[ -n $tool_pid ]] && kill -KILL "$tool_pid" 2> /dev/null
    [[ -n $relay_pid ]] && kill "$relay_pid" 2> /dev/null && wait "$relay_pid" 2> /dev/null
    rm -rf "$work"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

fail() { echo "FAIL: $*" >&2; exit 1; }
winpath() { printf 'Z:%s' "${1//\//\\}"; }
wine_run() { "${WSLNS_WINE:?no Wine}" "$@"; }

# The stand-in lab: Ubuntu answers, Debian never does (EMU_HANG).
export WSLNS_LAB_SH=$WSLNS_LAB/emu_fake_lab.sh WSLNS_LAB_DIR=$work/lab
export FAKE_LAB_VIEWS="vm Ubuntu Debian" EMU_DISTROS="*Ubuntu:Running:2,Debian:Running:2"
export EMU_GUI=off EMU_HANG=Debian EMU_LOG=$work/emu.log
mkdir -p "$WSLNS_LAB_DIR"

# The children that carry the tag, one "pid cmdline" line each: the emulator (and the runner
# and probe it starts) or the stand-in wsl.exe. The relay server itself stays; Wine's own
# services may carry the tag when this run started them, and are no children of wslns.
# pgrep picks the few candidates by command line first: a machine may run 10,000 processes.
tagged_children() {
    local pid cmd
    for pid in $(pgrep -f 'tests/lab/|wsl-stand-in|wslns-probe|mktemp'); do
        [[ $pid == "$relay_pid" ]] && continue
        grep -qa "WSLNS_NATIVE_TAG=$tag" "/proc/$pid/environ" 2> /dev/null || continue
        cmd=$(tr '\0' ' ' < "/proc/$pid/cmdline" 2> /dev/null) || continue
        printf '%s %s\n' "$pid" "$cmd"
    done
}

leftovers() { tagged_children; }

# Whether a child working for Ubuntu's views still runs (FAKE_VIEW, the relayed command line
# or its own command line names Ubuntu).
ubuntu_running() {
    local pid cmd
    while read -r pid cmd; do
        [[ $cmd == *"-d Ubuntu"* ]] && return 0
        grep -qaE 'FAKE_VIEW=Ubuntu|WSLNS_WSL_CMDLINE=.*-d Ubuntu' "/proc/$pid/environ" 2> /dev/null &&
            return 0
    done < <(tagged_children)
    return 1
}

# The hanging view has been asked for and the answering one has answered: events, not a
# clock (a loaded machine may take any time for either; the budgets are generous).
wait_for_hang() {
    local until=$((SECONDS + 120))
    while ((SECONDS < until)); do
        if grep -q Debian "$EMU_LOG" 2> /dev/null && grep -q Ubuntu "$EMU_LOG" &&
            ! ubuntu_running; then
            return
        fi
        sleep 0.1
    done
    fail "after 120 s Debian was not asked for or Ubuntu did not answer: $(cat "$EMU_LOG" "$work/err" 2> /dev/null)"
}

start_relay() {
    WSLNS_NATIVE_TAG=$tag "$WSLNS_BIN/wslns-relay-server" --port-file "$work/port" -- \
        "$WSLNS_LAB/wsl" 2> "$work/relay.log" &
    relay_pid=$!
    for _ in $(seq 600); do [[ -s $work/port ]] && return; sleep 0.1; done
    fail "wslns-relay-server wrote no port file: $(cat "$work/relay.log")"
}

# Ubuntu must answer whatever the load; Debian hangs and must still be waiting when the
# signal comes, so neither budget may run out first.
budgets=(--timeout 150 --timeout Debian=600)

# Starts wslns (posix) or wslns.exe (windows) in the background on the stand-in lab.
start_tool() {
    if [[ $1 == posix ]]; then
        WSLNS_NATIVE_TAG=$tag "$WSLNS_BIN/wslns" --wsl "$WSLNS_LAB/wsl" \
            --probe "$WSLNS_BIN/wslns-probe-native" --no-debug-shell "${budgets[@]}" \
            --json "$work/report.json" > "$work/out" 2> "$work/err" &
    else
        start_relay
        WSLNS_NATIVE_TAG=$tag WSLNS_RELAY_PORT=$(cat "$work/port") wine_run "$WSLNS_BIN/wslns.exe" \
            --wsl "$(winpath "$WSLNS_BIN/wsl-stand-in/wsl.exe")" \
            --probe "$(winpath "$WSLNS_BIN/wslns-probe-native")" --no-debug-shell "${budgets[@]}" \
            --json "$(winpath "$work/report.json")" > "$work/out" 2> "$work/err" &
    fi
    tool_pid=$!
}

# The Linux process that is wslns.exe (wine's own launcher may have handed over to it).
tool_process() {
    # The --json path names this test's own directory: parallel tests run wslns.exe too.
    if [[ $1 == posix ]]; then echo "$tool_pid"; else pgrep -f "wslns\\.exe --wsl .*${work##*/}" | head -1; fi
}

stop_tool() { # BUILD SIGNAL EXPECTED_EXIT
    local target
    target=$(tool_process "$1")
    [[ -n $target ]] || fail "the tool is not running"
    kill "-$2" "$target"
    local t0=$SECONDS
    wait "$tool_pid"
    rc=$? tool_pid=''
    echo "wslns ($1) ended with $rc $((SECONDS - t0)) s after SIG$2"
    [[ $rc == "$3" ]] || { cat "$work/err" >&2; fail "exit $rc, expected $3"; }
    # Not a speed check: a tool that ignored the signal would wait for Debian's 600 s.
    ((SECONDS - t0 <= 60)) || fail "took $((SECONDS - t0)) s to stop"
    # Killed children end at once, but the kernel may take a moment to tear them down.
    local left until=$((SECONDS + 30))
    while :; do
        left=$(leftovers)
        [[ -z $left ]] || ((SECONDS >= until)) && break
        sleep 0.1
    done
    [[ -z $left ]] || fail "children outlived the tool by 30 s: $left"
}

check_partial_report() {
    grep -q 'distro Debian: interrupted (Ctrl+C) before it answered' "$work/out" ||
        { cat "$work/out" "$work/err" >&2; fail "Debian is not reported as interrupted"; }
    grep -q 'wslns: interrupted' "$work/err" || fail "no interruption message on stderr"
    python3 - "$work/report.json" <<'EOF' || fail "the JSON report lacks the views that answered"
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
status = {(s["kind"], s["distro"]): s["status"] for s in doc["sources"]}
assert status[("distro", "Ubuntu")] == "ok", status
assert status[("distro", "Debian")] == "failed", status
EOF
}

# A saved document with a process name that is not ASCII, to see UTF-8 go through intact
# (used alone: with the VM's view next to it, the merge would name the process as that does).
# unicode_document FILE [bmp]: a lab document whose first process is named with non-ASCII
# text, including a character above U+FFFF unless "bmp" is given.
unicode_document() {
    python3 - "$WSLNS_HOST_DATA/lab/Ubuntu.json" "$1" "${2:-}" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
doc["processes"][0]["comm"] = "Ünï-ツ-" + ("" if sys.argv[3] == "bmp" else "😀")
json.dump(doc, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
EOF
}

# Output that must be plain UTF-8 text: valid, without one escape sequence.
check_plain_utf8() { # FILE WHAT
    python3 - "$1" "$2" <<'EOF'
import sys
data = open(sys.argv[1], "rb").read()
what = sys.argv[2]
text = data.decode("utf-8")  # raises on invalid UTF-8
assert "\x1b" not in text, f"{what}: an escape sequence: {text[:200]!r}"
assert "Ünï-ツ-😀" in text, f"{what}: the non-ASCII name is missing or mangled"
assert "\r\n" not in text, f"{what}: CRLF line ends"
EOF
}

check_usage() { # FILE
    python3 - "$1" <<'EOF'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
long = [l for l in text.splitlines() if len(l) > 80]
assert not long, f"lines over 80 columns: {long}"
for needed in ("usage: wslns", "cmd.exe", "PowerShell", "ConvertFrom-Json", "/?"):
    assert needed in text, f"the usage lacks {needed!r}"
EOF
}

# console_case timeout|interrupt [doctor]: wslns.exe (or wslns.exe doctor) on Wine's console (a pty), with console-check.exe
# as its wsl.exe; that stand-in does to the console what wsl.exe's ConsoleState does and
# hangs. console-check.exe, the parent on the same console, notes the console's modes and
# code pages before, while and after wslns.exe runs (tests/native/console_check.c). The
# user's console must come out as it went in, whether the stand-in is killed at the
# timeout or by Ctrl+C: the stand-in must not reach it at all, and when something else
# changed the console while wslns ran (console-check.exe does, once the stand-in runs),
# wslns gives the console back as it found it.
console_case() {
    local result=$work/console.txt marker=$work/marker timeout=600 script_pid pid
    # The stand-in hangs for ever: its timeout is the one meant to expire (long enough for
    # Wine to start the stand-in on a loaded machine first).
    [[ $1 == timeout ]] && timeout=30
    CONSOLE_CHECK_MARKER=$(winpath "$marker") TERM=xterm script -qec "'$WSLNS_WINE' \
        '$WSLNS_BIN/console-check.exe' run '$(winpath "$result")' '$(winpath "$marker")' \
        '$(winpath "$WSLNS_BIN/wslns.exe")' ${2:-} --wsl '$(winpath "$WSLNS_BIN/console-check.exe")' \
        --probe '$(winpath "$WSLNS_BIN/wslns-probe-native")' --timeout $timeout --color never \
        --json '$(winpath "$work/report.json")'" /dev/null < /dev/null > "$work/tty" 2>&1 &
    script_pid=$!
    if [[ $1 == interrupt ]]; then
        for _ in $(seq 450); do
            grep -q '^changed' "$result" 2> /dev/null && break
            kill -0 "$script_pid" 2> /dev/null || break
            sleep 0.2
        done
        grep -q '^changed' "$result" 2> /dev/null ||
            fail "the stand-in never ran: $(cat "$result" 2> /dev/null; cat -v "$work/tty")"
        pid=$(pgrep -f "^[^ ]*wslns\\.exe ${2:+$2 }--wsl .*${work##*/}" | head -1)
        [[ -n $pid ]] || fail "wslns.exe is not running"
        kill -INT "$pid"
    fi
    wait "$script_pid"
    echo "stand-in: $(cat "$marker" 2> /dev/null || echo 'never ran')"
    cat "$result" 2> /dev/null
    python3 - "$result" "$1" "$marker" <<'EOF' || { cat -v "$work/tty" | tail -5 >&2; fail "the console changed"; }
import sys
# wsl.exe's ConsoleState opens CONIN$ and CONOUT$ itself: with no console both must fail.
try:
    stand_in = open(sys.argv[3]).read()
except FileNotFoundError:
    raise AssertionError("the stand-in wsl.exe never ran")
assert "CONIN$ failed" in stand_in and "CONOUT$ failed" in stand_in, f"the child has a console: {stand_in}"
lines = open(sys.argv[1]).read().splitlines()
states = {l.split()[0]: dict(kv.split("=") for kv in l.split()[1:]) for l in lines if "=" in l}
before, after = states["before"], states["after"]
assert any(l.startswith("exit ") for l in lines), "wslns.exe did not end"
if "during" in states:
    during = dict(states["during"])
    # wslns itself makes the output code page UTF-8 while it writes to the console.
    del during["ocp"]
    expected = {k: v for k, v in before.items() if k != "ocp"}
    assert during == expected, f"a wsl.exe child changed the console: {before} -> {during}"
elif sys.argv[2] == "interrupt":
    raise AssertionError("no state noted while wslns.exe ran")
assert after == before, f"the console is not as it was: {before} -> {after}"
EOF
}

case $case in
    interrupt-posix)
        start_tool posix
        wait_for_hang
        stop_tool posix INT 1
        check_partial_report ;;
    terminate-posix)
        start_tool posix
        wait_for_hang
        stop_tool posix TERM 1
        check_partial_report ;;
    interrupt-windows)
        # Wine turns SIGINT into the console's Ctrl+C event (CTRL_C_EVENT).
        start_tool windows
        wait_for_hang
        stop_tool windows INT 1
        check_partial_report ;;
    kill-windows)
        # Nothing runs in wslns.exe: the job objects alone must take every child with it.
        start_tool windows
        wait_for_hang
        stop_tool windows KILL 137 ;;
    progress-posix)
        # A terminal (script gives one) gets the live line; a file gets none of it.
        unset EMU_HANG
        cmd="'$WSLNS_BIN/wslns' --wsl '$WSLNS_LAB/wsl' --probe '$WSLNS_BIN/wslns-probe-native'"
        cmd+=" --no-debug-shell --color never > '$work/tree'"
        script -qec "$cmd" /dev/null > "$work/tty" < /dev/null || true
        grep -q $'\rwslns: 0 of 4 views in; waiting for Ubuntu, system:Ubuntu' "$work/tty" ||
            { cat -A "$work/tty" >&2; fail "no progress line on the terminal"; }
        grep -q 'wslns: 4 of 4 views in' "$work/tty" || fail "the progress line never reached 4 of 4"
        "$WSLNS_BIN/wslns" --wsl "$WSLNS_LAB/wsl" --probe "$WSLNS_BIN/wslns-probe-native" \
            --no-debug-shell --color never > "$work/tree" 2> "$work/err"
        ! grep -q 'views in' "$work/err" || fail "progress written into a file: $(cat -A "$work/err")" ;;
    progress-windows)
        # Wine's console on a pty: the line is drawn there, then cleared before the tree
        # (stderr is buffered on Windows: a missing flush put the tree behind the line).
        unset EMU_HANG
        start_relay
        WSLNS_RELAY_PORT=$(cat "$work/port") TERM=xterm script -qec "'$WSLNS_WINE' \
            '$WSLNS_BIN/wslns.exe' --wsl '$(winpath "$WSLNS_BIN/wsl-stand-in/wsl.exe")' \
            --probe '$(winpath "$WSLNS_BIN/wslns-probe-native")' --no-debug-shell \
            --color never" /dev/null < /dev/null > "$work/tty"
        python3 - "$work/tty" <<'EOF' || { cat -v "$work/tty" | head -5 >&2; fail "progress on the console"; }
import re, sys
text = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
assert "wslns: 0 of 4 views in; waiting for Ubuntu, system:Ubuntu" in text, "no first state"
assert "wslns: 4 of 4 views in" in text, "never reached 4 of 4"
lines = re.split(r"[\r\n]+", re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text))
mixed = [l for l in lines if "views in" in l and "pid:[" in l]
assert not mixed, f"the tree was drawn behind the progress line: {mixed[:1]}"
assert any("distro Ubuntu" in l for l in lines), "no tree"
EOF
        ;;
    no-wsl-posix)
        # A wsl.exe in the current directory (or a relative PATH entry) must never run.
        mkdir "$work/cwd"
        printf '#!/bin/sh\ntouch %s/planted-ran\n' "$work" > "$work/cwd/wsl.exe"
        chmod +x "$work/cwd/wsl.exe"
        (cd "$work/cwd" && PATH=".::/usr/bin:/bin" "$WSLNS_BIN/wslns" \
            --probe "$WSLNS_BIN/wslns-probe-native" > "$work/out" 2> "$work/err")
        rc=$?
        [[ ! -e $work/planted-ran ]] || fail "ran the wsl.exe of the current directory"
        [[ $rc == 3 ]] || fail "exit $rc, expected 3"
        grep -q 'no wsl.exe on PATH.*--wsl PATH' "$work/err" || fail "unclear message: $(cat "$work/err")"
        # ... while one in an absolute PATH entry is found and driven.
        mkdir "$work/bin" && ln -s "$WSLNS_LAB/wsl" "$work/bin/wsl.exe"
        unset EMU_HANG
        PATH="$work/bin:$PATH" "$WSLNS_BIN/wslns" --probe "$WSLNS_BIN/wslns-probe-native" \
            --no-debug-shell > "$work/out" 2> "$work/err"
        rc=$?
        [[ $rc == 0 ]] || { cat "$work/err" >&2; fail "with wsl.exe on PATH: exit $rc"; } ;;
    not-installed-windows)
        # Wine has no wsl.exe: the message says so and how to install it; a wsl.exe in the
        # current directory is not taken instead.
        mkdir "$work/cwd" && cp "$WSLNS_BIN/wsl-stand-in/wsl.exe" "$work/cwd/wsl.exe"
        (cd "$work/cwd" && wine_run "$WSLNS_BIN/wslns.exe" > "$work/out" 2> "$work/err")
        rc=$?
        [[ $rc == 3 ]] || { cat "$work/err" >&2; fail "exit $rc, expected 3"; }
        # shellcheck disable=SC2016 # the backquotes are text the message must show
        for needed in "WSL is not installed" 'system32\wsl.exe' 'WindowsApps\wsl.exe' \
            '`wsl --install`' '`winget install Microsoft.WSL`' '--wsl PATH'; do
            grep -qiF -- "$needed" "$work/err" || fail "the message lacks '$needed': $(cat "$work/err")"
        done ;;
    usage-posix)
        for flag in --help -h /?; do
            "$WSLNS_BIN/wslns" "$flag" > "$work/usage" || fail "$flag: exit $?"
            check_usage "$work/usage" || fail "$flag"
        done ;;
    usage-windows)
        for flag in --help -h /?; do
            wine_run "$WSLNS_BIN/wslns.exe" "$flag" > "$work/usage" 2> "$work/err" || fail "$flag: exit $?"
            check_usage "$work/usage" || fail "$flag"
            "$WSLNS_BIN/wslns" --help | cmp -s - "$work/usage" ||
                fail "$flag: wslns.exe's usage differs from wslns --help"
        done ;;
    unicode-windows)
        # Non-ASCII in arguments and paths, on both sides: the document read from and the
        # report written to C:\users\Ünïcødé-N (Wine maps it into the prefix).
        : "${WINEPREFIX:?}"
        dir="Ünïcødé-$$"
        mkdir -p "$work/$dir" "$WINEPREFIX/drive_c/users/$dir"
        trap 'rm -rf "$WINEPREFIX/drive_c/users/$dir"; cleanup' EXIT
        unicode_document "$work/$dir/Ubuntu.json"
        wine_run "$WSLNS_BIN/wslns.exe" --color auto --from "$(winpath "$work/$dir/Ubuntu.json")" \
            --json "C:\\users\\$dir\\out.json" \
            > "$work/tree" 2> "$work/err"
        rc=$?
        [[ $rc == 0 ]] || { cat "$work/err" >&2; fail "exit $rc"; }
        out=$WINEPREFIX/drive_c/users/$dir/out.json
        [[ -s $out ]] || fail "no report at C:\\users\\$dir\\out.json"
        check_plain_utf8 "$out" "the --json file" || fail "the JSON report"
        python3 -c 'import json,sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$out" ||
            fail "the JSON report does not parse"
        check_plain_utf8 "$work/tree" "the tree redirected to a file" || fail "the tree in a file" ;;
    pipe-windows)
        # What PowerShell's `wslns --json - | ConvertFrom-Json` and `wslns | more` get: bytes
        # through a pipe, valid UTF-8, no colour even with --color auto.
        unicode_document "$work/Ubuntu.json"
        args=(--color auto --from "$(winpath "$work/Ubuntu.json")")
        # --json - is ASCII (\u escapes): PowerShell 5.1 decodes it with the OEM code page.
        wine_run "$WSLNS_BIN/wslns.exe" "${args[@]}" --json - 2> "$work/err" | cat > "$work/json"
        python3 - "$work/json" <<'EOF' || fail "--json - through a pipe"
import json, sys
data = open(sys.argv[1], "rb").read()
assert data and max(data) < 0x80, "not ASCII"
doc = json.loads(data)
names = [p["comm"] for p in doc["processes"]]
assert "Ünï-ツ-😀" in names, f"the name did not survive: {names[:3]}"
EOF
        wine_run "$WSLNS_BIN/wslns.exe" "${args[@]}" 2> "$work/err" | cat > "$work/tree"
        check_plain_utf8 "$work/tree" "the tree into a pipe" || fail "the tree through a pipe"
        ! grep -q 'views in' "$work/err" || fail "a progress line on a non-console stderr" ;;
    console-windows)
        # Started from a terminal, Wine gives wslns.exe a real console (GetConsoleMode works)
        # drawn on the pty: what the console got must decode to the name, not to U+FFFD.
        # Only characters up to U+FFFF: Wine's console turns each half of a surrogate pair
        # into U+FFFD on its way to the pty (docs/windows-manual-checks.md covers the rest).
        unicode_document "$work/Ubuntu.json" bmp
        TERM=xterm script -qec "'$WSLNS_WINE' '$WSLNS_BIN/wslns.exe' --color never \
            --from '$(winpath "$work/Ubuntu.json")'" /dev/null < /dev/null > "$work/tty"
        python3 - "$work/tty" <<'EOF' || { cat -A "$work/tty" | head -5 >&2; fail "console output"; }
import sys
text = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
assert "\ufffd" not in text, "U+FFFD on the console: UTF-8 sequences arrived in pieces"
assert "Ünï-ツ-" in text and "└─" in text, "the name or the tree lines are missing"
EOF
        ;;
    no-self-dir-posix)
        # /proc hidden (a mount namespace of its own): the program cannot tell its own
        # folder, and must then refuse, never take a wslns-probe from the current directory.
        mkdir "$work/cwd"
        printf '#!/bin/sh\ntouch %s/planted-ran\n' "$work" > "$work/cwd/wslns-probe"
        chmod +x "$work/cwd/wslns-probe"
        # The sanitizer build reads its options from /proc/self/environ and LeakSanitizer
        # needs /proc to find threads: the empty /proc gets a self/environ with leak checking
        # off for this one run (there is still no self/exe, which is what this case hides).
        (cd "$work/cwd" && ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
            unshare -rm sh -c 'mount -t tmpfs none /proc && mkdir /proc/self &&
                env -0 > /proc/self/environ && exec "$@"' sh \
            "$WSLNS_BIN/wslns" --wsl "$WSLNS_LAB/wsl" --no-debug-shell > "$work/out" 2> "$work/err")
        rc=$?
        cat "$work/err"
        [[ $rc == 3 ]] || fail "exit $rc, expected 3"
        grep -q 'cannot tell which folder wslns runs from.*--probe PATH' "$work/err" ||
            fail "no clear message"
        [[ ! -s $EMU_LOG ]] || fail "wsl.exe was run: $(cat "$EMU_LOG")"
        [[ ! -e $work/planted-ran ]] || fail "the planted probe ran" ;;
    dll-planting-windows)
        # userenv.dll is not a KnownDLL: Windows (and Wine) would take one from wslns.exe's
        # folder (an unzipped download) before System32's. This one, planted there, must not
        # load, while doctor still finds the profile's .wslconfig through userenv.
        mkdir "$work/app"
        cp "$WSLNS_BIN/wslns.exe" "$WSLNS_BIN/planted/userenv.dll" "$work/app/"
        PLANTED_DLL_MARKER=$(winpath "$work/planted-ran") wine_run "$work/app/wslns.exe" doctor \
            --from "$(winpath "$WSLNS_HOST_DATA/lab/Ubuntu.json")" > "$work/out" 2> "$work/err"
        rc=$?
        [[ ! -e $work/planted-ran ]] || fail "the userenv.dll planted beside wslns.exe was loaded"
        [[ $rc == 0 || $rc == 1 ]] || fail "doctor: exit $rc: $(cat "$work/err")"
        ! grep -q 'user profile' "$work/err" || fail "no profile: $(cat "$work/err")"
        grep -q 'Ubuntu' "$work/out" || fail "no report: $(cat "$work/out" "$work/err")" ;;
    imports-windows)
        # The loader maps a KnownDLL from System32 whatever folder the program is in; any
        # other DLL wslns.exe imported would be looked for in its own folder first (DLL
        # planting). Windows 10 22H2 / 11's list, HKLM\SYSTEM\CurrentControlSet\Control\
        # Session Manager\KnownDLLs (docs/windows-manual-checks.md D2 compares it).
        known=" advapi32 clbcatq combase comdlg32 coml2 difxapi gdi32 gdiplus imagehlp imm32
            kernel32 msctf msvcrt normaliz nsi ole32 oleaut32 psapi rpcrt4 sechost setupapi
            shcore shell32 shlwapi user32 wldap32 ws2_32 "
        known=$(echo $known)
        x86_64-w64-mingw32-objdump -p "$WSLNS_BIN/wslns.exe" > "$work/pe" ||
            fail "objdump cannot read wslns.exe"
        imports=$(sed -n 's/^[[:space:]]*DLL Name: //p' "$work/pe" | tr 'A-Z' 'a-z')
        # ... and every later load is restricted to System32 (entry_win32.c wmain).
        grep -q '[[:space:]]SetDefaultDllDirectories$' "$work/pe" ||
            fail "wslns.exe does not call SetDefaultDllDirectories"
        echo "wslns.exe imports:" $imports
        [[ -n $imports ]] || fail "no import table read from wslns.exe"
        for dll in $imports; do
            [[ " $known " == *" ${dll%.dll} "* ]] ||
                fail "wslns.exe imports $dll, not a KnownDLL: load it with LoadLibraryExW(..., LOAD_LIBRARY_SEARCH_SYSTEM32)"
        done ;;
    console-timeout-windows)
        console_case timeout ;;
    console-interrupt-windows)
        console_case interrupt ;;
    console-doctor-interrupt-windows)
        console_case interrupt doctor ;;
    version-windows)
        resource=$(python3 "$here/versioninfo.py" "$WSLNS_BIN/wslns.exe") || fail "no VERSIONINFO"
        tool=$(wine_run "$WSLNS_BIN/wslns.exe" --version 2> /dev/null | tr -d '\r')
        probe=$("$WSLNS_BIN/wslns-probe" --version)
        project=$(sed -n 's/^project(wslns VERSION \([0-9.]*\).*/\1/p' "$WSLNS_SRC/CMakeLists.txt")
        echo "resource: $resource / wslns.exe: $tool / wslns-probe: $probe / CMakeLists.txt: $project"
        [[ $resource == "$project.0 $project $project" ]] ||
            fail "VERSIONINFO says '$resource', CMakeLists.txt $project"
        [[ $tool == "wslns $project" ]] || fail "wslns.exe --version says '$tool'"
        [[ $probe == *" $project" ]] || fail "wslns-probe --version says '$probe'" ;;
    package)
        bash "$here/package_check.sh" "$work" || exit 1 ;;
    *) fail "unknown case $case" ;;
esac
echo "ok: $case"
