#include "tree.h"

#include "escape.h"
#include "procfs.h"
#include "utf8.h"
#include "xalloc.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

void probe_tree_escape(struct strbuf *out, const char *bytes, size_t len)
{
    /* The host tool's escaper (common/escape.h): one rule for every console wslns writes. */
    escape_text(out, bytes, len, ESCAPE_DATA, NULL);
}

/* A process's place in the tree order: by namespace, then pid. */
struct tree_entry {
    uint64_t pidns;
    int pid;
    size_t index;
};

/* A namespace's place among its siblings: by parent inode, then table order. */
struct child_entry {
    uint64_t parent;
    size_t index;
};

struct tree {
    const struct probe_view *view;
    struct tree_entry *by_ns;
    struct child_entry *by_parent; /* every namespace, so a node finds its children by search */
    struct strbuf *out;
    struct strbuf prefix;
};

static int compare_children(const void *a, const void *b)
{
    const struct child_entry *x = a, *y = b;
    if (x->parent != y->parent)
        return x->parent < y->parent ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* First position in by_parent whose namespace has `parent` (or a later one) as its parent.
 * A search instead of a scan per node: a user who makes many namespaces must not make the
 * tree quadratic. */
static size_t first_child(const struct tree *t, uint64_t parent)
{
    size_t lo = 0, hi = t->view->namespace_nr;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->by_parent[mid].parent < parent)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int compare_entries(const void *a, const void *b)
{
    const struct tree_entry *x = a, *y = b;
    if (x->pidns != y->pidns)
        return x->pidns < y->pidns ? -1 : 1;
    return (x->pid > y->pid) - (x->pid < y->pid);
}

/* First position in by_ns whose process lives in `inode` (or in a later one). */
static size_t first_of(const struct tree *t, uint64_t inode)
{
    size_t lo = 0, hi = t->view->process_nr;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->by_ns[mid].pidns < inode)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void process_line(struct tree *t, const struct probe_process *p, bool last)
{
    struct strbuf *out = t->out;
    strbuf_append(out, t->prefix.data ? t->prefix.data : "", t->prefix.len);
    strbuf_puts(out, last ? "└─ " : "├─ ");
    for (size_t i = 0; i < p->nspid_len; i++)
        strbuf_printf(out, "%s%d", i ? " / " : "", p->nspid[i]);
    strbuf_puts(out, "  ");
    probe_tree_escape(out, p->comm, p->comm_len);
    if (p->kthread)
        strbuf_puts(out, "  (kernel thread)");
    else if (p->state == 'Z')
        strbuf_puts(out, "  (zombie)");
    size_t pos = 0, n;
    const char *arg;
    bool first = true;
    while (probe_cmdline_next(p->cmdline, p->cmdline_len, &pos, &arg, &n)) {
        strbuf_puts(out, first ? "  [" : " ");
        probe_tree_escape(out, arg, n);
        first = false;
    }
    strbuf_puts(out, first ? "\n" : "]\n");
}

static bool is_child(const struct probe_namespace *ns, uint64_t parent)
{
    return ns->parent == parent && ns->inode != parent;
}

static void namespace_node(struct tree *t, const struct probe_namespace *ns, int depth);

static void namespace_line(struct tree *t, const struct probe_namespace *ns)
{
    const struct probe_view *v = t->view;
    strbuf_printf(t->out, "pid:[%" PRIu64 "]  level %d  ", ns->inode, ns->level);
    if (ns->parent)
        strbuf_printf(t->out, "parent pid:[%" PRIu64 "]", ns->parent);
    else if (ns->parent_visible)
        strbuf_puts(t->out, "no parent (the initial pid namespace)");
    else
        strbuf_puts(t->out, "parent outside this view");
    strbuf_printf(t->out, "  %zu process%s", ns->nprocesses, ns->nprocesses == 1 ? "" : "es");
    if (ns->init_index >= 0) {
        strbuf_printf(t->out, "  init %d ", v->processes[ns->init_index].pid);
        probe_tree_escape(t->out, v->processes[ns->init_index].comm,
                          v->processes[ns->init_index].comm_len);
    }
    strbuf_putc(t->out, '\n');
}

/* Processes of ns, then its child namespaces, each drawn one level deeper. */
static void namespace_body(struct tree *t, const struct probe_namespace *ns, int depth)
{
    const struct probe_view *v = t->view;
    size_t kids = first_child(t, ns->inode);
    size_t kids_end = kids;
    while (kids_end < v->namespace_nr && t->by_parent[kids_end].parent == ns->inode)
        kids_end++;
    /* A namespace that names itself as its parent is not its own child. */
    size_t nchildren = 0;
    for (size_t k = kids; k < kids_end; k++)
        nchildren += is_child(&v->namespaces[t->by_parent[k].index], ns->inode);
    size_t start = first_of(t, ns->inode);
    size_t end = start;
    while (end < v->process_nr && t->by_ns[end].pidns == ns->inode)
        end++;
    for (size_t i = start; i < end; i++)
        process_line(t, &v->processes[t->by_ns[i].index], i + 1 == end && nchildren == 0);
    /* The kernel nests at most 32 levels; the cap only guards the recursion. */
    if (depth > PROBE_MAX_LEVELS + 1)
        return;
    for (size_t k = kids; k < kids_end; k++) {
        const struct probe_namespace *child = &v->namespaces[t->by_parent[k].index];
        if (!is_child(child, ns->inode))
            continue;
        nchildren--;
        size_t keep = t->prefix.len;
        strbuf_append(t->out, t->prefix.data ? t->prefix.data : "", t->prefix.len);
        strbuf_puts(t->out, nchildren ? "├─ " : "└─ ");
        strbuf_puts(&t->prefix, nchildren ? "│  " : "   ");
        namespace_node(t, child, depth + 1);
        t->prefix.len = keep;
        if (t->prefix.data)
            t->prefix.data[keep] = '\0';
    }
}

static void namespace_node(struct tree *t, const struct probe_namespace *ns, int depth)
{
    namespace_line(t, ns);
    namespace_body(t, ns, depth);
}

static const char *mount_point_words(int mount_point)
{
    return mount_point > 0    ? "a mount point"
           : mount_point == 0 ? "not a mount point"
                              : "(mount unknown)";
}

/* The WSLg line: what decides WSLg (docs/doctor.md), the share mounted under the automount
 * root and an X0 that answers through /tmp/.X11-unix. */
static void wslg_line(struct strbuf *out, const struct probe_context *ctx)
{
    strbuf_puts(out, "\nWSLg: share ");
    if (ctx->share_path.data)
        probe_tree_escape(out, ctx->share_path.data, ctx->share_path.len);
    strbuf_printf(out, " %s, X0 %s; /tmp/.X11-unix %s", mount_point_words(ctx->share_mount_point),
                  probe_x0_name(ctx->share_x0),
                  ctx->x11_unix == PROBE_X11_DIRECTORY ? "directory"
                  : ctx->x11_unix == PROBE_X11_SYMLINK ? "symlink"
                  : ctx->x11_unix == PROBE_X11_OTHER   ? "not a directory"
                                                       : "missing");
    if (ctx->x11_unix_target.data) {
        strbuf_puts(out, " -> ");
        probe_tree_escape(out, ctx->x11_unix_target.data, ctx->x11_unix_target.len);
    }
    strbuf_printf(out, " %s%s, X0 %s", mount_point_words(ctx->x11_unix_mount_point),
                  ctx->x11_unix_read_only == 1 ? " (read-only)" : "", probe_x0_name(ctx->x0));
}

static void context_lines(struct strbuf *out, const struct probe_context *ctx)
{
    strbuf_printf(out, "kernel %s  boot_id ", ctx->release);
    if (ctx->boot_id.data)
        probe_tree_escape(out, ctx->boot_id.data, ctx->boot_id.len);
    else
        strbuf_puts(out, "(unknown)");
    strbuf_puts(out, "\ndistro ");
    if (ctx->distro.data)
        probe_tree_escape(out, ctx->distro.data, ctx->distro.len);
    else
        strbuf_puts(out, "(WSL_DISTRO_NAME not set)");
    for (size_t i = 0; i < ctx->os_release.nr; i++) {
        const struct probe_pair *p = &ctx->os_release.items[i];
        if (p->key.len == 11 && memcmp(p->key.data, "PRETTY_NAME", 11) == 0) {
            strbuf_puts(out, "  os ");
            probe_tree_escape(out, p->value.data, p->value.len);
        }
    }
    strbuf_puts(out, "\npid 1 ");
    if (ctx->pid1_comm.data)
        probe_tree_escape(out, ctx->pid1_comm.data, ctx->pid1_comm.len);
    else
        strbuf_puts(out, "(unreadable)");
    strbuf_puts(out, ctx->pid1_systemd ? " (systemd)" : "");
    wslg_line(out, ctx);
    strbuf_puts(out, "\nwsl.conf ");
    if (ctx->wsl_conf.data)
        strbuf_printf(out, "%zu bytes%s\n", ctx->wsl_conf_size,
                      ctx->wsl_conf_truncated ? " (cut)" : "");
    else
        strbuf_puts(out, "absent\n");
}

static void error_lines(struct strbuf *out, const struct probe_error *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char buf[16];
        if (e[i].pid)
            strbuf_printf(out, "  pid %d: %s: %s\n", e[i].pid, e[i].what,
                          probe_errno_name(e[i].err, buf));
        else
            strbuf_printf(out, "  %s: %s\n", e[i].what, probe_errno_name(e[i].err, buf));
    }
}

void probe_tree_render(const struct probe_view *view, const struct probe_context *ctx,
                       struct strbuf *out)
{
    struct tree t = {view, NULL, NULL, out, STRBUF_INIT};
    t.by_ns = xcalloc(view->process_nr, sizeof *t.by_ns);
    t.by_parent = xcalloc(view->namespace_nr, sizeof *t.by_parent);
    for (size_t i = 0; i < view->process_nr; i++)
        t.by_ns[i] = (struct tree_entry){view->processes[i].pidns, view->processes[i].pid, i};
    qsort(t.by_ns, view->process_nr, sizeof *t.by_ns, compare_entries);
    for (size_t i = 0; i < view->namespace_nr; i++)
        t.by_parent[i] = (struct child_entry){view->namespaces[i].parent, i};
    qsort(t.by_parent, view->namespace_nr, sizeof *t.by_parent, compare_children);

    context_lines(out, ctx);
    /* Roots: namespaces whose parent is unknown or not in the table. */
    for (size_t i = 0; i < view->namespace_nr; i++) {
        const struct probe_namespace *ns = &view->namespaces[i];
        if (ns->parent && probe_view_namespace(view, ns->parent))
            continue;
        strbuf_putc(out, '\n');
        namespace_node(&t, ns, 0);
    }
    size_t unknown = first_of(&t, 1);
    if (unknown > 0) {
        strbuf_puts(out, "\nprocesses whose pid namespace could not be read\n");
        for (size_t i = 0; i < unknown; i++)
            process_line(&t, &view->processes[t.by_ns[i].index], i + 1 == unknown);
    }
    if (view->error_nr + ctx->error_nr) {
        strbuf_printf(out, "\nerrors (%zu)\n", view->error_nr + ctx->error_nr);
        error_lines(out, view->errors, view->error_nr);
        error_lines(out, ctx->errors, ctx->error_nr);
    }
    free(t.by_ns);
    free(t.by_parent);
    strbuf_release(&t.prefix);
}
