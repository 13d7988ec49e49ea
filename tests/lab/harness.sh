# shellcheck shell=bash disable=SC2034  # relay_port and work are read by the sourcing script
# harness.sh - sourced by the scripts that test wslns against a namespace lab of their own
# (tests/e2e/run.sh, tests/doctor/run.sh, tests/html/lab-report.sh, ...):
#
#   . "$WSLNS_LAB/harness.sh"
#   harness_init NAME        a private lab state dir ($WSLNS_LAB_DIR) and work dir ($work);
#                            on exit: the relay stopped, the lab stopped, and a lab process
#                            left behind fails the script; the lab also dies with this
#                            script (WSLNS_LAB_OWNER) when CTest kills it without a trap
#   harness_start_lab        lab.sh start (its log shown on failure)
#   harness_start_relay      wslns-relay-server in front of the emulator, for wslns.exe under
#                            Wine; $relay_port is its port
#   winpath PATH             the Windows (Wine Z:) form of a Linux path
#   fail MESSAGE             print FAIL: MESSAGE and exit 1
#
# Needs WSLNS_BIN and WSLNS_LAB (set by the tests' CMake files).
: "${WSLNS_BIN:?}" "${WSLNS_LAB:?}"
export WSLNS_BIN

relay_pid='' relay_port='' work=''

fail() { echo "FAIL: $*" >&2; exit 1; }

winpath() { printf 'Z:%s' "${1//\//\\}"; }

harness_cleanup() {
    local rc=$?
    [[ -n $relay_pid ]] && kill "$relay_pid" 2>/dev/null && wait "$relay_pid" 2>/dev/null
    if ! "$WSLNS_LAB/lab.sh" stop > "$WSLNS_LAB_DIR/stop.log" 2>&1; then
        echo "FAIL: lab.sh stop found processes left behind:" >&2
        cat "$WSLNS_LAB_DIR/stop.log" >&2
        rc=1
    fi
    rm -rf "$WSLNS_LAB_DIR"
    exit "$rc"
}

harness_init() {
    WSLNS_LAB_DIR=$(mktemp -d "/tmp/wslns-$1.XXXXXX")
    WSLNS_LAB_OWNER=$$
    export WSLNS_LAB_DIR WSLNS_LAB_OWNER
    work=$WSLNS_LAB_DIR/$1
    mkdir -p "$work"
    trap harness_cleanup EXIT
    # A CTest timeout sends TERM: still stop the lab.
    trap 'exit 143' TERM INT
}

harness_start_lab() {
    "$WSLNS_LAB/lab.sh" start > "$work/start.log" 2>&1 ||
        { cat "$work/start.log" >&2; fail "lab.sh start"; }
}

harness_start_relay() {
    [[ -n $relay_pid ]] && return
    "$WSLNS_BIN/wslns-relay-server" --port-file "$work/port" -- "$WSLNS_LAB/wsl" \
        2> "$work/relay.log" &
    relay_pid=$!
    # Up to 60 s: a loaded machine may be slow to start it (only a broken server takes long).
    for _ in $(seq 600); do
        if [[ -s $work/port ]]; then
            relay_port=$(cat "$work/port")
            return
        fi
        sleep 0.1
    done
    fail "wslns-relay-server wrote no port file: $(cat "$work/relay.log")"
}
