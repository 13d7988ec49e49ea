#!/bin/sh
# run.sh MODE PROBE CHECKER - the probe's end-to-end tests on this machine (as root),
# registered by tests/probe/CMakeLists.txt. Each mode runs the probe somewhere, checks its exit
# code and hands the document to probe_doc_check (doc_check.c). Everything it starts lives in
# a private pid namespace that dies with it; its files live in a private temporary directory.
set -u
mode=$1 probe=$2 check=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "probe/run.sh $mode: $*" >&2; exit 1; }
[ -x "$probe" ] || fail "$probe is not built"

# Runs the probe with the given arguments; output in $tmp/out, exit code in $rc.
run() { "$probe" "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; }

case $mode in
plain)
    run
    # 1 is expected where some process is not ours to inspect (a sandbox's pid 1).
    [ "$rc" -le 1 ] || fail "exit $rc: $(cat "$tmp/err")"
    if [ "$rc" -eq 1 ]; then "$check" "$tmp/out" --error EACCES; else "$check" "$tmp/out"; fi
    ;;
options)
    run --tree
    [ "$rc" -le 1 ] || fail "--tree exit $rc"
    grep -q "^pid:\[[0-9]*\]  level 0" "$tmp/out" || fail "--tree shows no level-0 namespace"
    grep -q "wslns-probe" "$tmp/out" || fail "--tree does not list the probe itself"
    run --pretty
    [ "$rc" -le 1 ] || fail "--pretty exit $rc"
    [ "$(wc -l <"$tmp/out")" -gt 20 ] || fail "--pretty is not indented over lines"
    "$check" "$tmp/out" --min-namespaces 1 || fail "--pretty document does not check"
    run --version
    [ "$rc" -eq 0 ] && grep -q "^wslns-probe [0-9]" "$tmp/out" || fail "--version"
    run --help
    [ "$rc" -eq 0 ] && grep -q "^usage: wslns-probe" "$tmp/out" || fail "--help"
    run --bogus
    [ "$rc" -eq 2 ] && grep -q "unknown argument '--bogus'" "$tmp/err" || fail "usage error: exit $rc"
    if [ -s "$tmp/out" ]; then fail "usage error printed to stdout"; fi
    run --tree --pretty
    [ "$rc" -eq 2 ] || fail "--tree --pretty: exit $rc"
    ;;
nobody)
    # nobody must be able to reach the binary; the build tree may not be traversable.
    cp "$probe" "$tmp/probe" && chmod 755 "$tmp" "$tmp/probe"
    setpriv --reuid=65534 --regid=65534 --clear-groups "$tmp/probe" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ "$rc" -eq 1 ] || fail "exit $rc, expected 1: $(cat "$tmp/err")"
    "$check" "$tmp/out" --error EACCES
    ;;
links)
    # As root, a process whose NSpid has one pid lives in the view's namespace, so its ns/pid
    # link is not read; the probe's own and those of deeper processes are. 30 processes at
    # level 0, a few at level 1: a link each for those and the probe, not 35 or so.
    unshare -fp --mount-proc --kill-child sh -c '
        i=0
        while [ $i -lt 30 ]; do sleep 1000 & i=$((i+1)); done
        unshare -fp sh -c "sleep 1000 & sleep 1000" &
        i=0
        while [ $i -lt 100 ] && ! grep -qE "^NSpid:\s+[0-9]+\s+[0-9]+$" /proc/[0-9]*/status 2>/dev/null; do
            sleep 0.05; i=$((i+1))
        done
        # LeakSanitizer cannot run under ptrace: off for this one run (sanitizer tree).
        ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
            strace -f -qq -e trace=readlinkat -o "$2/strace" "$1" >"$2/out" 2>"$2/err"
        echo $? >"$2/rc"
        ' sh "$probe" "$tmp"
    rc=$(cat "$tmp/rc")
    [ "$rc" -eq 0 ] || fail "exit $rc: $(cat "$tmp/err")"
    "$check" "$tmp/out" --no-errors --depth 2 --min-namespaces 2 || exit 1
    deeper=$(grep -o '"nspid":\[[0-9]*,' "$tmp/out" | wc -l)
    links=$(grep -c '/ns/pid"' "$tmp/strace")
    [ "$deeper" -ge 2 ] || fail "only $deeper processes below the view's namespace"
    [ "$links" -eq $((deeper + 1)) ] ||
        fail "$links ns/pid links read, expected $((deeper + 1)) (the probe's and $deeper at level 1)"
    # Without CAP_SYS_PTRACE every link is asked for, even where NSpid tells the namespace:
    # a process of root's listed after the probe (pid 500, the probe 10) still shows the
    # kernel's EACCES (those before it do anyway: their namespace is not known yet).
    cp "$probe" "$tmp/probe" && chmod 755 "$tmp" "$tmp/probe"
    unshare -fp --mount-proc --kill-child sh -c '
        echo 499 >/proc/sys/kernel/ns_last_pid
        sleep 1000 &
        echo 9 >/proc/sys/kernel/ns_last_pid
        setpriv --reuid=65534 --regid=65534 --clear-groups "$1" >"$2/out" 2>"$2/err"
        echo $? >"$2/rc"' sh "$tmp/probe" "$tmp"
    rc=$(cat "$tmp/rc")
    [ "$rc" -eq 1 ] || fail "as nobody: exit $rc, expected 1: $(cat "$tmp/err")"
    grep -q '"self":{"pid":10,' "$tmp/out" || fail "as nobody: the probe is not pid 10"
    grep -q '{"pid":500,"what":"ns/pid","errno":"EACCES"}' "$tmp/out" ||
        fail "as nobody: no ns/pid EACCES for pid 500 (root's, after the probe): link skipped?"
    ;;
nested)
    # view root (level 0) -> level 1 -> level 2; the view root's own parent is this test's
    # namespace, which lies outside the view.
    unshare -fp --mount-proc --kill-child sh -c '
        unshare -fp sh -c "unshare -fp sleep 1000 & sleep 1000" &
        i=0
        while [ $i -lt 100 ] && ! grep -qE "^NSpid:\s+[0-9]+\s+[0-9]+\s+[0-9]+$" /proc/[0-9]*/status 2>/dev/null; do
            sleep 0.05; i=$((i+1))
        done
        "$1" >"$2/out" 2>"$2/err"; echo $? >"$2/rc"
        "$1" --tree >"$2/tree"
        strace -f -qq -e trace=ioctl -o "$2/strace" "$1" >/dev/null' sh "$probe" "$tmp"
    rc=$(cat "$tmp/rc")
    [ "$rc" -eq 0 ] || fail "exit $rc: $(cat "$tmp/err")"
    "$check" "$tmp/out" --no-errors --depth 3 --hidden-root --min-namespaces 3 || exit 1
    # NS_GET_PARENT once per namespace (three here), not once per process (eight or so).
    calls=$(grep -c "NS_GET_PARENT" "$tmp/strace")
    [ "$calls" -eq 3 ] || fail "NS_GET_PARENT called $calls times for 3 namespaces"
    grep -q "parent outside this view" "$tmp/tree" || fail "--tree does not say the root's parent is outside"
    grep -qE "^ +└─ [0-9]+ / [0-9]+ / 1  sleep" "$tmp/tree" || fail "--tree does not show the 3-level chain"
    ;;
oddbytes)
    odd=$(printf 'a) (b\nc\377')
    ln -s "$(command -v sleep)" "$tmp/$odd"
    unshare -fp --mount-proc --kill-child sh -c '
        "$2/$3" 1000 &
        sh -c "sleep 1000; :" "$(printf "\376 x")" "a b" "" "q\"uote" &
        sleep 0.3
        "$1" >"$2/out" 2>"$2/err"; echo $? >"$2/rc"' sh "$probe" "$tmp" "$odd"
    rc=$(cat "$tmp/rc")
    [ "$rc" -eq 0 ] || fail "exit $rc: $(cat "$tmp/err")"
    # comm "a) (b<LF>c<FF>" and the arguments "<FE> x", "a b", "" and q"uote, byte for byte.
    "$check" "$tmp/out" --no-errors --comm-hex 61292028620a63ff --arg-hex fe2078 || exit 1
    for arg in 612062 "" 7122756f7465; do
        "$check" "$tmp/out" --arg-hex "$arg" || exit 1
    done
    ;;
churn)
    # Processes born and gone during the scan must be skipped silently: 20 scans while four
    # loops fork short-lived processes, each scan exit 0 with no errors.
    unshare -fp --mount-proc --kill-child sh -c '
        for l in 1 2 3 4; do (while :; do /bin/true; done) & done
        sleep 0.2
        i=0
        while [ $i -lt 20 ]; do
            "$1" >"$2/out$i" 2>"$2/err$i"; echo $? >"$2/rc$i"; i=$((i+1))
        done' sh "$probe" "$tmp"
    i=0
    while [ $i -lt 20 ]; do
        rc=$(cat "$tmp/rc$i")
        [ "$rc" -eq 0 ] || fail "scan $i: exit $rc: $(cat "$tmp/err$i")"
        "$check" "$tmp/out$i" --no-errors >/dev/null || { "$check" "$tmp/out$i" --no-errors; fail "scan $i"; }
        i=$((i + 1))
    done
    echo "20 scans under process churn: all complete, no errors"
    ;;
cannotmap)
    # No /proc at all (an empty directory where procfs should be).
    unshare -m sh -c 'mount -t tmpfs none /proc && exec "$1"' sh "$probe" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ "$rc" -eq 3 ] || fail "without /proc: exit $rc"
    grep -q "/proc" "$tmp/err" || fail "without /proc: the message does not say so"
    # A /proc like WSL 1's: status has no NSpid line.
    data=$(dirname "$0")/data
    unshare -m sh -c 'mount -t tmpfs none /proc && mkdir /proc/4242 &&
        cp "$2/status-no-nspid.txt" /proc/4242/status && ln -s 4242 /proc/self &&
        exec "$1"' sh "$probe" "$data" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ "$rc" -eq 3 ] || fail "without NSpid: exit $rc"
    grep -q "WSL 1" "$tmp/err" || fail "without NSpid: the message does not name WSL 1: $(cat "$tmp/err")"
    if [ -s "$tmp/out" ]; then fail "without NSpid: something on stdout"; fi
    ;;
static)
    size=$(wc -c <"$probe")
    [ "$size" -le 204800 ] || fail "$size bytes, more than 200 KB"
    if readelf -l "$probe" | grep -q INTERP; then fail "has a program interpreter (dynamically linked)"; fi
    if readelf -d "$probe" 2>/dev/null | grep -q NEEDED; then fail "needs shared libraries"; fi
    if readelf -S "$probe" | grep -q "\.symtab"; then fail "not stripped"; fi
    echo "$probe: $size bytes, static, stripped"
    ;;
*)
    fail "unknown mode"
    ;;
esac
