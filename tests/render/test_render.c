/* The renderers and `wslns pid` on a small hand-made model: the console tree against a
 * golden file, escaping of hostile text, the -d filter, the JSON report's fields. */
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "escape.h"
#include "model.h"
#include "pidcmd.h"
#include "render/render_json.h"
#include "render/render_tree.h"
#include "host_support.h"
#include "utf8.h"

enum { R = 4026531836u, A = 4026532100u, B = 4026532200u, C = 4026532300u, D = 4026532400u };
#define BOOT "4a1e3c9e-0000-4000-8000-000000000001"

static struct source_list sources;
static struct model *model;

/* VM root + system distro + distro + container, a GUI-off distro, and a failed and a
 * skipped source; one process has a terminal escape in its name. */
static void build(void)
{
    struct docb d = {0};
    /* The other namespace types as WSL makes them: the system distro and the GUI-off distro
     * own mnt, uts and ipc, the distro mnt and uts (ipc is its system distro's), the
     * container also net and cgroup; NoGui's time namespace could not be read. */
    docb_ns_with(&d, R, 0, 1,
                 "{\"mnt\":11,\"uts\":12,\"ipc\":13,\"net\":14,\"user\":15,"
                 "\"cgroup\":16,\"time\":17}");
    docb_ns_with(&d, A, R, 1,
                 "{\"mnt\":21,\"uts\":22,\"ipc\":23,\"net\":14,\"user\":15,"
                 "\"cgroup\":16,\"time\":17}");
    docb_ns_with(&d, B, A, 1,
                 "{\"mnt\":31,\"uts\":32,\"ipc\":23,\"net\":14,\"user\":15,"
                 "\"cgroup\":16,\"time\":17}");
    docb_ns_with(&d, C, B, 1,
                 "{\"mnt\":41,\"uts\":42,\"ipc\":43,\"net\":44,\"user\":15,"
                 "\"cgroup\":46,\"time\":17}");
    docb_ns_with(&d, D, R, 1,
                 "{\"mnt\":51,\"uts\":52,\"ipc\":53,\"net\":14,\"user\":15,"
                 "\"cgroup\":16,\"time\":null}");
    docb_proc(&d, R, "mini_init", 10, 1, 1LL);
    docb_proc(&d, A, "init", 20, 2, 10LL, 1LL);
    docb_proc(&d, B, "init(Ubuntu)", 30, 3, 12LL, 3LL, 1LL);
    docb_proc(&d, B, "\\u001b]0;pwned\\u0007bash", 31, 3, 13LL, 4LL, 2LL);
    docb_proc(&d, C, "nginx", 40, 4, 14LL, 5LL, 3LL, 1LL);
    docb_proc(&d, D, "init(NoGui)", 50, 2, 15LL, 1LL);
    add_doc(&sources, SOURCE_VM, NULL, docb_finish(&d, BOOT, R, NULL));
    source_fail(source_list_add(&sources, SOURCE_SYSTEM), "no answer within 30 s (killed)");
    sources.items[1].distro = str_dup("NoGui");
    source_skip(source_list_add(&sources, SOURCE_DISTRO), "stopped (use --all to start it)");
    sources.items[2].distro = str_dup("Debian");
    model = model_build(&sources);
}

static void teardown(void)
{
    model_free(model);
    source_list_free(&sources);
    model = NULL;
}

static void tree_matches_golden(void)
{
    build();
    struct render_options opt = {false, false, NULL};
    char *tree = render_tree(model, &sources, &opt);
    size_t len = 0;
    char *golden = read_fixture("golden-tree.txt", &len);
    CHECK(tree && golden);
    if (tree && golden && strcmp(tree, golden) != 0)
        fprintf(stderr,
                "  the tree differs from tests/support/data/golden-tree.txt; it is now:\n%s",
                tree);
    CHECK(tree && golden && strcmp(tree, golden) == 0);
    free(tree);
    free(golden);
    teardown();
}

static void hostile_text_is_escaped(void)
{
    struct strbuf sb = STRBUF_INIT;
    escape_terminal(&sb, "a\x1b[2Jb\tc\n\\d\xff\xc2\x9b"
                         "e\xe2\x80\xae"
                         "f\x7f");
    CHECK_STR(sb.data, "a\\e[2Jb\\tc\\n\\\\d\\xff\\u{009b}e\\u{202e}f\\x7f");
    strbuf_release(&sb);
    /* Characters above U+FFFF (4-byte UTF-8) are text, not escapes. */
    escape_terminal(&sb, "ok \xf0\x9f\x98\x80 \xe6\x97\xa5");
    CHECK_STR(sb.data, "ok \xf0\x9f\x98\x80 \xe6\x97\xa5");
    strbuf_release(&sb);
    /* A message keeps single backslashes (Windows paths) but escapes everything else. */
    escape_message(&sb, "C:\\Users\\x\x1b]8;;http://e\x07");
    CHECK_STR(sb.data, "C:\\Users\\x\\e]8;;http://e\\x07");
    strbuf_release(&sb);
    build();
    struct render_options opt = {false, false, NULL};
    char *tree = render_tree(model, &sources, &opt);
    CHECK(tree && !strchr(tree, '\x1b') && !strchr(tree, '\x07'));
    CHECK(tree && strstr(tree, "\\e]0;pwned\\x07bash"));
    free(tree);
    teardown();
}

/* Each character of Unicode's Default_Ignorable_Code_Point and Bidi_Control sets the issue
 * names, as UTF-8, and a few neighbours that are ordinary text. */
static const unsigned invisible[] = {
    0x00AD,  0x034F,  0x061C,  0x115F,  0x1160,  0x17B4,  0x17B5,  0x180B, 0x180E, 0x180F, 0x200B,
    0x200C,  0x200D,  0x200E,  0x200F,  0x2028,  0x2029,  0x202A,  0x202E, 0x2060, 0x2061, 0x2064,
    0x2066,  0x2069,  0x206F,  0x3164,  0xFE00,  0xFE0F,  0xFEFF,  0xFFA0, 0xFFF0, 0xFFF8, 0x1BCA0,
    0x1BCA3, 0x1D173, 0x1D17A, 0xE0000, 0xE0001, 0xE0041, 0xE0100, 0xE0FFF};
static const unsigned visible[] = {0x00AC, 0x00AE, 0x0600, 0x200A,  0x2010, 0x2070,
                                   0xFE10, 0xFFF9, 0xFFFD, 0x1F600, 0xE1000};

static size_t put_utf8(char *out, unsigned cp)
{
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static void invisible_characters_are_escaped(void)
{
    for (size_t i = 0; i < CHECK_COUNT(invisible); i++) {
        char text[8] = "a";
        size_t n = 1 + put_utf8(text + 1, invisible[i]);
        text[n] = 'b';
        struct strbuf sb = STRBUF_INIT;
        escape_terminal(&sb, text);
        char *want = str_printf("a\\u{%04x}b", invisible[i]);
        if (!sb.data || strcmp(sb.data, want) != 0)
            fprintf(stderr, "  U+%04X is shown as \"%s\"\n", invisible[i], sb.data);
        CHECK(sb.data && strcmp(sb.data, want) == 0);
        free(want);
        strbuf_release(&sb);
    }
    for (size_t i = 0; i < CHECK_COUNT(visible); i++) {
        char text[8] = {0};
        put_utf8(text, visible[i]);
        struct strbuf sb = STRBUF_INIT;
        escape_terminal(&sb, text);
        CHECK(sb.data && strcmp(sb.data, text) == 0);
        strbuf_release(&sb);
    }
}

/* Every code point a Unicode data file lists with the property must be escaped. Returns
 * how many were checked (0 when the file is not on this machine). */
static size_t check_property_file(const char *path, const char *property)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[512];
    size_t checked = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned first = 0, last = 0;
        char name[128];
        int got = sscanf(line, "%x..%x ; %127s", &first, &last, name);
        if (got != 3) {
            got = sscanf(line, "%x ; %127s", &first, name);
            last = first;
            if (got != 2)
                continue;
        }
        if (strcmp(name, property) != 0)
            continue;
        for (unsigned cp = first; cp <= last; cp++, checked++) {
            if (!utf8_is_deceptive(cp)) {
                fprintf(stderr, "  U+%04X is %s in %s but not escaped\n", cp, property, path);
                CHECK(utf8_is_deceptive(cp));
            }
        }
    }
    fclose(f);
    return checked;
}

static void escaped_set_covers_the_unicode_data_files(void)
{
    /* Debian's unicode-data package (15.0.0 on Debian 12, the table's version). */
    size_t di = check_property_file("/usr/share/unicode/DerivedCoreProperties.txt",
                                    "Default_Ignorable_Code_Point");
    size_t bidi = check_property_file("/usr/share/unicode/PropList.txt", "Bidi_Control");
    if (!di || !bidi)
        fprintf(stderr,
                "  (no /usr/share/unicode data files: only the built-in list is checked)\n");
    else
        CHECK(di == 4174 && bidi == 12); /* Unicode 15.0.0's counts */
}

static void arguments_are_quoted_unambiguously(void)
{
    struct strbuf sb = STRBUF_INIT;
    const char *args[] = {"a\" \"b", "", "it's", "c:\\x", "a\\\" b", "nb\xc2\xa0sp", "plain"};
    for (size_t i = 0; i < CHECK_COUNT(args); i++) {
        strbuf_puts(&sb, i ? " " : "");
        escape_argument(&sb, args[i], strlen(args[i]), NULL);
    }
    CHECK_STR(sb.data,
              "\"a\\\" \\\"b\" \"\" \"it's\" c:\\\\x \"a\\\\\\\" b\" \"nb\xc2\xa0sp\" plain");
    strbuf_release(&sb);
}

static void cmdline_is_quoted_and_cut(void)
{
    struct source_list list = {0};
    struct strbuf doc = STRBUF_INIT;
    strbuf_puts(&doc,
                "{\"schema\":\"wslns-probe/1\",\"kernel\":{\"release\":\"6.6\",\"boot_id\":\"b\"},"
                "\"self\":{\"pid\":99},\"namespaces\":[],\"processes\":[{\"pid\":1,\"nspid\":[1],"
                "\"ppid\":0,\"pidns\":7,\"uid\":0,\"comm\":\"sh\",\"starttime\":1,\"state\":\"Z\","
                "\"cmdline\":[\"sh\",\"-c\",\"echo \\\"hi there\\\"\",\"\",\"");
    for (int i = 0; i < 300; i++)
        strbuf_putc(&doc, 'x');
    strbuf_puts(&doc,
                "\"]},{\"pid\":2,\"nspid\":[2],\"ppid\":0,\"pidns\":7,\"uid\":0,"
                "\"comm\":\"kworker/0:1\",\"cmdline\":[],\"starttime\":1,\"kthread\":true}]}");
    add_doc(&list, SOURCE_FILE, NULL, strbuf_detach(&doc, NULL));
    struct model *m = NULL;
    m = model_build(&list);
    struct render_options opt = {false, false, NULL};
    char *tree = m ? render_tree(m, &list, &opt) : NULL;
    CHECK(tree && strstr(tree, "sh <defunct>  sh -c \"echo \\\"hi there\\\"\" \"\" xxxx"));
    const char *line = tree ? strstr(tree, "sh <defunct>") : NULL;
    const char *end = line ? strchr(line, '\n') : NULL;
    CHECK(end && end - line < 260 && strncmp(end - 4, " \xE2\x80\xA6", 4) == 0);
    CHECK(tree && !strstr(tree, "kworker") &&
          strstr(tree, "2 processes (1 kernel thread not listed)"));
    free(tree);
    model_free(m);
    source_list_free(&list);
}

static void color_only_when_asked(void)
{
    build();
    struct render_options plain = {false, false, NULL}, colour = {true, false, NULL};
    char *a = render_tree(model, &sources, &plain), *b = render_tree(model, &sources, &colour);
    CHECK(a && !strstr(a, "\033["));
    CHECK(b && strstr(b, "\033[32m"));
    free(a);
    free(b);
    teardown();
}

static void filter_shows_one_distro_branch(void)
{
    build();
    const char *only[] = {"ubuntu", NULL};
    struct render_options opt = {false, true, only};
    char *tree = render_tree(model, &sources, &opt);
    CHECK(tree && strstr(tree, "system distro of Ubuntu"));
    CHECK(tree && strstr(tree, "container in Ubuntu"));
    CHECK(tree && strstr(tree, "14 / 5 / 3 / 1  nginx"));
    CHECK(tree && !strstr(tree, "NoGui  [distro]"));
    CHECK(tree &&
          !strstr(tree, "mini_init"));  /* the VM root's own processes are outside the filter */
    CHECK(tree && strstr(tree, "`- ")); /* --ascii */
    free(tree);
    teardown();
}

static const cJSON *member(const cJSON *o, const char *name)
{
    return cJSON_GetObjectItemCaseSensitive(o, name);
}

static void json_report_has_the_contract_fields(void)
{
    build();
    char *text = render_json(model, &sources);
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    CHECK(doc != NULL);
    if (doc) {
        CHECK_STR(cJSON_GetStringValue(member(doc, "schema")), "wslns-report/1");
        const cJSON *srcs = member(doc, "sources"), *nss = member(doc, "namespaces"),
                    *ps = member(doc, "processes");
        CHECK_INT(cJSON_GetArraySize(srcs), 3);
        CHECK_STR(cJSON_GetStringValue(member(cJSON_GetArrayItem(srcs, 0), "kind")), "vm");
        CHECK_STR(cJSON_GetStringValue(member(cJSON_GetArrayItem(srcs, 1), "status")), "failed");
        CHECK_STR(cJSON_GetStringValue(member(cJSON_GetArrayItem(srcs, 2), "reason")),
                  "stopped (use --all to start it)");
        CHECK(cJSON_IsNull(member(cJSON_GetArrayItem(srcs, 1), "pidns")));
        CHECK_INT(cJSON_GetArraySize(nss), 5);
        const cJSON *ns;
        cJSON_ArrayForEach(ns, nss)
        {
            CHECK(cJSON_IsString(member(ns, "id")) && cJSON_IsNumber(member(ns, "inode")));
            CHECK(cJSON_IsString(member(ns, "kind")) && cJSON_IsString(member(ns, "label")));
            CHECK(member(ns, "parent") && member(ns, "distro"));
        }
        CHECK_INT(cJSON_GetArraySize(ps), 6);
        const cJSON *p, *nginx = NULL;
        cJSON_ArrayForEach(p, ps)
        {
            CHECK(cJSON_IsString(member(p, "ns")) && cJSON_IsArray(member(p, "pids")));
            CHECK(cJSON_IsNumber(member(p, "ppid")) && cJSON_IsNumber(member(p, "uid")));
            CHECK(cJSON_IsString(member(p, "comm")) && cJSON_IsArray(member(p, "cmdline")));
            if (strcmp(cJSON_GetStringValue(member(p, "comm")), "nginx") == 0)
                nginx = p;
        }
        CHECK(nginx != NULL);
        if (nginx) {
            const cJSON *pids = member(nginx, "pids");
            CHECK_INT(cJSON_GetArraySize(pids), 4);
            CHECK_STR(cJSON_GetStringValue(member(cJSON_GetArrayItem(pids, 0), "ns")),
                      "pid:[4026531836]");
            CHECK_INT(member(cJSON_GetArrayItem(pids, 0), "pid")->valuedouble, 14);
            CHECK_STR(cJSON_GetStringValue(member(cJSON_GetArrayItem(pids, 3), "ns")),
                      "pid:[4026532300]");
            CHECK_INT(member(cJSON_GetArrayItem(pids, 3), "pid")->valuedouble, 1);
        }
        CHECK(cJSON_IsObject(member(doc, "config")));
        CHECK(cJSON_IsArray(member(doc, "diagnostics")));
    }
    cJSON_Delete(doc);
    free(text);
    teardown();
}

static void pid_found_at_the_vm_level(void)
{
    build();
    char *text = NULL;
    CHECK_INT(pidcmd_render(model, &sources, 14, "vm", &text), 0);
    CHECK(text && strstr(text, "pid 14 in VM root is nginx"));
    CHECK(text && strstr(text, "container in Ubuntu (pid 1: nginx)  pid:[4026532300]    1\n"));
    free(text);
    CHECK_INT(pidcmd_render(model, &sources, 3, "Ubuntu", &text), 0);
    CHECK(text && strstr(text, "is nginx"));
    free(text);
    CHECK_INT(pidcmd_render(model, &sources, 1, "system:ubuntu", &text), 0);
    CHECK(text && strstr(text, "in system distro of Ubuntu is init"));
    free(text);
    teardown();
}

static void pid_not_found_says_why(void)
{
    build();
    char *text = NULL;
    CHECK_INT(pidcmd_render(model, &sources, 4242, "vm", &text), 1);
    CHECK(text && strstr(text, "no process has pid 4242 in VM root"));
    free(text);
    CHECK_INT(pidcmd_render(model, &sources, 1, "system:NoGui", &text), 1);
    CHECK(text && strstr(text, "system distro of NoGui was not collected: no answer within 30 s"));
    free(text);
    CHECK_INT(pidcmd_render(model, &sources, 1, "Debian", &text), 1);
    CHECK(text && strstr(text, "stopped (use --all"));
    free(text);
    teardown();
}

/* The isolation line: owners named in their kind's colour with --color, kept under -d, and
 * the same types in the JSON report. */
static void isolation_line_names_owners_in_colour_and_json_has_types(void)
{
    build();
    const char *only[] = {"Ubuntu", NULL};
    struct render_options colour = {true, false, NULL}, filtered = {false, false, only};
    char *a = render_tree(model, &sources, &colour), *b = render_tree(model, &sources, &filtered);
    CHECK(a && strstr(a, "own: mnt uts  shares: ipc with \033[36msystem distro of "
                         "Ubuntu\033[0m, net user cgroup time with \033[1mVM root\033[0m\n"));
    CHECK(b && strstr(b, "own: mnt uts ipc net cgroup  shares: user time with VM root\n"));
    CHECK(b && !strstr(b, "unknown: time")); /* NoGui is filtered out */
    free(a);
    free(b);
    char *text = render_json(model, &sources);
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    const cJSON *ns;
    int seen = 0;
    cJSON_ArrayForEach(ns, member(doc, "namespaces"))
    {
        const cJSON *types = member(ns, "types");
        CHECK(cJSON_IsObject(types) && cJSON_GetArraySize(types) == VIEW_NS_TYPES);
        const cJSON *inode = member(ns, "inode");
        if (cJSON_IsNumber(inode) && inode->valuedouble == (double)B) {
            CHECK(member(types, "ipc")->valuedouble == 23.0);
            CHECK(member(types, "mnt")->valuedouble == 31.0);
            seen++;
        }
        if (cJSON_IsNumber(inode) && inode->valuedouble == (double)D) {
            CHECK(cJSON_IsNull(member(types, "time")));
            seen++;
        }
    }
    CHECK_INT(seen, 2);
    cJSON_Delete(doc);
    free(text);
    teardown();
}

static const struct check_case cases[] = {
    {"isolation line: owners in their kind's colour, kept under -d; JSON types",
     isolation_line_names_owners_in_colour_and_json_has_types},
    {"tree of a small model matches the golden text", tree_matches_golden},
    {"tree escapes control characters, invalid UTF-8 and bidi overrides", hostile_text_is_escaped},
    {"invisible and reordering characters are shown escaped, their neighbours as text",
     invisible_characters_are_escaped},
    {"the escaped set holds Unicode's Default_Ignorable_Code_Point and Bidi_Control",
     escaped_set_covers_the_unicode_data_files},
    {"arguments are quoted so that a\" \"b stays one argument", arguments_are_quoted_unambiguously},
    {"tree quotes arguments, marks zombies, cuts long command lines, counts kernel threads",
     cmdline_is_quoted_and_cut},
    {"tree has colour only when asked", color_only_when_asked},
    {"tree -d shows only that distro's branch", filter_shows_one_distro_branch},
    {"JSON report parses and has every wslns-report/1 field", json_report_has_the_contract_fields},
    {"pid finds a VM-root pid and prints it at every level", pid_found_at_the_vm_level},
    {"pid explains a pid or level that is not there", pid_not_found_says_why},
};

int main(int argc, char **argv)
{
    return check_main(cases, CHECK_COUNT(cases), argc, argv);
}
