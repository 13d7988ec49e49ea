/* wslns diff (win/diff.h, docs/diff.md): processes started and ended by (namespace, pid,
 * start time), namespaces, views, GUI state, another boot, bad input, hostile text. */
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diff.h"

#define BOOT "4a1e3c9e-0000-4000-8000-000000000001"
#define OTHER_BOOT "4a1e3c9e-0000-4000-8000-000000000002"
enum { R = 4026531836u, U = 4026532200u, C = 4026532300u };

/* A small wslns-report/1: the VM root, distro Ubuntu below it, two processes in Ubuntu, a
 * distro view and a system view, Ubuntu with its system distro. */
static cJSON *report(const char *boot)
{
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "schema", "wslns-report/1");
    cJSON *tool = cJSON_AddObjectToObject(r, "tool");
    cJSON_AddStringToObject(tool, "name", "wslns");
    cJSON_AddStringToObject(tool, "version", "0.1.0");
    cJSON_AddStringToObject(r, "boot_id", boot);
    cJSON_AddArrayToObject(r, "sources");
    cJSON_AddArrayToObject(r, "namespaces");
    cJSON_AddArrayToObject(r, "processes");
    cJSON_AddArrayToObject(r, "distros");
    cJSON_AddObjectToObject(r, "config");
    cJSON_AddArrayToObject(r, "diagnostics");
    return r;
}

static void add_ns(cJSON *r, unsigned inode, const char *label)
{
    cJSON *o = cJSON_CreateObject();
    char id[32];
    snprintf(id, sizeof id, "pid:[%u]", inode);
    cJSON_AddStringToObject(o, "id", id);
    cJSON_AddNumberToObject(o, "inode", inode);
    cJSON_AddNullToObject(o, "parent");
    cJSON_AddStringToObject(o, "kind", "distro");
    cJSON_AddStringToObject(o, "distro", "Ubuntu");
    cJSON_AddStringToObject(o, "label", label);
    cJSON_AddNumberToObject(o, "depth", 0);
    cJSON_AddItemToArray(cJSON_GetObjectItem(r, "namespaces"), o);
}

static cJSON *add_proc(cJSON *r, unsigned inode, int pid, double starttime, const char *comm,
                       const char *arg)
{
    cJSON *o = cJSON_CreateObject();
    char id[32];
    snprintf(id, sizeof id, "pid:[%u]", inode);
    cJSON_AddStringToObject(o, "ns", id);
    cJSON *pids = cJSON_AddArrayToObject(o, "pids");
    cJSON *level = cJSON_CreateObject();
    cJSON_AddStringToObject(level, "ns", id);
    cJSON_AddNumberToObject(level, "pid", pid);
    cJSON_AddItemToArray(pids, level);
    cJSON_AddNumberToObject(o, "ppid", 1);
    cJSON_AddStringToObject(o, "comm", comm);
    cJSON *cmdline = cJSON_AddArrayToObject(o, "cmdline");
    cJSON_AddItemToArray(cmdline, cJSON_CreateString(comm));
    if (arg)
        cJSON_AddItemToArray(cmdline, cJSON_CreateString(arg));
    cJSON_AddNumberToObject(o, "uid", 0);
    cJSON_AddNumberToObject(o, "starttime", starttime);
    cJSON_AddBoolToObject(o, "kthread", 0);
    cJSON_AddItemToArray(cJSON_GetObjectItem(r, "processes"), o);
    return o;
}

static void add_source(cJSON *r, const char *kind, const char *distro, const char *status)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "kind", kind);
    cJSON_AddStringToObject(o, "distro", distro);
    cJSON_AddStringToObject(o, "status", status);
    cJSON_AddNullToObject(o, "reason");
    cJSON_AddNullToObject(o, "pidns");
    cJSON_AddItemToArray(cJSON_GetObjectItem(r, "sources"), o);
}

static void add_distro(cJSON *r, const char *name, bool system)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", name);
    cJSON_AddStringToObject(o, "ns", "pid:[4026532200]");
    if (system)
        cJSON_AddStringToObject(o, "system_ns", "pid:[4026532100]");
    else
        cJSON_AddNullToObject(o, "system_ns");
    cJSON_AddItemToArray(cJSON_GetObjectItem(r, "distros"), o);
}

/* The usual report: VM root and Ubuntu, bash and sleep in Ubuntu, two views. */
static cJSON *usual(const char *boot)
{
    cJSON *r = report(boot);
    add_ns(r, R, "VM root");
    add_ns(r, U, "distro Ubuntu");
    add_proc(r, R, 1, 5, "mini_init", NULL);
    add_proc(r, U, 1, 90, "init(Ubuntu)", NULL);
    add_proc(r, U, 7, 100, "sleep", "1000");
    add_source(r, "distro", "Ubuntu", "ok");
    add_source(r, "system", "Ubuntu", "ok");
    add_distro(r, "Ubuntu", true);
    return r;
}

/* Compares two documents given as cJSON (deleted here); *text and *json receive the
 * renderings (caller frees); returns diff_compare's error (caller frees). */
static char *compare_docs(cJSON *old_doc, cJSON *new_doc, struct diff **d)
{
    char *a = cJSON_Print(old_doc), *b = cJSON_Print(new_doc);
    cJSON_Delete(old_doc);
    cJSON_Delete(new_doc);
    char *error = diff_compare("old.json", a, strlen(a), "new.json", b, strlen(b), d);
    cJSON_free(a);
    cJSON_free(b);
    return error;
}

/* The wslns-diff/1 document of d, parsed. */
static cJSON *json_of(const struct diff *d)
{
    char *text = diff_render_json(d);
    CHECK(text != NULL);
    cJSON *doc = cJSON_Parse(text);
    CHECK(doc != NULL);
    free(text);
    return doc;
}

static int count(const cJSON *doc, const char *a, const char *b)
{
    const cJSON *v = cJSON_GetObjectItem(doc, a);
    if (b)
        v = cJSON_GetObjectItem(v, b);
    return cJSON_IsArray(v) ? cJSON_GetArraySize(v) : -1;
}

static void identical_reports_have_no_changes(void)
{
    struct diff *d = NULL;
    char *error = compare_docs(usual(BOOT), usual(BOOT), &d);
    CHECK(error == NULL);
    free(error);
    if (!d)
        return;
    CHECK(!diff_changed(d));
    char *text = diff_render_text(d, false);
    CHECK_STR(text, "no changes between old.json and new.json\n");
    free(text);
    cJSON *doc = json_of(d);
    CHECK_STR(cJSON_GetObjectItem(doc, "schema")->valuestring, "wslns-diff/1");
    CHECK(cJSON_IsFalse(cJSON_GetObjectItem(doc, "boot_changed")));
    CHECK_INT(count(doc, "processes", "started"), 0);
    CHECK_INT(count(doc, "processes", "ended"), 0);
    CHECK_INT(count(doc, "namespaces", "appeared"), 0);
    CHECK_INT(count(doc, "namespaces", "gone"), 0);
    CHECK_INT(count(doc, "sources", NULL), 0);
    CHECK_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "old"), "path")->valuestring,
              "old.json");
    CHECK_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "new"), "boot_id")->valuestring, BOOT);
    cJSON_Delete(doc);
    diff_free(d);
}

static void killed_and_started_processes_are_one_ended_one_started(void)
{
    cJSON *old_doc = usual(BOOT), *new_doc = report(BOOT);
    add_ns(new_doc, R, "VM root");
    add_ns(new_doc, U, "distro Ubuntu");
    add_proc(new_doc, R, 1, 5, "mini_init", NULL);
    add_proc(new_doc, U, 1, 90, "init(Ubuntu)", NULL);
    add_proc(new_doc, U, 8, 200, "top", NULL); /* sleep (pid 7) ended, top started */
    add_source(new_doc, "distro", "Ubuntu", "ok");
    add_source(new_doc, "system", "Ubuntu", "ok");
    add_distro(new_doc, "Ubuntu", true);
    struct diff *d = NULL;
    char *error = compare_docs(old_doc, new_doc, &d);
    CHECK(error == NULL);
    free(error);
    if (!d)
        return;
    CHECK(diff_changed(d));
    char *text = diff_render_text(d, false);
    CHECK_STR(text, "processes: 1 started, 1 ended\n"
                    "  + pid 8 in distro Ubuntu: top\n"
                    "  - pid 7 in distro Ubuntu: sleep 1000\n");
    free(text);
    cJSON *doc = json_of(d);
    const cJSON *started = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "processes"), "started");
    const cJSON *ended = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "processes"), "ended");
    CHECK_INT(cJSON_GetArraySize(started), 1);
    CHECK_INT(cJSON_GetArraySize(ended), 1);
    CHECK_STR(cJSON_GetObjectItem(cJSON_GetArrayItem(started, 0), "comm")->valuestring, "top");
    CHECK_INT(cJSON_GetObjectItem(cJSON_GetArrayItem(ended, 0), "starttime")->valuedouble, 100);
    /* the wslns-report/1 shape: pids, the own namespace, cmdline */
    const cJSON *e = cJSON_GetArrayItem(ended, 0);
    CHECK_STR(cJSON_GetObjectItem(e, "ns")->valuestring, "pid:[4026532200]");
    CHECK_INT(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(e, "pids"), 0), "pid")
                  ->valuedouble,
              7);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(e, "cmdline")), 2);
    cJSON_Delete(doc);
    diff_free(d);
}

static void a_reused_pid_is_one_ended_and_one_started(void)
{
    cJSON *new_doc = usual(BOOT);
    /* pid 7 again, but a process that started later: another process */
    cJSON *p = cJSON_GetArrayItem(cJSON_GetObjectItem(new_doc, "processes"), 2);
    cJSON_ReplaceItemInObject(p, "starttime", cJSON_CreateNumber(4242));
    struct diff *d = NULL;
    char *error = compare_docs(usual(BOOT), new_doc, &d);
    CHECK(error == NULL);
    free(error);
    if (!d)
        return;
    char *text = diff_render_text(d, false);
    CHECK_STR(text, "processes: 1 started, 1 ended\n"
                    "  + pid 7 in distro Ubuntu: sleep 1000\n"
                    "  - pid 7 in distro Ubuntu: sleep 1000\n");
    free(text);
    diff_free(d);
}

static void namespaces_that_appear_and_go_are_listed(void)
{
    cJSON *old_doc = usual(BOOT), *new_doc = usual(BOOT);
    add_ns(old_doc, 4026532500u, "container in Ubuntu (pid 1: old)");
    add_ns(new_doc, C, "container in Ubuntu (pid 1: nginx)");
    add_proc(new_doc, C, 1, 300, "nginx", NULL);
    struct diff *d = NULL;
    char *error = compare_docs(old_doc, new_doc, &d);
    CHECK(error == NULL);
    free(error);
    if (!d)
        return;
    char *text = diff_render_text(d, false);
    CHECK_STR(text, "processes: 1 started, 0 ended\n"
                    "  + pid 1 in container in Ubuntu (pid 1: nginx): nginx\n"
                    "namespaces: 1 appeared, 1 gone\n"
                    "  + container in Ubuntu (pid 1: nginx)  pid:[4026532300]\n"
                    "  - container in Ubuntu (pid 1: old)  pid:[4026532500]\n");
    free(text);
    cJSON *doc = json_of(d);
    const cJSON *appeared = cJSON_GetArrayItem(
        cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "namespaces"), "appeared"), 0);
    CHECK_STR(cJSON_GetObjectItem(appeared, "id")->valuestring, "pid:[4026532300]");
    CHECK_INT(cJSON_GetObjectItem(appeared, "inode")->valuedouble, C);
    CHECK_STR(cJSON_GetObjectItem(appeared, "kind")->valuestring, "distro");
    cJSON_Delete(doc);
    diff_free(d);
}

static void views_whose_status_changed_are_listed(void)
{
    cJSON *old_doc = usual(BOOT), *new_doc = report(BOOT);
    add_ns(new_doc, R, "VM root");
    add_ns(new_doc, U, "distro Ubuntu");
    add_proc(new_doc, R, 1, 5, "mini_init", NULL);
    add_proc(new_doc, U, 1, 90, "init(Ubuntu)", NULL);
    add_proc(new_doc, U, 7, 100, "sleep", "1000");
    add_source(new_doc, "distro", "Ubuntu", "ok");
    add_source(new_doc, "system", "Ubuntu", "skipped"); /* GUI apps turned off */
    add_source(new_doc, "vm", NULL, "ok");              /* now elevated */
    add_distro(new_doc, "Ubuntu", false);
    struct diff *d = NULL;
    char *error = compare_docs(old_doc, new_doc, &d);
    CHECK(error == NULL);
    free(error);
    if (!d)
        return;
    char *text = diff_render_text(d, false);
    CHECK_STR(text, "views: 2 changed\n"
                    "  system Ubuntu: ok -> skipped\n"
                    "  vm: (not in the old report) -> ok\n"
                    "GUI apps (system distro in the report): 1 changed\n"
                    "  Ubuntu: system distro seen -> not seen\n");
    free(text);
    cJSON *doc = json_of(d);
    const cJSON *s = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "sources"), 0);
    CHECK_STR(cJSON_GetObjectItem(s, "kind")->valuestring, "system");
    CHECK_STR(cJSON_GetObjectItem(s, "distro")->valuestring, "Ubuntu");
    CHECK_STR(cJSON_GetObjectItem(s, "old")->valuestring, "ok");
    CHECK_STR(cJSON_GetObjectItem(s, "new")->valuestring, "skipped");
    s = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "sources"), 1);
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(s, "old")));
    const cJSON *g = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "distros"), 0);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(g, "old_system_distro")));
    CHECK(cJSON_IsFalse(cJSON_GetObjectItem(g, "new_system_distro")));
    cJSON_Delete(doc);
    diff_free(d);
}

static void another_boot_is_said_first_and_everything_is_new(void)
{
    struct diff *d = NULL;
    char *error = compare_docs(usual(BOOT), usual(OTHER_BOOT), &d);
    CHECK(error == NULL);
    free(error);
    if (!d)
        return;
    CHECK(diff_changed(d));
    char *text = diff_render_text(d, false);
    CHECK(text && strncmp(text, "another boot: boot_id " BOOT " -> " OTHER_BOOT, 84) == 0);
    CHECK(text && strstr(text, "processes: 3 started, 3 ended\n"));
    CHECK(text && strstr(text, "namespaces: 2 appeared, 2 gone\n"));
    free(text);
    cJSON *doc = json_of(d);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(doc, "boot_changed")));
    CHECK_INT(count(doc, "processes", "started"), 3);
    CHECK_INT(count(doc, "processes", "ended"), 3);
    CHECK_INT(count(doc, "sources", NULL), 0);
    cJSON_Delete(doc);
    diff_free(d);
}

/* A document that is not a usable report: an error naming the file and the member. */
static void expect_bad(const char *new_text, const char *message)
{
    cJSON *old_doc = usual(BOOT);
    char *a = cJSON_Print(old_doc);
    cJSON_Delete(old_doc);
    struct diff *d = (struct diff *)1;
    char *error =
        diff_compare("old.json", a, strlen(a), "new.json", new_text, strlen(new_text), &d);
    cJSON_free(a);
    CHECK(d == NULL);
    CHECK_STR(error, message);
    free(error);
}

static void bad_input_names_the_file_and_the_member(void)
{
    expect_bad("{\"schema\": \"wslns-report/1\",", "new.json: not a wslns-report/1 document: "
                                                   "the document: not valid JSON");
    expect_bad("[1, 2]", "new.json: not a wslns-report/1 document: the document: expected a "
                         "JSON object");
    expect_bad("{\"schema\": \"wslns-probe/1\"}",
               "new.json: not a wslns-report/1 document: schema: expected \"wslns-report/1\" "
               "(write one with wslns --json FILE)");
    expect_bad("{\"schema\": \"wslns-report/1\", \"processes\": {}}",
               "new.json: not a wslns-report/1 document: processes: expected an array");
    expect_bad("{\"schema\": \"wslns-report/1\", \"boot_id\": 7, \"processes\": []}",
               "new.json: not a wslns-report/1 document: boot_id: expected a string or null");
    /* wrong types inside a process */
    const char *head = "{\"schema\": \"wslns-report/1\", \"sources\": [], \"namespaces\": [], "
                       "\"processes\": [";
    char doc[1024];
    struct {
        const char *process, *message;
    } cases[] = {
        {"\"x\"", "processes[0]: expected an object"},
        {"{\"ns\": 5}", "processes[0].ns: expected a string"},
        {"{\"ns\": \"net:[5]\"}", "processes[0].ns: expected a namespace id, pid:[INODE]"},
        {"{\"ns\": \"pid:[5]\", \"pids\": 3}", "processes[0].pids: expected a non-empty array"},
        {"{\"ns\": \"pid:[5]\", \"pids\": [{\"ns\": \"pid:[5]\", \"pid\": -1}]}",
         "processes[0].pids: expected {\"ns\": string, \"pid\": 1 to 2^31-1} objects"},
        {"{\"ns\": \"pid:[5]\", \"pids\": [{\"ns\": \"pid:[6]\", \"pid\": 3}]}",
         "processes[0].pids: its last level is not the process's own namespace (ns)"},
        {"{\"ns\": \"pid:[5]\", \"pids\": [{\"ns\": \"pid:[5]\", \"pid\": 3}], \"ppid\": 0, "
         "\"uid\": 0, \"starttime\": \"12\"}",
         "processes[0].starttime: expected a whole number from 0 to 2^53"},
        {"{\"ns\": \"pid:[5]\", \"pids\": [{\"ns\": \"pid:[5]\", \"pid\": 3}], \"ppid\": 0, "
         "\"uid\": 0, \"starttime\": 1.5}",
         "processes[0].starttime: expected a whole number from 0 to 2^53"},
        {"{\"ns\": \"pid:[5]\", \"pids\": [{\"ns\": \"pid:[5]\", \"pid\": 3}], \"ppid\": 0, "
         "\"uid\": 0, \"starttime\": 1, \"comm\": \"a\", \"cmdline\": [\"a\", 7]}",
         "processes[0].cmdline: expected an array of strings"},
    };
    for (size_t i = 0; i < CHECK_COUNT(cases); i++) {
        snprintf(doc, sizeof doc, "%s%s]}", head, cases[i].process);
        char message[512];
        snprintf(message, sizeof message, "new.json: not a wslns-report/1 document: %s",
                 cases[i].message);
        expect_bad(doc, message);
    }
    /* the old file is named when it is the bad one */
    struct diff *d = NULL;
    char *error = diff_compare("old.json", "{}", 2, "new.json", "{}", 2, &d);
    CHECK_STR(error, "old.json: not a wslns-report/1 document: schema: expected "
                     "\"wslns-report/1\" (write one with wslns --json FILE)");
    free(error);
}

static void hostile_strings_are_escaped_in_text_and_valid_in_json(void)
{
    cJSON *old_doc = usual(BOOT), *new_doc = usual(BOOT);
    add_proc(new_doc, U, 9, 500, "\033]0;pwned\007x", "a\nb\xff");
    cJSON *label = cJSON_GetObjectItem(
        cJSON_GetArrayItem(cJSON_GetObjectItem(new_doc, "namespaces"), 1), "label");
    cJSON_SetValuestring(label, "distro \033[2JUbuntu\xe2\x80\xae");
    struct diff *d = NULL;
    char *error = compare_docs(old_doc, new_doc, &d);
    CHECK(error == NULL);
    free(error);
    if (!d)
        return;
    char *text = diff_render_text(d, false);
    CHECK_STR(text, "processes: 1 started, 0 ended\n"
                    "  + pid 9 in distro \\e[2JUbuntu\\u{202e}: \\e]0;pwned\\x07x "
                    "a\\nb\\xff\n");
    free(text);
    char *json = diff_render_json(d);
    CHECK(json && !strchr(json, '\033') && !strstr(json, "\xff"));
    cJSON *doc = cJSON_Parse(json);
    const cJSON *p = cJSON_GetArrayItem(
        cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "processes"), "started"), 0);
    CHECK_STR(cJSON_GetArrayItem(cJSON_GetObjectItem(p, "cmdline"), 1)->valuestring,
              "a\nb\xef\xbf\xbd");
    cJSON_Delete(doc);
    free(json);
    diff_free(d);
}

static void duplicates_pair_one_to_one(void)
{
    cJSON *old_doc = usual(BOOT), *new_doc = usual(BOOT);
    add_proc(old_doc, U, 7, 100, "sleep", "1000"); /* the same identity twice in the old one */
    struct diff *d = NULL;
    char *error = compare_docs(old_doc, new_doc, &d);
    CHECK(error == NULL);
    free(error);
    if (!d)
        return;
    char *text = diff_render_text(d, false);
    CHECK_STR(text, "processes: 0 started, 1 ended\n"
                    "  - pid 7 in distro Ubuntu: sleep 1000\n");
    free(text);
    diff_free(d);
}

static void color_marks_started_green_and_ended_red(void)
{
    cJSON *new_doc = usual(BOOT);
    cJSON_DeleteItemFromArray(cJSON_GetObjectItem(new_doc, "processes"), 2);
    add_proc(new_doc, U, 8, 200, "top", NULL);
    struct diff *d = NULL;
    char *error = compare_docs(usual(BOOT), new_doc, &d);
    CHECK(error == NULL);
    free(error);
    if (!d)
        return;
    char *text = diff_render_text(d, true);
    CHECK_STR(text, "processes: 1 started, 1 ended\n"
                    "  \033[32m+\033[0m pid 8 in distro Ubuntu: top\n"
                    "  \033[31m-\033[0m pid 7 in distro Ubuntu: sleep 1000\n");
    free(text);
    diff_free(d);
}

static const struct check_case cases[] = {
    {"identical reports have no changes", identical_reports_have_no_changes},
    {"a killed and a started process are one ended, one started",
     killed_and_started_processes_are_one_ended_one_started},
    {"a reused pid is one ended and one started", a_reused_pid_is_one_ended_and_one_started},
    {"namespaces that appear and go are listed", namespaces_that_appear_and_go_are_listed},
    {"views whose status changed and GUI state changes are listed",
     views_whose_status_changed_are_listed},
    {"another boot is said first and everything is new",
     another_boot_is_said_first_and_everything_is_new},
    {"bad input names the file and the member", bad_input_names_the_file_and_the_member},
    {"hostile strings are escaped in text and valid UTF-8 in JSON",
     hostile_strings_are_escaped_in_text_and_valid_in_json},
    {"duplicate identities pair one to one", duplicates_pair_one_to_one},
    {"--color marks started green and ended red", color_marks_started_green_and_ended_red},
};

int main(int argc, char **argv)
{
    return check_main(cases, CHECK_COUNT(cases), argc, argv);
}
