#!/usr/bin/env bash
# package_check.sh WORK - scripts/package.sh twice, into two different build directories,
# must give the same zip byte for byte; the zip holds exactly the five files, its checksum
# file verifies, QUICKSTART.txt has CRLF line ends, the binaries are the release ones and
# the winget manifest carries the version and the checksum.
set -uo pipefail
work=$1
src=$(cd "$(dirname "$0")/../.." && pwd)
fail() { echo "FAIL: $*" >&2; exit 1; }

# Pinned: another commit between the two builds must not change what is compared.
export SOURCE_DATE_EPOCH=1767225600
version=$(sed -n 's/^project(wslns VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
name=wslns-$version-windows-x64
for b in first second-build; do
    t0=$SECONDS
    bash "$src/scripts/package.sh" "$work/$b" > "$work/$b.log" 2>&1 ||
        { cat "$work/$b.log" >&2; fail "package.sh into $b"; }
    echo "package.sh into $b: $((SECONDS - t0)) s"
done
a=$work/first/dist b=$work/second-build/dist
cmp "$a/$name.zip" "$b/$name.zip" || fail "two builds of the same sources differ"
cmp "$a/$name.zip.sha256" "$b/$name.zip.sha256" || fail "the checksum files differ"
cmp "$a/winget/wslns.yaml" "$b/winget/wslns.yaml" || fail "the winget manifests differ"
(cd "$a" && sha256sum -c "$name.zip.sha256") || fail "the checksum does not verify"

entries=$(unzip -Z1 "$a/$name.zip" | tr '\n' ' ')
[[ $entries == "LICENSE QUICKSTART.txt README.md wslns-probe wslns.exe " ]] ||
    fail "zip entries: $entries"
mkdir "$work/unzipped"
unzip -q "$a/$name.zip" -d "$work/unzipped" || fail "unzip"
u=$work/unzipped
python3 - "$u/QUICKSTART.txt" <<'PY' || fail "QUICKSTART.txt is not CRLF text"
import sys
data = open(sys.argv[1], "rb").read()
lines = data.split(b"\n")
assert data.endswith(b"\r\n") and all(l.endswith(b"\r") for l in lines[:-1]), "LF-only line"
assert b"\r\r" not in data
PY
grep -q 'MIT License' "$u/LICENSE" || fail "LICENSE is not the MIT license"
grep -q 'wslns developers' "$u/LICENSE" || fail "LICENSE does not name wslns developers"
cmp -s "$u/README.md" "$src/README.md" || fail "README.md is not the project's"
file "$u/wslns.exe" | grep -q 'PE32+ executable (console) x86-64' || fail "wslns.exe: $(file "$u/wslns.exe")"
file "$u/wslns-probe" | grep -q 'statically linked' || fail "wslns-probe: $(file "$u/wslns-probe")"
if file "$u/wslns-probe" | grep -q 'not stripped'; then fail "wslns-probe is not stripped"; fi
[[ $("$u/wslns-probe" --version) == "wslns-probe $version" ]] || fail "the packaged probe's version"
[[ $(python3 "$src/tests/native/versioninfo.py" "$u/wslns.exe") == "$version.0 $version $version" ]] ||
    fail "the packaged wslns.exe's VERSIONINFO"
sum=$(cut -d' ' -f1 "$a/$name.zip.sha256")
grep -qx "PackageVersion: $version" "$a/winget/wslns.yaml" || fail "winget: no PackageVersion $version"
grep -qx "    InstallerSha256: $sum" "$a/winget/wslns.yaml" || fail "winget: no InstallerSha256 $sum"
! grep -q '@[A-Z0-9]*@' "$a/winget/wslns.yaml" || fail "winget: a placeholder is left"
echo "zip $(stat -c %s "$a/$name.zip") bytes, sha256 $sum"
