#include "json.h"

#include "procfs.h"
#include "strbuf.h"
#include "utf8.h"
#include "wslns_version.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Adds item under a literal key. cJSON allocates through xmalloc (main.c), so neither creating
 * an item nor adding it can fail. */
static void put(cJSON *obj, const char *key, cJSON *item)
{
    cJSON_AddItemToObjectCS(obj, key, item);
}

static void push(cJSON *array, cJSON *item)
{
    cJSON_AddItemToArray(array, item);
}

/* Integers go out as their exact decimal text (a raw item): cJSON keeps numbers as doubles
 * and prints each through sprintf("%1.15g") plus an sscanf round trip, which was a tenth of
 * the probe's user time at 10,000 processes, and would be inexact above 2^53. */
static cJSON *decimal(bool negative, uint64_t u)
{
    char text[24], *p = text + sizeof text;
    *--p = '\0';
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (negative)
        *--p = '-';
    return cJSON_CreateRaw(p);
}

static cJSON *integer(int64_t v)
{
    return v < 0 ? decimal(true, (uint64_t)0 - (uint64_t)v) : decimal(false, (uint64_t)v);
}

static cJSON *u64(uint64_t v)
{
    return decimal(false, v);
}

/* A JSON string of the bytes (bytes[len] must be NUL) when they are valid UTF-8, else of
 * utf8_sanitize(bytes); *escaped tells which. */
static cJSON *text_item(const char *bytes, size_t len, bool *escaped)
{
    *escaped = !utf8_is_valid(bytes, len);
    if (!*escaped)
        return cJSON_CreateString(bytes);
    char *s = utf8_sanitize(bytes, len);
    cJSON *item = cJSON_CreateString(s);
    free(s);
    return item;
}

static cJSON *hex_item(const char *bytes, size_t len)
{
    char *hex = hex_encode(bytes, len);
    cJSON *item = cJSON_CreateString(hex);
    free(hex);
    return item;
}

void probe_json_add_text(cJSON *obj, const char *key, const char *hex_key, const char *bytes,
                         size_t len)
{
    bool escaped;
    put(obj, key, text_item(bytes, len, &escaped));
    if (escaped)
        put(obj, hex_key, hex_item(bytes, len));
}

/* obj[key] = the text, or null when bytes is NULL. */
static void add_text_or_null(cJSON *obj, const char *key, const char *hex_key,
                             const struct probe_bytes *b)
{
    if (!b->data)
        put(obj, key, cJSON_CreateNull());
    else
        probe_json_add_text(obj, key, hex_key, b->data, b->len);
}

void probe_json_add_cmdline(cJSON *obj, const char *bytes, size_t len)
{
    cJSON *args = cJSON_CreateArray();
    put(obj, "cmdline", args);
    size_t pos = 0, n;
    const char *arg;
    bool any_escaped = false;
    while (probe_cmdline_next(bytes, len, &pos, &arg, &n)) {
        bool escaped;
        push(args, text_item(arg, n, &escaped));
        any_escaped = any_escaped || escaped;
    }
    if (!any_escaped)
        return;
    cJSON *hex = cJSON_CreateArray();
    put(obj, "cmdline_hex", hex);
    pos = 0;
    while (probe_cmdline_next(bytes, len, &pos, &arg, &n))
        push(hex, hex_item(arg, n));
}

/* One pair into map (and its hex into *hex_map, created under obj[hex_key] when first
 * needed). Repeated keys: the first one wins, as in a shell reading os-release. */
static void add_pair(cJSON *obj, cJSON *map, const char *hex_key, cJSON **hex_map,
                     const struct probe_pair *p)
{
    char *name = utf8_sanitize(p->key.data, p->key.len);
    bool escaped;
    cJSON *value = text_item(p->value.data, p->value.len, &escaped);
    if (cJSON_GetObjectItemCaseSensitive(map, name)) {
        free(name);
        cJSON_Delete(value);
        return;
    }
    cJSON_AddItemToObject(map, name, value);
    if (escaped) {
        if (!*hex_map) {
            *hex_map = cJSON_CreateObject();
            put(obj, hex_key, *hex_map);
        }
        cJSON_AddItemToObject(*hex_map, name, hex_item(p->value.data, p->value.len));
    }
    free(name);
}

/* A map of pairs as an object; values that need the escape also go, in hex, into a sibling
 * object `<key>_hex` that holds only those. Keys are sanitized (they are environment names or
 * os-release keys, ASCII in practice). */
static void add_pairs(cJSON *obj, const char *key, const char *hex_key,
                      const struct probe_pairs *pairs)
{
    cJSON *map = cJSON_CreateObject();
    put(obj, key, map);
    cJSON *hex_map = NULL;
    for (size_t i = 0; i < pairs->nr; i++)
        add_pair(obj, map, hex_key, &hex_map, &pairs->items[i]);
}

static void add_nspid(cJSON *obj, const int *nspid, size_t n)
{
    cJSON *array = cJSON_CreateArray();
    put(obj, "nspid", array);
    for (size_t i = 0; i < n; i++)
        push(array, integer(nspid[i]));
}

static cJSON *inode_or_null(uint64_t inode)
{
    return inode ? u64(inode) : cJSON_CreateNull();
}

static void add_process(cJSON *array, const struct probe_process *p)
{
    cJSON *obj = cJSON_CreateObject();
    push(array, obj);
    char state[2] = {p->state, '\0'};
    put(obj, "pid", integer(p->pid));
    add_nspid(obj, p->nspid, p->nspid_len);
    put(obj, "ppid", integer(p->ppid));
    put(obj, "pidns", inode_or_null(p->pidns));
    put(obj, "uid", integer(p->uid));
    probe_json_add_text(obj, "comm", "comm_hex", p->comm, p->comm_len);
    probe_json_add_cmdline(obj, p->cmdline, p->cmdline_len);
    put(obj, "starttime", u64(p->starttime));
    put(obj, "state", cJSON_CreateString(state));
    put(obj, "kthread", cJSON_CreateBool(p->kthread));
}

static void add_namespace(cJSON *array, const struct probe_view *view,
                          const struct probe_namespace *ns)
{
    cJSON *obj = cJSON_CreateObject();
    push(array, obj);
    put(obj, "inode", u64(ns->inode));
    put(obj, "parent", inode_or_null(ns->parent));
    put(obj, "parent_visible", cJSON_CreateBool(ns->parent_visible));
    put(obj, "level", integer(ns->level));
    put(obj, "processes", u64(ns->nprocesses));
    if (ns->init_index < 0) {
        put(obj, "init_pid", cJSON_CreateNull());
        put(obj, "init_comm", cJSON_CreateNull());
    } else {
        const struct probe_process *init = &view->processes[ns->init_index];
        put(obj, "init_pid", integer(init->pid));
        probe_json_add_text(obj, "init_comm", "init_comm_hex", init->comm, init->comm_len);
    }
    cJSON *types = cJSON_CreateObject();
    put(obj, "ns", types);
    for (int t = 0; t < PROBE_NS_TYPES; t++)
        put(types, probe_ns_types[t], inode_or_null(ns->types[t]));
}

static void add_errors(cJSON *array, const struct probe_error *errors, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char buf[16];
        cJSON *obj = cJSON_CreateObject();
        push(array, obj);
        put(obj, "pid", errors[i].pid ? integer(errors[i].pid) : cJSON_CreateNull());
        put(obj, "what", cJSON_CreateString(errors[i].what));
        put(obj, "errno", cJSON_CreateString(probe_errno_name(errors[i].err, buf)));
    }
}

static const char *x11_kind_name(enum probe_x11_kind kind)
{
    switch (kind) {
    case PROBE_X11_DIRECTORY: return "directory";
    case PROBE_X11_SYMLINK: return "symlink";
    case PROBE_X11_OTHER: return "other";
    case PROBE_X11_MISSING: break;
    }
    return "missing";
}

/* -1 unknown (null), 0 false, 1 true */
static cJSON *tristate(int v)
{
    return v < 0 ? cJSON_CreateNull() : cJSON_CreateBool(v != 0);
}

/* "x0": what a connect() found, "x0_errno": the errno name of an "error", else null. */
static void add_x0(cJSON *obj, enum probe_x0 state, int err)
{
    char buf[16];
    put(obj, "x0", cJSON_CreateString(probe_x0_name(state)));
    put(obj, "x0_errno",
        state == PROBE_X0_ERROR && err ? cJSON_CreateString(probe_errno_name(err, buf))
                                       : cJSON_CreateNull());
}

/* obj[key] = the pairs (see add_pairs) when they were read, else null. */
static void add_pairs_or_null(cJSON *obj, const char *key, const char *hex_key, bool read,
                              const struct probe_pairs *pairs)
{
    if (read)
        add_pairs(obj, key, hex_key, pairs);
    else
        put(obj, key, cJSON_CreateNull());
}

/* The distro's files: os-release (and where it was found), wsl.conf and its size. */
static void add_files(cJSON *c, const struct probe_context *ctx)
{
    bool os_release = ctx->os_release_path.data != NULL;
    add_pairs_or_null(c, "os_release", "os_release_hex", os_release, &ctx->os_release);
    if (os_release)
        add_text_or_null(c, "os_release_path", "os_release_path_hex", &ctx->os_release_path);
    add_text_or_null(c, "wsl_conf", "wsl_conf_hex", &ctx->wsl_conf);
    if (ctx->wsl_conf.data) {
        put(c, "wsl_conf_size", u64(ctx->wsl_conf_size));
        put(c, "wsl_conf_truncated", cJSON_CreateBool(ctx->wsl_conf_truncated));
    }
}

static void add_pid1(cJSON *c, const struct probe_context *ctx)
{
    cJSON *pid1 = cJSON_CreateObject();
    put(c, "pid1", pid1);
    add_text_or_null(pid1, "comm", "comm_hex", &ctx->pid1_comm);
    put(pid1, "systemd", cJSON_CreateBool(ctx->pid1_systemd));
    put(pid1, "run_systemd_system", cJSON_CreateBool(ctx->run_systemd_system));
}

/* wslg.x11_unix: what /tmp/.X11-unix is and whether X0 answers there. */
static void add_x11_unix(cJSON *wslg, const struct probe_context *ctx)
{
    cJSON *x11 = cJSON_CreateObject();
    put(wslg, "x11_unix", x11);
    put(x11, "type", cJSON_CreateString(x11_kind_name(ctx->x11_unix)));
    add_text_or_null(x11, "target", "target_hex", &ctx->x11_unix_target);
    put(x11, "mount_point", tristate(ctx->x11_unix_mount_point));
    put(x11, "read_only", tristate(ctx->x11_unix_read_only));
    add_x0(x11, ctx->x0, ctx->x0_err);
}

/* wslg.share: WSLg's X11 socket directory as the distro sees it. */
static void add_share(cJSON *wslg, const struct probe_context *ctx)
{
    cJSON *share = cJSON_CreateObject();
    put(wslg, "share", share);
    add_text_or_null(share, "path", "path_hex", &ctx->share_path);
    put(share, "mount_point", tristate(ctx->share_mount_point));
    add_x0(share, ctx->share_x0, ctx->share_x0_err);
}

static void add_tmp(cJSON *wslg, const struct probe_context *ctx)
{
    cJSON *tmp = cJSON_CreateObject();
    put(wslg, "tmp", tmp);
    put(tmp, "mount_point", tristate(ctx->tmp_mount_point));
    add_text_or_null(tmp, "fstype", "fstype_hex", &ctx->tmp_fstype);
}

/* What WSLg's GUI apps need, in the order of the schema (docs/probe.md). */
static void add_wslg(cJSON *c, const struct probe_context *ctx)
{
    cJSON *wslg = cJSON_CreateObject();
    put(c, "wslg", wslg);
    put(wslg, "mnt_wslg", cJSON_CreateBool(ctx->mnt_wslg));
    put(wslg, "mnt_wslg_x11", cJSON_CreateBool(ctx->mnt_wslg_x11));
    put(wslg, "wslgd", cJSON_CreateBool(ctx->wslgd));
    add_x11_unix(wslg, ctx);
    add_share(wslg, ctx);
    add_text_or_null(wslg, "display", "display_hex", &ctx->display);
    add_text_or_null(wslg, "wayland_display", "wayland_display_hex", &ctx->wayland_display);
    add_text_or_null(wslg, "gui_apps_enabled", "gui_apps_enabled_hex", &ctx->gui_apps_enabled);
    add_text_or_null(wslg, "init_gui_apps_enabled", "init_gui_apps_enabled_hex",
                     &ctx->init_gui_apps_enabled);
    add_text_or_null(wslg, "automount_root", "automount_root_hex", &ctx->automount_root);
    put(wslg, "automount_root_set", cJSON_CreateBool(ctx->automount_root_set));
    add_tmp(wslg, ctx);
}

/* The object "context": one step per group of keys, in the document's order. */
static void add_context(cJSON *doc, const struct probe_context *ctx)
{
    cJSON *c = cJSON_CreateObject();
    put(doc, "context", c);
    add_text_or_null(c, "distro", "distro_hex", &ctx->distro);
    add_files(c, ctx);
    add_pairs(c, "env", "env_hex", &ctx->env);
    add_pairs_or_null(c, "init_env", "init_env_hex", ctx->init_env_read, &ctx->init_env);
    add_pid1(c, ctx);
    add_wslg(c, ctx);
}

/* processes_text: when not NULL, the processes array as compact JSON text (a raw item). */
static void build(cJSON *doc, const struct probe_view *view, const struct probe_context *ctx,
                  const char *processes_text)
{
    put(doc, "schema", cJSON_CreateString(PROBE_SCHEMA));
    put(doc, "probe_version", cJSON_CreateString(WSLNS_VERSION));

    cJSON *kernel = cJSON_CreateObject();
    put(doc, "kernel", kernel);
    put(kernel, "release", cJSON_CreateString(ctx->release));
    add_text_or_null(kernel, "boot_id", "boot_id_hex", &ctx->boot_id);

    const struct probe_process *self = &view->processes[view->self_index];
    cJSON *s = cJSON_CreateObject();
    put(doc, "self", s);
    put(s, "pid", integer(self->pid));
    add_nspid(s, self->nspid, self->nspid_len);
    put(s, "pidns", inode_or_null(self->pidns));

    add_context(doc, ctx);

    cJSON *namespaces = cJSON_CreateArray();
    put(doc, "namespaces", namespaces);
    for (size_t i = 0; i < view->namespace_nr; i++)
        add_namespace(namespaces, view, &view->namespaces[i]);
    if (processes_text) {
        put(doc, "processes", cJSON_CreateRaw(processes_text));
    } else {
        cJSON *processes = cJSON_CreateArray();
        put(doc, "processes", processes);
        for (size_t i = 0; i < view->process_nr; i++)
            add_process(processes, &view->processes[i]);
    }
    cJSON *errors = cJSON_CreateArray();
    put(doc, "errors", errors);
    add_errors(errors, view->errors, view->error_nr);
    add_errors(errors, ctx->errors, ctx->error_nr);
}

cJSON *probe_json_document(const struct probe_view *view, const struct probe_context *ctx)
{
    cJSON *doc = cJSON_CreateObject();
    build(doc, view, ctx, NULL);
    return doc;
}

/* ---- the processes array straight to text ---- */

/* Appends a string literal without measuring it: the processes array is a million bytes of
 * these at 10,000 processes. */
#define put_literal(sb, literal) strbuf_append(sb, literal, sizeof literal - 1)

/* A JSON string of the C string s, escaped as cJSON 1.7.15 does (print_string_ptr): '"', '\\'
 * and \b \f \n \r \t by a backslash, other bytes below 0x20 as \u00xx in lower case, every
 * other byte as is. */
static void put_string(struct strbuf *sb, const char *s)
{
    strbuf_putc(sb, '"');
    const char *run = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c > 31 && c != '"' && c != '\\')
            continue;
        strbuf_append(sb, run, (size_t)(s - run));
        run = s + 1;
        char esc[7] = {'\\', 0};
        size_t n = 2;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = "0123456789abcdef"[c >> 4];
            esc[5] = "0123456789abcdef"[c & 15];
            n = 6;
            break;
        }
        strbuf_append(sb, esc, n);
    }
    strbuf_append(sb, run, (size_t)(s - run));
    strbuf_putc(sb, '"');
}

static void put_decimal(struct strbuf *sb, uint64_t u)
{
    char text[24], *p = text + sizeof text;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    strbuf_append(sb, p, (size_t)(text + sizeof text - p));
}

static void put_int(struct strbuf *sb, int64_t v)
{
    if (v < 0) {
        strbuf_putc(sb, '-');
        put_decimal(sb, (uint64_t)0 - (uint64_t)v);
    } else {
        put_decimal(sb, (uint64_t)v);
    }
}

/* The text item of text_item (bytes[len] is NUL): as is when valid, else sanitized; returns
 * whether it needed the escape. */
static bool put_text(struct strbuf *sb, const char *bytes, size_t len)
{
    if (utf8_is_valid(bytes, len)) {
        put_string(sb, bytes);
        return false;
    }
    char *s = utf8_sanitize(bytes, len);
    put_string(sb, s);
    free(s);
    return true;
}

static void put_hex(struct strbuf *sb, const char *bytes, size_t len)
{
    char *hex = hex_encode(bytes, len);
    put_string(sb, hex);
    free(hex);
}

/* What probe_json_add_cmdline builds: "cmdline" and, when an argument needs the escape,
 * "cmdline_hex" (keys with their leading comma). */
static void put_cmdline(struct strbuf *sb, const char *cmdline, size_t len)
{
    put_literal(sb, ",\"cmdline\":[");
    size_t pos = 0, n;
    const char *arg;
    bool any_escaped = false, first = true;
    while (probe_cmdline_next(cmdline, len, &pos, &arg, &n)) {
        if (!first)
            strbuf_putc(sb, ',');
        first = false;
        any_escaped = put_text(sb, arg, n) || any_escaped;
    }
    strbuf_putc(sb, ']');
    if (!any_escaped)
        return;
    put_literal(sb, ",\"cmdline_hex\":[");
    pos = 0;
    first = true;
    while (probe_cmdline_next(cmdline, len, &pos, &arg, &n)) {
        if (!first)
            strbuf_putc(sb, ',');
        first = false;
        put_hex(sb, arg, n);
    }
    strbuf_putc(sb, ']');
}

/* What add_process builds, as cJSON_PrintUnformatted prints it. */
static void put_process(struct strbuf *sb, const struct probe_process *p)
{
    put_literal(sb, "{\"pid\":");
    put_int(sb, p->pid);
    put_literal(sb, ",\"nspid\":[");
    for (size_t i = 0; i < p->nspid_len; i++) {
        if (i)
            strbuf_putc(sb, ',');
        put_int(sb, p->nspid[i]);
    }
    put_literal(sb, "],\"ppid\":");
    put_int(sb, p->ppid);
    put_literal(sb, ",\"pidns\":");
    if (p->pidns)
        put_decimal(sb, p->pidns);
    else
        put_literal(sb, "null");
    put_literal(sb, ",\"uid\":");
    put_int(sb, p->uid);
    put_literal(sb, ",\"comm\":");
    if (put_text(sb, p->comm, p->comm_len)) {
        put_literal(sb, ",\"comm_hex\":");
        put_hex(sb, p->comm, p->comm_len);
    }
    put_cmdline(sb, p->cmdline, p->cmdline_len);
    put_literal(sb, ",\"starttime\":");
    put_decimal(sb, p->starttime);
    char state[2] = {p->state, '\0'};
    put_literal(sb, ",\"state\":");
    put_string(sb, state);
    if (p->kthread)
        put_literal(sb, ",\"kthread\":true}");
    else
        put_literal(sb, ",\"kthread\":false}");
}

char *probe_json_text(const struct probe_view *view, const struct probe_context *ctx, bool pretty,
                      size_t *len)
{
    *len = 0;
    cJSON *doc = cJSON_CreateObject();
    char *processes = NULL;
    if (!pretty) {
        struct strbuf sb = STRBUF_INIT;
        strbuf_putc(&sb, '[');
        for (size_t i = 0; i < view->process_nr; i++) {
            if (i)
                strbuf_putc(&sb, ',');
            put_process(&sb, &view->processes[i]);
        }
        strbuf_putc(&sb, ']');
        processes = strbuf_detach(&sb, NULL);
    }
    build(doc, view, ctx, processes);
    char *text = pretty ? cJSON_Print(doc) : cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    free(processes);
    /* cJSON sizes its output exactly: one more byte for the newline. */
    size_t n = strlen(text);
    char *grown = xrealloc(text, n + 2);
    grown[n] = '\n';
    grown[n + 1] = '\0';
    *len = n + 1;
    return grown;
}
