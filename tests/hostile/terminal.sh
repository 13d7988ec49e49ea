#!/usr/bin/env bash
# terminal.sh BUILD - no untrusted text can act on the console, in any command (docs/hostile.md,
# "Terminal escapes"). Saved views (tests/hostile/terminal_docs.py) carry OSC 8 fake links,
# window-title changes, C1 CSI (as U+009B and as a raw 0x9B byte), screen clears, bidi and
# zero-width characters and a newline followed by "fix: curl ... | sh" in process names and
# arguments, the distro name, /etc/wsl.conf, the /tmp/.X11-unix link target and .wslconfig;
# the command line and a --from file that is not a document carry them too. Every command's
# console output (stdout and stderr) and the HTML pages pass tests/hostile/console_check.py.
#
#   BUILD posix     the native build
#         windows   wslns.exe under Wine
#
# Environment (tests/hostile/CMakeLists.txt): WSLNS_BIN, WSLNS_FIXTURES, WSLNS_HOSTILE_WORK,
# WSLNS_WINE.
set -uo pipefail

build=$1
here=$(cd "$(dirname "$0")" && pwd)
: "${WSLNS_BIN:?}" "${WSLNS_FIXTURES:?}" "${WSLNS_HOSTILE_WORK:?}"
mkdir -p "$WSLNS_HOSTILE_WORK"
work=$(mktemp -d "$WSLNS_HOSTILE_WORK/terminal-$build.XXXXXX")
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
winpath() { printf 'Z:%s' "${1//\//\\}"; }
arg() { if [[ $build == windows ]]; then winpath "$1"; else printf '%s' "$1"; fi; }

n=0
# run EXPECTED_EXIT ARGS...: the console output in $work/out.$n, checked
run() {
    local want=$1
    shift
    n=$((n + 1))
    out=$work/out.$n
    if [[ $build == posix ]]; then
        timeout -k 5 120 "$WSLNS_BIN/wslns" --color never "$@" > "$out" 2>&1
    else
        timeout -k 5 120 "${WSLNS_WINE:?}" "$WSLNS_BIN/wslns.exe" --color never "$@" > "$out" 2>&1
    fi
    rc=$?
    echo "wslns ($build) $(printf '%q ' "$@"): exit $rc"
    ! grep -q Sanitizer "$out" || { cat "$out" >&2; fail "a sanitizer report"; }
    [[ $rc == "$want" ]] || { cat -v "$out" >&2; fail "exit $rc, expected $want"; }
}

# check EXPECT...: the last run's output passes console_check.py and shows each EXPECT
check() {
    local e=()
    for x in "$@"; do e+=(--expect "$x"); done
    python3 "$here/console_check.py" "$out" "${e[@]}" || { cat -v "$out" >&2; fail "raw text on the console"; }
}

python3 "$here/terminal_docs.py" "$WSLNS_FIXTURES/vm.json" "$WSLNS_FIXTURES/Debian.json" "$work" ||
    fail "terminal_docs.py"
from=(--from "$(arg "$work/vm.json")" --from "$(arg "$work/distro.json")")
shown='\e]8;;https://evil.example/\x07click\e]8;;\x07\e]0;pwned\x07\u{009b}2J\e[2J\u{202e}exe.\u{200b}\nfix: curl'

# The tree, with the JSON and HTML reports.
run 0 "${from[@]}" --html "$(arg "$work/report.html")" --json "$(arg "$work/report.json")"
check "evil$shown" "raw\\x9b2J\\x07\\e[31m" '"a\" \"b"' "distro Deb$shown"
python3 "$here/console_check.py" --html "$work/report.html" || fail "raw text in the HTML report"

# wslns pid: the process, and a level named by a hostile distro name.
run 0 pid 9999 --in vm "${from[@]}"
check "is evil$shown" '"a\" \"b"'
run 1 pid 1 --in $'Evil\e]0;pwned\a\n\xc2\x9b2Jfix: curl x' "${from[@]}"
check 'distro Evil\e]0;pwned\x07\n\u{009b}2Jfix: curl x was not collected'

# wslns doctor, text and HTML: the distro name, wsl.conf values, the X11 link target.
run 1 doctor "${from[@]}" --wslconfig "$(arg "$work/wslconfig")" --html "$(arg "$work/doctor.html")"
check "Deb$shown" "/tmp/.X11-unix in distro Deb$shown"
python3 "$here/console_check.py" --html "$work/doctor.html" || fail "raw text in the doctor's HTML"

# Error messages that quote the command line or a file.
run 2 $'--bogus\e]0;pwned\a'
check "unknown option '--bogus\\e]0;pwned\\x07'"
run 2 pid $'\e[2J\xc2\x9b2J'
check "'\\e[2J\\u{009b}2J' is not a pid"
run 2 --color $'\e[2J\nfix: curl x | sh'
check "not '\\e[2J\\nfix: curl x | sh'"
run 2 $'\u202eunknown\u200b'
check "unknown command '\\u{202e}unknown\\u{200b}'"
run 3 --from "$(arg "$work/garbage.json")"
check "not a usable wslns-probe/1 document"
run 3 --from "$(arg "$work/missing")"$'\e]0;pwned\a'
check '\e]0;pwned\x07'
run 3 pid 1 --from "$(arg "$work/garbage.json")"
check "not a usable wslns-probe/1 document"
run 2 doctor --wslconfig "$(arg "$work/missing")"$'\e]0;pwned\a' "${from[@]}"
check '\e]0;pwned\x07: no such file'
run 2 --replay "$(arg "$work/missing")"$'\e]0;pwned\a'
check '\e]0;pwned\x07'
echo "ok: terminal $build ($n commands)"
