#include "context.h"

#include "procfs.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <unistd.h>

/* statx(2) through the raw system call: musl has no wrapper. The kernel ABI's struct statx is
 * 256 bytes with stx_mask (u32) at offset 0 and stx_mnt_id (u64) at offset 144. */
#define PROBE_STATX_MNT_ID 0x00001000U
#define PROBE_STATX_SIZE 256
#define PROBE_STATX_MNT_ID_OFFSET 144

static void bytes_set(struct probe_bytes *b, const char *data, size_t len)
{
    b->data = xmalloc(len + 1);
    memcpy(b->data, data, len);
    b->data[len] = '\0';
    b->len = len;
}

static void bytes_release(struct probe_bytes *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
}

static void pairs_add(struct probe_pairs *pairs, const char *key, size_t key_len, const char *value,
                      size_t value_len)
{
    ALLOC_GROW(pairs->items, pairs->nr + 1, pairs->alloc);
    struct probe_pair *p = &pairs->items[pairs->nr++];
    bytes_set(&p->key, key, key_len);
    bytes_set(&p->value, value, value_len);
}

void probe_pairs_release(struct probe_pairs *pairs)
{
    for (size_t i = 0; i < pairs->nr; i++) {
        bytes_release(&pairs->items[i].key);
        bytes_release(&pairs->items[i].value);
    }
    free(pairs->items);
    memset(pairs, 0, sizeof *pairs);
}

static bool is_key_char(char c, bool first)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
           (!first && c >= '0' && c <= '9');
}

void probe_parse_os_release(const char *buf, size_t len, struct probe_pairs *out)
{
    const char *p = buf, *end = buf + len;
    char *value = xmalloc(len + 1);
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = nl ? nl : end;
        const char *key = p, *k = p;
        while (k < line_end && is_key_char(*k, k == key))
            k++;
        if (k > key && k < line_end && *k == '=') {
            size_t n = 0;
            char quote = 0;
            for (const char *v = k + 1; v < line_end; v++) {
                /* A backslash escapes the next byte, except inside single quotes. */
                if (quote != '\'' && *v == '\\' && v + 1 < line_end) {
                    value[n++] = *++v;
                } else if (!quote && (*v == '"' || *v == '\'')) {
                    quote = *v;
                } else if (quote && *v == quote) {
                    quote = 0;
                } else {
                    value[n++] = *v;
                }
            }
            /* An unquoted value ends at trailing blanks (CRLF files, stray spaces). */
            if (!quote)
                while (n && (value[n - 1] == '\r' || value[n - 1] == ' ' || value[n - 1] == '\t'))
                    n--;
            pairs_add(out, key, (size_t)(k - key), value, n);
        }
        p = nl ? nl + 1 : end;
    }
    free(value);
}

#define ADD_ERROR(ctx, pid, what, err)                                                             \
    probe_errors_add(&(ctx)->errors, &(ctx)->error_nr, &(ctx)->error_alloc, (pid), (what), (err))

/* Reads a small file whole (at most cap bytes); 0 or an errno value. *size gets the file's
 * size so that a cut can be reported. */
static int read_capped(int dirfd, const char *path, size_t cap, struct probe_bytes *out,
                       size_t *size)
{
    int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return errno;
    struct stat st;
    *size = fstat(fd, &st) == 0 && st.st_size > 0 ? (size_t)st.st_size : 0;
    char *buf = xmalloc(cap + 1);
    size_t used = 0;
    int err = 0;
    while (used < cap) {
        ssize_t n = read(fd, buf + used, cap - used);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            err = errno;
            break;
        }
        if (n == 0)
            break;
        used += (size_t)n;
    }
    close(fd);
    if (err) {
        free(buf);
        return err;
    }
    buf[used] = '\0';
    out->data = buf;
    out->len = used;
    if (*size < used)
        *size = used;
    return 0;
}

/* A file that is missing is normal; anything else that stops us is worth listing. */
static void note_failure(struct probe_context *ctx, int pid, const char *what, int err)
{
    if (err == 0 || err == ENOENT || err == ENOTDIR)
        return;
    ADD_ERROR(ctx, pid, what, err);
}

static void collect_env(struct probe_context *ctx, char **environ_list)
{
    for (char **e = environ_list; e && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq)
            continue;
        size_t key_len = (size_t)(eq - *e);
        const char *value = eq + 1;
        bool wsl = strncmp(*e, "WSL_", 4) == 0 || strncmp(*e, "WSL2_", 5) == 0;
        if (wsl)
            pairs_add(&ctx->env, *e, key_len, value, strlen(value));
        if (key_len == 15 && strncmp(*e, "WSL_DISTRO_NAME", 15) == 0)
            bytes_set(&ctx->distro, value, strlen(value));
        if (key_len == 7 && strncmp(*e, "DISPLAY", 7) == 0)
            bytes_set(&ctx->display, value, strlen(value));
        if (key_len == 15 && strncmp(*e, "WAYLAND_DISPLAY", 15) == 0)
            bytes_set(&ctx->wayland_display, value, strlen(value));
        if (key_len == 21 && strncmp(*e, "WSL2_GUI_APPS_ENABLED", 21) == 0)
            bytes_set(&ctx->gui_apps_enabled, value, strlen(value));
    }
}

/* /proc/1/environ is NUL-separated like cmdline; environ of a process may be large. */
#define PROBE_ENVIRON_MAX ((size_t)1024 * 1024)

static void collect_init_env(struct probe_context *ctx, int procfd)
{
    struct probe_bytes env = {0};
    size_t size;
    int err = read_capped(procfd, "1/environ", PROBE_ENVIRON_MAX, &env, &size);
    if (err) {
        note_failure(ctx, 1, "environ", err);
        return;
    }
    ctx->init_env_read = true;
    size_t pos = 0, n;
    const char *entry;
    while (probe_cmdline_next(env.data, env.len, &pos, &entry, &n)) {
        const char *eq = memchr(entry, '=', n);
        if (eq && n > 5 && strncmp(entry, "WSL2_", 5) == 0)
            pairs_add(&ctx->init_env, entry, (size_t)(eq - entry), eq + 1,
                      n - (size_t)(eq - entry) - 1);
        if (eq && eq - entry == 21 && strncmp(entry, "WSL2_GUI_APPS_ENABLED", 21) == 0 &&
            !ctx->init_gui_apps_enabled.data)
            bytes_set(&ctx->init_gui_apps_enabled, eq + 1, n - 22);
    }
    bytes_release(&env);
}

static void collect_os_release(struct probe_context *ctx)
{
    static const char *const paths[] = {"/etc/os-release", "/usr/lib/os-release"};
    for (size_t i = 0; i < 2; i++) {
        struct probe_bytes text = {0};
        size_t size;
        int err = read_capped(AT_FDCWD, paths[i], PROBE_WSL_CONF_MAX, &text, &size);
        if (err == ENOENT)
            continue;
        if (err) {
            note_failure(ctx, 0, paths[i], err);
            return;
        }
        bytes_set(&ctx->os_release_path, paths[i], strlen(paths[i]));
        probe_parse_os_release(text.data, text.len, &ctx->os_release);
        bytes_release(&text);
        return;
    }
}

/* ---- WSLg: the automount root, mount points, X0 ---- */

static char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool name_is(const char *s, size_t n, const char *name)
{
    size_t len = strlen(name);
    if (n != len)
        return false;
    for (size_t i = 0; i < n; i++)
        if (ascii_lower(s[i]) != name[i])
            return false;
    return true;
}

static void trim(const char **s, const char **e)
{
    while (*s < *e && (**s == ' ' || **s == '\t'))
        (*s)++;
    while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\r'))
        (*e)--;
}

/* A "[section]" line (s..e trimmed, starting with '['): whether it opens [automount]. */
static bool opens_automount(const char *s, const char *e)
{
    const char *close = memchr(s, ']', (size_t)(e - s));
    const char *ns = s + 1, *ne = close ? close : s + 1;
    trim(&ns, &ne);
    return close && name_is(ns, (size_t)(ne - ns), "automount");
}

/* The value after '=' (vs..ve, narrowed in place): the text between double quotes when it
 * starts with a closed pair, else up to a '#' comment, trimmed. */
static void unquote_value(const char **vs, const char **ve)
{
    trim(vs, ve);
    if (*vs < *ve && **vs == '"') {
        const char *q = memchr(*vs + 1, '"', (size_t)(*ve - *vs - 1));
        if (q) {
            (*vs)++;
            *ve = q;
            return;
        }
    }
    const char *hash = memchr(*vs, '#', (size_t)(*ve - *vs));
    if (hash)
        *ve = hash;
    trim(vs, ve);
}

/* The root value as WSL uses it: NULL when longer than PROBE_AUTOMOUNT_ROOT_MAX. */
static char *root_with_separator(const char *vs, size_t n, size_t *out_len)
{
    if (n > PROBE_AUTOMOUNT_ROOT_MAX)
        return NULL;
    char *root = xmalloc(n + 2);
    memcpy(root, vs, n);
    /* WSL appends the separator when the value does not end in one (WSL
     * src/linux/init/WslDistributionConfig.cpp (3e27a6a5)). */
    if (n == 0 || root[n - 1] != '/')
        root[n++] = '/';
    root[n] = '\0';
    *out_len = n;
    return root;
}

char *probe_automount_root(const char *text, size_t len, size_t *out_len)
{
    const char *p = text, *end = text + len;
    bool in_automount = false;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *s = p, *e = nl ? nl : end;
        p = nl ? nl + 1 : end;
        trim(&s, &e);
        if (s == e || *s == '#')
            continue;
        if (*s == '[') {
            in_automount = opens_automount(s, e);
            continue;
        }
        const char *eq = memchr(s, '=', (size_t)(e - s));
        if (!in_automount || !eq)
            continue;
        const char *ks = s, *ke = eq;
        trim(&ks, &ke);
        if (!name_is(ks, (size_t)(ke - ks), "root"))
            continue;
        const char *vs = eq + 1, *ve = e;
        unquote_value(&vs, &ve);
        return root_with_separator(vs, (size_t)(ve - vs), out_len);
    }
    return NULL;
}

const char *probe_x0_name(enum probe_x0 state)
{
    switch (state) {
    case PROBE_X0_NOT_SOCKET: return "not_socket";
    case PROBE_X0_REACHABLE: return "reachable";
    case PROBE_X0_BUSY: return "busy";
    case PROBE_X0_REFUSED: return "refused";
    case PROBE_X0_ERROR: return "error";
    case PROBE_X0_MISSING: break;
    }
    return "missing";
}

/* Whether an X server answers on the socket at path: a non-blocking connect, closed at once.
 * A unix stream connect never waits when non-blocking: it succeeds, or fails with EAGAIN when
 * the listener's backlog is full. */
static enum probe_x0 check_x0(const char *path, int *err)
{
    struct stat st;
    *err = 0;
    if (lstat(path, &st) != 0) {
        *err = errno;
        return errno == ENOENT || errno == ENOTDIR ? PROBE_X0_MISSING : PROBE_X0_ERROR;
    }
    if (!S_ISSOCK(st.st_mode))
        return PROBE_X0_NOT_SOCKET;
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    size_t len = strlen(path);
    if (len >= sizeof addr.sun_path) {
        *err = ENAMETOOLONG;
        return PROBE_X0_ERROR;
    }
    memcpy(addr.sun_path, path, len + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        *err = errno;
        return PROBE_X0_ERROR;
    }
    enum probe_x0 state = PROBE_X0_REACHABLE;
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        *err = errno;
        state = errno == EAGAIN         ? PROBE_X0_BUSY
                : errno == ECONNREFUSED ? PROBE_X0_REFUSED
                                        : PROBE_X0_ERROR;
        if (state != PROBE_X0_ERROR)
            *err = 0;
    }
    close(fd);
    return state;
}

/* The mount id of path itself (a final symlink not followed); 0 when unknown; *missing when
 * the path does not exist. */
static unsigned long long mount_id(const char *path, bool *missing)
{
    _Alignas(8) unsigned char stx[PROBE_STATX_SIZE];
    memset(stx, 0, sizeof stx);
    *missing = false;
    if (syscall(SYS_statx, AT_FDCWD, path, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT,
                PROBE_STATX_MNT_ID, stx) != 0) {
        *missing = errno == ENOENT || errno == ENOTDIR;
        return 0;
    }
    uint32_t mask;
    uint64_t id;
    memcpy(&mask, stx, sizeof mask);
    memcpy(&id, stx + PROBE_STATX_MNT_ID_OFFSET, sizeof id);
    return mask & PROBE_STATX_MNT_ID ? (unsigned long long)id : 0;
}

bool probe_parse_mount_line(const char *s, const char *e, struct probe_mount_line *m)
{
    char *next;
    m->id = strtoull(s, &next, 10);
    const char *f = next;
    /* fields: id parent major:minor root mount_point options ... - fstype source super */
    for (int i = 0; i < 3; i++) {
        while (f < e && *f == ' ')
            f++;
        while (f < e && *f != ' ')
            f++;
    }
    while (f < e && *f == ' ')
        f++;
    size_t n = 0;
    while (f < e && *f != ' ') {
        char c = *f++;
        if (c == '\\' && e - f >= 3 && f[0] >= '0' && f[0] <= '3' && f[1] >= '0' && f[1] <= '7' &&
            f[2] >= '0' && f[2] <= '7') {
            c = (char)((f[0] - '0') * 64 + (f[1] - '0') * 8 + (f[2] - '0'));
            f += 3;
        }
        if (n + 1 >= sizeof m->point)
            return false;
        m->point[n++] = c;
    }
    m->point[n] = '\0';
    while (f < e && *f == ' ')
        f++;
    m->read_only =
        e - f >= 2 && f[0] == 'r' && f[1] == 'o' && (e - f == 2 || f[2] == ',' || f[2] == ' ');
    const char *dash = NULL;
    for (const char *q = f; q + 2 < e; q++)
        if (q[0] == ' ' && q[1] == '-' && q[2] == ' ') {
            dash = q + 3;
            break;
        }
    m->fstype = dash;
    m->fstype_len = 0;
    while (dash && dash + m->fstype_len < e && dash[m->fstype_len] != ' ')
        m->fstype_len++;
    return n > 0;
}

/* A path the probe asks about: is it a mount point, and what is mounted there. */
struct mount_query {
    const char *path;
    unsigned long long id, parent_id; /* from statx; 0 = unknown */
    bool missing;                     /* the path does not exist */
    bool found;                       /* its mount is in mountinfo */
    bool read_only;
    char fstype[64];
};

static void parent_path(const char *path, char *out, size_t cap)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    while (n > 0 && path[n - 1] != '/')
        n--;
    while (n > 1 && path[n - 1] == '/')
        n--;
    if (n == 0 || n >= cap)
        n = 1;
    memcpy(out, n == 1 && path[0] != '/' ? "." : path, n);
    out[n] = '\0';
}

/* -1 unknown, 0 no, 1 yes: the path's mount differs from its parent directory's. Without
 * statx's mount ids (kernels before 5.8) the answer is the last mountinfo line for the path,
 * which misses a mount hidden by a later one on a parent directory. */
static int is_mount_point(const struct mount_query *q, bool mountinfo_read, bool last_line_match)
{
    if (q->missing)
        return 0;
    if (q->id && q->parent_id)
        return q->id != q->parent_id;
    if (!mountinfo_read)
        return -1;
    return last_line_match;
}

#define PROBE_MOUNTINFO_MAX ((size_t)4 * 1024 * 1024)

static void collect_mounts(struct probe_context *ctx, int procfd, struct mount_query *qs, size_t nq,
                           int *results)
{
    char parent[4096];
    for (size_t i = 0; i < nq; i++) {
        bool parent_missing;
        qs[i].id = mount_id(qs[i].path, &qs[i].missing);
        parent_path(qs[i].path, parent, sizeof parent);
        qs[i].parent_id = qs[i].id ? mount_id(parent, &parent_missing) : 0;
    }
    struct probe_bytes text = {0};
    size_t size;
    int err = read_capped(procfd, "self/mountinfo", PROBE_MOUNTINFO_MAX, &text, &size);
    bool read_ok = err == 0;
    bool last_match[8] = {false};
    struct probe_mount_line *m = xmalloc(sizeof *m);
    for (const char *p = text.data, *end = text.data + text.len; read_ok && p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        if (probe_parse_mount_line(p, e, m)) {
            for (size_t i = 0; i < nq && i < 8; i++) {
                bool path_match = strcmp(m->point, qs[i].path) == 0;
                bool id_match = qs[i].id && m->id == qs[i].id;
                if (path_match)
                    last_match[i] = true;
                if (id_match || (!qs[i].id && path_match)) {
                    qs[i].found = true;
                    qs[i].read_only = m->read_only;
                    size_t n = m->fstype_len < sizeof qs[i].fstype - 1 ? m->fstype_len
                                                                       : sizeof qs[i].fstype - 1;
                    memcpy(qs[i].fstype, m->fstype ? m->fstype : "", n);
                    qs[i].fstype[n] = '\0';
                }
            }
        }
        p = nl ? nl + 1 : end;
    }
    free(m);
    bytes_release(&text);
    for (size_t i = 0; i < nq; i++)
        results[i] = is_mount_point(&qs[i], read_ok, i < 8 && last_match[i]);
    note_failure(ctx, 0, "/proc/self/mountinfo", err);
}

static void collect_share(struct probe_context *ctx, int procfd)
{
    size_t len = 0;
    char *root = ctx->wsl_conf.data
                     ? probe_automount_root(ctx->wsl_conf.data, ctx->wsl_conf.len, &len)
                     : NULL;
    ctx->automount_root_set = root != NULL;
    if (root)
        bytes_set(&ctx->automount_root, root, len);
    else
        bytes_set(&ctx->automount_root, "/mnt/", 5);
    free(root);
    /* <root>wslg with runs of '/' squeezed, as the kernel resolves the path */
    char *share = xmalloc(ctx->automount_root.len + 6);
    size_t n = 0;
    /* WSL's init runs in "/": a relative root is relative to it. */
    if (ctx->automount_root.data[0] != '/')
        share[n++] = '/';
    for (size_t i = 0; i < ctx->automount_root.len; i++)
        if (!(ctx->automount_root.data[i] == '/' && n && share[n - 1] == '/'))
            share[n++] = ctx->automount_root.data[i];
    memcpy(share + n, "wslg", 5);
    n += 4;
    bytes_set(&ctx->share_path, share, n);
    free(share);

    char x0[PROBE_AUTOMOUNT_ROOT_MAX + 32];
    snprintf(x0, sizeof x0, "%s/.X11-unix/X0", ctx->share_path.data);
    ctx->share_x0 = check_x0(x0, &ctx->share_x0_err);
    ctx->x0 = check_x0("/tmp/.X11-unix/X0", &ctx->x0_err);

    struct mount_query qs[3] = {
        {.path = ctx->share_path.data}, {.path = "/tmp/.X11-unix"}, {.path = "/tmp"}};
    int mp[3];
    collect_mounts(ctx, procfd, qs, 3, mp);
    ctx->share_mount_point = mp[0];
    ctx->x11_unix_mount_point = mp[1];
    ctx->x11_unix_read_only = mp[1] == 1 && qs[1].found ? qs[1].read_only : -1;
    ctx->tmp_mount_point = mp[2];
    if (mp[2] == 1 && qs[2].found && qs[2].fstype[0])
        bytes_set(&ctx->tmp_fstype, qs[2].fstype, strlen(qs[2].fstype));
}

static void collect_wslg(struct probe_context *ctx)
{
    struct stat st;
    ctx->mnt_wslg = stat("/mnt/wslg", &st) == 0 && S_ISDIR(st.st_mode);
    ctx->mnt_wslg_x11 = lstat("/mnt/wslg/.X11-unix", &st) == 0;
    ctx->wslgd = stat("/usr/bin/WSLGd", &st) == 0;
    ctx->run_systemd_system = lstat("/run/systemd/system", &st) == 0 && S_ISDIR(st.st_mode);
    if (lstat("/tmp/.X11-unix", &st) != 0) {
        ctx->x11_unix = PROBE_X11_MISSING;
        note_failure(ctx, 0, "/tmp/.X11-unix", errno);
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        ctx->x11_unix = PROBE_X11_DIRECTORY;
    } else if (S_ISLNK(st.st_mode)) {
        ctx->x11_unix = PROBE_X11_SYMLINK;
        char target[4096];
        ssize_t n = readlink("/tmp/.X11-unix", target, sizeof target);
        if (n < 0)
            note_failure(ctx, 0, "/tmp/.X11-unix", errno);
        else
            bytes_set(&ctx->x11_unix_target, target, (size_t)n);
    } else {
        ctx->x11_unix = PROBE_X11_OTHER;
    }
}

static void collect_pid1(struct probe_context *ctx, int procfd)
{
    struct probe_bytes text = {0};
    size_t size;
    int err = read_capped(procfd, "1/stat", 4096, &text, &size);
    if (err) {
        note_failure(ctx, 1, "stat", err);
        return;
    }
    struct probe_stat st;
    if (probe_parse_stat(text.data, text.len, &st)) {
        bytes_set(&ctx->pid1_comm, st.comm, st.comm_len);
        ctx->pid1_systemd = st.comm_len == 7 && memcmp(st.comm, "systemd", 7) == 0;
    } else {
        ADD_ERROR(ctx, 1, "stat", EBADMSG);
    }
    bytes_release(&text);
}

void probe_context_collect(int procfd, char **environ_list, struct probe_context *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    struct utsname u;
    if (uname(&u) == 0) {
        memcpy(ctx->release, u.release, sizeof ctx->release - 1);
        ctx->release[sizeof ctx->release - 1] = '\0';
    }
    struct probe_bytes boot_id = {0};
    size_t size;
    int err = read_capped(procfd, "sys/kernel/random/boot_id", 64, &boot_id, &size);
    if (err) {
        note_failure(ctx, 0, "/proc/sys/kernel/random/boot_id", err);
    } else {
        while (boot_id.len && (boot_id.data[boot_id.len - 1] == '\n'))
            boot_id.data[--boot_id.len] = '\0';
        ctx->boot_id = boot_id;
    }
    collect_env(ctx, environ_list);
    collect_init_env(ctx, procfd);
    collect_os_release(ctx);
    collect_wslg(ctx);
    collect_pid1(ctx, procfd);
    /* wsl.conf first: its [automount] root tells where the WSLg share is. */
    err = read_capped(AT_FDCWD, "/etc/wsl.conf", PROBE_WSL_CONF_MAX, &ctx->wsl_conf, &size);
    if (err) {
        note_failure(ctx, 0, "/etc/wsl.conf", err);
    } else {
        ctx->wsl_conf_size = size;
        ctx->wsl_conf_truncated = size > ctx->wsl_conf.len;
    }
    collect_share(ctx, procfd);
}

void probe_context_release(struct probe_context *ctx)
{
    bytes_release(&ctx->boot_id);
    bytes_release(&ctx->distro);
    bytes_release(&ctx->os_release_path);
    probe_pairs_release(&ctx->os_release);
    probe_pairs_release(&ctx->env);
    probe_pairs_release(&ctx->init_env);
    bytes_release(&ctx->wsl_conf);
    bytes_release(&ctx->x11_unix_target);
    bytes_release(&ctx->display);
    bytes_release(&ctx->wayland_display);
    bytes_release(&ctx->pid1_comm);
    bytes_release(&ctx->automount_root);
    bytes_release(&ctx->share_path);
    bytes_release(&ctx->tmp_fstype);
    bytes_release(&ctx->gui_apps_enabled);
    bytes_release(&ctx->init_gui_apps_enabled);
    free(ctx->errors);
    memset(ctx, 0, sizeof *ctx);
}
