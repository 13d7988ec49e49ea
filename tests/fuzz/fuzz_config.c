/* libFuzzer target for the config reader and the GUI-apps evaluation built on it.
 *
 * Input: the first byte picks the file kind (even: .wslconfig, odd: wsl.conf), the rest is
 * the file. Besides the sanitizers' own findings, it aborts when a result breaks the
 * reader's contract (wslconf.h): strings that are not UTF-8, lines beyond the input, a
 * deciding entry that WSL did not read, or a GUI state without a cause. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/gui_state.h"
#include "utf8.h"
#include "config/wslconf.h"

static void require(int ok)
{
    if (!ok)
        abort();
}

static void require_text(const char *s)
{
    require(s != NULL && utf8_is_valid(s, strlen(s)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    enum wslconf_kind kind = (data[0] & 1) ? WSLCONF_WSL_CONF : WSLCONF_WSLCONFIG;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    struct wslconf_input in = {.data = text,
                               .len = len,
                               .kind = kind,
                               .display_path = kind == WSLCONF_WSLCONFIG ? "C:\\u\\.wslconfig"
                                                                         : "/etc/wsl.conf"};
    struct wslconf_result r;
    char *err = wslconf_parse(&in, &r);
    if (err) {
        free(err); /* only out of memory, which libFuzzer's malloc limit can cause */
        return 0;
    }
    unsigned long max_line = 1;
    for (size_t i = 0; i < len; i++)
        max_line += text[i] == '\n' || (kind == WSLCONF_WSLCONFIG && text[i] == '\r');
    for (size_t i = 0; i < r.entry_nr; i++) {
        const struct wslconf_entry *e = &r.entries[i];
        require_text(e->section);
        require_text(e->key);
        char *name = wslconf_entry_name(e);
        require(name != NULL);
        require_text(name);
        free(name);
        require(strlen(e->section) == e->section_len);
        require_text(e->value);
        require(e->line >= 1 && e->line <= max_line && e->wsl_line >= 1);
        require(e->valid == (e->status == WSLCONF_APPLIED));
        require(e->status != WSLCONF_AFTER_STOP || (kind == WSLCONF_WSL_CONF && r.stopped_line));
    }
    for (size_t i = 0; i < r.problem_nr; i++) {
        require_text(r.problems[i].message);
        require(r.problems[i].code != NULL);
        require(r.problems[i].line >= 1 && r.problems[i].line <= max_line);
    }
    const struct wslconf_entry *gui = wslconf_deciding_entry(
        &r, kind == WSLCONF_WSLCONFIG ? "wsl2.guiApplications" : "general.guiApplications");
    require(!gui || gui->status == WSLCONF_APPLIED || gui->status == WSLCONF_INVALID_VALUE);

    struct gui_distro_config distro = {"Fuzz", kind == WSLCONF_WSL_CONF ? &r : NULL};
    struct gui_config_input gin = {kind == WSLCONF_WSLCONFIG ? &r : NULL, &distro, 1};
    struct gui_state state;
    err = gui_state_evaluate(&gin, &state);
    if (!err) {
        require(state.distro_count == 1);
        require_text(state.distros[0].cause_text);
        require(state.distros[0].on || state.distros[0].fix != NULL);
        for (size_t i = 0; i < state.findings.nr; i++) {
            require_text(state.findings.items[i].message);
            require(
                !state.findings.items[i].fix ||
                utf8_is_valid(state.findings.items[i].fix, strlen(state.findings.items[i].fix)));
        }
        gui_state_free(&state);
    }
    free(err);
    wslconf_result_free(&r);
    return 0;
}
