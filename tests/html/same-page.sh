#!/usr/bin/env bash
# same-page.sh - the Windows build (wslns.exe under Wine) writes the same HTML report as the
# POSIX build from the same saved lab documents: the style sheet, the script, its CSP hash and
# every byte of the tree come from the one renderer. Only the lines naming the time and the
# computer may differ. The documents are named relative to the working directory, so their
# names (shown in the views table) are the same for both builds.
#
# Environment (set by tests/html/CMakeLists.txt): WSLNS_BIN, WSLNS_WINE, WSLNS_HOST_DATA, Wine's.
set -euo pipefail
: "${WSLNS_BIN:?}" "${WSLNS_WINE:?}" "${WSLNS_HOST_DATA:?}"
work=$(mktemp -d /tmp/wslns-html-same.XXXXXX)
trap 'rm -rf "$work"' EXIT

cd "$WSLNS_HOST_DATA/lab"
docs=()
for v in vm system-Ubuntu Ubuntu NoGui system-docker-desktop docker-desktop container-docker-desktop; do
    docs+=(--from "$v.json")
done
"$WSLNS_BIN/wslns" --color never "${docs[@]}" --html "$work/posix.html" > "$work/posix.txt"
"$WSLNS_WINE" "$WSLNS_BIN/wslns.exe" --color never "${docs[@]}" \
    --html "Z:${work//\//\\}\\windows.html" > "$work/windows.txt" 2>&1 ||
    { cat "$work/windows.txt" >&2; echo "FAIL: wslns.exe failed" >&2; exit 1; }

strip() { sed -e '/^<title>/d' -e '/^<dt>Generated</d' -e '/^<dt>Computer</d' "$1"; }
if ! diff <(strip "$work/posix.html") <(strip "$work/windows.html") > "$work/diff"; then
    head -40 "$work/diff" >&2
    echo "FAIL: the two builds' pages differ (above: < POSIX, > Windows)" >&2
    exit 1
fi
echo "ok: the same page ($(wc -c < "$work/windows.html") bytes) from both builds"
