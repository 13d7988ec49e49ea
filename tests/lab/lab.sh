#!/usr/bin/env bash
# lab.sh - WSL 2's pid-namespace layout built for real on this Linux machine (as root), so the
# probe and the host tool can be tested without Windows. docs/lab.md explains it in full.
#
#   lab.sh start [--bench N] [--tmp-mount DISTRO]...
#                              build the lab and wait until every process exists; fails when
#                              it is already running. --bench N adds a view "bench" under the
#                              VM root holding N idle processes. --tmp-mount DISTRO mounts a
#                              tmpfs over that distro's /tmp after WSL's X11 mount (systemd's
#                              tmp.mount), hiding /tmp/.X11-unix/X0: WSLg broken for X11.
#   lab.sh stop                kill it all; exit 1 if any lab process is still alive afterwards
#   lab.sh status              prints "running" (exit 0) or "not running" (exit 1)
#   lab.sh views               one view name per line, outermost first
#   lab.sh exec VIEW [--] CMD [ARGS...]
#                              CMD as root in VIEW's pid + mount namespace (its own /proc), in
#                              the caller's cwd, stdio passed through, CMD's exit code returned
#                              (125: the lab or the view is not there). Distro views get
#                              WSL_DISTRO_NAME. Safe to run concurrently.
#   lab.sh truth               the ground truth (JSON, schema wslns-lab-truth/1) read from the
#                              VM-root level, namespace parents checked against the kernel
#
# Environment:
#   WSLNS_LAB_DIR    state dir (default /run/wslns-lab); labs with different dirs coexist
#   WSLNS_LAB_OWNER  a pid: the lab started now ends itself when that process ends (tests set
#                    it to their own pid, so a test killed by a timeout leaves no lab behind)
#   WSLNS_LAB_INIT   the wslns-lab-init helper; default: $WSLNS_BIN/wslns-lab-init, else
#                    <repo>/build/bin/wslns-lab-init (cmake --build build --target wslns-lab-init)
set -euo pipefail

# No forks here or in exec and views: the wsl.exe emulator runs lab.sh for every call, and
# issue 14's collection benchmark counts that CPU as wslns's.
lab_src=${BASH_SOURCE[0]%/*}
[ "$lab_src" != "${BASH_SOURCE[0]}" ] || lab_src=.
case $lab_src in /*) ;; *) lab_src=$PWD/$lab_src ;; esac
state=${WSLNS_LAB_DIR:-/run/wslns-lab}

die() {
    printf 'lab.sh: %s\n' "$*" >&2
    exit "${exit_code:-1}"
}

# find_init: sets init to the wslns-lab-init helper's path.
find_init() {
    local c
    for c in "${WSLNS_LAB_INIT:-}" "${WSLNS_BIN:+$WSLNS_BIN/wslns-lab-init}" \
             "$lab_src/../../build/bin/wslns-lab-init"; do
        if [ -n "$c" ] && [ -x "$c" ]; then
            init=$c
            return 0
        fi
    done
    die "cannot find wslns-lab-init: build it (cmake --build build --target wslns-lab-init)" \
        "and/or set WSLNS_LAB_INIT to its path (or WSLNS_BIN to the build's bin dir)"
}

# read_info VIEW: sets info_pid, info_pidns, info_kind, info_distro from the view's record.
read_info() {
    local file="$state/views/$1.info" key value
    [ -f "$file" ] || return 1
    info_pid='' info_pidns='' info_kind='' info_distro=''
    while IFS='=' read -r key value; do
        case $key in
            pid) info_pid=$value ;;
            pidns) info_pidns=$value ;;
            kind) info_kind=$value ;;
            distro) info_distro=$value ;;
        esac
    done <"$file"
    [ -n "$info_pid" ] && [ -n "$info_pidns" ]
}

# True when the VM root's init is alive: its pid still belongs to the recorded namespace (a
# bare pid file could name a reused pid) and it is not a zombie (dead, but not yet reaped by
# the caller's init, which adopted it).
running() {
    read_info vm || return 1
    [ "$(stat -L -c %i "/proc/$info_pid/ns/pid" 2>/dev/null)" = "$info_pidns" ] || return 1
    local stat_line
    stat_line=$(cat "/proc/$info_pid/stat" 2>/dev/null) || return 1
    stat_line=${stat_line##*) }
    [ "${stat_line%% *}" != Z ]
}

# Every pid-namespace inode the lab recorded, one per line.
lab_inodes() {
    local f
    for f in "$state"/views/*.info; do
        [ -f "$f" ] && sed -n 's/^pidns=//p' "$f"
    done
}

# proc_stat PID: sets st_state and st_start (state and starttime, /proc/PID/stat fields 3 and
# 22) without a fork per process (the bench view has 10,000). Fails when PID is gone.
proc_stat() {
    local line
    read -r line 2>/dev/null <"/proc/$1/stat" || return 1
    line=${line##*) }
    read -r st_state _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ st_start _ <<<"$line"
}

# The lab's live processes, one "pid starttime" line each, as the caller's /proc numbers them.
# Only meaningful while the lab runs: a namespace inode is unique only while the namespace
# lives, and once the lab is gone a newer one (another lab) may carry the same number.
lab_members() {
    local inodes ino path pid
    inodes=" $(lab_inodes | tr '\n' ' ') "
    [ "$inodes" != "  " ] || return 0
    # Processes vanish while this runs: stat's complaints about them are expected.
    while read -r ino path; do
        case $inodes in *" $ino "*) ;; *) continue ;; esac
        pid=${path#/proc/}
        pid=${pid%%/*}
        proc_stat "$pid" && [ "$st_state" != Z ] && printf '%s %s\n' "$pid" "$st_start"
    done < <(stat -L -c '%i %n' /proc/[0-9]*/ns/pid 2>/dev/null || true)
}

# still_alive MEMBERS: the members (from lab_members) that still live, as "pid comm" lines.
# A zombie is dead already (only its parent's wait is missing) and does not count; a pid with
# another starttime is a newer, unrelated process.
still_alive() {
    local pid start comm
    while read -r pid start; do
        [ -n "$pid" ] || continue
        if ! proc_stat "$pid" || [ "$st_state" = Z ] || [ "$st_start" != "$start" ]; then
            continue
        fi
        read -r comm 2>/dev/null <"/proc/$pid/comm" || comm='?'
        printf '%s %s\n' "$pid" "$comm"
    done <<<"$1"
}

# Serialises start and stop on one state dir. The lab itself must never inherit fd 9 (it
# would hold the lock for its whole life): see the 9>&- where it is started.
with_lock() {
    mkdir -p "$state"
    exec 9>"$state/.lock"
    flock -w 30 9 || die "another lab.sh start/stop holds $state/.lock for 30 s"
}

# ---- the layout ----

write_file() { # PATH CONTENT (one final newline, whether CONTENT has it or not)
    mkdir -p "$(dirname "$1")"
    printf '%s\n' "${2%$'\n'}" >"$1"
}

os_release() { # ID VERSION_ID PRETTY_NAME [ID_LIKE]
    printf 'NAME="%s"\nID=%s\nVERSION_ID="%s"\nPRETTY_NAME="%s"\n%s' "${3%% *}" "$1" "$2" "$3" \
        "${4:+ID_LIKE=$4$'\n'}"
}

# Files each view sees over its /etc and /mnt (laid over the host's, read-only, in the view's
# own mount namespace only): an os-release per distro, wsl.conf where WSL's would differ from
# the default; and WSLg's share (bound on /mnt/wslg of a system distro, moved to
# <automount root>wslg of its distro) and each GUI-on distro's own /tmp.
prepare_files() {
    local fs=$state/fs d
    rm -rf "$fs"
    local mariner
    mariner=$(os_release mariner 2.0 "CBL-Mariner 2.0.20240628")
    for d in vm system-Ubuntu system-Ubuntu-18.04 system-Debian system-docker-desktop; do
        write_file "$fs/$d/etc/os-release" "$mariner"
    done
    for d in system-Ubuntu system-Ubuntu-18.04 system-Debian system-docker-desktop; do
        write_file "$fs/$d/etc/versions.txt" $'WSLg ( x86_64 ): 1.0.61\nMariner: 2.0.20240628\n'
    done
    write_file "$fs/Ubuntu/etc/os-release" "$(os_release ubuntu 22.04 "Ubuntu 22.04.4 LTS" debian)"
    write_file "$fs/Ubuntu-18.04/etc/os-release" \
        "$(os_release ubuntu 18.04 "Ubuntu 18.04.6 LTS" debian)"
    write_file "$fs/NoGui/etc/os-release" "$(os_release ubuntu 24.04 "Ubuntu 24.04 LTS" debian)"
    write_file "$fs/NoGui/etc/wsl.conf" $'[general]\nguiApplications=false\n'
    write_file "$fs/Debian/etc/os-release" "$(os_release debian 12 "Debian GNU/Linux 12 (bookworm)")"
    write_file "$fs/Debian/etc/wsl.conf" $'[boot]\nsystemd=true\n'
    write_file "$fs/docker-desktop/etc/os-release" \
        "$(os_release docker-desktop 4.33 "Docker Desktop")"
    write_file "$fs/container-docker-desktop/etc/os-release" \
        "$(os_release alpine 3.20.2 "Alpine Linux v3.20")"
    # Docker Desktop's distro shows the Windows drives under /mnt/host; here it stands for
    # every distro whose [automount] root is not /mnt/, which moves the WSLg share too.
    write_file "$fs/docker-desktop/etc/wsl.conf" $'[automount]\nroot = /mnt/host/\n'
    # WSLg's share, one per distro/system-distro pair (WSL src/linux/init/main.cpp
    # (3e27a6a5): a tmpfs at /mnt/wslg with .X11-unix mode 0777); the system distro's weston
    # binds X0 in it. mnt-* holds the mount points laid over /mnt (wslg/, and host/wslg/ for
    # docker-desktop); tmp-* is the distro's own /tmp.
    for d in Ubuntu Ubuntu-18.04 Debian docker-desktop; do
        mkdir -p "$fs/wslg-$d/.X11-unix" "$fs/wslg-$d/distro" "$fs/wslg-$d/runtime-dir" \
            "$fs/mnt-$d/wslg" "$fs/tmp-$d"
        chmod 0777 "$fs/wslg-$d/.X11-unix"
        chmod 1777 "$fs/tmp-$d"
        write_file "$fs/wslg-$d/versions.txt" $'WSLg ( x86_64 ): 1.0.61\n'
        write_file "$fs/wslg-$d/weston.log" $'[wslns-lab] weston started\n'
    done
    mkdir -p "$fs/mnt-docker-desktop/host/wslg"
}

# gui_keys DISTRO ROOT: the layout keys of a distro with GUI apps (its automount root, its own
# /tmp, and the tmpfs over /tmp when --tmp-mount named it).
gui_keys() {
    local keys="gui=$2 tmp=$state/fs/tmp-$1"
    case " $tmp_mount " in *" $1 "*) keys+=" tmpmount=yes" ;; esac
    printf '%s' "$keys"
}

# The tree (format: tests/lab/lab_init.c's header). The order of the lines is the order of
# the views in `lab.sh views` and of the pids inside each namespace.
write_layout() { # BENCH_COUNT (0: none)
    local fs=$state/fs
    {
        cat <<EOF
view vm mini_init title=/init host=(none) etc=$fs/vm/etc
  proc GNS title=gns
  proc init title=localhost
  proc DebugShell title=/init
    proc agetty title=/sbin/agetty
  view system:Ubuntu init() own=ipc title=/init host=lab-pc etc=$fs/system-Ubuntu/etc mnt=$fs/mnt-Ubuntu wslg=$fs/wslg-Ubuntu env=WSL2_DISTRO_NAME=Ubuntu
    proc WSLGd title=/usr/bin/WSLGd
      proc weston title=/usr/bin/weston listen=/mnt/wslg/.X11-unix/X0
        proc Xwayland title=/usr/bin/Xwayland
      proc pulseaudio title=/usr/bin/pulseaudio
    view Ubuntu init(Ubuntu) title=/init host=lab-pc etc=$fs/Ubuntu/etc $(gui_keys Ubuntu /mnt/) env=WSL2_DISTRO_NAME=Ubuntu
      proc SessionLeader title=/init
        proc Relay(9) title=/init
          proc bash title=-bash
            exec sleep 680001
  view system:Ubuntu-18.04 init() own=ipc title=/init host=lab-pc etc=$fs/system-Ubuntu-18.04/etc mnt=$fs/mnt-Ubuntu-18.04 wslg=$fs/wslg-Ubuntu-18.04 env=WSL2_DISTRO_NAME=Ubuntu-18.04
    proc WSLGd title=/usr/bin/WSLGd
      proc weston title=/usr/bin/weston listen=/mnt/wslg/.X11-unix/X0
        proc Xwayland title=/usr/bin/Xwayland
      proc pulseaudio title=/usr/bin/pulseaudio
    view Ubuntu-18.04 init(Ubuntu-18.04) title=/init host=lab-pc etc=$fs/Ubuntu-18.04/etc $(gui_keys Ubuntu-18.04 /mnt/) env=WSL2_DISTRO_NAME=Ubuntu-18.04
      exec sleep 180000
  view NoGui init(NoGui) own=ipc title=/init host=lab-pc etc=$fs/NoGui/etc env=WSL2_DISTRO_NAME=NoGui
    proc SessionLeader title=/init
      proc Relay(7) title=/init
        proc bash title=-bash
  view system:Debian init() own=ipc title=/init host=lab-pc etc=$fs/system-Debian/etc mnt=$fs/mnt-Debian wslg=$fs/wslg-Debian env=WSL2_DISTRO_NAME=Debian
    proc WSLGd title=/usr/bin/WSLGd
      proc weston title=/usr/bin/weston listen=/mnt/wslg/.X11-unix/X0
        proc Xwayland title=/usr/bin/Xwayland
      proc pulseaudio title=/usr/bin/pulseaudio
    view Debian systemd title=/sbin/init host=lab-pc etc=$fs/Debian/etc $(gui_keys Debian /mnt/) env=container=wsl env=container_host_id=windows env=container_host_version_id=2.3.26.0
      proc init-systemd(Debian) title=/init
        proc SessionLeader title=/init
          proc Relay(12) title=/init
            proc bash title=-bash
      proc systemd-journald title=/lib/systemd/systemd-journald
      proc systemd-logind title=/lib/systemd/systemd-logind
      proc dbus-daemon title=/usr/bin/dbus-daemon
  view system:docker-desktop init() own=ipc title=/init host=lab-pc etc=$fs/system-docker-desktop/etc mnt=$fs/mnt-docker-desktop wslg=$fs/wslg-docker-desktop env=WSL2_DISTRO_NAME=docker-desktop
    proc WSLGd title=/usr/bin/WSLGd
      proc weston title=/usr/bin/weston listen=/mnt/wslg/.X11-unix/X0
    view docker-desktop init(docker-desktop) title=/init host=docker-desktop etc=$fs/docker-desktop/etc $(gui_keys docker-desktop /mnt/host/) env=WSL2_DISTRO_NAME=docker-desktop
      proc dockerd title=/usr/local/bin/dockerd
        proc containerd title=containerd
      proc containerd-shim title=/usr/local/bin/containerd-shim-runc-v2
        view container:docker-desktop nginx own=ipc,net,cgroup title=nginx:master host=3f9e2c1ab7d4 etc=$fs/container-docker-desktop/etc
          proc nginx title=nginx:worker
          proc nginx title=nginx:worker
EOF
        if [ "$1" -gt 0 ]; then
            printf '  view bench bench own=ipc host=lab-pc\n    many %s idle\n' "$1"
        fi
    } >"$state/layout"
}

# ---- commands ----

cmd_start() {
    local bench=0
    tmp_mount=''
    while [ $# -gt 0 ]; do
        case $1 in
            --tmp-mount)
                [ $# -ge 2 ] || die "--tmp-mount needs a distro name"
                tmp_mount+=" $2"
                shift 2
                ;;
            --bench)
                if [ $# -lt 2 ] || ! [[ $2 =~ ^[0-9]+$ ]]; then
                    die "--bench needs a process count"
                fi
                bench=$2
                shift 2
                ;;
            *) exit_code=2 die "start: unknown option $1" ;;
        esac
    done
    local init
    find_init
    with_lock
    if running; then
        die "a lab is already running in $state (stop it first: WSLNS_LAB_DIR=$state $0 stop)"
    fi
    # Whatever a dead lab left here is stale.
    rm -rf "$state/views" "$state/views.list" "$state/layout" "$state/keep" "$state/fs" \
        "$state/lab.log"
    prepare_files
    write_layout "$bench"
    # A view with a /tmp of its own (GUI-on distros, as in WSL) must still see a checkout or
    # build that lives under /tmp (a clone there, `lab.sh exec VIEW build/bin/...`): the helper
    # binds these back.
    {
        (cd "$lab_src/../.." && pwd -P)
        if [ -n "${WSLNS_BIN:-}" ] && [ -d "$WSLNS_BIN" ]; then (cd "$WSLNS_BIN" && pwd -P); fi
    } >"$state/keep"
    if [ "$bench" -gt 0 ]; then
        # Each idle process needs a pid and a kernel stack; make room beyond the lab's own.
        local need=$((bench + 4096)) max
        max=$(cat /proc/sys/kernel/pid_max)
        if [ "$max" -lt "$need" ]; then
            echo "$need" >/proc/sys/kernel/pid_max
        fi
        ulimit -u unlimited 2>/dev/null || ulimit -u "$((need * 4))" 2>/dev/null || true
    fi
    local owner=()
    if [ -n "${WSLNS_LAB_OWNER:-}" ]; then
        owner=("$WSLNS_LAB_OWNER")
    fi
    # A clean environment, as WSL's inits get one (views add WSL2_DISTRO_NAME).
    if ! env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        "$init" start "$state" "$state/layout" $((30 + bench / 500)) "${owner[@]}" 9>&-; then
        # The helper kills what it built when it fails; this covers a helper that crashed.
        if running; then
            kill -KILL "$info_pid" 2>/dev/null || true
        fi
        die "start failed (state in $state; the lab's own log: $state/lab.log)"
    fi
    running || die "start: the VM root's init is not running after a successful start"
}

cmd_stop() {
    with_lock
    if [ ! -d "$state/views" ]; then
        return 0
    fi
    # Without a live root init nothing of the lab can be alive (see below), so only a running
    # lab has members to wait for.
    local members='' root_pid='' root_start='' left=''
    if running; then
        members=$(lab_members)
        root_pid=$info_pid
        proc_stat "$root_pid" && root_start=$st_start
        # The kernel kills every process of a pid namespace when its init dies, nested
        # namespaces included: one SIGKILL takes the whole lab down.
        kill -KILL "$root_pid" 2>/dev/null || true
    fi
    # The root init turns zombie only once every process of its namespace is gone, so wait
    # for that cheaply first (the bench view has 10,000 members), then check each member.
    # Bounds are hang guards (60 s, then 10 s more): a loaded machine may take its time.
    for _ in $(seq 1 1200); do
        if [ -z "$root_start" ] || ! proc_stat "$root_pid" || [ "$st_state" = Z ] ||
            [ "$st_start" != "$root_start" ]; then
            break
        fi
        sleep 0.05
    done
    for _ in $(seq 1 200); do
        left=$(still_alive "$members")
        [ -z "$left" ] && break
        # Only processes the kernel has not finished killing could be here; insist anyway.
        printf '%s\n' "$left" | while read -r pid _; do kill -KILL "$pid" 2>/dev/null || true; done
        sleep 0.05
    done
    if [ -n "$left" ]; then
        printf 'lab.sh: stop: lab processes still alive after 70 s:\n%s\n' "$left" >&2
        exit 1
    fi
    rm -rf "$state/views" "$state/views.list" "$state/layout" "$state/keep" "$state/fs"
}

cmd_status() {
    if running; then
        echo running
    else
        echo "not running"
        exit 1
    fi
}

cmd_views() {
    if [ -f "$state/views.list" ]; then
        local v
        while IFS= read -r v || [ -n "$v" ]; do printf '%s\n' "$v"; done <"$state/views.list"
    else
        printf '%s\n' vm system:Ubuntu Ubuntu system:Ubuntu-18.04 Ubuntu-18.04 NoGui \
            system:Debian Debian system:docker-desktop docker-desktop container:docker-desktop
    fi
}

cmd_exec() {
    exit_code=125
    [ $# -ge 2 ] || die "usage: lab.sh exec VIEW [--] CMD [ARGS...]"
    local view=$1
    shift
    [ "$1" = -- ] && shift
    [ $# -ge 1 ] || die "usage: lab.sh exec VIEW [--] CMD [ARGS...]"
    local init
    find_init
    read_info "$view" || die "no view '$view' in the lab at $state (lab.sh views lists them;" \
        "is it started?)"
    if [ "$info_kind" = distro ]; then
        export WSL_DISTRO_NAME=$info_distro
    else
        unset WSL_DISTRO_NAME
    fi
    exec "$init" enter "$info_pid" "$info_pidns" -- "$@"
}

cmd_truth() {
    running || exit_code=125 die "no lab running in $state"
    cmd_exec vm /usr/bin/python3 "$lab_src/lab_truth.py" "$state"
}

main() {
    [ $# -ge 1 ] || exit_code=2 die "usage: lab.sh start|stop|status|views|exec|truth (see docs/lab.md)"
    local cmd=$1
    shift
    case $cmd in
        start) cmd_start "$@" ;;
        stop) cmd_stop ;;
        status) cmd_status ;;
        views) cmd_views ;;
        exec) cmd_exec "$@" ;;
        truth) cmd_truth ;;
        *) exit_code=2 die "unknown command '$cmd' (start|stop|status|views|exec|truth)" ;;
    esac
}

main "$@"
