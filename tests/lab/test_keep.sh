#!/usr/bin/env bash
# lab: a build or checkout under /tmp stays visible in views that have a /tmp of their own
# (GUI-on distros get one, as in WSL), so a clone of the repository under /tmp still works.
# shellcheck source=tests/lab/lab_testenv.sh
. "$(dirname "$0")/lab_testenv.sh"
# WSLNS_BIN under /tmp, beside the lab's state dir (which is kept on its own).
bin=$(mktemp -d /tmp/wslns-keep-bin.XXXXXX)
cp "$probe" "$bin/wslns-probe"
WSLNS_BIN=$bin "$lab" start
for view in Ubuntu Debian system:Ubuntu; do
    "$lab" exec "$view" "$bin/wslns-probe" --version >/dev/null ||
        { rm -rf "$bin"; fail "$view cannot see $bin under /tmp"; }
done
# The view's /tmp is still its own: nothing else of the host's /tmp shows through.
marker=$(mktemp /tmp/wslns-keep-host.XXXXXX)
if "$lab" exec Ubuntu test -e "$marker"; then
    rm -rf "$bin" "$marker"
    fail "the host's /tmp shows through in Ubuntu's view"
fi
rm -rf "$bin" "$marker"
echo "ok: a /tmp build is visible in views with their own /tmp, the host's /tmp is not"
