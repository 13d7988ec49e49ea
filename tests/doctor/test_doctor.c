/* test_doctor.c - doctor_evaluate on synthetic views: each piece of evidence, each
 * disagreement between the config files and the measurement, the exact bytes of wsl.conf,
 * wsl --version, and the wslns-doctor/1 document. */
#include <cJSON.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "doctor/doctor.h"
#include "model.h"
#include "render/render_doctor.h"
#include "source.h"
#include "strbuf.h"
#include "view.h"

#define BOOT "5c1a5e3e-0000-4000-8000-000000000001"
#define NS_VM 4026531836ULL
#define NS_SYS 4026532200ULL
#define NS_DISTRO 4026532201ULL

/* The probe's context.wslg of a healthy GUI-on distro, and variants. */
#define WSLG_OK                                                                                    \
    "\"wslg\":{\"mnt_wslg\":true,\"mnt_wslg_x11\":true,\"wslgd\":false,\"x11_unix\":{\"type\":"    \
    "\"symlink\",\"target\":\"/mnt/wslg/.X11-unix\"},\"display\":\":0\",\"wayland_display\":"      \
    "\"wayland-0\"}"
#define WSLG_X11_DIR                                                                               \
    "\"wslg\":{\"mnt_wslg\":true,\"mnt_wslg_x11\":true,\"wslgd\":false,\"x11_unix\":{\"type\":"    \
    "\"directory\",\"target\":null},\"display\":\":0\",\"wayland_display\":\"wayland-0\"}"
#define WSLG_NO_DISPLAY                                                                            \
    "\"wslg\":{\"mnt_wslg\":true,\"mnt_wslg_x11\":true,\"wslgd\":false,\"x11_unix\":{\"type\":"    \
    "\"symlink\",\"target\":\"/mnt/wslg/.X11-unix\"},\"display\":null,\"wayland_display\":null}"
#define WSLG_NONE                                                                                  \
    "\"wslg\":{\"mnt_wslg\":false,\"mnt_wslg_x11\":false,\"wslgd\":false,\"x11_unix\":{\"type\":"  \
    "\"missing\",\"target\":null},\"display\":null,\"wayland_display\":null}"
#define SYSTEM_WSLG "\"wslg\":{\"mnt_wslg\":true,\"wslgd\":true}"

/* A current probe (X0 checked, mount points from mountinfo): WSL's layout, read-only bind. */
#define WSLG_MOUNTED                                                                               \
    "\"wslg\":{\"mnt_wslg\":true,\"mnt_wslg_x11\":true,\"wslgd\":false,\"x11_unix\":{\"type\":"    \
    "\"directory\",\"target\":null,\"mount_point\":true,\"read_only\":true,\"x0\":"                \
    "\"reachable\",\"x0_errno\":null},\"share\":{\"path\":\"/mnt/wslg\",\"mount_point\":true,"     \
    "\"x0\":\"reachable\",\"x0_errno\":null},\"tmp\":{\"mount_point\":false,\"fstype\":null},"     \
    "\"automount_root\":\"/mnt/\",\"automount_root_set\":false,\"gui_apps_enabled\":\"1\","        \
    "\"display\":\":0\",\"wayland_display\":\"wayland-0\"}"
/* ... with a tmpfs over /tmp (systemd's tmp.mount) hiding the mount and X0. */
#define WSLG_TMPFS                                                                                 \
    "\"wslg\":{\"mnt_wslg\":true,\"mnt_wslg_x11\":true,\"wslgd\":false,\"x11_unix\":{\"type\":"    \
    "\"missing\",\"target\":null,\"mount_point\":false,\"read_only\":null,\"x0\":\"missing\","     \
    "\"x0_errno\":null},\"share\":{\"path\":\"/mnt/wslg\",\"mount_point\":true,\"x0\":"            \
    "\"reachable\",\"x0_errno\":null},\"tmp\":{\"mount_point\":true,\"fstype\":\"tmpfs\"},"        \
    "\"display\":\":0\",\"wayland_display\":\"wayland-0\"}"

/* A one-namespace document of distro `distro` (its pid 1 in namespace ns, parent hidden). */
static char *distro_doc(const char *distro, uint64_t ns, const char *context_extra)
{
    return str_printf(
        "{\"schema\":\"wslns-probe/1\",\"kernel\":{\"release\":\"6.6-microsoft-standard-WSL2\","
        "\"boot_id\":\"" BOOT "\"},\"self\":{\"pid\":1,\"nspid\":[1],\"pidns\":%llu},"
        "\"context\":{\"distro\":\"%s\",%s},\"namespaces\":[{\"inode\":%llu,\"parent\":%llu,"
        "\"parent_visible\":false}],\"processes\":[{\"pid\":1,\"nspid\":[1],\"ppid\":0,"
        "\"pidns\":%llu,\"uid\":0,\"comm\":\"init(%s)\",\"cmdline\":[\"/init\"],\"starttime\":5}],"
        "\"errors\":[]}",
        (unsigned long long)ns, distro, context_extra, (unsigned long long)ns,
        (unsigned long long)NS_SYS, (unsigned long long)ns, distro);
}

/* A system distro's document: its namespace with the distro's below it. */
static char *system_doc(const char *distro)
{
    return str_printf(
        "{\"schema\":\"wslns-probe/1\",\"kernel\":{\"release\":\"6.6-microsoft-standard-WSL2\","
        "\"boot_id\":\"" BOOT "\"},\"self\":{\"pid\":9,\"nspid\":[9],\"pidns\":%llu},"
        "\"context\":{\"distro\":null,\"init_env\":{\"WSL2_DISTRO_NAME\":\"%s\"}," SYSTEM_WSLG "},"
        "\"namespaces\":[{\"inode\":%llu,\"parent\":%llu,\"parent_visible\":false},"
        "{\"inode\":%llu,\"parent\":%llu,\"parent_visible\":true}],"
        "\"processes\":[{\"pid\":1,\"nspid\":[1],\"ppid\":0,\"pidns\":%llu,\"uid\":0,"
        "\"comm\":\"init\",\"cmdline\":[\"/init\"],\"starttime\":3},"
        "{\"pid\":2,\"nspid\":[2,1],\"ppid\":1,\"pidns\":%llu,\"uid\":0,\"comm\":\"init(%s)\","
        "\"cmdline\":[\"/init\"],\"starttime\":5}],\"errors\":[]}",
        (unsigned long long)NS_SYS, distro, (unsigned long long)NS_SYS, (unsigned long long)NS_VM,
        (unsigned long long)NS_DISTRO, (unsigned long long)NS_SYS, (unsigned long long)NS_SYS,
        (unsigned long long)NS_DISTRO, distro);
}

/* The VM root's view with the distro's namespace directly below it (GUI apps off). */
static char *vm_doc_flat(const char *distro)
{
    return str_printf(
        "{\"schema\":\"wslns-probe/1\",\"kernel\":{\"release\":\"6.6-microsoft-standard-WSL2\","
        "\"boot_id\":\"" BOOT "\"},\"self\":{\"pid\":40,\"nspid\":[40],\"pidns\":%llu},"
        "\"context\":{\"distro\":null},\"namespaces\":[{\"inode\":%llu,\"parent\":null,"
        "\"parent_visible\":false},{\"inode\":%llu,\"parent\":%llu,\"parent_visible\":true}],"
        "\"processes\":[{\"pid\":1,\"nspid\":[1],\"ppid\":0,\"pidns\":%llu,\"uid\":0,"
        "\"comm\":\"mini_init\",\"cmdline\":[\"/init\"],\"starttime\":1},"
        "{\"pid\":7,\"nspid\":[7,1],\"ppid\":1,\"pidns\":%llu,\"uid\":0,\"comm\":\"init(%s)\","
        "\"cmdline\":[\"/init\"],\"starttime\":5}],\"errors\":[]}",
        (unsigned long long)NS_VM, (unsigned long long)NS_VM, (unsigned long long)NS_DISTRO,
        (unsigned long long)NS_VM, (unsigned long long)NS_VM, (unsigned long long)NS_DISTRO,
        distro);
}

#define NET_TYPES                                                                                  \
    "\"ns\":{\"mnt\":1,\"uts\":2,\"ipc\":3,\"net\":%llu,\"user\":5,\"cgroup\":6,\"time\":7}}"

/* vm_doc_flat with each namespace's "ns": the distro's net namespace given, the rest the VM's. */
static char *vm_doc_net(const char *distro, unsigned long long distro_net)
{
    char *doc = vm_doc_flat(distro);
    char vm_end[64], distro_end[64];
    snprintf(vm_end, sizeof vm_end, "\"parent\":null,\"parent_visible\":false}");
    snprintf(distro_end, sizeof distro_end, "\"parent\":%llu,\"parent_visible\":true}",
             (unsigned long long)NS_VM);

    char *a = strstr(doc, vm_end), *b = strstr(doc, distro_end);
    if (!a || !b)
        return doc;
    char *vm_types = str_printf(NET_TYPES, 4026531840ULL),
         *d_types = str_printf(NET_TYPES, distro_net);
    char *out = str_printf("%.*s,%s%.*s,%s%s", (int)(a + strlen(vm_end) - 1 - doc), doc, vm_types,
                           (int)(b + strlen(distro_end) - 1 - (a + strlen(vm_end))),
                           a + strlen(vm_end), d_types, b + strlen(distro_end));
    free(vm_types);
    free(d_types);
    free(doc);
    return out;
}

static struct source *add(struct source_list *l, enum source_kind kind, const char *distro,
                          char *doc)
{
    struct source *s = source_list_add(l, kind);
    s->distro = distro ? str_dup(distro) : NULL;
    if (!doc)
        return s;
    s->output = doc;
    s->output_len = strlen(doc);
    char *error = view_parse(doc, s->output_len, &s->view);
    if (!s->view) {
        fprintf(stderr, "  test document rejected: %s\n", error);
        source_fail(s, "%s", error ? error : "?");
    }
    free(error);
    return s;
}

struct run {
    struct source_list sources;
    struct model *model;
    struct doctor_report report;
};

/* Merges the sources and runs the doctor with this .wslconfig (NULL: there is none). */
static void evaluate(struct run *r, const char *wslconfig, const char *version_text)
{
    r->model = model_build(&r->sources);
    struct doctor_input in = {
        .sources = &r->sources,
        .model = r->model,
        .wslconfig_path = "C:\\Users\\x\\.wslconfig",
        .wslconfig_found = wslconfig != NULL,
        .wslconfig_data = wslconfig,
        .wslconfig_len = wslconfig ? strlen(wslconfig) : 0,
        .wsl_version_ran = true,
        .wsl_version_text = version_text,
    };
    CHECK(doctor_evaluate(&in, &r->report) == NULL);
}

static void done(struct run *r)
{
    doctor_report_free(&r->report);
    model_free(r->model);
    source_list_free(&r->sources);
}

static const struct doctor_distro *distro(const struct run *r, const char *name)
{
    for (size_t i = 0; i < r->report.distro_count; i++)
        if (strcmp(r->report.distros[i].distro, name) == 0)
            return &r->report.distros[i];
    return NULL;
}

static const struct finding *finding(const struct run *r, const char *code)
{
    for (size_t i = 0; i < r->report.findings.nr; i++)
        if (strcmp(r->report.findings.items[i].code, code) == 0)
            return &r->report.findings.items[i];
    return NULL;
}

#define VERSION_EN                                                                                 \
    "WSL version: 2.3.26.0\nKernel version: 6.6.36.6-1\nWSLg version: 1.0.65\nMSRDC version: "     \
    "1.2.5620\n"

static void healthy_distro_is_on(void)
{
    struct run r = {0};
    add(&r.sources, SOURCE_DISTRO, "Ubuntu", distro_doc("Ubuntu", NS_DISTRO, WSLG_OK));
    add(&r.sources, SOURCE_SYSTEM, "Ubuntu", system_doc("Ubuntu"));
    evaluate(&r, NULL, VERSION_EN);
    const struct doctor_distro *d = distro(&r, "Ubuntu");
    CHECK(d && d->gui == DOCTOR_GUI_ON && d->measured == DOCTOR_MEASURED_ON && !d->fix);
    CHECK(!doctor_has_problem(&r.report));
    CHECK_STR(r.report.wsl_version, "2.3.26.0");
    CHECK_STR(r.report.wslg_version, "1.0.65");
    done(&r);
}

static void off_by_wslconfig_and_measured_off_is_no_problem(void)
{
    struct run r = {0};
    add(&r.sources, SOURCE_DISTRO, "Ubuntu", distro_doc("Ubuntu", NS_DISTRO, WSLG_NONE));
    struct source *s = add(&r.sources, SOURCE_SYSTEM, "Ubuntu", NULL);
    source_skip(s, "GUI apps are off for Ubuntu (guiApplications=false), so it has no system "
                   "distro");
    s->wsl_error = str_dup("Wsl/Service/CreateInstance/WSL_E_GUI_APPLICATIONS_DISABLED");
    evaluate(&r, "[wsl2]\nguiApplications=false\n", VERSION_EN);
    const struct doctor_distro *d = distro(&r, "Ubuntu");
    CHECK(d && d->gui == DOCTOR_GUI_OFF && d->measured == DOCTOR_MEASURED_OFF);
    CHECK(d && d->fix && strstr(d->fix, "line 2 write `guiApplications=true`"));
    CHECK(r.report.wslconfig_line == 2 && !r.report.wslconfig_value);
    CHECK(finding(&r, GUI_F_OFF_BY_WSLCONFIG) != NULL);
    CHECK(!doctor_has_problem(&r.report));
    done(&r);
}

static void config_off_but_system_distro_runs_is_restart_pending(void)
{
    struct run r = {0};
    add(&r.sources, SOURCE_DISTRO, "Ubuntu", distro_doc("Ubuntu", NS_DISTRO, WSLG_OK));
    add(&r.sources, SOURCE_SYSTEM, "Ubuntu", system_doc("Ubuntu"));
    evaluate(&r, "[wsl2]\nguiApplications=false\n", VERSION_EN);
    const struct doctor_distro *d = distro(&r, "Ubuntu");
    CHECK(d && d->gui == DOCTOR_GUI_ON && !d->config_on);
    const struct finding *f = finding(&r, DOCTOR_F_RESTART_PENDING);
    CHECK(f && f->severity == SEVERITY_WARNING && f->fix && strstr(f->fix, "wsl --shutdown"));
    CHECK(doctor_has_problem(&r.report));
    done(&r);
}

static void config_on_but_gui_disabled_is_still_off(void)
{
    struct run r = {0};
    add(&r.sources, SOURCE_DISTRO, "Ubuntu", distro_doc("Ubuntu", NS_DISTRO, WSLG_NONE));
    struct source *s = add(&r.sources, SOURCE_SYSTEM, "Ubuntu", NULL);
    source_skip(s, "GUI apps are off for Ubuntu (guiApplications=false), so it has no system "
                   "distro");
    s->wsl_error = str_dup("Wsl/Service/CreateInstance/WSL_E_GUI_APPLICATIONS_DISABLED");
    evaluate(&r, "[wsl2]\nguiApplications=true\n", VERSION_EN);
    const struct doctor_distro *d = distro(&r, "Ubuntu");
    CHECK(d && d->gui == DOCTOR_GUI_OFF && d->config_on);
    CHECK(d && d->fix && strstr(d->fix, "wsl --shutdown"));
    CHECK(finding(&r, DOCTOR_F_STILL_OFF) != NULL);
    CHECK(doctor_has_problem(&r.report));
    done(&r);
}

static void inbox_wsl_exe_has_no_wslg(void)
{
    struct run r = {0};
    add(&r.sources, SOURCE_DISTRO, "Ubuntu", distro_doc("Ubuntu", NS_DISTRO, WSLG_NONE));
    struct source *s = add(&r.sources, SOURCE_SYSTEM, "Ubuntu", NULL);
    source_skip(s, "this wsl.exe has no --system (the inbox Windows 10 wsl.exe; WSL from the "
                   "Microsoft Store has it)");
    evaluate(&r, NULL, NULL);
    const struct doctor_distro *d = distro(&r, "Ubuntu");
    CHECK(d && d->gui == DOCTOR_GUI_OFF && d->fix && strstr(d->fix, "wsl --update"));
    CHECK(finding(&r, DOCTOR_F_INBOX_WSL) != NULL);
    CHECK(finding(&r, DOCTOR_F_STILL_OFF) == NULL);
    done(&r);

    /* With a version, the same refusal alone does not prove an inbox wsl.exe. */
    struct run r2 = {0};
    add(&r2.sources, SOURCE_DISTRO, "Ubuntu", distro_doc("Ubuntu", NS_DISTRO, WSLG_NONE));
    s = add(&r2.sources, SOURCE_SYSTEM, "Ubuntu", NULL);
    source_skip(s, "this wsl.exe has no --system (the inbox Windows 10 wsl.exe; WSL from the "
                   "Microsoft Store has it)");
    evaluate(&r2, NULL, VERSION_EN);
    CHECK(finding(&r2, DOCTOR_F_INBOX_WSL) == NULL);
    CHECK(finding(&r2, DOCTOR_F_STILL_OFF) != NULL);
    done(&r2);
}

static void tree_without_system_namespace_measures_off(void)
{
    struct run r = {0};
    add(&r.sources, SOURCE_VM, NULL, vm_doc_flat("Ubuntu"));
    add(&r.sources, SOURCE_DISTRO, "Ubuntu", NULL);
    source_skip(&r.sources.items[1], "stopped (use --all to start it)");
    evaluate(&r, "[wsl2]\nguiApplications=false\n", VERSION_EN);
    const struct doctor_distro *d = distro(&r, "Ubuntu");
    CHECK(d && d->measured == DOCTOR_MEASURED_OFF && d->gui == DOCTOR_GUI_OFF);
    CHECK(d && d->evidence && strstr(d->evidence, "directly below the VM root"));
    done(&r);
}

/* WSL's own layout: /tmp/.X11-unix a read-only bind mount (a directory to lstat), X0 live. */
static void read_only_bind_mount_with_live_x0_is_on(void)
{
    struct run r = {0};
    add(&r.sources, SOURCE_DISTRO, "Debian", distro_doc("Debian", NS_DISTRO, WSLG_MOUNTED));
    add(&r.sources, SOURCE_SYSTEM, "Debian", system_doc("Debian"));
    evaluate(&r, NULL, VERSION_EN);
    const struct doctor_distro *d = distro(&r, "Debian");
    CHECK(d && d->gui == DOCTOR_GUI_ON && !d->fix);
    CHECK(r.report.findings.nr == 0);
    CHECK(!doctor_has_problem(&r.report));
    done(&r);
}

/* A tmpfs over /tmp hides X0: broken, with a fix that works on a read-only mount point. */
static void x0_hidden_by_tmpfs_is_broken_with_a_mount_fix(void)
{
    struct run r = {0};
    add(&r.sources, SOURCE_DISTRO, "Debian",
        distro_doc("Debian", NS_DISTRO, "\"pid1\":{\"systemd\":true}," WSLG_TMPFS));
    add(&r.sources, SOURCE_SYSTEM, "Debian", system_doc("Debian"));
    evaluate(&r, NULL, VERSION_EN);
    const struct doctor_distro *d = distro(&r, "Debian");
    CHECK(d && d->gui == DOCTOR_GUI_BROKEN);
    const struct finding *f = finding(&r, DOCTOR_F_X11_UNREACHABLE);
    CHECK(f && f->severity == SEVERITY_ERROR && strstr(f->message, "tmpfs") && f->fix &&
          strstr(f->fix, "mkdir -p /tmp/.X11-unix && mount -o bind,ro /mnt/wslg/.X11-unix "
                         "/tmp/.X11-unix") &&
          strstr(f->fix, "systemctl mask tmp.mount") && strstr(f->fix, "wsl --terminate Debian") &&
          !strstr(f->fix, "rm "));
    CHECK(finding(&r, DOCTOR_F_MNT_WSLG_MISSING) == NULL);
    CHECK(doctor_has_problem(&r.report));
    done(&r);

    /* Without systemd the tmpfs came later (WSL mounts fstab before /tmp/.X11-unix). */
    struct run r2 = {0};
    add(&r2.sources, SOURCE_DISTRO, "Ubuntu", distro_doc("Ubuntu", NS_DISTRO, WSLG_TMPFS));
    add(&r2.sources, SOURCE_SYSTEM, "Ubuntu", system_doc("Ubuntu"));
    evaluate(&r2, NULL, VERSION_EN);
    f = finding(&r2, DOCTOR_F_X11_UNREACHABLE);
    CHECK(f && strstr(f->message, "after the distro started") && f->fix &&
          strstr(f->fix, "mount -o bind,ro /mnt/wslg/.X11-unix") && !strstr(f->fix, "systemctl"));
    done(&r2);
}

/* X0 missing in the share too: WSLg itself is down; a link is removed with plain rm only. */
static void dead_share_and_links_get_their_own_fixes(void)
{
    struct run r = {0};
    char *ctx = str_printf(
        "\"wslg\":{\"x11_unix\":{\"type\":\"symlink\",\"target\":\"/mnt/wslg/.X11-unix\","
        "\"mount_point\":false,\"x0\":\"refused\"},\"share\":{\"path\":\"/mnt/wslg\","
        "\"mount_point\":true,\"x0\":\"refused\"},\"display\":\":0\"}");
    add(&r.sources, SOURCE_DISTRO, "Ubuntu", distro_doc("Ubuntu", NS_DISTRO, ctx));
    add(&r.sources, SOURCE_SYSTEM, "Ubuntu", system_doc("Ubuntu"));
    evaluate(&r, NULL, VERSION_EN);
    const struct finding *f = finding(&r, DOCTOR_F_X11_UNREACHABLE);
    CHECK(f && strstr(f->message, "stale socket") && strstr(f->message, "not running") &&
          strstr(f->fix, "wsl --shutdown"));
    done(&r);
    free(ctx);

    struct run r2 = {0};
    ctx = str_printf("\"wslg\":{\"x11_unix\":{\"type\":\"symlink\",\"target\":\"/elsewhere\","
                     "\"mount_point\":false,\"x0\":\"missing\"},\"share\":{\"path\":"
                     "\"/mnt/wslg\",\"mount_point\":true,\"x0\":\"reachable\"},"
                     "\"display\":\":0\"}");
    add(&r2.sources, SOURCE_DISTRO, "Ubuntu", distro_doc("Ubuntu", NS_DISTRO, ctx));
    add(&r2.sources, SOURCE_SYSTEM, "Ubuntu", system_doc("Ubuntu"));
    evaluate(&r2, NULL, VERSION_EN);
    f = finding(&r2, DOCTOR_F_X11_UNREACHABLE);
    CHECK(f && strstr(f->message, "a link to /elsewhere") &&
          strstr(f->fix, "`rm /tmp/.X11-unix && mkdir -p /tmp/.X11-unix && mount -o bind,ro") &&
          !strstr(f->fix, "rm -r"));
    done(&r2);
    free(ctx);
}

/* A probe document older than the X0 check: a directory may be WSL's mount (fine) or a plain
 * directory hiding it; the doctor says unknown, not broken. A symlink to the share is fine. */
static void older_document_with_a_directory_is_unknown(void)
{
    struct run r = {0};
    add(&r.sources, SOURCE_DISTRO, "Debian", distro_doc("Debian", NS_DISTRO, WSLG_X11_DIR));
    add(&r.sources, SOURCE_SYSTEM, "Debian", system_doc("Debian"));
    evaluate(&r, NULL, VERSION_EN);
    const struct doctor_distro *d = distro(&r, "Debian");
    CHECK(d && d->gui == DOCTOR_GUI_UNKNOWN && d->cause && strstr(d->cause, "unknown"));
    const struct finding *f = finding(&r, DOCTOR_F_X11_UNKNOWN);
    CHECK(f && f->severity == SEVERITY_INFO);
    CHECK(!doctor_has_problem(&r.report));
    for (size_t i = 0; i < r.report.findings.nr; i++)
        CHECK(!r.report.findings.items[i].fix || !strstr(r.report.findings.items[i].fix, "rm -rf"));
    done(&r);
}

/* /mnt/wslg evidence is "a mount point" under the automount root: a leftover directory proves
 * nothing, a share under another root counts, and hostile paths are escaped, never put in a
 * command. */
static void share_mount_point_under_the_automount_root_is_the_evidence(void)
{
    struct run r = {0};
    char *ctx = str_printf("\"wslg\":{\"share\":{\"path\":\"/mnt/host/wslg\",\"mount_point\":"
                           "true,\"x0\":\"reachable\"},\"mnt_wslg\":true,\"x11_unix\":{\"type\":"
                           "\"directory\",\"mount_point\":true,\"x0\":\"reachable\"},"
                           "\"display\":\":0\"}");
    add(&r.sources, SOURCE_DISTRO, "dd", distro_doc("dd", NS_DISTRO, ctx));
    evaluate(&r, NULL, VERSION_EN);
    const struct doctor_distro *d = distro(&r, "dd");
    CHECK(d && d->measured == DOCTOR_MEASURED_ON && d->gui == DOCTOR_GUI_ON && d->evidence &&
          strstr(d->evidence, "/mnt/host/wslg is a mount point"));
    done(&r);
    free(ctx);

    /* an empty /mnt/wslg left on the disk: no mount point, so off */
    struct run r2 = {0};
    ctx = str_printf("\"wslg\":{\"share\":{\"path\":\"/mnt/wslg\",\"mount_point\":false,"
                     "\"x0\":\"missing\"},\"mnt_wslg\":true,\"display\":null}");
    add(&r2.sources, SOURCE_DISTRO, "Ubuntu", distro_doc("Ubuntu", NS_DISTRO, ctx));
    evaluate(&r2, "[wsl2]\nguiApplications=false\n", VERSION_EN);
    d = distro(&r2, "Ubuntu");
    CHECK(d && d->measured == DOCTOR_MEASURED_OFF && d->gui == DOCTOR_GUI_OFF);
    done(&r2);
    free(ctx);

    /* an older document: the directory alone is no evidence */
    struct run r3 = {0};
    add(&r3.sources, SOURCE_DISTRO, "Ubuntu", distro_doc("Ubuntu", NS_DISTRO, WSLG_OK));
    evaluate(&r3, NULL, VERSION_EN);
    d = distro(&r3, "Ubuntu");
    CHECK(d && d->measured == DOCTOR_MEASURED_UNKNOWN && d->gui == DOCTOR_GUI_UNKNOWN);
    done(&r3);

    /* hostile: an automount root with shell syntax and a terminal escape */
    struct run r4 = {0};
    ctx = str_printf("\"wslg\":{\"share\":{\"path\":\"/x$(reboot)\\u001b[2Jwslg\","
                     "\"mount_point\":true,\"x0\":\"reachable\"},\"x11_unix\":{\"type\":"
                     "\"symlink\",\"target\":\"/evil\\u001b]0;pwned\\u0007\",\"mount_point\":"
                     "false,\"x0\":\"missing\"},\"display\":\":0\"}");
    add(&r4.sources, SOURCE_DISTRO, "Ubuntu", distro_doc("Ubuntu", NS_DISTRO, ctx));
    add(&r4.sources, SOURCE_SYSTEM, "Ubuntu", system_doc("Ubuntu"));
    evaluate(&r4, NULL, VERSION_EN);
    const struct finding *f = finding(&r4, DOCTOR_F_X11_UNREACHABLE);
    CHECK(f && !strstr(f->fix, "$(reboot)") && strstr(f->fix, "<automount root>wslg"));
    char *text = render_doctor_text(&r4.report, false);
    CHECK(text && !strchr(text, '\x1b') && strstr(text, "\\e]0;pwned"));
    free(text);
    done(&r4);
    free(ctx);
}

static void unset_display_is_broken(void)
{
    struct run r = {0};
    add(&r.sources, SOURCE_DISTRO, "Ubuntu", distro_doc("Ubuntu", NS_DISTRO, WSLG_NO_DISPLAY));
    add(&r.sources, SOURCE_SYSTEM, "Ubuntu", system_doc("Ubuntu"));
    evaluate(&r, NULL, VERSION_EN);
    const struct doctor_distro *d = distro(&r, "Ubuntu");
    CHECK(d && d->gui == DOCTOR_GUI_BROKEN);
    CHECK(finding(&r, DOCTOR_F_DISPLAY_UNSET) != NULL);
    done(&r);
}

/* "[general]\nguiApplications=false\n" behind a UTF-8 BOM, sent through wsl_conf_hex: WSL's
 * init sees an invalid first line and stops reading, so GUI apps stay on. The sanitized text
 * (without the BOM's bytes) would wrongly say off. */
static void wsl_conf_is_read_from_its_exact_bytes(void)
{
    struct run r = {0};
    add(&r.sources, SOURCE_DISTRO, "Ubuntu",
        distro_doc("Ubuntu", NS_DISTRO,
                   WSLG_OK ",\"wsl_conf\":\"[general]\\nguiApplications=false\\n\","
                           "\"wsl_conf_hex\":\"efbbbf5b67656e6572616c5d0a677569417070"
                           "6c69636174696f6e733d66616c73650a\",\"wsl_conf_size\":35,"
                           "\"wsl_conf_truncated\":false"));
    add(&r.sources, SOURCE_SYSTEM, "Ubuntu", system_doc("Ubuntu"));
    evaluate(&r, NULL, VERSION_EN);
    const struct doctor_distro *d = distro(&r, "Ubuntu");
    CHECK(d && d->config_on && d->gui == DOCTOR_GUI_ON && d->wsl_conf_exists);
    CHECK(d && d->wsl_conf.stopped_line == 1);
    CHECK(finding(&r, GUI_F_AFTER_PARSING_STOPPED) != NULL);
    done(&r);
}

static void wsl_conf_off_names_its_line(void)
{
    struct run r = {0};
    add(&r.sources, SOURCE_DISTRO, "NoGui",
        distro_doc("NoGui", NS_DISTRO,
                   WSLG_NONE ",\"wsl_conf\":\"[general]\\nguiApplications=false\\n\","
                             "\"wsl_conf_size\":32,\"wsl_conf_truncated\":true"));
    struct source *s = add(&r.sources, SOURCE_SYSTEM, "NoGui", NULL);
    source_skip(s,
                "GUI apps are off for NoGui (guiApplications=false), so it has no system distro");
    s->wsl_error = str_dup("Wsl/Service/CreateInstance/WSL_E_GUI_APPLICATIONS_DISABLED");
    evaluate(&r, NULL, VERSION_EN);
    const struct doctor_distro *d = distro(&r, "NoGui");
    CHECK(d && d->gui == DOCTOR_GUI_OFF && d->wsl_conf_line == 2 && !d->wsl_conf_value);
    CHECK(d && d->fix && strstr(d->fix, "wsl --terminate NoGui"));
    CHECK(finding(&r, DOCTOR_F_WSL_CONF_TRUNCATED) != NULL);
    done(&r);
}

static void stopped_distro_is_unknown_not_a_problem(void)
{
    struct run r = {0};
    struct source *s = add(&r.sources, SOURCE_DISTRO, "Alpine", NULL);
    source_skip(s, "stopped (use --all to start it)");
    s = add(&r.sources, SOURCE_SYSTEM, "Alpine", NULL);
    source_skip(s, "stopped (use --all to start it)");
    evaluate(&r, NULL, VERSION_EN);
    const struct doctor_distro *d = distro(&r, "Alpine");
    CHECK(d && d->gui == DOCTOR_GUI_UNKNOWN && d->cause && strstr(d->cause, "--all"));
    CHECK(!doctor_has_problem(&r.report));
    done(&r);
}

static void failed_view_is_a_finding(void)
{
    struct run r = {0};
    add(&r.sources, SOURCE_DISTRO, "Ubuntu", distro_doc("Ubuntu", NS_DISTRO, WSLG_MOUNTED));
    struct source *s = add(&r.sources, SOURCE_SYSTEM, "Ubuntu", NULL);
    source_fail(s, "no answer within 8 s (killed)");
    evaluate(&r, NULL, VERSION_EN);
    const struct finding *f = finding(&r, DOCTOR_F_VIEW_FAILED);
    CHECK(f && f->message && strstr(f->message, "no answer within 8 s"));
    CHECK(distro(&r, "Ubuntu") && distro(&r, "Ubuntu")->gui == DOCTOR_GUI_ON);
    CHECK(doctor_has_problem(&r.report));
    done(&r);
}

static void localized_version_and_inbox_wsl(void)
{
    struct run r = {0};
    add(&r.sources, SOURCE_DISTRO, "Ubuntu", distro_doc("Ubuntu", NS_DISTRO, WSLG_OK));
    evaluate(&r, NULL, "WSL-Version: 2.3.26.0\nKernelversion: 6.6\nWSLg-Version: 1.0.66\n");
    CHECK_STR(r.report.wslg_version, "1.0.66");
    CHECK(finding(&r, DOCTOR_F_NO_WSL_VERSION) == NULL);
    done(&r);

    struct run r2 = {0};
    add(&r2.sources, SOURCE_DISTRO, "Ubuntu", distro_doc("Ubuntu", NS_DISTRO, WSLG_OK));
    evaluate(&r2, NULL, NULL);
    CHECK(r2.report.wslg_version == NULL);
    CHECK(finding(&r2, DOCTOR_F_NO_WSL_VERSION) != NULL);
    done(&r2);
}

/* A tampered distro controls its probe's context: wrong types and a broken hex twin must
 * neither crash nor count as evidence. */
static void hostile_context_is_no_evidence(void)
{
    struct run r = {0};
    add(&r.sources, SOURCE_DISTRO, "Ubuntu",
        distro_doc("Ubuntu", NS_DISTRO,
                   "\"wslg\":{\"mnt_wslg\":\"yes\",\"x11_unix\":[1],\"display\":7},"
                   "\"wsl_conf\":\"[general]\\nguiApplications=false\\n\",\"wsl_conf_hex\":\"5g\","
                   "\"wsl_conf_truncated\":\"no\""));
    evaluate(&r, NULL, VERSION_EN);
    const struct doctor_distro *d = distro(&r, "Ubuntu");
    /* The broken hex twin is ignored: the text says off, and nothing measured says more. */
    CHECK(d && !d->config_on && d->wsl_conf_line == 2 && !d->wsl_conf_truncated);
    CHECK(d && d->measured == DOCTOR_MEASURED_UNKNOWN && d->gui == DOCTOR_GUI_UNKNOWN);
    done(&r);
}

static void json_follows_the_schema(void)
{
    struct run r = {0};
    add(&r.sources, SOURCE_DISTRO, "Ubuntu", distro_doc("Ubuntu", NS_DISTRO, WSLG_OK));
    add(&r.sources, SOURCE_SYSTEM, "Ubuntu", system_doc("Ubuntu"));
    struct source *s = add(&r.sources, SOURCE_DISTRO, "Alpine", NULL);
    source_skip(s, "stopped (use --all to start it)");
    evaluate(&r, "[wsl2]\nguiApplications=false\nbogus=1\n", VERSION_EN);
    char *json = render_doctor_json(&r.report);
    cJSON *doc = json ? cJSON_Parse(json) : NULL;
    CHECK(doc != NULL);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(doc, "schema")), "wslns-doctor/1");
    cJSON *wc = cJSON_GetObjectItem(doc, "wslconfig");
    cJSON *gui = cJSON_GetObjectItem(wc, "gui_applications");
    CHECK(cJSON_IsFalse(cJSON_GetObjectItem(gui, "value")));
    CHECK_INT(cJSON_GetObjectItem(gui, "line")->valuedouble, 2);
    cJSON *problems = cJSON_GetObjectItem(wc, "problems");
    CHECK(cJSON_GetArraySize(problems) == 1);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(problems, 0), "code")),
              "config.unknown_key");
    cJSON *distros = cJSON_GetObjectItem(doc, "distros");
    CHECK(cJSON_GetArraySize(distros) == 2);
    cJSON *alpine = cJSON_GetArrayItem(distros, 1);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(alpine, "gui")), "unknown");
    cJSON *ag = cJSON_GetObjectItem(cJSON_GetObjectItem(alpine, "wsl_conf"), "gui_applications");
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(ag, "value")) &&
          cJSON_IsNull(cJSON_GetObjectItem(ag, "line")));
    cJSON *findings = cJSON_GetObjectItem(doc, "findings");
    bool pending = false;
    cJSON *f;
    cJSON_ArrayForEach(f, findings)
    {
        CHECK(cJSON_IsString(cJSON_GetObjectItem(f, "severity")));
        CHECK(cJSON_GetObjectItem(f, "line") && cJSON_GetObjectItem(f, "file"));
        pending = pending || strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(f, "code")),
                                    DOCTOR_F_RESTART_PENDING) == 0;
    }
    CHECK(pending);
    char *text = render_doctor_text(&r.report, false);
    CHECK(text && strstr(text, "Ubuntu  GUI apps: on "));
    CHECK(text && strstr(text, "wsl: Unknown key 'wsl2.bogus' in C:\\Users\\x\\.wslconfig:3"));
    struct doctor_html h;
    render_doctor_html_sections(&r.report, json, &h);
    CHECK(h.extras.section_count == 3 && h.sections[0].finding_count == 2);
    CHECK_STR(h.extras.json_id, "wslns-doctor");
    CHECK(strncmp(h.sections[0].findings[0].message, "GUI apps: on - ", 15) == 0);
    doctor_html_free(&h);
    free(text);
    cJSON_Delete(doc);
    free(json);
    done(&r);
}

/* WSL leaves every distro in the VM's network namespace; one that is not gets a warning
 * that says what breaks (localhost forwarding, abstract sockets) and how to restart. */
static void distro_in_its_own_net_namespace_is_a_warning(void)
{
    struct run r = {0};
    add(&r.sources, SOURCE_VM, NULL, vm_doc_net("NoGui", 4026532999ULL));
    add(&r.sources, SOURCE_DISTRO, "NoGui", distro_doc("NoGui", NS_DISTRO, WSLG_NONE));
    evaluate(&r, NULL, VERSION_EN);
    const struct finding *f = finding(&r, DOCTOR_F_OWN_NET);
    CHECK(f != NULL);
    if (f) {
        CHECK(f->severity == SEVERITY_WARNING);
        CHECK_STR(f->distro, "NoGui");
        CHECK(strstr(f->message, "net:[4026532999]") && strstr(f->message, "net:[4026531840]"));
        CHECK(strstr(f->message, "VM root") && strstr(f->message, "localhost forwarding"));
        CHECK(f->fix && strstr(f->fix, "wsl --terminate NoGui"));
    }
    done(&r);
    struct run same = {0};
    add(&same.sources, SOURCE_VM, NULL, vm_doc_net("NoGui", 4026531840ULL));
    add(&same.sources, SOURCE_DISTRO, "NoGui", distro_doc("NoGui", NS_DISTRO, WSLG_NONE));
    evaluate(&same, NULL, VERSION_EN);
    CHECK(finding(&same, DOCTOR_F_OWN_NET) == NULL);
    done(&same);
}

static const struct check_case cases[] = {
    {"a distro in a network namespace of its own is a warning (the VM's: nothing)",
     distro_in_its_own_net_namespace_is_a_warning},
    {"a distro with its system distro, /mnt/wslg, DISPLAY and the X11 link is on",
     healthy_distro_is_on},
    {".wslconfig off and wsl --system refused: off, nothing to fix",
     off_by_wslconfig_and_measured_off_is_no_problem},
    {".wslconfig off while the system distro runs: restart pending (wsl --shutdown)",
     config_off_but_system_distro_runs_is_restart_pending},
    {"config on but WSL_E_GUI_APPLICATIONS_DISABLED: off with a warning",
     config_on_but_gui_disabled_is_still_off},
    {"no --system and no --version: the inbox wsl.exe, which has no WSLg",
     inbox_wsl_exe_has_no_wslg},
    {"a distro namespace directly below the VM root measures off",
     tree_without_system_namespace_measures_off},
    {"WSL's read-only bind mount on /tmp/.X11-unix with a live X0 is on, no finding",
     read_only_bind_mount_with_live_x0_is_on},
    {"X0 hidden by a tmpfs over /tmp is broken, fixed by a mount that works read-only",
     x0_hidden_by_tmpfs_is_broken_with_a_mount_fix},
    {"a dead WSLg socket says restart; a link is removed with plain rm",
     dead_share_and_links_get_their_own_fixes},
    {"an older document with a /tmp/.X11-unix directory is unknown, not broken",
     older_document_with_a_directory_is_unknown},
    {"the share's mount point under the automount root is the evidence; hostile paths escaped",
     share_mount_point_under_the_automount_root_is_the_evidence},
    {"DISPLAY and WAYLAND_DISPLAY unset is broken", unset_display_is_broken},
    {"wsl.conf is parsed from wsl_conf_hex (a BOM makes WSL ignore it)",
     wsl_conf_is_read_from_its_exact_bytes},
    {"wsl.conf guiApplications=false: off, its line, wsl --terminate; truncation is reported",
     wsl_conf_off_names_its_line},
    {"a stopped distro is unknown and no problem", stopped_distro_is_unknown_not_a_problem},
    {"a failed view is a warning", failed_view_is_a_finding},
    {"wsl --version: localized labels read, its absence reported", localized_version_and_inbox_wsl},
    {"a hostile probe context is no evidence and no crash", hostile_context_is_no_evidence},
    {"wslns-doctor/1, the text and the HTML sections", json_follows_the_schema},
};

int main(int argc, char **argv)
{
    return check_main(cases, CHECK_COUNT(cases), argc, argv);
}
