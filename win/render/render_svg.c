#include "render/render_svg.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "render/render_html.h"
#include "view.h"
#include "xalloc.h"

/* Geometry in px. A box: its label, then a line with its kind and process count, then its
 * children in rows. */
#define PAD 8
#define LINE 16
#define GAP 10
#define HEAD (PAD + 2 * LINE + 2)
#define MIN_W 150   /* the narrowest box, whatever the nesting depth */
#define MAX_W 1150  /* the width at which the top level's rows wrap */
#define MIN_COLS 16 /* a label is never cut shorter than this */
#define MAX_COLS 60 /* nor left longer */
#define ELLIPSIS "\xe2\x80\xa6"

struct picture {
    struct strbuf *out;
    const struct model *m;
    int *x, *y, *w, *h; /* per namespace; x, y relative to its parent box */
    int *cols;          /* per namespace: the columns its label may take */
};

static int max_int(int a, int b)
{
    return a > b ? a : b;
}

/* ---- labels: escaped as the page does, then cut to a number of columns ---- */

/* The escaped label with each escape between \1 and \2: escaped text never holds a control
 * character, so the two cannot be confused with it. */
static void mark_plain(struct strbuf *sb, const char *s, size_t n)
{
    strbuf_append(sb, s, n);
}

static void mark_escaped(struct strbuf *sb, const char *form)
{
    strbuf_putc(sb, '\1');
    strbuf_puts(sb, form);
    strbuf_putc(sb, '\2');
}

static const struct escape_sink mark_sink = {mark_plain, mark_escaped};

/* The unit at s (an escape, or one UTF-8 character): its length in bytes and its columns. */
static size_t unit_at(const char *s, int *cols)
{
    if (*s == '\1') {
        const char *end = strchr(s, '\2');
        size_t n = end ? (size_t)(end - s) + 1 : strlen(s);
        *cols = (int)n - 2;
        return n;
    }
    unsigned char c = (unsigned char)*s;
    size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    for (size_t k = 1; k < n; k++)
        if (!s[k])
            return k;
    *cols = c < 0x80 ? 1 : 2; /* wide enough for a CJK character or an emoji */
    return n;
}

/* How many bytes of the marked label fit max_cols columns (the rest cut, with U+2026 taking
 * two); *cols: the columns shown; *cut: whether it was cut. */
static size_t fit(const char *marked, int max_cols, int *cols, bool *cut)
{
    int total = 0, u = 0;
    for (const char *s = marked; *s; s += unit_at(s, &u))
        unit_at(s, &u), total += u;
    *cut = total > max_cols;
    if (!*cut) {
        *cols = total;
        return strlen(marked);
    }
    int used = 0;
    size_t n = 0;
    for (;;) {
        size_t len = unit_at(marked + n, &u);
        if (!marked[n] || used + u > max_cols - 2)
            break;
        used += u;
        n += len;
    }
    *cols = used + 2;
    return n;
}

static char *marked_label(const struct model_namespace *ns)
{
    struct strbuf sb = STRBUF_INIT;
    const char *label = ns->label ? ns->label : "";
    escape_text(&sb, label, strlen(label), ESCAPE_MESSAGE, &mark_sink);
    return strbuf_detach(&sb, NULL);
}

/* The label's first n bytes (marked) as SVG text: entity-encoded, escapes in <tspan class="raw">.
 */
static void put_label(struct strbuf *out, const char *marked, size_t n, bool cut)
{
    size_t run = 0, i = 0;
    while (i < n) {
        if (marked[i] != '\1') {
            i++;
            continue;
        }
        html_plain(out, marked + run, i - run);
        const char *end = memchr(marked + i, '\2', n - i);
        size_t stop = end ? (size_t)(end - marked) : n;
        strbuf_puts(out, "<tspan class=\"raw\">");
        html_plain(out, marked + i + 1, stop - i - 1);
        strbuf_puts(out, "</tspan>");
        i = run = end ? stop + 1 : n;
    }
    html_plain(out, marked + run, n - run);
    if (cut)
        strbuf_puts(out, ELLIPSIS);
}

/* The full label for the box's tooltip: escapes as plain text. */
static void put_title_text(struct strbuf *out, const char *marked)
{
    for (const char *s = marked; *s; s++)
        if (*s != '\1' && *s != '\2')
            html_plain(out, s, 1);
}

/* ---- what a box says ---- */

static const char *kind_word(const struct model_namespace *ns)
{
    return ns->placeholder ? "not visible" : model_kind_name(ns->kind);
}

static void count_text(char *buf, size_t size, const struct model_namespace *ns)
{
    snprintf(buf, size, "%zu process%s", ns->process_count, ns->process_count == 1 ? "" : "es");
}

/* The other namespace types (mnt uts ipc net user cgroup time, the model's types): one line
 * below the count, when a view said any of them, one <text> whose <tspan>s name the types.
 * A type is "own" when the level's namespace of that type differs from the level above's
 * (or it is the top), "shared" when it is the same, "unknown" when either is not known (its
 * name then ends in "?"). One text per box rather than a rect and a text per type: the
 * browser styles and lays out a handful of elements per box instead of thirty (issue 14). */
#define TYPES_FONT_COLS (11.0 / 12.0) /* the types' 11px font, in columns of the 12px one */

static bool has_types(const struct model_namespace *ns)
{
    for (int t = 0; t < VIEW_NS_TYPES; t++)
        if (ns->types[t])
            return true;
    return false;
}

static int badge_rows(const struct model_namespace *ns)
{
    return has_types(ns) ? 1 : 0;
}

enum type_state { TYPE_UNKNOWN, TYPE_OWN, TYPE_SHARED };

static const char *const type_state_name[] = {"unknown", "own", "shared"};

static enum type_state type_state(const struct model *m, const struct model_namespace *ns, int t)
{
    const struct model_namespace *up = ns->parent == MODEL_NONE ? NULL : &m->namespaces[ns->parent];
    uint64_t mine = ns->types[t], above = up ? up->types[t] : 0;
    return !mine           ? TYPE_UNKNOWN
           : !up           ? TYPE_OWN
           : !above        ? TYPE_UNKNOWN
           : mine == above ? TYPE_SHARED
                           : TYPE_OWN;
}

/* The width of the types' line of ns in px: names, a "?" for each unknown, spaces between. */
static int types_width(const struct model *m, const struct model_namespace *ns)
{
    int cols = VIEW_NS_TYPES - 1;
    for (int t = 0; t < VIEW_NS_TYPES; t++)
        cols += (int)strlen(view_ns_types[t]) + (type_state(m, ns, t) == TYPE_UNKNOWN);
    return (int)(cols * SVG_CHAR_WIDTH * TYPES_FONT_COLS + 0.999);
}

/* The types for the box's tooltip: a line per type with its inode. */
static void put_types_title(struct picture *p, const struct model_namespace *ns)
{
    if (!has_types(ns))
        return;
    struct strbuf *out = p->out;
    const struct model_namespace *up =
        ns->parent == MODEL_NONE ? NULL : &p->m->namespaces[ns->parent];
    for (int t = 0; t < VIEW_NS_TYPES; t++) {
        const char *name = view_ns_types[t];
        uint64_t mine = ns->types[t], above = up ? up->types[t] : 0;
        strbuf_printf(out, "\n%s: ", name);
        if (!mine)
            strbuf_puts(out, "not known");
        else if (!up)
            strbuf_printf(out, "%s:[%llu]", name, (unsigned long long)mine);
        else if (!above)
            strbuf_printf(out, "%s:[%llu], the level above's is not known", name,
                          (unsigned long long)mine);
        else
            strbuf_printf(out, "%s:[%llu], %s the level above", name, (unsigned long long)mine,
                          mine == above ? "shared with" : "its own, not");
    }
}

static void put_types(struct picture *p, const struct model_namespace *ns, int x, int y)
{
    if (!has_types(ns))
        return;
    struct strbuf *out = p->out;
    strbuf_printf(out, "<text class=\"types\" x=\"%d\" y=\"%d\">", x, y);
    for (int t = 0; t < VIEW_NS_TYPES; t++) {
        enum type_state st = type_state(p->m, ns, t);
        strbuf_printf(out, "%s<tspan class=\"t-%s\">%s%s</tspan>", t ? " " : "",
                      type_state_name[st], view_ns_types[t], st == TYPE_UNKNOWN ? "?" : "");
    }
    strbuf_puts(out, "</text>");
}

/* ---- layout: children side by side, rows wrapping at the room the parent gives ---- */

static int px(int cols)
{
    return (int)(cols * SVG_CHAR_WIDTH + 0.999);
}

static void layout(struct picture *p, size_t i, int room)
{
    const struct model_namespace *ns = &p->m->namespaces[i];
    int max_cols = (int)((room - 2 * PAD) / SVG_CHAR_WIDTH);
    max_cols = max_cols < MIN_COLS ? MIN_COLS : max_cols > MAX_COLS ? MAX_COLS : max_cols;
    p->cols[i] = max_cols;
    char *marked = marked_label(ns);
    int label_cols = 0;
    bool cut = false;
    fit(marked, max_cols, &label_cols, &cut);
    free(marked);
    char count[48];
    count_text(count, sizeof count, ns);
    int meta_cols = (int)(strlen(kind_word(ns)) + 1 + strlen(count));
    int w = max_int(MIN_W, px(max_int(label_cols, meta_cols)) + 2 * PAD);
    if (badge_rows(ns))
        w = max_int(w, types_width(p->m, ns) + 2 * PAD);
    int head = HEAD + badge_rows(ns) * LINE;
    int inner = max_int(room - 2 * PAD, MIN_W);
    int x = 0, y = head, row_h = 0, content_w = 0;
    for (size_t k = 0; k < ns->child_count; k++) {
        size_t c = ns->children[k];
        layout(p, c, inner);
        if (x > 0 && x + p->w[c] > inner) {
            y += row_h + GAP;
            x = 0;
            row_h = 0;
        }
        p->x[c] = PAD + x;
        p->y[c] = y;
        x += p->w[c] + GAP;
        row_h = max_int(row_h, p->h[c]);
        content_w = max_int(content_w, x - GAP);
    }
    p->w[i] = max_int(w, content_w + 2 * PAD);
    p->h[i] = ns->child_count ? y + row_h + PAD : head;
}

/* ---- drawing ---- */

static void draw(struct picture *p, size_t i, int ox, int oy)
{
    const struct model_namespace *ns = &p->m->namespaces[i];
    struct strbuf *out = p->out;
    int x = ox + p->x[i], y = oy + p->y[i];
    strbuf_printf(out, "<g class=\"box k-%s%s\" data-ns=\"", model_kind_name(ns->kind),
                  ns->placeholder ? " placeholder" : "");
    html_plain(out, ns->id, strlen(ns->id));
    strbuf_puts(out, "\"><a href=\"#");
    render_svg_anchor(out, p->m, i);
    strbuf_puts(out, "\"><title>");
    char *marked = marked_label(ns);
    char count[48];
    count_text(count, sizeof count, ns);
    put_title_text(out, marked);
    strbuf_puts(out, " (");
    html_plain(out, ns->id, strlen(ns->id));
    strbuf_printf(out, "): %s", count);
    put_types_title(p, ns);
    strbuf_puts(out, "</title>");
    strbuf_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"6\"/>", x, y,
                  p->w[i], p->h[i]);
    strbuf_printf(out, "<text class=\"label\" x=\"%d\" y=\"%d\">", x + PAD, y + PAD + 12);
    int cols = 0;
    bool cut = false;
    size_t n = fit(marked, p->cols[i], &cols, &cut);
    put_label(out, marked, n, cut);
    free(marked);
    strbuf_printf(
        out,
        "</text><text class=\"meta\" x=\"%d\" y=\"%d\"><tspan class=\"kind\">%s</tspan> %s</text>",
        x + PAD, y + PAD + 12 + LINE, kind_word(ns), count);
    put_types(p, ns, x + PAD, y + HEAD + 10);
    strbuf_puts(out, "</a>\n");
    for (size_t k = 0; k < ns->child_count; k++)
        draw(p, ns->children[k], x, y);
    strbuf_puts(out, "</g>\n");
}

void render_svg_anchor(struct strbuf *out, const struct model *m, size_t ns)
{
    const struct model_namespace *n = &m->namespaces[ns];
    if (n->placeholder)
        strbuf_printf(out, "ns-unknown-%zu", ns);
    else
        strbuf_printf(out, "ns-%llu", (unsigned long long)n->inode);
}

/* Lays the tops out side by side like any children, at the picture's full width, in rows;
 * the picture's size in *width and *height. */
static void place_tops(struct picture *p, int *width, int *height)
{
    const struct model *m = p->m;
    int x = 0, y = 0, row_h = 0;
    *width = 0;
    for (size_t k = 0; k < m->top_count; k++) {
        size_t t = m->tops[k];
        layout(p, t, MAX_W);
        if (x > 0 && x + p->w[t] > MAX_W) {
            y += row_h + GAP;
            x = 0;
            row_h = 0;
        }
        p->x[t] = 1 + x;
        p->y[t] = 1 + y;
        x += p->w[t] + GAP;
        row_h = max_int(row_h, p->h[t]);
        *width = max_int(*width, x - GAP);
    }
    *height = y + row_h;
}

/* The legend under the picture; the badges' part only when some namespace has them. */
static void put_note(struct strbuf *out, const struct model *m)
{
    strbuf_puts(out, "<p class=\"pic-note\">Each box is a pid namespace, drawn inside the "
                     "namespace that holds it. Click a box to go to its processes.");
    bool types = false;
    for (size_t i = 0; i < m->namespace_nr && !types; i++)
        types = has_types(&m->namespaces[i]);
    if (types)
        strbuf_puts(out, " The line below the count names the other namespaces its processes "
                         "live in: bold when the level has its own, grey when it shares the "
                         "one of the level above, with a ? when that is not known (the box's "
                         "tooltip gives the inodes).");
    strbuf_puts(out, "</p>\n");
}

static void draw_picture(struct picture *p)
{
    int width, height;
    place_tops(p, &width, &height);
    strbuf_printf(p->out,
                  "<div class=\"pic-wrap\"><svg class=\"pic\" width=\"%d\" height=\"%d\" "
                  "viewBox=\"0 0 %d %d\" aria-label=\"The pid namespaces as nested "
                  "boxes\">\n",
                  width + 2, height + 2, width + 2, height + 2);
    for (size_t k = 0; k < p->m->top_count; k++)
        draw(p, p->m->tops[k], 0, 0);
    strbuf_puts(p->out, "</svg></div>\n");
    put_note(p->out, p->m);
}

void render_svg(struct strbuf *out, const struct model *m)
{
    strbuf_puts(out, "<section id=\"picture\">\n<h2>The hierarchy at a glance</h2>\n");
    if (!m->top_count) {
        strbuf_puts(out, "<p class=\"empty\">No namespace was seen, so there is nothing to "
                         "draw: see the views below for why.</p>\n</section>\n");
        return;
    }
    size_t n = m->namespace_nr;
    struct picture p = {out,
                        m,
                        xcalloc(n, sizeof(int)),
                        xcalloc(n, sizeof(int)),
                        xcalloc(n, sizeof(int)),
                        xcalloc(n, sizeof(int)),
                        xcalloc(n, sizeof(int))};
    draw_picture(&p);
    free(p.x);
    free(p.y);
    free(p.w);
    free(p.h);
    free(p.cols);
    strbuf_puts(out, "</section>\n");
}
