/* context.h - what the probe can tell about the place it runs in: kernel, distro, WSL markers,
 * WSLg evidence, /etc/wsl.conf. The host uses it to label views and to diagnose GUI apps.
 *
 * Contract:
 * - probe_context_collect() reads /proc only through procfd (boot_id, pid 1's environ and
 *   stat) and otherwise fixed absolute paths (/etc/os-release, /etc/wsl.conf, /mnt/wslg,
 *   /tmp/.X11-unix, /run/systemd/system); it writes nothing. `environ` is the probe's own
 *   environment (a NULL-terminated array, as the global `environ`).
 * - Every string it stores is its own copy, as raw bytes with a length (files and environment
 *   may hold any bytes); probe_context_release() frees them all and may be called on a zeroed
 *   or half-filled context.
 * - A file that does not exist is simply absent (NULL / false). Any other failure to read is
 *   an entry in ctx->errors (pid 1 for pid 1's files, 0 otherwise).
 * - Returns false only when memory runs out.
 */
#ifndef WSLNS_PROBE_CONTEXT_H
#define WSLNS_PROBE_CONTEXT_H

#include "scan.h"

#include <stdbool.h>
#include <stddef.h>

/* /etc/wsl.conf is kept raw for the host's config checks, up to this many bytes. */
#define PROBE_WSL_CONF_MAX ((size_t)64 * 1024)

struct probe_bytes {
    char *data; /* NULL = absent; otherwise len bytes plus a NUL the caller may ignore */
    size_t len;
};

struct probe_pair {
    struct probe_bytes key, value;
};

struct probe_pairs {
    struct probe_pair *items;
    size_t n, cap;
};

enum probe_x11_kind {
    PROBE_X11_MISSING,
    PROBE_X11_DIRECTORY,
    PROBE_X11_SYMLINK,
    PROBE_X11_OTHER,
};

struct probe_context {
    char release[65];                   /* uname -r */
    struct probe_bytes boot_id;         /* without the newline */
    struct probe_bytes distro;          /* WSL_DISTRO_NAME of the probe's environment */
    struct probe_bytes os_release_path; /* which file os_release came from */
    struct probe_pairs os_release;      /* KEY=value, quotes and escapes removed */
    struct probe_pairs env;             /* WSL_* and WSL2_* of the probe's environment */
    bool init_env_read;                 /* whether pid 1's environ could be read */
    struct probe_pairs init_env;        /* WSL2_* of pid 1's environment */
    struct probe_bytes wsl_conf;        /* at most PROBE_WSL_CONF_MAX bytes */
    size_t wsl_conf_size;               /* the file's size from fstat */
    bool wsl_conf_truncated;
    bool mnt_wslg;                               /* /mnt/wslg is a directory */
    bool mnt_wslg_x11;                           /* /mnt/wslg/.X11-unix exists */
    enum probe_x11_kind x11_unix;                /* what /tmp/.X11-unix is (lstat) */
    struct probe_bytes x11_unix_target;          /* its readlink target when it is a symlink */
    struct probe_bytes display, wayland_display; /* from the environment; NULL = unset */
    bool wslgd;                                  /* /usr/bin/WSLGd exists: a WSLg system distro */
    struct probe_bytes pid1_comm;                /* raw, from /proc/1/stat */
    bool pid1_systemd;                           /* pid 1's comm is "systemd" */
    bool run_systemd_system;                     /* /run/systemd/system exists (sd_booted's test) */
    struct probe_error *errors;
    size_t nerrors, errors_cap;
};

bool probe_context_collect(int procfd, char **environ_list, struct probe_context *ctx);

void probe_context_release(struct probe_context *ctx);

/* Parses os-release text (os-release(5): KEY=value lines, values optionally in single or
 * double quotes, backslash escapes inside double quotes) into pairs. Lines that are not
 * assignments are skipped. False only when memory runs out. */
bool probe_parse_os_release(const char *buf, size_t len, struct probe_pairs *out);

void probe_pairs_release(struct probe_pairs *pairs);

#endif
