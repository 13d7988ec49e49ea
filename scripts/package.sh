#!/usr/bin/env bash
# package.sh [BUILD_DIR] - builds the Windows release, reproducibly:
#
#   BUILD_DIR/dist/wslns-<version>-windows-x64.zip         wslns.exe, wslns-probe, README.md,
#                                                           LICENSE, QUICKSTART.txt (CRLF)
#   BUILD_DIR/dist/wslns-<version>-windows-x64.zip.sha256  "<sha256>  <zip name>" (sha256sum -c)
#   BUILD_DIR/dist/winget/wslns.yaml                        scripts/winget/wslns.yaml.in filled in
#
# BUILD_DIR defaults to build-package in the source tree. The same sources give the same
# bytes whatever BUILD_DIR is, which user builds it, when and in which time zone:
# - the version comes from project(VERSION) in CMakeLists.txt, the one version source;
# - every time stamp is SOURCE_DATE_EPOCH, by default the last commit's time;
# - compiler paths are mapped (-ffile-prefix-map) so neither the source nor the build
#   directory ends up in a binary; MinGW's ld writes no PE time stamp (win/CMakeLists.txt:
#   --no-insert-timestamp) and both binaries are stripped;
# - the zip has its entries in a fixed order, fixed permissions, no extra fields (zip -X,
#   no uid/gid or access times) and no directory entries (-D).
# WSLNS_RELEASE_URL: where the zip will be downloaded from, for the winget manifest
# (default: a placeholder to replace before submitting it).
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath -m "${1:-$src/build-package}")
version=$(sed -n 's/^project(wslns VERSION \([0-9][0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
[[ -n $version ]] || { echo "package.sh: no project(wslns VERSION x.y.z) in CMakeLists.txt" >&2; exit 1; }
if [[ -z ${SOURCE_DATE_EPOCH:-} ]]; then
    SOURCE_DATE_EPOCH=$(git -C "$src" log -1 --format=%ct) ||
        { echo "package.sh: not a git checkout: set SOURCE_DATE_EPOCH" >&2; exit 1; }
fi
export SOURCE_DATE_EPOCH
# zip stores local time: one time zone for everybody.
export TZ=UTC LC_ALL=C
umask 022

name=wslns-$version-windows-x64
maps="-ffile-prefix-map=$src=. -ffile-prefix-map=$build=."

configure() { # DIR PARTS TOOLCHAIN
    cmake -S "$src" -B "$build/$1" -G Ninja -DWSLNS_PARTS="$2" \
        -DCMAKE_TOOLCHAIN_FILE="$src/cmake/$3" -DCMAKE_BUILD_TYPE=MinSizeRel \
        -DWSLNS_OUTPUT_DIR="$build/bin" -DCMAKE_C_FLAGS="$maps" > "$build/$1.configure.log" ||
        { cat "$build/$1.configure.log" >&2; exit 1; }
}
mkdir -p "$build"
configure windows host toolchain-mingw64.cmake
configure musl probe toolchain-musl.cmake
cmake --build "$build/windows" --target wslns > "$build/windows.build.log" ||
    { cat "$build/windows.build.log" >&2; exit 1; }
cmake --build "$build/musl" --target wslns-probe > "$build/musl.build.log" ||
    { cat "$build/musl.build.log" >&2; exit 1; }

stage=$build/stage
rm -rf "$stage" "$build/dist"
mkdir -p "$stage" "$build/dist/winget"
x86_64-w64-mingw32-strip --strip-all -o "$stage/wslns.exe" "$build/bin/wslns.exe"
strip --strip-all -o "$stage/wslns-probe" "$build/bin/wslns-probe"
cp "$src/README.md" "$stage/README.md"
cp "$src/LICENSE" "$stage/LICENSE"
# Notepad and `type` on any Windows read CRLF; the text is short on purpose (docs/install.md
# has the whole story).
sed 's/$/\r/' > "$stage/QUICKSTART.txt" <<EOF
wslns $version - maps WSL 2's nested pid namespaces

1. Keep wslns.exe and wslns-probe together in one folder, for example
   %LOCALAPPDATA%\Programs\wslns, and add that folder to your PATH.
2. Open cmd.exe or PowerShell and run:
     wslns                    the tree of every running distro
     wslns pid 1234 --in vm   one process's pid at every level
     wslns --json report.json also write the JSON report
     wslns --help             every option
3. Run it from an elevated prompt (Run as Administrator) to also see the VM
   level; without elevation the distros hang below a "not visible" parent.

PowerShell: wslns --json - | ConvertFrom-Json
Needs WSL 2 (wsl --install, or winget install Microsoft.WSL).
License: MIT (see LICENSE).
EOF
chmod 0755 "$stage/wslns.exe" "$stage/wslns-probe"
chmod 0644 "$stage/README.md" "$stage/LICENSE" "$stage/QUICKSTART.txt"
touch -h -d "@$SOURCE_DATE_EPOCH" "$stage"/*

zip=$build/dist/$name.zip
# shellcheck disable=SC2012 # plain file names, sorted in the C locale
(cd "$stage" && ls | sort | zip -X -D -9 -q "$zip" -@)
touch -d "@$SOURCE_DATE_EPOCH" "$zip"
sum=$(cd "$build/dist" && sha256sum "$name.zip" | tee "$name.zip.sha256" | cut -d' ' -f1)

url=${WSLNS_RELEASE_URL:-https://example.invalid/wslns/releases/download/v$version/$name.zip}
sed -e "s|@VERSION@|$version|g" -e "s|@SHA256@|$sum|g" -e "s|@URL@|$url|g" \
    "$src/scripts/winget/wslns.yaml.in" > "$build/dist/winget/wslns.yaml"

echo "$zip"
echo "sha256 $sum"
