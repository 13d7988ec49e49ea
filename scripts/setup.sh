#!/usr/bin/env bash
# Installs everything wslns needs to build and test on Debian 12, idempotently:
# Debian packages (toolchains, Wine, Chromium, util-linux) and cJSON's source from
# Debian's source package for the MinGW and static musl builds.
#
# Usage: scripts/setup.sh            (as root; safe to run again)
#        WSLNS_SKIP_APT=1 scripts/setup.sh   only fetch the cJSON source
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
deps="$here/.deps"            # ignored by git (.gitignore)
stamp="$deps/.apt-done-v1"

log() { printf 'setup: %s\n' "$*" >&2; }

need_root() {
  if [ "$(id -u)" != 0 ]; then
    log "this step installs Debian packages and must run as root (try: sudo $0)"
    exit 1
  fi
}

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  mingw-w64 musl-tools wine64 wine
  libcjson-dev dpkg-dev
  util-linux procps python3 file strace
  clang llvm libclang-rt-14-dev valgrind
  chromium
  zip unzip
)

# Derive deb-src entries from the machine's own enabled apt sources, so that
# `apt-get source` works without naming any mirror in this repository.
enable_deb_src() {
  local out=/etc/apt/sources.list.d/wslns-deb-src.sources
  local list_out=/etc/apt/sources.list.d/wslns-deb-src.list
  if grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; then
    return 0
  fi
  local f
  : >"$out.tmp"
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # deb822 stanzas: copy each stanza whose Types has deb, with Types set to deb-src.
    awk 'BEGIN { RS = ""; ORS = "\n\n" }
         /(^|\n)Types:([^\n]*[ \t])?deb([ \t]|\n|$)/ && !/(^|\n)Enabled:[ \t]*[Nn]o/ {
           gsub(/(^|\n)Types:[^\n]*/, "\nTypes: deb-src"); sub(/^\n/, ""); print }' "$f" >>"$out.tmp"
  done
  if [ -s "$out.tmp" ]; then mv "$out.tmp" "$out"; else rm -f "$out.tmp"; fi
  : >"$list_out.tmp"
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' "$f" >>"$list_out.tmp"
  done
  if [ -s "$list_out.tmp" ]; then mv "$list_out.tmp" "$list_out"; else rm -f "$list_out.tmp"; fi
}

install_packages() {
  if [ -f "$stamp" ] && dpkg -s "${packages[@]}" >/dev/null 2>&1; then
    return 0
  fi
  need_root
  enable_deb_src
  export DEBIAN_FRONTEND=noninteractive
  log "apt-get update"
  apt-get update -q || log "apt-get update reported errors; continuing with what it fetched"
  log "apt-get install ${packages[*]}"
  apt-get install -y -q --no-install-recommends "${packages[@]}"
  # Node.js drives Chromium in the report tests; keep a Node.js the machine already
  # has (it may come with its own npm), otherwise take Debian's.
  if ! command -v npm >/dev/null 2>&1; then
    apt-get install -y -q --no-install-recommends nodejs npm
  fi
  mkdir -p "$deps"
  touch "$stamp"
}

# cJSON source, Debian's patches applied (dpkg-source applies them on unpack).
fetch_cjson_source() {
  if compgen -G "$deps/cjson-*/cJSON.c" >/dev/null; then
    return 0
  fi
  mkdir -p "$deps/src"
  enable_deb_src
  if ! (cd "$deps/src" && apt-get source -q cjson); then
    log "apt-get source cjson failed; running apt-get update and retrying"
    need_root
    apt-get update -q || true
    (cd "$deps/src" && apt-get source -q cjson)
  fi
  local dir
  dir=$(find "$deps/src" -maxdepth 1 -type d -name 'cjson-*' | head -n 1)
  [ -n "$dir" ] && [ -f "$dir/cJSON.c" ] || { log "cJSON source not found after apt-get source"; exit 1; }
  mv "$dir" "$deps/"
  log "cJSON source in $deps/$(basename "$dir")"
}

# playwright-core for the HTML report's browser tests (tests/html), pinned by its
# package-lock.json. It drives Debian's chromium, so no browser is downloaded.
install_node_packages() {
  local dir="$here/tests/html"
  if [ -d "$dir/node_modules/playwright-core" ]; then
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    log "npm not found: the HTML report's browser tests will be skipped"
    return 0
  fi
  log "npm ci in tests/html (playwright-core, no browser download)"
  (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
}

if [ "${WSLNS_SKIP_APT:-}" != 1 ]; then
  install_packages
fi
fetch_cjson_source
install_node_packages
