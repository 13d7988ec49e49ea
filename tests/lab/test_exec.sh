#!/usr/bin/env bash
# lab: exec runs a command in the view's own namespaces, like wsl.exe -d would
# shellcheck source=tests/lab/lab_testenv.sh
. "$(dirname "$0")/lab_testenv.sh"
"$lab" start
"$lab" truth >"$work/truth.json"
inode_of() { /usr/bin/python3 -c 'import json,sys; print(next(v["pidns"] for v in json.load(open(sys.argv[1]))["views"] if v["name"] == sys.argv[2]))' "$work/truth.json" "$1"; }

# Its own pid namespace and its own /proc: pid 1 is the view's init, our NSpid has one level.
out=$("$lab" exec Ubuntu sh -c 'readlink /proc/self/ns/pid; cat /proc/1/comm; grep NSpid /proc/self/status')
want="pid:[$(inode_of Ubuntu)] init(Ubuntu) NSpid:"
[[ ${out//$'\n'/ } =~ ^"$want"$'\t'[0-9]+$ ]] || fail "Ubuntu view: $out"
[ "$("$lab" exec container:docker-desktop cat /proc/1/comm)" = nginx ] || fail "container's pid 1"

# Exit codes, stdin and stdout pass through; the caller's cwd and relative paths work.
set +e
"$lab" exec Ubuntu -- sh -c 'exit 7'
rc=$?
set -e
[ "$rc" = 7 ] || fail "exit code 7 came back as $rc"
[ "$(echo hello | "$lab" exec NoGui cat)" = hello ] || fail "stdin did not reach the command"
printf '#!/bin/sh\npwd\n' >"$work/here.sh"
chmod +x "$work/here.sh"
[ "$(cd "$work" && "$lab" exec Debian ./here.sh)" = "$work" ] || fail "cwd not kept"

# WSL_DISTRO_NAME only in distro views.
[ "$("$lab" exec Ubuntu-18.04 printenv WSL_DISTRO_NAME)" = Ubuntu-18.04 ] || fail "WSL_DISTRO_NAME"
if WSL_DISTRO_NAME=leak "$lab" exec system:Ubuntu printenv WSL_DISTRO_NAME; then
    fail "WSL_DISTRO_NAME set in a system distro"
fi

# Like WSL's inits, a distro's and a system distro's pid 1 carry WSL2_DISTRO_NAME.
for view in Ubuntu system:Ubuntu; do
    "$lab" exec "$view" cat /proc/1/environ | tr '\0' '\n' | grep -qx WSL2_DISTRO_NAME=Ubuntu ||
        fail "$view: no WSL2_DISTRO_NAME=Ubuntu in /proc/1/environ"
done

# Each view's files: os-release, wsl.conf, /mnt/wslg only with GUI on, hostnames.
grep -q 'ID=ubuntu' <("$lab" exec Ubuntu cat /etc/os-release) || fail "Ubuntu os-release"
grep -q 'ID=mariner' <("$lab" exec system:Ubuntu cat /etc/os-release) || fail "Mariner os-release"
grep -q 'ID=mariner' <("$lab" exec vm cat /etc/os-release) || fail "VM root os-release"
grep -q 'guiApplications=false' <("$lab" exec NoGui cat /etc/wsl.conf) || fail "NoGui wsl.conf"
grep -q 'systemd=true' <("$lab" exec Debian cat /etc/wsl.conf) || fail "Debian wsl.conf"
"$lab" exec Ubuntu test -d /mnt/wslg/.X11-unix || fail "/mnt/wslg missing in Ubuntu"
if "$lab" exec NoGui test -e /mnt/wslg; then fail "/mnt/wslg in a GUI-off distro"; fi
[ "$("$lab" exec container:docker-desktop hostname)" = 3f9e2c1ab7d4 ] || fail "container hostname"
[ ! -e /etc/wsl.conf ] || [ "$(cat /etc/wsl.conf)" != "$("$lab" exec NoGui cat /etc/wsl.conf)" ] ||
    fail "the host's /etc changed"

# Concurrent callers, and a killed caller takes its command with it.
# Each waits for the other's marker: both end only if they run at the same time (no clock
# decides; 600 polls are a hang guard).
meet='m=/tmp/wslns-meet-$1; touch "$m-$2"; i=0
while [ ! -e "$m-$3" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done; [ -e "$m-$3" ]'
"$lab" exec Ubuntu sh -c "$meet" _ $$ a b & a=$!
"$lab" exec Ubuntu sh -c "$meet" _ $$ b a & b=$!
wait "$a" && wait "$b" || fail "two concurrent exec calls did not run at the same time"
"$lab" exec Ubuntu rm -f "/tmp/wslns-meet-$$-a" "/tmp/wslns-meet-$$-b"
"$lab" exec Ubuntu sleep 4242 & c=$!
for _ in $(seq 600); do
    "$lab" exec Ubuntu pgrep -x -f 'sleep 4242' >/dev/null && break
    sleep 0.1
done
kill -TERM "$c"
wait "$c" || true
for _ in $(seq 600); do
    "$lab" exec Ubuntu pgrep -f 'sleep 4242' >/dev/null || break
    sleep 0.1
done
if "$lab" exec Ubuntu pgrep -f 'sleep 4242' >/dev/null; then
    fail "the command outlived its killed lab.sh exec"
fi

# Errors of the lab itself are 125, never confused with the command's code.
set +e
"$lab" exec NoSuchView true 2>/dev/null
rc=$?
set -e
[ "$rc" = 125 ] || fail "unknown view gave $rc, want 125"
echo "ok: exec"
