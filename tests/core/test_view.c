/* The probe document parser against hostile and broken input: what it rejects, what it
 * drops with a reason, and that it keeps exact bytes. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "strbuf.h"
#include "view.h"

#define NS_OK "{\"inode\":4026532200,\"parent\":null,\"parent_visible\":false}"
/* A process entry; `fields` come first and win (cJSON finds the first of duplicate keys). */
#define PROC(fields)                                                                               \
    "{" fields "\"pid\":7,\"nspid\":[7],\"ppid\":0,\"pidns\":4026532200,\"uid\":0,\"comm\":"       \
               "\"init\",\"cmdline\":[\"/init\"],\"starttime\":5}"
#define GOOD PROC("")

static char *doc(const char *kernel, const char *self, const char *namespaces,
                 const char *processes)
{
    return str_printf("{\"schema\":\"wslns-probe/"
                      "1\",\"kernel\":%s,\"self\":%s,\"context\":{\"distro\":\"Ubuntu\","
                      "\"env\":{\"WSL2_DISTRO_NAME\":\"Ubuntu\"}},\"namespaces\":[%s],"
                      "\"processes\":[%s],\"errors\":[]}",
                      kernel, self, namespaces, processes);
}

static char *doc_procs(const char *processes)
{
    return doc("{\"release\":\"6.6\",\"boot_id\":\"b1\"}",
               "{\"pid\":7,\"nspid\":[7],\"pidns\":4026532200}", NS_OK, processes);
}

struct reject_case {
    const char *what;
    const char *text; /* NULL: use `built` */
    char *built;
    const char *error; /* substring of the rejection */
};

static void rejects(void)
{
    struct reject_case cases[] = {
        {"empty", "", NULL, "empty document"},
        {"null", "null", NULL, "expected a JSON object"},
        {"an array", "[1,2]", NULL, "expected a JSON object"},
        {"truncated", "{\"schema\":\"wslns-probe/1\",\"kernel\":{\"rel", NULL, "not valid JSON"},
        {"no schema", "{\"kernel\":{}}", NULL, "schema: expected"},
        {"another schema", "{\"schema\":\"wslns-probe/2\"}", NULL, "another wslns version"},
        {"kernel not an object", NULL, doc("5", "{\"pid\":1}", NS_OK, GOOD),
         "kernel: expected an object"},
        {"boot_id missing", NULL, doc("{\"release\":\"x\"}", "{\"pid\":1}", NS_OK, GOOD),
         "kernel.boot_id"},
        {"self.pid 1e400", NULL,
         doc("{\"release\":\"x\",\"boot_id\":\"b\"}", "{\"pid\":1e400}", NS_OK, GOOD), "self.pid"},
        {"self.pid 2^64", NULL,
         doc("{\"release\":\"x\",\"boot_id\":\"b\"}", "{\"pid\":18446744073709551616}", NS_OK,
             GOOD),
         "self.pid"},
        {"processes a string",
         "{\"schema\":\"wslns-probe/1\",\"kernel\":{\"release\":\"x\",\"boot_id\":\"b\"},"
         "\"self\":{\"pid\":1},\"namespaces\":[],\"processes\":\"x\"}",
         NULL, "processes: expected an array"},
        {"namespaces missing",
         "{\"schema\":\"wslns-probe/1\",\"kernel\":{\"release\":\"x\",\"boot_id\":\"b\"},"
         "\"self\":{\"pid\":1},\"processes\":[]}",
         NULL, "namespaces: expected an array"},
    };
    for (size_t i = 0; i < CHECK_COUNT(cases); i++) {
        const char *text = cases[i].text ? cases[i].text : cases[i].built;
        struct view *v = NULL;
        char *error = view_parse(text, strlen(text), &v);
        if (v || !error || !strstr(error, cases[i].error))
            fprintf(stderr, "  case '%s': got %s\n", cases[i].what, error ? error : "(accepted)");
        CHECK(v == NULL);
        CHECK(error && strstr(error, cases[i].error));
        free(error);
        view_free(v);
        free(cases[i].built);
    }
}

static void deep_nesting_is_rejected(void)
{
    struct strbuf sb = STRBUF_INIT;
    for (int i = 0; i < 100000; i++)
        strbuf_putc(&sb, '[');
    struct view *v = NULL;
    char *error = view_parse(sb.data, sb.len, &v);
    CHECK(v == NULL);
    CHECK(error && strstr(error, "not valid JSON"));
    free(error);
    strbuf_release(&sb);
}

struct drop_case {
    const char *what;
    const char *process;
    const char *warning; /* substring of the view's warning */
};

static void drops_bad_entries(void)
{
    static const struct drop_case cases[] = {
        {"negative pid", "{\"pid\":-5,\"nspid\":[-5]}", "processes[1].pid"},
        {"pid 2^64", "{\"pid\":18446744073709551616,\"nspid\":[1]}", "processes[1].pid"},
        {"pid 1e400", "{\"pid\":1e400,\"nspid\":[1]}", "processes[1].pid"},
        {"fractional pid", "{\"pid\":1.5,\"nspid\":[1]}", "processes[1].pid"},
        {"pid above 2^31-1", "{\"pid\":2147483648,\"nspid\":[2147483648]}", "processes[1].pid"},
        {"nspid not ending with pid", PROC("\"pid\":9,\"nspid\":[5,3],"), "nspid: neither"},
        {"nspid empty", PROC("\"pid\":9,\"nspid\":[],"), "processes[1].nspid"},
        {"nspid with a string", PROC("\"pid\":9,\"nspid\":[\"9\"],"), "processes[1].nspid"},
        {"nspid of 65 levels",
         PROC("\"pid\":9,\"nspid\":[9,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,"
              "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1],"),
         "processes[1].nspid"},
        {"duplicate pid", GOOD, "listed twice"},
        {"comm a number", PROC("\"pid\":9,\"nspid\":[9],\"comm\":5,"), "processes[1].comm"},
        {"cmdline with a number", PROC("\"pid\":9,\"nspid\":[9],\"cmdline\":[\"a\",1],"),
         "processes[1].cmdline"},
        {"uid negative", PROC("\"pid\":9,\"nspid\":[9],\"uid\":-1,"), "processes[1].uid"},
        {"pidns zero", PROC("\"pid\":9,\"nspid\":[9],\"pidns\":0,"), "processes[1].pidns"},
        {"not an object", "[]", "processes[1].expected an object"},
    };
    for (size_t i = 0; i < CHECK_COUNT(cases); i++) {
        struct strbuf procs = STRBUF_INIT;
        strbuf_printf(&procs, "%s,%s", GOOD, cases[i].process);
        char *text = doc_procs(procs.data), *error = NULL;
        struct view *v = NULL;
        error = view_parse(text, strlen(text), &v);
        CHECK(v != NULL);
        if (v) {
            bool found = v->warning_count == 1 && strstr(v->warnings[0], cases[i].warning);
            if (!found)
                fprintf(stderr, "  case '%s': %zu warnings, first: %s\n", cases[i].what,
                        v->warning_count, v->warning_count ? v->warnings[0] : "-");
            CHECK(found);
            CHECK_INT(v->process_count, 1);
        }
        view_free(v);
        free(error);
        free(text);
        strbuf_release(&procs);
    }
}

static void drops_bad_namespaces(void)
{
    char *text = doc(
        "{\"release\":\"6.6\",\"boot_id\":\"b1\"}", "{\"pid\":7}",
        NS_OK ",{\"inode\":5,\"parent\":5,\"parent_visible\":true},{\"inode\":0,\"parent\":null,"
              "\"parent_visible\":true}," NS_OK
              ",{\"inode\":6,\"parent\":\"x\",\"parent_visible\":true}",
        GOOD);
    struct view *v = NULL;
    char *error = view_parse(text, strlen(text), &v);
    CHECK(v != NULL);
    if (v) {
        CHECK_INT(v->namespace_count, 1);
        CHECK_INT(v->warning_count, 4);
        CHECK(v->warning_count > 0 && strstr(v->warnings[0], "its own parent"));
    }
    view_free(v);
    free(text);
    free(error);
}

static void accepts_a_good_document(void)
{
    char *text = doc_procs(
        GOOD "," PROC("\"pid\":30,\"nspid\":[30,4,2],\"pidns\":4026532300,\"comm\":\"nginx\","));
    struct view *v = NULL;
    char *error = view_parse(text, strlen(text), &v);
    CHECK(v != NULL);
    CHECK(error == NULL);
    CHECK_INT(v ? v->process_count : 0, 2);
    if (v && v->process_count == 2) {
        CHECK_INT(v->processes[1].levels, 3);
        CHECK_INT(v->processes[1].nspid[2], 2);
        CHECK_INT(v->processes[1].pidns, 4026532300u);
        CHECK_INT(v->root_pidns, 4026532200u);
        CHECK_STR(v->boot_id, "b1");
        CHECK_STR(v->distro, "Ubuntu");
        CHECK_STR(v->wsl2_distro_name, "Ubuntu");
        CHECK(v->context != NULL);
        CHECK_INT(v->warning_count, 0);
    }
    view_free(v);
    free(text);
}

static void invalid_utf8_becomes_replacement_characters(void)
{
    char *text = doc_procs(PROC("\"comm\":\"a\xff"
                                "b\",\"cmdline\":[\"\xc0\xaf\"],"));
    struct view *v = NULL;
    char *error = view_parse(text, strlen(text), &v);
    CHECK(v != NULL);
    if (v && v->process_count == 1) {
        CHECK_STR(v->processes[0].comm, "a\xEF\xBF\xBD"
                                        "b");
        CHECK_STR(v->processes[0].cmdline[0], "\xEF\xBF\xBD\xEF\xBF\xBD");
        /* Said, not silent: the probe never sends bad bytes without their hex twin. */
        CHECK_INT(v->warning_count, 2);
        CHECK(v->warning_count == 2 &&
              strstr(v->warnings[0], "processes[0].comm: not valid UTF-8 and no comm_hex"));
        CHECK(v->warning_count == 2 &&
              strstr(v->warnings[1], "processes[0].cmdline[0]: not valid UTF-8 and no "
                                     "cmdline_hex[0]"));
    }
    view_free(v);
    free(text);
    free(error);
}

static void hex_twins_keep_the_exact_bytes(void)
{
    char *text = doc_procs(
        PROC("\"comm\":\"f\xef\xbf\xbd\",\"comm_hex\":\"66ff\",\"cmdline\":[\"ok\",\"x\"],"
             "\"cmdline_hex\":[null,\"78fe0a\"],") "," PROC("\"pid\":8,\"nspid\":[8],\"comm_hex\":"
                                                            "\"6600\","));
    struct view *v = NULL;
    char *error = view_parse(text, strlen(text), &v);
    CHECK(v != NULL);
    if (v && v->process_count == 2) {
        CHECK_STR(v->processes[0].comm, "f\xff");
        CHECK_STR(v->processes[0].cmdline[0], "ok");
        CHECK_STR(v->processes[0].cmdline[1], "x\xfe\n");
        CHECK_STR(v->processes[1].comm,
                  "init"); /* a NUL byte in hex is refused: the text is used */
        CHECK_INT(v->warning_count, 1);
    }
    view_free(v);
    free(text);
    free(error);
}

static void lab_fixture_parses(void)
{
    /* A real probe document from the lab's VM-root view. */
    FILE *f = fopen(HOST_DATA_DIR "/lab/vm.json", "rb");
    CHECK(f != NULL);
    if (!f)
        return;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    struct view *v = NULL;
    char *error = view_parse(buf, n, &v);
    CHECK(v != NULL);
    if (v) {
        CHECK(v->process_count > 40);
        CHECK(v->namespace_count >= 11);
        CHECK_INT(v->warning_count, 0);
    }
    view_free(v);
    free(error);
}

static const struct check_case cases[] = {
    {"view parser rejects malformed documents with the member at fault", rejects},
    {"view parser survives 100,000 nested arrays", deep_nesting_is_rejected},
    {"view parser drops single bad processes and says why", drops_bad_entries},
    {"view parser drops self-parented, zero and duplicate namespaces", drops_bad_namespaces},
    {"view parser keeps a good document whole", accepts_a_good_document},
    {"view parser turns invalid UTF-8 without a hex twin into U+FFFD and warns",
     invalid_utf8_becomes_replacement_characters},
    {"view parser keeps exact bytes from comm_hex and cmdline_hex", hex_twins_keep_the_exact_bytes},
    {"view parser reads a real lab probe document", lab_fixture_parses},
};

int main(int argc, char **argv)
{
    return check_main(cases, CHECK_COUNT(cases), argc, argv);
}
