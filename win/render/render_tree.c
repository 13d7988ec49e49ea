#include "render/render_tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "view.h"

enum colour { C_NONE, C_BOLD, C_RED, C_GREEN, C_YELLOW, C_MAGENTA, C_CYAN, C_DIM };

static const char *const colour_codes[] = {"",         "\033[1m",  "\033[31m", "\033[32m",
                                           "\033[33m", "\033[35m", "\033[36m", "\033[2m"};

struct tree {
    struct strbuf out;
    const struct model *m;
    const struct render_options *opt;
    const char *branch, *last_branch, *pipe, *blank;
};

static void paint(struct tree *t, enum colour c, const char *text)
{
    if (t->opt->color && c != C_NONE)
        strbuf_puts(&t->out, colour_codes[c]);
    strbuf_puts(&t->out, text);
    if (t->opt->color && c != C_NONE)
        strbuf_puts(&t->out, "\033[0m");
}

/* Names and labels are data, reasons and diagnostics messages (escape.h). */
static void paint_escaped(struct tree *t, enum colour c, const char *text, enum escape_mode mode)
{
    struct strbuf sb = STRBUF_INIT;
    escape_text(&sb, text, strlen(text), mode, NULL);
    paint(t, c, sb.data ? sb.data : "");
    strbuf_release(&sb);
}

void render_pid_chain(struct strbuf *sb, const struct model_process *p, const int *widths)
{
    for (size_t j = 0; j < p->levels; j++) {
        int w = widths ? widths[j] : 0;
        if (j)
            strbuf_puts(sb, " / ");
        if (p->pids[j])
            strbuf_printf(sb, "%*lld", w, (long long)p->pids[j]);
        else
            strbuf_printf(sb, "%*s", w, "?");
    }
}

/* Per level, the width of the widest pid listed in a namespace, so its columns line up. */
static void chain_widths(const struct tree *t, const struct model_namespace *ns, int *widths)
{
    memset(widths, 0, (MODEL_MAX_DEPTH + 1) * sizeof *widths);
    for (size_t k = 0; k < ns->process_count; k++) {
        const struct model_process *p = &t->m->processes[ns->processes[k]];
        for (size_t j = 0; j < p->levels && j <= MODEL_MAX_DEPTH && !p->kthread; j++) {
            int w = p->pids[j] ? snprintf(NULL, 0, "%lld", (long long)p->pids[j]) : 1;
            widths[j] = w > widths[j] ? w : widths[j];
        }
    }
}

bool render_matches_filter(const struct model_namespace *ns, const char *const *only)
{
    if (!only)
        return true;
    for (; *only; only++)
        if (ns->distro && model_distro_equal(ns->distro, *only))
            return true;
    return false;
}

/* Shown: a namespace of a selected distro, or one on the way down to it. */
static bool shown(const struct tree *t, size_t ns)
{
    const struct model_namespace *n = &t->m->namespaces[ns];
    if (render_matches_filter(n, t->opt->only))
        return true;
    for (size_t k = 0; k < n->child_count; k++)
        if (shown(t, n->children[k]))
            return true;
    return false;
}

static enum colour kind_colour(const struct model_namespace *ns)
{
    if (ns->placeholder)
        return C_YELLOW;
    switch (ns->kind) {
    case NS_VM: return C_BOLD;
    case NS_SYSTEM: return C_CYAN;
    case NS_DISTRO: return C_GREEN;
    case NS_CONTAINER: return C_MAGENTA;
    case NS_UNKNOWN: break;
    }
    return C_YELLOW;
}

static void namespace_header(struct tree *t, const struct model_namespace *ns)
{
    if (ns->placeholder) {
        strbuf_puts(&t->out, "(");
        paint(t, C_YELLOW, ns->label);
        strbuf_printf(&t->out, ")  [unknown]  %s\n", ns->id);
        return;
    }
    paint_escaped(t, kind_colour(ns), ns->label, ESCAPE_DATA);
    strbuf_printf(&t->out, "  [%s]  %s\n", model_kind_name(ns->kind), ns->id);
}

/* The command line with every argument escaped and, where needed, quoted (escape.h), so
 * the arguments stay countable. At most CMDLINE_SHOWN bytes: the JSON report has the rest. */
#define CMDLINE_SHOWN 200

static void append_cmdline(struct strbuf *sb, const struct model_process *p)
{
    size_t start = sb->len;
    for (size_t a = 0; a < p->args && sb->len - start <= CMDLINE_SHOWN; a++) {
        strbuf_puts(sb, a ? " " : "");
        escape_argument(sb, p->cmdline[a], strlen(p->cmdline[a]), NULL);
    }
    if (sb->len - start <= CMDLINE_SHOWN || !sb->data)
        return;
    size_t cut = start + CMDLINE_SHOWN;
    while (cut > start && ((unsigned char)sb->data[cut] & 0xC0) == 0x80)
        cut--; /* never split a UTF-8 sequence */
    sb->len = cut;
    sb->data[cut] = '\0';
    strbuf_puts(sb, " \xE2\x80\xA6");
}

static void process_line(struct tree *t, const char *prefix, const struct model_process *p,
                         const int *widths)
{
    strbuf_puts(&t->out, prefix);
    strbuf_puts(&t->out, "  ");
    render_pid_chain(&t->out, p, widths);
    strbuf_puts(&t->out, "  ");
    paint_escaped(t, C_BOLD, p->comm, ESCAPE_DATA);
    if (p->state == 'Z')
        paint(t, C_DIM, " <defunct>");
    if (p->args) {
        strbuf_puts(&t->out, "  ");
        append_cmdline(&t->out, p);
    }
    strbuf_putc(&t->out, '\n');
}

size_t render_type_owner(const struct model *m, const struct model_namespace *ns, int type)
{
    size_t owner = MODEL_NONE, steps = 0;
    if (!ns->types[type])
        return MODEL_NONE;
    for (size_t at = ns->parent; at != MODEL_NONE && steps <= m->namespace_nr;
         at = m->namespaces[at].parent, steps++) {
        uint64_t inode = m->namespaces[at].types[type];
        if (inode == ns->types[type])
            owner = at;
        else if (owner != MODEL_NONE)
            break;
    }
    return owner;
}

/* One line: which of its other namespaces (mnt, uts, ipc, net, user, cgroup, time) a
 * namespace has of its own and which it shares, with whom: "own: mnt uts ipc  shares: net
 * user cgroup time with VM root". Nothing for a namespace without a parent (nothing to
 * compare with) or when no view gave its types (an older probe). */
void render_types_line(struct strbuf *sb, const struct model *m, const struct model_namespace *ns,
                       void (*label)(struct strbuf *sb, const struct model_namespace *owner,
                                     void *ctx),
                       void *ctx)
{
    size_t owner[VIEW_NS_TYPES];
    bool any = false, own = false, unknown = false;
    for (int t = 0; t < VIEW_NS_TYPES; t++) {
        owner[t] = ns->types[t] ? render_type_owner(m, ns, t) : MODEL_NONE;
        any = any || ns->types[t];
        own = own || (ns->types[t] && owner[t] == MODEL_NONE);
        unknown = unknown || !ns->types[t];
    }
    if (!any || ns->parent == MODEL_NONE)
        return;
    if (own) {
        strbuf_puts(sb, "own:");
        for (int t = 0; t < VIEW_NS_TYPES; t++)
            if (ns->types[t] && owner[t] == MODEL_NONE)
                strbuf_printf(sb, " %s", view_ns_types[t]);
    }
    bool done[VIEW_NS_TYPES] = {false}, first = true;
    for (int t = 0; t < VIEW_NS_TYPES; t++) {
        if (!ns->types[t] || owner[t] == MODEL_NONE || done[t])
            continue;
        strbuf_puts(sb, first ? (own ? "  shares:" : "shares:") : ",");
        first = false;
        for (int u = t; u < VIEW_NS_TYPES; u++) {
            if (ns->types[u] && owner[u] == owner[t]) {
                strbuf_printf(sb, " %s", view_ns_types[u]);
                done[u] = true;
            }
        }
        strbuf_puts(sb, " with ");
        label(sb, &m->namespaces[owner[t]], ctx);
    }
    if (unknown) {
        strbuf_puts(sb, "  unknown:");
        for (int t = 0; t < VIEW_NS_TYPES; t++)
            if (!ns->types[t])
                strbuf_printf(sb, " %s", view_ns_types[t]);
    }
}

struct tree_label_ctx {
    struct tree *t;
};

/* The owner's label, escaped as data and painted in its kind's colour. */
static void tree_label(struct strbuf *sb, const struct model_namespace *owner, void *ctx)
{
    struct tree *t = ((struct tree_label_ctx *)ctx)->t;
    struct strbuf esc = STRBUF_INIT;
    escape_text(&esc, owner->label, strlen(owner->label), ESCAPE_DATA, NULL);
    enum colour c = kind_colour(owner);
    if (t->opt->color)
        strbuf_puts(sb, colour_codes[c]);
    strbuf_puts(sb, esc.data ? esc.data : "");
    if (t->opt->color)
        strbuf_puts(sb, "\033[0m");
    strbuf_release(&esc);
}

static void namespace_body(struct tree *t, const char *prefix, const struct model_namespace *ns)
{
    struct strbuf types = STRBUF_INIT;
    struct tree_label_ctx ctx = {t};
    render_types_line(&types, t->m, ns, tree_label, &ctx);
    if (types.len) {
        strbuf_puts(&t->out, prefix);
        strbuf_puts(&t->out, "  ");
        strbuf_puts(&t->out, types.data);
        strbuf_putc(&t->out, '\n');
    }
    strbuf_release(&types);
    bool mine = render_matches_filter(ns, t->opt->only);
    size_t kthreads = 0;
    int widths[MODEL_MAX_DEPTH + 1];
    chain_widths(t, ns, widths);
    for (size_t k = 0; k < ns->process_count; k++) {
        const struct model_process *p = &t->m->processes[ns->processes[k]];
        kthreads += p->kthread;
        if (mine && !p->kthread) /* hundreds of kworkers would bury the VM root's own processes */
            process_line(t, prefix, p, widths);
    }
    strbuf_puts(&t->out, prefix);
    strbuf_printf(&t->out, "  %zu process%s", ns->process_count,
                  ns->process_count == 1 ? "" : "es");
    if (kthreads)
        strbuf_printf(&t->out, " (%zu kernel thread%s not listed)", kthreads,
                      kthreads == 1 ? "" : "s");
    strbuf_printf(&t->out, ", %zu child namespace%s", ns->child_count,
                  ns->child_count == 1 ? "" : "s");
    if (!mine && ns->process_count)
        strbuf_puts(&t->out, " (processes not shown: outside the -d filter)");
    strbuf_putc(&t->out, '\n');
}

static void namespace_node(struct tree *t, size_t index, const char *prefix, bool top, bool last)
{
    const struct model_namespace *ns = &t->m->namespaces[index];
    strbuf_puts(&t->out, prefix);
    if (!top)
        strbuf_puts(&t->out, last ? t->last_branch : t->branch);
    namespace_header(t, ns);
    struct strbuf inner = STRBUF_INIT;
    strbuf_puts(&inner, prefix);
    if (!top)
        strbuf_puts(&inner, last ? t->blank : t->pipe);
    size_t base = inner.len;
    size_t visible = 0, seen = 0;
    for (size_t k = 0; k < ns->child_count; k++)
        visible += shown(t, ns->children[k]);
    strbuf_puts(&inner, visible ? t->pipe : t->blank);
    namespace_body(t, inner.data ? inner.data : "", ns);
    inner.len = base;
    if (inner.data)
        inner.data[base] = '\0';
    for (size_t k = 0; k < ns->child_count; k++) {
        if (!shown(t, ns->children[k]))
            continue;
        seen++;
        namespace_node(t, ns->children[k], inner.data ? inner.data : "", false, seen == visible);
    }
    strbuf_release(&inner);
}

static void views_section(struct tree *t, const struct source_list *sources)
{
    static const enum colour status_colours[] = {C_GREEN, C_RED, C_YELLOW};
    strbuf_puts(&t->out, "\nviews:\n");
    if (!sources->nr)
        strbuf_puts(&t->out, "  (none)\n");
    for (size_t i = 0; i < sources->nr; i++) {
        const struct source *s = &sources->items[i];
        char *what = source_describe(s);
        char status[16];
        snprintf(status, sizeof status, "%-9s", source_status_name(s->status));
        strbuf_puts(&t->out, "  ");
        paint(t, status_colours[s->status], status);
        paint_escaped(t, C_NONE, what, ESCAPE_MESSAGE);
        if (s->status == SOURCE_OK && s->view)
            strbuf_printf(&t->out, "  pid:[%llu], %zu process%s",
                          (unsigned long long)s->view->root_pidns, s->view->process_count,
                          s->view->process_count == 1 ? "" : "es");
        if (s->reason) {
            strbuf_puts(&t->out, ": ");
            paint_escaped(t, C_NONE, s->reason, ESCAPE_MESSAGE);
        }
        strbuf_putc(&t->out, '\n');
        free(what);
    }
}

static void diagnostics_section(struct tree *t)
{
    static const enum colour colours[] = {C_DIM, C_YELLOW, C_RED};
    if (!t->m->diag_nr)
        return;
    strbuf_puts(&t->out, "\ndiagnostics:\n");
    for (size_t i = 0; i < t->m->diag_nr; i++) {
        const struct model_diag *d = &t->m->diags[i];
        char severity[16];
        snprintf(severity, sizeof severity, "%-9s", severity_name(d->severity));
        strbuf_puts(&t->out, "  ");
        paint(t, colours[d->severity], severity);
        strbuf_printf(&t->out, "%s: ", d->code);
        paint_escaped(t, C_NONE, d->message, ESCAPE_MESSAGE);
        strbuf_putc(&t->out, '\n');
    }
}

char *render_tree(const struct model *m, const struct source_list *sources,
                  const struct render_options *opt)
{
    struct tree t = {STRBUF_INIT, m, opt, "├─ ", "└─ ", "│  ", "   "};
    if (opt->ascii) {
        t.branch = "|- ";
        t.last_branch = "`- ";
        t.pipe = "|  ";
    }
    size_t shown_tops = 0;
    for (size_t i = 0; i < m->top_count; i++) {
        if (!shown(&t, m->tops[i]))
            continue;
        if (shown_tops++)
            strbuf_putc(&t.out, '\n');
        namespace_node(&t, m->tops[i], "", true, true);
    }
    if (!shown_tops)
        strbuf_puts(&t.out, opt->only ? "(no namespace of the selected distros was seen)\n"
                                      : "(no namespace was seen)\n");
    views_section(&t, sources);
    diagnostics_section(&t);
    return strbuf_detach(&t.out, NULL);
}
