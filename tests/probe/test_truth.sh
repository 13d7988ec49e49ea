#!/usr/bin/env bash
# probe: matches the lab's ground truth in every view
# shellcheck source=tests/lab/lab_testenv.sh
. "$(dirname "$0")/../lab/lab_testenv.sh"
[ -x "$probe" ] || fail "no probe at $probe (build it, or set WSLNS_PROBE)"
"$lab" start
"$lab" truth >"$work/truth.json"
failed=0
for view in $("$lab" views); do
    out="$work/probe-${view//:/_}.json"
    if ! "$lab" exec "$view" "$probe" >"$out"; then
        echo "FAIL: the probe exited with $? in $view" >&2
        failed=1
        continue
    fi
    if $check probe "$work/truth.json" "$view" "$out"; then
        echo "ok - $view"
    else
        echo "FAIL - $view (probe output: $out)" >&2
        failed=1
    fi
done
[ "$failed" = 0 ] || fail "the probe disagrees with the lab's ground truth"
