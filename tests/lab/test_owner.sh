#!/usr/bin/env bash
# lab: ends itself when the process that owns it is killed without running its traps
# shellcheck source=tests/lab/lab_testenv.sh
. "$(dirname "$0")/lab_testenv.sh"
# A second lab, owned by a shell that we SIGKILL (what a CTest timeout does to a test).
export WSLNS_LAB_DIR=$work/owned
mkdir "$WSLNS_LAB_DIR"
bash -c 'WSLNS_LAB_OWNER=$$ "$1" start && touch "$2" && exec sleep 1000' _ "$lab" "$work/started" &
owner=$!
for _ in $(seq 600); do
    [ -e "$work/started" ] && break
    kill -0 "$owner" 2>/dev/null || fail "the owned lab did not start"
    sleep 0.05
done
"$lab" status >/dev/null || fail "the owned lab is not running"
inodes=$(sed -n 's/^pidns=//p' "$WSLNS_LAB_DIR"/views/*.info)
# shellcheck disable=SC2086
$check members $inodes >"$work/members"
kill -KILL "$owner"
wait "$owner" 2>/dev/null || true
# Up to 60 s: the kernel tears a killed namespace down at its own pace on a loaded machine.
for _ in $(seq 1200); do
    $check survivors "$work/members" 2>/dev/null && break
    sleep 0.05
done
$check survivors "$work/members" || fail "the lab outlived its killed owner"
"$lab" stop || fail "stop after the owner's death found survivors"
echo "ok: the lab ended with its owner"
