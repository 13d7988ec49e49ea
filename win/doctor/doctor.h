/* doctor.h - `wslns doctor`: for every distro, whether GUI apps (WSLg) are on, off or broken,
 * why, and the exact fix. It sets what the config files ask for (gui_state.h, from
 * .wslconfig and each distro's /etc/wsl.conf) against what was measured:
 *   - the system distro view: collected (it exists) or refused with
 *     WSL_E_GUI_APPLICATIONS_DISABLED (it does not);
 *   - the merged tree: a system-distro namespace between the VM root and the distro, or the
 *     distro directly below the VM root;
 *   - the distro's own probe (context.wslg): /mnt/wslg, DISPLAY / WAYLAND_DISPLAY and what
 *     /tmp/.X11-unix is (systemd-tmpfiles replacing the link with a directory breaks X11);
 *   - `wsl --version` (the WSLg version; absent on the inbox Windows 10 wsl.exe).
 * Config and measurement disagreeing means a change that waits for `wsl --shutdown`.
 * docs/doctor.md lists every finding code.
 *
 * Contract:
 * - doctor_evaluate is pure: no I/O, nothing printed. It returns NULL, or an error message
 *   (malloc'd, the caller frees it) when a config file could not be parsed at all (unusable
 *   input); *out is then empty. Memory comes from xalloc.h: running out is no error here.
 * - The input is only read during the call. A struct doctor_report owns every string in it,
 *   including the parsed config files; doctor_report_free releases it all and zeroes it
 *   (safe on a zeroed or already freed report).
 * - Lines are physical lines (what an editor shows), as in wslconf.h.
 */
#ifndef WSLNS_DOCTOR_H
#define WSLNS_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "errmsg.h"
#include "config/finding.h"
#include "config/gui_state.h"
#include "model.h"
#include "source.h"
#include "config/wslconf.h"

struct doctor_input {
    const struct source_list *sources; /* parsed (views set where OK) */
    const struct model *model;         /* merged from sources; may be NULL */
    const char *wslconfig_path;        /* how to name .wslconfig in messages */
    bool wslconfig_found;              /* false: the file does not exist (WSL's defaults) */
    const char *wslconfig_error;       /* it exists but could not be read; NULL when fine */
    const char *wslconfig_data;        /* its exact bytes when found */
    size_t wslconfig_len;
    bool wsl_version_ran;         /* `wsl --version` was run (not offline) */
    const char *wsl_version_text; /* its decoded output when it succeeded, else NULL */
};

/* What was measured about a distro's GUI apps, independent of the config files. */
enum doctor_measure { DOCTOR_MEASURED_UNKNOWN, DOCTOR_MEASURED_ON, DOCTOR_MEASURED_OFF };

/* The verdict for one distro, as docs/doctor.md's wslns-doctor/1 spells it. */
enum doctor_gui { DOCTOR_GUI_ON, DOCTOR_GUI_OFF, DOCTOR_GUI_BROKEN, DOCTOR_GUI_UNKNOWN };

struct doctor_distro {
    char *distro;
    enum doctor_gui gui;
    char *cause; /* one sentence: why */
    char *fix;   /* the exact edit and command, NULL when nothing is to be done */
    enum doctor_measure measured;
    char *evidence;     /* what the measurement rests on ("its system distro answered") */
    bool config_on;     /* what the files ask for (gui_state) */
    char *config_cause; /* gui_state's cause text */
    const char *config_cause_name; /* static: gui_cause_name() */
    bool have_wsl_conf;            /* the distro's probe said whether /etc/wsl.conf exists */
    bool wsl_conf_exists;
    bool wsl_conf_truncated;        /* the probe cut the file at 64 KiB */
    struct wslconf_result wsl_conf; /* parsed when it exists (zeroed otherwise) */
    bool wsl_conf_value_known;
    bool wsl_conf_value;
    unsigned long wsl_conf_line; /* 0 when absent */
};

/* The codes of its findings (config/finding.h), beside gui_state's "gui.*" ones. */
#define DOCTOR_F_RESTART_PENDING "doctor.restart_pending"
#define DOCTOR_F_STILL_OFF "doctor.still_off"
#define DOCTOR_F_INBOX_WSL "doctor.inbox_wsl"
#define DOCTOR_F_X11_UNREACHABLE "doctor.x11_socket_unreachable"
#define DOCTOR_F_X11_UNKNOWN "doctor.x11_unknown"
#define DOCTOR_F_X11_MISSING "doctor.x11_unix_missing"
#define DOCTOR_F_X11_WRONG "doctor.x11_unix_wrong"
#define DOCTOR_F_MNT_WSLG_MISSING "doctor.mnt_wslg_missing"
#define DOCTOR_F_DISPLAY_UNSET "doctor.display_unset"
#define DOCTOR_F_WSL_CONF_TRUNCATED "doctor.wsl_conf_truncated"
#define DOCTOR_F_VIEW_FAILED "doctor.view_failed"
#define DOCTOR_F_NOT_MEASURED "doctor.not_measured"
#define DOCTOR_F_WSLCONFIG_UNREADABLE "doctor.wslconfig_unreadable"
#define DOCTOR_F_NO_WSL_VERSION "doctor.no_wsl_version"
#define DOCTOR_F_OWN_NET "doctor.own_net_namespace"

struct doctor_report {
    char *wslconfig_path;
    bool wslconfig_found;
    bool wslconfig_unreadable;       /* it exists but wslns could not read it (too big, I/O) */
    struct wslconf_result wslconfig; /* parsed when found (zeroed otherwise) */
    bool wslconfig_value;            /* [wsl2] guiApplications as WSL uses it */
    unsigned long wslconfig_line;    /* its deciding line, 0 when absent */
    bool safe_mode;
    char *wsl_version;             /* the first line of `wsl --version`, NULL when unknown */
    char *wslg_version;            /* "1.0.65" from its WSLg line, NULL when unknown */
    struct doctor_distro *distros; /* in the order the sources name them */
    size_t distro_count;
    struct finding_list findings; /* .wslconfig first, then per distro, then the rest */
};

errmsg doctor_evaluate(const struct doctor_input *in, struct doctor_report *out);

/* True when a finding asks for action (severity error or warning): the exit code is 1. */
bool doctor_has_problem(const struct doctor_report *r);

/* "on", "off", "broken", "unknown". */
const char *doctor_gui_name(enum doctor_gui gui);

void doctor_report_free(struct doctor_report *r);

#endif
