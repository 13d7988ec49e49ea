/* context.h - what the probe can tell about the place it runs in: kernel, distro, WSL markers,
 * WSLg evidence, /etc/wsl.conf. The host uses it to label views and to diagnose GUI apps.
 *
 * Contract:
 * - probe_context_collect() reads /proc only through procfd (boot_id, pid 1's environ and
 *   stat, self/mountinfo) and otherwise fixed absolute paths (/etc/os-release, /etc/wsl.conf,
 *   /mnt/wslg, /tmp, /tmp/.X11-unix, /run/systemd/system) and <automount root>wslg; it writes
 *   nothing. The one thing it does beyond reading: a non-blocking connect() to the X0 sockets
 *   (closed at once; it never waits), the only way to tell a live X server from a stale file.
 *   `environ` is the probe's own environment (a NULL-terminated array, as the global
 *   `environ`).
 * - Every string it stores is its own copy, as raw bytes with a length (files and environment
 *   may hold any bytes); probe_context_release() frees them all and may be called on a zeroed
 *   or half-filled context.
 * - A file that does not exist is simply absent (NULL / false). Any other failure to read is
 *   an entry in ctx->errors (pid 1 for pid 1's files, 0 otherwise).
 * - Out of memory ends the process (xalloc.h); nothing here fails as a value.
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
    size_t nr, alloc;
};

enum probe_x11_kind {
    PROBE_X11_MISSING,
    PROBE_X11_DIRECTORY,
    PROBE_X11_SYMLINK,
    PROBE_X11_OTHER,
};

/* What a connect() to an X11 socket path found (probe_x0_name gives the JSON names). */
enum probe_x0 {
    PROBE_X0_MISSING,    /* no such file */
    PROBE_X0_NOT_SOCKET, /* something else than a socket */
    PROBE_X0_REACHABLE,  /* a server accepted the connection */
    PROBE_X0_BUSY,       /* a server listens, its backlog is full (EAGAIN) */
    PROBE_X0_REFUSED,    /* a socket file nobody listens on (a stale one) */
    PROBE_X0_ERROR,      /* anything else: x0_err says what */
};

/* /etc/wsl.conf [automount] root is cut at this many bytes; a longer one is not used. */
#define PROBE_AUTOMOUNT_ROOT_MAX ((size_t)1024)

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
    /* WSLg's deciding evidence (WSL src/linux/init/config.cpp (3e27a6a5) ConfigInitializeX11
     * and ConfigInitializeInstance): mount points are -1 unknown, 0 no, 1 yes. */
    struct probe_bytes automount_root; /* as WSL uses it: ends in '/', default "/mnt/" */
    bool automount_root_set;           /* /etc/wsl.conf sets [automount] root */
    struct probe_bytes share_path;     /* automount_root + "wslg" */
    int share_mount_point;             /* share_path is a mount point */
    enum probe_x0 share_x0;            /* share_path/.X11-unix/X0 */
    int share_x0_err;
    int x11_unix_mount_point;      /* /tmp/.X11-unix is a mount point */
    int x11_unix_read_only;        /* ... mounted read-only (-1 unknown or not a mount point) */
    enum probe_x0 x0;              /* /tmp/.X11-unix/X0 */
    int x0_err;                    /* errno of PROBE_X0_ERROR, else 0 */
    int tmp_mount_point;           /* /tmp is a mount point */
    struct probe_bytes tmp_fstype; /* its file system type when it is one */
    struct probe_bytes gui_apps_enabled;      /* WSL2_GUI_APPS_ENABLED of the environment */
    struct probe_bytes init_gui_apps_enabled; /* ... of pid 1's environment */
    bool wslgd;                               /* /usr/bin/WSLGd exists: a WSLg system distro */
    struct probe_bytes pid1_comm;             /* raw, from /proc/1/stat */
    bool pid1_systemd;                        /* pid 1's comm is "systemd" */
    bool run_systemd_system;                  /* /run/systemd/system exists (sd_booted's test) */
    struct probe_error *errors;
    size_t error_nr, error_alloc;
};

void probe_context_collect(int procfd, char **environ_list, struct probe_context *ctx);

void probe_context_release(struct probe_context *ctx);

/* "missing", "not_socket", "reachable", "busy", "refused", "error". */
const char *probe_x0_name(enum probe_x0 state);

/* One line of /proc/self/mountinfo (proc(5): id parent major:minor root mount_point options
 * [optional...] - fstype source super_options), the fields the WSLg checks need. */
struct probe_mount_line {
    unsigned long long id; /* the mount id (statx's STATX_MNT_ID numbers the same) */
    char point[4096];      /* the mount point, the kernel's \ooo escapes undone */
    bool read_only;        /* the per-mount options start with "ro" */
    const char *fstype;    /* into the line, not NUL-terminated; NULL without " - " */
    size_t fstype_len;
};

/* Parses the line [s, e) (without its newline; the buffer must hold a NUL at or after e).
 * False for a line without a mount point or with one longer than point[] holds. Linear. */
bool probe_parse_mount_line(const char *s, const char *e, struct probe_mount_line *m);

/* [automount] root of wsl.conf text, as WSL's init uses it for the WSLg share: the first
 * `root` key of the [automount] section (names ASCII case-insensitive, blanks around the name
 * and value and a '#' comment dropped, one pair of double quotes around the value removed; a
 * simplification of WSL's grammar, which the host checks in full), with a '/' appended
 * when it does not end in one. NULL when the file does not set it (or sets a value longer than
 * PROBE_AUTOMOUNT_ROOT_MAX); otherwise malloc'd, *len its length. Linear in len. */
char *probe_automount_root(const char *text, size_t len, size_t *out_len);

/* Parses os-release text (os-release(5): KEY=value lines, values optionally in single or
 * double quotes, backslash escapes inside double quotes) into pairs. Lines that are not
 * assignments are skipped. */
void probe_parse_os_release(const char *buf, size_t len, struct probe_pairs *out);

void probe_pairs_release(struct probe_pairs *pairs);

#endif
