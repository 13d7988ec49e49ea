/* gui_state.h - whether WSLg (GUI apps) is on for each distro according to the config files,
 * why, and the mistakes that make a setting silently do nothing.
 *
 * WSL decides in two places (docs/config.md has the line references):
 *   1. the service reads .wslconfig: [wsl2] guiApplications (default true), and
 *      [wsl2] safeMode=true forces it off (WslCoreConfig.cpp);
 *   2. at each distro launch init reads that distro's /etc/wsl.conf: [general]
 *      guiApplications, whose default is the global value (main.cpp). The system distro is
 *      started only when both are true, so wsl.conf can turn GUI apps off, never on.
 * This module only evaluates parsed files (struct wslconf_result); collecting them and
 * printing the verdicts belong to the doctor command.
 *
 * Contract:
 * - gui_state_evaluate is pure; it returns NULL, or an error message (the caller frees it)
 *   when no input was given, in which case *out is empty.
 * - A struct gui_state owns every string in it; gui_state_free releases them and zeroes it
 *   (safe on a zeroed or already freed state). It keeps no pointer into the input.
 * - `fix` texts are the exact edit to make ("in <file> line 3 write `guiApplications=false`
 *   under `[wsl2]`, then run `wsl --shutdown`"); lines are physical lines (wslconf.h).
 */
#ifndef WSLNS_GUI_STATE_H
#define WSLNS_GUI_STATE_H

#include <stdbool.h>
#include <stddef.h>

#include "errmsg.h"
#include "config/finding.h"
#include "config/wslconf.h"

struct gui_distro_config {
    const char *distro;                    /* the distro's name */
    const struct wslconf_result *wsl_conf; /* its parsed /etc/wsl.conf, NULL when it has none
                                              or it could not be read */
};

struct gui_config_input {
    const struct wslconf_result *wslconfig; /* parsed .wslconfig, NULL when there is none */
    const struct gui_distro_config *distros;
    size_t distro_count;
};

enum gui_cause {
    GUI_CAUSE_DEFAULT,       /* on: nothing sets it */
    GUI_CAUSE_WSLCONFIG_ON,  /* on: .wslconfig says true (wsl.conf does not say false) */
    GUI_CAUSE_WSL_CONF_ON,   /* on: wsl.conf says true (it cannot override an off .wslconfig) */
    GUI_CAUSE_WSLCONFIG_OFF, /* off for every distro: .wslconfig guiApplications=false */
    GUI_CAUSE_SAFE_MODE,     /* off for every distro: .wslconfig safeMode=true */
    GUI_CAUSE_WSL_CONF_OFF,  /* off for one distro: its wsl.conf guiApplications=false */
};

/* The codes of its findings (finding.h). Off by a setting (what the user asked for, reported so the
 * doctor can explain it). */
#define GUI_F_OFF_BY_WSLCONFIG "gui.off_by_wslconfig"
#define GUI_F_OFF_BY_SAFE_MODE "gui.off_by_safe_mode"
#define GUI_F_OFF_BY_WSL_CONF "gui.off_by_wsl_conf"
#define GUI_F_WSL_CONF_CANNOT_ENABLE "gui.wsl_conf_cannot_enable"
/* A guiApplications line WSL does not act on ("on although the user meant off"). */
#define GUI_F_KEY_ABOVE_SECTIONS "gui.key_above_sections"
#define GUI_F_MISSPELLED_SECTION "gui.misspelled_section"
#define GUI_F_WRONG_SECTION "gui.wrong_section"
#define GUI_F_INVALID_SECTION_HEADER "gui.invalid_section_header"
#define GUI_F_WSLCONFIG_SECTION_IN_WSL_CONF "gui.wsl2_section_in_wsl_conf"
#define GUI_F_WSL_CONF_SECTION_IN_WSLCONFIG "gui.general_section_in_wslconfig"
#define GUI_F_AFTER_PARSING_STOPPED "gui.after_parsing_stopped"
#define GUI_F_INVALID_VALUE "gui.invalid_value"
#define GUI_F_DUPLICATE_IGNORED "gui.duplicate_ignored"
#define GUI_F_MISSPELLED_KEY "gui.misspelled_key"

struct gui_distro_state {
    char *distro;
    bool on;
    enum gui_cause cause;
    char *cause_text;            /* "off by /etc/wsl.conf line 2 of distro Ubuntu" */
    char *fix;                   /* how to turn it on, NULL when on */
    bool wsl_conf_known;         /* a wsl.conf was given for this distro */
    bool wsl_conf_value;         /* what init uses: the file's valid value, else the global one */
    unsigned long wsl_conf_line; /* the deciding guiApplications line, 0 when absent */
};

struct gui_state {
    bool global_on;               /* after .wslconfig and safe mode */
    enum gui_cause global_cause;  /* DEFAULT, WSLCONFIG_ON, WSLCONFIG_OFF or SAFE_MODE */
    bool wslconfig_value;         /* [wsl2] guiApplications as WSL uses it (default true) */
    unsigned long wslconfig_line; /* the deciding line, 0 when absent */
    bool safe_mode;
    unsigned long safe_mode_line;
    struct gui_distro_state *distros; /* in input order */
    size_t distro_count;
    struct finding_list findings; /* .wslconfig first, then each distro in input order */
};

errmsg gui_state_evaluate(const struct gui_config_input *in, struct gui_state *out);

/* A stable name for a cause, for JSON: "default", "wslconfig_on", "wsl_conf_on",
 * "wslconfig_off", "safe_mode", "wsl_conf_off". */
const char *gui_cause_name(enum gui_cause cause);

void gui_state_free(struct gui_state *s);

/* Optimal-string-alignment edit distance, ASCII case-insensitive, used to spot misspelled
 * keys and sections; returns a large number for strings longer than 64 bytes. */
size_t gui_edit_distance(const char *a, const char *b);

#endif
