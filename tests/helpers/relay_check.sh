#!/usr/bin/env bash
# relay_check.sh SERVER FAKE_WSL WINE SPAWN_CHECK_EXE CASE
# Starts wslns-relay-server (emulator: FAKE_WSL) in a temporary directory, runs one relay
# case of spawn-check.exe under Wine against it, and always stops the server.
set -euo pipefail
server=$1 fake=$2 wine=$3 check=$4 case=$5

dir=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT

export WSLNS_RELAY_TEST_DIR=$dir
"$server" --port-file "$dir/port" -- bash "$fake" &
server_pid=$!
for _ in $(seq 100); do
  [ -s "$dir/port" ] && break
  sleep 0.05
done
if [ ! -s "$dir/port" ]; then
  echo "relay_check: wslns-relay-server did not write its port" >&2
  exit 1
fi
WSLNS_RELAY_PORT=$(cat "$dir/port")
export WSLNS_RELAY_PORT
"$wine" "$check" "$case"
