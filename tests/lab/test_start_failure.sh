#!/usr/bin/env bash
# lab: a start that fails names the layout line and leaves nothing running
# shellcheck source=tests/lab/lab_testenv.sh
. "$(dirname "$0")/lab_testenv.sh"
init=${WSLNS_LAB_INIT:?set WSLNS_LAB_INIT to wslns-lab-init}
bad=$work/bad
mkdir "$bad"
# A view whose second child cannot be executed: the launcher must report it and kill the rest.
cat >"$bad/layout" <<'LAYOUT'
view vm mini_init
  view system:X init
    proc WSLGd
  exec /nonexistent/program
LAYOUT
set +e
"$init" start "$bad" "$bad/layout" 10 2>"$bad/err"
rc=$?
set -e
cat "$bad/err"
[ "$rc" = 1 ] || fail "start of a broken layout exited with $rc, want 1"
grep -q 'line 4: exec /nonexistent/program: No such file or directory' "$bad/err" ||
    fail "the error does not name the failing line"
# Each view that got as far as recording itself: its init (pid and starttime, so that a
# reused pid is not mistaken for it) must be gone, and the kernel takes a namespace's
# processes with its init.
for f in "$bad"/views/*.info; do
    printf '%s %s\n' "$(sed -n 's/^pid=//p' "$f")" "$(sed -n 's/^starttime=//p' "$f")"
done >"$bad/members"
[ -s "$bad/members" ] || fail "no view was recorded before the failure (nothing to check)"
# Up to 60 s: the kernel tears a killed namespace down at its own pace on a loaded machine.
for _ in $(seq 1200); do
    $check survivors "$bad/members" 2>/dev/null && break
    sleep 0.05
done
$check survivors "$bad/members" || fail "a failed start left lab processes running"

# A layout that does not parse fails before anything starts.
printf 'view vm mini_init\n   proc odd-indent\n' >"$bad/layout2"
if "$init" start "$bad" "$bad/layout2" 2>"$bad/err2"; then
    fail "a layout with a bad indent started"
fi
grep -q 'layout2:2: indent must be a multiple of two spaces' "$bad/err2" || fail "$(cat "$bad/err2")"
echo "ok: failed starts are reported and leave nothing behind"
