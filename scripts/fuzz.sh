#!/usr/bin/env bash
# Fuzzes every parser of wslns with libFuzzer, AddressSanitizer and UndefinedBehaviorSanitizer,
# each for a bounded time (docs/fuzzing.md says what each target feeds and checks):
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]      every target in turn (default 45 s each)
#   scripts/fuzz.sh --smoke TARGET [SECONDS]  one target (default 5 s): what CTest runs
#   scripts/fuzz.sh --list                    the target names
#
# Targets: views (probe documents + merge + renderers + wslns pid), wsl_list, debugshell, config, procfs,
# diff (two wslns-report/1 documents through wslns diff).
# Seeds come from tests/fuzz/corpus/<target> (config also from tests/config/data) and
# tests/fuzz/<target>.dict is the dictionary when it exists. The targets are built here with
# clang, not by CMake: the project compiler is gcc and libFuzzer needs clang.
#
# WSLNS_FUZZ_DIR chooses the work directory (default: a new temporary one, removed when
# nothing was found). In it, per target: corpus/ (the inputs libFuzzer added), fuzz.log, and
# crash-*, leak-*, timeout-*, oom-* files for every finding. CC_FUZZ picks the compiler.
# Exit status: 0 no finding, 1 a finding (crash, sanitizer report, leak, timeout, broken
# contract), 2 cannot run (usage, no clang with libFuzzer: Debian's clang + libclang-rt-dev).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
all_targets=(views wsl_list debugshell config procfs diff)

usage() {
    echo "usage: $0 [SECONDS_PER_TARGET] | --smoke TARGET [SECONDS] | --list" >&2
    exit 2
}

is_number() {
    case "$1" in '' | *[!0-9]*) return 1 ;; *) return 0 ;; esac
}

targets=("${all_targets[@]}")
seconds=45
smoke=0
case "${1:-}" in
    --list)
        printf '%s\n' "${all_targets[@]}"
        exit 0
        ;;
    --smoke)
        [ $# -ge 2 ] || usage
        case " ${all_targets[*]} " in *" $2 "*) ;; *) echo "fuzz: no target '$2' (try --list)" >&2; exit 2 ;; esac
        targets=("$2")
        seconds="${3:-5}"
        smoke=1
        ;;
    '') ;;
    *) seconds="$1" ;;
esac
if ! is_number "$seconds" || [ "$seconds" -eq 0 ]; then
    usage
fi

cc="${CC_FUZZ:-clang}"
if ! command -v "$cc" >/dev/null 2>&1; then
    echo "fuzz: $cc not found; install clang and libclang-rt-dev to fuzz" >&2
    exit 2
fi
cjson_dir=""
for d in "$root"/.deps/cjson-*; do
    [ -f "$d/cJSON.c" ] && cjson_dir="$d"
done

work="${WSLNS_FUZZ_DIR:-}"
temporary=0
if [ -z "$work" ]; then
    work="$(mktemp -d "${TMPDIR:-/tmp}/wslns-fuzz.XXXXXX")"
    temporary=1
fi
mkdir -p "$work/bin" "$work/generated"

# render_json.c prints the version: generate wslns_version.h as CMake does.
version="$(sed -n 's/^project(wslns VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")"
IFS=. read -r major minor patch <<<"$version"
sed -e "s/@PROJECT_VERSION@/$version/" -e "s/@PROJECT_VERSION_MAJOR@/$major/" \
    -e "s/@PROJECT_VERSION_MINOR@/$minor/" -e "s/@PROJECT_VERSION_PATCH@/$patch/" \
    "$root/common/wslns_version.h.in" >"$work/generated/wslns_version.h"

# What each target links: its harness, the parsers it drives, and the shared helpers.
sources_of() {
    # All of common/, as the wslns_common library has it: a new shared module needs no edit here.
    local common
    common=$(echo "$root"/common/*.c)
    case "$1" in
        views)
            echo "$root/tests/fuzz/fuzz_views.c $root/win/view.c $root/win/model.c $root/win/source.c" \
                "$root/win/idmap.c $root/win/render/render_json.c $root/win/render/render_tree.c $root/win/pidcmd.c" \
                "$cjson_dir/cJSON.c $common"
            ;;
        wsl_list) echo "$root/tests/fuzz/fuzz_wsl_list.c $root/win/wsl/wsl_list.c $common" ;;
        debugshell) echo "$root/tests/fuzz/fuzz_debugshell.c $root/win/wsl/debugshell.c $common" ;;
        config) echo "$root/tests/fuzz/fuzz_config.c $root/win/config/wslconf.c $root/win/config/gui_state.c $root/win/config/finding.c $common" ;;
        procfs) echo "$root/tests/fuzz/fuzz_procfs.c $root/probe/procfs.c $root/common/utf8.c $root/common/xalloc.c" ;;
        diff) echo "$root/tests/fuzz/fuzz_diff.c $root/win/diff.c $cjson_dir/cJSON.c $common" ;;
    esac
}

# The longest input worth trying: a few views of a small lab for the merge, a screenful
# for the line-based readers.
max_len_of() {
    case "$1" in
        views) echo 32768 ;;
        diff) echo 16384 ;;
        debugshell) echo 8192 ;;
        *) echo 4096 ;;
    esac
}

build() {
    local t="$1"
    if { [ "$t" = views ] || [ "$t" = diff ]; } && [ ! -f "$cjson_dir/cJSON.c" ]; then
        echo "fuzz: cJSON source not found under $root/.deps (run scripts/setup.sh)" >&2
        return 2
    fi
    # shellcheck disable=SC2046 # the source list is split on purpose
    if ! "$cc" -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
            -Wall -Wextra -Wshadow -Wstrict-prototypes -D_GNU_SOURCE \
            -I"$root/tests/fuzz" -I"$root/win" -I"$root/probe" -I"$root/common" \
            -I"$work/generated" ${cjson_dir:+-I"$cjson_dir"} \
            $(sources_of "$t") -o "$work/bin/fuzz_$t" 2>"$work/bin/build-$t.log"; then
        cat "$work/bin/build-$t.log" >&2
        echo "fuzz: cannot build $t with $cc -fsanitize=fuzzer (the messages above say why; a link error about libFuzzer means libclang-rt-dev is missing)" >&2
        return 2
    fi
}

# The seed directory a target starts from; config's seeds are the reader's unit-test files,
# each once as .wslconfig (first byte even) and once as wsl.conf (odd).
seeds_of() {
    local t="$1" dir="$root/tests/fuzz/corpus/$1"
    if [ "$t" = config ]; then
        dir="$work/config/seeds"
        rm -rf "$dir"
        mkdir -p "$dir"
        for f in "$root"/tests/config/data/* "$root"/tests/fuzz/corpus/config/*; do
            [ -f "$f" ] || continue
            { printf '\000'; cat "$f"; } >"$dir/wslconfig-$(basename "$f")"
            { printf '\001'; cat "$f"; } >"$dir/wslconf-$(basename "$f")"
        done
    fi
    echo "$dir"
}

count_files() {
    find "$1" -maxdepth 1 -type f 2>/dev/null | wc -l
}

finding_files() {
    local f
    for f in "$1"/crash-* "$1"/leak-* "$1"/timeout-* "$1"/oom-*; do
        [ -e "$f" ] && printf '%s ' "$f"
    done
    true
}

findings=0
summary=()
run() {
    local t="$1" dir="$work/$1" seeds dict=() rc start took runs corpus
    seeds="$(seeds_of "$t")"
    mkdir -p "$dir/corpus" "$seeds"
    rm -f "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-*
    [ -f "$root/tests/fuzz/$t.dict" ] && dict=(-dict="$root/tests/fuzz/$t.dict")
    start=$SECONDS
    set +e
    # New inputs go to the work corpus (the first directory); the seeds stay untouched.
    (cd "$dir" && "$work/bin/fuzz_$t" "$dir/corpus" "$seeds" "${dict[@]}" \
        -max_total_time="$seconds" -max_len="$(max_len_of "$t")" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$dir/" >"$dir/fuzz.log" 2>&1)
    rc=$?
    set -e
    took=$((SECONDS - start))
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz.log" | tail -n 1)"
    corpus="$(count_files "$dir/corpus")"
    local line
    line="$(printf '%-10s %4s s  %10s executions  corpus: %s seeds + %s new inputs' "$t" "$took" \
        "${runs:-?}" "$(count_files "$seeds")" "$corpus")"
    if [ "$rc" -ne 0 ]; then
        findings=$((findings + 1))
        grep -E 'ERROR: |contract broken|runtime error|SUMMARY' "$dir/fuzz.log" | head -n 5 >&2 || true
        tail -n 30 "$dir/fuzz.log" >&2
        line="$line  FINDING (exit $rc): $(finding_files "$dir")"
    fi
    summary+=("$line")
    echo "fuzz: $line"
}

for t in "${targets[@]}"; do
    rc=0
    build "$t" || rc=$?
    if [ "$rc" -ne 0 ]; then
        exit "$rc"
    fi
done
for t in "${targets[@]}"; do
    run "$t"
done

if [ "$smoke" -eq 0 ]; then
    echo
    echo "fuzz: $seconds s per target with ASan+UBSan ($cc):"
    printf '  %s\n' "${summary[@]}"
fi
if [ "$findings" -ne 0 ]; then
    echo "fuzz: $findings target(s) with a finding; inputs and logs in $work" >&2
    exit 1
fi
if [ "$temporary" -eq 1 ]; then
    rm -rf "$work"
    echo "fuzz: no finding"
else
    echo "fuzz: no finding (corpus and logs in $work)"
fi
