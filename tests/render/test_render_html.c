/* test_render_html.c - the HTML renderer without a browser: what a hostile probe document
 * turns into (escaped text and attributes, an embedded JSON that cannot end its element),
 * the page's structure, the doctor's sections and writing the file. The browser tests in
 * check.mjs prove the same page in Chromium. */
/* mkdtemp */
#define _POSIX_C_SOURCE 200809L

#include <cJSON.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "model.h"
#include "platform/platform.h"
#include "render/render_html.h"
#include "source.h"
#include "strbuf.h"
#include "view.h"

/* One distro view whose parent is not visible (so the tree starts with a placeholder), with
 * processes named to break out of HTML, attributes and script elements. */
static const char HOSTILE_DOC[] =
    "{\"schema\":\"wslns-probe/1\","
    "\"kernel\":{\"release\":\"6.6<b>\",\"boot_id\":\"b00t\"},"
    "\"self\":{\"pid\":9,\"nspid\":[9],\"pidns\":4026532230},"
    "\"context\":{\"distro\":\"Ubu\\\"n<tu>\"},"
    "\"namespaces\":[{\"inode\":4026532230,\"parent\":4026532229,\"parent_visible\":false}],"
    "\"processes\":["
    "{\"pid\":1,\"nspid\":[1],\"ppid\":0,\"pidns\":4026532230,\"uid\":0,"
    " \"comm\":\"init(Ubu\\\"n<tu>\",\"cmdline\":[\"/init\"],\"starttime\":1},"
    "{\"pid\":2,\"nspid\":[2],\"ppid\":1,\"pidns\":4026532230,\"uid\":1000,"
    " \"comm\":\"</script><scrip\","
    " \"cmdline\":[\"</script><script>alert(1)</script>\","
    "             \"<img src=x onerror=alert(2)>\","
    "             \"\\\"'&amp;\"],"
    " \"starttime\":2},"
    "{\"pid\":3,\"nspid\":[3],\"ppid\":1,\"pidns\":4026532230,\"uid\":0,"
    " \"comm\":\"\\ufffd<b>\",\"comm_hex\":\"ff3c623e\","
    " \"cmdline\":[\"a\\u2028b\\u2029c\",\"tab\\there\"],\"starttime\":3},"
    "{\"pid\":4,\"nspid\":[4],\"ppid\":1,\"pidns\":4026532230,\"uid\":0,"
    " \"comm\":\"rtl\\u202egnp.exe\",\"cmdline\":[\"a\\\" \\\"b\",\"zw\\u200bsp\\ufeff\"],"
    " \"starttime\":4}],"
    "\"errors\":[{\"pid\":5,\"what\":\"<i>status</i>\",\"errno\":\"EACCES\"}]}";

struct fixture {
    struct source_list sources;
    struct model *model;
    char *html;
};

static void fixture_open(struct fixture *f, const struct html_extras *extras)
{
    memset(f, 0, sizeof *f);
    struct source *s = source_list_add(&f->sources, SOURCE_DISTRO);
    s->distro = str_dup("Ubu\"n<tu>");
    s->output = str_dup(HOSTILE_DOC);
    s->output_len = strlen(HOSTILE_DOC);
    char *error = view_parse(s->output, s->output_len, &s->view);
    if (!s->view)
        fprintf(stderr, "  the test document was rejected: %s\n", error ? error : "?");
    free(error);
    struct source *skipped = source_list_add(&f->sources, SOURCE_VM);
    source_skip(skipped, "run from an elevated prompt <as Administrator>");
    f->model = model_build(&f->sources);
    struct html_page page = {"2026-01-02 03:04:05 UTC", "PC<1>", NULL, extras};
    f->html = f->model ? render_html(f->model, &f->sources, &page) : NULL;
    CHECK(f->html != NULL);
}

static void fixture_close(struct fixture *f)
{
    free(f->html);
    model_free(f->model);
    source_list_free(&f->sources);
}

static size_t count(const char *haystack, const char *needle)
{
    size_t n = 0;
    for (const char *p = haystack; p && (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

static bool has(const char *haystack, const char *needle)
{
    return strstr(haystack, needle) != NULL;
}

/* How the page marks text it shows escaped. */
#define RAW_CONTROL "<span class=\"raw\" title=\"a control, invisible or direction character\">"
#define RAW_BYTE "<span class=\"raw\" title=\"a byte that is not valid UTF-8\">"

/* The text of the embedded report: what lies between its start tag and the next "</". */
static char *embedded(const char *html, const char *id)
{
    char *open = str_printf("<script type=\"application/json\" id=\"%s\">", id);
    const char *start = open ? strstr(html, open) : NULL;
    size_t skip = open ? strlen(open) : 0;
    free(open);
    if (!start)
        return NULL;
    start += skip;
    const char *end = strstr(start, "</");
    return end ? str_ndup(start, (size_t)(end - start)) : NULL;
}

static void markup_in_names_is_text(void)
{
    struct fixture f;
    fixture_open(&f, NULL);
    const char *h = f.html ? f.html : "";
    CHECK(strstr(h, "<td>&lt;/script&gt;&lt;scrip<td>") != NULL);
    CHECK(has(h,
              "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; "
              "&quot;&lt;img src=x onerror=alert(2)&gt;&quot; &quot;\\&quot;&#39;&amp;amp;&quot;"));
    CHECK(strstr(h, "alert(1)</script>") == NULL);
    CHECK(strstr(h, "<img") == NULL);
    /* The page's own: the embedded report and the script, nothing more. */
    CHECK_INT(count(h, "<script"), 2);
    CHECK_INT(count(h, "</script>"), 2);
    CHECK(strstr(h, "<dd>6.6&lt;b&gt;</dd>") != NULL);
    CHECK(strstr(h, "<dt>Computer</dt><dd>PC&lt;1&gt;</dd>") != NULL);
    CHECK(strstr(h, "run from an elevated prompt &lt;as Administrator&gt;") != NULL);
    CHECK(strstr(h, "<li>probe: ") != NULL && strstr(h, "<i>status") == NULL);
    fixture_close(&f);
}

static void attributes_are_escaped(void)
{
    struct fixture f;
    fixture_open(&f, NULL);
    const char *h = f.html ? f.html : "";
    /* The distro's pid column carries its label in a title attribute. */
    CHECK(
        has(h, "title=\"distro Ubu&quot;n&lt;tu&gt; pid:[4026532230]\">Ubu&quot;n&lt;tu&gt;</th>"));
    CHECK(strstr(h, "<span class=\"label\">distro Ubu&quot;n&lt;tu&gt;</span>") != NULL);
    fixture_close(&f);
}

static void invalid_utf8_and_bidi_are_shown_escaped(void)
{
    struct fixture f;
    fixture_open(&f, NULL);
    const char *h = f.html ? f.html : "";
    CHECK(has(h, "<td>" RAW_BYTE "\\xff</span>&lt;b&gt;<td>"));
    CHECK(has(h, "rtl" RAW_CONTROL "\\u{202e}</span>gnp.exe"));
    CHECK(has(h, "a" RAW_CONTROL "\\u{2028}</span>b" RAW_CONTROL "\\u{2029}</span>c"));
    CHECK(has(h, " tab" RAW_CONTROL "\\t</span>here<td>"));
    /* Invisible characters are shown, and an argument with quotes and a blank stays one. */
    CHECK(has(h, "<td>&quot;a\\&quot; \\&quot;b&quot; zw" RAW_CONTROL
                 "\\u{200b}</span>sp" RAW_CONTROL "\\u{feff}</span><td>"));
    /* No raw U+202E in what is shown (the embedded JSON keeps the exact text). */
    const char *data = strstr(h, "<script type=\"application/json\"");
    const char *bidi = strstr(h, "\xe2\x80\xae");
    CHECK(data && (!bidi || bidi > data));
    fixture_close(&f);
}

static void embedded_json_cannot_end_its_element(void)
{
    struct fixture f;
    fixture_open(&f, NULL);
    char *json = embedded(f.html ? f.html : "", "wslns-report");
    CHECK(json != NULL);
    if (json) {
        CHECK(strpbrk(json, "<>&") == NULL);
        CHECK(strstr(json, "\xe2\x80\xa8") == NULL && strstr(json, "\xe2\x80\xa9") == NULL);
        /* Hostile text that stays in it: the distro name (sources, labels). */
        CHECK(strstr(json, "Ubu\\\"n\\u003ctu\\u003e") != NULL);
        cJSON *doc = cJSON_Parse(json);
        CHECK(doc != NULL);
        const cJSON *source =
            cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "sources"), 0);
        const cJSON *distro = cJSON_GetObjectItemCaseSensitive(source, "distro");
        CHECK_STR(cJSON_IsString(distro) ? distro->valuestring : NULL, "Ubu\"n<tu>");
        /* Processes in the page's form: what the rows do not show, by column. */
        const cJSON *procs = cJSON_GetObjectItemCaseSensitive(doc, "processes");
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(procs, "count");
        CHECK_INT(cJSON_IsNumber(n) ? n->valueint : -1, 4);
        CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(procs, "starttime")), 4);
        char *hex = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(procs, "comm_hex"));
        CHECK_STR(hex, "[[2,\"ff3c623e\"]]");
        free(hex);
        CHECK(strstr(json, "cmdline\"") == NULL && strstr(json, "\"comm\"") == NULL);
        const cJSON *schema = cJSON_GetObjectItemCaseSensitive(doc, "schema");
        CHECK_STR(cJSON_IsString(schema) ? schema->valuestring : NULL, "wslns-report/1");
        cJSON_Delete(doc);
    }
    free(json);
    fixture_close(&f);
}

/* The k-th row (from 0) of a page part: rows are the only lines that begin with "<tr>". */
static const char *nth_row(const char *h, int k)
{
    const char *row = h;
    for (int i = 0; row && i <= k; i++) {
        row = strstr(row, "\n<tr>");
        if (row && i < k)
            row++;
    }
    return row;
}

static void rows_are_in_the_order_of_the_embedded_processes(void)
{
    struct fixture f;
    fixture_open(&f, NULL);
    const char *page = f.html ? f.html : "";
    /* The tree's section (the page's script names rows too). */
    const char *start = strstr(page, "<section id=\"tree\">");
    const char *end = start ? strstr(start, "</section>") : NULL;
    char *h = end ? str_ndup(start, (size_t)(end - start)) : str_dup("");
    /* A row is "<tr>" and plain cells, nothing that numbers it: its place is its number. */
    CHECK_INT(count(h, "\n<tr>"), 4);
    CHECK_INT(count(h, "<td class"), 0);
    CHECK_INT(count(h, "data-p"), 0);
    const char *row = nth_row(h, 1);
    const char *next = nth_row(h, 2);
    const char *comm = row ? strstr(row, "<td>&lt;/script&gt;") : NULL;
    CHECK(comm != NULL && next != NULL && comm < next);
    /* The rows are in a <noscript> (the script builds them from its text), one per line, and
     * nothing a probe said can end that element. */
    const char *table = strstr(h, "<div class=\"rows\" data-n=\"4\" ");
    const char *raw = table ? strstr(table, "<noscript>\n<table class=\"procs\">") : NULL;
    CHECK(raw != NULL && raw < nth_row(h, 0));
    CHECK(raw && strstr(raw, "</noscript>") > nth_row(h, 3));
    CHECK_INT(count(h, "</noscript>"), 1);
    free(h);
    fixture_close(&f);
}

static void csp_allows_only_the_pages_script(void)
{
    struct fixture f;
    fixture_open(&f, NULL);
    const char *h = f.html ? f.html : "";
    const char *csp =
        strstr(h, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                  "style-src 'unsafe-inline'; script-src 'sha256-");
    CHECK(csp != NULL);
    CHECK(strstr(h, "script-src 'unsafe-inline'") == NULL);
    CHECK(csp && csp < strstr(h, "<style>"));
    /* Nothing that could load from anywhere else. */
    CHECK(strstr(h, "http://") == NULL && strstr(h, "https://") == NULL &&
          strstr(h, "<link") == NULL && strstr(h, "url(") == NULL && strstr(h, "@import") == NULL);
    fixture_close(&f);
}

static void placeholder_and_skipped_view_are_marked(void)
{
    struct fixture f;
    fixture_open(&f, NULL);
    const char *h = f.html ? f.html : "";
    CHECK(strstr(h, "\" class=\"ns k-unknown placeholder\" open data-ns=\"unknown:1\"><summary>"
                    "<span class=\"kind\">not visible</span>") != NULL);
    CHECK(strstr(h, "<th class=\"p\" title=\"") != NULL &&
          strstr(h, "\">not visible</th>") != NULL);
    CHECK(strstr(h, "<span class=\"badge st-skipped\">skipped</span>") != NULL);
    CHECK(strstr(h, "1 collected, 0 failed, 1 skipped") != NULL);
    CHECK(strstr(h, "Not checked in this report") != NULL);
    fixture_close(&f);
}

static void doctor_sections_are_rendered_and_escaped(void)
{
    const struct html_finding findings[] = {
        {"error", "Ubuntu", "GUI apps are <off>", "set guiApplications=true & restart"},
        {"ok", NULL, "fine", NULL},
    };
    const struct html_section sections[] = {
        {"GUI apps per distro", "One verdict per distro.", findings, 2},
        {".wslconfig", NULL, NULL, 0},
    };
    const struct html_extras extras = {sections, 2, "wslns-doctor",
                                       "{\"schema\":\"wslns-doctor/1\",\"x\":\"</script>\"}"};
    struct fixture f;
    fixture_open(&f, &extras);
    const char *h = f.html ? f.html : "";
    CHECK(strstr(h, "<h3>GUI apps per distro</h3>\n<p>One verdict per distro.</p>") != NULL);
    CHECK(has(h, "<li><span class=\"badge sev-error\">error</span> <strong>Ubuntu</strong>: "
                 "GUI apps are &lt;off&gt;"
                 "<span class=\"fix\">Fix: set guiApplications=true &amp; restart</span></li>"));
    CHECK(strstr(h, "<h3>.wslconfig</h3>\n<p class=\"empty\">Nothing to report.</p>") != NULL);
    CHECK(strstr(h, "Not checked in this report") == NULL);
    char *doctor = embedded(h, "wslns-doctor");
    CHECK_STR(doctor, "{\"schema\":\"wslns-doctor/1\",\"x\":\"\\u003c/script\\u003e\"}");
    free(doctor);
    fixture_close(&f);
}

static void file_is_written_and_dash_refused(void)
{
    struct fixture f;
    fixture_open(&f, NULL);
    char dir[] = "/tmp/wslns-html-test.XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char *path = str_printf("%s/report.html", dir);
    char *error = f.model ? render_html_file(path, f.model, &f.sources, NULL) : str_dup("no model");
    CHECK(error == NULL);
    free(error);
    char *data = NULL;
    size_t len = 0;
    error = plat_read_file(path, 1u << 24, &data, &len, NULL);
    CHECK(error == NULL);
    CHECK(data && strncmp(data, "<!DOCTYPE html>\n", 16) == 0 &&
          strstr(data, "</html>\n") == data + len - 8);
    CHECK(data && strstr(data, "<dt>Generated</dt><dd>2") != NULL);
    free(error);
    free(data);
    remove(path);
    remove(dir);
    free(path);
    error = f.model ? render_html_file("-", f.model, &f.sources, NULL) : NULL;
    CHECK(error && strstr(error, "give --html a file name") != NULL);
    free(error);
    fixture_close(&f);
}

/* The VM root, a distro with a hostile name and a container in it sharing its ipc: the
 * isolation line under each namespace and the table name the owner, escaped. */
static const char TYPES_DOC[] =
    "{\"schema\":\"wslns-probe/1\",\"kernel\":{\"release\":\"6.6\",\"boot_id\":\"b00t\"},"
    "\"self\":{\"pid\":99,\"nspid\":[99],\"pidns\":4026531836},\"context\":{\"distro\":null},"
    "\"namespaces\":["
    "{\"inode\":4026531836,\"parent\":null,\"parent_visible\":true,\"ns\":{\"mnt\":1,"
    "\"uts\":2,\"ipc\":3,\"net\":4,\"user\":5,\"cgroup\":6,\"time\":7}},"
    "{\"inode\":4026532200,\"parent\":4026531836,\"parent_visible\":true,\"ns\":{\"mnt\":11,"
    "\"uts\":12,\"ipc\":13,\"net\":4,\"user\":5,\"cgroup\":6,\"time\":7}},"
    "{\"inode\":4026532300,\"parent\":4026532200,\"parent_visible\":true,\"ns\":{\"mnt\":21,"
    "\"uts\":22,\"ipc\":13,\"net\":24,\"user\":5,\"cgroup\":6,\"time\":null}}],"
    "\"processes\":["
    "{\"pid\":1,\"nspid\":[1],\"ppid\":0,\"pidns\":4026531836,\"uid\":0,"
    " \"comm\":\"mini_init\",\"cmdline\":[\"/init\"],\"starttime\":1},"
    "{\"pid\":2,\"nspid\":[2,1],\"ppid\":1,\"pidns\":4026532200,\"uid\":0,"
    " \"comm\":\"init(<b>x)\",\"cmdline\":[\"/init\"],\"starttime\":2},"
    "{\"pid\":3,\"nspid\":[3,2,1],\"ppid\":2,\"pidns\":4026532300,\"uid\":0,"
    " \"comm\":\"nginx\",\"cmdline\":[\"nginx\"],\"starttime\":3}],"
    "\"errors\":[]}";

static void isolation_line_and_table_name_owners_escaped(void)
{
    struct source_list sources = {0};
    struct source *s = source_list_add(&sources, SOURCE_VM);
    s->output = str_dup(TYPES_DOC);
    s->output_len = strlen(TYPES_DOC);
    char *error = view_parse(s->output, s->output_len, &s->view);
    CHECK(s->view != NULL);
    free(error);
    struct model *m = NULL;
    m = model_build(&sources);
    struct html_page page = {"2026-01-02 03:04:05 UTC", "PC", NULL, NULL};
    char *html = m ? render_html(m, &sources, &page) : NULL;
    const char *h = html ? html : "";
    CHECK(has(h, "<p class=\"iso\">own: mnt uts ipc  shares: net user cgroup time with VM "
                 "root</p>"));
    CHECK(has(h, "<p class=\"iso\">own: mnt uts net  shares: ipc with distro &lt;b&gt;x, user "
                 "cgroup with VM root  unknown: time</p>"));
    CHECK(has(h, "<h2>Which levels share which namespace</h2>"));
    CHECK(has(h, "<td class=\"shared\" title=\"ipc:[13]\">distro &lt;b&gt;x</td>"));
    CHECK(has(h, "<td class=\"own\" title=\"net:[24]\">own</td>"));
    CHECK(has(h, "<td class=\"unknown\" title=\"no view could read it\">?</td>"));
    CHECK(!has(h, "<b>x"));
    free(html);
    model_free(m);
    source_list_free(&sources);
}

static const struct check_case cases[] = {
    {"isolation line and the sharing table name owners, escaped",
     isolation_line_and_table_name_owners_escaped},
    {"markup in process names, reasons and versions is shown as text", markup_in_names_is_text},
    {"attributes (pid column titles) are escaped", attributes_are_escaped},
    {"invalid UTF-8, tabs and bidi overrides are shown escaped",
     invalid_utf8_and_bidi_are_shown_escaped},
    {"the embedded report cannot end its script element and parses back exactly",
     embedded_json_cannot_end_its_element},
    {"rows are in the order of the embedded processes, and carry no number or class",
     rows_are_in_the_order_of_the_embedded_processes},
    {"the CSP allows no script but the page's own, and nothing loads from outside",
     csp_allows_only_the_pages_script},
    {"a placeholder is marked not visible and a skipped view says why",
     placeholder_and_skipped_view_are_marked},
    {"the doctor's sections and document are rendered and escaped",
     doctor_sections_are_rendered_and_escaped},
    {"render_html_file writes the page and refuses -", file_is_written_and_dash_refused},
};

int main(int argc, char **argv)
{
    return check_main(cases, CHECK_COUNT(cases), argc, argv);
}
