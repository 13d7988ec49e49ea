/* The effective GUI-apps state per distro and each cause the doctor explains: off by
 * .wslconfig, by safe mode, by a distro's wsl.conf, and every way a guiApplications line can
 * end up doing nothing. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "config/gui_state.h"
#include "strbuf.h"

#define WSLCONFIG_PATH "C:\\Users\\x\\.wslconfig"

struct fixture {
    struct wslconf_result wslconfig, conf[2];
    struct gui_distro_config distros[2];
    struct gui_config_input in;
    struct gui_state state;
};

static void parse_into(struct wslconf_result *r, enum wslconf_kind kind, const char *text)
{
    struct wslconf_input in = {.data = text,
                               .len = strlen(text),
                               .kind = kind,
                               .display_path =
                                   kind == WSLCONF_WSLCONFIG ? WSLCONFIG_PATH : "/etc/wsl.conf"};
    char *err = wslconf_parse(&in, r);
    CHECK(err == NULL);
    free(err);
}

/* wslconfig NULL: no .wslconfig. Ubuntu gets conf_ubuntu (NULL: no wsl.conf); Debian has none. */
static void evaluate(struct fixture *f, const char *wslconfig, const char *conf_ubuntu)
{
    memset(f, 0, sizeof(*f));
    if (wslconfig)
        parse_into(&f->wslconfig, WSLCONF_WSLCONFIG, wslconfig);
    if (conf_ubuntu)
        parse_into(&f->conf[0], WSLCONF_WSL_CONF, conf_ubuntu);
    f->distros[0] = (struct gui_distro_config){"Ubuntu", conf_ubuntu ? &f->conf[0] : NULL};
    f->distros[1] = (struct gui_distro_config){"Debian", NULL};
    f->in = (struct gui_config_input){wslconfig ? &f->wslconfig : NULL, f->distros, 2};
    char *err = gui_state_evaluate(&f->in, &f->state);
    CHECK(err == NULL);
    free(err);
}

static void release(struct fixture *f)
{
    gui_state_free(&f->state);
    wslconf_result_free(&f->wslconfig);
    wslconf_result_free(&f->conf[0]);
}

static const struct finding *finding(const struct fixture *f, const char *code)
{
    for (size_t i = 0; i < f->state.findings.nr; i++)
        if (strcmp(f->state.findings.items[i].code, code) == 0)
            return &f->state.findings.items[i];
    fprintf(stderr, "  no finding %s among %zu:\n", code, f->state.findings.nr);
    for (size_t i = 0; i < f->state.findings.nr; i++)
        fprintf(stderr, "    %s: %s\n", f->state.findings.items[i].code,
                f->state.findings.items[i].message);
    return NULL;
}

#define CHECK_FINDING(f, code, sev, ln, fixtext)                                                   \
    do {                                                                                           \
        const struct finding *fd_ = finding(f, code);                                              \
        CHECK(fd_ != NULL);                                                                        \
        if (fd_) {                                                                                 \
            CHECK_STR(severity_name(fd_->severity), sev);                                          \
            CHECK_INT(fd_->line, ln);                                                              \
            if (fixtext)                                                                           \
                CHECK_STR(fd_->fix, fixtext);                                                      \
        }                                                                                          \
    } while (0)

static void on_by_default_without_any_file(void)
{
    struct fixture f;
    evaluate(&f, NULL, NULL);
    CHECK(f.state.global_on);
    CHECK_INT(f.state.global_cause, GUI_CAUSE_DEFAULT);
    CHECK_INT(f.state.wslconfig_line, 0);
    CHECK_INT(f.state.distro_count, 2);
    CHECK(f.state.distros[0].on);
    CHECK_STR(f.state.distros[0].cause_text, "on (default: no setting turns GUI apps off)");
    CHECK(f.state.distros[0].fix == NULL);
    CHECK(!f.state.distros[0].wsl_conf_known);
    CHECK_INT(f.state.findings.nr, 0);
    release(&f);
}

static void off_by_wslconfig_for_every_distro(void)
{
    struct fixture f;
    evaluate(&f, "# mine\n[wsl2]\nmemory=4GB\nguiApplications=false\n", "[boot]\nsystemd=true\n");
    CHECK(!f.state.global_on);
    CHECK_INT(f.state.wslconfig_line, 4);
    for (size_t i = 0; i < 2; i++) {
        CHECK(!f.state.distros[i].on);
        CHECK_INT(f.state.distros[i].cause, GUI_CAUSE_WSLCONFIG_OFF);
        CHECK_STR(f.state.distros[i].cause_text,
                  "off by " WSLCONFIG_PATH " line 4 ([wsl2] guiApplications=false)");
        CHECK_STR(f.state.distros[i].fix, "in " WSLCONFIG_PATH " line 4 write "
                                          "`guiApplications=true` under `[wsl2]`, then run "
                                          "`wsl --shutdown`");
    }
    CHECK_FINDING(&f, GUI_F_OFF_BY_WSLCONFIG, "info", 4, NULL);
    CHECK_INT(f.state.findings.nr, 1);
    release(&f);
}

static void off_by_wsl_conf_for_one_distro(void)
{
    struct fixture f;
    evaluate(&f, "[wsl2]\nguiApplications=true\n",
             "[boot]\nsystemd=true\n[general]\nguiApplications=0\n");
    CHECK(f.state.global_on);
    CHECK(!f.state.distros[0].on);
    CHECK_INT(f.state.distros[0].cause, GUI_CAUSE_WSL_CONF_OFF);
    CHECK_STR(gui_cause_name(f.state.distros[0].cause), "wsl_conf_off");
    CHECK_STR(gui_cause_name(f.state.distros[1].cause), "wslconfig_on");
    CHECK_STR(f.state.distros[0].cause_text,
              "off by /etc/wsl.conf line 4 of distro Ubuntu ([general] guiApplications=false)");
    CHECK_STR(f.state.distros[0].fix, "in /etc/wsl.conf of distro Ubuntu line 4 write "
                                      "`guiApplications=true` under `[general]`, then run "
                                      "`wsl --terminate Ubuntu`");
    CHECK(f.state.distros[0].wsl_conf_known);
    CHECK(!f.state.distros[0].wsl_conf_value);
    CHECK_INT(f.state.distros[0].wsl_conf_line, 4);
    CHECK(f.state.distros[1].on);
    CHECK_INT(f.state.distros[1].cause, GUI_CAUSE_WSLCONFIG_ON);
    CHECK_FINDING(&f, GUI_F_OFF_BY_WSL_CONF, "info", 4, NULL);
    CHECK_STR(f.state.findings.items[0].distro, "Ubuntu");
    release(&f);
}

static void safe_mode_turns_gui_apps_off(void)
{
    struct fixture f;
    evaluate(&f, "[wsl2]\nsafeMode=true\nguiApplications=true\n", NULL);
    CHECK(f.state.safe_mode);
    CHECK(f.state.wslconfig_value);
    CHECK(!f.state.global_on);
    CHECK_INT(f.state.distros[0].cause, GUI_CAUSE_SAFE_MODE);
    CHECK_STR(gui_cause_name(f.state.distros[0].cause), "safe_mode");
    CHECK_STR(f.state.distros[0].cause_text,
              "off by safe mode (" WSLCONFIG_PATH " line 2: [wsl2] safeMode=true)");
    CHECK_FINDING(&f, GUI_F_OFF_BY_SAFE_MODE, "warning", 2,
                  "in " WSLCONFIG_PATH " line 2 write `safeMode=false` under `[wsl2]`, then run "
                  "`wsl --shutdown`");
    release(&f);
}

static void a_key_above_every_section_does_nothing(void)
{
    struct fixture f;
    evaluate(&f, "guiApplications=false\n[wsl2]\nmemory=4GB\n", NULL);
    CHECK(f.state.global_on);
    CHECK_INT(f.state.wslconfig_line, 0);
    CHECK_FINDING(&f, GUI_F_KEY_ABOVE_SECTIONS, "warning", 1,
                  "in " WSLCONFIG_PATH " line 1 write `guiApplications=false` under `[wsl2]`, "
                  "then run `wsl --shutdown`");
    release(&f);
    evaluate(&f, NULL, "guiApplications=false\n[general]\n");
    CHECK(f.state.distros[0].on);
    CHECK_FINDING(&f, GUI_F_KEY_ABOVE_SECTIONS, "warning", 1,
                  "in /etc/wsl.conf of distro Ubuntu line 1 write `guiApplications=false` under "
                  "`[general]`, then run `wsl --terminate Ubuntu`");
    release(&f);
}

static void a_misspelled_section_does_nothing(void)
{
    struct fixture f;
    evaluate(&f, "[ws12]\nguiApplications=false\n", NULL);
    CHECK(f.state.global_on);
    CHECK_FINDING(&f, GUI_F_MISSPELLED_SECTION, "warning", 2, NULL);
    release(&f);
    evaluate(&f, "[boot]\nguiApplications=false\n", NULL);
    CHECK_FINDING(&f, GUI_F_WRONG_SECTION, "warning", 2, NULL);
    release(&f);
}

static void a_key_after_the_line_that_stopped_wsl_conf_does_nothing(void)
{
    struct fixture f;
    evaluate(&f, NULL,
             "[boot]\nsystemd=true\n[system-distro-env]\n[general]\nguiApplications=false\n");
    CHECK(f.state.distros[0].on);
    CHECK(f.state.distros[0].wsl_conf_value);
    CHECK_INT(f.state.distros[0].wsl_conf_line, 0);
    CHECK_FINDING(&f, GUI_F_AFTER_PARSING_STOPPED, "warning", 5,
                  "in /etc/wsl.conf of distro Ubuntu fix line 3 or move line 5 above it, then "
                  "run `wsl --terminate Ubuntu`");
    const struct finding *fd = finding(&f, GUI_F_AFTER_PARSING_STOPPED);
    CHECK(fd && strstr(fd->message, "Expected ']'") != NULL);
    release(&f);
    /* A BOM at the start of wsl.conf stops it on line 1. */
    evaluate(&f, NULL, "\xEF\xBB\xBF[general]\nguiApplications=false\n");
    CHECK(f.state.distros[0].on);
    CHECK_FINDING(&f, GUI_F_AFTER_PARSING_STOPPED, "warning", 2, NULL);
    release(&f);
}

static void an_invalid_value_keeps_the_default(void)
{
    struct fixture f;
    evaluate(&f, "[wsl2]\nguiApplications=no\n", NULL);
    CHECK(f.state.global_on);
    CHECK_INT(f.state.wslconfig_line, 2);
    CHECK_FINDING(&f, GUI_F_INVALID_VALUE, "warning", 2,
                  "in " WSLCONFIG_PATH " line 2 write `guiApplications=false` under `[wsl2]`, "
                  "then run `wsl --shutdown`");
    release(&f);
    evaluate(&f, NULL, "[general]\nguiApplications=false ; off\n");
    CHECK(f.state.distros[0].on);
    CHECK_FINDING(&f, GUI_F_INVALID_VALUE, "warning", 2, NULL);
    const struct finding *fd = finding(&f, GUI_F_INVALID_VALUE);
    CHECK(fd && strstr(fd->message, "'false ; off'") != NULL);
    release(&f);
    /* A value meant as on is fixed to true, not false. */
    evaluate(&f, "[wsl2]\nguiApplications=yes\n", NULL);
    CHECK_FINDING(&f, GUI_F_INVALID_VALUE, "warning", 2,
                  "in " WSLCONFIG_PATH " line 2 write `guiApplications=true` under `[wsl2]`, "
                  "then run `wsl --shutdown`");
    release(&f);
}

static void a_duplicate_that_loses_is_reported_with_the_winning_line(void)
{
    struct fixture f;
    evaluate(&f, "[wsl2]\nguiApplications=true\nmemory=4GB\nguiApplications=false\n", NULL);
    CHECK(f.state.global_on);
    CHECK_FINDING(&f, GUI_F_DUPLICATE_IGNORED, "warning", 4,
                  "in " WSLCONFIG_PATH " line 2 write `guiApplications=false` and delete line 4, "
                  "then run `wsl --shutdown`");
    release(&f);
    /* The same value twice changes nothing: info only. */
    evaluate(&f, NULL, "[general]\nguiApplications=false\nguiApplications=false\n");
    CHECK_FINDING(&f, GUI_F_DUPLICATE_IGNORED, "info", 3, NULL);
    release(&f);
}

static void a_misspelled_key_is_recognised_within_two_edits(void)
{
    static const char *const typos[] = {"guiApplication", "guiAplications", "GuiApplicatoins",
                                        "guiApplicationss", "guiapplicaton"};
    for (size_t i = 0; i < CHECK_COUNT(typos); i++) {
        char text[128];
        snprintf(text, sizeof(text), "[wsl2]\n%s=false\n", typos[i]);
        struct fixture f;
        evaluate(&f, text, NULL);
        CHECK(f.state.global_on);
        CHECK_FINDING(&f, GUI_F_MISSPELLED_KEY, "warning", 2,
                      "in " WSLCONFIG_PATH " line 2 write `guiApplications=false` under `[wsl2]`, "
                      "then run `wsl --shutdown`");
        release(&f);
    }
    /* Keys further away, or keys WSL knows, are not typos of guiApplications. */
    struct fixture f;
    evaluate(&f, "[wsl2]\nguiApps=false\ngpuSupport=false\nnestedVirtualization=false\n", NULL);
    CHECK_INT(f.state.findings.nr, 0);
    release(&f);
}

static void a_section_from_the_other_file_does_nothing(void)
{
    struct fixture f;
    evaluate(&f, "[general]\nguiApplications=false\n", "[wsl2]\nguiApplications=false\n");
    CHECK(f.state.global_on);
    CHECK(f.state.distros[0].on);
    CHECK_FINDING(&f, GUI_F_WSL_CONF_SECTION_IN_WSLCONFIG, "warning", 2, NULL);
    CHECK_FINDING(&f, GUI_F_WSLCONFIG_SECTION_IN_WSL_CONF, "warning", 2,
                  "in /etc/wsl.conf of distro Ubuntu line 2 write `guiApplications=false` under "
                  "`[general]`, then run `wsl --terminate Ubuntu`");
    release(&f);
}

static void a_key_below_an_invalid_header_is_misfiled(void)
{
    struct fixture f;
    evaluate(&f, "[wsl2]\n[system-distro-env]\nguiApplications=false\n", NULL);
    CHECK(f.state.global_on);
    CHECK_FINDING(&f, GUI_F_INVALID_SECTION_HEADER, "warning", 3, NULL);
    const struct finding *fd = finding(&f, GUI_F_INVALID_SECTION_HEADER);
    CHECK(fd && strstr(fd->message, "'syst.guiApplications'") != NULL);
    release(&f);
}

static void a_distro_name_with_a_blank_is_restarted_by_shutdown(void)
{
    struct wslconf_result conf;
    parse_into(&conf, WSLCONF_WSL_CONF, "[general]\nguiApplications=false\n");
    struct gui_distro_config distro = {"Old Ubuntu", &conf};
    struct gui_config_input in = {NULL, &distro, 1};
    struct gui_state st;
    char *err = gui_state_evaluate(&in, &st);
    CHECK(err == NULL);
    free(err);
    CHECK_STR(st.distros[0].fix, "in /etc/wsl.conf of distro Old Ubuntu line 2 write "
                                 "`guiApplications=true` under `[general]`, then run "
                                 "`wsl --shutdown`");
    gui_state_free(&st);
    wslconf_result_free(&conf);
}

static void wsl_conf_cannot_turn_on_what_wslconfig_turned_off(void)
{
    struct fixture f;
    evaluate(&f, "[wsl2]\nguiApplications=false\n", "[general]\nguiApplications=true\n");
    CHECK(!f.state.distros[0].on);
    CHECK_INT(f.state.distros[0].cause, GUI_CAUSE_WSLCONFIG_OFF);
    CHECK(f.state.distros[0].wsl_conf_value);
    CHECK_INT(f.state.distros[0].wsl_conf_line, 2);
    CHECK_FINDING(&f, GUI_F_WSL_CONF_CANNOT_ENABLE, "info", 2, NULL);
    release(&f);
}

static void a_mistake_that_changes_nothing_is_only_info(void)
{
    /* GUI apps are off anyway, so a second, ignored "off" line is not a warning. */
    struct fixture f;
    evaluate(&f, "guiApplications=false\n[wsl2]\nguiApplications=false\n", NULL);
    CHECK(!f.state.global_on);
    CHECK_FINDING(&f, GUI_F_KEY_ABOVE_SECTIONS, "info", 1, NULL);
    release(&f);
}

static void edit_distance_counts_transpositions_as_one(void)
{
    CHECK_INT(gui_edit_distance("guiApplications", "GUIAPPLICATIONS"), 0);
    CHECK_INT(gui_edit_distance("guiApplicaitons", "guiApplications"), 1);
    CHECK_INT(gui_edit_distance("ws12", "wsl2"), 1);
    CHECK_INT(gui_edit_distance("", "abc"), 3);
    CHECK(gui_edit_distance("guiApps", "guiApplications") > 2);
}

/* 8,000 guiApplications lines below a 32 KiB section name: 20 findings word for word, each
 * quoting the section cut short, and one line that counts the rest. */
static void many_misplaced_lines_give_capped_findings(void)
{
    struct strbuf text = STRBUF_INIT;
    strbuf_putc(&text, '[');
    for (int i = 0; i < 32 * 1024; i++)
        strbuf_putc(&text, 'q');
    strbuf_puts(&text, "]\n");
    for (int i = 0; i < 8000; i++)
        strbuf_puts(&text, "guiApplications=false\n");
    struct fixture f;
    evaluate(&f, NULL, text.data);
    strbuf_release(&text);
    size_t wrong = 0, bytes = 0;
    const struct finding *last = NULL;
    for (size_t i = 0; i < f.state.findings.nr; i++) {
        const struct finding *fd = &f.state.findings.items[i];
        bytes += strlen(fd->message) + (fd->fix ? strlen(fd->fix) : 0);
        if (strcmp(fd->code, GUI_F_WRONG_SECTION) == 0) {
            wrong++;
            last = fd;
        }
    }
    CHECK_INT(wrong, 21);
    CHECK(bytes < 21 * 1024);
    CHECK(last && strstr(last->message, "... and 7980 more like the above, from line 22 on"));
    const struct finding *first = finding(&f, GUI_F_WRONG_SECTION);
    CHECK(first && strstr(first->message, "qqq\xE2\x80\xA6]"));
    release(&f);
}

static const struct check_case cases[] = {
    {"gui: on by default without any file", on_by_default_without_any_file},
    {"gui: off by .wslconfig for every distro", off_by_wslconfig_for_every_distro},
    {"gui: off by wsl.conf for one distro", off_by_wsl_conf_for_one_distro},
    {"gui: safe mode turns GUI apps off", safe_mode_turns_gui_apps_off},
    {"gui: a key above every section does nothing", a_key_above_every_section_does_nothing},
    {"gui: a misspelled section does nothing", a_misspelled_section_does_nothing},
    {"gui: a key after the line that stopped wsl.conf does nothing",
     a_key_after_the_line_that_stopped_wsl_conf_does_nothing},
    {"gui: an invalid value keeps the default", an_invalid_value_keeps_the_default},
    {"gui: a duplicate that loses is reported with the winning line",
     a_duplicate_that_loses_is_reported_with_the_winning_line},
    {"gui: a misspelled key is recognised within two edits",
     a_misspelled_key_is_recognised_within_two_edits},
    {"gui: a section from the other file does nothing", a_section_from_the_other_file_does_nothing},
    {"gui: many misplaced lines give capped findings", many_misplaced_lines_give_capped_findings},
    {"gui: a key below an invalid header is misfiled", a_key_below_an_invalid_header_is_misfiled},
    {"gui: a distro name with a blank is restarted by shutdown",
     a_distro_name_with_a_blank_is_restarted_by_shutdown},
    {"gui: wsl.conf cannot turn on what .wslconfig turned off",
     wsl_conf_cannot_turn_on_what_wslconfig_turned_off},
    {"gui: a mistake that changes nothing is only info",
     a_mistake_that_changes_nothing_is_only_info},
    {"gui: edit distance counts transpositions as one", edit_distance_counts_transpositions_as_one},
};

int main(int argc, char **argv)
{
    return check_main(cases, CHECK_COUNT(cases), argc, argv);
}
