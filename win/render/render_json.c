#include "render/render_json.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "utf8.h"
#include "view.h"
#include "wslns_version.h"
#include "xalloc.h"

/* Adds a string member, or null. Strings from outside are made valid UTF-8 first. */
static void add_string(cJSON *obj, const char *name, const char *value)
{
    if (!value) {
        cJSON_AddNullToObject(obj, name);
        return;
    }
    char *clean = utf8_sanitize(value, strlen(value));
    cJSON_AddStringToObject(obj, name, clean ? clean : "");
    free(clean);
}

static void add_inode(cJSON *obj, const char *name, uint64_t inode)
{
    if (inode)
        cJSON_AddNumberToObject(obj, name, (double)inode);
    else
        cJSON_AddNullToObject(obj, name);
}

static cJSON *sources_json(const struct source_list *sources)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < sources->nr; i++) {
        const struct source *s = &sources->items[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(arr, o);
        cJSON_AddStringToObject(o, "kind", source_kind_name(s->kind));
        add_string(o, "distro", s->distro);
        cJSON_AddStringToObject(o, "status", source_status_name(s->status));
        add_string(o, "reason", s->reason);
        add_inode(o, "pidns", s->status == SOURCE_OK && s->view ? s->view->root_pidns : 0);
        if (s->path)
            add_string(o, "path", s->path);
    }
    return arr;
}

static cJSON *namespaces_json(const struct model *m)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < m->namespace_nr; i++) {
        const struct model_namespace *ns = &m->namespaces[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(arr, o);
        cJSON_AddStringToObject(o, "id", ns->id);
        add_inode(o, "inode", ns->inode);
        add_string(o, "parent", ns->parent == MODEL_NONE ? NULL : m->namespaces[ns->parent].id);
        cJSON_AddStringToObject(o, "kind", model_kind_name(ns->kind));
        add_string(o, "distro", ns->distro);
        add_string(o, "label", ns->label);
        cJSON_AddNumberToObject(o, "depth", (double)ns->depth);
        cJSON *types = cJSON_AddObjectToObject(o, "types");
        for (int t = 0; types && t < VIEW_NS_TYPES; t++)
            add_inode(types, view_ns_types[t], ns->types[t]);
    }
    return arr;
}

/* comm (and cmdline) as valid UTF-8, with the exact bytes in hex beside them when they
 * were not valid UTF-8 (the same convention as the probe's documents). */
static void add_exact_text(cJSON *o, const char *name, const char *hex_name, const char *bytes)
{
    size_t n = strlen(bytes);
    add_string(o, name, bytes);
    if (!utf8_is_valid(bytes, n)) {
        char *hex = hex_encode(bytes, n);
        cJSON_AddStringToObject(o, hex_name, hex);
        free(hex);
    }
}

static bool cmdline_is_utf8(const struct model_process *p)
{
    for (size_t a = 0; a < p->args; a++)
        if (!utf8_is_valid(p->cmdline[a], strlen(p->cmdline[a])))
            return false;
    return true;
}

static cJSON *cmdline_hex(const struct model_process *p)
{
    cJSON *hex = cJSON_CreateArray();
    for (size_t a = 0; a < p->args; a++) {
        char *h = hex_encode(p->cmdline[a], strlen(p->cmdline[a]));
        cJSON_AddItemToArray(hex, cJSON_CreateString(h));
        free(h);
    }
    return hex;
}

static void add_cmdline(cJSON *o, const struct model_process *p)
{
    cJSON *args = cJSON_AddArrayToObject(o, "cmdline");
    for (size_t a = 0; a < p->args; a++) {
        char *clean = utf8_sanitize(p->cmdline[a], strlen(p->cmdline[a]));
        cJSON_AddItemToArray(args, cJSON_CreateString(clean));
        free(clean);
    }
    if (!cmdline_is_utf8(p))
        cJSON_AddItemToObject(o, "cmdline_hex", cmdline_hex(p));
}

static cJSON *process_json(const struct model *m, const struct model_process *p)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ns", m->namespaces[p->ns].id);
    cJSON *pids = cJSON_AddArrayToObject(o, "pids");
    size_t levels = 0;
    size_t *chain = model_chain(m, p->ns, &levels);
    for (size_t j = 0; chain && pids && j < levels && j < p->levels; j++) {
        if (!p->pids[j])
            continue; /* a level no view saw (the placeholder's) has no pid to give */
        cJSON *level = cJSON_CreateObject();
        cJSON_AddItemToArray(pids, level);
        cJSON_AddStringToObject(level, "ns", m->namespaces[chain[j]].id);
        cJSON_AddNumberToObject(level, "pid", (double)p->pids[j]);
    }
    free(chain);
    cJSON_AddNumberToObject(o, "ppid", (double)p->ppid);
    add_exact_text(o, "comm", "comm_hex", p->comm);
    add_cmdline(o, p);
    cJSON_AddNumberToObject(o, "uid", (double)p->uid);
    cJSON_AddNumberToObject(o, "starttime", (double)p->starttime);
    if (p->state != '?') {
        char state[2] = {p->state, '\0'};
        cJSON_AddStringToObject(o, "state", state);
    }
    cJSON_AddBoolToObject(o, "kthread", p->kthread);
    return o;
}

/* Every process, namespace by namespace in tree order (so the report reads like the
 * tree), given to visit with its position. */
static void each_process(const struct model *m, size_t ns, size_t *at,
                         void (*visit)(const struct model *, const struct model_process *, size_t,
                                       void *),
                         void *ctx)
{
    const struct model_namespace *n = &m->namespaces[ns];
    for (size_t k = 0; k < n->process_count; k++)
        visit(m, &m->processes[n->processes[k]], (*at)++, ctx);
    for (size_t k = 0; k < n->child_count; k++)
        each_process(m, n->children[k], at, visit, ctx);
}

static void add_process(const struct model *m, const struct model_process *p, size_t at, void *arr)
{
    (void)at;
    cJSON_AddItemToArray(arr, process_json(m, p));
}

/* The page's form of "processes" (docs/html.md): by column, in the rows' order, only what
 * the rows do not show. */
struct page_columns {
    cJSON *starttime, *kthread, *comm_hex, *cmdline_hex;
    struct strbuf state;
};

static void add_page_process(const struct model *m, const struct model_process *p, size_t at,
                             void *ctx)
{
    (void)m;
    struct page_columns *c = ctx;
    cJSON_AddItemToArray(c->starttime, cJSON_CreateNumber((double)p->starttime));
    strbuf_putc(&c->state, p->state ? p->state : '?');
    if (p->kthread)
        cJSON_AddItemToArray(c->kthread, cJSON_CreateNumber((double)at));
    if (!utf8_is_valid(p->comm, strlen(p->comm))) {
        char *hex = hex_encode(p->comm, strlen(p->comm));
        cJSON *pair = cJSON_CreateArray();
        cJSON_AddItemToArray(pair, cJSON_CreateNumber((double)at));
        cJSON_AddItemToArray(pair, cJSON_CreateString(hex));
        cJSON_AddItemToArray(c->comm_hex, pair);
        free(hex);
    }
    if (!cmdline_is_utf8(p)) {
        cJSON *pair = cJSON_CreateArray();
        cJSON_AddItemToArray(pair, cJSON_CreateNumber((double)at));
        cJSON_AddItemToArray(pair, cmdline_hex(p));
        cJSON_AddItemToArray(c->cmdline_hex, pair);
    }
}

static cJSON *page_processes(const struct model *m)
{
    cJSON *o = cJSON_CreateObject();
    struct page_columns c = {cJSON_CreateArray(), cJSON_CreateArray(), cJSON_CreateArray(),
                             cJSON_CreateArray(), STRBUF_INIT};
    size_t at = 0;
    for (size_t i = 0; i < m->top_count; i++)
        each_process(m, m->tops[i], &at, add_page_process, &c);
    cJSON_AddNumberToObject(o, "count", (double)at);
    cJSON_AddItemToObject(o, "starttime", c.starttime);
    cJSON_AddStringToObject(o, "state", c.state.data ? c.state.data : "");
    cJSON_AddItemToObject(o, "kthread", c.kthread);
    cJSON_AddItemToObject(o, "comm_hex", c.comm_hex);
    cJSON_AddItemToObject(o, "cmdline_hex", c.cmdline_hex);
    strbuf_release(&c.state);
    return o;
}

static cJSON *diagnostics_json(const struct model *m)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < m->diag_nr; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(arr, o);
        cJSON_AddStringToObject(o, "severity", severity_name(m->diags[i].severity));
        cJSON_AddStringToObject(o, "code", m->diags[i].code);
        add_string(o, "message", m->diags[i].message);
    }
    return arr;
}

/* A distro or system namespace by name; distros_json sorts them by name (looking each up in
 * the list built so far would be quadratic in the number of namespaces). */
struct named_ns {
    char *name; /* made valid UTF-8 */
    size_t index;
};

/* One entry of "distros": where its name first appears, its last namespace of each kind. */
struct distro_entry {
    const char *name;
    size_t first;
    const struct model_namespace *own, *system;
};

static int by_name_then_index(const void *a, const void *b)
{
    const struct named_ns *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

static int by_first(const void *a, const void *b)
{
    const struct distro_entry *x = a, *y = b;
    return (x->first > y->first) - (x->first < y->first);
}

static void add_id(cJSON *obj, const char *name, const struct model_namespace *ns)
{
    if (ns)
        cJSON_AddStringToObject(obj, name, ns->id);
    else
        cJSON_AddNullToObject(obj, name);
}

/* Extra: one entry per distro with its own namespace and its system distro's, in the order
 * the names first appear among the namespaces; the last namespace of a kind wins. */
static cJSON *distros_json(const struct model *m)
{
    cJSON *arr = cJSON_CreateArray();
    struct named_ns *all = xcalloc(m->namespace_nr + 1, sizeof *all);
    struct distro_entry *entries = xcalloc(m->namespace_nr + 1, sizeof *entries);
    size_t n = 0, count = 0;
    for (size_t i = 0; i < m->namespace_nr; i++) {
        const struct model_namespace *ns = &m->namespaces[i];
        if (!ns->distro || (ns->kind != NS_DISTRO && ns->kind != NS_SYSTEM))
            continue;
        all[n++] = (struct named_ns){utf8_sanitize(ns->distro, strlen(ns->distro)), i};
    }
    qsort(all, n, sizeof *all, by_name_then_index);
    for (size_t k = 0; k < n; k++) {
        if (!count || strcmp(entries[count - 1].name, all[k].name) != 0)
            entries[count++] = (struct distro_entry){all[k].name, all[k].index, NULL, NULL};
        const struct model_namespace *ns = &m->namespaces[all[k].index];
        if (ns->kind == NS_DISTRO)
            entries[count - 1].own = ns;
        else
            entries[count - 1].system = ns;
    }
    qsort(entries, count, sizeof *entries, by_first);
    for (size_t k = 0; k < count; k++) {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddItemToArray(arr, d);
        cJSON_AddStringToObject(d, "name", entries[k].name);
        add_id(d, "ns", entries[k].own);
        add_id(d, "system_ns", entries[k].system);
    }
    for (size_t k = 0; k < n; k++)
        free(all[k].name);
    free(all);
    free(entries);
    return arr;
}

static char *report(const struct model *m, const struct source_list *sources, bool for_page)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "schema", "wslns-report/1");
    cJSON *tool = cJSON_AddObjectToObject(doc, "tool");
    cJSON_AddStringToObject(tool, "name", "wslns");
    cJSON_AddStringToObject(tool, "version", WSLNS_VERSION);
    add_string(doc, "boot_id", m->boot_id);
    cJSON_AddItemToObject(doc, "sources", sources_json(sources));
    cJSON_AddItemToObject(doc, "namespaces", namespaces_json(m));
    if (for_page) {
        cJSON_AddItemToObject(doc, "processes", page_processes(m));
    } else {
        cJSON *processes = cJSON_AddArrayToObject(doc, "processes");
        size_t at = 0;
        for (size_t i = 0; i < m->top_count; i++)
            each_process(m, m->tops[i], &at, add_process, processes);
    }
    cJSON_AddItemToObject(doc, "distros", distros_json(m));
    cJSON_AddObjectToObject(doc, "config");
    cJSON_AddItemToObject(doc, "diagnostics", diagnostics_json(m));
    char *text = for_page ? cJSON_PrintUnformatted(doc) : cJSON_Print(doc);
    cJSON_Delete(doc);
    char *out = str_printf("%s\n", text);
    cJSON_free(text);
    return out;
}

char *render_json(const struct model *m, const struct source_list *sources)
{
    return report(m, sources, false);
}

char *render_json_for_page(const struct model *m, const struct source_list *sources)
{
    return report(m, sources, true);
}
