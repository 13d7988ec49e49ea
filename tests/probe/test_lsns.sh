#!/usr/bin/env bash
# probe: agrees with util-linux lsns in every view
# shellcheck source=tests/lab/lab_testenv.sh
. "$(dirname "$0")/../lab/lab_testenv.sh"
[ -x "$probe" ] || fail "no probe at $probe (build it, or set WSLNS_PROBE)"
"$lab" start
failed=0
for view in $("$lab" views); do
    base="$work/${view//:/_}"
    "$lab" exec "$view" "$probe" >"$base.probe.json" || { echo "FAIL: probe in $view" >&2; failed=1; continue; }
    "$lab" exec "$view" lsns -J -t pid >"$base.lsns.json" || { echo "FAIL: lsns in $view" >&2; failed=1; continue; }
    if $check lsns "$base.probe.json" "$base.lsns.json"; then
        echo "ok - $view"
    else
        echo "FAIL - $view" >&2
        failed=1
    fi
done
[ "$failed" = 0 ] || fail "the probe and lsns disagree"
