#include "render/render_html.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "platform/platform.h"
#include "escape.h"
#include "render/render_json.h"
#include "render/render_svg.h"
#include "render/render_tree.h"
#include "report_assets.h"
#include "strbuf.h"
#include "view.h"
#include "wslns_version.h"

/* The page's one script is allowed by its hash, so an element a hostile name managed to
 * inject could still not run anything. */
static const char CSP[] =
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-" REPORT_JS_SHA256
    "'; img-src data:; base-uri 'none'; form-action 'none'";

static const char LEGEND[] =
    "<p>Each box is a pid namespace: the VM root holds everything, a distro's system distro "
    "(WSLg) sits below it, the distro below its system distro (directly below the VM root when "
    "GUI apps are off) and containers below their distro; a dashed &ldquo;not visible&rdquo; box "
    "stands for a parent no view could see.</p>\n"
    "<p>A process has a pid in its own namespace and in every namespace above it, so each row "
    "lists them all, the outermost (VM root) on the left and its own on the right.</p>\n";

struct html {
    struct strbuf out;
    const struct model *m;
};

static void put(struct html *h, const char *s)
{
    strbuf_puts(&h->out, s);
}

/* Untrusted text goes through escape.h, the rule of every output channel; here its plain
 * pieces are entity-encoded and, in a text node, its escapes marked (so "\x41" typed by
 * someone reads differently from an escaped byte). In an attribute they stay plain text. */
void html_plain(struct strbuf *sb, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        const char *entity = NULL;
        switch (s[i]) {
        case '&': entity = "&amp;"; break;
        case '<': entity = "&lt;"; break;
        case '>': entity = "&gt;"; break;
        case '"': entity = "&quot;"; break;
        case '\'': entity = "&#39;"; break;
        default: continue;
        }
        strbuf_append(sb, s + run, i - run);
        strbuf_puts(sb, entity);
        run = i + 1;
    }
    strbuf_append(sb, s + run, n - run);
}

/* "\x80".."\xff" stand for bytes outside UTF-8; every other form for a character. */
static void html_escape_marked(struct strbuf *sb, const char *form)
{
    strbuf_printf(sb, "<span class=\"raw\" title=\"%s\">%s</span>",
                  form[1] == 'x' && form[2] >= '8' ? "a byte that is not valid UTF-8"
                                                   : "a control, invisible or direction character",
                  form);
}

static void html_escape_plain(struct strbuf *sb, const char *form)
{
    strbuf_puts(sb, form);
}

static const struct escape_sink text_sink = {html_plain, html_escape_marked};
static const struct escape_sink attr_sink = {html_plain, html_escape_plain};

static void put_untrusted(struct strbuf *sb, const char *text, bool markup)
{
    escape_text(sb, text, strlen(text), ESCAPE_MESSAGE, markup ? &text_sink : &attr_sink);
}

static void text(struct html *h, const char *s)
{
    put_untrusted(&h->out, s, true);
}

static void attr(struct html *h, const char *s)
{
    put_untrusted(&h->out, s, false);
}

/* A JSON document inside <script type="application/json">: nothing in it may read as "</script"
 * or "<!--", and U+2028/2029 would end a line if someone pasted it into a JS string. All
 * of these can only occur inside JSON strings, where \u escapes mean the same. Whitespace
 * outside strings goes: the indentation would be a third of the page. */
static void put_json(struct html *h, const char *json)
{
    bool in_string = false, escaped = false;
    for (const unsigned char *s = (const unsigned char *)json; *s; s++) {
        unsigned char c = *s;
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
        } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            continue;
        } else if (c == '"') {
            in_string = true;
        }
        if (c == '<')
            put(h, "\\u003c");
        else if (c == '>')
            put(h, "\\u003e");
        else if (c == '&')
            put(h, "\\u0026");
        else if (c == 0xE2 && s[1] == 0x80 && (s[2] == 0xA8 || s[2] == 0xA9)) {
            put(h, s[2] == 0xA8 ? "\\u2028" : "\\u2029");
            s += 2;
        } else
            strbuf_putc(&h->out, (char)c);
    }
}

static const char *kind_badge(const struct model_namespace *ns)
{
    return ns->placeholder ? "not visible" : model_kind_name(ns->kind);
}

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* ---- header ---- */

/* Every kernel release the views reported (normally one: all views share the VM's kernel). */
static void kernel_fact(struct html *h, const struct source_list *sources)
{
    bool any = false;
    for (size_t i = 0; i < sources->nr; i++) {
        const struct view *v = sources->items[i].view;
        if (sources->items[i].status != SOURCE_OK || !v || !v->kernel_release)
            continue;
        bool repeated = false;
        for (size_t k = 0; k < i && !repeated; k++) {
            const struct view *w = sources->items[k].view;
            repeated = sources->items[k].status == SOURCE_OK && w && w->kernel_release &&
                       strcmp(w->kernel_release, v->kernel_release) == 0;
        }
        if (repeated)
            continue;
        put(h, any ? ", " : "");
        text(h, v->kernel_release);
        any = true;
    }
    if (!any)
        put(h, "<span class=\"empty\">not known: no view was collected</span>");
}

static void fact(struct html *h, const char *name, const char *value)
{
    strbuf_printf(&h->out, "<dt>%s</dt><dd>", name);
    if (value)
        text(h, value);
    else
        put(h, "<span class=\"empty\">not known</span>");
    put(h, "</dd>\n");
}

static void section_header(struct html *h, const struct source_list *sources,
                           const struct html_page *page)
{
    size_t count[3] = {0, 0, 0};
    for (size_t i = 0; i < sources->nr; i++)
        count[sources->items[i].status]++;
    put(h, "<header>\n<h1>WSL pid namespaces <small>wslns report</small></h1>\n<dl "
           "class=\"facts\">\n");
    if (page->generated)
        fact(h, "Generated", page->generated);
    fact(h, "Computer", page->computer);
    fact(h, "wslns", WSLNS_VERSION);
    if (page->wsl_version)
        fact(h, "WSL", page->wsl_version);
    put(h, "<dt>Kernel</dt><dd>");
    kernel_fact(h, sources);
    put(h, "</dd>\n");
    if (h->m->boot_id)
        fact(h, "Boot id", h->m->boot_id);
    strbuf_printf(
        &h->out,
        "<dt>Views</dt><dd><a href=\"#views\">%zu collected, %zu failed, %zu skipped</a></dd>\n"
        "<dt>Tree</dt><dd><a href=\"#tree\">%zu namespace%s, %zu process%s</a></dd>\n"
        "</dl>\n</header>\n",
        count[SOURCE_OK], count[SOURCE_FAILED], count[SOURCE_SKIPPED], h->m->namespace_nr,
        plural(h->m->namespace_nr, "", "s"), h->m->process_nr,
        plural(h->m->process_nr, "", "es"));
}

/* ---- views ---- */

static void view_problems(struct html *h, const struct view *v)
{
    size_t n = v->error_count + v->warning_count + v->warnings_dropped;
    if (!n)
        return;
    strbuf_printf(&h->out, "<details><summary>%zu problem%s reading processes</summary><ul>", n,
                  plural(n, "", "s"));
    for (size_t k = 0; k < v->error_count; k++) {
        put(h, "<li>probe: ");
        text(h, v->errors[k]);
        put(h, "</li>");
    }
    for (size_t k = 0; k < v->warning_count; k++) {
        put(h, "<li>dropped: ");
        text(h, v->warnings[k]);
        put(h, "</li>");
    }
    if (v->warnings_dropped)
        strbuf_printf(&h->out, "<li>and %zu more dropped entries</li>", v->warnings_dropped);
    put(h, "</ul></details>");
}

static void section_views(struct html *h, const struct source_list *sources)
{
    put(h, "<section id=\"views\">\n<h2>Views</h2>\n");
    if (!sources->nr) {
        put(h, "<p class=\"empty\">No view was attempted.</p>\n</section>\n");
        return;
    }
    put(h, "<table class=\"views\"><thead><tr><th>View</th><th>Status</th><th>Namespace</th>"
           "<th>Processes</th><th>System</th><th>Why / notes</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < sources->nr; i++) {
        const struct source *s = &sources->items[i];
        const struct view *v = s->status == SOURCE_OK ? s->view : NULL;
        char *what = source_describe(s);
        strbuf_printf(&h->out, "<tr class=\"view-%s\"><td>", source_status_name(s->status));
        text(h, what);
        strbuf_printf(&h->out, "</td><td><span class=\"badge st-%s\">%s</span></td><td>",
                      source_status_name(s->status), source_status_name(s->status));
        if (v && v->root_pidns)
            strbuf_printf(&h->out, "<code>pid:[%llu]</code>", (unsigned long long)v->root_pidns);
        put(h, "</td><td>");
        if (v)
            strbuf_printf(&h->out, "%zu", v->process_count);
        put(h, "</td><td>");
        if (v && v->os_name)
            text(h, v->os_name);
        put(h, "</td><td>");
        if (s->reason)
            text(h, s->reason);
        if (v)
            view_problems(h, v);
        put(h, "</td></tr>\n");
        free(what);
    }
    put(h, "</tbody></table>\n</section>\n");
}

/* ---- the tree ---- */

/* A pid column's heading: short, with the namespace's full label and id as its title. */
static void column_heading(struct html *h, const struct model_namespace *ns)
{
    put(h, "<th class=\"p\" title=\"");
    attr(h, ns->label ? ns->label : "");
    put(h, " ");
    attr(h, ns->id);
    put(h, "\">");
    const char *distro = ns->distro ? ns->distro : "?";
    if (ns->placeholder) {
        put(h, "not visible");
    } else if (ns->kind == NS_SYSTEM) {
        put(h, "system ");
        text(h, distro);
    } else if (ns->kind == NS_DISTRO) {
        text(h, distro);
    } else if (ns->kind == NS_VM) {
        put(h, "VM root");
    } else {
        put(h, kind_badge(ns));
    }
    put(h, "</th>");
}

/* Arguments joined by blanks, each escaped and quoted as escape.h says (as in the console
 * tree), so the words stay countable: a" "b is one argument, "a\" \"b". */
static void cmdline_cell(struct html *h, const struct model_process *p)
{
    put(h, "<td>");
    for (size_t a = 0; a < p->args; a++) {
        if (a)
            put(h, " ");
        escape_argument(&h->out, p->cmdline[a], strlen(p->cmdline[a]), &text_sink);
    }
}

/* A row is "<tr>", one td per level (outermost first), then ppid, comm, cmdline and uid:
 * no class, no attribute, no optional </td> or </tr> (all valid HTML), because rows are
 * most of a 10,000-process page. The style sheet and the script tell the cells apart by
 * their place from the end (report.css td:nth-last-child), and a row's number is its
 * place in the page (the embedded report's "processes" are in the same order). */
static void process_row(struct html *h, const struct model_process *p, size_t levels)
{
    put(h, "<tr>");
    for (size_t j = 0; j < levels; j++) {
        if (j < p->levels && p->pids[j])
            strbuf_printf(&h->out, "<td>%lld", (long long)p->pids[j]);
        else
            put(h, "<td title=\"no view saw this level\">?");
    }
    strbuf_printf(&h->out, "<td>%lld<td>", (long long)p->ppid);
    text(h, p->comm);
    cmdline_cell(h, p);
    strbuf_printf(&h->out, "<td>%lld\n", (long long)p->uid);
}

/* A namespace's rows are the page's only copy of its processes (the embedded report keeps
 * only what they do not show), wrapped in <noscript>: without JavaScript the browser parses
 * them as the table they are; with it, they are one text node the script turns into the
 * table when the section comes near the screen (report.js), so a large page opens without
 * building 10,000 rows first. Nothing from a probe can end the element: every "<" in
 * untrusted text is "&lt;". data-n is the row count, for the script's total. */
static void process_table(struct html *h, const struct model_namespace *ns, size_t index)
{
    size_t levels = 0;
    size_t *chain = model_chain(h->m, index, &levels);
    /* The browser lays out and paints a namespace's rows only near the screen
     * (content-visibility in report.css); the size hint keeps the scroll bar right. */
    strbuf_printf(&h->out,
                  "<div class=\"rows\" data-n=\"%zu\" style=\"contain-intrinsic-height: auto "
                  "%zupx\"><noscript>\n",
                  ns->process_count, (ns->process_count + 1) * 22);
    put(h, "<table class=\"procs\"><thead><tr>");
    for (size_t j = 0; j < levels; j++)
        column_heading(h, &h->m->namespaces[chain[j]]);
    put(h, "<th>ppid</th><th>comm</th><th>cmdline</th><th>uid</th></tr></thead>\n<tbody>\n");
    for (size_t k = 0; k < ns->process_count; k++)
        process_row(h, &h->m->processes[ns->processes[k]], levels);
    put(h, "</tbody></table>\n</noscript></div>\n");
    free(chain);
}

/* An owner's label in the isolation line and table: untrusted, escaped and marked. */
static void html_label(struct strbuf *sb, const struct model_namespace *owner, void *ctx)
{
    (void)ctx;
    put_untrusted(sb, owner->label ? owner->label : "", true);
}

/* The tree's isolation line (render_tree.h), under the namespace's summary. */
static void isolation_line(struct html *h, const struct model_namespace *ns)
{
    struct strbuf line = STRBUF_INIT;
    render_types_line(&line, h->m, ns, html_label, NULL);
    if (line.len) {
        put(h, "<p class=\"iso\">");
        put(h, line.data);
        put(h, "</p>\n");
    }
    strbuf_release(&line);
}

static void namespace_node(struct html *h, size_t index)
{
    const struct model_namespace *ns = &h->m->namespaces[index];
    put(h, "<details id=\"");
    render_svg_anchor(&h->out, h->m, index);
    strbuf_printf(&h->out, "\" class=\"ns k-%s%s\" open data-ns=\"", model_kind_name(ns->kind),
                  ns->placeholder ? " placeholder" : "");
    attr(h, ns->id);
    strbuf_printf(&h->out, "\"><summary><span class=\"kind\">%s</span> <span class=\"label\">",
                  kind_badge(ns));
    text(h, ns->label ? ns->label : "");
    put(h, "</span> <code>");
    text(h, ns->id);
    strbuf_printf(
        &h->out,
        "</code><span class=\"meta\">%zu process%s, %zu child namespace%s</span></summary>\n",
        ns->process_count, plural(ns->process_count, "", "es"), ns->child_count,
        plural(ns->child_count, "", "s"));
    isolation_line(h, ns);
    if (ns->placeholder)
        put(h,
            "<p class=\"empty\">No view could see this namespace, so its pids are unknown. The VM "
            "root "
            "is visible only through <code>wsl --debug-shell</code>, which needs a prompt run as "
            "Administrator.</p>\n");
    else if (ns->process_count)
        process_table(h, ns, index);
    else
        put(h, "<p class=\"empty\">No process of its own was seen.</p>\n");
    for (size_t k = 0; k < ns->child_count; k++)
        namespace_node(h, ns->children[k]);
    put(h, "</details>\n");
}

static void section_tree(struct html *h)
{
    put(h, "<section id=\"tree\">\n<h2>Namespace tree</h2>\n");
    if (!h->m->top_count)
        put(h, "<p class=\"empty\">No namespace was seen: see the views above for why.</p>\n");
    for (size_t i = 0; i < h->m->top_count; i++)
        namespace_node(h, h->m->tops[i]);
    put(h, "</section>\n");
}

/* One row per namespace, in tree order: for each type, "own" where the namespace has one
 * its parent does not, else the ancestor level it shares it with; "?" where no view knew. */
static void isolation_rows(struct html *h, size_t index, size_t depth)
{
    const struct model_namespace *ns = &h->m->namespaces[index];
    if (!ns->placeholder) {
        strbuf_printf(&h->out,
                      "<tr class=\"k-%s\"><th scope=\"row\" style=\"padding-left:%zurem\">",
                      model_kind_name(ns->kind), depth < 16 ? depth : 16);
        text(h, ns->label ? ns->label : "");
        put(h, "</th>");
        for (int t = 0; t < VIEW_NS_TYPES; t++) {
            if (!ns->types[t]) {
                put(h, "<td class=\"unknown\" title=\"no view could read it\">?</td>");
                continue;
            }
            size_t owner = render_type_owner(h->m, ns, t);
            strbuf_printf(&h->out, "<td class=\"%s\" title=\"%s:[%llu]\">",
                          owner == MODEL_NONE ? "own" : "shared", view_ns_types[t],
                          (unsigned long long)ns->types[t]);
            if (owner == MODEL_NONE)
                put(h, "own");
            else
                text(h, h->m->namespaces[owner].label ? h->m->namespaces[owner].label : "");
            put(h, "</td>");
        }
        put(h, "</tr>\n");
    }
    for (size_t k = 0; k < ns->child_count; k++)
        isolation_rows(h, ns->children[k], depth + 1);
}

static void section_isolation(struct html *h)
{
    bool any = false;
    for (size_t i = 0; i < h->m->namespace_nr && !any; i++)
        for (int t = 0; t < VIEW_NS_TYPES && !any; t++)
            any = h->m->namespaces[i].types[t] != 0;
    if (!any)
        return; /* probes too old to say */
    put(h, "<section id=\"isolation\">\n<h2>Which levels share which namespace</h2>\n"
           "<p>Per pid namespace, the other namespaces its pid 1 lives in: <em>own</em> where it "
           "has one its parent level does not, otherwise the level it shares it with (hover "
           "for the inode).</p>\n<table class=\"iso\"><thead><tr><th>level</th>");
    for (int t = 0; t < VIEW_NS_TYPES; t++)
        strbuf_printf(&h->out, "<th>%s</th>", view_ns_types[t]);
    put(h, "</tr></thead><tbody>\n");
    for (size_t i = 0; i < h->m->top_count; i++)
        isolation_rows(h, h->m->tops[i], 0);
    put(h, "</tbody></table>\n</section>\n");
}

/* ---- diagnostics and the doctor ---- */

static void section_diagnostics(struct html *h)
{
    put(h, "<section id=\"diagnostics\">\n<h2>Diagnostics</h2>\n");
    if (!h->m->diag_nr) {
        put(h, "<p class=\"empty\">None: the views agreed with each other.</p>\n</section>\n");
        return;
    }
    put(h, "<ul class=\"diags\">\n");
    for (size_t i = 0; i < h->m->diag_nr; i++) {
        const struct model_diag *d = &h->m->diags[i];
        const char *sev = severity_name(d->severity);
        strbuf_printf(&h->out, "<li><span class=\"badge sev-%s\">%s</span> <code>", sev, sev);
        text(h, d->code);
        put(h, "</code> ");
        text(h, d->message);
        put(h, "</li>\n");
    }
    put(h, "</ul>\n</section>\n");
}

static void finding_item(struct html *h, const struct html_finding *f)
{
    put(h, "<li>");
    if (f->severity) {
        put(h, "<span class=\"badge sev-");
        attr(h, f->severity);
        put(h, "\">");
        text(h, f->severity);
        put(h, "</span> ");
    }
    if (f->subject) {
        put(h, "<strong>");
        text(h, f->subject);
        put(h, "</strong>: ");
    }
    text(h, f->message ? f->message : "");
    if (f->fix) {
        put(h, "<span class=\"fix\">Fix: ");
        text(h, f->fix);
        put(h, "</span>");
    }
    put(h, "</li>\n");
}

static void section_doctor(struct html *h, const struct html_extras *x)
{
    put(h, "<section id=\"doctor\">\n<h2>GUI apps (WSLg) and configuration</h2>\n");
    if (!x || !x->section_count) {
        put(h, "<p class=\"empty\">Not checked in this report: <code>wslns doctor --html "
               "FILE</code> adds "
               "the GUI-apps verdict of every distro and the findings in .wslconfig and "
               "wsl.conf.</p>\n"
               "</section>\n");
        return;
    }
    for (size_t i = 0; i < x->section_count; i++) {
        const struct html_section *s = &x->sections[i];
        put(h, "<h3>");
        text(h, s->title ? s->title : "");
        put(h, "</h3>\n");
        if (s->intro) {
            put(h, "<p>");
            text(h, s->intro);
            put(h, "</p>\n");
        }
        if (!s->finding_count)
            put(h, "<p class=\"empty\">Nothing to report.</p>\n");
        else
            put(h, "<ul class=\"findings\">\n");
        for (size_t k = 0; k < s->finding_count; k++)
            finding_item(h, &s->findings[k]);
        if (s->finding_count)
            put(h, "</ul>\n");
    }
    put(h, "</section>\n");
}

/* ---- the page ---- */

static void page_head(struct html *h, const struct html_page *page)
{
    put(h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta http-equiv=\"Content-Security-Policy\" content=\"");
    put(h, CSP);
    put(h, "\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           "<meta name=\"generator\" content=\"wslns " WSLNS_VERSION "\">\n<title>wslns report");
    if (page->computer) {
        put(h, " - ");
        text(h, page->computer);
    }
    if (page->generated) {
        put(h, " - ");
        text(h, page->generated);
    }
    put(h, "</title>\n<style>\n");
    put(h, REPORT_CSS);
    put(h, "</style>\n</head>\n<body>\n");
}

static void toolbar(struct html *h)
{
    put(h, "<nav class=\"toolbar\" id=\"toolbar\" hidden>\n"
           "<input type=\"search\" id=\"search\" placeholder=\"Find a pid (any level), comm or "
           "command line\" "
           "aria-label=\"Find processes\" autocomplete=\"off\" spellcheck=\"false\">\n"
           "<button type=\"button\" id=\"expand-all\">Expand all</button>\n"
           "<button type=\"button\" id=\"collapse-all\">Collapse all</button>\n"
           "<span id=\"search-status\" role=\"status\"></span>\n<span "
           "id=\"selection\"></span>\n</nav>\n");
}

static void embedded_data(struct html *h, const char *report, const struct html_extras *x)
{
    put(h, "<script type=\"application/json\" id=\"wslns-report\">");
    put_json(h, report);
    put(h, "</script>\n");
    if (x && x->json && x->json_id) {
        put(h, "<script type=\"application/json\" id=\"");
        attr(h, x->json_id);
        put(h, "\">");
        put_json(h, x->json);
        put(h, "</script>\n");
    }
}

char *render_html(const struct model *m, const struct source_list *sources,
                  const struct html_page *page)
{
    char *report = render_json_for_page(m, sources);
    struct html h = {STRBUF_INIT, m};
    page_head(&h, page);
    section_header(&h, sources, page);
    put(&h, "<main>\n");
    render_svg(&h.out, m);
    section_views(&h, sources);
    put(&h, "<section id=\"legend\" class=\"legend\">\n<h2>Reading the tree</h2>\n");
    put(&h, LEGEND);
    put(&h, "</section>\n");
    toolbar(&h);
    section_tree(&h);
    section_isolation(&h);
    section_diagnostics(&h);
    section_doctor(&h, page->extras);
    put(&h,
        "</main>\n<footer>Made by wslns " WSLNS_VERSION ". The report's data is embedded as JSON "
        "(wslns-report/1) in the element <code>#wslns-report</code>.</footer>\n");
    embedded_data(&h, report, page->extras);
    free(report);
    put(&h, "<script>");
    put(&h, REPORT_JS);
    put(&h, "</script>\n</body>\n</html>\n");
    return strbuf_detach(&h.out, NULL);
}

errmsg render_html_file(const char *path, const struct model *m, const struct source_list *sources,
                        const struct html_extras *extras)
{
    if (strcmp(path, "-") == 0)
        return str_dup("the HTML report goes to a file: give --html a file name, not -");
    char generated[64] = "";
    time_t now = time(NULL);
    const struct tm *utc = gmtime(&now);
    if (!utc || !strftime(generated, sizeof generated, "%Y-%m-%d %H:%M:%S UTC", utc))
        generated[0] = '\0';
    char *computer = plat_getenv("COMPUTERNAME");
    if (!computer || !*computer) {
        free(computer);
        computer = plat_getenv("HOSTNAME");
    }
    struct html_page page = {generated[0] ? generated : NULL,
                             computer && *computer ? computer : NULL, NULL, extras};
    char *html = render_html(m, sources, &page);
    free(computer);
    char *error = plat_write_file(path, html, strlen(html));
    free(html);
    return error;
}
