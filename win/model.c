#include "model.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "view.h"
#include "xalloc.h"

/* A merge in progress: the model plus what only the merge needs. */
struct merge {
    struct model *m;
    struct source_list *sources;
    struct idmap by_key; /* (own namespace inode, own pid) -> process */
};

/* Ends a distro name known only from a comm the kernel cut at 15 bytes. */
#define CUT_MARK "\xE2\x80\xA6"

/* WSL compares distro names ASCII case-insensitively (locale-free, unlike tolower). */
static int ascii_lower(char c)
{
    unsigned char u = (unsigned char)c;
    return u >= 'A' && u <= 'Z' ? u - 'A' + 'a' : u;
}

/* strcmp, ASCII case-insensitively; n bytes at most (SIZE_MAX: all). */
static int distro_compare(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int x = ascii_lower(a[i]), y = ascii_lower(b[i]);
        if (x != y || !x)
            return x - y;
    }
    return 0;
}

static const char PLACEHOLDER_LABEL[] =
    "parent not visible: needs `wsl --debug-shell` as Administrator";

/* ---- diagnostics ---- */

static uint64_t code_hash(const char *code)
{
    uint64_t h = 1469598103934665603u;
    for (; *code; code++)
        h = (h ^ (unsigned char)*code) * 1099511628211u;
    return h;
}

static void add_diag(struct merge *g, enum severity severity, const char *code, const char *message)
{
    struct model *m = g->m;
    ALLOC_GROW(m->diags, m->diag_nr + 1, m->diag_alloc);
    struct model_diag *d = &m->diags[m->diag_nr++];
    d->severity = severity;
    d->code = str_dup(code);
    d->message = str_dup(message);
}

/* Adds a diagnostic, keeping at most MODEL_MAX_DIAGS_PER_CODE of one code word for word:
 * a hostile document could otherwise turn a million processes into a million lines. */
static void diag(struct merge *g, enum severity severity, const char *code, const char *fmt, ...)
    WSLNS_PRINTF_LIKE(4, 5);

static void diag(struct merge *g, enum severity severity, const char *code, const char *fmt, ...)
{
    size_t seen = 0;
    uint64_t key = code_hash(code);
    idmap_get(&g->m->diag_codes, key, 0, &seen);
    idmap_put(&g->m->diag_codes, key, 0, seen + 1);
    if (seen >= MODEL_MAX_DIAGS_PER_CODE)
        return;
    char buf[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    add_diag(g, severity, code, buf);
}

/* One closing line per code that overflowed, so the count is never lost. */
static void summarise_diags(struct merge *g)
{
    size_t n = g->m->diag_nr;
    for (size_t i = 0; i < n; i++) {
        const struct model_diag *d = &g->m->diags[i];
        size_t total = 0, first = i;
        for (size_t j = 0; j < i; j++)
            if (strcmp(g->m->diags[j].code, d->code) == 0)
                first = j;
        idmap_get(&g->m->diag_codes, code_hash(d->code), 0, &total);
        if (first != i || total <= MODEL_MAX_DIAGS_PER_CODE)
            continue;
        char buf[160];
        snprintf(buf, sizeof buf, "... and %zu more like the above",
                 total - MODEL_MAX_DIAGS_PER_CODE);
        add_diag(g, d->severity, d->code, buf);
    }
}

/* ---- namespaces ---- */

static size_t add_namespace(struct merge *g, uint64_t inode)
{
    struct model *m = g->m;
    ALLOC_GROW(m->namespaces, m->namespace_nr + 1, m->namespace_alloc);
    size_t index = m->namespace_nr++;
    struct model_namespace *ns = &m->namespaces[index];
    memset(ns, 0, sizeof *ns);
    ns->inode = inode;
    ns->parent = MODEL_NONE;
    ns->parent_source = MODEL_NONE;
    ns->kind = NS_UNKNOWN;
    ns->id = inode ? str_printf("pid:[%llu]", (unsigned long long)inode) : str_dup("unknown:1");
    if (inode)
        idmap_put(&m->ns_by_inode, inode, 0, index);
    return index;
}

static size_t get_namespace(struct merge *g, uint64_t inode)
{
    size_t index = model_find_namespace(g->m, inode);
    return index != MODEL_NONE ? index : add_namespace(g, inode);
}

/* Each type from the first view that knew it; a later view that says otherwise for the same
 * pid namespace is a contradiction (a tampered or confused probe), said once per type. */
static void merge_types(struct merge *g, size_t src, size_t index, const struct view_namespace *vn)
{
    struct model_namespace *ns = &g->m->namespaces[index];
    for (int t = 0; t < VIEW_NS_TYPES; t++) {
        if (!vn->types[t])
            continue;
        if (!ns->types[t]) {
            ns->types[t] = vn->types[t];
            ns->types_source[t] = src;
        } else if (ns->types[t] != vn->types[t]) {
            char *a = source_describe(&g->sources->items[ns->types_source[t]]),
                 *b = source_describe(&g->sources->items[src]);
            diag(g, SEVERITY_WARNING, "model.namespace_types_conflict",
                 "%s says pid:[%llu] lives in %s:[%llu], %s says %s:[%llu]; the first is kept", a,
                 (unsigned long long)vn->inode, view_ns_types[t], (unsigned long long)ns->types[t],
                 b, view_ns_types[t], (unsigned long long)vn->types[t]);
            free(a);
            free(b);
        }
    }
}

static void add_parent_edge(struct merge *g, size_t src, const struct view_namespace *vn)
{
    size_t index = get_namespace(g, vn->inode);
    merge_types(g, src, index, vn);
    if (!vn->parent) {
        if (!vn->parent_visible)
            g->m->namespaces[index].parent_hidden = true;
        return;
    }
    get_namespace(g, vn->parent);
    struct model_namespace *ns = &g->m->namespaces[index];
    if (!ns->parent_inode) {
        ns->parent_inode = vn->parent;
        ns->parent_source = src;
    } else if (ns->parent_inode != vn->parent) {
        char *a = source_describe(&g->sources->items[ns->parent_source]),
             *b = source_describe(&g->sources->items[src]);
        diag(
            g, SEVERITY_WARNING, "model.parent_conflict",
            "%s says the parent of pid:[%llu] is pid:[%llu], %s says pid:[%llu]; the first is kept",
            a, (unsigned long long)vn->inode, (unsigned long long)ns->parent_inode, b,
            (unsigned long long)vn->parent);
        free(a);
        free(b);
    }
}

/* Drops the parent link that closes a cycle, naming the view that drew it so the user knows
 * which link was dropped. */
static void break_cycle(struct merge *g, struct model_namespace *closing)
{
    char *from = source_describe(&g->sources->items[closing->parent_source]);
    diag(g, SEVERITY_ERROR, "model.namespace_cycle",
         "the views' parent links form a cycle through pid:[%llu] and pid:[%llu]; "
         "the link from pid:[%llu] (said by %s) is ignored",
         (unsigned long long)closing->inode, (unsigned long long)closing->parent_inode,
         (unsigned long long)closing->inode, from);
    free(from);
    closing->parent = MODEL_NONE;
    closing->parent_hidden = true;
}

/* Sets the depth of ns from its parent's (already settled); a parent link that would nest
 * deeper than MODEL_MAX_DEPTH allows is dropped. */
static void settle_depth(struct merge *g, struct model_namespace *ns)
{
    struct model *m = g->m;
    ns->depth = ns->parent == MODEL_NONE ? 0 : m->namespaces[ns->parent].depth + 1;
    if (ns->depth >= MODEL_MAX_DEPTH - 1) { /* one level stays free for the placeholder */
        char *from = source_describe(&g->sources->items[ns->parent_source]);
        diag(g, SEVERITY_ERROR, "model.namespace_too_deep",
             "pid:[%llu] would be %zu levels deep, deeper than wslns follows (%d; the "
             "kernel nests at most 32); its parent link (said by %s) is ignored",
             (unsigned long long)ns->inode, ns->depth, MODEL_MAX_DEPTH - 2, from);
        free(from);
        ns->parent = MODEL_NONE;
        ns->parent_hidden = true;
        ns->depth = 0;
    }
}

/* Resolves parent inodes to indices, then breaks every edge that closes a cycle or makes the
 * tree deeper than MODEL_MAX_DEPTH. state: 0 new, 1 on the current walk, 2 settled. */
static void link_parents(struct merge *g)
{
    struct model *m = g->m;
    for (size_t i = 0; i < m->namespace_nr; i++) {
        struct model_namespace *ns = &m->namespaces[i];
        if (ns->parent_inode)
            ns->parent = model_find_namespace(m, ns->parent_inode);
    }
    unsigned char *state = xcalloc(m->namespace_nr, 1);
    size_t *walk = xcalloc(m->namespace_nr, sizeof *walk);
    for (size_t i = 0; i < m->namespace_nr; i++) {
        size_t n = 0, at = i;
        while (at != MODEL_NONE && state[at] == 0) {
            state[at] = 1;
            walk[n++] = at;
            at = m->namespaces[at].parent;
        }
        if (at != MODEL_NONE && state[at] == 1)
            break_cycle(g, &m->namespaces[walk[n - 1]]);
        /* Settle the walk from the top down so every depth is known from its parent's. */
        for (size_t k = n; k-- > 0;) {
            settle_depth(g, &m->namespaces[walk[k]]);
            state[walk[k]] = 2;
        }
    }
    free(state);
    free(walk);
}

/* ---- processes ---- */

static struct model_process *add_process(struct merge *g)
{
    struct model *m = g->m;
    ALLOC_GROW(m->processes, m->process_nr + 1, m->process_alloc);
    struct model_process *p = &m->processes[m->process_nr++];
    memset(p, 0, sizeof *p);
    return p;
}

static void observe_process(struct merge *g, size_t src, const struct view *v,
                            const struct view_process *vp)
{
    uint64_t own = vp->pidns ? vp->pidns : (vp->levels == 1 ? v->root_pidns : 0);
    if (!own) {
        char *d = source_describe(&g->sources->items[src]);
        diag(g, SEVERITY_WARNING, "model.process_without_namespace",
             "%s: process %lld (%s) has no readable pid namespace and is left out", d,
             (long long)vp->pid, vp->comm);
        free(d);
        return;
    }
    size_t ns = get_namespace(g, own), index;
    int64_t own_pid = vp->nspid[vp->levels - 1];
    if (!idmap_get(&g->by_key, own, (uint64_t)own_pid, &index)) {
        struct model_process *p = add_process(g);
        idmap_put(&g->by_key, own, (uint64_t)own_pid, g->m->process_nr - 1);
        p->ns = ns;
        p->source = src;
        p->seen = vp;
        return;
    }
    struct model_process *p = &g->m->processes[index];
    if (p->seen->starttime != vp->starttime) {
        char *a = source_describe(&g->sources->items[p->source]), *b = source_describe(&g->sources->items[src]);
        diag(g, SEVERITY_WARNING, "model.pid_reused",
             "pid %lld in pid:[%llu] is %s (started at tick %llu) in %s but %s (tick %llu) in %s: "
             "it ended and its pid was reused between the two views; the one seen with more levels "
             "is kept",
             (long long)own_pid, (unsigned long long)own, p->seen->comm,
             (unsigned long long)p->seen->starttime, a, vp->comm, (unsigned long long)vp->starttime,
             b);
        free(a);
        free(b);
    }
    if (vp->levels > p->seen->levels) {
        p->seen = vp;
        p->source = src;
    }
}

/* The view's nspid says its first element is in the view's root namespace: walking up
 * levels-1 parents from the process's own namespace must land exactly there. Every
 * namespace on that way lies inside the view, so its parent link is known. */
static void check_depth(struct merge *g, size_t src, const struct view *v,
                        const struct view_process *vp)
{
    const struct model *m = g->m;
    size_t at = model_find_namespace(m, vp->pidns), steps = vp->levels - 1;
    if (at == MODEL_NONE || !v->root_pidns)
        return;
    for (size_t k = 0; k < steps && at != MODEL_NONE; k++)
        at = m->namespaces[at].parent;
    if (at != MODEL_NONE && m->namespaces[at].inode == v->root_pidns)
        return;
    char *d = source_describe(&g->sources->items[src]);
    diag(g, SEVERITY_WARNING, "model.nspid_depth",
         "%s: process %lld (%s) has %zu levels in its NSpid, but the namespace parents put "
         "pid:[%llu] %zu levels below another namespace than the view's root pid:[%llu]",
         d, (long long)vp->pid, vp->comm, vp->levels, (unsigned long long)vp->pidns, steps,
         (unsigned long long)v->root_pidns);
    free(d);
}

static bool same_chain_end(const struct model *m, size_t ns, size_t steps, uint64_t root)
{
    for (size_t k = 0; k < steps && ns != MODEL_NONE; k++)
        ns = m->namespaces[ns].parent;
    return ns != MODEL_NONE && m->namespaces[ns].inode == root;
}

/* Aligns the chosen nspid with the chain of namespaces: nspid[levels-1-j] is the pid j
 * levels above the own namespace. Levels the view did not see stay 0. */
static void assign_pids(struct merge *g, struct model_process *p)
{
    const struct model *m = g->m;
    const struct view_process *vp = p->seen;
    size_t depth = m->namespaces[p->ns].depth;
    p->levels = depth + 1;
    p->pids = xcalloc(p->levels, sizeof *p->pids);
    size_t known = vp->levels < p->levels ? vp->levels : p->levels;
    for (size_t j = 0; j < known; j++)
        p->pids[depth - j] = vp->nspid[vp->levels - 1 - j];
    if (vp->levels > p->levels) {
        diag(g, SEVERITY_WARNING, "model.nspid_depth",
             "process %lld (%s) has %zu NSpid levels but its namespace pid:[%llu] is only %zu deep "
             "in the merged tree; the outer %zu pids are not shown",
             (long long)vp->pid, vp->comm, vp->levels,
             (unsigned long long)m->namespaces[p->ns].inode, p->levels, vp->levels - p->levels);
    }
    p->uid = vp->uid;
    p->starttime = vp->starttime;
    p->comm = vp->comm;
    p->cmdline = vp->cmdline;
    p->args = vp->args;
    p->kthread = vp->kthread;
    p->state = vp->state;
}

/* ppid in the document is at the view's root level; inside the own namespace it is the
 * parent's own pid when the parent shares the namespace, else 0 (as the kernel shows it). */
static void assign_ppid(struct merge *g, struct model_process *p)
{
    const struct model *m = g->m;
    const struct view *v = g->sources->items[p->source].view;
    size_t root = model_find_namespace(m, v->root_pidns);
    size_t parent = root == MODEL_NONE ? MODEL_NONE : model_find_pid(m, root, p->seen->ppid);
    if (parent != MODEL_NONE && m->processes[parent].ns == p->ns)
        p->ppid = m->processes[parent].pids[m->processes[parent].levels - 1];
    else if (p->seen->levels == 1)
        p->ppid = p->seen->ppid;
}

static void index_levels(struct merge *g, size_t index)
{
    struct model *m = g->m;
    const struct model_process *p = &m->processes[index];
    size_t ns = p->ns;
    for (size_t j = p->levels; j-- > 0 && ns != MODEL_NONE; ns = m->namespaces[ns].parent)
        if (p->pids[j])
            idmap_put(&m->by_level_pid, ns, (uint64_t)p->pids[j], index);
}

/* ---- boots ---- */

static bool usable(const struct source *s)
{
    return s->status == SOURCE_OK && s->view;
}

/* A view that knows its boot id. */
static bool has_boot(const struct source *s)
{
    return usable(s) && s->view->boot_id;
}

/* The boot most views come from (the first one on a tie). */
static const char *main_boot(const struct source_list *sources)
{
    const char *best = NULL;
    size_t best_count = 0;
    for (size_t i = 0; i < sources->nr; i++) {
        if (!has_boot(&sources->items[i]))
            continue;
        const char *id = sources->items[i].view->boot_id;
        size_t count = 0;
        for (size_t j = 0; j < sources->nr; j++)
            if (has_boot(&sources->items[j]) && strcmp(sources->items[j].view->boot_id, id) == 0)
                count++;
        if (count > best_count) {
            best = id;
            best_count = count;
        }
    }
    return best;
}

/* A view without a boot id cannot be proven to belong: it is merged, and the user told. */
static void note_unknown_boot(struct merge *g, const struct source *s)
{
    char *d = source_describe(s);
    diag(g, SEVERITY_WARNING, "model.boot_unknown",
         "%s has no boot_id (the probe could not read it): it is merged on trust", d);
    free(d);
}

static void set_aside_other_boots(struct merge *g)
{
    const char *boot = main_boot(g->sources);
    if (boot)
        g->m->boot_id = str_dup(boot);
    for (size_t i = 0; i < g->sources->nr; i++) {
        struct source *s = &g->sources->items[i];
        if (usable(s) && !s->view->boot_id)
            note_unknown_boot(g, s);
        if (!has_boot(s) || strcmp(s->view->boot_id, g->m->boot_id) == 0)
            continue;
        char *d = source_describe(s);
        diag(g, SEVERITY_WARNING, "model.another_boot",
             "%s comes from another boot of the kernel (boot_id %s, the others %s): its pids and "
             "namespaces mean nothing next to theirs, so it is not merged",
             d, s->view->boot_id, g->m->boot_id);
        free(d);
        source_fail(s, "from another boot (boot_id %s; the other views are from boot_id %s)",
                    s->view->boot_id, g->m->boot_id);
    }
}

/* The probe lists the namespace of every process it reports. A process in one it left out
 * sits under a parent nobody described: it is kept (the tree shows that namespace under an
 * unknown parent), and the contradiction is said. */
static void report_unlisted_namespaces(struct merge *g, const struct view *v, const char *d)
{
    struct idmap listed = IDMAP_INIT;
    for (size_t i = 0; i < v->namespace_count; i++)
        idmap_put(&listed, v->namespaces[i].inode, 0, i);
    for (size_t i = 0; i < v->process_count; i++) {
        const struct view_process *vp = &v->processes[i];
        size_t at;
        if (vp->pidns && !idmap_get(&listed, vp->pidns, 0, &at))
            diag(g, SEVERITY_WARNING, "model.namespace_not_listed",
                 "%s: process %lld is in pid:[%llu], which the document's namespace list "
                 "leaves out (process kept, its namespace's parent unknown)",
                 d, (long long)vp->pid, (unsigned long long)vp->pidns);
    }
    idmap_free(&listed);
}

static void report_view_warnings(struct merge *g, size_t src)
{
    const struct view *v = g->sources->items[src].view;
    char *d = source_describe(&g->sources->items[src]);
    report_unlisted_namespaces(g, v, d);
    for (size_t i = 0; i < v->warning_count; i++)
        diag(g, SEVERITY_WARNING, "model.view_entry_dropped", "%s: %s", d, v->warnings[i]);
    /* Past the per-code cap, diag() would fold this line into "... and 1 more like the
     * above" and lose its count; there is one per view at most, so it is always kept. */
    if (v->warnings_dropped) {
        char *line = str_printf("%s: %zu more entries were dropped", d, v->warnings_dropped);
        add_diag(g, SEVERITY_WARNING, "model.view_entry_dropped", line);
        free(line);
    }
    for (size_t i = 0; i < v->error_count; i++)
        diag(g, SEVERITY_INFO, "model.probe_error", "%s: could not read %s", d, v->errors[i]);
    free(d);
}

/* ---- the merge ---- */

/* ---- wslns's own processes ---- */

/* The processes wslns itself started for this run are artefacts of looking and stay out of
 * the model. They are recognised exactly, never by name: a process any user calls
 * wslns-probe, or a script that looks like the runner, is shown like any other.
 * - each view's probe: its document's self (pid and pid namespace);
 * - for a view wslns collected itself (not --from), the probe's parent: the runner shell,
 *   or the debug shell the script was typed into;
 * - this run's runner shells, seen from any view taken meanwhile: `sh -c RUNNER MARKER`
 *   whose last argument is the run's marker (source_list.run_marker, random per run) - or
 *   whatever launches it, caught before its exec with the same last argument - and
 *   everything they started (mktemp's subshell, cat, chmod, the probe, rm);
 * - every view's probe and runner shell (as above) seen from another view, by identity: the
 *   same pid namespace, pid there and start time. This catches a runner another view saw
 *   while it was exiting, when its command line is already gone (a zombie shows none).
 * A user who reads the marker from /proc during the run could hide a process of theirs for
 * that one run only; docs/hostile.md says so. */
static bool is_runner(const struct view_process *vp, const char *marker)
{
    /* The runner itself (sh -c RUNNER MARKER), or a launcher on its way to exec it (env,
     * a relay, the lab's enter helper) caught before the exec: its last argument too. */
    return *marker && vp->args >= 2 && strcmp(vp->cmdline[vp->args - 1], marker) == 0;
}

enum own_state { OWN_UNKNOWN, OWN_RUNNER_TREE, OWN_NOT, OWN_VISITING };

/* A process by identity, the same in every view of one boot: its own pid namespace, its pid
 * there (the last NSpid entry) and its start time. */
static uint64_t own_level_pid(const struct view_process *vp)
{
    return (uint64_t)vp->nspid[vp->levels - 1];
}

/* Every view's probe and runner shell, by identity, into ids (a -> pidns, b -> pid, value ->
 * the starttime's index in *starttimes, which holds *nr). */
static void collect_own_ids(const struct source_list *sources, struct idmap *ids,
                            uint64_t **starttimes, size_t *nr)
{
    size_t alloc = 0;
    for (size_t i = 0; i < sources->nr; i++) {
        const struct source *s = &sources->items[i];
        if (!usable(s) || s->kind == SOURCE_FILE)
            continue;
        const struct view *v = s->view;
        const struct view_process *self = NULL;
        for (size_t k = 0; k < v->process_count && !self; k++)
            if (v->processes[k].pid == v->self_pid &&
                (!v->self_pidns || v->processes[k].pidns == v->self_pidns))
                self = &v->processes[k];
        const struct view_process *runner = NULL;
        for (size_t k = 0; self && self->ppid && k < v->process_count && !runner; k++)
            if (v->processes[k].pid == self->ppid)
                runner = &v->processes[k];
        const struct view_process *mine[2] = {self, runner};
        for (size_t j = 0; j < 2; j++) {
            if (!mine[j] || !mine[j]->pidns)
                continue;
            ALLOC_GROW(*starttimes, *nr + 1, alloc);
            (*starttimes)[*nr] = mine[j]->starttime;
            idmap_put(ids, mine[j]->pidns, own_level_pid(mine[j]), *nr);
            ++*nr;
        }
    }
}

static bool is_own_id(const struct view_process *vp, const struct idmap *ids,
                      const uint64_t *starttimes)
{
    size_t at;
    return vp->pidns && idmap_get(ids, vp->pidns, own_level_pid(vp), &at) &&
           starttimes[at] == vp->starttime;
}

/* Hides the probe itself and, unless the view was read from a file, its parent. by_pid maps
 * the view's pids to its process indices. */
static void hide_probe(const struct source *s, const struct idmap *by_pid, bool *hidden)
{
    const struct view *v = s->view;
    size_t self = MODEL_NONE;
    for (size_t k = 0; k < v->process_count; k++) {
        const struct view_process *vp = &v->processes[k];
        if (vp->pid == v->self_pid && (!v->self_pidns || vp->pidns == v->self_pidns)) {
            hidden[k] = true;
            self = k;
        }
    }
    size_t parent;
    if (self != MODEL_NONE && s->kind != SOURCE_FILE && v->processes[self].ppid &&
        idmap_get(by_pid, (uint64_t)v->processes[self].ppid, 0, &parent))
        hidden[parent] = true;
}

/* Hides a runner's descendants: each process walks up its parents until one whose answer is
 * known, and every process on the way gets that answer (linear; a ppid cycle is no runner's
 * tree). by_pid maps the view's pids to its process indices. */
static void hide_runner_trees(const struct view *v, const char *marker, const struct idmap *ids,
                              const uint64_t *starttimes, const struct idmap *by_pid, bool *hidden)
{
    size_t n = v->process_count;
    unsigned char *state = xcalloc(n, 1);
    size_t *chain = xcalloc(n, sizeof *chain);
    for (size_t k = 0; k < n; k++) {
        size_t len = 0, cur = k;
        enum own_state answer = OWN_NOT;
        for (;;) {
            if (state[cur] != OWN_UNKNOWN) {
                answer = state[cur] == OWN_RUNNER_TREE ? OWN_RUNNER_TREE : OWN_NOT;
                break;
            }
            state[cur] = OWN_VISITING;
            chain[len++] = cur;
            if (is_runner(&v->processes[cur], marker) ||
                is_own_id(&v->processes[cur], ids, starttimes)) {
                answer = OWN_RUNNER_TREE;
                break;
            }
            size_t up;
            if (!v->processes[cur].ppid ||
                !idmap_get(by_pid, (uint64_t)v->processes[cur].ppid, 0, &up))
                break;
            cur = up;
        }
        for (size_t j = 0; j < len; j++) {
            state[chain[j]] = (unsigned char)answer;
            hidden[chain[j]] = hidden[chain[j]] || answer == OWN_RUNNER_TREE;
        }
    }
    free(state);
    free(chain);
}

/* Sets hidden[k] for the view's own processes of this run. */
static void find_own_processes(const struct source *s, const char *marker, const struct idmap *ids,
                               const uint64_t *starttimes, bool *hidden)
{
    const struct view *v = s->view;
    struct idmap by_pid = IDMAP_INIT;
    for (size_t k = 0; k < v->process_count; k++)
        idmap_put(&by_pid, (uint64_t)v->processes[k].pid, 0, k);
    hide_probe(s, &by_pid, hidden);
    hide_runner_trees(v, marker, ids, starttimes, &by_pid, hidden);
    idmap_free(&by_pid);
}

/* Reports each usable view's warnings and merges the namespaces of all into one tree. */
static void merge_namespaces(struct merge *g)
{
    struct source_list *sources = g->sources;
    for (size_t i = 0; i < sources->nr; i++) {
        if (!usable(&sources->items[i]))
            continue;
        const struct view *v = sources->items[i].view;
        report_view_warnings(g, i);
        for (size_t k = 0; k < v->namespace_count; k++)
            add_parent_edge(g, i, &v->namespaces[k]);
        if (v->root_pidns)
            get_namespace(g, v->root_pidns);
    }
    link_parents(g);
}

static void merge_views(struct merge *g)
{
    size_t hidden = 0;
    struct source_list *sources = g->sources;
    merge_namespaces(g);
    struct idmap own_ids = IDMAP_INIT;
    uint64_t *own_starttimes = NULL;
    size_t own_nr = 0;
    collect_own_ids(sources, &own_ids, &own_starttimes, &own_nr);
    for (size_t i = 0; i < sources->nr; i++) {
        if (!usable(&sources->items[i]))
            continue;
        const struct view *v = sources->items[i].view;
        bool *own = xcalloc(v->process_count, sizeof *own);
        find_own_processes(&sources->items[i], sources->run_marker, &own_ids, own_starttimes, own);
        for (size_t k = 0; k < v->process_count; k++) {
            if (own[k]) {
                hidden++;
                continue;
            }
            observe_process(g, i, v, &v->processes[k]);
            if (v->processes[k].pidns &&
                !same_chain_end(g->m, model_find_namespace(g->m, v->processes[k].pidns),
                                v->processes[k].levels - 1, v->root_pidns))
                check_depth(g, i, v, &v->processes[k]);
        }
        free(own);
    }
    idmap_free(&own_ids);
    free(own_starttimes);
    if (hidden)
        diag(g, SEVERITY_INFO, "model.own_processes_hidden",
             "%zu sightings of wslns's own processes of this run (each view's probe, its "
             "shell and what the runner started) are left out",
             hidden);
}

static void finish_processes(struct merge *g)
{
    struct model *m = g->m;
    for (size_t i = 0; i < m->process_nr; i++)
        assign_pids(g, &m->processes[i]);
    for (size_t i = 0; i < m->process_nr; i++)
        index_levels(g, i);
    for (size_t i = 0; i < m->process_nr; i++)
        assign_ppid(g, &m->processes[i]);
}

/* ---- the VM root and the placeholder ---- */

static bool pid1_comm_is(const struct merge *g, size_t ns, const char *comm);

static void mark_vm_roots(struct merge *g)
{
    struct model *m = g->m;
    size_t init = model_find_namespace(m, VIEW_INIT_PIDNS);
    if (init != MODEL_NONE)
        m->namespaces[init].kind = NS_VM;
    for (size_t i = 0; i < g->sources->nr; i++) {
        const struct source *s = &g->sources->items[i];
        if (usable(s) && s->kind == SOURCE_VM) {
            size_t ns = model_find_namespace(m, s->view->root_pidns);
            if (ns != MODEL_NONE && m->namespaces[ns].parent == MODEL_NONE)
                m->namespaces[ns].kind = NS_VM;
        }
    }
    /* A saved VM-root document (--from) names no source kind: mini_init as pid 1 of a
     * namespace without a visible parent is WSL's VM root. */
    for (size_t i = 0; i < m->namespace_nr; i++)
        if (m->namespaces[i].parent == MODEL_NONE && pid1_comm_is(g, i, "mini_init"))
            m->namespaces[i].kind = NS_VM;
}

static void set_depths(struct model *m)
{
    /* Parents always precede nothing in particular, so settle each chain by walking up;
     * chains are at most MODEL_MAX_DEPTH long and free of cycles by now. */
    for (size_t i = 0; i < m->namespace_nr; i++) {
        size_t depth = 0;
        for (size_t at = m->namespaces[i].parent; at != MODEL_NONE; at = m->namespaces[at].parent)
            depth++;
        m->namespaces[i].depth = depth;
    }
}

static void add_placeholder(struct merge *g)
{
    struct model *m = g->m;
    size_t placeholder = MODEL_NONE, hidden = 0;
    size_t count = m->namespace_nr;
    for (size_t i = 0; i < count; i++) {
        if (m->namespaces[i].parent != MODEL_NONE || m->namespaces[i].kind == NS_VM)
            continue;
        if (placeholder == MODEL_NONE) {
            placeholder = add_namespace(g, 0);
            m->namespaces[placeholder].placeholder = true;
            m->namespaces[placeholder].label = str_dup(PLACEHOLDER_LABEL);
        }
        m->namespaces[i].parent = placeholder;
        hidden++;
    }
    if (hidden)
        diag(g, SEVERITY_INFO, "model.parent_not_visible",
             "%zu namespace%s hang%s below a parent no view could see; running wslns as "
             "Administrator "
             "lets it use `wsl --debug-shell` to see the VM root",
             hidden, hidden == 1 ? "" : "s", hidden == 1 ? "s" : "");
    set_depths(m);
}

/* ---- grouping ---- */

static const struct model *sort_model; /* qsort has no context argument in C11 */

static int by_own_pid(const void *a, const void *b)
{
    const struct model_process *pa = &sort_model->processes[*(const size_t *)a];
    const struct model_process *pb = &sort_model->processes[*(const size_t *)b];
    int64_t x = pa->pids[pa->levels - 1], y = pb->pids[pb->levels - 1];
    return (x > y) - (x < y);
}

/* Siblings by distro name (as people look for them), then system before distro, then inode. */
static int by_distro_kind_inode(const void *a, const void *b)
{
    const struct model_namespace *na = &sort_model->namespaces[*(const size_t *)a];
    const struct model_namespace *nb = &sort_model->namespaces[*(const size_t *)b];
    if (na->distro && nb->distro) {
        int c = distro_compare(na->distro, nb->distro, SIZE_MAX);
        if (c)
            return c;
    } else if (na->distro || nb->distro) {
        return na->distro ? -1 : 1;
    }
    if (na->kind != nb->kind)
        return (na->kind > nb->kind) - (na->kind < nb->kind);
    return (na->inode > nb->inode) - (na->inode < nb->inode);
}

/* Fills each namespace's processes[] and children[] with two counting passes. */
static void group(struct merge *g)
{
    struct model *m = g->m;
    for (size_t i = 0; i < m->process_nr; i++)
        m->namespaces[m->processes[i].ns].process_count++;
    for (size_t i = 0; i < m->namespace_nr; i++) {
        struct model_namespace *ns = &m->namespaces[i];
        if (ns->parent != MODEL_NONE)
            m->namespaces[ns->parent].child_count++;
        else
            m->top_count++;
    }
    m->tops = xcalloc(m->top_count + 1, sizeof *m->tops);
    for (size_t i = 0; i < m->namespace_nr; i++) {
        struct model_namespace *ns = &m->namespaces[i];
        ns->processes = xcalloc(ns->process_count + 1, sizeof *ns->processes);
        ns->children = xcalloc(ns->child_count + 1, sizeof *ns->children);
        ns->process_count = ns->child_count = 0;
    }
    m->top_count = 0;
    for (size_t i = 0; i < m->process_nr; i++) {
        struct model_namespace *ns = &m->namespaces[m->processes[i].ns];
        ns->processes[ns->process_count++] = i;
    }
    for (size_t i = 0; i < m->namespace_nr; i++) {
        size_t parent = m->namespaces[i].parent;
        if (parent != MODEL_NONE)
            m->namespaces[parent].children[m->namespaces[parent].child_count++] = i;
        else
            m->tops[m->top_count++] = i;
    }
    sort_model = m;
    for (size_t i = 0; i < m->namespace_nr; i++)
        qsort(m->namespaces[i].processes, m->namespaces[i].process_count, sizeof(size_t),
              by_own_pid);
}

static void sort_children(struct model *m)
{
    sort_model = m;
    for (size_t i = 0; i < m->namespace_nr; i++)
        qsort(m->namespaces[i].children, m->namespaces[i].child_count, sizeof(size_t),
              by_distro_kind_inode);
    qsort(m->tops, m->top_count, sizeof(size_t), by_distro_kind_inode);
}

/* ---- labels ---- */

/* Works before the pids are aligned: the key of a process is its own (namespace, pid). */
static size_t pid1_of(const struct merge *g, size_t ns)
{
    size_t p;
    uint64_t inode = g->m->namespaces[ns].inode;
    return inode && idmap_get(&g->by_key, inode, 1, &p) ? p : MODEL_NONE;
}

static bool pid1_comm_is(const struct merge *g, size_t ns, const char *comm)
{
    size_t p = pid1_of(g, ns);
    return p != MODEL_NONE && strcmp(g->m->processes[p].seen->comm, comm) == 0;
}

static void set_kind(struct merge *g, size_t ns, enum ns_kind kind, const char *distro)
{
    struct model_namespace *n = &g->m->namespaces[ns];
    n->kind = kind;
    free(n->distro);
    n->distro = distro ? str_dup(distro) : NULL;
}

static void label_from_sources(struct merge *g)
{
    for (size_t i = 0; i < g->sources->nr; i++) {
        const struct source *s = &g->sources->items[i];
        if (!usable(s) || !s->distro || (s->kind != SOURCE_SYSTEM && s->kind != SOURCE_DISTRO))
            continue;
        size_t ns = model_find_namespace(g->m, s->view->root_pidns);
        if (ns == MODEL_NONE || g->m->namespaces[ns].kind != NS_UNKNOWN)
            continue;
        set_kind(g, ns, s->kind == SOURCE_SYSTEM ? NS_SYSTEM : NS_DISTRO, s->distro);
    }
}

/* The full distro name for an init comm cut at 15 bytes: what a view running in that
 * namespace said (WSL_DISTRO_NAME, WSL2_DISTRO_NAME), else the one collected distro whose
 * name starts with the cut text. */
static char *resolve_distro_name(struct merge *g, size_t ns, const char *text, bool cut)
{
    for (size_t i = 0; i < g->sources->nr; i++) {
        const struct source *s = &g->sources->items[i];
        if (!usable(s) || s->view->root_pidns != g->m->namespaces[ns].inode)
            continue;
        const char *name = s->view->distro ? s->view->distro : s->view->wsl2_distro_name;
        if (name)
            return str_dup(name);
    }
    if (!cut)
        return str_dup(text);
    const char *match = NULL;
    size_t n = strlen(text);
    for (size_t i = 0; i < g->sources->nr; i++) {
        const char *d = g->sources->items[i].distro;
        if (d && strncmp(d, text, n) == 0) {
            if (match && strcmp(match, d) != 0)
                return str_printf("%s" CUT_MARK, text);
            match = d;
        }
    }
    return match ? str_dup(match) : str_printf("%s" CUT_MARK, text);
}

/* "init(Ubuntu)" -> "Ubuntu"; "init(docker-des" (cut by the kernel) -> the resolved name. */
static char *distro_from_init_comm(struct merge *g, size_t ns, const char *comm, const char *prefix)
{
    size_t plen = strlen(prefix);
    if (strncmp(comm, prefix, plen) != 0)
        return NULL;
    const char *name = comm + plen;
    const char *close = strchr(name, ')');
    char *text = close ? str_ndup(name, (size_t)(close - name)) : str_dup(name);
    if (!*text) {
        free(text);
        return NULL;
    }
    char *full = resolve_distro_name(g, ns, text, close == NULL);
    free(text);
    return full;
}

static char *distro_by_init(struct merge *g, size_t ns)
{
    const struct model *m = g->m;
    size_t p1 = pid1_of(g, ns);
    if (p1 == MODEL_NONE)
        return NULL;
    char *name = distro_from_init_comm(g, ns, m->processes[p1].comm, "init(");
    if (name || strcmp(m->processes[p1].comm, "systemd") != 0)
        return name;
    /* systemd as pid 1: WSL's init runs as its child, named init-systemd(X). */
    const struct model_namespace *n = &m->namespaces[ns];
    for (size_t k = 0; k < n->process_count && !name; k++)
        name = distro_from_init_comm(g, ns, m->processes[n->processes[k]].comm, "init-systemd(");
    return name;
}

static void label_by_init(struct merge *g)
{
    for (size_t i = 0; i < g->m->namespace_nr; i++) {
        if (g->m->namespaces[i].kind != NS_UNKNOWN)
            continue;
        char *name = distro_by_init(g, i);
        if (name)
            set_kind(g, i, NS_DISTRO, name);
        free(name);
    }
}

static bool wslg_like(const struct merge *g, size_t ns)
{
    static const char *const wslg[] = {"WSLGd", "weston", "Xwayland", "pulseaudio"};
    const struct model *m = g->m;
    if (pid1_comm_is(g, ns, "init"))
        return true;
    const struct model_namespace *n = &m->namespaces[ns];
    for (size_t k = 0; k < n->process_count; k++)
        for (size_t w = 0; w < sizeof wslg / sizeof *wslg; w++)
            if (strcmp(m->processes[n->processes[k]].comm, wslg[w]) == 0)
                return true;
    return false;
}

/* A distro's system distro is a WSL instance without a name, so WSL's init names its pid 1
 * "init()" (WSL src/linux/init/config.cpp sets "init(<name>)"; src/windows/service/exe/
 * WslCoreInstance.cpp gives the system distro no name, 3e27a6a5): that name alone decides,
 * WSLg running or not. For builds that named it otherwise, a WSLg-like namespace right below
 * the VM root (or below the unseen parent, or below a mini_init that is not the top, as in a
 * lab nested in a bigger system) holding a distro is that distro's system distro too. Each
 * parent's processes are scanned once, however many distro-like children it has (any user
 * of a distro can start 10,000 of them). */
static void label_system_by_shape(struct merge *g)
{
    struct model *m = g->m;
    enum { UNSEEN, NOT_WSLG, WSLG };
    unsigned char *wslg = xcalloc(m->namespace_nr, 1);
    for (size_t i = 0; i < m->namespace_nr; i++) {
        const struct model_namespace *child = &m->namespaces[i];
        if (child->kind != NS_DISTRO || child->parent == MODEL_NONE)
            continue;
        const struct model_namespace *ns = &m->namespaces[child->parent];
        if (ns->kind != NS_UNKNOWN || ns->placeholder)
            continue;
        if (pid1_comm_is(g, child->parent, "init()")) {
            set_kind(g, child->parent, NS_SYSTEM, child->distro);
            continue;
        }
        if (ns->parent == MODEL_NONE)
            continue;
        const struct model_namespace *above = &m->namespaces[ns->parent];
        bool below_root =
            above->kind == NS_VM || above->placeholder || pid1_comm_is(g, ns->parent, "mini_init");
        if (!below_root)
            continue;
        if (wslg[child->parent] == UNSEEN)
            wslg[child->parent] = wslg_like(g, child->parent) ? WSLG : NOT_WSLG;
        if (wslg[child->parent] == WSLG)
            set_kind(g, child->parent, NS_SYSTEM, child->distro);
    }
    free(wslg);
}

/* Below a distro, every namespace is a container of it (any depth: parents first, so the
 * namespaces are taken in order of depth, sorted by counting: one pass, not one per depth). */
static size_t depth_bucket(const struct model_namespace *ns)
{
    return ns->depth < MODEL_MAX_DEPTH ? ns->depth : MODEL_MAX_DEPTH;
}

static void label_containers(struct merge *g)
{
    struct model *m = g->m;
    size_t n = m->namespace_nr, start[MODEL_MAX_DEPTH + 2] = {0};
    size_t *order = xcalloc(n, sizeof *order);
    for (size_t i = 0; i < n; i++)
        start[depth_bucket(&m->namespaces[i]) + 1]++;
    for (size_t d = 1; d <= MODEL_MAX_DEPTH + 1; d++)
        start[d] += start[d - 1];
    for (size_t i = 0; i < n; i++)
        order[start[depth_bucket(&m->namespaces[i])]++] = i;
    for (size_t k = 0; k < n; k++) {
        size_t i = order[k];
        struct model_namespace *ns = &m->namespaces[i];
        if (ns->depth == 0 || ns->kind != NS_UNKNOWN || ns->parent == MODEL_NONE)
            continue;
        const struct model_namespace *parent = &m->namespaces[ns->parent];
        if (parent->kind == NS_DISTRO || parent->kind == NS_CONTAINER)
            set_kind(g, i, NS_CONTAINER, parent->distro);
    }
    free(order);
}

static char *make_label(const struct merge *g, size_t i)
{
    const struct model *m = g->m;
    const struct model_namespace *ns = &m->namespaces[i];
    size_t p1 = pid1_of(g, i);
    const char *init = p1 != MODEL_NONE ? m->processes[p1].comm : NULL;
    switch (ns->kind) {
    case NS_VM: return str_dup("VM root");
    case NS_SYSTEM: return str_printf("system distro of %s", ns->distro);
    case NS_DISTRO: return str_printf("distro %s", ns->distro);
    case NS_CONTAINER:
        return init ? str_printf("container in %s (pid 1: %s)", ns->distro, init)
                    : str_printf("container in %s", ns->distro);
    case NS_UNKNOWN: break;
    }
    return init ? str_printf("pid namespace (pid 1: %s)", init)
                : str_dup("pid namespace (no process seen)");
}

static void label_all(struct merge *g)
{
    label_from_sources(g);
    label_by_init(g);
    label_system_by_shape(g);
    label_containers(g);
    for (size_t i = 0; i < g->m->namespace_nr; i++) {
        struct model_namespace *ns = &g->m->namespaces[i];
        if (!ns->placeholder)
            ns->label = make_label(g, i);
    }
}

/* ---- public ---- */

struct model *model_build(struct source_list *sources)
{
    struct merge g = {0};
    g.sources = sources;
    g.m = xcalloc(1, sizeof *g.m);
    set_aside_other_boots(&g);
    merge_views(&g);
    mark_vm_roots(&g);
    add_placeholder(&g);
    finish_processes(&g);
    group(&g);
    label_all(&g);
    sort_children(g.m);
    summarise_diags(&g);
    idmap_free(&g.by_key);
    return g.m;
}

size_t model_find_namespace(const struct model *m, uint64_t inode)
{
    size_t index;
    return inode && idmap_get(&m->ns_by_inode, inode, 0, &index) ? index : MODEL_NONE;
}

size_t model_find_pid(const struct model *m, size_t ns, int64_t pid)
{
    size_t index;
    return pid > 0 && idmap_get(&m->by_level_pid, ns, (uint64_t)pid, &index) ? index : MODEL_NONE;
}

size_t *model_chain(const struct model *m, size_t ns, size_t *levels)
{
    size_t n = m->namespaces[ns].depth + 1;
    size_t *chain = xcalloc(n, sizeof *chain);
    for (size_t j = n; j-- > 0 && ns != MODEL_NONE; ns = m->namespaces[ns].parent)
        chain[j] = ns;
    *levels = n;
    return chain;
}

bool model_distro_equal(const char *a, const char *b)
{
    size_t cut = strlen(CUT_MARK), la = strlen(a);
    if (la >= cut && strcmp(a + la - cut, CUT_MARK) == 0) /* a cut name matches what it starts */
        return strlen(b) >= la - cut && distro_compare(a, b, la - cut) == 0;
    return distro_compare(a, b, SIZE_MAX) == 0;
}

const char *model_kind_name(enum ns_kind kind)
{
    switch (kind) {
    case NS_VM: return "vm";
    case NS_SYSTEM: return "system";
    case NS_DISTRO: return "distro";
    case NS_CONTAINER: return "container";
    case NS_UNKNOWN: break;
    }
    return "unknown";
}

void model_free(struct model *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->namespace_nr; i++) {
        struct model_namespace *ns = &m->namespaces[i];
        free(ns->id);
        free(ns->distro);
        free(ns->label);
        free(ns->children);
        free(ns->processes);
    }
    for (size_t i = 0; i < m->process_nr; i++)
        free(m->processes[i].pids);
    for (size_t i = 0; i < m->diag_nr; i++) {
        free(m->diags[i].code);
        free(m->diags[i].message);
    }
    free(m->namespaces);
    free(m->processes);
    free(m->diags);
    free(m->tops);
    free(m->boot_id);
    idmap_free(&m->ns_by_inode);
    idmap_free(&m->by_level_pid);
    idmap_free(&m->diag_codes);
    free(m);
}
