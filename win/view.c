#include "view.h"

#include <cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idmap.h"
#include "strbuf.h"
#include "utf8.h"
#include "xalloc.h"

/* Integers in JSON are doubles: above 2^53 they are no longer exact, so no inode or
 * starttime beyond it is believed. */
#define MAX_EXACT 9007199254740992.0

struct parser {
    struct view *view;
    char message[128]; /* room for a formatted reason to reject the document */
};

static void warn(struct parser *p, const char *fmt, ...) WSLNS_PRINTF_LIKE(2, 3);

static void warn(struct parser *p, const char *fmt, ...)
{
    struct view *v = p->view;
    if (v->warning_count >= VIEW_MAX_WARNINGS) {
        v->warnings_dropped++;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    char buf[512];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    v->warnings[v->warning_count++] = str_dup(buf);
}

static bool get_number(const cJSON *item, double min, double max, double *out)
{
    if (!cJSON_IsNumber(item))
        return false;
    double d = item->valuedouble;
    if (!isfinite(d) || d != floor(d) || d < min || d > max)
        return false;
    *out = d;
    return true;
}

static bool get_i64(const cJSON *item, double min, double max, int64_t *out)
{
    double d;
    if (!get_number(item, min, max, &d))
        return false;
    *out = (int64_t)d;
    return true;
}

static bool get_u64(const cJSON *item, double min, double max, uint64_t *out)
{
    double d;
    if (!get_number(item, min, max, &d))
        return false;
    *out = (uint64_t)d;
    return true;
}

/* An inode or null: *out is 0 for null. */
static bool get_inode_or_null(const cJSON *item, uint64_t *out)
{
    if (cJSON_IsNull(item)) {
        *out = 0;
        return true;
    }
    return get_u64(item, 1, MAX_EXACT, out);
}

static char *sanitized(const cJSON *item)
{
    return utf8_sanitize(item->valuestring, strlen(item->valuestring));
}

/* The exact bytes of a text field (where.member): from its hex twin when present and
 * well-formed, otherwise the string made valid UTF-8. The probe sends bytes that are not
 * UTF-8 only through the twin, so invalid UTF-8 without one means a damaged or forged
 * document: the text is kept with U+FFFD, and a warning says so (as optional_text does). */
static char *exact_text(struct parser *p, const cJSON *text, const cJSON *hex, const char *where,
                        const char *member, const char *hex_member)
{
    if (cJSON_IsString(hex)) {
        /* A process name or argument cannot hold a NUL byte. */
        size_t len = 0;
        char *bytes = hex_decode(hex->valuestring, &len);
        if (bytes && !memchr(bytes, '\0', len))
            return bytes;
        free(bytes);
        warn(p, "%s.%s: not a hex encoding of bytes without NUL; the UTF-8 text is used", where,
             hex_member);
    }
    size_t len = strlen(text->valuestring);
    if (utf8_is_valid(text->valuestring, len))
        return str_ndup(text->valuestring, len);
    warn(p, "%s.%s: not valid UTF-8 and no %s (each bad byte is shown as U+FFFD)", where, member,
         hex_member);
    return sanitized(text);
}

static void free_strings(char **list, size_t n)
{
    if (!list)
        return;
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

/* nspid: 1..VIEW_MAX_LEVELS pids; the caller checks that the last one is the pid. */
static bool parse_nspid(const cJSON *arr, int64_t **out, size_t *levels)
{
    if (!cJSON_IsArray(arr))
        return false;
    int n = cJSON_GetArraySize(arr);
    if (n < 1 || n > VIEW_MAX_LEVELS)
        return false;
    int64_t *nspid = xcalloc((size_t)n, sizeof *nspid);
    size_t i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, arr)
    {
        if (!get_i64(item, 1, VIEW_MAX_PID, &nspid[i++])) {
            free(nspid);
            return false;
        }
    }
    *out = nspid;
    *levels = (size_t)n;
    return true;
}

static bool parse_cmdline(struct parser *p, const cJSON *proc, struct view_process *vp,
                          const char *where)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(proc, "cmdline");
    if (!cJSON_IsArray(arr))
        return false;
    int n = cJSON_GetArraySize(arr);
    if (n > VIEW_MAX_ARGS)
        return false;
    const cJSON *hex = cJSON_GetObjectItemCaseSensitive(proc, "cmdline_hex");
    if (hex && (!cJSON_IsArray(hex) || cJSON_GetArraySize(hex) != n)) {
        warn(p, "%s.cmdline_hex: not an array parallel to cmdline; the UTF-8 text is used", where);
        hex = NULL;
    }
    vp->cmdline = xcalloc((size_t)n + 1, sizeof *vp->cmdline);
    /* The twin is walked beside the argument (cJSON_GetArrayItem would start from the
     * array's head for each one: quadratic in the number of arguments). */
    const cJSON *arg, *h = hex ? hex->child : NULL;
    cJSON_ArrayForEach(arg, arr)
    {
        if (!cJSON_IsString(arg))
            return false;
        char member[32], hex_member[32];
        snprintf(member, sizeof member, "cmdline[%zu]", vp->args);
        snprintf(hex_member, sizeof hex_member, "cmdline_hex[%zu]", vp->args);
        vp->cmdline[vp->args++] = exact_text(p, arg, h, where, member, hex_member);
        h = h ? h->next : NULL;
    }
    return true;
}

static void free_process(struct view_process *vp)
{
    free(vp->nspid);
    free(vp->comm);
    free_strings(vp->cmdline, vp->args);
    memset(vp, 0, sizeof *vp);
}

/* Fills vp from one processes[] entry. Returns NULL, or the member that was wrong. */
static const char *parse_process_fields(struct parser *p, const cJSON *proc,
                                        struct view_process *vp, const char *where)
{
    if (!cJSON_IsObject(proc))
        return "expected an object";
    if (!get_i64(cJSON_GetObjectItemCaseSensitive(proc, "pid"), 1, VIEW_MAX_PID, &vp->pid))
        return "pid: expected an integer from 1 to 2147483647";
    if (!parse_nspid(cJSON_GetObjectItemCaseSensitive(proc, "nspid"), &vp->nspid, &vp->levels))
        return "nspid: expected an array of 1 to 64 positive integers";
    if (vp->nspid[0] != vp->pid && vp->nspid[vp->levels - 1] != vp->pid)
        return "nspid: neither its first element (the view's level) nor its last (the own level) "
               "is pid";
    vp->pid = vp->nspid[0];
    if (!get_i64(cJSON_GetObjectItemCaseSensitive(proc, "ppid"), 0, VIEW_MAX_PID, &vp->ppid))
        return "ppid: expected an integer from 0 to 2147483647";
    const cJSON *pidns = cJSON_GetObjectItemCaseSensitive(proc, "pidns");
    if (pidns && !get_inode_or_null(pidns, &vp->pidns))
        return "pidns: expected a positive integer or null";
    if (!get_i64(cJSON_GetObjectItemCaseSensitive(proc, "uid"), 0, 4294967295.0, &vp->uid))
        return "uid: expected an integer from 0 to 4294967295";
    if (!get_u64(cJSON_GetObjectItemCaseSensitive(proc, "starttime"), 0, MAX_EXACT, &vp->starttime))
        return "starttime: expected a non-negative integer";
    const cJSON *kthread = cJSON_GetObjectItemCaseSensitive(proc, "kthread");
    if (kthread && !cJSON_IsBool(kthread))
        return "kthread: expected true or false";
    vp->kthread = cJSON_IsTrue(kthread);
    const cJSON *state = cJSON_GetObjectItemCaseSensitive(proc, "state");
    bool letter = cJSON_IsString(state) && state->valuestring[0] >= 'A' &&
                  state->valuestring[0] <= 'z' && !state->valuestring[1];
    vp->state = letter ? state->valuestring[0] : '?';
    const cJSON *comm = cJSON_GetObjectItemCaseSensitive(proc, "comm");
    if (!cJSON_IsString(comm))
        return "comm: expected a string";
    vp->comm = exact_text(p, comm, cJSON_GetObjectItemCaseSensitive(proc, "comm_hex"), where,
                          "comm", "comm_hex");
    if (!parse_cmdline(p, proc, vp, where))
        return "cmdline: expected an array of at most 65536 strings";
    return NULL;
}

/* Duplicates are found by the view-level pid, nspid[0]: /proc lists each process once. */
static void parse_processes(struct parser *p, const cJSON *arr)
{
    struct view *v = p->view;
    struct idmap seen = IDMAP_INIT;
    size_t n = (size_t)cJSON_GetArraySize(arr), i = 0;
    v->processes = xcalloc(n, sizeof *v->processes);
    const cJSON *proc;
    cJSON_ArrayForEach(proc, arr)
    {
        char where[48];
        snprintf(where, sizeof where, "processes[%zu]", i++);
        struct view_process *vp = &v->processes[v->process_count];
        const char *problem = parse_process_fields(p, proc, vp, where);
        size_t dup;
        if (!problem && idmap_get(&seen, (uint64_t)vp->pid, 0, &dup))
            problem = "pid: the same pid is listed twice; the later entry is dropped";
        if (problem) {
            warn(p, "%s.%s (process dropped)", where, problem);
            free_process(vp);
            continue;
        }
        idmap_put(&seen, (uint64_t)vp->pid, 0, v->process_count);
        v->process_count++;
    }
    idmap_free(&seen);
}

static const char *parse_namespace_fields(const cJSON *ns, struct view_namespace *vn)
{
    if (!cJSON_IsObject(ns))
        return "expected an object";
    if (!get_u64(cJSON_GetObjectItemCaseSensitive(ns, "inode"), 1, MAX_EXACT, &vn->inode))
        return "inode: expected a positive integer";
    if (!get_inode_or_null(cJSON_GetObjectItemCaseSensitive(ns, "parent"), &vn->parent))
        return "parent: expected a positive integer or null";
    const cJSON *visible = cJSON_GetObjectItemCaseSensitive(ns, "parent_visible");
    if (!cJSON_IsBool(visible))
        return "parent_visible: expected true or false";
    vn->parent_visible = cJSON_IsTrue(visible);
    if (vn->parent && vn->parent == vn->inode)
        return "parent: a namespace cannot be its own parent";
    return NULL;
}

const char *const view_ns_types[VIEW_NS_TYPES] = {"mnt",  "uts",    "ipc", "net",
                                                  "user", "cgroup", "time"};

/* The optional "ns" object: each type an inode or null; anything else is unknown (0) and
 * said, while the namespace itself is kept. Members beyond the seven are ignored. */
static void parse_namespace_types(struct parser *p, const cJSON *ns, size_t index,
                                  struct view_namespace *vn)
{
    const cJSON *types = cJSON_GetObjectItemCaseSensitive(ns, "ns");
    if (!types)
        return;
    if (!cJSON_IsObject(types)) {
        warn(p, "namespaces[%zu].ns: expected an object (its types are unknown)", index);
        return;
    }
    for (int t = 0; t < VIEW_NS_TYPES; t++) {
        const cJSON *item = cJSON_GetObjectItemCaseSensitive(types, view_ns_types[t]);
        if (item && !get_inode_or_null(item, &vn->types[t])) {
            vn->types[t] = 0;
            warn(p, "namespaces[%zu].ns.%s: expected a positive integer or null (unknown)", index,
                 view_ns_types[t]);
        }
    }
}

static void parse_namespaces(struct parser *p, const cJSON *arr)
{
    struct view *v = p->view;
    struct idmap seen = IDMAP_INIT;
    size_t n = (size_t)cJSON_GetArraySize(arr), i = 0;
    v->namespaces = xcalloc(n, sizeof *v->namespaces);
    const cJSON *ns;
    cJSON_ArrayForEach(ns, arr)
    {
        struct view_namespace *vn = &v->namespaces[v->namespace_count];
        size_t index = i++, dup;
        const char *problem = parse_namespace_fields(ns, vn);
        if (!problem && idmap_get(&seen, vn->inode, 0, &dup))
            problem = "inode: the same namespace is listed twice; the later entry is dropped";
        if (problem) {
            warn(p, "namespaces[%zu].%s (namespace dropped)", index, problem);
            memset(vn, 0, sizeof *vn);
            continue;
        }
        parse_namespace_types(p, ns, index, vn);
        idmap_put(&seen, vn->inode, 0, v->namespace_count);
        v->namespace_count++;
    }
    idmap_free(&seen);
}

static void parse_errors(struct parser *p, const cJSON *arr)
{
    struct view *v = p->view;
    size_t n = (size_t)cJSON_GetArraySize(arr), i = 0;
    v->errors = xcalloc(n, sizeof *v->errors);
    const cJSON *e;
    cJSON_ArrayForEach(e, arr)
    {
        size_t index = i++;
        const cJSON *what = cJSON_GetObjectItemCaseSensitive(e, "what");
        const cJSON *err = cJSON_GetObjectItemCaseSensitive(e, "errno");
        int64_t pid = 0;
        const cJSON *pid_item = cJSON_GetObjectItemCaseSensitive(e, "pid");
        if (!cJSON_IsString(what) || !cJSON_IsString(err) ||
            !(cJSON_IsNull(pid_item) || get_i64(pid_item, 1, VIEW_MAX_PID, &pid))) {
            warn(p,
                 "errors[%zu]: expected {pid: int|null, what: string, errno: string} (entry "
                 "dropped)",
                 index);
            continue;
        }
        char *what_s = sanitized(what), *err_s = sanitized(err);
        v->errors[v->error_count++] =
            pid ? str_printf("pid %lld: %s (%s)", (long long)pid, what_s, err_s)
                : str_printf("%s (%s)", what_s, err_s);
        free(what_s);
        free(err_s);
    }
}

/* A string member made valid UTF-8, NULL when absent or not a string. */
static char *optional_text(struct parser *p, const cJSON *obj, const char *name)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!cJSON_IsString(item))
        return NULL;
    char *s = sanitized(item);
    /* The probe sends every text as valid UTF-8 (odd bytes travel in a hex twin), so bad
     * bytes here mean a damaged or forged document: keep the text, but say so. */
    if (strcmp(s, item->valuestring) != 0)
        warn(p, "%s: not valid UTF-8 (each bad byte is shown as U+FFFD)", name);
    return s;
}

/* WSL2_DISTRO_NAME may sit in the context directly or one object deeper (an environment
 * block); the probe's docs/probe.md decides, so look in both places. */
static char *find_wsl2_distro_name(struct parser *p, const cJSON *context)
{
    char *name = optional_text(p, context, "WSL2_DISTRO_NAME");
    const cJSON *child;
    cJSON_ArrayForEach(child, context)
    {
        if (name)
            break;
        if (cJSON_IsObject(child))
            name = optional_text(p, child, "WSL2_DISTRO_NAME");
    }
    return name;
}

static void parse_context(struct parser *p, const cJSON *context)
{
    struct view *v = p->view;
    if (!cJSON_IsObject(context))
        return;
    v->distro = optional_text(p, context, "distro");
    v->wsl_conf = optional_text(p, context, "wsl_conf");
    v->wsl2_distro_name = find_wsl2_distro_name(p, context);
    const cJSON *os = cJSON_GetObjectItemCaseSensitive(context, "os_release");
    if (cJSON_IsObject(os)) {
        v->os_name = optional_text(p, os, "PRETTY_NAME");
        if (!v->os_name)
            v->os_name = optional_text(p, os, "NAME");
    }
}

static const char *parse_kernel_and_self(struct parser *p, const cJSON *doc)
{
    struct view *v = p->view;
    const cJSON *kernel = cJSON_GetObjectItemCaseSensitive(doc, "kernel");
    if (!cJSON_IsObject(kernel))
        return "kernel: expected an object";
    v->kernel_release = optional_text(p, kernel, "release");
    if (!v->kernel_release)
        return "kernel.release: expected a string";
    /* null: the probe could not read it; the merge then cannot prove the boot. */
    const cJSON *boot = cJSON_GetObjectItemCaseSensitive(kernel, "boot_id");
    if (!cJSON_IsNull(boot)) {
        v->boot_id = optional_text(p, kernel, "boot_id");
        if (!v->boot_id || !v->boot_id[0] || strlen(v->boot_id) > 64)
            return "kernel.boot_id: expected a string of 1 to 64 characters or null";
    }
    const cJSON *self = cJSON_GetObjectItemCaseSensitive(doc, "self");
    if (!cJSON_IsObject(self))
        return "self: expected an object";
    if (!get_i64(cJSON_GetObjectItemCaseSensitive(self, "pid"), 1, VIEW_MAX_PID, &v->self_pid))
        return "self.pid: expected an integer from 1 to 2147483647";
    const cJSON *pidns = cJSON_GetObjectItemCaseSensitive(self, "pidns");
    if (pidns && !get_inode_or_null(pidns, &v->self_pidns))
        return "self.pidns: expected a positive integer or null";
    return NULL;
}

static const char *check_array(struct parser *p, const cJSON *doc, const char *name, int max,
                               bool required, const cJSON **out)
{
    char *message = p->message;
    *out = cJSON_GetObjectItemCaseSensitive(doc, name);
    if (!*out && !required)
        return NULL;
    if (!cJSON_IsArray(*out)) {
        snprintf(message, sizeof p->message, "%s: expected an array", name);
        return message;
    }
    if (cJSON_GetArraySize(*out) > max) {
        snprintf(message, sizeof p->message, "%s: more than %d entries (the limit for one view)",
                 name, max);
        return message;
    }
    return NULL;
}

/* Processes with a single level live in the view's root namespace; one that claims another
 * namespace contradicts the rest of the document and is dropped. */
static void find_root(struct parser *p)
{
    struct view *v = p->view;
    size_t kept = 0;
    for (size_t i = 0; i < v->process_count; i++) {
        struct view_process *vp = &v->processes[i];
        if (vp->levels == 1 && vp->pidns) {
            if (!v->root_pidns)
                v->root_pidns = vp->pidns;
            else if (vp->pidns != v->root_pidns) {
                warn(p,
                     "process %lld: its nspid says it is in the view's root namespace pid:[%llu], "
                     "but its pidns is pid:[%llu] (process dropped)",
                     (long long)vp->pid, (unsigned long long)v->root_pidns,
                     (unsigned long long)vp->pidns);
                free_process(vp);
                continue;
            }
        }
        v->processes[kept++] = *vp;
    }
    v->process_count = kept;
    if (!v->root_pidns)
        v->root_pidns = v->self_pidns;
}

static const char *parse_document(struct parser *p, const cJSON *doc)
{
    if (!cJSON_IsObject(doc))
        return "expected a JSON object";
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(doc, "schema");
    if (!cJSON_IsString(schema))
        return "schema: expected the string \"wslns-probe/1\"";
    if (strcmp(schema->valuestring, "wslns-probe/1") != 0)
        return "schema: not \"wslns-probe/1\" (a probe from another wslns version?)";
    /* Before the first text is read: a text with bad bytes is kept with a warning. */
    p->view->warnings = xcalloc(VIEW_MAX_WARNINGS, sizeof *p->view->warnings);
    const char *problem = parse_kernel_and_self(p, doc);
    if (problem)
        return problem;
    const cJSON *processes, *namespaces, *errors;
    if ((problem = check_array(p, doc, "processes", VIEW_MAX_PROCESSES, true, &processes)) ||
        (problem = check_array(p, doc, "namespaces", VIEW_MAX_NAMESPACES, true, &namespaces)) ||
        (problem = check_array(p, doc, "errors", VIEW_MAX_ERRORS, false, &errors)))
        return problem;
    p->view->schema = str_dup("wslns-probe/1");
    parse_context(p, cJSON_GetObjectItemCaseSensitive(doc, "context"));
    parse_namespaces(p, namespaces);
    parse_processes(p, processes);
    if (errors)
        parse_errors(p, errors);
    find_root(p);
    return NULL;
}

errmsg view_parse(const char *json, size_t len, struct view **out)
{
    *out = NULL;
    if (!json || len == 0)
        return str_dup("empty document (the probe printed nothing)");
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithLengthOpts(json, len, &end, false);
    if (!doc) {
        size_t at = end && end >= json ? (size_t)(end - json) : 0;
        return str_printf("not valid JSON (first problem at byte %zu of %zu; truncated output?)",
                          at, len);
    }
    struct parser p = {0};
    p.view = xcalloc(1, sizeof *p.view);
    const char *problem = parse_document(&p, doc);
    if (!problem && cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(doc, "context")))
        p.view->context = cJSON_DetachItemFromObjectCaseSensitive(doc, "context");
    cJSON_Delete(doc);
    if (problem) {
        view_free(p.view);
        return str_dup(problem);
    }
    *out = p.view;
    return NULL;
}

void view_free(struct view *view)
{
    if (!view)
        return;
    free(view->schema);
    free(view->kernel_release);
    free(view->boot_id);
    free(view->distro);
    free(view->wsl2_distro_name);
    free(view->os_name);
    free(view->wsl_conf);
    cJSON_Delete(view->context);
    free(view->namespaces);
    for (size_t i = 0; i < view->process_count; i++)
        free_process(&view->processes[i]);
    free(view->processes);
    free_strings(view->errors, view->error_count);
    free_strings(view->warnings, view->warning_count);
    free(view);
}
