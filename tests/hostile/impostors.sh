#!/usr/bin/env bash
# impostors.sh BUILD - no process can hide by looking like wslns's own (docs/hostile.md,
# "Impostors"). In a lab of its own, users of two distros start processes that the merge
# once took for wslns's and left out: a copy of sleep named wslns-probe (Debian), a shell
# whose script mentions `mktemp -d` and `/wslns-probe"` (Ubuntu), and a copy of the runner
# carrying a made-up run marker (Ubuntu). wslns runs through the wsl.exe emulator; each
# impostor must be in the JSON report, the HTML report's embedded document and the console
# tree, and none of wslns's own processes of the run (the probes, their shells, anything
# carrying the run's marker) may be.
#
#   BUILD posix     the native build, on the emulator directly
#         windows   wslns.exe under Wine, through wsl-stand-in\wsl.exe and the relay
#
# Environment (tests/hostile/CMakeLists.txt): WSLNS_BIN, WSLNS_LAB, WSLNS_PROBE, WSLNS_WINE.
set -uo pipefail

build=$1
here=$(cd "$(dirname "$0")" && pwd)
: "${WSLNS_LAB:?}" "${WSLNS_PROBE:?}"
. "$WSLNS_LAB/harness.sh"
harness_init impostors
harness_start_lab

mkdir -p "$work/bin"
cp /bin/sleep "$work/bin/wslns-probe"
fake_marker=wslns-run-00000000000000000000000000000000
"$WSLNS_LAB/lab.sh" exec Debian -- "$work/bin/wslns-probe" 600 > /dev/null 2>&1 &
"$WSLNS_LAB/lab.sh" exec Ubuntu -- sh -c 'd=$(mktemp -d) && : "$d/wslns-probe"; sleep 600' \
    > /dev/null 2>&1 &
"$WSLNS_LAB/lab.sh" exec Ubuntu -- sh -c \
    'd=$(mktemp -d) && cat > "$d/wslns-probe" < /dev/null; rm -rf "$d"; sleep 600' \
    "$fake_marker" > /dev/null 2>&1 &

# Wait (an event, not a time) until the kernel shows all three.
for _ in $(seq 600); do
    python3 "$here/impostors_check.py" --running --fake-marker "$fake_marker" && break
    sleep 0.1
done
python3 "$here/impostors_check.py" --running --fake-marker "$fake_marker" ||
    fail "the impostors did not start"

# Every view is meant to answer: a generous budget, so a loaded machine cannot fail a view.
budget=(--timeout 150)
out=(--color never "${budget[@]}" --json "$work/report.json" --html "$work/report.html")
if [[ $build == posix ]]; then
    timeout -k 5 300 "$WSLNS_BIN/wslns" "${out[@]}" --wsl "$WSLNS_LAB/wsl" \
        --probe "$WSLNS_PROBE" > "$work/console" 2>&1
    rc=$?
else
    harness_start_relay
    out=(--color never "${budget[@]}" --json "$(winpath "$work/report.json")"
         --html "$(winpath "$work/report.html")")
    WSLNS_RELAY_PORT=$relay_port timeout -k 5 300 "${WSLNS_WINE:?}" "$WSLNS_BIN/wslns.exe" \
        "${out[@]}" --wsl "$(winpath "$WSLNS_BIN/wsl-stand-in/wsl.exe")" \
        --probe "$(winpath "$WSLNS_PROBE")" > "$work/console" 2>&1
    rc=$?
fi
echo "wslns ($build) exited $rc"
! grep -q Sanitizer "$work/console" || { cat "$work/console" >&2; fail "a sanitizer report"; }
[[ $rc == 0 ]] || { uptime >&2; cat "$work/console" >&2; fail "wslns exited $rc, expected 0"; }
python3 "$here/impostors_check.py" --report "$work/report.json" --html "$work/report.html" \
    --console "$work/console" --fake-marker "$fake_marker" ||
    { cat "$work/console" >&2; fail "an impostor is hidden or an own process is shown"; }
echo "ok: impostors $build"
