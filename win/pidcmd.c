#include "pidcmd.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "strbuf.h"
#include "xalloc.h"

static size_t find_level(const struct model *m, enum ns_kind kind, const char *distro)
{
    for (size_t i = 0; i < m->namespace_nr; i++) {
        const struct model_namespace *ns = &m->namespaces[i];
        if (ns->kind == kind && (!distro || (ns->distro && model_distro_equal(ns->distro, distro))))
            return i;
    }
    return MODEL_NONE;
}

/* Why a level is missing: the reason its source gave, when there was one. */
static char *missing_level(const struct source_list *sources, enum source_kind kind,
                           const char *distro)
{
    if (kind == SOURCE_VM)
        return str_dup(
            "the VM root was not collected: it needs `wsl --debug-shell`, which needs an "
            "elevated prompt (Run as Administrator) and no --no-debug-shell");
    const char *what = kind == SOURCE_SYSTEM ? "the system distro of" : "distro";
    for (size_t i = 0; i < sources->nr; i++) {
        const struct source *s = &sources->items[i];
        if (s->kind == kind && s->distro && model_distro_equal(s->distro, distro) && s->reason) {
            /* The reason may quote the probed system (a boot_id, the probe's stderr). */
            struct strbuf sb = STRBUF_INIT;
            strbuf_printf(&sb, "%s ", what);
            escape_terminal(&sb, distro);
            strbuf_puts(&sb, " was not collected: ");
            escape_message(&sb, s->reason);
            return strbuf_detach(&sb, NULL);
        }
    }
    struct strbuf sb = STRBUF_INIT;
    strbuf_printf(&sb, "%s ", what);
    escape_terminal(&sb, distro); /* the --in argument, as typed */
    strbuf_puts(&sb, " was not collected (is the name right? `wsl --list --verbose` lists them)");
    return strbuf_detach(&sb, NULL);
}

#define LABEL_COLUMN_MAX 60

static void table(struct strbuf *sb, const struct model *m, const struct model_process *p,
                  size_t asked)
{
    size_t levels = 0, width = 5;
    size_t *chain = model_chain(m, p->ns, &levels);
    char **labels = xcalloc(levels + 1, sizeof *labels);
    for (size_t j = 0; j < levels; j++) {
        labels[j] = escape_dup(m->namespaces[chain[j]].label, ESCAPE_DATA);
        size_t w = strlen(labels[j]);
        width = w > width ? w : width;
    }
    /* Padding every row to a label a document made 1 MB long would print 64 MB: a longer
     * label overflows its column instead. */
    if (width > LABEL_COLUMN_MAX)
        width = LABEL_COLUMN_MAX;
    strbuf_printf(sb, "  %-*s  %-18s  %s\n", (int)width, "level", "namespace", "pid");
    for (size_t j = 0; j < levels; j++) {
        const struct model_namespace *ns = &m->namespaces[chain[j]];
        strbuf_printf(sb, "  %-*s  %-18s  ", (int)width, labels[j], ns->id);
        if (p->pids[j])
            strbuf_printf(sb, "%lld", (long long)p->pids[j]);
        else
            strbuf_puts(sb, "? (not visible)");
        if (chain[j] == asked)
            strbuf_puts(sb, "   <- asked");
        strbuf_putc(sb, '\n');
        free(labels[j]);
    }
    free(labels);
    free(chain);
}

static void answer(struct strbuf *sb, const struct model *m, const struct model_process *p,
                   int64_t pid, size_t asked)
{
    strbuf_printf(sb, "pid %lld in ", (long long)pid);
    escape_terminal(sb, m->namespaces[asked].label);
    strbuf_puts(sb, " is ");
    escape_terminal(sb, p->comm);
    for (size_t a = 0; a < p->args; a++) {
        strbuf_puts(sb, a ? " " : ": ");
        escape_argument(sb, p->cmdline[a], strlen(p->cmdline[a]), NULL);
    }
    strbuf_printf(sb, "\n  (uid %lld; its own namespace is ", (long long)p->uid);
    escape_terminal(sb, m->namespaces[p->ns].label);
    strbuf_puts(sb, ")\n\n");
    table(sb, m, p, asked);
}

int pidcmd_render(const struct model *m, const struct source_list *sources, int64_t pid,
                  const char *where, char **text)
{
    enum source_kind kind = SOURCE_DISTRO;
    const char *distro = where;
    if (model_distro_equal(where, "vm")) {
        kind = SOURCE_VM;
        distro = NULL;
    } else if (strncmp(where, "system:", 7) == 0) {
        kind = SOURCE_SYSTEM;
        distro = where + 7;
    }
    enum ns_kind ns_kind = kind == SOURCE_VM       ? NS_VM
                           : kind == SOURCE_SYSTEM ? NS_SYSTEM
                                                   : NS_DISTRO;
    size_t level = find_level(m, ns_kind, distro);
    if (level == MODEL_NONE) {
        *text = missing_level(sources, kind, distro);
        return 1;
    }
    size_t found = model_find_pid(m, level, pid);
    if (found == MODEL_NONE) {
        struct strbuf sb = STRBUF_INIT;
        strbuf_printf(&sb, "no process has pid %lld in ", (long long)pid);
        escape_terminal(&sb, m->namespaces[level].label);
        strbuf_printf(&sb, " (%s) at the time of the view; it may have ended",
                      m->namespaces[level].id);
        *text = strbuf_detach(&sb, NULL);
        return 1;
    }
    struct strbuf sb = STRBUF_INIT;
    answer(&sb, m, &m->processes[found], pid, level);
    *text = strbuf_detach(&sb, NULL);
    return 0;
}
