/* The probe's JSON emission (probe/json.h): the byte escape keeps every document valid JSON
 * and valid UTF-8 and loses no byte; a whole document built from a hand-made view parses and
 * carries what the view holds. */
#include "check.h"
#include "context.h"
#include "json.h"
#include "procfs.h"
#include "scan.h"
#include "utf8.h"

#include <cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Decodes lower-case hex; the caller frees. */
static char *unhex(const char *hex, size_t *len)
{
    size_t n = strlen(hex) / 2;
    char *out = malloc(n + 1);
    for (size_t i = 0; out && i < n; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        out[i] = (char)v;
    }
    *len = n;
    return out;
}

/* Prints obj, checks the text is valid UTF-8, parses it back; the caller deletes. */
static cJSON *round_trip(cJSON *obj)
{
    char *text = cJSON_PrintUnformatted(obj);
    CHECK(text != NULL);
    if (!text)
        return NULL;
    CHECK(utf8_is_valid(text, strlen(text)));
    cJSON *back = cJSON_Parse(text);
    CHECK(back != NULL);
    free(text);
    return back;
}

/* The bytes the document says a text field holds: from <key>_hex when present, else the
 * string itself. */
static char *bytes_of(const cJSON *obj, const char *key, const char *hex_key, size_t *len)
{
    const cJSON *hex = cJSON_GetObjectItemCaseSensitive(obj, hex_key);
    if (cJSON_IsString(hex))
        return unhex(hex->valuestring, len);
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsString(s))
        return NULL;
    *len = strlen(s->valuestring);
    char *out = malloc(*len + 1);
    if (out)
        memcpy(out, s->valuestring, *len + 1);
    return out;
}

static void check_text_round_trip(const char *bytes, size_t len, bool expect_hex)
{
    char *terminated = malloc(len + 1);
    memcpy(terminated, bytes, len);
    terminated[len] = '\0';
    cJSON *obj = cJSON_CreateObject();
    probe_json_add_text(obj, "comm", "comm_hex", terminated, len);
    cJSON *back = round_trip(obj);
    CHECK_INT(cJSON_HasObjectItem(back, "comm_hex"), expect_hex);
    size_t n = 0;
    char *got = back ? bytes_of(back, "comm", "comm_hex", &n) : NULL;
    CHECK(got && n == len && memcmp(got, bytes, len) == 0);
    free(got);
    cJSON_Delete(back);
    cJSON_Delete(obj);
    free(terminated);
}

static void valid_text_goes_out_as_is(void)
{
    check_text_round_trip("init(Ubuntu)", 12, false);
    check_text_round_trip("caf\xc3\xa9 \xe2\x9c\x93", 9, false);
    check_text_round_trip("", 0, false);
}

static void control_characters_and_quotes_round_trip(void)
{
    const char odd[] = "a \"quoted\" \\ back\nnew\ttab\x01\x1b[31m";
    check_text_round_trip(odd, sizeof odd - 1, false);
}

static void invalid_utf8_gets_hex_sibling(void)
{
    check_text_round_trip("bad\xff\xfe", 5, true);
    check_text_round_trip("\xc3", 1, true);         /* cut sequence */
    check_text_round_trip("\xed\xa0\x80", 3, true); /* a surrogate */
    check_text_round_trip("\xc0\xaf", 2, true);     /* overlong '/' */

    cJSON *obj = cJSON_CreateObject();
    probe_json_add_text(obj, "comm", "comm_hex", "x\xff", 2);
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(obj, "comm");
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(obj, "comm_hex");
    CHECK(cJSON_IsString(s) && strcmp(s->valuestring, "x\xef\xbf\xbd") == 0);
    CHECK(cJSON_IsString(h) && strcmp(h->valuestring, "78ff") == 0);
    cJSON_Delete(obj);
}

static void cmdline_array_and_parallel_hex(void)
{
    const char args[] = "caf\xc3\xa9\0bad\xff\0last"; /* 3 args, the last without NUL */
    cJSON *obj = cJSON_CreateObject();
    probe_json_add_cmdline(obj, args, sizeof args - 1);
    cJSON *back = round_trip(obj);
    const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(back, "cmdline");
    const cJSON *hex = cJSON_GetObjectItemCaseSensitive(back, "cmdline_hex");
    CHECK_INT(cJSON_GetArraySize(cmd), 3);
    CHECK_INT(cJSON_GetArraySize(hex), 3);
    CHECK_STR(cJSON_GetArrayItem(cmd, 0)->valuestring, "caf\xc3\xa9");
    CHECK_STR(cJSON_GetArrayItem(cmd, 1)->valuestring, "bad\xef\xbf\xbd");
    CHECK_STR(cJSON_GetArrayItem(cmd, 2)->valuestring, "last");
    CHECK_STR(cJSON_GetArrayItem(hex, 0)->valuestring, "636166c3a9");
    CHECK_STR(cJSON_GetArrayItem(hex, 1)->valuestring, "626164ff");
    CHECK_STR(cJSON_GetArrayItem(hex, 2)->valuestring, "6c617374");
    cJSON_Delete(back);
    cJSON_Delete(obj);
}

static void cmdline_valid_has_no_hex_and_kernel_thread_is_empty(void)
{
    cJSON *obj = cJSON_CreateObject();
    probe_json_add_cmdline(obj,
                           "sleep\0"
                           "680001",
                           12);
    CHECK(!cJSON_HasObjectItem(obj, "cmdline_hex"));
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(obj, "cmdline")), 2);
    cJSON_Delete(obj);

    obj = cJSON_CreateObject();
    probe_json_add_cmdline(obj, "", 0);
    const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(obj, "cmdline");
    CHECK(cJSON_IsArray(cmd) && cJSON_GetArraySize(cmd) == 0);
    CHECK(!cJSON_HasObjectItem(obj, "cmdline_hex"));
    cJSON_Delete(obj);
}

/* A hand-made view of two namespaces, the inner one with an odd process. */
static void document_from_view(void)
{
    static const int nspid_init[] = {1};
    static const int nspid_self[] = {42};
    static const int nspid_inner[] = {50, 1};
    static const char odd_comm[] = "a) (b\n\xff";
    static const char odd_cmdline[] = "x\0y\xfe";
    struct probe_process processes[] = {
        {.pid = 1,
         .ppid = 0,
         .uid = 0,
         .state = 'S',
         .starttime = 26,
         .pidns = 4026531836u,
         .nspid_len = 1,
         .nspid = nspid_init,
         .comm = "systemd",
         .comm_len = 7,
         .cmdline = "/sbin/init",
         .cmdline_len = 10},
        {.pid = 42,
         .ppid = 1,
         .uid = 0,
         .state = 'R',
         .starttime = 9000,
         .pidns = 4026531836u,
         .nspid_len = 1,
         .nspid = nspid_self,
         .comm = "wslns-probe",
         .comm_len = 11,
         .cmdline = "",
         .cmdline_len = 0},
        {.pid = 50,
         .ppid = 42,
         .uid = 1000,
         .state = 'S',
         .starttime = UINT64_C(12345678901234),
         .pidns = 4026532999u,
         .nspid_len = 2,
         .nspid = nspid_inner,
         .comm = odd_comm,
         .comm_len = sizeof odd_comm - 1,
         .cmdline = odd_cmdline,
         .cmdline_len = sizeof odd_cmdline - 1},
    };
    struct probe_namespace namespaces[] = {
        {4026531836u, 0, true, 0, 2, 0, {4026531841u, 0, 0, 0, 0, 0, 0}},
        {4026532999u, 4026531836u, true, 1, 1, 2, {1, 2, 3, 4, 5, 6, 7}},
    };
    struct probe_error errors[] = {{77, "ns/pid", 13}};
    struct probe_view view = {0};
    view.processes = processes;
    view.process_nr = 3;
    view.namespaces = namespaces;
    view.namespace_nr = 2;
    view.errors = errors;
    view.error_nr = 1;
    view.self_index = 1;
    struct probe_context ctx = {0};
    strcpy(ctx.release, "5.15.167.4-microsoft-standard-WSL2");

    cJSON *doc = probe_json_document(&view, &ctx);
    CHECK(doc != NULL);
    cJSON *back = doc ? round_trip(doc) : NULL;
    CHECK(back != NULL);
    if (!back) {
        cJSON_Delete(doc);
        return;
    }
    CHECK_STR(cJSON_GetObjectItemCaseSensitive(back, "schema")->valuestring, "wslns-probe/1");
    const cJSON *self = cJSON_GetObjectItemCaseSensitive(back, "self");
    CHECK_INT(cJSON_GetObjectItemCaseSensitive(self, "pid")->valuedouble, 42);
    CHECK(cJSON_GetObjectItemCaseSensitive(self, "pidns")->valuedouble == 4026531836.0);
    const cJSON *nss = cJSON_GetObjectItemCaseSensitive(back, "namespaces");
    CHECK_INT(cJSON_GetArraySize(nss), 2);
    const cJSON *root = cJSON_GetArrayItem(nss, 0), *inner = cJSON_GetArrayItem(nss, 1);
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(root, "parent")));
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "parent_visible")));
    CHECK_STR(cJSON_GetObjectItemCaseSensitive(root, "init_comm")->valuestring, "systemd");
    CHECK(cJSON_GetObjectItemCaseSensitive(inner, "parent")->valuedouble == 4026531836.0);
    CHECK_INT(cJSON_GetObjectItemCaseSensitive(inner, "level")->valuedouble, 1);
    CHECK_INT(cJSON_GetObjectItemCaseSensitive(inner, "init_pid")->valuedouble, 50);
    CHECK(cJSON_HasObjectItem(inner, "init_comm_hex"));
    /* each namespace's other types: an inode, or null where none was read */
    const cJSON *root_ns = cJSON_GetObjectItemCaseSensitive(root, "ns");
    CHECK(cJSON_GetObjectItemCaseSensitive(root_ns, "mnt")->valuedouble == 4026531841.0);
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(root_ns, "time")));
    const cJSON *inner_ns = cJSON_GetObjectItemCaseSensitive(inner, "ns");
    CHECK_INT(cJSON_GetArraySize(inner_ns), 7);
    CHECK_INT(cJSON_GetObjectItemCaseSensitive(inner_ns, "cgroup")->valuedouble, 6);
    CHECK_INT(cJSON_GetObjectItemCaseSensitive(inner_ns, "time")->valuedouble, 7);

    const cJSON *procs = cJSON_GetObjectItemCaseSensitive(back, "processes");
    CHECK_INT(cJSON_GetArraySize(procs), 3);
    const cJSON *odd = cJSON_GetArrayItem(procs, 2);
    size_t n = 0;
    char *comm = bytes_of(odd, "comm", "comm_hex", &n);
    CHECK(comm && n == sizeof odd_comm - 1 && memcmp(comm, odd_comm, n) == 0);
    free(comm);
    CHECK(cJSON_GetObjectItemCaseSensitive(odd, "starttime")->valuedouble == 12345678901234.0);
    const cJSON *nspid = cJSON_GetObjectItemCaseSensitive(odd, "nspid");
    CHECK_INT(cJSON_GetArraySize(nspid), 2);
    CHECK_INT(cJSON_GetArrayItem(nspid, 0)->valuedouble, 50);
    CHECK_INT(cJSON_GetArrayItem(nspid, 1)->valuedouble, 1);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(odd, "cmdline_hex")), 2);
    CHECK_STR(
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(odd, "cmdline_hex"), 1)->valuestring,
        "79fe");

    const cJSON *errs = cJSON_GetObjectItemCaseSensitive(back, "errors");
    CHECK_INT(cJSON_GetArraySize(errs), 1);
    CHECK_STR(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(errs, 0), "errno")->valuestring,
              "EACCES");
    const cJSON *context = cJSON_GetObjectItemCaseSensitive(back, "context");
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(context, "distro")));
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(context, "wsl_conf")));
    CHECK(cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(context, "wslg")));
    cJSON_Delete(back);
    cJSON_Delete(doc);
}

/* The compact document is written without a cJSON tree for the processes; it must be what
 * cJSON_PrintUnformatted gives for the tree, byte for byte, and --pretty what cJSON_Print
 * gives, each followed by one newline. */
static void streamed_text_is_cjson_text_byte_for_byte(void)
{
    static const int nspid_one[] = {1};
    static int nspid_deep[PROBE_MAX_LEVELS];
    for (int i = 0; i < PROBE_MAX_LEVELS; i++)
        nspid_deep[i] = PROBE_MAX_LEVELS + 100 - i;
    static const char controls[] = "\x01\x1f\t\b\f\r\n\"\\/\x7f end";
    static const char utf8[] = "caf\xc3\xa9 \xe2\x80\xae \xf0\x9f\x98\x80";
    static const char invalid[] = "bad\xff\xc3(";
    static const char args[] = "/bin/sh\0-c\0\0echo \"hi\"\\\n\0\x01\0";
    static const char args_odd[] = "ok\0\xfe\xfe\0";
    static const char args_no_nul[] = "last";
    struct probe_process processes[] = {
        {.pid = 1,
         .ppid = 0,
         .uid = 0,
         .state = 'S',
         .starttime = 0,
         .pidns = 4026531836u,
         .nspid_len = 1,
         .nspid = nspid_one,
         .comm = controls,
         .comm_len = sizeof controls - 1,
         .cmdline = args,
         .cmdline_len = sizeof args - 1},
        {.pid = 2,
         .ppid = 0,
         .uid = UINT32_MAX,
         .state = 'I',
         .kthread = true,
         .starttime = UINT64_MAX,
         .pidns = 0,
         .nspid_len = PROBE_MAX_LEVELS,
         .nspid = nspid_deep,
         .comm = utf8,
         .comm_len = sizeof utf8 - 1,
         .cmdline = "",
         .cmdline_len = 0},
        {.pid = INT32_MAX,
         .ppid = 2147483646,
         .uid = 1000,
         .state = 'Z',
         .starttime = 9,
         .pidns = UINT64_MAX,
         .nspid_len = 1,
         .nspid = nspid_one,
         .comm = invalid,
         .comm_len = sizeof invalid - 1,
         .cmdline = args_odd,
         .cmdline_len = sizeof args_odd - 1},
        {.pid = 7,
         .ppid = 1,
         .uid = 0,
         .state = '?',
         .starttime = 1,
         .pidns = 4026531836u,
         .nspid_len = 1,
         .nspid = nspid_one,
         .comm = "",
         .comm_len = 0,
         .cmdline = args_no_nul,
         .cmdline_len = sizeof args_no_nul - 1},
    };
    struct probe_namespace namespaces[] = {{4026531836u, 0, true, 0, 2, 0, {0}}};
    struct probe_view view = {0};
    view.namespaces = namespaces;
    view.namespace_nr = 1;
    view.self_index = 0;
    struct probe_context ctx = {0};
    strcpy(ctx.release, "6.6.87.2-microsoft-standard-WSL2");
    /* No process (self still points at the first: the array must be printed empty), one,
     * then all of them. */
    view.processes = processes;
    for (size_t n = 0; n <= sizeof processes / sizeof processes[0]; n += n ? 3 : 1) {
        view.process_nr = n;
        for (int pretty = 0; pretty <= 1; pretty++) {
            cJSON *doc = probe_json_document(&view, &ctx);
            CHECK(doc != NULL);
            char *want = doc ? (pretty ? cJSON_Print(doc) : cJSON_PrintUnformatted(doc)) : NULL;
            cJSON_Delete(doc);
            size_t len = 0;
            char *got = probe_json_text(&view, &ctx, pretty, &len);
            CHECK(want != NULL && got != NULL);
            if (want && got) {
                size_t want_len = strlen(want);
                CHECK_INT(len, want_len + 1);
                CHECK(len == want_len + 1 && memcmp(got, want, want_len) == 0 &&
                      got[want_len] == '\n');
                if (len != want_len + 1 || memcmp(got, want, want_len) != 0)
                    fprintf(stderr, "want: %s\n got: %s\n", want, got);
            }
            free(want);
            free(got);
        }
    }
}

static const struct check_case cases[] = {
    {"json: valid UTF-8 text goes out as is, without a hex sibling", valid_text_goes_out_as_is},
    {"json: quotes, backslashes, newlines and control bytes round-trip exactly",
     control_characters_and_quotes_round_trip},
    {"json: invalid UTF-8 becomes U+FFFD plus <key>_hex with the exact bytes",
     invalid_utf8_gets_hex_sibling},
    {"json: cmdline_hex is parallel to cmdline when an argument is invalid UTF-8",
     cmdline_array_and_parallel_hex},
    {"json: valid cmdline has no cmdline_hex; a kernel thread's cmdline is []",
     cmdline_valid_has_no_hex_and_kernel_thread_is_empty},
    {"json: a whole document parses with cJSON and its bytes round-trip", document_from_view},
    {"json: the document's text is cJSON's, byte for byte, compact and pretty",
     streamed_text_is_cjson_text_byte_for_byte},
};

int main(int argc, char **argv)
{
    return check_main(cases, CHECK_COUNT(cases), argc, argv);
}
