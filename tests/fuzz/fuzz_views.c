/* libFuzzer target for the probe document reader and the merge behind it: view_parse ->
 * source list -> model_build -> render_json and render_tree into a buffer, as main.c does.
 *
 * Input: up to MAX_VIEWS wslns-probe/1 documents separated by the byte 0x1E (RS, as in
 * RFC 7464 JSON text sequences), so the merge sees several views of one (or another) boot.
 * A document may start with a header line "vm", "system NAME", "distro NAME" or "file"
 * saying where it was collected (default: a --from file). `wslns pid` then asks for one of
 * the merged processes (or a pid nobody has) at a level the input's length picks. Besides the
 * sanitizers' findings, it aborts when a result breaks view.h, model.h, render_json.h or
 * render_tree.h: text that is not UTF-8, an index out of range, a namespace chain that loops or
 * disagrees with the depths, a process listed twice or in the wrong namespace, a report that is not
 * the JSON it claims, terminal control bytes in the console tree.
 */
#include <cJSON.h>
#include <stdbool.h>
#include <string.h>

#include "fuzz_support.h"
#include "model.h"
#include "pidcmd.h"
#include "platform/platform.h"
#include "render/render_json.h"
#include "render/render_tree.h"
#include "source.h"
#include "strbuf.h"
#include "utf8.h"
#include "view.h"

#define MAX_VIEWS 8
#define SEPARATOR '\x1e'

static void require_text(const char *s)
{
    FUZZ_REQUIRE(s == NULL || utf8_is_valid(s, strlen(s)));
}

/* view.h: every kept string is UTF-8 (comm and cmdline excepted), every kept entry sane. */
static void check_view(const struct view *v)
{
    require_text(v->schema);
    require_text(v->kernel_release);
    require_text(v->boot_id);
    FUZZ_REQUIRE(v->boot_id != NULL);
    require_text(v->distro);
    require_text(v->wsl2_distro_name);
    require_text(v->os_name);
    for (size_t i = 0; i < v->error_count; i++)
        require_text(v->errors[i]);
    FUZZ_REQUIRE(v->warning_count <= VIEW_MAX_WARNINGS);
    for (size_t i = 0; i < v->warning_count; i++)
        require_text(v->warnings[i]);
    for (size_t i = 0; i < v->namespace_count; i++)
        FUZZ_REQUIRE(v->namespaces[i].inode != 0);
    for (size_t i = 0; i < v->process_count; i++) {
        const struct view_process *p = &v->processes[i];
        FUZZ_REQUIRE(p->levels >= 1 && p->levels <= VIEW_MAX_LEVELS && p->nspid != NULL);
        FUZZ_REQUIRE(p->pid == p->nspid[0]);
        for (size_t j = 0; j < p->levels; j++)
            FUZZ_REQUIRE(p->nspid[j] >= 1 && p->nspid[j] <= VIEW_MAX_PID);
        FUZZ_REQUIRE(p->comm != NULL);
        FUZZ_REQUIRE(p->args == 0 || p->cmdline != NULL);
        for (size_t a = 0; a < p->args; a++)
            FUZZ_REQUIRE(p->cmdline[a] != NULL);
    }
}

/* model.h: indices in range, the tree a forest of consistent depths, every process once. */
static void check_model(const struct model *m, const struct source_list *sources)
{
    size_t tops = 0, children = 0, listed = 0, placeholders = 0;
    for (size_t i = 0; i < m->namespace_nr; i++) {
        const struct model_namespace *ns = &m->namespaces[i];
        FUZZ_REQUIRE(ns->id != NULL && ns->label != NULL);
        require_text(ns->id);
        if (ns->placeholder) {
            placeholders++;
            FUZZ_REQUIRE(ns->inode == 0 && strcmp(ns->id, "unknown:1") == 0);
        } else {
            FUZZ_REQUIRE(ns->inode != 0 && model_find_namespace(m, ns->inode) == i);
        }
        if (ns->parent == MODEL_NONE) {
            tops++;
            FUZZ_REQUIRE(ns->depth == 0);
        } else {
            FUZZ_REQUIRE(ns->parent < m->namespace_nr && ns->parent != i);
            FUZZ_REQUIRE(ns->depth == m->namespaces[ns->parent].depth + 1);
        }
        FUZZ_REQUIRE(ns->depth < MODEL_MAX_DEPTH);
        for (size_t k = 0; k < ns->child_count; k++) {
            FUZZ_REQUIRE(ns->children[k] < m->namespace_nr);
            FUZZ_REQUIRE(m->namespaces[ns->children[k]].parent == i);
        }
        children += ns->child_count;
        for (size_t k = 0; k < ns->process_count; k++) {
            FUZZ_REQUIRE(ns->processes[k] < m->process_nr);
            FUZZ_REQUIRE(m->processes[ns->processes[k]].ns == i);
        }
        listed += ns->process_count;
    }
    FUZZ_REQUIRE(placeholders <= 1);
    FUZZ_REQUIRE(tops == m->top_count && children + tops == m->namespace_nr);
    for (size_t i = 0; i < m->top_count; i++)
        FUZZ_REQUIRE(m->tops[i] < m->namespace_nr &&
                     m->namespaces[m->tops[i]].parent == MODEL_NONE);
    FUZZ_REQUIRE(listed == m->process_nr);

    for (size_t i = 0; i < m->process_nr; i++) {
        const struct model_process *p = &m->processes[i];
        FUZZ_REQUIRE(p->ns < m->namespace_nr);
        FUZZ_REQUIRE(p->levels == m->namespaces[p->ns].depth + 1 && p->pids != NULL);
        FUZZ_REQUIRE(p->comm != NULL && (p->args == 0 || p->cmdline != NULL));
        FUZZ_REQUIRE(p->source < sources->nr && sources->items[p->source].view != NULL);
        size_t levels = 0;
        size_t *chain = model_chain(m, p->ns, &levels);
        if (!chain)
            continue; /* out of memory only */
        FUZZ_REQUIRE(levels == p->levels && chain[levels - 1] == p->ns);
        FUZZ_REQUIRE(m->namespaces[chain[0]].parent == MODEL_NONE);
        /* Whatever the lookup by (namespace, pid) answers, it has that pid at that level. */
        for (size_t j = 0; j < levels; j++) {
            FUZZ_REQUIRE(chain[j] < m->namespace_nr && m->namespaces[chain[j]].depth == j);
            if (!p->pids[j])
                continue;
            size_t q = model_find_pid(m, chain[j], p->pids[j]);
            FUZZ_REQUIRE(q != MODEL_NONE && q < m->process_nr);
            FUZZ_REQUIRE(j < m->processes[q].levels && m->processes[q].pids[j] == p->pids[j]);
        }
        free(chain);
    }
    for (size_t i = 0; i < m->diag_nr; i++)
        FUZZ_REQUIRE(m->diags[i].code != NULL && m->diags[i].message != NULL);
}

static size_t array_size(const cJSON *doc, const char *name)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(doc, name);
    FUZZ_REQUIRE(cJSON_IsArray(a));
    return (size_t)cJSON_GetArraySize(a);
}

static void check_json(const char *json, const struct model *m, const struct source_list *sources)
{
    if (!json)
        return; /* out of memory only */
    size_t n = strlen(json);
    FUZZ_REQUIRE(utf8_is_valid(json, n));
    cJSON *doc = cJSON_ParseWithLength(json, n);
    FUZZ_REQUIRE(doc != NULL);
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(doc, "schema");
    FUZZ_REQUIRE(cJSON_IsString(schema) && strcmp(schema->valuestring, "wslns-report/1") == 0);
    FUZZ_REQUIRE(array_size(doc, "sources") == sources->nr);
    FUZZ_REQUIRE(array_size(doc, "namespaces") == m->namespace_nr);
    FUZZ_REQUIRE(array_size(doc, "processes") == m->process_nr);
    cJSON_Delete(doc);
}

/* render_tree.h: nothing from the documents reaches the terminal raw. Without colour the
 * tree holds no control byte but LF, and no C1 control or bidi override. */
static void check_tree(const char *tree)
{
    if (!tree)
        return;
    size_t n = strlen(tree);
    FUZZ_REQUIRE(utf8_is_valid(tree, n));
    const unsigned char *s = (const unsigned char *)tree;
    for (size_t i = 0; i < n; i++) {
        FUZZ_REQUIRE(s[i] >= 0x20 || s[i] == '\n');
        FUZZ_REQUIRE(s[i] != 0x7F);
        FUZZ_REQUIRE(!(s[i] == 0xC2 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F));
        /* U+200E, U+200F, U+2028..U+202E, U+2066..U+2069 are E2 80 8E.. / E2 81 A6.. */
        if (s[i] == 0xE2 && i + 2 < n) {
            unsigned cp = (unsigned)(s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F);
            cp |= 0x2000;
            FUZZ_REQUIRE(!(cp == 0x200E || cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) ||
                           (cp >= 0x2066 && cp <= 0x2069)));
        }
    }
}

/* `wslns pid`: its answer or explanation goes to the terminal like the tree does. */
static void check_pid(const struct model *m, const struct source_list *sources, size_t size)
{
    /* WHERE as cli.c hands it over: never NULL ("vm" by default). */
    static const char *const levels[] = {"vm", "system:Ubuntu", "Ubuntu",
                                         "system:", "docker-desktop"};
    int64_t pid = 4242;
    if (m->process_nr) {
        const struct model_process *p = &m->processes[(size / 8) % m->process_nr];
        pid = p->pids[p->levels - 1] ? p->pids[p->levels - 1] : 1;
    }
    char *text = NULL;
    int code = pidcmd_render(m, sources, pid, levels[(size / 4) % (sizeof levels / sizeof *levels)],
                             &text);
    FUZZ_REQUIRE(code == 0 || code == 1);
    check_tree(text);
    free(text);
}

/* Reads an optional header line; returns where the document starts. */
static const char *read_header(struct source_list *list, const char *p, const char *end)
{
    static const struct {
        const char *word;
        enum source_kind kind;
    } kinds[] = {{"vm", SOURCE_VM},
                 {"system", SOURCE_SYSTEM},
                 {"distro", SOURCE_DISTRO},
                 {"file", SOURCE_FILE}};
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = nl ? (size_t)(nl - p) : 0;
    for (size_t k = 0; nl && k < sizeof kinds / sizeof *kinds; k++) {
        size_t w = strlen(kinds[k].word);
        if (n < w || memcmp(p, kinds[k].word, w) != 0 || (n > w && p[w] != ' '))
            continue;
        const char *name = n > w + 1 ? p + w + 1 : NULL;
        size_t name_len = name ? n - w - 1 : 0;
        bool named = kinds[k].kind == SOURCE_SYSTEM || kinds[k].kind == SOURCE_DISTRO;
        /* As collect.c fills them: distro and system sources carry a UTF-8 name (wsl_list
         * hands over nothing else), the others none. */
        if (named != (name != NULL) || (name && !utf8_is_valid(name, name_len)))
            break;
        struct source *s = source_list_add(list, kinds[k].kind);
        if (!s)
            return NULL;
        if (named)
            s->distro = str_ndup(name, name_len);
        if (kinds[k].kind == SOURCE_FILE)
            s->path = str_dup("fuzz.json");
        return nl + 1;
    }
    struct source *s = source_list_add(list, SOURCE_FILE);
    if (!s)
        return NULL;
    s->path = str_dup("fuzz.json");
    return p;
}

static void add_view(struct source_list *list, const char *p, const char *end)
{
    const char *doc = read_header(list, p, end);
    if (!doc)
        return;
    struct source *s = &list->items[list->nr - 1];
    size_t len = (size_t)(end - doc);
    s->output = str_ndup(doc, len);
    s->output_len = len;
    if (!s->output) {
        source_fail(s, "out of memory");
        return;
    }
    char *error = view_parse(s->output, len, &s->view);
    if (s->view) {
        FUZZ_REQUIRE(error == NULL);
        check_view(s->view);
    } else {
        require_text(error);
        source_fail(s, "not a usable wslns-probe/1 document: %s", error ? error : "out of memory");
    }
    free(error);
}

/* The merge keys its pid hash with plat_random_bytes. A fuzz target links no platform layer
 * and wants every run alike, so a crash file replays exactly: a fixed key. */
void plat_random_bytes(void *buf, size_t n)
{
    memset(buf, 0x5a, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    struct source_list sources = {0};
    while (sources.nr < MAX_VIEWS) {
        const char *sep = memchr(p, SEPARATOR, (size_t)(end - p));
        const char *stop = sep && sources.nr + 1 < MAX_VIEWS ? sep : end;
        add_view(&sources, p, stop);
        if (stop == end)
            break;
        p = stop + 1;
    }
    struct model *m = model_build(&sources);
    check_model(m, &sources);
    char *json = render_json(m, &sources);
    check_json(json, m, &sources);
    free(json);
    /* The length picks the tree's options, so both drawings and the -d filter are fuzzed. */
    static const char *const only[] = {"Ubuntu", NULL};
    struct render_options ro = {false, size & 1, (size & 2) ? only : NULL};
    char *tree = render_tree(m, &sources, &ro);
    check_tree(tree);
    free(tree);
    check_pid(m, &sources, size);
    model_free(m);
    source_list_free(&sources);
    return 0;
}
