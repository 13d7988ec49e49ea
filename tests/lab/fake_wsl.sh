#!/usr/bin/env bash
# fake_wsl.sh - a trivial "emulator" for the relay tests (tests/lab/relay_check.sh runs
# it behind wslns-relay-server). The first argument picks what it does:
#   echo-all   prints every argument as [arg] on stdout, WSL_UTF8 and the raw Windows
#              command line (WSLNS_WSL_CMDLINE) on stderr, then copies stdin; exits 3
#   cat        copies stdin to stdout (bulk data through the relay)
#   fail       prints a wsl.exe-style error line on stdout and exits 255 (-1 on Windows)
#   hang       starts a background sleeper, records both pids in $WSLNS_RELAY_TEST_DIR,
#              says "hanging" and waits forever (the relay must kill the whole group)
#   is-dead    exits 0 when every pid that "hang" recorded is gone, 1 otherwise
case "$1" in
echo-all)
  for a in "$@"; do printf '[%s]\n' "$a"; done
  printf 'WSL_UTF8=%s\n' "${WSL_UTF8-(unset)}" >&2
  printf 'CMDLINE=%s\n' "${WSLNS_WSL_CMDLINE-(unset)}" >&2
  cat
  exit 3 ;;
cat)
  exec cat ;;
fail)
  printf 'Error code: Wsl/Test/E_FAIL\r\n'
  exit 255 ;;
hang)
  sleep 100000 &
  echo "$$ $!" >"$WSLNS_RELAY_TEST_DIR/hang.pids"
  echo hanging
  wait
  exit 0 ;;
is-dead)
  # A killed process whose parent died too may stay a zombie until init reaps it: dead.
  for p in $(cat "$WSLNS_RELAY_TEST_DIR/hang.pids"); do
    state=$(ps -o stat= -p "$p" 2>/dev/null || true)
    if [ -n "$state" ] && [ "${state#Z}" = "$state" ]; then echo "pid $p is still alive"; exit 1; fi
  done
  exit 0 ;;
esac
echo "fake_wsl.sh: unknown mode $1" >&2
exit 2
