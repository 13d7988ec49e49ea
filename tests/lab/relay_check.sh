#!/usr/bin/env bash
# relay_check.sh SERVER FAKE_WSL WINE SPAWN_CHECK_EXE CASE
# Starts wslns-relay-server (emulator: FAKE_WSL) in a temporary directory, runs one relay
# case of spawn-check.exe under Wine against it, and always stops the server.
# CASE "--server-stop" instead checks that stopping the server (SIGTERM) kills an emulator
# it is running: wsl.exe hang, then SIGTERM to the server, then every pid must be gone.
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
# Polls are hang guards (60 s): only a broken server or emulator takes that long.
for _ in $(seq 1200); do
  [ -s "$dir/port" ] && break
  sleep 0.05
done
if [ ! -s "$dir/port" ]; then
  echo "relay_check: wslns-relay-server did not write its port" >&2
  exit 1
fi
WSLNS_RELAY_PORT=$(cat "$dir/port")
export WSLNS_RELAY_PORT

if [ "$case" != "--server-stop" ]; then
  "$wine" "$check" "$case"
  exit
fi

stand_in="$(dirname "$check")/wsl-stand-in/wsl.exe"
"$wine" "$stand_in" hang </dev/null >"$dir/out" 2>&1 &
client=$!
for _ in $(seq 1200); do
  [ -s "$dir/hang.pids" ] && break
  sleep 0.05
done
read -r -a pids <"$dir/hang.pids" || { echo "relay_check: the emulator never started" >&2; exit 1; }
kill "$server_pid"
wait "$server_pid" || true
server_pid=
wait "$client" || true
status=0
for p in "${pids[@]}"; do
  # A zombie waiting for init to reap it is dead.
  state=$(ps -o stat= -p "$p" 2>/dev/null || true)
  if [ -n "$state" ] && [ "${state#Z}" = "$state" ]; then
    echo "relay_check: emulator process $p survived the server's stop" >&2
    status=1
  fi
done
[ "$status" = 0 ] && echo "ok - stopping the server killed the emulator (${pids[*]})"
exit "$status"
