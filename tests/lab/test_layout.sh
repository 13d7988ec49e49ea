#!/usr/bin/env bash
# lab: builds WSL's namespace layout and tears down without leftovers
# shellcheck source=tests/lab/lab_testenv.sh
. "$(dirname "$0")/lab_testenv.sh"

start_ms=$(date +%s%3N)
"$lab" start 7>"$work/held"
echo "lab started in $(($(date +%s%3N) - start_ms)) ms"
"$lab" status >/dev/null || fail "status says not running right after start"
if "$lab" start 2>/dev/null; then
    fail "a second start on a running lab succeeded"
fi

# The lab outlives lab.sh start: holding a caller's descriptor (a pipe) would hang the caller.
if "$lab" exec vm ls -l /proc/1/fd | grep -q "$work/held"; then
    fail "the lab holds a descriptor of the process that started it"
fi

expected="vm system:Ubuntu Ubuntu system:Ubuntu-18.04 Ubuntu-18.04 NoGui system:Debian Debian \
system:docker-desktop docker-desktop container:docker-desktop"
[ "$("$lab" views | tr '\n' ' ')" = "$expected " ] || fail "views: $("$lab" views | tr '\n' ' ')"

"$lab" truth >"$work/truth.json" || fail "lab.sh truth failed"
$check layout "$work/truth.json" || fail "the truth does not have WSL's layout"

# The namespace parents the lab recorded, against util-linux's view from the VM root.
"$lab" exec vm lsns -J -t pid -o NS,PNS >"$work/lsns.json" || fail "lsns in the VM root failed"
$check parents "$work/truth.json" "$work/lsns.json" || fail "lsns disagrees on parents"

# Tear down and prove that nothing of the lab is left. Its processes are listed (pid and
# starttime) while it runs, because a namespace's inode may be reused once it is gone.
inodes=$(sed -n 's/^pidns=//p' "$WSLNS_LAB_DIR"/views/*.info)
[ "$(echo "$inodes" | wc -l)" -eq 11 ] || fail "expected 11 recorded namespaces: $inodes"
# shellcheck disable=SC2086
$check members $inodes >"$work/members"
[ "$(wc -l <"$work/members")" -ge 40 ] || fail "only $(wc -l <"$work/members") lab processes"
"$lab" stop || fail "stop reported survivors"
$check survivors "$work/members" || fail "lab processes survived stop"
if "$lab" status >/dev/null; then
    fail "status says running after stop"
fi
echo "ok: layout, parents and teardown"
