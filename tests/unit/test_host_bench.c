/* The merge's speed: 100,000 processes seen from 4 views (VM root, system distro, distro,
 * container) must merge in less time than cJSON takes to parse those documents twice. */
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "model.h"
#include "platform.h"
#include "test_host_support.h"

#define PER_NS 25000
static const uint64_t CHAIN[] = {4026531836u, 4026532100u, 4026532200u, 4026532300u};

/* The view rooted at level `top` of the chain: every process of that level and below. */
static char *view_doc(size_t top)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, "{\"schema\":\"wslns-probe/"
                     "1\",\"kernel\":{\"release\":\"6.6\",\"boot_id\":\"b\"},\"self\":{\"pid\":1},"
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
        for (long long i = 1; i <= PER_NS; i++) {
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

static void merge_is_faster_than_parsing_twice(void)
{
    char *docs[4];
    for (size_t v = 0; v < 4; v++)
        docs[v] = view_doc(v);
    double t0 = plat_now();
    for (int round = 0; round < 2; round++)
        for (size_t v = 0; v < 4; v++)
            cJSON_Delete(cJSON_Parse(docs[v]));
    double parse_twice = plat_now() - t0;

    struct source_list sources = {0};
    static const enum source_kind kinds[] = {SOURCE_VM, SOURCE_SYSTEM, SOURCE_DISTRO, SOURCE_FILE};
    double t1 = plat_now();
    for (size_t v = 0; v < 4; v++)
        add_doc(&sources, kinds[v], v == 1 || v == 2 ? "Ubuntu" : NULL, docs[v]);
    double views = plat_now() - t1;
    struct model *m = NULL;
    double t2 = plat_now();
    char *error = model_build(&sources, &m);
    double merge = plat_now() - t2;
    CHECK(error == NULL);
    free(error);
    printf("  cJSON_Parse of the 4 documents, twice: %.3f s; view_parse: %.3f s; model_build: %.3f "
           "s\n",
           parse_twice, views, merge);
    if (m) {
        CHECK_INT(m->process_count, 4 * PER_NS);
        CHECK_INT(m->diag_count, 0);
        size_t c = model_find_namespace(m, CHAIN[3]);
        size_t p = c == MODEL_NONE ? MODEL_NONE : model_find_pid(m, c, 77);
        CHECK(p != MODEL_NONE && m->processes[p].levels == 4 && m->processes[p].pids[0] == 300077);
    }
    CHECK(merge < parse_twice);
    model_free(m);
    source_list_free(&sources);
}

static const struct check_case cases[] = {
    {"merge of 100,000 processes from 4 views beats parsing their JSON twice",
     merge_is_faster_than_parsing_twice},
};

int main(int argc, char **argv)
{
    return check_main(cases, CHECK_COUNT(cases), argc, argv);
}
