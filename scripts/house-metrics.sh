#!/bin/sh
# house-metrics.sh [N] - the two figures issue 12 asks for, from the working tree:
#   1. the N longest functions in win/ probe/ common/ (lines from the signature to the
#      closing brace; house style puts a function's braces at column 0);
#   2. the count of shape-alike pairs the `duplicates` finder reports for those three
#      folders read together (so a pair across folders counts too), when it is installed.
# Reads files only; writes nothing into the checkout.
set -eu
n=${1:-15}
cd "$(dirname "$0")/.."
dirs="win probe common"

echo "longest functions (lines, function, file):"
for f in $(git ls-files -- $dirs | grep '\.c$'); do
    awk -v file="$f" '
        # A signature starts at column 0 with a letter and has "(": remember it.
        /^[A-Za-z_]/ && /\(/ && !/;[ \t]*$/ { sig = $0; start = NR; next }
        /^\{/ && start { open = start; name = sig; next }
        /^\}/ && open {
            sub(/\(.*/, "", name); k = split(name, w, /[ *]+/);
            printf "%5d  %s  %s\n", NR - open + 1, w[k], file; open = 0; start = 0 }
    ' "$f"
done | sort -rn | head -n "$n"

if command -v duplicates >/dev/null 2>&1; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    # The working tree as it is (tracked files), not only HEAD.
    git ls-files -- $dirs | while IFS= read -r p; do
        mkdir -p "$tmp/$(dirname "$p")" && cp "$p" "$tmp/$p"
    done
    echo
    echo "shape-alike pairs in $dirs (duplicates --most 200):"
    out=$(cd "$tmp" && duplicates --repo "$tmp" --most 200 --seconds 120)
    printf '%s\n' "$out" | head -n 1
    printf '  of them boilerplate: %s\n' "$(printf '%s\n' "$out" | grep -c 'boilerplate' || true)"
fi
