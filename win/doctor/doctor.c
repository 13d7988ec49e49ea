/* doctor.c - the GUI-apps verdict per distro: the config files' intent (gui_state) against
 * the measured evidence (views, the merged tree, the probe's WSLg context, wsl --version).
 * See doctor.h for the contract, docs/doctor.md for the rules and codes. */
#include "doctor/doctor.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "utf8.h"
#include "view.h"
#include "xalloc.h"
#include "wsl/wsl_list.h"

struct builder {
    struct doctor_report *out;
    char *error; /* the first error a config reader returned (unusable input), else NULL */
};

/* Keeps the first error (caller's message, freed otherwise). */
static void keep_error(struct builder *b, char *error)
{
    if (error && !b->error)
        b->error = error;
    else
        free(error);
}

static char *dup_or_null(const char *s)
{
    return s ? str_dup(s) : NULL;
}

/* Takes ownership of message and fix. */
static void add_finding(struct builder *b, const char *code, enum severity severity,
                        const char *distro, const char *file, unsigned long line, char *message,
                        char *fix)
{
    finding_add(&b->out->findings, code, severity, distro, file, line, message, fix);
}

/* ---- what a probe's context says (untrusted JSON, checked at every step) ---- */

static const cJSON *object_item(const cJSON *obj, const char *name)
{
    return cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, name) : NULL;
}

static int json_flag(const cJSON *obj, const char *name)
{
    const cJSON *v = object_item(obj, name);
    return cJSON_IsBool(v) ? cJSON_IsTrue(v) : -1;
}

static const char *json_text(const cJSON *obj, const char *name)
{
    const cJSON *v = object_item(obj, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A copy of untrusted text (a link target, a path built from wsl.conf) for a message: every
 * output channel escapes messages (render_doctor.c through escape.h), so it stays as it is. */
static char *safe_text(const char *text)
{
    return str_dup(text ? text : "");
}

/* True when a path can go into a shell command the user copies as it is. */
static bool shell_plain(const char *s)
{
    if (!s || *s != '/')
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              strchr("/._-+@:,=", *s)))
            return false;
    return true;
}

/* ---- which views belong to which distro ---- */

struct facts {
    const char *name;
    const struct source *distro_src; /* the distro's own view (wsl -d, or a --from file) */
    const struct source *system_src; /* its system distro's view (wsl --system, or a file) */
};

static bool is_system_view(const struct view *v)
{
    return json_flag(object_item(v->context, "wslg"), "wslgd") == 1;
}

/* A --from document names its distro through WSL_DISTRO_NAME, else WSL2_DISTRO_NAME (a
 * system distro's init carries its user distro's name there). */
static const char *file_distro(const struct source *s)
{
    if (!s->view)
        return NULL;
    if (is_system_view(s->view))
        return s->view->wsl2_distro_name ? s->view->wsl2_distro_name : s->view->distro;
    return s->view->distro ? s->view->distro : s->view->wsl2_distro_name;
}

static struct facts *facts_for(struct facts *list, size_t *n, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (model_distro_equal(list[i].name, name))
            return &list[i];
    list[*n] = (struct facts){.name = name};
    return &list[(*n)++];
}

static struct facts *gather_facts(const struct source_list *sources, size_t *count)
{
    *count = 0;
    struct facts *list = xcalloc(sources->nr + 1, sizeof *list);
    for (size_t i = 0; i < sources->nr; i++) {
        const struct source *s = &sources->items[i];
        const char *name = s->kind == SOURCE_FILE ? file_distro(s) : s->distro;
        if (!name || s->kind == SOURCE_VM)
            continue;
        struct facts *f = facts_for(list, count, name);
        bool system =
            s->kind == SOURCE_SYSTEM || (s->kind == SOURCE_FILE && is_system_view(s->view));
        if (system && !f->system_src)
            f->system_src = s;
        else if (!system && !f->distro_src)
            f->distro_src = s;
    }
    return list;
}

static const struct view *usable_view(const struct source *s)
{
    return s && s->status == SOURCE_OK ? s->view : NULL;
}

/* ---- measurement ---- */

struct measure {
    enum doctor_measure state;
    char *evidence;
};

/* The distro's own namespace in the merged tree: the shallowest namespace of kind distro. */
static size_t distro_namespace(const struct model *m, const char *name)
{
    size_t best = MODEL_NONE;
    for (size_t i = 0; m && i < m->namespace_nr; i++) {
        const struct model_namespace *ns = &m->namespaces[i];
        if (ns->kind != NS_DISTRO || !ns->distro || !model_distro_equal(ns->distro, name))
            continue;
        if (best == MODEL_NONE || ns->depth < m->namespaces[best].depth)
            best = i;
    }
    return best;
}

/* The distro's wsl.conf (as the host parsed it) sets an [automount] root other than /mnt. */
static bool other_automount_root(const struct doctor_distro *d)
{
    if (!d->wsl_conf_exists)
        return false;
    const struct wslconf_entry *e = wslconf_deciding_entry(&d->wsl_conf, "automount.root");
    return e && e->value && strcmp(e->value, "/mnt") != 0 && strcmp(e->value, "/mnt/") != 0;
}

static struct measure measured(enum doctor_measure state, char *evidence)
{
    return (struct measure){state, evidence};
}

/* What WSL itself said: its system distro answered, or wsl --system was refused because GUI
 * apps are off (the code, not the words: wsl.exe's message is in the user's language). */
static struct measure measure_by_wsl(const struct source *sys)
{
    if (usable_view(sys))
        return measured(DOCTOR_MEASURED_ON,
                        str_printf("its system distro answered (%s)",
                                   sys->kind == SOURCE_FILE ? "saved document" : "wsl --system"));
    if (sys && sys->status == SOURCE_SKIPPED &&
        wsl_error_is(sys->wsl_error, "WSL_E_GUI_APPLICATIONS_DISABLED"))
        return measured(DOCTOR_MEASURED_OFF,
                        str_dup("wsl --system refused: WSL_E_GUI_APPLICATIONS_DISABLED (no "
                                "system distro is running for it)"));
    return (struct measure){DOCTOR_MEASURED_UNKNOWN, NULL};
}

/* The merged tree's shape: a system distro's namespace between the VM root and the distro. */
static struct measure measure_by_tree(const struct model *m, const char *name)
{
    size_t ns = distro_namespace(m, name);
    if (ns == MODEL_NONE || m->namespaces[ns].parent == MODEL_NONE)
        return (struct measure){DOCTOR_MEASURED_UNKNOWN, NULL};
    const struct model_namespace *parent = &m->namespaces[m->namespaces[ns].parent];
    if (parent->kind == NS_SYSTEM)
        return measured(DOCTOR_MEASURED_ON, str_dup("its namespace sits below a system distro's"));
    if (parent->kind == NS_VM)
        return measured(DOCTOR_MEASURED_OFF,
                        str_dup("its namespace sits directly below the VM root (no system "
                                "distro between)"));
    return (struct measure){DOCTOR_MEASURED_UNKNOWN, NULL};
}

/* Inside the distro: whether WSLg's share is mounted, else WSL's environment, else (an older
 * probe document) whether /mnt/wslg is a directory. */
static struct measure measure_in_distro(const cJSON *wslg, const struct doctor_distro *d)
{
    const cJSON *share = object_item(wslg, "share");
    /* WSL moves the share to <automount root>wslg only for a distro with a system distro
     * (WSL src/linux/init/config.cpp (3e27a6a5) ConfigInitializeInstance). A directory
     * alone proves nothing: one can stay on the disk after GUI apps were turned off. */
    int mounted = cJSON_IsObject(share) ? json_flag(share, "mount_point") : -1;
    if (mounted != -1) {
        char *path = safe_text(json_text(share, "path"));
        struct measure found =
            measured(mounted ? DOCTOR_MEASURED_ON : DOCTOR_MEASURED_OFF,
                     str_printf("%s is %sa mount point in it", path, mounted ? "" : "not "));
        free(path);
        return found;
    }
    const char *enabled = json_text(wslg, "gui_apps_enabled");
    if (enabled && strcmp(enabled, "1") == 0)
        return measured(DOCTOR_MEASURED_ON, str_dup("WSL set WSL2_GUI_APPS_ENABLED=1 for it"));
    /* Its absence says off when the share would be there (the default automount root); its
     * presence says nothing. */
    if (json_flag(wslg, "mnt_wslg") == 0 && !other_automount_root(d))
        return measured(DOCTOR_MEASURED_OFF, str_dup("it has no /mnt/wslg"));
    return (struct measure){DOCTOR_MEASURED_UNKNOWN, NULL};
}

/* Strongest evidence first: what wsl --system answered, then the tree's shape, then whether
 * the WSLg share (mounted by init only for a distro with a system distro) is there. */
static struct measure measure_distro(const struct facts *f, const struct model *m,
                                     const struct doctor_distro *d)
{
    struct measure found = measure_by_wsl(f->system_src);
    if (found.state == DOCTOR_MEASURED_UNKNOWN)
        found = measure_by_tree(m, f->name);
    const struct view *v = usable_view(f->distro_src);
    if (found.state == DOCTOR_MEASURED_UNKNOWN && v)
        found = measure_in_distro(object_item(v->context, "wslg"), d);
    return found;
}

/* ---- what breaks WSLg inside a distro that has it ---- */

static bool blank(const char *s)
{
    return !s || !*s;
}

static char *restart_hint(const char *distro)
{
    /* wsl.exe cuts -d values at a blank (docs/wsl.md W4b): such a distro restarts with all. */
    return strpbrk(distro, " \t") ? str_dup("wsl --shutdown")
                                  : str_printf("wsl --terminate %s", distro);
}

/* What a probe's x0 state means in words ("is missing", ...). */
static const char *x0_words(const char *state)
{
    if (!state || strcmp(state, "missing") == 0)
        return "is missing";
    if (strcmp(state, "not_socket") == 0)
        return "is not a socket";
    if (strcmp(state, "refused") == 0)
        return "is a stale socket nobody listens on";
    return "does not answer";
}

static bool x0_alive(const char *state)
{
    return state && (strcmp(state, "reachable") == 0 || strcmp(state, "busy") == 0);
}

/* What hides X0: nothing known, systemd's tmp.mount, or a tmpfs someone mounted later (WSL
 * mounts /etc/fstab before it mounts /tmp/.X11-unix: WSL src/linux/init/config.cpp
 * (3e27a6a5) ConfigInitializeInstance, so an fstab tmpfs is not it). */
enum tmp_cover { TMP_NONE, TMP_SYSTEMD, TMP_LATER };

/* The fix for an X0 that /tmp/.X11-unix does not show while WSLg's share has it: mount the
 * share's .X11-unix read-only there again - the command WSL's own wslg.service runs (WSL
 * src/linux/init/init.cpp (3e27a6a5) GenerateSystemdUnits) - which works whatever is at the
 * path now (a plain directory, a read-only mount point, nothing); a link or file is removed
 * first (plain rm: never a recursive delete). A lasting fix: keep what hid it from coming back
 * (systemd's tmp.mount), then restart the distro so WSL's init mounts it again. */
static char *x11_fix(const char *distro, const char *type, const char *share, enum tmp_cover tmpfs,
                     const char *restart)
{
    bool plain = shell_plain(share);
    const char *rm = type && (strcmp(type, "symlink") == 0 || strcmp(type, "other") == 0)
                         ? "rm /tmp/.X11-unix && "
                         : "";
    return str_printf("in distro %s run as root `%smkdir -p /tmp/.X11-unix && mount -o bind,ro "
                      "%s/.X11-unix /tmp/.X11-unix`%s (what WSL's wslg.service does); %s`%s` "
                      "(WSL's init mounts it again at the next start)",
                      distro, rm, plain ? share : "<automount root>wslg",
                      plain ? "" : " with the [automount] root of its /etc/wsl.conf",
                      tmpfs == TMP_SYSTEMD ? "to keep it, run `systemctl mask tmp.mount` as root "
                                             "(its tmpfs over /tmp hides WSL's mount), then "
                      : tmpfs == TMP_LATER ? "to keep it, stop what mounts a tmpfs on /tmp after "
                                             "the distro starts (a boot script or profile), then "
                                           : "or run ",
                      restart);
}

/* Whether a tmpfs over /tmp hides WSL's mount on /tmp/.X11-unix, and who mounted it. */
static enum tmp_cover tmp_cover(const cJSON *ctx, const cJSON *wslg, const cJSON *x11)
{
    const cJSON *tmp = object_item(wslg, "tmp");
    const char *fstype = json_text(tmp, "fstype");
    if (json_flag(tmp, "mount_point") != 1 || !fstype || strcmp(fstype, "tmpfs") != 0 ||
        json_flag(x11, "mount_point") == 1)
        return TMP_NONE;
    return json_flag(object_item(ctx, "pid1"), "systemd") == 1 ? TMP_SYSTEMD : TMP_LATER;
}

/* Why /tmp/.X11-unix does not show the X0 that WSLg's share has. */
static char *x11_hidden_why(const cJSON *x11, enum tmp_cover tmpfs)
{
    const char *type = json_text(x11, "type");
    if (tmpfs != TMP_NONE)
        return str_printf("a tmpfs is mounted over /tmp (%s) and hides WSL's read-only mount "
                          "of the WSLg share on /tmp/.X11-unix",
                          tmpfs == TMP_SYSTEMD ? "systemd's tmp.mount"
                                               : "after the distro started");
    if (type && strcmp(type, "symlink") == 0) {
        char *target = safe_text(json_text(x11, "target"));
        char *why = str_printf("/tmp/.X11-unix is a link to %s", target);
        free(target);
        return why;
    }
    if (type && strcmp(type, "directory") == 0 && json_flag(x11, "mount_point") == 0)
        return str_dup("/tmp/.X11-unix is a plain directory, not WSL's mount of the WSLg share "
                       "(something unmounted it or the distro's boot replaced it)");
    if (type && strcmp(type, "missing") == 0)
        return str_dup("/tmp/.X11-unix is missing (something cleaned /tmp or mounted over it)");
    return str_dup("/tmp/.X11-unix is not WSL's mount of the WSLg share");
}

/* The X11 part of a current probe's evidence: whether /tmp/.X11-unix/X0 answers. */
static void check_x0(const char *distro, const cJSON *ctx, const char *restart, char **message,
                     char **fix, const char **code)
{
    const cJSON *wslg = object_item(ctx, "wslg");
    const cJSON *x11 = object_item(wslg, "x11_unix");
    const cJSON *share = object_item(wslg, "share");
    const char *x0 = json_text(x11, "x0");
    if (x0_alive(x0))
        return;
    const char *share_path = json_text(share, "path");
    const char *share_x0 = json_text(share, "x0");
    char *path = safe_text(share_path ? share_path : "/mnt/wslg");
    char *why;
    if (share_x0 && !x0_alive(share_x0)) {
        /* WSLg's own socket is dead too: nothing in this distro can fix that. */
        why = str_printf("WSLg's own socket %s/.X11-unix/X0 %s too: WSLg's X server is not "
                         "running",
                         path, x0_words(share_x0));
        *fix = str_printf("run `wsl --shutdown`, then start distro %s again (WSLg starts "
                          "with it); if it stays broken, see %s/weston.log",
                          distro, path);
    } else {
        enum tmp_cover tmpfs = tmp_cover(ctx, wslg, x11);
        why = x11_hidden_why(x11, tmpfs);
        *fix = x11_fix(distro, json_text(x11, "type"), share_path, tmpfs, restart);
    }
    *message = str_printf("/tmp/.X11-unix/X0 %s in distro %s: %s, so X11 apps find no X server",
                          x0_words(x0), distro, why);
    *code = DOCTOR_F_X11_UNREACHABLE;
    free(why);
    free(path);
}

/* The X11 part of an older probe's evidence (no X0 check): only what /tmp/.X11-unix is. A
 * directory is what WSL makes (its read-only mount of the share) and also what hides it, so
 * it is reported as unknown (*unknown), never as broken. */
static void check_x11_type(const char *distro, const cJSON *wslg, const char *restart,
                           char **message, char **fix, const char **code, bool *unknown)
{
    const cJSON *x11 = object_item(wslg, "x11_unix");
    const char *type = json_text(x11, "type"), *target = json_text(x11, "target");
    if (!type)
        return;
    if (strcmp(type, "directory") == 0) {
        *unknown = true;
    } else if (strcmp(type, "missing") == 0) {
        *code = DOCTOR_F_X11_MISSING;
        *message = str_printf("/tmp/.X11-unix is missing in distro %s (something cleaned /tmp "
                              "or mounted over it): X11 apps find no X server",
                              distro);
        *fix = x11_fix(distro, type, "/mnt/wslg", TMP_NONE, restart);
    } else if (strcmp(type, "other") == 0 ||
               (strcmp(type, "symlink") == 0 && (!target || !strstr(target, "wslg/.X11-unix")))) {
        *code = DOCTOR_F_X11_WRONG;
        *message = str_printf("/tmp/.X11-unix in distro %s is %s, not WSL's mount of the WSLg "
                              "share: X11 apps do not reach WSLg's X server",
                              distro,
                              strcmp(type, "other") == 0 ? "neither a directory nor a link"
                                                         : "a link elsewhere");
        *fix = x11_fix(distro, type, "/mnt/wslg", TMP_NONE, restart);
    }
}

/* What breaks WSLg in a distro, in the order the verdict names them (the first is the cause). */
struct breakers {
    struct {
        const char *code;
        char *message, *fix;
    } found[3];
    size_t n;
};

/* Takes ownership of message and fix. */
static void add_breaker(struct breakers *list, const char *code, char *message, char *fix)
{
    list->found[list->n].code = code;
    list->found[list->n].message = message;
    list->found[list->n++].fix = fix;
}

/* WSLg's share is not mounted where the distro's sockets would find it. */
static void check_share(const char *distro, const cJSON *wslg, const struct doctor_distro *d,
                        const char *restart, struct breakers *list)
{
    const cJSON *share = object_item(wslg, "share");
    int share_mounted = cJSON_IsObject(share)     ? json_flag(share, "mount_point")
                        : other_automount_root(d) ? -1
                                                  : json_flag(wslg, "mnt_wslg");
    if (share_mounted != 0)
        return;
    char *path = safe_text(cJSON_IsObject(share) ? json_text(share, "path") : "/mnt/wslg");
    add_breaker(list, DOCTOR_F_MNT_WSLG_MISSING,
                str_printf("%s is not a mount point in distro %s although it has a system "
                           "distro: WSLg's sockets cannot reach it",
                           path, distro),
                str_printf("check [automount] root in /etc/wsl.conf of distro %s (WSL mounts "
                           "the share at <root>wslg) and anything that unmounts it, then run "
                           "`%s`",
                           distro, restart));
    free(path);
}

static void check_display(const char *distro, const cJSON *wslg, struct breakers *list)
{
    const char *display = json_text(wslg, "display"), *wayland = json_text(wslg, "wayland_display");
    if (!blank(display))
        return;
    add_breaker(list, DOCTOR_F_DISPLAY_UNSET,
                blank(wayland) ? str_printf("DISPLAY and WAYLAND_DISPLAY are not set in distro "
                                            "%s: no GUI app finds a display",
                                            distro)
                               : str_printf("DISPLAY is not set in distro %s (WAYLAND_DISPLAY "
                                            "is): X11 apps find no display",
                                            distro),
                str_printf("remove what unsets or overwrites DISPLAY in distro %s (~/.bashrc, "
                           "~/.profile, /etc/environment, /etc/profile.d); WSL sets DISPLAY=:0 "
                           "itself, then open a new session",
                           distro));
}

/* X11: whether X0 answers (a current probe), else what /tmp/.X11-unix is (an older one). */
static void check_x11(const char *distro, const struct view *v, const char *restart,
                      struct breakers *list, bool *x11_unknown)
{
    const cJSON *wslg = object_item(v->context, "wslg");
    char *message = NULL, *fix = NULL;
    const char *code = NULL;
    if (json_text(object_item(wslg, "x11_unix"), "x0"))
        check_x0(distro, v->context, restart, &message, &fix, &code);
    else
        check_x11_type(distro, wslg, restart, &message, &fix, &code, x11_unknown);
    if (code)
        add_breaker(list, code, message, fix);
}

/* Adds a finding per breaker and returns how many; the first one gives the cause and fix.
 * *x11_unknown: an older probe document cannot tell whether X11 works. */
static size_t check_breakers(struct builder *b, const char *distro, const struct view *v,
                             const struct doctor_distro *d, char **cause, char **fix,
                             bool *x11_unknown)
{
    const cJSON *wslg = object_item(v->context, "wslg");
    if (!cJSON_IsObject(wslg))
        return 0;
    char *restart = restart_hint(distro);
    const char *restart_cmd = restart ? restart : "wsl --shutdown";
    struct breakers list = {.n = 0};
    check_share(distro, wslg, d, restart_cmd, &list);
    check_display(distro, wslg, &list);
    check_x11(distro, v, restart_cmd, &list, x11_unknown);
    for (size_t i = 0; i < list.n; i++) {
        if (i == 0) {
            *cause = dup_or_null(list.found[i].message);
            *fix = dup_or_null(list.found[i].fix);
        }
        add_finding(b, list.found[i].code, SEVERITY_ERROR, distro, NULL, 0, list.found[i].message,
                    list.found[i].fix);
    }
    free(restart);
    return list.n;
}

/* ---- config files ---- */

static void parse_wsl_conf(struct builder *b, struct doctor_distro *d, const struct view *v)
{
    const cJSON *ctx = v->context;
    const cJSON *text = object_item(ctx, "wsl_conf");
    if (!ctx || !(cJSON_IsString(text) || cJSON_IsNull(text)))
        return;
    d->have_wsl_conf = true;
    if (cJSON_IsNull(text))
        return;
    d->wsl_conf_exists = true;
    d->wsl_conf_truncated = json_flag(ctx, "wsl_conf_truncated") == 1;
    const char *hex = json_text(ctx, "wsl_conf_hex");
    size_t len = 0;
    char *bytes = hex ? hex_decode(hex, &len) : NULL;
    struct wslconf_input in = {
        .data = bytes ? bytes : text->valuestring,
        .len = bytes ? len : strlen(text->valuestring),
        .kind = WSLCONF_WSL_CONF,
        .display_path = "/etc/wsl.conf",
    };
    char *error = wslconf_parse(&in, &d->wsl_conf);
    free(bytes);
    keep_error(b, error);
}

static const char *gui_names[] = {"on", "off", "broken", "unknown"};

const char *doctor_gui_name(enum doctor_gui gui)
{
    return gui_names[gui];
}

/* ---- wsl --version ---- */

/* Labels are localized ("WSLg-Version:"), so take the last word of the first line (WSL's
 * version) and of the line that names WSLg. */
static char *last_word(const char *line, size_t len)
{
    while (len && (line[len - 1] == ' ' || line[len - 1] == '\r' || line[len - 1] == '\t'))
        len--;
    size_t start = len;
    while (start && line[start - 1] != ' ' && line[start - 1] != '\t' && line[start - 1] != ':')
        start--;
    return start < len ? str_ndup(line + start, len - start) : NULL;
}

static void read_versions(struct builder *b, const char *text)
{
    struct doctor_report *r = b->out;
    bool first = true;
    for (const char *p = text; *p;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len) {
            char *line = str_ndup(p, len);
            if (first)
                r->wsl_version = last_word(line, len);
            else if (strstr(line, "WSLg") && !r->wslg_version)
                r->wslg_version = last_word(line, len);
            first = false;
            free(line);
        }
        p = eol ? eol + 1 : p + len;
    }
}

/* ---- the verdict ---- */

/* The inbox Windows 10 wsl.exe knows neither --system nor --version (docs/wsl.md W10); collect.c
 * words the refusal of --system this way. */
#define NO_SYSTEM_REASON "this wsl.exe has no --system"

static bool inbox_wsl(const struct doctor_input *in, const struct facts *f)
{
    const struct source *sys = f->system_src;
    bool no_system = sys && sys->status == SOURCE_SKIPPED && sys->reason &&
                     strncmp(sys->reason, NO_SYSTEM_REASON, strlen(NO_SYSTEM_REASON)) == 0;
    /* Either alone is weak: a build without --version may still be a Windows 11 one. */
    return no_system && in->wsl_version_ran && !in->wsl_version_text;
}

/* Text that may be missing, for a message. */
static const char *or_empty(const char *s)
{
    return s ? s : "";
}

static void not_measured(const struct facts *f, const struct gui_distro_state *gs,
                         struct doctor_distro *d)
{
    const struct source *s = f->distro_src;
    d->gui = DOCTOR_GUI_UNKNOWN;
    d->cause = str_printf("not measured: %s; by the config files it would be %s (%s)",
                          s && s->reason ? s->reason : "no view of it", gs->on ? "on" : "off",
                          or_empty(gs->cause_text));
}

static void off_by_inbox_wsl(struct builder *b, const struct facts *f,
                             const struct gui_distro_state *gs, struct doctor_distro *d)
{
    d->gui = DOCTOR_GUI_OFF;
    d->cause = str_dup("off: this wsl.exe is the inbox Windows 10 one (no --system, no "
                       "--version), which has no WSLg at all");
    d->fix = str_dup("install WSL from the Microsoft Store (run `wsl --update`), then "
                     "run `wsl --shutdown`");
    add_finding(b, DOCTOR_F_INBOX_WSL, SEVERITY_WARNING, f->name, NULL, 0,
                str_printf("GUI apps are off in distro %s although the config files turn them "
                           "on (%s): this wsl.exe has no --system and no --version, so it is "
                           "the inbox Windows 10 wsl.exe, which has no WSLg",
                           f->name, or_empty(gs->cause_text)),
                dup_or_null(d->fix));
}

static void still_off(struct builder *b, const struct facts *f, const struct gui_distro_state *gs,
                      struct doctor_distro *d)
{
    d->gui = DOCTOR_GUI_OFF;
    d->cause = str_printf("off although the config files turn GUI apps on (%s): %s",
                          or_empty(gs->cause_text), or_empty(d->evidence));
    d->fix = str_dup("run `wsl --shutdown`: the VM still runs with the settings it "
                     "started with");
    add_finding(b, DOCTOR_F_STILL_OFF, SEVERITY_WARNING, f->name, NULL, 0,
                str_printf("GUI apps are off in distro %s although the config files turn them "
                           "on (%s): %s. Most likely a setting changed since the VM started; "
                           "if they stay off after a restart, this WSL has no WSLg (inbox "
                           "Windows 10 wsl.exe or a build without the system distro)",
                           f->name, or_empty(gs->cause_text), or_empty(d->evidence)),
                str_dup("run `wsl --shutdown`, then start the distro again"));
}

static void restart_pending(struct builder *b, const struct facts *f,
                            const struct gui_distro_state *gs, struct doctor_distro *d)
{
    d->gui = DOCTOR_GUI_ON;
    d->cause = str_printf("on although the config files turn GUI apps off (%s): the "
                          "change takes effect when the VM restarts",
                          or_empty(gs->cause_text));
    d->fix = str_dup("run `wsl --shutdown`");
    add_finding(b, DOCTOR_F_RESTART_PENDING, SEVERITY_WARNING, f->name, NULL, 0,
                str_printf("GUI apps are still on in distro %s (%s) although the config files "
                           "turn them off (%s): the VM has not restarted since",
                           f->name, or_empty(d->evidence), or_empty(gs->cause_text)),
                str_dup("run `wsl --shutdown`, then start the distro again"));
}

/* Off by the files and measured off: the files' cause and fix. */
static void off_as_configured(const struct gui_distro_state *gs, struct doctor_distro *d)
{
    d->gui = DOCTOR_GUI_OFF;
    d->cause = dup_or_null(gs->cause_text);
    d->fix = dup_or_null(gs->fix);
}

/* On by the files and by the measurement: broken when something inside the distro keeps GUI
 * apps from WSLg, unknown when an older probe document cannot tell whether X11 works. */
static void on_unless_broken(struct builder *b, const struct facts *f,
                             const struct gui_distro_state *gs, struct doctor_distro *d)
{
    const struct view *v = usable_view(f->distro_src);
    char *cause = NULL, *fix = NULL;
    bool x11_unknown = false;
    if (v && check_breakers(b, f->name, v, d, &cause, &fix, &x11_unknown)) {
        d->gui = DOCTOR_GUI_BROKEN;
        d->cause = cause;
        d->fix = fix;
    } else if (x11_unknown) {
        d->gui = DOCTOR_GUI_UNKNOWN;
        d->cause = str_printf("on (%s), but whether X11 apps reach WSLg's X server is "
                              "unknown: this probe document has no X0 check, and a "
                              "directory /tmp/.X11-unix is WSL's read-only mount of the "
                              "share or a plain directory hiding it",
                              or_empty(d->evidence));
        d->fix = str_dup("run `wslns doctor` again with a current wslns-probe");
        add_finding(b, DOCTOR_F_X11_UNKNOWN, SEVERITY_INFO, f->name, NULL, 0, str_dup(d->cause),
                    dup_or_null(d->fix));
    } else {
        d->gui = DOCTOR_GUI_ON;
        d->cause =
            str_printf("%s; %s", gs->cause_text ? gs->cause_text : "on", or_empty(d->evidence));
    }
}

/* The verdict for one distro: what was measured set against what the files ask for. */
static void judge(struct builder *b, const struct doctor_input *in, const struct facts *f,
                  const struct gui_distro_state *gs, struct doctor_distro *d)
{
    struct measure m = measure_distro(f, in->model, d);
    d->measured = m.state;
    d->evidence = m.evidence;
    d->config_on = gs->on;
    d->config_cause = dup_or_null(gs->cause_text);
    d->config_cause_name = gui_cause_name(gs->cause);
    if (m.state == DOCTOR_MEASURED_UNKNOWN)
        not_measured(f, gs, d);
    else if (gs->on && m.state == DOCTOR_MEASURED_OFF && inbox_wsl(in, f))
        off_by_inbox_wsl(b, f, gs, d);
    else if (gs->on && m.state == DOCTOR_MEASURED_OFF)
        still_off(b, f, gs, d);
    else if (!gs->on && m.state == DOCTOR_MEASURED_ON)
        restart_pending(b, f, gs, d);
    else if (!gs->on)
        off_as_configured(gs, d);
    else
        on_unless_broken(b, f, gs, d);
}

static void copy_gui_findings(struct builder *b, const struct gui_state *st)
{
    for (size_t i = 0; i < st->findings.nr; i++)
        finding_add_copy(&b->out->findings, &st->findings.items[i]);
}

static void view_findings(struct builder *b, const struct doctor_input *in)
{
    for (size_t i = 0; i < in->sources->nr; i++) {
        const struct source *s = &in->sources->items[i];
        if (s->status != SOURCE_FAILED)
            continue;
        char *what = source_describe(s);
        add_finding(b, DOCTOR_F_VIEW_FAILED, SEVERITY_WARNING,
                    s->kind == SOURCE_VM ? NULL : s->distro, NULL, 0,
                    str_printf("%s could not be collected, so its evidence is missing: %s", what,
                               s->reason ? s->reason : "no reason"),
                    NULL);
        free(what);
    }
}

static void report_wslconfig(struct builder *b, const struct doctor_input *in)
{
    struct doctor_report *r = b->out;
    if (in->wslconfig_error)
        add_finding(b, DOCTOR_F_WSLCONFIG_UNREADABLE, SEVERITY_WARNING, NULL, in->wslconfig_path, 0,
                    str_printf("%s exists but cannot be read (%s): WSL may read it, wslns cannot "
                               "check it",
                               in->wslconfig_path, in->wslconfig_error),
                    NULL);
    if (!in->wslconfig_found || in->wslconfig_error)
        return;
    struct wslconf_input wi = {
        .data = in->wslconfig_data ? in->wslconfig_data : "",
        .len = in->wslconfig_data ? in->wslconfig_len : 0,
        .kind = WSLCONF_WSLCONFIG,
        .display_path = in->wslconfig_path,
    };
    keep_error(b, wslconf_parse(&wi, &r->wslconfig));
}

static char *restart_fix(const char *distro)
{
    char *restart = restart_hint(distro);
    char *fix = restart ? str_printf("find what starts the distro's init in another network "
                                     "namespace (a wrapper around /init, a boot command), "
                                     "remove it, then run `%s`",
                                     restart)
                        : NULL;
    free(restart);
    return fix;
}

/* A distro whose init is not in the network namespace of the level above it (the VM's, as
 * WSL leaves every distro: WSL src/linux/init/main.cpp (3e27a6a5) clones distro inits without
 * CLONE_NEWNET). Compared with the nearest ancestor whose net namespace a view read. */
static void check_net_namespace(struct builder *b, const struct model *m, const char *distro)
{
    enum { NET = 3 }; /* view_ns_types[3] */
    size_t at = distro_namespace(m, distro);
    if (at == MODEL_NONE || !m->namespaces[at].types[NET])
        return;
    const struct model_namespace *ns = &m->namespaces[at];
    size_t steps = 0;
    for (size_t up = ns->parent; up != MODEL_NONE && steps <= m->namespace_nr;
         up = m->namespaces[up].parent, steps++) {
        const struct model_namespace *anc = &m->namespaces[up];
        if (!anc->types[NET])
            continue;
        if (anc->types[NET] != ns->types[NET])
            add_finding(
                b, DOCTOR_F_OWN_NET, SEVERITY_WARNING, distro, NULL, 0,
                str_printf("distro %s runs in a network namespace of its own (net:[%llu]), not "
                           "the one of the %s (net:[%llu]) where WSL leaves every distro: "
                           "localhost forwarding between Windows and the distro reaches the "
                           "VM's network namespace, not this one, and abstract unix sockets "
                           "(X11 tries @/tmp/.X11-unix/X0 before the file) are not shared",
                           distro, (unsigned long long)ns->types[NET],
                           anc->label ? anc->label : "level above",
                           (unsigned long long)anc->types[NET]),
                restart_fix(distro));
        return;
    }
}

/* The distros the sources name, each with its /etc/wsl.conf parsed from its probe. */
static void list_distros(struct builder *b, const struct facts *facts, size_t n)
{
    struct doctor_report *r = b->out;
    r->distros = xcalloc(n + 1, sizeof *r->distros);
    r->distro_count = n;
    for (size_t i = 0; i < n; i++) {
        struct doctor_distro *d = &r->distros[i];
        d->distro = dup_or_null(facts[i].name);
        const struct view *v = usable_view(facts[i].distro_src);
        if (v)
            parse_wsl_conf(b, d, v);
    }
}

/* What the config files ask for (gui_state) from .wslconfig and each distro's wsl.conf, with
 * its findings. False (the error kept) when gui_state refused its input. */
static bool evaluate_config(struct builder *b, const struct facts *facts, struct gui_state *st)
{
    struct doctor_report *r = b->out;
    struct gui_distro_config *gin = xcalloc(r->distro_count + 1, sizeof *gin);
    for (size_t i = 0; i < r->distro_count; i++) {
        const struct doctor_distro *d = &r->distros[i];
        gin[i] =
            (struct gui_distro_config){facts[i].name, d->wsl_conf_exists ? &d->wsl_conf : NULL};
    }
    struct gui_config_input gi = {r->wslconfig_found ? &r->wslconfig : NULL, gin, r->distro_count};
    char *error = gui_state_evaluate(&gi, st);
    free(gin);
    if (error) {
        keep_error(b, error);
        return false;
    }
    r->wslconfig_value = st->wslconfig_value;
    r->wslconfig_line = st->wslconfig_line;
    r->safe_mode = st->safe_mode;
    copy_gui_findings(b, st);
    return true;
}

/* One distro's verdict and the findings about it. */
static void judge_distro(struct builder *b, const struct doctor_input *in, const struct facts *f,
                         const struct gui_distro_state *gs, struct doctor_distro *d)
{
    /* A distro without the file uses the global value: known as soon as the probe said so. */
    d->wsl_conf_value_known = d->have_wsl_conf;
    d->wsl_conf_value = gs->wsl_conf_value;
    d->wsl_conf_line = gs->wsl_conf_line;
    judge(b, in, f, gs, d);
    if (in->model)
        check_net_namespace(b, in->model, d->distro);
    if (d->wsl_conf_truncated)
        add_finding(b, DOCTOR_F_WSL_CONF_TRUNCATED, SEVERITY_WARNING, d->distro, "/etc/wsl.conf", 0,
                    str_printf("/etc/wsl.conf of distro %s is longer than 64 KiB; only its "
                               "start was read, so lines beyond it are not checked",
                               d->distro),
                    NULL);
}

static void report_versions(struct builder *b, const struct doctor_input *in)
{
    if (in->wsl_version_text)
        read_versions(b, in->wsl_version_text);
    else if (in->wsl_version_ran)
        add_finding(b, DOCTOR_F_NO_WSL_VERSION, SEVERITY_INFO, NULL, NULL, 0,
                    str_dup("`wsl --version` gave no version: this is the inbox Windows 10 "
                            "wsl.exe (or a very old build), which has no WSLg at all"),
                    str_dup("install WSL from the Microsoft Store: run `wsl --update`"));
}

/* Findings in the report's order: .wslconfig and the config files, then per distro, then
 * failed views and WSL's version. */
static void evaluate(struct builder *b, const struct doctor_input *in)
{
    struct doctor_report *r = b->out;
    r->wslconfig_path = dup_or_null(in->wslconfig_path ? in->wslconfig_path : ".wslconfig");
    r->wslconfig_found = in->wslconfig_found && !in->wslconfig_error;
    r->wslconfig_unreadable = in->wslconfig_found && in->wslconfig_error;
    report_wslconfig(b, in);
    size_t n = 0;
    struct facts *facts = gather_facts(in->sources, &n);
    list_distros(b, facts, n);
    struct gui_state st;
    if (!evaluate_config(b, facts, &st)) {
        free(facts);
        return;
    }
    for (size_t i = 0; i < n; i++)
        judge_distro(b, in, &facts[i], &st.distros[i], &r->distros[i]);
    gui_state_free(&st);
    free(facts);
    view_findings(b, in);
    report_versions(b, in);
}

errmsg doctor_evaluate(const struct doctor_input *in, struct doctor_report *out)
{
    memset(out, 0, sizeof *out);
    struct builder b = {.out = out};
    evaluate(&b, in);
    if (b.error)
        doctor_report_free(out);
    return b.error;
}

bool doctor_has_problem(const struct doctor_report *r)
{
    for (size_t i = 0; i < r->findings.nr; i++)
        if (r->findings.items[i].severity > SEVERITY_INFO)
            return true;
    return false;
}

void doctor_report_free(struct doctor_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->distro_count; i++) {
        struct doctor_distro *d = &r->distros[i];
        free(d->distro);
        free(d->cause);
        free(d->fix);
        free(d->evidence);
        free(d->config_cause);
        wslconf_result_free(&d->wsl_conf);
    }
    free(r->distros);
    finding_list_free(&r->findings);
    free(r->wslconfig_path);
    free(r->wsl_version);
    free(r->wslg_version);
    wslconf_result_free(&r->wslconfig);
    memset(r, 0, sizeof *r);
}
