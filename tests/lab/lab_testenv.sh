# shellcheck shell=bash disable=SC2034  # (the variables are for the sourcing test)
# Sourced by tests/lab/test_*.sh and tests/probe/test_*.sh: gives the test a private lab (its
# own mktemp -d state dir, so tests can run in parallel) that is stopped however the test
# ends, and helpers.
#   $lab      tests/lab/lab.sh          $check   the comparisons (lab_check.py)
#   $work     a scratch dir             $probe   the probe binary the tests send
#   fail MSG  ends the test, loudly
set -euo pipefail
lab_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lab=$lab_dir/lab.sh
check="/usr/bin/python3 $lab_dir/lab_check.py"
probe=${WSLNS_PROBE:-${WSLNS_BIN:-$lab_dir/../../build/bin}/wslns-probe}
WSLNS_LAB_DIR=$(mktemp -d /tmp/wslns-lab-test.XXXXXX)
export WSLNS_LAB_DIR
lab_state=$WSLNS_LAB_DIR
# If this test is killed outright (a CTest timeout), no trap runs: the lab then ends with us.
WSLNS_LAB_OWNER=$$
export WSLNS_LAB_OWNER
work=$WSLNS_LAB_DIR/test
mkdir "$work"

fail() {
    printf 'FAIL: %s\n' "$*" >&2
    exit 1
}

lab_cleanup() {
    local rc=$?
    if ! WSLNS_LAB_DIR=$lab_state "$lab" stop; then
        printf 'FAIL: lab.sh stop left lab processes alive (state kept in %s)\n' "$lab_state" >&2
        exit 1
    fi
    rm -rf "$lab_state"
    exit "$rc"
}
trap lab_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
