#!/usr/bin/env bash
# Fuzzes the config reader (win/wslconf.c) and the GUI-apps evaluation (win/gui_state.c) with
# libFuzzer, ASan and UBSan for a bounded time:
#
#   scripts/fuzz-config.sh [SECONDS]        (default 60)
#
# The corpus starts from tests/unit/data/config (each file once as .wslconfig, once as
# wsl.conf). WSLNS_FUZZ_DIR chooses the work directory (default: a new temporary one);
# crash inputs are left there as crash-*. Exit status: 0 when the run ended without a
# finding, 1 on a crash, sanitizer report or contract violation, 2 when it cannot run
# (no clang with libFuzzer: Debian's clang + libclang-rt-dev).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-60}"
case "$seconds" in ''|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;; esac

work="${WSLNS_FUZZ_DIR:-}"
if [ -z "$work" ]; then
    work="$(mktemp -d "${TMPDIR:-/tmp}/wslns-fuzz-config.XXXXXX")"
fi
mkdir -p "$work"
cc="${CC_FUZZ:-clang}"
if ! command -v "$cc" >/dev/null 2>&1; then
    echo "fuzz-config: $cc not found; install clang (and libclang-rt-dev) to fuzz" >&2
    exit 2
fi

# Built here, not by CMake: the project compiler is gcc and libFuzzer needs clang.
if ! "$cc" -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
        -I"$root/win" -I"$root/common" \
        "$root/tests/fuzz/fuzz_config.c" "$root/win/wslconf.c" "$root/win/gui_state.c" \
        "$root/common/strbuf.c" "$root/common/utf8.c" -o "$work/fuzz_config"; then
    echo "fuzz-config: cannot build with $cc -fsanitize=fuzzer (is libclang-rt-dev installed?)" >&2
    exit 2
fi

# Seeds: the first byte picks the kind (even .wslconfig, odd wsl.conf).
rm -rf "$work/corpus"
mkdir -p "$work/corpus"
for f in "$root"/tests/unit/data/config/*; do
    [ -f "$f" ] || continue
    name="$(basename "$f")"
    { printf '\000'; cat "$f"; } > "$work/corpus/wslconfig-$name"
    { printf '\001'; cat "$f"; } > "$work/corpus/wslconf-$name"
done

set +e
"$work/fuzz_config" "$work/corpus" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -rss_limit_mb=1024 -print_final_stats=1 -artifact_prefix="$work/" >"$work/fuzz.log" 2>&1
rc=$?
set -e
runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz.log" | tail -1)"
took="$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\2/p' "$work/fuzz.log" | tail -1)"
if [ "$rc" -ne 0 ]; then
    tail -n 40 "$work/fuzz.log" >&2
    echo "fuzz-config: FAILED after ${runs:-?} executions; inputs and log in $work" >&2
    exit 1
fi
if [ -z "${WSLNS_FUZZ_DIR:-}" ]; then
    rm -rf "$work"
    echo "fuzz-config: ${runs:-?} executions in ${took:-$seconds} s, no finding"
else
    echo "fuzz-config: ${runs:-?} executions in ${took:-$seconds} s, no finding (corpus and log in $work)"
fi
