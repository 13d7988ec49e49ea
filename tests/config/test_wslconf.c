/* The config reader against sample files (tests/config/data, one per real-world shape)
 * and against the exact texts and line numbers WSL would produce. Every expectation was
 * worked out from WSL's parser rules (docs/config.md), not copied from the reader's output. */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "strbuf.h"
#include "utf8.h"
#include "config/wslconf.h"

#ifndef WSLNS_CONFIG_DATA
#error "WSLNS_CONFIG_DATA must name tests/config/data"
#endif

#define W WSLCONF_WSLCONFIG
#define L WSLCONF_WSL_CONF

struct sample {
    const char *file;
    enum wslconf_kind kind;
    bool gui;             /* the guiApplications value WSL uses */
    unsigned long line;   /* the line that decided it, 0 = absent (default) */
    const char *problems; /* "line:code ..." in file order */
};

/* The full name of an entry (wslconf_entry_name) is `expected`. */
#define CHECK_NAME(entry, expected)                                                                \
    do {                                                                                           \
        char *check_name_ = wslconf_entry_name(entry);                                             \
        CHECK_STR(check_name_, expected);                                                          \
        free(check_name_);                                                                         \
    } while (0)

static const struct sample samples[] = {
    {"wslconfig-empty.ini", W, true, 0, ""},
    {"wslconfig-only-comments.ini", W, true, 0, ""},
    {"wslconfig-basic-off.ini", W, false, 2, ""},
    {"wslconfig-basic-on.ini", W, true, 2, ""},
    {"wslconfig-numeric-zero.ini", W, false, 3, ""},
    {"wslconfig-upper-case.ini", W, false, 2, ""},
    {"wslconfig-indented.ini", W, false, 2, ""},
    {"wslconfig-key-above-sections.ini", W, true, 0, "1:config.unknown_key"},
    {"wslconfig-misspelled-section.ini", W, true, 0, "2:config.unknown_key"},
    {"wslconfig-general-section.ini", W, true, 0, "2:config.unknown_key"},
    {"wslconfig-wsl-conf-sections.ini", W, true, 0,
     "4:config.unknown_key 6:config.unknown_key 8:config.unknown_key"},
    {"wslconfig-system-distro-env.ini", W, false, 2,
     "3:config.expected_bracket 4:config.expected_equals"},
    {"wslconfig-key-below-broken-header.ini", W, true, 0,
     "2:config.expected_bracket 3:config.unknown_key"},
    {"wslconfig-invalid-bool-no.ini", W, true, 2, "2:config.invalid_boolean"},
    {"wslconfig-semicolon-after-value.ini", W, true, 2, "2:config.invalid_boolean"},
    {"wslconfig-hash-after-value.ini", W, false, 2, ""},
    {"wslconfig-semicolon-line.ini", W, false, 3, "1:config.invalid_key"},
    {"wslconfig-duplicate-first-wins.ini", W, true, 2, "3:config.duplicate_key"},
    {"wslconfig-duplicate-invalid-first.ini", W, true, 2,
     "2:config.invalid_boolean 3:config.duplicate_key"},
    {"wslconfig-quoted.ini", W, false, 2, ""},
    {"wslconfig-quoted-space.ini", W, true, 2, "2:config.invalid_boolean"},
    {"wslconfig-unterminated-quote.ini", W, true, 0, "2:config.expected_quote"},
    {"wslconfig-continuation.ini", W, false, 3, ""},
    {"wslconfig-windows-path-escape.ini", W, false, 3, "2:config.invalid_escape"},
    {"wslconfig-misspelled-key.ini", W, true, 0, "2:config.unknown_key"},
    {"wslconfig-misspelled-keys-transposed.ini", W, true, 0,
     "2:config.unknown_key 3:config.unknown_key"},
    {"wslconfig-crlf.ini", W, false, 3, ""},
    {"wslconfig-utf8-bom.ini", W, false, 2, ""},
    {"wslconfig-utf16le-bom.ini", W, false, 2, ""},
    {"wslconfig-utf16le-no-bom.ini", W, true, 0,
     "1:config.invalid_section 2:config.invalid_key 3:config.invalid_key"},
    {"wslconfig-japanese-comments.ini", W, false, 4, ""},
    {"wslconfig-japanese-value.ini", W, true, 2, "2:config.invalid_boolean"},
    {"wslconfig-fullwidth-false.ini", W, false, 2, ""},
    {"wslconfig-long-lines.ini", W, false, 4, ""},
    {"wslconfig-nul-bytes.ini", W, false, 2, "3:config.invalid_key"},
    {"wslconfig-invalid-utf8.ini", W, false, 3, ""},
    {"wslconfig-ctrl-z.ini", W, true, 2, ""},
    {"wslconfig-section-trailing-text.ini", W, true, 0,
     "1:config.expected_eol 2:config.unknown_key"},
    {"wslconfig-section-comment.ini", W, false, 2, ""},
    {"wslconfig-section-spaces-inside.ini", W, true, 0,
     "1:config.invalid_section 2:config.unknown_key"},
    {"wslconfig-safe-mode.ini", W, true, 3, ""},
    {"wslconfig-experimental-alias.ini", W, true, 0, "4:config.duplicate_key 5:config.unknown_key"},
    {"wslconfig-missing-equals.ini", W, true, 0,
     "2:config.expected_equals 3:config.expected_equals"},
    {"wslconfig-invalid-integer.ini", W, false, 3, "2:config.invalid_integer"},
    {"wslconfig-lone-cr.ini", W, false, 1, ""},
    {"wslconfig-real-world.ini", W, false, 9, ""},
    {"wsl-conf-empty.conf", L, true, 0, ""},
    {"wsl-conf-only-comments.conf", L, true, 0, ""},
    {"wsl-conf-basic-off.conf", L, false, 2, ""},
    {"wsl-conf-typical.conf", L, false, 8, ""},
    {"wsl-conf-invalid-header-stops.conf", L, true, 0,
     "3:config.expected_bracket 3:config.parsing_stopped"},
    {"wsl-conf-semicolon-stops.conf", L, true, 0, "1:config.invalid_key 1:config.parsing_stopped"},
    {"wsl-conf-utf8-bom.conf", L, true, 0,
     "1:config.bom_in_wsl_conf 1:config.invalid_key 1:config.parsing_stopped"},
    {"wsl-conf-crlf.conf", L, false, 2, ""},
    {"wsl-conf-wsl2-section.conf", L, true, 0, "2:config.unknown_key"},
    {"wsl-conf-invalid-bool-continues.conf", L, true, 2, "2:config.invalid_boolean"},
    {"wsl-conf-misspelled-key.conf", L, true, 0, "2:config.unknown_key"},
    {"wsl-conf-semicolon-after-value.conf", L, true, 2, "2:config.invalid_boolean"},
    {"wsl-conf-windows-path-stops.conf", L, true, 0,
     "3:config.invalid_escape 3:config.parsing_stopped"},
    {"wsl-conf-missing-equals-stops.conf", L, true, 0,
     "2:config.expected_equals 2:config.parsing_stopped"},
    {"wsl-conf-values-any-text.conf", L, false, 5, ""},
    {"wsl-conf-key-above-sections.conf", L, true, 0, "1:config.unknown_key"},
    {"wsl-conf-nul-line-stops.conf", L, true, 0, "2:config.invalid_key 2:config.parsing_stopped"},
    {"wsl-conf-invalid-utf8-value.conf", L, false, 4, ""},
    {"wsl-conf-japanese-comments.conf", L, false, 3, ""},
    {"wsl-conf-duplicate.conf", L, false, 2, "4:config.duplicate_key"},
    {"wsl-conf-utf16le-bom.conf", L, true, 0, "1:config.invalid_key 1:config.parsing_stopped"},
    {"wsl-conf-long-line.conf", L, false, 4, ""},
    {"wsl-conf-tabs.conf", L, false, 2, ""},
};

static char *read_sample(const char *name, size_t *len)
{
    char *path = str_printf("%s/%s", WSLNS_CONFIG_DATA, name);
    FILE *f = path ? fopen(path, "rb") : NULL;
    free(path);
    if (!f)
        return NULL;
    struct strbuf sb = STRBUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        strbuf_append(&sb, chunk, n);
    fclose(f);
    if (!sb.data)
        strbuf_puts(&sb, "");
    return strbuf_detach(&sb, len);
}

static char *problem_list(const struct wslconf_result *r)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, "");
    for (size_t i = 0; i < r->problem_nr; i++)
        strbuf_printf(&sb, "%s%lu:%s", i ? " " : "", r->problems[i].line, r->problems[i].code);
    return strbuf_detach(&sb, NULL);
}

static void every_sample_file_gives_the_expected_value_line_and_problems(void)
{
    CHECK(CHECK_COUNT(samples) >= 40);
    for (size_t i = 0; i < CHECK_COUNT(samples); i++) {
        const struct sample *s = &samples[i];
        size_t len = 0;
        char *data = read_sample(s->file, &len);
        CHECK(data != NULL);
        if (!data) {
            fprintf(stderr, "  cannot read %s\n", s->file);
            continue;
        }
        struct wslconf_input in = {.data = data,
                                   .len = len,
                                   .kind = s->kind,
                                   .display_path =
                                       s->kind == W ? "C:\\Users\\x\\.wslconfig" : "/etc/wsl.conf"};
        struct wslconf_result r;
        char *err = wslconf_parse(&in, &r);
        CHECK(err == NULL);
        free(err);
        const char *name = s->kind == W ? "wsl2.guiApplications" : "general.guiApplications";
        const struct wslconf_entry *e = wslconf_deciding_entry(&r, name);
        bool gui = e && e->valid ? e->bool_value : true;
        unsigned long line = e ? e->line : 0;
        char *problems = problem_list(&r);
        if (gui != s->gui || line != s->line || strcmp(problems, s->problems) != 0) {
            fprintf(stderr, "  %s: got %s line %lu [%s], expected %s line %lu [%s]\n", s->file,
                    gui ? "true" : "false", line, problems, s->gui ? "true" : "false", s->line,
                    s->problems);
            check_failures_in_case++;
        }
        for (size_t k = 0; k < r.problem_nr; k++)
            CHECK(r.problems[k].message && r.problems[k].message[0]);
        free(problems);
        wslconf_result_free(&r);
        free(data);
    }
}

static void every_file_in_the_data_folder_has_an_expectation(void)
{
    DIR *dir = opendir(WSLNS_CONFIG_DATA);
    CHECK(dir != NULL);
    if (!dir)
        return;
    struct dirent *d;
    size_t files = 0;
    while ((d = readdir(dir)) != NULL) {
        if (d->d_name[0] == '.')
            continue;
        files++;
        bool listed = false;
        for (size_t i = 0; i < CHECK_COUNT(samples); i++)
            listed = listed || strcmp(samples[i].file, d->d_name) == 0;
        if (!listed) {
            fprintf(stderr, "  %s has no row in the table\n", d->d_name);
            check_failures_in_case++;
        }
    }
    closedir(dir);
    CHECK_INT(files, CHECK_COUNT(samples));
}

/* ---- single behaviours, from strings ---- */

static struct wslconf_result parse_text(enum wslconf_kind kind, const char *text, size_t len)
{
    struct wslconf_input in = {.data = text,
                               .len = len,
                               .kind = kind,
                               .display_path =
                                   kind == W ? "C:\\Users\\x\\.wslconfig" : "/etc/wsl.conf"};
    struct wslconf_result r;
    char *err = wslconf_parse(&in, &r);
    CHECK(err == NULL);
    free(err);
    return r;
}

#define PARSE(kind, literal) parse_text(kind, literal, sizeof(literal) - 1)

static void warnings_have_wsl_s_exact_text(void)
{
    struct wslconf_result r = PARSE(W, "[ws12]\nguiApplications=false\n[wsl2]\nguiApplications="
                                       "false ; off\nGuiApplications=0\n[wsl2] x\nkernel=C:\\U\n"
                                       "x y\n[-]\nv=\"a\nprocessors=four\n");
    CHECK_INT(r.problem_nr, 9);
    if (r.problem_nr == 9) {
        CHECK_STR(r.problems[0].message,
                  "wsl: Unknown key 'ws12.guiApplications' in C:\\Users\\x\\.wslconfig:2");
        CHECK_STR(r.problems[1].message, "wsl: Invalid boolean value 'false ; off' for key "
                                         "'wsl2.guiApplications' in C:\\Users\\x\\.wslconfig:4");
        CHECK_STR(r.problems[2].message,
                  "wsl: Duplicated config key 'wsl2.GuiApplications' in C:\\Users\\x\\.wslconfig:5 "
                  "(Conflicting key: 'wsl2.guiApplications' in C:\\Users\\x\\.wslconfig:4)");
        CHECK_STR(r.problems[3].message,
                  "wsl: Expected ' ' or '\\n' in C:\\Users\\x\\.wslconfig:6");
        CHECK_STR(r.problems[4].message,
                  "wsl: Invalid escaped character: 'U' in C:\\Users\\x\\.wslconfig:7");
        CHECK_STR(r.problems[5].message, "wsl: Expected '=' in C:\\Users\\x\\.wslconfig:8");
        CHECK_STR(r.problems[6].message, "wsl: Invalid section name in C:\\Users\\x\\.wslconfig:9");
        CHECK_STR(r.problems[7].message, "wsl: Expected \" in C:\\Users\\x\\.wslconfig:10");
        CHECK_STR(r.problems[8].message, "wsl: Invalid integer value 'four' for key "
                                         "'wsl2.processors' in C:\\Users\\x\\.wslconfig:11");
    }
    wslconf_result_free(&r);

    r = PARSE(L, "[boot]\nsystemd=yes\n; x\n");
    CHECK_INT(r.problem_nr, 3);
    if (r.problem_nr == 3) {
        CHECK_STR(r.problems[0].message,
                  "wsl: Invalid boolean value 'yes' for key 'boot.systemd' in /etc/wsl.conf:2");
        CHECK_STR(r.problems[1].message, "wsl: Invalid key name in /etc/wsl.conf:3");
        CHECK(r.problems[1].from_wsl);
        CHECK(!r.problems[2].from_wsl);
    }
    wslconf_result_free(&r);
}

static void crlf_in_wsl_conf_makes_wsl_count_lines_twice(void)
{
    /* musl reads wsl.conf without text mode: after a key or header the CR ends the statement
     * and the LF is counted again as an empty line. */
    struct wslconf_result r = PARSE(L, "[general]\r\nguiApplications=maybe\r\n");
    CHECK_INT(r.entry_nr, 1);
    CHECK_INT(r.entries[0].line, 2);
    CHECK_INT(r.entries[0].wsl_line, 3);
    CHECK_INT(r.problems[0].line, 2);
    CHECK_STR(r.problems[0].message, "wsl: Invalid boolean value 'maybe' for key "
                                     "'general.guiApplications' in /etc/wsl.conf:3");
    wslconf_result_free(&r);
    /* .wslconfig is read in text mode: CR LF is one line break. */
    r = PARSE(W, "[wsl2]\r\nguiApplications=maybe\r\n");
    CHECK_INT(r.entries[0].wsl_line, 2);
    wslconf_result_free(&r);
}

static void a_continued_value_reports_its_last_line_to_wsl(void)
{
    struct wslconf_result r = PARSE(W, "[wsl2]\nkernelCommandLine=a\\tb \\\"c\\\" \\\\d\n"
                                       "guiApplications=fal\\\nse\nx=1\n");
    CHECK_INT(r.entry_nr, 3);
    CHECK_STR(r.entries[0].value, "a\tb \"c\" \\d");
    CHECK_STR(r.entries[1].value, "false");
    CHECK_INT(r.entries[1].line, 3);
    CHECK_INT(r.entries[1].wsl_line, 4);
    CHECK_INT(r.entries[2].line, 5);
    CHECK_INT(r.entries[2].wsl_line, 5);
    wslconf_result_free(&r);
}

static void values_lose_quotes_and_trailing_blanks_but_keep_quoted_blanks(void)
{
    struct wslconf_result r = PARSE(W, "[wsl2]\nkernel = \" a b \"  \nswapFile=x\"#y\"z # c\n"
                                       "vmSwitch=a\\bb\\nc\t \nsystemDistro=\"\"\n");
    CHECK_INT(r.entry_nr, 4);
    CHECK_STR(r.entries[0].value, " a b ");
    CHECK_STR(r.entries[1].value, "x#yz");
    CHECK_STR(r.entries[2].value, "a\bb\nc");
    CHECK_STR(r.entries[3].value, "");
    CHECK_INT(r.problem_nr, 0);
    wslconf_result_free(&r);
}

static void an_escaped_hash_is_an_invalid_escape(void)
{
    struct wslconf_result r = PARSE(W, "[wsl2]\nkernelCommandLine=a\\#b\n");
    CHECK_INT(r.entry_nr, 0);
    CHECK_INT(r.problem_nr, 1);
    CHECK_STR(r.problems[0].code, WSLCONF_P_INVALID_ESCAPE);
    wslconf_result_free(&r);
}

static void a_key_below_a_broken_header_gets_a_prefix_cut_from_it(void)
{
    /* WSL's key buffer holds "system" after the failed header while the section length is
     * still 4 (from "wsl2"): the key becomes "syst.guiApplications". */
    struct wslconf_result r = PARSE(W, "[wsl2]\n[system-distro-env]\nguiApplications=false\n");
    CHECK_INT(r.entry_nr, 1);
    CHECK_NAME(&r.entries[0], "syst.guiApplications");
    CHECK_STR(r.entries[0].section, "syst");
    CHECK_STR(r.entries[0].key, "guiApplications");
    CHECK(!r.entries[0].header_valid);
    CHECK_INT(r.entries[0].header_line, 2);
    CHECK_INT(r.entries[0].status, WSLCONF_UNKNOWN);
    wslconf_result_free(&r);
    /* A shorter broken name leaves NULs in the prefix: WSL's name ends at the first one. */
    r = PARSE(W, "[experimental]\n[ab-c]\nsparseVhd=true\n");
    CHECK_NAME(&r.entries[0], "ab");
    CHECK_STR(r.problems[1].message, "wsl: Unknown key 'ab' in C:\\Users\\x\\.wslconfig:3");
    wslconf_result_free(&r);
}

static void wslconfig_values_keep_only_the_low_byte_of_each_utf16_unit(void)
{
    /* WSL stores static_cast<char>(wchar_t): い (U+3044) becomes 'D', ｆ (U+FF46) 'F'. */
    struct wslconf_result r = PARSE(W, "[wsl2]\nguiApplications=いいえ\nkernel=ｆａｌｓｅ\n");
    CHECK_STR(r.entries[0].value, "DDH");
    CHECK_STR(r.entries[1].value, "FALSE");
    wslconf_result_free(&r);
    /* wsl.conf keeps the bytes as they are. */
    r = PARSE(L, "[user]\ndefault=いいえ\n");
    CHECK_STR(r.entries[0].value, "いいえ");
    wslconf_result_free(&r);
}

static void a_nul_ends_the_value_wsl_sees(void)
{
    static const char text[] = "[wsl2]\nguiApplications=fa\0lse\n";
    struct wslconf_result r = parse_text(W, text, sizeof(text) - 1);
    CHECK_INT(r.entry_nr, 1);
    CHECK_STR(r.entries[0].value, "fa");
    CHECK_INT(r.entries[0].status, WSLCONF_INVALID_VALUE);
    wslconf_result_free(&r);
}

static void wsl_conf_lines_after_the_stop_are_parsed_but_marked(void)
{
    struct wslconf_result r = PARSE(L, "[boot]\nsystemd=true\n[system-distro-env]\n[general]\n"
                                       "guiApplications=false\nbad line\nguiApplications=true\n");
    CHECK_INT(r.stopped_line, 3);
    CHECK_INT(r.entry_nr, 3);
    CHECK_INT(r.entries[0].status, WSLCONF_APPLIED);
    CHECK_INT(r.entries[1].status, WSLCONF_AFTER_STOP);
    CHECK_NAME(&r.entries[1], "general.guiApplications");
    CHECK_INT(r.entries[2].status, WSLCONF_AFTER_STOP);
    CHECK(wslconf_deciding_entry(&r, "general.guiApplications") == NULL);
    /* WSL prints nothing for what it never read: only the stop itself is reported. */
    CHECK_INT(r.problem_nr, 2);
    wslconf_result_free(&r);
}

static void the_same_text_is_skipped_in_wslconfig_but_stops_wsl_conf(void)
{
    struct wslconf_result w = PARSE(W, "[a-b]\n[general]\ninstanceIdleTimeout=5\n");
    struct wslconf_result l = PARSE(L, "[a-b]\n[general]\nguiApplications=false\n");
    CHECK_INT(w.stopped_line, 0);
    CHECK_INT(w.entries[0].status, WSLCONF_APPLIED);
    CHECK_INT(l.stopped_line, 1);
    CHECK_INT(l.entries[0].status, WSLCONF_AFTER_STOP);
    wslconf_result_free(&w);
    wslconf_result_free(&l);
}

static void integers_follow_strtol_and_the_platform_s_long(void)
{
    struct wslconf_result r = PARSE(W, "[wsl2]\nprocessors=0x10\nkernelDebugPort=99999999999\n"
                                       "vmIdleTimeout=\nmountDeviceTimeout=12ms\n");
    CHECK_INT(r.entries[0].status, WSLCONF_APPLIED);
    CHECK_INT(r.entries[1].status, WSLCONF_APPLIED); /* 32-bit strtol saturates on Windows */
    CHECK_INT(r.entries[2].status, WSLCONF_INVALID_VALUE);
    CHECK_INT(r.entries[3].status, WSLCONF_INVALID_VALUE);
    wslconf_result_free(&r);
    r = PARSE(L, "[filesystem]\numask=99999999999\n[boot]\ninitTimeout=010\n");
    CHECK_INT(r.entries[0].status, WSLCONF_INVALID_VALUE); /* 64-bit long, then the int check */
    CHECK_INT(r.entries[1].status, WSLCONF_APPLIED);
    wslconf_result_free(&r);
}

static void an_alias_counts_as_a_duplicate(void)
{
    struct wslconf_result r =
        PARSE(W, "[experimental]\ndnsTunneling=true\n[wsl2]\nDNSTUNNELING=x\n");
    CHECK_INT(r.entries[1].status, WSLCONF_DUPLICATE);
    CHECK_INT(r.entries[1].first_line, 2);
    wslconf_result_free(&r);
}

static void booleans_are_one_zero_true_false_in_any_case_only(void)
{
    static const char *const good[] = {"1", "0", "true", "FALSE", "True", "fAlSe"};
    static const char *const bad[] = {"yes", "no", "on",    "off",   "t",
                                      "f",   "2",  "true1", " true", ""};
    bool b;
    for (size_t i = 0; i < CHECK_COUNT(good); i++)
        CHECK(wslconf_parse_bool(good[i], &b));
    for (size_t i = 0; i < CHECK_COUNT(bad); i++)
        CHECK(!wslconf_parse_bool(bad[i], &b));
}

static void a_caller_s_key_table_decides_what_is_unknown(void)
{
    /* mini_init's own early read knows only these two keys. */
    static const struct wslconf_key mini_init_keys[] = {
        {"boot.systemd", NULL, WSLCONF_BOOL},
        {"general.guiApplications", NULL, WSLCONF_BOOL},
    };
    static const char text[] = "[automount]\nroot=/\n[general]\nguiApplications=false\n";
    struct wslconf_input in = {.data = text,
                               .len = sizeof(text) - 1,
                               .kind = L,
                               .display_path = "/etc/wsl.conf",
                               .keys = mini_init_keys,
                               .key_count = 2};
    struct wslconf_result r;
    char *err = wslconf_parse(&in, &r);
    CHECK(err == NULL);
    CHECK_INT(r.entries[0].status, WSLCONF_UNKNOWN);
    CHECK_INT(r.entries[1].status, WSLCONF_APPLIED);
    CHECK(r.entries[1].known == &mini_init_keys[1]);
    wslconf_result_free(&r);
}

static void bad_arguments_are_an_error_value_and_free_is_idempotent(void)
{
    struct wslconf_input in = {.data = "x", .len = 1, .kind = W, .display_path = NULL};
    struct wslconf_result r;
    char *err = wslconf_parse(&in, &r);
    CHECK(err != NULL);
    CHECK_INT(r.entry_nr, 0);
    free(err);
    wslconf_result_free(&r);
    wslconf_result_free(&r);
    r = PARSE(W, "[wsl2]\nswap=0\n");
    wslconf_result_free(&r);
    wslconf_result_free(&r);
    CHECK(r.entries == NULL);
}

static void every_result_string_is_valid_utf8(void)
{
    static const char text[] =
        "[wsl2]\nkernel=\xff\xc3\x28\nx\xff=1\n[general]\nguiApplications=\x80\n";
    struct wslconf_result r = parse_text(L, text, sizeof(text) - 1);
    CHECK(r.entry_nr >= 1);
    for (size_t i = 0; i < r.entry_nr; i++) {
        const struct wslconf_entry *e = &r.entries[i];
        CHECK(utf8_is_valid(e->value, strlen(e->value)));
        char *name = wslconf_entry_name(e);
        CHECK(name && utf8_is_valid(name, strlen(name)));
        free(name);
    }
    for (size_t i = 0; i < r.problem_nr; i++)
        CHECK(utf8_is_valid(r.problems[i].message, strlen(r.problems[i].message)));
    wslconf_result_free(&r);
    r = parse_text(W, text, sizeof(text) - 1);
    CHECK(r.entry_nr >= 1);
    for (size_t i = 0; i < r.entry_nr; i++)
        CHECK(utf8_is_valid(r.entries[i].value, strlen(r.entries[i].value)));
    for (size_t i = 0; i < r.problem_nr; i++)
        CHECK(utf8_is_valid(r.problems[i].message, strlen(r.problems[i].message)));
    wslconf_result_free(&r);
}

/* A 64 KiB /etc/wsl.conf: one 32 KiB section name above 8,000 unknown keys. Before, each key
 * and each warning held its own copy of the name (1.5 GB, 260 MB printed). */
static void a_huge_section_name_is_stored_once_and_quoted_cut(void)
{
    struct strbuf text = STRBUF_INIT;
    strbuf_putc(&text, '[');
    for (int i = 0; i < 32 * 1024; i++)
        strbuf_putc(&text, 'a');
    strbuf_puts(&text, "]\n");
    for (int i = 0; i < 8000; i++)
        strbuf_printf(&text, "k%d=1\n", i);
    struct wslconf_result r = parse_text(L, text.data, text.len);
    strbuf_release(&text);
    CHECK_INT(r.entry_nr, 8000);
    CHECK_INT(r.section_nr, 1);
    size_t shared = 0;
    for (size_t i = 0; i < r.entry_nr; i++)
        shared += r.entries[i].section == r.entries[0].section;
    CHECK_INT(shared, 8000);
    CHECK_INT(r.entries[0].section_len, 32 * 1024);
    /* 20 warnings word for word, then one line with the count of the rest. */
    CHECK_INT(r.problem_nr, WSLCONF_MAX_PER_CODE + 1);
    size_t cut = 0;
    for (size_t i = 0; i + 1 < r.problem_nr; i++) {
        const char *m = r.problems[i].message;
        CHECK(strlen(m) < WSLCONF_QUOTE_MAX + 64);
        CHECK_STR(r.problems[i].code, WSLCONF_P_UNKNOWN_KEY);
        cut += strstr(m, "aaa\xE2\x80\xA6' in /etc/wsl.conf:") != NULL;
    }
    CHECK_INT(cut, WSLCONF_MAX_PER_CODE);
    const struct wslconf_problem *last = &r.problems[r.problem_nr - 1];
    CHECK_STR(last->code, WSLCONF_P_UNKNOWN_KEY);
    CHECK_STR(last->message, "... and 7980 more 'Unknown key' warnings");
    CHECK(!last->from_wsl);
    CHECK_INT(last->line, 2 + WSLCONF_MAX_PER_CODE);
    /* The full name is still there for who asks for it. */
    char *name = wslconf_entry_name(&r.entries[7999]);
    CHECK(name && strlen(name) == 32 * 1024 + strlen(".k7999"));
    free(name);
    wslconf_result_free(&r);
}

static void a_long_value_is_quoted_cut_on_a_character_boundary(void)
{
    /* 200 two-byte characters (400 bytes): the quote stops before byte 256, not inside é. */
    struct strbuf text = STRBUF_INIT;
    strbuf_puts(&text, "[boot]\nsystemd=x");
    for (int i = 0; i < 200; i++)
        strbuf_puts(&text, "\xC3\xA9");
    strbuf_putc(&text, '\n');
    struct wslconf_result r = parse_text(L, text.data, text.len);
    strbuf_release(&text);
    CHECK_INT(r.problem_nr, 1);
    if (r.problem_nr) {
        const char *m = r.problems[0].message;
        CHECK(utf8_is_valid(m, strlen(m)));
        /* "x" + 127 é = 255 bytes, then the ellipsis. */
        struct strbuf want = STRBUF_INIT;
        strbuf_puts(&want, "wsl: Invalid boolean value 'x");
        for (int i = 0; i < 127; i++)
            strbuf_puts(&want, "\xC3\xA9");
        strbuf_puts(&want, "\xE2\x80\xA6' for key 'boot.systemd' in /etc/wsl.conf:2");
        CHECK_STR(m, want.data);
        strbuf_release(&want);
    }
    char *q = wslconf_quote("short");
    CHECK_STR(q, "short");
    free(q);
    wslconf_result_free(&r);
}

static void wslconfig_warnings_are_capped_per_code_too(void)
{
    /* .wslconfig skips invalid lines, so each one warns: 5,000 of them. */
    struct strbuf text = STRBUF_INIT;
    strbuf_puts(&text, "[wsl2]\n");
    for (int i = 0; i < 5000; i++)
        strbuf_puts(&text, "!\n");
    struct wslconf_result r = parse_text(W, text.data, text.len);
    strbuf_release(&text);
    CHECK_INT(r.problem_nr, WSLCONF_MAX_PER_CODE + 1);
    if (r.problem_nr == WSLCONF_MAX_PER_CODE + 1)
        CHECK_STR(r.problems[WSLCONF_MAX_PER_CODE].message,
                  "... and 4980 more 'Invalid key name' warnings");
    wslconf_result_free(&r);
}

static const struct check_case cases[] = {
    {"reader: every sample file gives the expected value, line and problems",
     every_sample_file_gives_the_expected_value_line_and_problems},
    {"reader: every file in the data folder has an expectation",
     every_file_in_the_data_folder_has_an_expectation},
    {"reader: warnings have WSL's exact text", warnings_have_wsl_s_exact_text},
    {"reader: CRLF in wsl.conf makes WSL count lines twice",
     crlf_in_wsl_conf_makes_wsl_count_lines_twice},
    {"reader: a continued value reports its last line to WSL",
     a_continued_value_reports_its_last_line_to_wsl},
    {"reader: values lose quotes and trailing blanks but keep quoted blanks",
     values_lose_quotes_and_trailing_blanks_but_keep_quoted_blanks},
    {"reader: an escaped # is an invalid escape", an_escaped_hash_is_an_invalid_escape},
    {"reader: a key below a broken header gets a prefix cut from it",
     a_key_below_a_broken_header_gets_a_prefix_cut_from_it},
    {"reader: .wslconfig values keep only the low byte of each UTF-16 unit",
     wslconfig_values_keep_only_the_low_byte_of_each_utf16_unit},
    {"reader: a NUL ends the value WSL sees", a_nul_ends_the_value_wsl_sees},
    {"reader: wsl.conf lines after the stop are parsed but marked",
     wsl_conf_lines_after_the_stop_are_parsed_but_marked},
    {"reader: the same text is skipped in .wslconfig but stops wsl.conf",
     the_same_text_is_skipped_in_wslconfig_but_stops_wsl_conf},
    {"reader: integers follow strtol and the platform's long",
     integers_follow_strtol_and_the_platform_s_long},
    {"reader: an alias counts as a duplicate", an_alias_counts_as_a_duplicate},
    {"reader: booleans are 1 0 true false in any case only",
     booleans_are_one_zero_true_false_in_any_case_only},
    {"reader: a caller's key table decides what is unknown",
     a_caller_s_key_table_decides_what_is_unknown},
    {"reader: bad arguments are an error value and free is idempotent",
     bad_arguments_are_an_error_value_and_free_is_idempotent},
    {"reader: every result string is valid UTF-8", every_result_string_is_valid_utf8},
    {"reader: a huge section name is stored once and quoted cut",
     a_huge_section_name_is_stored_once_and_quoted_cut},
    {"reader: a long value is quoted cut on a character boundary",
     a_long_value_is_quoted_cut_on_a_character_boundary},
    {"reader: .wslconfig warnings are capped per code too",
     wslconfig_warnings_are_capped_per_code_too},
};

int main(int argc, char **argv)
{
    return check_main(cases, CHECK_COUNT(cases), argc, argv);
}
