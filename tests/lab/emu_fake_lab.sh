#!/usr/bin/env bash
# emu_fake_lab.sh - a stand-in for lab.sh with lab.sh's interface (views, exec) but no
# namespaces: `exec VIEW -- CMD` runs CMD here with FAKE_VIEW=VIEW in its environment.
# It lets the collection tests drive the real emulator (and its pty debug shell) in a
# second, without root and without starting a lab. FAKE_LAB_VIEWS replaces the view list.
set -u
read -r -a views <<< "${FAKE_LAB_VIEWS:-vm system:Ubuntu Ubuntu NoGui system:Debian Debian}"
case ${1:-} in
    views) printf '%s\n' "${views[@]}" ;;
    exec)
        view=$2; shift 2
        [[ ${1:-} == -- ]] && shift
        distro=''
        [[ $view != vm && $view != system:* && $view != container:* ]] && distro=$view
        exec env FAKE_VIEW="$view" ${distro:+WSL_DISTRO_NAME=$distro} "$@" ;;
    *) echo "usage: $0 views | exec VIEW [--] CMD [ARGS...]" >&2; exit 2 ;;
esac
