/* probe_doc_check - validates a wslns-probe/1 document against docs/probe.md: every field's
 * type, and the invariants the host relies on (self is listed, every pidns and parent is a
 * listed namespace, NSpid depth agrees with the namespace level, cmdline_hex is parallel).
 *
 *   probe_doc_check FILE [--no-errors] [--error ERRNO] [--depth N] [--hidden-root]
 *                        [--comm-hex HEX] [--arg-hex HEX] [--min-namespaces N]
 *
 * The options add expectations: no errors; an error with that errno; some process N levels
 * deep; a level-0 namespace whose parent lies outside the view; a process whose comm / one of
 * whose arguments has exactly these bytes (hex). Prints every failure; exit 1 on any. */
#include "utf8.h"

#include <cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define FAIL(...)                                                                                  \
    do {                                                                                           \
        fprintf(stderr, "probe_doc_check: " __VA_ARGS__);                                          \
        fputc('\n', stderr);                                                                       \
        failures++;                                                                                \
    } while (0)

static const cJSON *field(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static bool is_int(const cJSON *v)
{
    return cJSON_IsNumber(v) && v->valuedouble == (double)(long long)v->valuedouble;
}

static bool is_int_or_null(const cJSON *v)
{
    return cJSON_IsNull(v) || is_int(v);
}

static bool is_str_or_null(const cJSON *v)
{
    return cJSON_IsNull(v) || cJSON_IsString(v);
}

static bool is_int_array(const cJSON *v, bool nonempty)
{
    if (!cJSON_IsArray(v) || (nonempty && cJSON_GetArraySize(v) == 0))
        return false;
    const cJSON *e;
    cJSON_ArrayForEach(e, v)
    {
        if (!is_int(e) || e->valuedouble < 1)
            return false;
    }
    return true;
}

/* Hex of the bytes a text field stands for (<key>_hex when present); caller frees. */
static char *hex_of(const cJSON *obj, const char *key, const char *hex_key)
{
    const cJSON *h = field(obj, hex_key);
    if (cJSON_IsString(h)) {
        size_t n = strlen(h->valuestring) + 1;
        char *out = malloc(n);
        if (out)
            memcpy(out, h->valuestring, n);
        return out;
    }
    const cJSON *s = field(obj, key);
    return cJSON_IsString(s) ? hex_encode(s->valuestring, strlen(s->valuestring)) : NULL;
}

static const cJSON *find_namespace(const cJSON *namespaces, double inode)
{
    const cJSON *ns;
    cJSON_ArrayForEach(ns, namespaces)
    {
        if (field(ns, "inode") && field(ns, "inode")->valuedouble == inode)
            return ns;
    }
    return NULL;
}

struct expect {
    bool no_errors, hidden_root;
    const char *error, *comm_hex, *arg_hex;
    int depth, min_namespaces;
};

static void check_namespaces(const cJSON *namespaces, const struct expect *want)
{
    const cJSON *ns;
    bool hidden_root = false;
    int i = 0;
    cJSON_ArrayForEach(ns, namespaces)
    {
        const cJSON *parent = field(ns, "parent"), *visible = field(ns, "parent_visible");
        if (!is_int(field(ns, "inode")) || !is_int_or_null(parent) || !cJSON_IsBool(visible) ||
            !is_int(field(ns, "level")) || !is_int(field(ns, "processes")) ||
            !is_int_or_null(field(ns, "init_pid")) || !is_str_or_null(field(ns, "init_comm")))
            FAIL("namespaces[%d]: a field is missing or has the wrong type", i);
        const cJSON *up =
            cJSON_IsNumber(parent) ? find_namespace(namespaces, parent->valuedouble) : NULL;
        if (cJSON_IsNumber(parent) && !up)
            FAIL("namespaces[%d]: parent %.0f is not a listed namespace", i, parent->valuedouble);
        else if (up && is_int(field(up, "level")) && is_int(field(ns, "level")) &&
                 field(up, "level")->valuedouble != field(ns, "level")->valuedouble - 1)
            FAIL("namespaces[%d]: its parent is not one level up", i);
        if (cJSON_IsFalse(visible) && !cJSON_IsNull(parent))
            FAIL("namespaces[%d]: parent_visible false but parent given", i);
        if (cJSON_IsNull(parent) && cJSON_IsTrue(visible) &&
            field(ns, "inode")->valuedouble != 4026531836.0)
            FAIL("namespaces[%d]: no parent and visible, but not the initial namespace", i);
        if (cJSON_IsFalse(visible) && field(ns, "level")->valuedouble == 0)
            hidden_root = true;
        i++;
    }
    if (want->hidden_root && !hidden_root)
        FAIL("no level-0 namespace with parent_visible false");
    if (i < want->min_namespaces)
        FAIL("%d namespaces, expected at least %d", i, want->min_namespaces);
}

static void check_processes(const cJSON *processes, const cJSON *namespaces,
                            const struct expect *want)
{
    const cJSON *p;
    int i = 0, deepest = 0;
    double previous_pid = 0;
    bool comm_found = !want->comm_hex, arg_found = !want->arg_hex;
    cJSON_ArrayForEach(p, processes)
    {
        const cJSON *nspid = field(p, "nspid"), *pidns = field(p, "pidns");
        const cJSON *cmdline = field(p, "cmdline"), *cmdline_hex = field(p, "cmdline_hex");
        if (!is_int(field(p, "pid")) || !is_int_array(nspid, true) || !is_int(field(p, "ppid")) ||
            !is_int_or_null(pidns) || !is_int(field(p, "uid")) ||
            !cJSON_IsString(field(p, "comm")) || !cJSON_IsArray(cmdline) ||
            !is_int(field(p, "starttime")) || !cJSON_IsString(field(p, "state")) ||
            !cJSON_IsBool(field(p, "kthread"))) {
            FAIL("processes[%d]: a field is missing or has the wrong type", i);
            i++;
            continue;
        }
        /* /proc order, whatever order the scan's threads read them in. */
        if (field(p, "pid")->valuedouble <= previous_pid)
            FAIL("processes[%d]: pid %.0f does not follow %.0f in ascending order", i,
                 field(p, "pid")->valuedouble, previous_pid);
        previous_pid = field(p, "pid")->valuedouble;
        int depth = cJSON_GetArraySize(nspid);
        if (depth > deepest)
            deepest = depth;
        if (cJSON_GetArrayItem(nspid, 0)->valuedouble != field(p, "pid")->valuedouble)
            FAIL("processes[%d]: nspid[0] is not pid", i);
        if (cJSON_IsNumber(pidns)) {
            const cJSON *ns = find_namespace(namespaces, pidns->valuedouble);
            if (!ns)
                FAIL("processes[%d]: pidns %.0f is not a listed namespace", i, pidns->valuedouble);
            else if (field(ns, "level")->valuedouble != depth - 1)
                FAIL("processes[%d]: %d levels of NSpid in a namespace of level %.0f", i, depth,
                     field(ns, "level")->valuedouble);
        }
        if (cmdline_hex && (!cJSON_IsArray(cmdline_hex) ||
                            cJSON_GetArraySize(cmdline_hex) != cJSON_GetArraySize(cmdline)))
            FAIL("processes[%d]: cmdline_hex is not parallel to cmdline", i);
        char *comm = hex_of(p, "comm", "comm_hex");
        if (want->comm_hex && comm && strcmp(comm, want->comm_hex) == 0)
            comm_found = true;
        free(comm);
        for (int a = 0; want->arg_hex && a < cJSON_GetArraySize(cmdline); a++) {
            const cJSON *h = cmdline_hex ? cJSON_GetArrayItem(cmdline_hex, a) : NULL;
            const cJSON *s = cJSON_GetArrayItem(cmdline, a);
            char *hex = cJSON_IsString(h)   ? NULL
                        : cJSON_IsString(s) ? hex_encode(s->valuestring, strlen(s->valuestring))
                                            : NULL;
            const char *got = cJSON_IsString(h) ? h->valuestring : hex;
            if (got && strcmp(got, want->arg_hex) == 0)
                arg_found = true;
            free(hex);
        }
        i++;
    }
    if (deepest < want->depth)
        FAIL("deepest NSpid has %d levels, expected %d", deepest, want->depth);
    if (!comm_found)
        FAIL("no process has comm bytes %s", want->comm_hex);
    if (!arg_found)
        FAIL("no process has an argument with bytes %s", want->arg_hex);
}

static void check_document(const cJSON *doc, const struct expect *want)
{
    const cJSON *schema = field(doc, "schema");
    if (!cJSON_IsString(schema) || strcmp(schema->valuestring, "wslns-probe/1") != 0)
        FAIL("schema is not \"wslns-probe/1\"");
    const cJSON *kernel = field(doc, "kernel");
    if (!cJSON_IsString(field(kernel, "release")) || !is_str_or_null(field(kernel, "boot_id")))
        FAIL("kernel: release or boot_id missing");
    const cJSON *context = field(doc, "context");
    if (!cJSON_IsObject(context) || !is_str_or_null(field(context, "distro")) ||
        !(cJSON_IsObject(field(context, "os_release")) ||
          cJSON_IsNull(field(context, "os_release"))) ||
        !is_str_or_null(field(context, "wsl_conf")) || !cJSON_IsObject(field(context, "wslg")) ||
        !cJSON_IsObject(field(context, "env")) || !cJSON_IsObject(field(context, "pid1")))
        FAIL("context: a field is missing or has the wrong type");
    const cJSON *namespaces = field(doc, "namespaces"), *processes = field(doc, "processes");
    const cJSON *errors = field(doc, "errors");
    if (!cJSON_IsArray(namespaces) || !cJSON_IsArray(processes) || !cJSON_IsArray(errors)) {
        FAIL("namespaces, processes or errors is not an array");
        return;
    }
    check_namespaces(namespaces, want);
    check_processes(processes, namespaces, want);

    const cJSON *self = field(doc, "self");
    if (!is_int(field(self, "pid")) || !is_int_array(field(self, "nspid"), true) ||
        !is_int_or_null(field(self, "pidns"))) {
        FAIL("self: a field is missing or has the wrong type");
    } else {
        bool listed = false, running = false;
        const cJSON *p;
        cJSON_ArrayForEach(p, processes)
        {
            if (field(p, "pid")->valuedouble == field(self, "pid")->valuedouble) {
                listed = cJSON_Compare(field(p, "nspid"), field(self, "nspid"), true) &&
                         cJSON_Compare(field(p, "pidns"), field(self, "pidns"), true);
                const cJSON *state = field(p, "state");
                running = cJSON_IsString(state) && strcmp(state->valuestring, "R") == 0;
            }
        }
        if (!listed)
            FAIL("self is not listed in processes with the same nspid and pidns");
        /* The probe reads its own status while it runs; a scan that let another thread read
         * it while the leader waits would show "S". */
        else if (!running)
            FAIL("self is listed with a state other than R");
        const cJSON *pidns = field(self, "pidns");
        if (cJSON_IsNumber(pidns) && !find_namespace(namespaces, pidns->valuedouble))
            FAIL("self.pidns is not a listed namespace");
    }

    const cJSON *e;
    bool error_found = !want->error;
    cJSON_ArrayForEach(e, errors)
    {
        if (!is_int_or_null(field(e, "pid")) || !cJSON_IsString(field(e, "what")) ||
            !cJSON_IsString(field(e, "errno")))
            FAIL("errors: an entry has the wrong shape");
        else if (want->error && strcmp(field(e, "errno")->valuestring, want->error) == 0)
            error_found = true;
    }
    if (want->no_errors && cJSON_GetArraySize(errors))
        FAIL("%d errors, expected none", cJSON_GetArraySize(errors));
    if (!error_found)
        FAIL("no error with errno %s", want->error);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("usage: probe_doc_check FILE [expectations...]\n", stderr);
        return 2;
    }
    struct expect want = {0};
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--no-errors") == 0)
            want.no_errors = true;
        else if (strcmp(a, "--hidden-root") == 0)
            want.hidden_root = true;
        else if (strcmp(a, "--error") == 0 && v && ++i)
            want.error = v;
        else if (strcmp(a, "--comm-hex") == 0 && v && ++i)
            want.comm_hex = v;
        else if (strcmp(a, "--arg-hex") == 0 && v && ++i)
            want.arg_hex = v;
        else if (strcmp(a, "--depth") == 0 && v && ++i)
            want.depth = atoi(v);
        else if (strcmp(a, "--min-namespaces") == 0 && v && ++i)
            want.min_namespaces = atoi(v);
        else {
            fprintf(stderr, "probe_doc_check: unknown argument %s\n", a);
            return 2;
        }
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    size_t cap = 1 << 20, len = 0, n;
    char *text = malloc(cap);
    while (text && (n = fread(text + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len < 2) {
            char *grown = realloc(text, cap * 2);
            if (!grown) {
                free(text);
                text = NULL;
                break;
            }
            text = grown;
            cap *= 2;
        }
    }
    fclose(f);
    if (!text) {
        fputs("probe_doc_check: out of memory\n", stderr);
        return 1;
    }
    text[len] = '\0';
    if (!utf8_is_valid(text, len))
        FAIL("the document is not valid UTF-8");
    if (len == 0 || text[len - 1] != '\n')
        FAIL("the document does not end with a newline");
    cJSON *doc = cJSON_Parse(text);
    if (!doc) {
        FAIL("the document is not JSON (or is cut)");
    } else {
        check_document(doc, &want);
        cJSON_Delete(doc);
    }
    free(text);
    if (!failures)
        printf("probe_doc_check: ok\n");
    return failures ? 1 : 0;
}
