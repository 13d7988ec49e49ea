#include "diff.h"

#include <cJSON.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "strbuf.h"
#include "utf8.h"
#include "xalloc.h"

/* JSON integers are exact up to 2^53 (namespace inodes fit, docs/report.md). */
#define MAX_EXACT 9007199254740992.0

struct proc {
    uint64_t ns_a, ns_b; /* the own namespace's key (ns_key) */
    int64_t pid, starttime;
    bool kthread, matched;
    const cJSON *item;
};

struct nsref {
    uint64_t a, b;
    bool matched;
    const char *id, *label;
    const cJSON *item;
};

struct src {
    const char *kind, *distro, *path, *status, *reason;
    bool matched;
};

struct dist {
    const char *name;
    bool system, matched;
};

struct doc {
    const char *path;
    cJSON *root;
    const char *boot_id, *version;
    struct proc *procs;
    size_t nprocs;
    struct nsref *nss;
    size_t nns;
    struct src *srcs;
    size_t nsrcs;
    struct dist *dists;
    size_t ndists;
    struct nsref **ns_sorted; /* for looking a process's namespace up */
};

struct src_change {
    const struct src *old, *new; /* NULL: not in that report */
};

struct dist_change {
    const char *name;
    bool old, new;
};

struct diff {
    struct doc old, new;
    bool boot_changed;
    const struct proc **started, **ended;
    size_t nstarted, nended;
    const struct nsref **appeared, **gone;
    size_t nappeared, ngone;
    struct src_change *sources;
    size_t nsources;
    struct dist_change *distros;
    size_t ndistros;
};

/* ---- reading one document, every member checked for its type ---- */

struct reader {
    const char *path;
    char *error;
};

static bool bad(struct reader *r, const char *array, size_t i, const char *member, const char *what)
{
    if (!r->error) {
        if (array && member)
            r->error = str_printf("%s: not a wslns-report/1 document: %s[%zu].%s: %s", r->path,
                                  array, i, member, what);
        else if (array)
            r->error = str_printf("%s: not a wslns-report/1 document: %s[%zu]: %s", r->path, array,
                                  i, what);
        else
            r->error = str_printf("%s: not a wslns-report/1 document: %s: %s", r->path,
                                  member ? member : "the document", what);
    }
    return false;
}

static bool whole(const cJSON *v, double min, double max, int64_t *out)
{
    if (!cJSON_IsNumber(v))
        return false;
    double d = v->valuedouble;
    if (!isfinite(d) || d != floor(d) || d < min || d > max)
        return false;
    *out = (int64_t)d;
    return true;
}

/* A string member; optional ones may be absent or null (then *out is NULL). */
static bool string_member(struct reader *r, const cJSON *o, const char *array, size_t i,
                          const char *name, bool nullable, const char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    *out = NULL;
    if (cJSON_IsString(v) && v->valuestring) {
        *out = v->valuestring;
        return true;
    }
    if (nullable && (!v || cJSON_IsNull(v)))
        return true;
    return bad(r, array, i, name, nullable ? "expected a string or null" : "expected a string");
}

static bool int_member(struct reader *r, const cJSON *o, const char *array, size_t i,
                       const char *name, double max, int64_t *out)
{
    if (whole(cJSON_GetObjectItemCaseSensitive(o, name), 0, max, out))
        return true;
    char what[80];
    snprintf(what, sizeof what, "expected a whole number from 0 to %s",
             max == MAX_EXACT      ? "2^53"
             : max == 2147483647.0 ? "2^31-1"
                                   : "2^32-1");
    return bad(r, array, i, name, what);
}

/* A namespace id as docs/report.md writes it: "pid:[INODE]" -> (INODE, 0), the placeholder
 * "unknown:N" -> (0, N + 1). Integer keys keep every comparison O(1). */
static bool ns_key(const char *id, uint64_t *a, uint64_t *b)
{
    const char *digits;
    bool pid = false;
    if (strncmp(id, "pid:[", 5) == 0)
        digits = id + 5, pid = true;
    else if (strncmp(id, "unknown:", 8) == 0)
        digits = id + 8;
    else
        return false;
    uint64_t n = 0;
    size_t k = 0;
    for (; digits[k] >= '0' && digits[k] <= '9'; k++) {
        if (k >= 16)
            return false; /* 2^53 has 16 digits */
        n = n * 10 + (uint64_t)(digits[k] - '0');
    }
    if (k == 0 || (double)n > MAX_EXACT)
        return false;
    if (pid) {
        if (n == 0 || strcmp(digits + k, "]") != 0)
            return false;
        *a = n, *b = 0;
    } else {
        if (digits[k] != '\0')
            return false;
        *a = 0, *b = n + 1;
    }
    return true;
}

static bool strings_array(const cJSON *v)
{
    if (!cJSON_IsArray(v))
        return false;
    for (const cJSON *e = v->child; e; e = e->next)
        if (!cJSON_IsString(e) || !e->valuestring)
            return false;
    return true;
}

/* Checks process i's "pids" (one {ns, pid} per level, the last in its own namespace ns) and
 * takes its pid from the last level. */
static bool read_pids(struct reader *r, const cJSON *o, size_t i, const char *ns, int64_t *own_pid)
{
    static const char A[] = "processes";
    const cJSON *pids = cJSON_GetObjectItemCaseSensitive(o, "pids");
    if (!cJSON_IsArray(pids) || !pids->child)
        return bad(r, A, i, "pids", "expected a non-empty array");
    const cJSON *last = NULL;
    for (const cJSON *e = pids->child; e; e = e->next) {
        const cJSON *level_ns = cJSON_GetObjectItemCaseSensitive(e, "ns");
        int64_t pid = 0;
        if (!cJSON_IsObject(e) || !cJSON_IsString(level_ns) || !level_ns->valuestring ||
            !whole(cJSON_GetObjectItemCaseSensitive(e, "pid"), 1, 2147483647.0, &pid))
            return bad(r, A, i, "pids", "expected {\"ns\": string, \"pid\": 1 to 2^31-1} objects");
        last = e;
    }
    const cJSON *last_ns = cJSON_GetObjectItemCaseSensitive(last, "ns");
    if (strcmp(last_ns->valuestring, ns) != 0)
        return bad(r, A, i, "pids", "its last level is not the process's own namespace (ns)");
    whole(cJSON_GetObjectItemCaseSensitive(last, "pid"), 1, 2147483647.0, own_pid);
    return true;
}

static bool read_process(struct reader *r, const cJSON *o, size_t i, struct proc *p)
{
    static const char A[] = "processes";
    const char *ns = NULL, *s = NULL;
    if (!cJSON_IsObject(o))
        return bad(r, A, i, NULL, "expected an object");
    if (!string_member(r, o, A, i, "ns", false, &ns))
        return false;
    if (!ns_key(ns, &p->ns_a, &p->ns_b))
        return bad(r, A, i, "ns", "expected a namespace id, pid:[INODE]");
    if (!read_pids(r, o, i, ns, &p->pid))
        return false;
    int64_t ignored = 0;
    if (!int_member(r, o, A, i, "ppid", 2147483647.0, &ignored) ||
        !int_member(r, o, A, i, "uid", 4294967295.0, &ignored) ||
        !int_member(r, o, A, i, "starttime", MAX_EXACT, &p->starttime) ||
        !string_member(r, o, A, i, "comm", false, &s) ||
        !string_member(r, o, A, i, "comm_hex", true, &s) ||
        !string_member(r, o, A, i, "state", true, &s))
        return false;
    if (!strings_array(cJSON_GetObjectItemCaseSensitive(o, "cmdline")))
        return bad(r, A, i, "cmdline", "expected an array of strings");
    const cJSON *hex = cJSON_GetObjectItemCaseSensitive(o, "cmdline_hex");
    if (hex && !cJSON_IsNull(hex) && !strings_array(hex))
        return bad(r, A, i, "cmdline_hex", "expected an array of strings");
    const cJSON *kthread = cJSON_GetObjectItemCaseSensitive(o, "kthread");
    if (kthread && !cJSON_IsBool(kthread))
        return bad(r, A, i, "kthread", "expected true or false");
    p->kthread = cJSON_IsTrue(kthread);
    p->item = o;
    return true;
}

static bool read_namespace(struct reader *r, const cJSON *o, size_t i, struct nsref *n)
{
    static const char A[] = "namespaces";
    const char *s = NULL;
    int64_t ignored = 0;
    if (!cJSON_IsObject(o))
        return bad(r, A, i, NULL, "expected an object");
    if (!string_member(r, o, A, i, "id", false, &n->id))
        return false;
    if (!ns_key(n->id, &n->a, &n->b))
        return bad(r, A, i, "id", "expected pid:[INODE] or unknown:N");
    const cJSON *inode = cJSON_GetObjectItemCaseSensitive(o, "inode");
    if (!cJSON_IsNull(inode) && !whole(inode, 1, MAX_EXACT, &ignored))
        return bad(r, A, i, "inode", "expected a whole number from 1 to 2^53 or null");
    const cJSON *depth = cJSON_GetObjectItemCaseSensitive(o, "depth");
    if (depth && !whole(depth, 0, 2147483647.0, &ignored))
        return bad(r, A, i, "depth", "expected a whole number");
    if (!string_member(r, o, A, i, "parent", true, &s) ||
        !string_member(r, o, A, i, "kind", false, &s) ||
        !string_member(r, o, A, i, "distro", true, &s) ||
        !string_member(r, o, A, i, "label", false, &n->label))
        return false;
    n->item = o;
    return true;
}

static bool read_source(struct reader *r, const cJSON *o, size_t i, struct src *s)
{
    static const char A[] = "sources";
    if (!cJSON_IsObject(o))
        return bad(r, A, i, NULL, "expected an object");
    return string_member(r, o, A, i, "kind", false, &s->kind) &&
           string_member(r, o, A, i, "distro", true, &s->distro) &&
           string_member(r, o, A, i, "status", false, &s->status) &&
           string_member(r, o, A, i, "reason", true, &s->reason) &&
           string_member(r, o, A, i, "path", true, &s->path);
}

static bool read_distro(struct reader *r, const cJSON *o, size_t i, struct dist *d)
{
    static const char A[] = "distros";
    const char *system = NULL, *ns = NULL;
    if (!cJSON_IsObject(o))
        return bad(r, A, i, NULL, "expected an object");
    if (!string_member(r, o, A, i, "name", false, &d->name) ||
        !string_member(r, o, A, i, "ns", true, &ns) ||
        !string_member(r, o, A, i, "system_ns", true, &system))
        return false;
    d->system = system != NULL;
    return true;
}

/* The array member name as n items of size bytes, each read by fn; optional arrays may be
 * absent (reports written before they existed). */
#define READ_ARRAY(r, root, name, optional, items, count, fn)                                      \
    do {                                                                                           \
        const cJSON *arr_ = cJSON_GetObjectItemCaseSensitive(root, name);                          \
        if (!arr_ && (optional))                                                                   \
            break;                                                                                 \
        if (!cJSON_IsArray(arr_))                                                                  \
            return bad(r, NULL, 0, name, "expected an array");                                     \
        size_t n_ = (size_t)cJSON_GetArraySize(arr_);                                              \
        (items) = xcalloc(n_ + 1, sizeof *(items));                                                \
        size_t i_ = 0;                                                                             \
        for (const cJSON *e_ = arr_->child; e_; e_ = e_->next, i_++)                               \
            if (!fn(r, e_, i_, &(items)[i_]))                                                      \
                return false;                                                                      \
        (count) = i_;                                                                              \
    } while (0)

static int by_ns_key(const void *x, const void *y)
{
    const struct nsref *a = *(const struct nsref *const *)x, *b = *(const struct nsref *const *)y;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    if (a->b != b->b)
        return a->b < b->b ? -1 : 1;
    return (a > b) - (a < b); /* document order among duplicates */
}

static bool read_doc(struct reader *r, const char *data, size_t len, struct doc *d)
{
    d->path = r->path;
    d->root = cJSON_ParseWithLength(data, len);
    if (!d->root)
        return bad(r, NULL, 0, NULL, "not valid JSON");
    if (!cJSON_IsObject(d->root))
        return bad(r, NULL, 0, NULL, "expected a JSON object");
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(d->root, "schema");
    if (!cJSON_IsString(schema) || !schema->valuestring ||
        strcmp(schema->valuestring, "wslns-report/1") != 0)
        return bad(r, NULL, 0, "schema",
                   "expected \"wslns-report/1\" (write one with wslns --json FILE)");
    if (!string_member(r, d->root, NULL, 0, "boot_id", true, &d->boot_id))
        return false;
    const cJSON *tool = cJSON_GetObjectItemCaseSensitive(d->root, "tool");
    if (cJSON_IsObject(tool)) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(tool, "version");
        d->version = cJSON_IsString(v) ? v->valuestring : NULL;
    }
    READ_ARRAY(r, d->root, "processes", false, d->procs, d->nprocs, read_process);
    READ_ARRAY(r, d->root, "namespaces", false, d->nss, d->nns, read_namespace);
    READ_ARRAY(r, d->root, "sources", false, d->srcs, d->nsrcs, read_source);
    READ_ARRAY(r, d->root, "distros", true, d->dists, d->ndists, read_distro);
    d->ns_sorted = xcalloc(d->nns + 1, sizeof *d->ns_sorted);
    for (size_t i = 0; i < d->nns; i++)
        d->ns_sorted[i] = &d->nss[i];
    qsort(d->ns_sorted, d->nns, sizeof *d->ns_sorted, by_ns_key);
    return true;
}

static void doc_free(struct doc *d)
{
    cJSON_Delete(d->root);
    free(d->procs);
    free(d->nss);
    free(d->srcs);
    free(d->dists);
    free(d->ns_sorted);
}

/* The namespace with this key in d, or NULL (binary search: O(log n)). */
static const struct nsref *find_ns(const struct doc *d, uint64_t a, uint64_t b)
{
    size_t lo = 0, hi = d->nns;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct nsref *n = d->ns_sorted[mid];
        if (n->a < a || (n->a == a && n->b < b))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < d->nns && d->ns_sorted[lo]->a == a && d->ns_sorted[lo]->b == b)
        return d->ns_sorted[lo];
    return NULL;
}

/* ---- matching: sort both sides by identity, then one merge pass ---- */

static int cmp_u64(uint64_t x, uint64_t y)
{
    return (x > y) - (x < y);
}

static int cmp_i64(int64_t x, int64_t y)
{
    return (x > y) - (x < y);
}

static int proc_identity(const void *x, const void *y)
{
    const struct proc *a = *(const struct proc *const *)x, *b = *(const struct proc *const *)y;
    int c = cmp_u64(a->ns_a, b->ns_a);
    c = c ? c : cmp_u64(a->ns_b, b->ns_b);
    c = c ? c : cmp_i64(a->pid, b->pid);
    return c ? c : cmp_i64(a->starttime, b->starttime);
}

static int ns_identity(const void *x, const void *y)
{
    const struct nsref *a = *(const struct nsref *const *)x, *b = *(const struct nsref *const *)y;
    int c = cmp_u64(a->a, b->a);
    return c ? c : cmp_u64(a->b, b->b);
}

/* NULL sorts before every string. */
static int cmp_opt(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int src_identity(const void *x, const void *y)
{
    const struct src *a = *(const struct src *const *)x, *b = *(const struct src *const *)y;
    int c = strcmp(a->kind, b->kind);
    c = c ? c : cmp_opt(a->distro, b->distro);
    return c ? c : cmp_opt(a->path, b->path);
}

static int dist_identity(const void *x, const void *y)
{
    const struct dist *a = *(const struct dist *const *)x, *b = *(const struct dist *const *)y;
    return strcmp(a->name, b->name);
}

/* Pairs the items of two arrays that compare equal (one to one, in sorted order), calling
 * pair(ctx, old_item, new_item) for each pair. elem bytes per item; items reached through
 * pointer arrays so that the originals keep their document order. */
static void match(void *old_items, size_t nold, void *new_items, size_t nnew, size_t elem,
                  int (*cmp)(const void *, const void *), void (*pair)(void *, void *, void *),
                  void *ctx)
{
    void **o = xcalloc(nold + 1, sizeof *o), **n = xcalloc(nnew + 1, sizeof *n);
    for (size_t i = 0; i < nold; i++)
        o[i] = (char *)old_items + i * elem;
    for (size_t i = 0; i < nnew; i++)
        n[i] = (char *)new_items + i * elem;
    qsort(o, nold, sizeof *o, cmp);
    qsort(n, nnew, sizeof *n, cmp);
    size_t i = 0, j = 0;
    while (i < nold && j < nnew) {
        int c = cmp(&o[i], &n[j]);
        if (c < 0)
            i++;
        else if (c > 0)
            j++;
        else
            pair(ctx, o[i++], n[j++]);
    }
    free(o);
    free(n);
}

static void pair_proc(void *ctx, void *a, void *b)
{
    (void)ctx;
    ((struct proc *)a)->matched = ((struct proc *)b)->matched = true;
}

static void pair_ns(void *ctx, void *a, void *b)
{
    (void)ctx;
    ((struct nsref *)a)->matched = ((struct nsref *)b)->matched = true;
}

static void pair_src(void *ctx, void *a, void *b)
{
    struct diff *d = ctx;
    struct src *x = a, *y = b;
    x->matched = y->matched = true;
    if (strcmp(x->status, y->status) != 0)
        d->sources[d->nsources++] = (struct src_change){x, y};
}

static void pair_dist(void *ctx, void *a, void *b)
{
    struct diff *d = ctx;
    struct dist *x = a, *y = b;
    x->matched = y->matched = true;
    if (x->system != y->system)
        d->distros[d->ndistros++] = (struct dist_change){y->name, x->system, y->system};
}

static void compare(struct diff *d)
{
    struct doc *o = &d->old, *n = &d->new;
    d->boot_changed = o->boot_id && n->boot_id && strcmp(o->boot_id, n->boot_id) != 0;
    d->started = xcalloc(n->nprocs + 1, sizeof *d->started);
    d->ended = xcalloc(o->nprocs + 1, sizeof *d->ended);
    d->appeared = xcalloc(n->nns + 1, sizeof *d->appeared);
    d->gone = xcalloc(o->nns + 1, sizeof *d->gone);
    d->sources = xcalloc(o->nsrcs + n->nsrcs + 1, sizeof *d->sources);
    d->distros = xcalloc(n->ndists + 1, sizeof *d->distros);
    /* Another boot: nothing of the old one is the same process or namespace. */
    if (!d->boot_changed) {
        match(o->procs, o->nprocs, n->procs, n->nprocs, sizeof *o->procs, proc_identity, pair_proc,
              d);
        match(o->nss, o->nns, n->nss, n->nns, sizeof *o->nss, ns_identity, pair_ns, d);
    }
    match(o->srcs, o->nsrcs, n->srcs, n->nsrcs, sizeof *o->srcs, src_identity, pair_src, d);
    match(o->dists, o->ndists, n->dists, n->ndists, sizeof *o->dists, dist_identity, pair_dist, d);
    for (size_t i = 0; i < o->nprocs; i++)
        if (!o->procs[i].matched)
            d->ended[d->nended++] = &o->procs[i];
    for (size_t i = 0; i < n->nprocs; i++)
        if (!n->procs[i].matched)
            d->started[d->nstarted++] = &n->procs[i];
    for (size_t i = 0; i < o->nns; i++)
        if (!o->nss[i].matched)
            d->gone[d->ngone++] = &o->nss[i];
    for (size_t i = 0; i < n->nns; i++)
        if (!n->nss[i].matched)
            d->appeared[d->nappeared++] = &n->nss[i];
    /* Views in one report only: gone ones in the old report's order, then new ones. */
    for (size_t i = 0; i < o->nsrcs; i++)
        if (!o->srcs[i].matched)
            d->sources[d->nsources++] = (struct src_change){&o->srcs[i], NULL};
    for (size_t i = 0; i < n->nsrcs; i++)
        if (!n->srcs[i].matched)
            d->sources[d->nsources++] = (struct src_change){NULL, &n->srcs[i]};
}

errmsg diff_compare(const char *old_path, const char *old_data, size_t old_len,
                    const char *new_path, const char *new_data, size_t new_len, struct diff **out)
{
    *out = NULL;
    struct diff *d = xcalloc(1, sizeof *d);
    struct reader r = {old_path, NULL};
    if (read_doc(&r, old_data, old_len, &d->old)) {
        r.path = new_path;
        read_doc(&r, new_data, new_len, &d->new);
    }
    if (r.error) {
        diff_free(d);
        return r.error;
    }
    compare(d);
    *out = d;
    return NULL;
}

bool diff_changed(const struct diff *d)
{
    return d->boot_changed || d->nstarted || d->nended || d->nappeared || d->ngone || d->nsources ||
           d->ndistros;
}

void diff_free(struct diff *d)
{
    if (!d)
        return;
    doc_free(&d->old);
    doc_free(&d->new);
    free(d->started);
    free(d->ended);
    free(d->appeared);
    free(d->gone);
    free(d->sources);
    free(d->distros);
    free(d);
}

/* ---- the console form ---- */

#define GREEN "\033[32m"
#define RED "\033[31m"
#define YELLOW "\033[33m"
#define RESET "\033[0m"

static void colored(struct strbuf *sb, bool color, const char *code, const char *text)
{
    if (color)
        strbuf_puts(sb, code);
    strbuf_puts(sb, text);
    if (color)
        strbuf_puts(sb, RESET);
}

static const char *str_of(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* "  + pid 57 in distro Ubuntu: sleep 1000" */
static void process_line(struct strbuf *sb, bool color, const struct doc *doc, const struct proc *p,
                         bool started)
{
    strbuf_puts(sb, "  ");
    colored(sb, color, started ? GREEN : RED, started ? "+" : "-");
    strbuf_printf(sb, " pid %lld in ", (long long)p->pid);
    const struct nsref *ns = find_ns(doc, p->ns_a, p->ns_b);
    escape_terminal(sb, ns ? ns->label : str_of(p->item, "ns"));
    strbuf_puts(sb, ": ");
    const cJSON *args = cJSON_GetObjectItemCaseSensitive(p->item, "cmdline");
    if (!args->child) {
        strbuf_putc(sb, '[');
        escape_terminal(sb, str_of(p->item, "comm"));
        strbuf_putc(sb, ']');
    }
    for (const cJSON *a = args->child; a; a = a->next) {
        escape_argument(sb, a->valuestring, strlen(a->valuestring), NULL);
        if (a->next)
            strbuf_putc(sb, ' ');
    }
    strbuf_putc(sb, '\n');
}

static void process_lines(struct strbuf *sb, bool color, const struct doc *doc,
                          const struct proc *const *list, size_t n, bool started)
{
    size_t kthreads = 0;
    for (size_t i = 0; i < n; i++) {
        if (list[i]->kthread)
            kthreads++;
        else
            process_line(sb, color, doc, list[i], started);
    }
    if (kthreads)
        strbuf_printf(sb, "  %s %zu kernel thread%s\n", started ? "+" : "-", kthreads,
                      kthreads == 1 ? "" : "s");
}

static void ns_lines(struct strbuf *sb, bool color, const struct nsref *const *list, size_t n,
                     bool appeared)
{
    for (size_t i = 0; i < n; i++) {
        strbuf_puts(sb, "  ");
        colored(sb, color, appeared ? GREEN : RED, appeared ? "+" : "-");
        strbuf_putc(sb, ' ');
        escape_terminal(sb, list[i]->label);
        strbuf_puts(sb, "  ");
        escape_terminal(sb, list[i]->id);
        strbuf_putc(sb, '\n');
    }
}

static void source_line(struct strbuf *sb, const struct src_change *c)
{
    const struct src *s = c->new ? c->new : c->old;
    strbuf_puts(sb, "  ");
    escape_terminal(sb, s->kind);
    if (s->distro) {
        strbuf_putc(sb, ' ');
        escape_terminal(sb, s->distro);
    }
    if (s->path) {
        strbuf_putc(sb, ' ');
        escape_message(sb, s->path);
    }
    strbuf_puts(sb, ": ");
    escape_message(sb, c->old ? c->old->status : "(not in the old report)");
    strbuf_puts(sb, " -> ");
    escape_message(sb, c->new ? c->new->status : "(not in the new report)");
    if (c->new && c->new->reason) {
        strbuf_puts(sb, " (");
        escape_message(sb, c->new->reason);
        strbuf_putc(sb, ')');
    }
    strbuf_putc(sb, '\n');
}

char *diff_render_text(const struct diff *d, bool color)
{
    struct strbuf sb = STRBUF_INIT;
    if (d->boot_changed) {
        colored(&sb, color, YELLOW, "another boot");
        strbuf_puts(&sb, ": boot_id ");
        escape_message(&sb, d->old.boot_id);
        strbuf_puts(&sb, " -> ");
        escape_message(&sb, d->new.boot_id);
        strbuf_puts(&sb, " (WSL's VM restarted): every process and namespace is new\n");
    }
    if (!diff_changed(d)) {
        strbuf_puts(&sb, "no changes between ");
        escape_message(&sb, d->old.path);
        strbuf_puts(&sb, " and ");
        escape_message(&sb, d->new.path);
        strbuf_putc(&sb, '\n');
    }
    if (d->nstarted || d->nended) {
        strbuf_printf(&sb, "processes: %zu started, %zu ended\n", d->nstarted, d->nended);
        process_lines(&sb, color, &d->new, d->started, d->nstarted, true);
        process_lines(&sb, color, &d->old, d->ended, d->nended, false);
    }
    if (d->nappeared || d->ngone) {
        strbuf_printf(&sb, "namespaces: %zu appeared, %zu gone\n", d->nappeared, d->ngone);
        ns_lines(&sb, color, d->appeared, d->nappeared, true);
        ns_lines(&sb, color, d->gone, d->ngone, false);
    }
    if (d->nsources) {
        strbuf_printf(&sb, "views: %zu changed\n", d->nsources);
        for (size_t i = 0; i < d->nsources; i++)
            source_line(&sb, &d->sources[i]);
    }
    if (d->ndistros) {
        strbuf_printf(&sb, "GUI apps (system distro in the report): %zu changed\n", d->ndistros);
        for (size_t i = 0; i < d->ndistros; i++) {
            strbuf_puts(&sb, "  ");
            escape_terminal(&sb, d->distros[i].name);
            strbuf_printf(&sb, ": system distro %s -> %s\n",
                          d->distros[i].old ? "seen" : "not seen",
                          d->distros[i].new ? "seen" : "not seen");
        }
    }
    return strbuf_detach(&sb, NULL);
}

/* ---- wslns-diff/1 ---- */

static void add_clean(cJSON *o, const char *name, const char *value)
{
    if (!value) {
        cJSON_AddNullToObject(o, name);
        return;
    }
    char *clean = utf8_sanitize(value, strlen(value));
    cJSON_AddStringToObject(o, name, clean);
    free(clean);
}

static void copy_string(cJSON *to, const cJSON *from, const char *name, bool keep_null)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(from, name);
    if (cJSON_IsString(v))
        add_clean(to, name, v->valuestring);
    else if (keep_null)
        cJSON_AddNullToObject(to, name);
}

static void copy_number(cJSON *to, const cJSON *from, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(from, name);
    if (cJSON_IsNumber(v))
        cJSON_AddNumberToObject(to, name, v->valuedouble);
    else if (cJSON_IsNull(v))
        cJSON_AddNullToObject(to, name);
}

static void copy_strings(cJSON *to, const cJSON *from, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(from, name);
    if (!cJSON_IsArray(v))
        return;
    cJSON *arr = cJSON_AddArrayToObject(to, name);
    for (const cJSON *e = v->child; e; e = e->next) {
        char *clean = utf8_sanitize(e->valuestring, strlen(e->valuestring));
        cJSON_AddItemToArray(arr, cJSON_CreateString(clean));
        free(clean);
    }
}

static cJSON *process_json(const struct proc *p)
{
    const cJSON *in = p->item;
    cJSON *o = cJSON_CreateObject();
    copy_string(o, in, "ns", true);
    cJSON *pids = cJSON_AddArrayToObject(o, "pids");
    for (const cJSON *e = cJSON_GetObjectItemCaseSensitive(in, "pids")->child; pids && e;
         e = e->next) {
        cJSON *level = cJSON_CreateObject();
        cJSON_AddItemToArray(pids, level);
        copy_string(level, e, "ns", true);
        copy_number(level, e, "pid");
    }
    copy_number(o, in, "ppid");
    copy_string(o, in, "comm", true);
    copy_string(o, in, "comm_hex", false);
    copy_strings(o, in, "cmdline");
    copy_strings(o, in, "cmdline_hex");
    copy_number(o, in, "uid");
    copy_number(o, in, "starttime");
    copy_string(o, in, "state", false);
    cJSON_AddBoolToObject(o, "kthread", p->kthread);
    return o;
}

static cJSON *namespace_json(const struct nsref *n)
{
    const cJSON *in = n->item;
    cJSON *o = cJSON_CreateObject();
    copy_string(o, in, "id", true);
    copy_number(o, in, "inode");
    copy_string(o, in, "parent", true);
    copy_string(o, in, "kind", true);
    copy_string(o, in, "distro", true);
    copy_string(o, in, "label", true);
    copy_number(o, in, "depth");
    return o;
}

static cJSON *side_json(const struct doc *d)
{
    cJSON *o = cJSON_CreateObject();
    add_clean(o, "path", d->path);
    add_clean(o, "boot_id", d->boot_id);
    add_clean(o, "tool_version", d->version);
    return o;
}

/* Adds "sources": each source whose status changed, with its old and new status. */
static void add_sources_json(cJSON *doc, const struct diff *d)
{
    cJSON *sources = cJSON_AddArrayToObject(doc, "sources");
    for (size_t i = 0; sources && i < d->nsources; i++) {
        const struct src_change *c = &d->sources[i];
        const struct src *s = c->new ? c->new : c->old;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(sources, o);
        add_clean(o, "kind", s->kind);
        add_clean(o, "distro", s->distro);
        if (s->path)
            add_clean(o, "path", s->path);
        add_clean(o, "old", c->old ? c->old->status : NULL);
        add_clean(o, "new", c->new ? c->new->status : NULL);
        add_clean(o, "reason", c->new ? c->new->reason : NULL);
    }
}

/* Adds "distros": each distro whose system distro (GUI apps) came or went. */
static void add_distros_json(cJSON *doc, const struct diff *d)
{
    cJSON *distros = cJSON_AddArrayToObject(doc, "distros");
    for (size_t i = 0; distros && i < d->ndistros; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(distros, o);
        add_clean(o, "name", d->distros[i].name);
        cJSON_AddBoolToObject(o, "old_system_distro", d->distros[i].old);
        cJSON_AddBoolToObject(o, "new_system_distro", d->distros[i].new);
    }
}

char *diff_render_json(const struct diff *d)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "schema", "wslns-diff/1");
    cJSON_AddItemToObject(doc, "old", side_json(&d->old));
    cJSON_AddItemToObject(doc, "new", side_json(&d->new));
    cJSON_AddBoolToObject(doc, "boot_changed", d->boot_changed);
    cJSON *procs = cJSON_AddObjectToObject(doc, "processes");
    cJSON *started = cJSON_AddArrayToObject(procs, "started");
    cJSON *ended = cJSON_AddArrayToObject(procs, "ended");
    for (size_t i = 0; started && i < d->nstarted; i++)
        cJSON_AddItemToArray(started, process_json(d->started[i]));
    for (size_t i = 0; ended && i < d->nended; i++)
        cJSON_AddItemToArray(ended, process_json(d->ended[i]));
    cJSON *nss = cJSON_AddObjectToObject(doc, "namespaces");
    cJSON *appeared = cJSON_AddArrayToObject(nss, "appeared");
    cJSON *gone = cJSON_AddArrayToObject(nss, "gone");
    for (size_t i = 0; appeared && i < d->nappeared; i++)
        cJSON_AddItemToArray(appeared, namespace_json(d->appeared[i]));
    for (size_t i = 0; gone && i < d->ngone; i++)
        cJSON_AddItemToArray(gone, namespace_json(d->gone[i]));
    add_sources_json(doc, d);
    add_distros_json(doc, d);
    char *text = cJSON_Print(doc);
    cJSON_Delete(doc);
    char *out = str_printf("%s\n", text);
    cJSON_free(text);
    return out;
}
