/* test_render_svg.c - the picture at the top of the HTML report (render_svg.h) without a
 * browser: one box per namespace, nested in the DOM as the model nests them, each linking to
 * its namespace's section (whose id the page gives it), with its process count; hostile
 * distro names stay text, escaped as the rest of the page, and cut to fit. check.mjs proves
 * the geometry (nothing overlaps, text inside its box) and the links in Chromium. */
#include <cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "model.h"
#include "render/render_html.h"
#include "render/render_svg.h"
#include "source.h"
#include "strbuf.h"
#include "view.h"

#ifndef HOST_DATA_DIR
#error "HOST_DATA_DIR must name tests/support/data"
#endif

struct fixture {
    struct source_list sources;
    struct model *model;
    char *html;
    const char *svg; /* inside html: from "<svg" to "</svg>" */
    size_t svg_len;
};

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct strbuf sb = STRBUF_INIT;
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        strbuf_append(&sb, buf, n);
    fclose(f);
    *len = sb.len;
    return strbuf_detach(&sb, NULL);
}

static void add_doc(struct fixture *f, enum source_kind kind, char *doc, size_t len)
{
    struct source *s = source_list_add(&f->sources, kind);
    s->output = doc;
    s->output_len = len;
    char *error = view_parse(s->output, s->output_len, &s->view);
    if (!s->view)
        fprintf(stderr, "  the test document was rejected: %s\n", error ? error : "?");
    CHECK(s->view != NULL);
    free(error);
}

static void fixture_render(struct fixture *f)
{
    f->model = model_build(&f->sources);
    struct html_page page = {"2026-01-02 03:04:05 UTC", "PC", NULL, NULL};
    f->html = f->model ? render_html(f->model, &f->sources, &page) : NULL;
    CHECK(f->html != NULL);
    const char *start = f->html ? strstr(f->html, "<svg") : NULL;
    const char *end = start ? strstr(start, "</svg>") : NULL;
    CHECK(start && end);
    f->svg = start ? start : "";
    f->svg_len = end ? (size_t)(end - start) + 6 : 0;
}

/* The lab's VM root view: 11 namespaces, four levels (VM, system distro, distro, container). */
static void fixture_lab(struct fixture *f)
{
    memset(f, 0, sizeof *f);
    size_t len = 0;
    char *doc = read_file(HOST_DATA_DIR "/lab/vm.json", &len);
    CHECK(doc != NULL);
    if (doc)
        add_doc(f, SOURCE_VM, doc, len);
    fixture_render(f);
}

static void fixture_close(struct fixture *f)
{
    free(f->html);
    model_free(f->model);
    source_list_free(&f->sources);
}

static size_t count_in(const char *s, size_t n, const char *needle)
{
    size_t c = 0, k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(s + i, needle, k) == 0)
            c++;
    return c;
}

/* The picture's <g> elements, read back: for each box (data-ns) its enclosing box. */
struct box {
    char ns[64], parent[64];
    const char *start; /* its "<g" */
};

static size_t read_boxes(const char *svg, size_t n, struct box *boxes, size_t cap)
{
    const char *stack[256];
    size_t depth = 0, count = 0;
    for (size_t i = 0; i < n; i++) {
        if (strncmp(svg + i, "</g>", 4) == 0) {
            if (depth)
                depth--;
        } else if (strncmp(svg + i, "<g ", 3) == 0 || strncmp(svg + i, "<g>", 3) == 0) {
            const char *close = strchr(svg + i, '>');
            const char *attr = strstr(svg + i, "data-ns=\"");
            const char *ns = NULL;
            if (attr && close && attr < close && count < cap) {
                struct box *b = &boxes[count++];
                const char *v = attr + 9, *q = strchr(v, '"');
                snprintf(b->ns, sizeof b->ns, "%.*s", (int)(q - v), v);
                b->parent[0] = '\0';
                for (size_t d = depth; d-- > 0;)
                    if (stack[d]) {
                        snprintf(b->parent, sizeof b->parent, "%s", stack[d]);
                        break;
                    }
                b->start = svg + i;
                ns = b->ns;
            }
            if (depth < 256)
                stack[depth++] = ns;
        }
    }
    return count;
}

static void one_box_per_namespace_nested_like_the_model(void)
{
    struct fixture f;
    fixture_lab(&f);
    struct box boxes[64];
    size_t n = read_boxes(f.svg, f.svg_len, boxes, 64);
    CHECK_INT(n, f.model ? f.model->namespace_nr : 0);
    CHECK_INT(f.model ? f.model->namespace_nr : 0, 11);
    for (size_t i = 0; f.model && i < f.model->namespace_nr; i++) {
        const struct model_namespace *ns = &f.model->namespaces[i];
        const char *parent = ns->parent == MODEL_NONE ? "" : f.model->namespaces[ns->parent].id;
        bool found = false;
        for (size_t k = 0; k < n; k++)
            if (strcmp(boxes[k].ns, ns->id) == 0) {
                found = true;
                if (strcmp(boxes[k].parent, parent) != 0)
                    fprintf(stderr, "  %s is drawn inside \"%s\", the model says \"%s\"\n", ns->id,
                            boxes[k].parent, parent);
                CHECK(strcmp(boxes[k].parent, parent) == 0);
            }
        CHECK(found);
    }
    fixture_close(&f);
}

static void every_box_links_to_its_section_and_counts_its_processes(void)
{
    struct fixture f;
    fixture_lab(&f);
    for (size_t i = 0; f.model && i < f.model->namespace_nr; i++) {
        const struct model_namespace *ns = &f.model->namespaces[i];
        char *href = str_printf("<a href=\"#ns-%llu\">", (unsigned long long)ns->inode);
        char *id = str_printf("<details id=\"ns-%llu\" ", (unsigned long long)ns->inode);
        char *procs = str_printf("</tspan> %zu process%s<", ns->process_count,
                                 ns->process_count == 1 ? "" : "es");
        CHECK_INT(count_in(f.svg, f.svg_len, href), 1);
        CHECK_INT(count_in(f.html, strlen(f.html), id), 1);
        /* the count is in this box's own link, before its first child */
        const char *a = strstr(f.svg, href);
        const char *end = a ? strstr(a, "</a>") : NULL;
        CHECK(a && end && count_in(a, (size_t)(end - a), procs) == 1);
        free(href);
        free(id);
        free(procs);
    }
    /* kinds as the tree's colours: one class per box */
    CHECK_INT(count_in(f.svg, f.svg_len, "class=\"box k-vm\""), 1);
    CHECK_INT(count_in(f.svg, f.svg_len, "class=\"box k-system\""), 4);
    CHECK(count_in(f.svg, f.svg_len, "class=\"box k-container\"") >= 1);
    /* self-contained: no link but to the page itself */
    CHECK_INT(count_in(f.svg, f.svg_len, "href=\""), count_in(f.svg, f.svg_len, "href=\"#"));
    CHECK(count_in(f.svg, f.svg_len, "http") == 0);
    fixture_close(&f);
}

/* A distro view whose parent is not visible, its distro named to break out of the SVG, with
 * a bidi override and far too long for a box. */
static const char HOSTILE_DOC[] =
    "{\"schema\":\"wslns-probe/1\","
    "\"kernel\":{\"release\":\"6.6\",\"boot_id\":\"b00t\"},"
    "\"self\":{\"pid\":9,\"nspid\":[9],\"pidns\":4026532230},"
    "\"context\":{\"distro\":\"</text></svg><img src=x onerror=alert(1)>\\u202egnp.exe "
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    "END\"},"
    "\"namespaces\":[{\"inode\":4026532230,\"parent\":4026532229,\"parent_visible\":false}],"
    "\"processes\":["
    "{\"pid\":1,\"nspid\":[1],\"ppid\":0,\"pidns\":4026532230,\"uid\":0,"
    " \"comm\":\"init\",\"cmdline\":[\"/init\"],\"starttime\":1}],"
    "\"errors\":[]}";

#define HOSTILE_NAME                                                                               \
    "</text></svg><img src=x onerror=alert(1)>\xe2\x80\xaegnp.exe "                                \
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"  \
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" \
    "END"

static void hostile_labels_stay_text_escaped_and_cut(void)
{
    struct fixture f;
    memset(&f, 0, sizeof f);
    add_doc(&f, SOURCE_DISTRO, str_dup(HOSTILE_DOC), strlen(HOSTILE_DOC));
    f.sources.items[0].distro = str_dup(HOSTILE_NAME);
    fixture_render(&f);
    const char *s = f.svg;
    size_t n = f.svg_len;
    CHECK_INT(count_in(s, n, "<img"), 0);
    CHECK_INT(count_in(s, n, "</svg>"), 1);
    CHECK_INT(count_in(s, n, "</text></svg>"), 0);
    CHECK(count_in(s, n, "distro &lt;/text&gt;&lt;/svg&gt;&lt;img src=x onerror=alert(1)&gt;") >=
          1);
    /* the override is shown as an escape, never obeyed */
    CHECK(count_in(s, n, "\xe2\x80\xae") == 0);
    CHECK(count_in(s, n, "<tspan class=\"raw\">\\u{202e}</tspan>gn") == 1);
    /* cut to fit, the full label in the title */
    CHECK_INT(count_in(s, n, "gn\xe2\x80\xa6</text>"), 1);
    CHECK_INT(count_in(s, n, "END"), 1);
    CHECK_INT(count_in(s, n, "AEND (pid:[4026532230]): 1 process</title>"), 1);
    CHECK(count_in(s, n, "<title>distro &lt;/text&gt;") == 1);
    /* the placeholder above it: dashed, linked to its section */
    CHECK_INT(count_in(s, n, "class=\"box k-unknown placeholder\""), 1);
    CHECK_INT(count_in(s, n, "href=\"#ns-unknown-"), 1);
    CHECK_INT(count_in(f.html, strlen(f.html), "<details id=\"ns-unknown-"), 1);
    fixture_close(&f);
}

/* The lab's VM root view with each namespace's other types as WSL makes them: the top owns
 * all seven, a level below it has its own mnt, uts and ipc, a level below that its own mnt
 * and uts (ipc shared with its system distro), deeper levels own everything but user. */
static void badges_say_which_types_a_level_owns_and_shares(void)
{
    struct fixture f;
    memset(&f, 0, sizeof f);
    size_t len = 0;
    char *doc = read_file(HOST_DATA_DIR "/lab/vm.json", &len);
    cJSON *root = doc ? cJSON_ParseWithLength(doc, len) : NULL;
    free(doc);
    CHECK(root != NULL);
    const cJSON *nss = cJSON_GetObjectItem(root, "namespaces");
    cJSON *ns;
    int i = 0;
    cJSON_ArrayForEach(ns, nss)
    {
        int level = cJSON_GetObjectItem(ns, "level")->valueint;
        cJSON *types = cJSON_AddObjectToObject(ns, "ns");
        const char *names[] = {"mnt", "uts", "ipc", "net", "user", "cgroup", "time"};
        for (int t = 0; t < 7; t++) {
            /* the VM's net, user, cgroup, time are 4026538000 + t, its ipc 4026539500 */
            bool own = t < 2 || (t == 2 && level == 1) || (level >= 3 && t != 4);
            double vm = t == 2 ? 4026539500.0 : 4026538000.0 + t;
            cJSON_AddNumberToObject(types, names[t],
                                    own                    ? 4026540000.0 + i * 10 + t
                                    : level == 2 && t == 2 ? 4026539000.0
                                                           : vm);
        }
        i++;
    }
    /* the shared ipc of a level-2 distro is its parent's own: give every level-1 one value */
    cJSON_ArrayForEach(ns, nss)
    {
        if (cJSON_GetObjectItem(ns, "level")->valueint == 1)
            cJSON_SetNumberHelper(cJSON_GetObjectItem(cJSON_GetObjectItem(ns, "ns"), "ipc"),
                                  4026539000.0);
    }
    char *text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    CHECK(text != NULL);
    if (text)
        add_doc(&f, SOURCE_VM, text, strlen(text));
    fixture_render(&f);
    for (size_t k = 0; f.model && k < f.model->namespace_nr; k++) {
        const struct model_namespace *n = &f.model->namespaces[k];
        char *href = str_printf("<a href=\"#ns-%llu\">", (unsigned long long)n->inode);
        const char *a = strstr(f.svg, href);
        const char *end = a ? strstr(a, "</a>") : NULL;
        size_t span = a && end ? (size_t)(end - a) : 0;
        size_t own = count_in(a, span, "<tspan class=\"t-own\">"),
               shared = count_in(a, span, "<tspan class=\"t-shared\">");
        if (n->kind == NS_VM) {
            CHECK_INT(own, 7);
        } else if (n->kind == NS_SYSTEM) {
            CHECK_INT(own, 3); /* mnt uts ipc */
            CHECK_INT(shared, 4);
            CHECK(count_in(a, span, "\nnet: net:[4026538003], shared with the level above\n") == 1);
        } else if (n->kind == NS_DISTRO && n->depth == 2) {
            CHECK_INT(own, 2); /* mnt uts: ipc is its system distro's */
            CHECK_INT(shared, 5);
            CHECK(count_in(a, span, "\nipc: ipc:[4026539000], shared with the level above\n") == 1);
        } else if (n->kind == NS_CONTAINER) {
            CHECK_INT(own, 6);
            CHECK_INT(shared, 1);
        }
        free(href);
    }
    CHECK(count_in(f.html, strlen(f.html), "The line below the count names the other namespaces") ==
          1);
    fixture_close(&f);
}

static void no_namespace_gives_a_sentence(void)
{
    struct model m;
    memset(&m, 0, sizeof m);
    struct strbuf sb = STRBUF_INIT;
    render_svg(&sb, &m);
    CHECK(sb.data && strstr(sb.data, "<svg") == NULL && strstr(sb.data, "id=\"picture\""));
    strbuf_release(&sb);
}

static const struct check_case cases[] = {
    {"the picture has one box per namespace, nested as the model",
     one_box_per_namespace_nested_like_the_model},
    {"every box links to its namespace's section and counts its processes",
     every_box_links_to_its_section_and_counts_its_processes},
    {"hostile distro names stay text in the picture, escaped and cut to fit",
     hostile_labels_stay_text_escaped_and_cut},
    {"badges say which namespace types a level owns and which it shares with the level above",
     badges_say_which_types_a_level_owns_and_shares},
    {"without namespaces the picture is a sentence", no_namespace_gives_a_sentence},
};

int main(int argc, char **argv)
{
    return check_main(cases, CHECK_COUNT(cases), argc, argv);
}
