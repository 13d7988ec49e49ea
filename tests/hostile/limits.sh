#!/usr/bin/env bash
# limits.sh CASE BUILD - the size caps that are not about one view's document (docs/limits.md):
# each one hit must be said, never a silent cut.
#
#   probe-size   --probe names a 65 MiB file: refused before anything runs (exit 3)
#   wslconfig    wslns doctor --wslconfig names a 2 MiB file: a finding says it was not read
#   list-size    wsl.exe --list --verbose writes 2 MiB: refused, never parsed cut (exit 3;
#                POSIX only: the Windows build reaches a wsl.exe only through the relay)
#
# Environment as for run.sh (tests/hostile/CMakeLists.txt).
set -uo pipefail

case=$1 build=$2
: "${WSLNS_BIN:?}" "${WSLNS_FIXTURES:?}" "${WSLNS_HOSTILE_WORK:?}"
mkdir -p "$WSLNS_HOSTILE_WORK"
work=$(mktemp -d "$WSLNS_HOSTILE_WORK/limit-$case-$build.XXXXXX")
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; [[ -f $work/out ]] && cat "$work/out" >&2; exit 1; }
winpath() { printf 'Z:%s' "${1//\//\\}"; }
arg() { if [[ $build == windows ]]; then winpath "$1"; else printf '%s' "$1"; fi; }

wslns() { # ARGS...: exit code in $rc, stdout and stderr in $work/out
    if [[ $build == posix ]]; then
        timeout -k 5 240 "$WSLNS_BIN/wslns" --color never "$@" > "$work/out" 2>&1
    else
        timeout -k 5 240 "${WSLNS_WINE:?}" "$WSLNS_BIN/wslns.exe" --color never "$@" > "$work/out" 2>&1
    fi
    rc=$?
    echo "wslns ($build) $case: exit $rc"
    ! grep -q Sanitizer "$work/out" || fail "a sanitizer report"
}

expect() { # EXIT REGEX
    [[ $rc == "$1" ]] || fail "exit $rc, expected $1"
    grep -Eq "$2" "$work/out" || fail "the output does not say /$2/"
}

case $case in
    probe-size)
        head -c $((65 << 20)) /dev/zero > "$work/probe"
        wslns --wsl "$(arg "$work/no-wsl")" --probe "$(arg "$work/probe")"
        expect 3 'larger than 64 MiB: not a wslns-probe binary' ;;
    wslconfig)
        { echo '[wsl2]'; head -c $((2 << 20)) /dev/zero | tr '\0' '#'; echo; } > "$work/wslconfig"
        wslns doctor --from "$(arg "$WSLNS_FIXTURES/Ubuntu.json")" --wslconfig "$(arg "$work/wslconfig")"
        grep -Eq 'larger than 1024 KiB' "$work/out" ||
            fail "the output does not say the .wslconfig was too large"
        ! grep -q 'does not exist' "$work/out" ||
            fail "the header says the .wslconfig does not exist although it does" ;;
    list-size)
        [[ $build == posix ]] || fail "list-size is POSIX only"
        printf '#!/bin/sh\nhead -c 2097152 /dev/zero | tr "\\\\0" a\n' > "$work/wsl"
        chmod +x "$work/wsl"
        wslns --wsl "$work/wsl" --probe "$WSLNS_BIN/wslns-probe-native"
        expect 3 'wrote more than 1 MiB, far more than a distro list' ;;
    *) fail "unknown case $case" ;;
esac
echo "ok: $case $build"
