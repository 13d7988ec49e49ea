#include "context.h"

#include "procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

static bool bytes_set(struct probe_bytes *b, const char *data, size_t len)
{
    b->data = malloc(len + 1);
    if (!b->data)
        return false;
    memcpy(b->data, data, len);
    b->data[len] = '\0';
    b->len = len;
    return true;
}

static void bytes_release(struct probe_bytes *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
}

static bool pairs_add(struct probe_pairs *pairs, const char *key, size_t key_len, const char *value,
                      size_t value_len)
{
    if (pairs->n == pairs->cap) {
        size_t cap = pairs->cap ? pairs->cap * 2 : 8;
        struct probe_pair *items = realloc(pairs->items, cap * sizeof *items);
        if (!items)
            return false;
        pairs->items = items;
        pairs->cap = cap;
    }
    struct probe_pair *p = &pairs->items[pairs->n];
    memset(p, 0, sizeof *p);
    if (!bytes_set(&p->key, key, key_len))
        return false;
    if (!bytes_set(&p->value, value, value_len)) {
        bytes_release(&p->key);
        return false;
    }
    pairs->n++;
    return true;
}

void probe_pairs_release(struct probe_pairs *pairs)
{
    for (size_t i = 0; i < pairs->n; i++) {
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

bool probe_parse_os_release(const char *buf, size_t len, struct probe_pairs *out)
{
    const char *p = buf, *end = buf + len;
    char *value = malloc(len + 1);
    if (!value)
        return false;
    bool ok = true;
    while (p < end && ok) {
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
            ok = pairs_add(out, key, (size_t)(k - key), value, n);
        }
        p = nl ? nl + 1 : end;
    }
    free(value);
    return ok;
}

#define ADD_ERROR(ctx, pid, what, err)                                                             \
    probe_errors_add(&(ctx)->errors, &(ctx)->nerrors, &(ctx)->errors_cap, (pid), (what), (err))

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
    char *buf = malloc(cap + 1);
    if (!buf) {
        close(fd);
        return ENOMEM;
    }
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
static bool note_failure(struct probe_context *ctx, int pid, const char *what, int err)
{
    if (err == 0 || err == ENOENT || err == ENOTDIR)
        return true;
    if (err == ENOMEM)
        return false;
    return ADD_ERROR(ctx, pid, what, err);
}

static bool collect_env(struct probe_context *ctx, char **environ_list)
{
    for (char **e = environ_list; e && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq)
            continue;
        size_t key_len = (size_t)(eq - *e);
        const char *value = eq + 1;
        bool wsl = strncmp(*e, "WSL_", 4) == 0 || strncmp(*e, "WSL2_", 5) == 0;
        if (wsl && !pairs_add(&ctx->env, *e, key_len, value, strlen(value)))
            return false;
        if (key_len == 15 && strncmp(*e, "WSL_DISTRO_NAME", 15) == 0 &&
            !bytes_set(&ctx->distro, value, strlen(value)))
            return false;
        if (key_len == 7 && strncmp(*e, "DISPLAY", 7) == 0 &&
            !bytes_set(&ctx->display, value, strlen(value)))
            return false;
        if (key_len == 15 && strncmp(*e, "WAYLAND_DISPLAY", 15) == 0 &&
            !bytes_set(&ctx->wayland_display, value, strlen(value)))
            return false;
    }
    return true;
}

/* /proc/1/environ is NUL-separated like cmdline; environ of a process may be large. */
#define PROBE_ENVIRON_MAX ((size_t)1024 * 1024)

static bool collect_init_env(struct probe_context *ctx, int procfd)
{
    struct probe_bytes env = {0};
    size_t size;
    int err = read_capped(procfd, "1/environ", PROBE_ENVIRON_MAX, &env, &size);
    if (err)
        return note_failure(ctx, 1, "environ", err);
    ctx->init_env_read = true;
    bool ok = true;
    size_t pos = 0, n;
    const char *entry;
    while (ok && probe_cmdline_next(env.data, env.len, &pos, &entry, &n)) {
        const char *eq = memchr(entry, '=', n);
        if (eq && n > 5 && strncmp(entry, "WSL2_", 5) == 0)
            ok = pairs_add(&ctx->init_env, entry, (size_t)(eq - entry), eq + 1,
                           n - (size_t)(eq - entry) - 1);
    }
    bytes_release(&env);
    return ok;
}

static bool collect_os_release(struct probe_context *ctx)
{
    static const char *const paths[] = {"/etc/os-release", "/usr/lib/os-release"};
    for (size_t i = 0; i < 2; i++) {
        struct probe_bytes text = {0};
        size_t size;
        int err = read_capped(AT_FDCWD, paths[i], PROBE_WSL_CONF_MAX, &text, &size);
        if (err == ENOENT)
            continue;
        if (err)
            return note_failure(ctx, 0, paths[i], err);
        bool ok = bytes_set(&ctx->os_release_path, paths[i], strlen(paths[i])) &&
                  probe_parse_os_release(text.data, text.len, &ctx->os_release);
        bytes_release(&text);
        return ok;
    }
    return true;
}

static bool collect_wslg(struct probe_context *ctx)
{
    struct stat st;
    ctx->mnt_wslg = stat("/mnt/wslg", &st) == 0 && S_ISDIR(st.st_mode);
    ctx->mnt_wslg_x11 = lstat("/mnt/wslg/.X11-unix", &st) == 0;
    ctx->wslgd = stat("/usr/bin/WSLGd", &st) == 0;
    ctx->run_systemd_system = lstat("/run/systemd/system", &st) == 0 && S_ISDIR(st.st_mode);
    if (lstat("/tmp/.X11-unix", &st) != 0) {
        ctx->x11_unix = PROBE_X11_MISSING;
        return note_failure(ctx, 0, "/tmp/.X11-unix", errno);
    }
    if (S_ISDIR(st.st_mode)) {
        ctx->x11_unix = PROBE_X11_DIRECTORY;
    } else if (S_ISLNK(st.st_mode)) {
        ctx->x11_unix = PROBE_X11_SYMLINK;
        char target[4096];
        ssize_t n = readlink("/tmp/.X11-unix", target, sizeof target);
        if (n < 0)
            return note_failure(ctx, 0, "/tmp/.X11-unix", errno);
        return bytes_set(&ctx->x11_unix_target, target, (size_t)n);
    } else {
        ctx->x11_unix = PROBE_X11_OTHER;
    }
    return true;
}

static bool collect_pid1(struct probe_context *ctx, int procfd)
{
    struct probe_bytes text = {0};
    size_t size;
    int err = read_capped(procfd, "1/stat", 4096, &text, &size);
    if (err)
        return note_failure(ctx, 1, "stat", err);
    struct probe_stat st;
    bool ok = true;
    if (probe_parse_stat(text.data, text.len, &st)) {
        ok = bytes_set(&ctx->pid1_comm, st.comm, st.comm_len);
        ctx->pid1_systemd = st.comm_len == 7 && memcmp(st.comm, "systemd", 7) == 0;
    } else {
        ok = ADD_ERROR(ctx, 1, "stat", EBADMSG);
    }
    bytes_release(&text);
    return ok;
}

bool probe_context_collect(int procfd, char **environ_list, struct probe_context *ctx)
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
        if (!note_failure(ctx, 0, "/proc/sys/kernel/random/boot_id", err))
            return false;
    } else {
        while (boot_id.len && (boot_id.data[boot_id.len - 1] == '\n'))
            boot_id.data[--boot_id.len] = '\0';
        ctx->boot_id = boot_id;
    }
    if (!collect_env(ctx, environ_list) || !collect_init_env(ctx, procfd) ||
        !collect_os_release(ctx) || !collect_wslg(ctx) || !collect_pid1(ctx, procfd))
        return false;
    err = read_capped(AT_FDCWD, "/etc/wsl.conf", PROBE_WSL_CONF_MAX, &ctx->wsl_conf, &size);
    if (err)
        return note_failure(ctx, 0, "/etc/wsl.conf", err);
    ctx->wsl_conf_size = size;
    ctx->wsl_conf_truncated = size > ctx->wsl_conf.len;
    return true;
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
    free(ctx->errors);
    memset(ctx, 0, sizeof *ctx);
}
