/* The merge's speed (a benchmark, not a test: scripts/bench-merge.sh runs it). 100,000
 * processes seen from 4 views (VM root, system distro, distro, container) should merge in
 * less time than cJSON takes to parse those documents twice. Prints the medians of several
 * rounds and the ratio; exits 1 only when the merged model is wrong.
 *
 *   wslns-bench-merge [PER_NAMESPACE]   (25000 unless given: 100,000 processes)
 *
 * CTest runs it small (tests/bench/CMakeLists.txt) for the model's check alone, so the
 * benchmark cannot quietly measure a wrong merge. */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "platform/platform.h"
#include "host_support.h"

static long long per_ns = 25000; /* processes of each namespace */
static const uint64_t CHAIN[] = {4026531836u, 4026532100u, 4026532200u, 4026532300u};

/* The view rooted at level `top` of the chain: every process of that level and below. */
static char *view_doc(size_t top)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, "{\"schema\":\"wslns-probe/"
                     "1\",\"kernel\":{\"release\":\"6.6\",\"boot_id\":\"b\"},\"self\":{\"pid\":99999},"
                     "\"namespaces\":[");
    for (size_t l = top; l < 4; l++) {
        strbuf_printf(&sb, "%s{\"inode\":%llu,\"parent\":", l > top ? "," : "",
                      (unsigned long long)CHAIN[l]);
        if (l > top)
            strbuf_printf(&sb, "%llu,\"parent_visible\":true}", (unsigned long long)CHAIN[l - 1]);
        else /* the view's root: the VM root has no parent, the others one outside the view */
            strbuf_printf(&sb, "null,\"parent_visible\":%s}", top == 0 ? "true" : "false");
    }
    strbuf_puts(&sb, "],\"processes\":[");
    bool first = true;
    for (size_t l = top; l < 4; l++) {
        for (long long i = 1; i <= per_ns; i++) {
            /* pid i + 100000*depth-below at each level keeps pids unique per namespace */
            strbuf_printf(&sb, "%s{\"pid\":%lld,\"nspid\":[", first ? "" : ",",
                          i + 100000 * (long long)(l - top));
            for (size_t k = top; k <= l; k++)
                strbuf_printf(&sb, "%s%lld", k > top ? "," : "", i + 100000 * (long long)(l - k));
            strbuf_printf(&sb,
                          "],\"ppid\":1,\"pidns\":%llu,\"uid\":0,\"comm\":\"worker\",\"cmdline\":["
                          "\"/usr/bin/worker\","
                          "\"--id\"],\"starttime\":%lld}",
                          (unsigned long long)CHAIN[l], i);
            first = false;
        }
    }
    strbuf_puts(&sb, "],\"errors\":[]}");
    return strbuf_detach(&sb, NULL);
}

#define ROUNDS 5

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, by_value);
    return v[n / 2];
}

/* One round: parse twice, then build the views and merge them. False when the model is not
 * the expected one. */
static bool round_once(char *const *docs, double *parse_twice, double *views, double *merge)
{
    double t0 = plat_now();
    for (int round = 0; round < 2; round++)
        for (size_t v = 0; v < 4; v++)
            cJSON_Delete(cJSON_Parse(docs[v]));
    *parse_twice = plat_now() - t0;

    struct source_list sources = {0};
    static const enum source_kind kinds[] = {SOURCE_VM, SOURCE_SYSTEM, SOURCE_DISTRO, SOURCE_FILE};
    double t1 = plat_now();
    for (size_t v = 0; v < 4; v++)
        add_doc(&sources, kinds[v], v == 1 || v == 2 ? "Ubuntu" : NULL, str_dup(docs[v]));
    *views = plat_now() - t1;
    struct model *m = NULL;
    double t2 = plat_now();
    m = model_build(&sources);
    *merge = plat_now() - t2;
    bool ok = m->process_nr == (size_t)(4 * per_ns) && m->diag_nr == 0;
    if (ok) {
        size_t c = model_find_namespace(m, CHAIN[3]);
        size_t p = c == MODEL_NONE ? MODEL_NONE : model_find_pid(m, c, 77);
        ok = p != MODEL_NONE && m->processes[p].levels == 4 && m->processes[p].pids[0] == 300077;
    }
    model_free(m);
    source_list_free(&sources);
    return ok;
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        char *end;
        per_ns = strtoll(argv[1], &end, 10);
        if (*end || per_ns < 100 || per_ns > 99998) {
            fprintf(stderr, "usage: %s [PER_NAMESPACE: 100 to 99998, the probe is pid 99999]\n", argv[0]);
            return 2;
        }
    }
    char *docs[4];
    size_t bytes = 0;
    for (size_t v = 0; v < 4; v++) {
        docs[v] = view_doc(v);
        bytes += strlen(docs[v]);
    }
    double parse[ROUNDS], views[ROUNDS], merge[ROUNDS];
    bool ok = true;
    for (int r = 0; r < ROUNDS; r++)
        ok = round_once(docs, &parse[r], &views[r], &merge[r]) && ok;
    for (size_t v = 0; v < 4; v++)
        free(docs[v]);
    double p = median(parse, ROUNDS), w = median(views, ROUNDS), m = median(merge, ROUNDS);
    printf("merge benchmark: %lld processes seen from 4 views (%lld process entries, %.1f MB of "
           "JSON), medians of %d rounds\n",
           4 * per_ns, 10 * per_ns, (double)bytes / 1e6, ROUNDS);
    printf("  cJSON_Parse of the 4 documents, twice   %8.3f s\n", p);
    printf("  view_parse of the 4 documents           %8.3f s\n", w);
    printf("  model_build (the merge)                 %8.3f s\n", m);
    printf("  merge / parse-twice = %.2f  (target < 1: %s)\n", m / p, m < p ? "met" : "NOT met");
    if (!ok)
        fprintf(stderr, "bench-merge: the merged model is not the expected one\n");
    return ok ? 0 : 1;
}
