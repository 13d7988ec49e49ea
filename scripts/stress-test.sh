#!/usr/bin/env bash
# Is the suite reliable on this machine, also under load?   scripts/stress-test.sh
#
# Clones this repository's HEAD (committed work only) into a fresh temporary directory and
# runs the README's test command, scripts/test.sh, three times in a row there; during the
# second run `stress-ng --cpu N` (N = the number of cores) keeps every core busy beside it.
# For each run it prints the wall time, CTest's passed/failed counts, where the time went
# (setup, the two builds, the tests) and the ten slowest tests of the main tree and of the
# sanitizer tree. Exits 1 when any run failed, 0 when all passed.
#
# Usage: scripts/stress-test.sh [RUNS [LOADED_RUN]]   (default 3 runs, the 2nd loaded; 0 = none)
#        WSLNS_STRESS_KEEP=1 scripts/stress-test.sh   keep the clone and its logs afterwards
#        WSLNS_STRESS_DIR=DIR                          clone under DIR (default /var/tmp; never
#                                                      under /tmp, see below)
#
# Like scripts/test.sh it runs as root on Debian 12 (setup.sh installs what is missing; this
# script installs stress-ng). It takes the whole machine for a while: one run of test.sh is
# a few minutes on 2 cores, and the first also builds everything from scratch.
set -uo pipefail

runs=${1:-3} loaded=${2:-2}
[[ $runs =~ ^[1-9][0-9]*$ && $loaded =~ ^[0-9]+$ ]] ||
    { echo "usage: $0 [RUNS [LOADED_RUN]]" >&2; exit 2; }
repo=$(cd "$(dirname "$0")/.." && git rev-parse --show-toplevel) || exit 2
head=$(git -C "$repo" rev-parse HEAD) || exit 2
cores=$(nproc 2>/dev/null || echo 2)

log() { printf 'stress-test: %s\n' "$*" >&2; }

if [[ -n $(git -C "$repo" status --porcelain --untracked-files=no) ]]; then
    log "note: uncommitted changes in $repo are not tested (only HEAD $head is cloned)"
fi
if ((loaded > 0)) && ! command -v stress-ng >/dev/null 2>&1; then
    [[ $(id -u) == 0 ]] || { log "stress-ng is missing; run as root to install it"; exit 1; }
    log "apt-get install stress-ng"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends stress-ng \
        >/dev/null || { log "cannot install stress-ng"; exit 1; }
fi

# Not under /tmp: the lab gives each GUI-on distro a /tmp of its own (as WSL does), so a
# checkout there is invisible inside those views and every probe sent from it fails.
parent=${WSLNS_STRESS_DIR:-/var/tmp}
top=$(mktemp -d "$parent/wslns-stress.XXXXXX") || { log "cannot make a directory in $parent"; exit 1; }
stress_pid=''
cleanup() {
    [[ -n $stress_pid ]] && kill "$stress_pid" 2>/dev/null && wait "$stress_pid" 2>/dev/null
    if [[ -n ${WSLNS_STRESS_KEEP:-} ]]; then
        log "kept $top"
    else
        rm -rf "$top"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

clone=$top/wslns
git clone -q --no-hardlinks "$repo" "$clone" && git -C "$clone" checkout -q --detach "$head" ||
    { log "cannot clone $repo"; exit 1; }
log "fresh clone of $head in $clone; $runs runs of scripts/test.sh on $cores cores"

# slowest LOG COUNT: the COUNT slowest tests in a CTest console log, "seconds  name".
slowest() {
    # Only the outer CTest's lines: a failing sanitizer test also prints its tree's own.
    local total
    total=$(grep -E 'tests? failed out of [0-9]+' "$1" | tail -n 1 | sed -E 's/.*out of ([0-9]+).*/\1/')
    grep -E "^ *[0-9]+/${total:-[0-9]+} Test +#[0-9]+: " "$1" |
        sed -E 's/^ *[0-9]+\/[0-9]+ Test +#[0-9]+: (.*[^ .]) \.+ *(\*\*\*)?([A-Za-z]+).* ([0-9.]+) sec$/\4 \3 \1/' |
        sort -rn | head -n "$2" | awk '{ printf "    %7.2f s  %-8s", $1, $2; $1 = $2 = ""; print substr($0, 3) }'
}

# slowest_lasttest FILE COUNT: the same from a LastTest.log (the sanitizer tree's own run).
slowest_lasttest() {
    [[ -f $1 ]] || { echo "    (no $1)"; return; }
    awk '/^[0-9]+\/[0-9]+ Testing: / { sub(/^[0-9]+\/[0-9]+ Testing: /, ""); name = $0 }
         /^"?Test time = / || /^Test time = / { t = $0; sub(/.*= */, "", t); sub(/ sec.*/, "", t);
                                              printf "%s %s\n", t, name }' "$1" |
        sort -rn | head -n "$2" | awk '{ t = $1; $1 = ""; printf "    %7.2f s  %s\n", t, substr($0, 2) }'
}

failed_runs=0
summary=()
for ((run = 1; run <= runs; run++)); do
    out=$top/run-$run.log
    what="unloaded"
    if ((run == loaded)); then
        stress-ng --cpu "$cores" --timeout 7200 --quiet &
        stress_pid=$!
        what="with stress-ng --cpu $cores beside it"
    fi
    log "run $run of $runs ($what): scripts/test.sh > $out"
    t0=$(date +%s.%N)
    (cd "$clone" && bash scripts/test.sh) > "$out" 2>&1
    rc=$?
    wall=$(echo "$(date +%s.%N) - $t0" | bc)
    if [[ -n $stress_pid ]]; then
        kill "$stress_pid" 2>/dev/null
        wait "$stress_pid" 2>/dev/null
        stress_pid=''
    fi
    counts=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$out" | tail -n 1)
    [[ -n $counts ]] || counts="no CTest summary (test.sh stopped before the tests?)"
    ((rc != 0)) && failed_runs=$((failed_runs + 1))
    printf '\n=== run %d (%s): exit %d, %.0f s wall\n    %s\n' "$run" "$what" "$rc" "$wall" "$counts"
    grep -E '^test\.sh: ' "$out" | sed 's/^/    /'
    echo "  10 slowest tests (main tree, as CTest reports them):"
    slowest "$out" 10
    echo "  10 slowest tests of the sanitizer tree (its LastTest.log):"
    slowest_lasttest "$clone/build-asan/Testing/Temporary/LastTest.log" 10
    if ((rc != 0)); then
        echo "  failed:"
        grep -E '^\s+[0-9]+ - .*\((Failed|Timeout|Not Run|Exception|SEGFAULT|Subprocess)' "$out" | sed 's/^/  /'
        grep -E 'Test +#[0-9]+: .*\*\*\*' "$out" | sed 's/^/    /' | head -20
        cp "$out" "$parent/wslns-stress-run-$run.log" && echo "  log: $parent/wslns-stress-run-$run.log"
    fi
    summary+=("run $run ($what): exit $rc, $(printf '%.0f' "$wall") s, $counts")
done

echo
echo "=== summary ($head)"
printf '  %s\n' "${summary[@]}"
if ((failed_runs > 0)); then
    echo "  $failed_runs of $runs runs FAILED"
    exit 1
fi
echo "  all $runs runs passed"
