#!/usr/bin/env bash
# gui_lab.sh - tests/lab/lab.sh with what WSL gives a GUI-on distro and the lab does not model,
# for the doctor's end-to-end tests. The emulator (tests/lab/wsl) uses it through its
# WSLNS_LAB_SH hook; every command but `exec` goes to lab.sh unchanged.
#
# A command run in distro X whose lab has a view system:X (GUI apps on) gets:
#   - DISPLAY=:0 and WAYLAND_DISPLAY=wayland-0, as wsl.exe sets them;
#   - a /tmp of its own (a tmpfs in a private mount namespace of that command only, so the
#     host's /tmp is untouched) holding /tmp/.X11-unix -> /mnt/wslg/.X11-unix, as WSL's init
#     makes it; or, for the distros listed in DOCTOR_X11_DIR (read from the environment or
#     $WSLNS_LAB_DIR/doctor.conf), a plain directory there, as systemd-tmpfiles leaves it.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lab=$here/../lab/lab.sh

[[ ${1:-} == exec ]] || exec "$lab" "$@"
view=$2
shift 2
[[ ${1:-} == -- ]] && shift
case $view in
    vm | system:* | container:*) exec "$lab" exec "$view" -- "$@" ;;
esac
"$lab" views 2>/dev/null | grep -qxF -- "system:$view" || exec "$lab" exec "$view" -- "$@"

x11_dir=${DOCTOR_X11_DIR:-}
conf=${WSLNS_LAB_DIR:-/run/wslns-lab}/doctor.conf
if [[ -z $x11_dir && -r $conf ]]; then
    x11_dir=$(sed -n 's/^DOCTOR_X11_DIR=//p' "$conf")
fi
x11=link
[[ " $x11_dir " == *" $view "* ]] && x11=dir
# shellcheck disable=SC2016 # expanded by the inner shell
exec "$lab" exec "$view" -- env DISPLAY=:0 WAYLAND_DISPLAY=wayland-0 \
    unshare --mount --propagation private sh -c '
        mount -t tmpfs -o mode=1777 wslns-doctor-tmp /tmp || exit 125
        if [ "$0" = dir ]; then mkdir -m 1777 /tmp/.X11-unix
        else ln -s /mnt/wslg/.X11-unix /tmp/.X11-unix; fi || exit 125
        exec "$@"' "$x11" "$@"
