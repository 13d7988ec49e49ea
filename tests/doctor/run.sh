#!/usr/bin/env bash
# run.sh BUILD CASE - one end-to-end run of `wslns doctor` against the wsl.exe emulator and a
# namespace lab of its own (BUILD: posix = the native build on the emulator directly;
# windows = wslns.exe under Wine through wsl-stand-in\wsl.exe and wslns-relay-server, like
# tests/e2e/run.sh). The lab builds WSLg's layout as WSL does (a share with a listening X0,
# bound read-only on /tmp/.X11-unix; docs/lab.md) and the emulator gives GUI-on distros' commands
# WSLg's environment. The wslns-doctor/1 document is checked with check.py, the console text
# and the exit code here. The lab is always stopped, and a lab process left behind fails the
# test.
#
# CASE:
#   gui-on           GUI apps on everywhere (.wslconfig says true): every distro on, exit 0;
#                    a stopped distro is unknown and never started; --html writes the page
#                    with the doctor's sections and document
#   gui-off-global   .wslconfig guiApplications=false, a lab without system distros and an
#                    emulator whose --system always fails: every distro off, exit 0
#   wsl-conf-off     NoGui's /etc/wsl.conf turns them off for it alone: NoGui off, others on
#                    (not elevated: no debug shell, so no VM root view)
#   restart-pending  .wslconfig says off but the VM still runs with GUI apps: exit 1, the
#                    fix is wsl --shutdown
#   tmp-mount        a tmpfs over Debian's /tmp (systemd's tmp.mount) hides X0: broken, exit
#                    1; the fix the doctor prints, run in the lab, makes it on again
#   inbox            the inbox Windows 10 wsl.exe (no --system, no --version, no WSLg): every
#                    distro off although the files say on, exit 1, the fix is Store WSL
#   offline          --from a saved probe document and --wslconfig, no wsl.exe at all; then
#                    without --wslconfig: the user profile's .wslconfig
#
# Environment (set by tests/doctor/CMakeLists.txt): WSLNS_BIN, WSLNS_LAB, WSLNS_PROBE,
# WSLNS_WINE (for windows) and the Wine variables.
set -uo pipefail

build=$1 case=$2
here=$(cd "$(dirname "$0")" && pwd)
: "${WSLNS_LAB:?}" "${WSLNS_PROBE:?}"
. "$WSLNS_LAB/harness.sh"
harness_init doctor

# GUI apps off everywhere: a lab without system distros; WSL's layout then is
# root -> distro (docs/wsl.md L2-L4).
start_lab_without_gui() {
    local fs=$WSLNS_LAB_DIR/doctor-fs d
    for d in vm Ubuntu Debian NoGui; do mkdir -p "$fs/$d/etc"; done
    printf 'NAME="CBL-Mariner"\nID=mariner\nVERSION_ID="2.0"\n' > "$fs/vm/etc/os-release"
    printf 'NAME="Ubuntu"\nID=ubuntu\nVERSION_ID="22.04"\n' > "$fs/Ubuntu/etc/os-release"
    printf 'NAME="Ubuntu"\nID=ubuntu\nVERSION_ID="24.04"\n' > "$fs/NoGui/etc/os-release"
    printf '[general]\nguiApplications=false\n' > "$fs/NoGui/etc/wsl.conf"
    printf 'NAME="Debian"\nID=debian\nVERSION_ID="12"\n' > "$fs/Debian/etc/os-release"
    printf '[boot]\nsystemd=true\n' > "$fs/Debian/etc/wsl.conf"
    cat > "$work/layout" <<LAYOUT
view vm mini_init title=/init host=(none) etc=$fs/vm/etc
  proc gns title=/gns
  view Ubuntu init(Ubuntu) title=/init host=lab-pc etc=$fs/Ubuntu/etc env=WSL2_DISTRO_NAME=Ubuntu
    proc SessionLeader title=/init
      proc bash title=-bash
  view NoGui init(NoGui) title=/init host=lab-pc etc=$fs/NoGui/etc env=WSL2_DISTRO_NAME=NoGui
    proc SessionLeader title=/init
  view Debian systemd title=/sbin/init host=lab-pc etc=$fs/Debian/etc env=WSL2_DISTRO_NAME=Debian
    proc init-systemd(Debian) title=/init
      proc SessionLeader title=/init
LAYOUT
    local init=${WSLNS_LAB_INIT:-$WSLNS_BIN/wslns-lab-init}
    env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        "$init" start "$WSLNS_LAB_DIR" "$work/layout" 30 "$$" > "$work/start.log" 2>&1 ||
        { cat "$work/start.log" >&2; fail "wslns-lab-init start (a lab without system distros)"; }
}


# Every view of these cases must answer: a budget a loaded machine (ASan, Wine) meets.
good_budget=150

# doctor WSLCONFIG [ARGS...]: runs `wslns doctor --json`; exit code in $rc, the console text
# in $work/console, the document in $work/doctor.json. WSLCONFIG "-": no --wslconfig (the
# POSIX build then reads $HOME/.wslconfig with HOME=$work; the Windows build its profile's).
doctor() {
    local wslconfig=$1; shift
    local t0=$SECONDS
    local option=(--wslconfig "$wslconfig")
    if [[ $build == posix ]]; then
        [[ $wslconfig == - ]] && option=()
        HOME=$work "$WSLNS_BIN/wslns" doctor --wsl "$WSLNS_LAB/wsl" --probe "$WSLNS_PROBE" \
            --color never --timeout "$good_budget" "${option[@]}" --json "$work/doctor.json" "$@" > "$work/console" 2>&1
        rc=$?
    else
        [[ -n ${WSLNS_WINE:-} ]] || fail "no Wine"
        harness_start_relay
        local args=() a
        for a in "$@"; do [[ $a == /* ]] && args+=("$(winpath "$a")") || args+=("$a"); done
        option=(--wslconfig "$(winpath "$wslconfig")")
        [[ $wslconfig == - ]] && option=()
        WSLNS_RELAY_PORT=$relay_port "$WSLNS_WINE" "$WSLNS_BIN/wslns.exe" doctor \
            --wsl "$(winpath "$WSLNS_BIN/wsl-stand-in/wsl.exe")" --probe "$(winpath "$WSLNS_PROBE")" \
            --color never --timeout "$good_budget" "${option[@]}" \
            --json "$(winpath "$work/doctor.json")" "${args[@]}" > "$work/console" 2>&1
        rc=$?
    fi
    echo "wslns doctor ($build) exited $rc after $((SECONDS - t0)) s"
}

expect_exit() {
    [[ $rc == "$1" ]] || { cat "$work/console" >&2; fail "wslns doctor exited $rc, expected $1"; }
}

check() {
    python3 "$here/check.py" "$work/doctor.json" "$@" ||
        { echo "--- console output:" >&2; cat "$work/console" >&2; fail "the doctor's document"; }
}

# console REGEX...: every pattern matches a line of the console text.
console() {
    local p
    for p in "$@"; do
        grep -qE -- "$p" "$work/console" || { cat "$work/console" >&2; fail "console lacks /$p/"; }
    done
}

conf() { printf '%s\n' "$@" > "$WSLNS_LAB_DIR/emu.conf"; }
wslconfig() { printf '%s' "$1" > "$work/wslconfig"; }

running='Ubuntu:Running:2,Ubuntu-18.04:Running:2,Debian:Running:2,docker-desktop:Running:2'
case $case in
    gui-on)
        harness_start_lab
        conf "EMU_DISTROS=*$running,Alpine:Stopped:2" "EMU_LOG=$work/calls"
        wslconfig $'[wsl2]\nmemory=4GB\nguiApplications=true\n'
        doctor "$work/wslconfig" --html "$work/doctor.html"
        expect_exit 0
        grep -q 'id="wslns-doctor"' "$work/doctor.html" && grep -q 'GUI apps (WSLg) per distro' "$work/doctor.html" ||
            fail "the HTML report lacks the doctor's sections or document"
        check --distros 5 --gui Ubuntu=on --gui Ubuntu-18.04=on --gui Debian=on \
            --gui docker-desktop=on --gui Alpine=unknown --cause Ubuntu=wslconfig_on \
            --wslconfig true@3 --no-problem --no-finding doctor.x11_unix_directory \
            --no-finding doctor.x11_socket_unreachable --no-finding doctor.mnt_wslg_missing
        # A stopped distro is never started (wsl -d and wsl --system both would boot it).
        ! grep -q Alpine "$work/calls" || fail "the doctor ran wsl.exe for the stopped Alpine"
        grep -q -- '--version' "$work/calls" || fail "the doctor did not run wsl --version"
        console '^Ubuntu +GUI apps: on ' '^docker-desktop +GUI apps: on ' 'WSLg 1\.0\.65' ;;
    gui-off-global)
        start_lab_without_gui
        conf 'EMU_DISTROS=*Ubuntu:Running:2,NoGui:Running:2,Debian:Running:2' EMU_GUI=off
        wslconfig $'[wsl2]\nguiApplications=false\n'
        doctor "$work/wslconfig"
        expect_exit 0
        check --distros 3 --gui Ubuntu=off --gui NoGui=off --gui Debian=off \
            --cause Ubuntu=wslconfig_off --cause Debian=wslconfig_off --wslconfig false@2 \
            --finding gui.off_by_wslconfig --no-finding doctor.restart_pending --no-problem
        console '^Ubuntu +GUI apps: off ' 'fix: in .*wslconfig line 2 write `guiApplications=true` under `\[wsl2\]`, then run `wsl --shutdown`' ;;
    wsl-conf-off)
        harness_start_lab
        conf "EMU_DISTROS=*$running,NoGui:Running:2" EMU_ELEVATED=no
        wslconfig $'[wsl2]\nguiApplications=true\n'
        doctor "$work/wslconfig"
        expect_exit 0
        check --gui NoGui=off --cause NoGui=wsl_conf_off --wsl-conf NoGui=false@2 \
            --gui Ubuntu=on --gui Debian=on --wsl-conf Ubuntu=true@null \
            --finding NoGui:gui.off_by_wsl_conf --no-problem
        console '^NoGui +GUI apps: off +off by /etc/wsl.conf line 2 of distro NoGui' \
            'fix: in /etc/wsl.conf of distro NoGui line 2 write `guiApplications=true` under `\[general\]`, then run `wsl --terminate NoGui`' ;;
    restart-pending)
        harness_start_lab
        conf "EMU_DISTROS=*$running,NoGui:Running:2"
        wslconfig $'# turned off today\n[wsl2]\nguiApplications=false\n'
        doctor "$work/wslconfig"
        expect_exit 1
        check --gui Ubuntu=on --gui Debian=on --gui NoGui=off --cause Ubuntu=wslconfig_off \
            --finding Ubuntu:doctor.restart_pending --finding Debian:doctor.restart_pending \
            --no-finding doctor.still_off
        console '^Ubuntu +GUI apps: on +on although the config files turn GUI apps off' \
            'fix: run `wsl --shutdown`' ;;
    tmp-mount)
        "$WSLNS_LAB/lab.sh" start --tmp-mount Debian > "$work/start.log" 2>&1 ||
            { cat "$work/start.log" >&2; fail "lab.sh start --tmp-mount Debian"; }
        conf "EMU_DISTROS=*$running"
        wslconfig ''
        doctor "$work/wslconfig"
        expect_exit 1
        check --gui Debian=broken --gui Ubuntu=on --gui docker-desktop=on \
            --finding Debian:doctor.x11_socket_unreachable --no-finding Ubuntu:doctor.x11_socket_unreachable \
            --no-finding doctor.mnt_wslg_missing --cause Debian=default
        console '^Debian +GUI apps: broken +/tmp/\.X11-unix/X0 .*distro Debian' \
            'tmpfs is mounted over /tmp' 'systemctl mask tmp\.mount'
        ! grep -q 'rm -rf' "$work/console" || fail "the doctor suggests rm -rf"
        # The fix works on the read-only mount point: run its immediate part in the lab.
        fix=$(grep -o 'mkdir -p /tmp/\.X11-unix && mount -o bind,ro [^`]*' "$work/console" | head -1)
        [[ -n $fix ]] || fail "no mount command in the fix"
        "$WSLNS_LAB/lab.sh" exec Debian -- sh -c "$fix" || fail "the fix failed: $fix"
        doctor "$work/wslconfig"
        expect_exit 0
        check --gui Debian=on --no-problem
        console '^Debian +GUI apps: on ' ;;
    inbox)
        start_lab_without_gui
        conf 'EMU_DISTROS=*Ubuntu:Running:2,Debian:Running:2' EMU_NO_SYSTEM_OPTION=yes
        wslconfig ''
        doctor "$work/wslconfig"
        expect_exit 1
        check --distros 2 --gui Ubuntu=off --gui Debian=off --cause Ubuntu=default \
            --finding Ubuntu:doctor.inbox_wsl --finding doctor.no_wsl_version \
            --no-finding doctor.still_off
        console '^Ubuntu +GUI apps: off +off: this wsl.exe is the inbox Windows 10 one' 'wsl --update' ;;
    offline)
        harness_start_lab
        "$WSLNS_LAB/lab.sh" exec NoGui -- "$WSLNS_PROBE" > "$work/nogui.json" ||
            fail "the probe in NoGui"
        # The file was edited since NoGui started: guiApplications now sits in a misspelled
        # section, and the doctor reads the saved document, not the distro.
        wslconfig $'[ws12]\nguiApplications=false\n'
        doctor "$work/wslconfig" --from "$work/nogui.json"
        expect_exit 1
        check --distros 1 --gui NoGui=off --cause NoGui=wsl_conf_off --wslconfig true@null \
            --finding gui.misspelled_section
        console '^NoGui +GUI apps: off ' "wsl: Unknown key 'ws12.guiApplications'"
        # Without --wslconfig: the user profile's file (POSIX: $HOME; Windows: the token's
        # profile directory, which Wine keeps under C:\users).
        printf '[wsl2]\nguiApplications=false\n' > "$work/.wslconfig"
        doctor - --from "$work/nogui.json"
        expect_exit 0
        if [[ $build == posix ]]; then
            check --wslconfig false@2 --cause NoGui=wslconfig_off
            python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["wslconfig"]; sys.exit(d["path"] != sys.argv[2] or not d["found"])' \
                "$work/doctor.json" "$work/.wslconfig" || fail "the default .wslconfig is not \$HOME/.wslconfig"
        else
            python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))["wslconfig"]["path"]; sys.exit(not (p.startswith("C:\\users\\") and p.endswith("\\.wslconfig")))' \
                "$work/doctor.json" || fail "the default .wslconfig is not in the profile directory"
        fi ;;
    *) fail "unknown case $case" ;;
esac
echo "ok: $build $case"
