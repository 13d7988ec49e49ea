/* The merge: hand-made views of one WSL layout (VM root R, system distro A, distro B,
 * container C; a GUI-off distro D) and hostile ones (cycles, another boot, reused pids). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "model.h"
#include "host_support.h"

enum { R = 4026531836u, A = 4026532100u, B = 4026532200u, C = 4026532300u, D = 4026532400u };
#define BOOT "4a1e3c9e-0000-4000-8000-000000000001"

/* The VM root's view: sees every level. */
static char *vm_doc(const char *boot)
{
    struct docb d = {0};
    docb_ns(&d, R, 0, 1);
    docb_ns(&d, A, R, 1);
    docb_ns(&d, B, A, 1);
    docb_ns(&d, C, B, 1);
    docb_ns(&d, D, R, 1);
    docb_proc(&d, R, "mini_init", 10, 1, 1LL);
    docb_proc(&d, A, "init", 20, 2, 10LL, 1LL);
    docb_proc(&d, A, "WSLGd", 21, 2, 11LL, 2LL);
    docb_proc(&d, B, "init(Ubuntu)", 30, 3, 12LL, 3LL, 1LL);
    docb_proc(&d, B, "bash", 31, 3, 13LL, 4LL, 2LL);
    docb_proc(&d, C, "nginx", 40, 4, 14LL, 5LL, 3LL, 1LL);
    docb_proc(&d, D, "init(NoGui)", 50, 2, 15LL, 1LL);
    return docb_finish(&d, boot, R, NULL);
}

/* The system distro's view (wsl --system -d Ubuntu): its root's parent is not visible. */
static char *system_doc(void)
{
    struct docb d = {0};
    docb_ns(&d, A, 0, 0);
    docb_ns(&d, B, A, 1);
    docb_ns(&d, C, B, 1);
    docb_proc(&d, A, "init", 20, 1, 1LL);
    docb_proc(&d, A, "WSLGd", 21, 1, 2LL);
    docb_proc(&d, B, "init(Ubuntu)", 30, 2, 3LL, 1LL);
    docb_proc(&d, B, "bash", 31, 2, 4LL, 2LL);
    docb_proc(&d, C, "nginx", 40, 3, 5LL, 3LL, 1LL);
    return docb_finish(&d, BOOT, A, NULL);
}

static char *distro_doc(void)
{
    struct docb d = {0};
    docb_ns(&d, B, 0, 0);
    docb_ns(&d, C, B, 1);
    docb_proc(&d, B, "init(Ubuntu)", 30, 1, 1LL);
    docb_proc(&d, B, "bash", 31, 1, 2LL);
    docb_proc(&d, C, "nginx", 40, 2, 3LL, 1LL);
    return docb_finish(&d, BOOT, B, "Ubuntu");
}

static struct model *build(struct source_list *sources)
{
    struct model *m = NULL;
    m = model_build(sources);
    return m;
}

static const struct model_process *proc_at(const struct model *m, uint64_t inode, int64_t pid)
{
    size_t ns = model_find_namespace(m, inode);
    size_t p = ns == MODEL_NONE ? MODEL_NONE : model_find_pid(m, ns, pid);
    return p == MODEL_NONE ? NULL : &m->processes[p];
}

static bool has_diag(const struct model *m, const char *code)
{
    for (size_t i = 0; i < m->diag_nr; i++)
        if (strcmp(m->diags[i].code, code) == 0)
            return true;
    return false;
}

static void check_kind(const struct model *m, uint64_t inode, enum ns_kind kind, const char *label)
{
    size_t ns = model_find_namespace(m, inode);
    CHECK(ns != MODEL_NONE);
    if (ns == MODEL_NONE)
        return;
    CHECK_STR(model_kind_name(m->namespaces[ns].kind), model_kind_name(kind));
    CHECK_STR(m->namespaces[ns].label, label);
}

static void every_pid_at_every_level(void)
{
    struct source_list sources = {0};
    add_doc(&sources, SOURCE_VM, NULL, vm_doc(BOOT));
    add_doc(&sources, SOURCE_SYSTEM, "Ubuntu", system_doc());
    add_doc(&sources, SOURCE_DISTRO, "Ubuntu", distro_doc());
    struct model *m = build(&sources);
    if (!m)
        return;
    CHECK_INT(m->namespace_nr, 5);
    CHECK_INT(m->process_nr, 7);
    CHECK_INT(m->top_count, 1);
    check_kind(m, R, NS_VM, "VM root");
    check_kind(m, A, NS_SYSTEM, "system distro of Ubuntu");
    check_kind(m, B, NS_DISTRO, "distro Ubuntu");
    check_kind(m, C, NS_CONTAINER, "container in Ubuntu (pid 1: nginx)");
    check_kind(m, D, NS_DISTRO, "distro NoGui");
    const struct model_process *nginx = proc_at(m, R, 14);
    CHECK(nginx != NULL);
    if (nginx) {
        CHECK_STR(nginx->comm, "nginx");
        CHECK_INT(nginx->levels, 4);
        CHECK_INT(nginx->pids[0], 14);
        CHECK_INT(nginx->pids[1], 5);
        CHECK_INT(nginx->pids[2], 3);
        CHECK_INT(nginx->pids[3], 1);
        CHECK(proc_at(m, A, 5) == nginx);
        CHECK(proc_at(m, B, 3) == nginx);
        CHECK(proc_at(m, C, 1) == nginx);
    }
    CHECK_INT(m->diag_nr, 0);
    for (size_t i = 0; i < m->diag_nr; i++)
        fprintf(stderr, "  unexpected: %s %s\n", m->diags[i].code, m->diags[i].message);
    model_free(m);
    source_list_free(&sources);
}

static void no_debug_shell_gives_a_placeholder(void)
{
    struct source_list sources = {0};
    add_doc(&sources, SOURCE_SYSTEM, "Ubuntu", system_doc());
    add_doc(&sources, SOURCE_DISTRO, "Ubuntu", distro_doc());
    struct model *m = build(&sources);
    if (!m)
        return;
    CHECK_INT(m->top_count, 1);
    const struct model_namespace *top = &m->namespaces[m->tops[0]];
    CHECK(top->placeholder);
    CHECK_STR(top->id, "unknown:1");
    CHECK(strstr(top->label, "parent not visible") != NULL);
    CHECK(strstr(top->label, "wsl --debug-shell") != NULL);
    check_kind(m, A, NS_SYSTEM, "system distro of Ubuntu");
    check_kind(m, B, NS_DISTRO, "distro Ubuntu");
    check_kind(m, C, NS_CONTAINER, "container in Ubuntu (pid 1: nginx)");
    const struct model_process *nginx = proc_at(m, A, 5);
    CHECK(nginx != NULL);
    if (nginx) {
        CHECK_INT(nginx->levels, 4);
        CHECK_INT(nginx->pids[0], 0); /* the unseen level */
        CHECK_INT(nginx->pids[1], 5);
        CHECK_INT(nginx->pids[3], 1);
    }
    CHECK(has_diag(m, "model.parent_not_visible"));
    CHECK_INT(m->diag_nr, 1);
    model_free(m);
    source_list_free(&sources);
}

static void gui_off_distro_sits_below_the_root(void)
{
    struct source_list sources = {0};
    add_doc(&sources, SOURCE_VM, NULL, vm_doc(BOOT));
    struct docb d = {0};
    docb_ns(&d, D, 0, 0);
    docb_proc(&d, D, "init(NoGui)", 50, 1, 1LL);
    add_doc(&sources, SOURCE_DISTRO, "NoGui", docb_finish(&d, BOOT, D, "NoGui"));
    struct model *m = build(&sources);
    if (!m)
        return;
    size_t ns = model_find_namespace(m, D);
    CHECK(ns != MODEL_NONE && m->namespaces[ns].parent == model_find_namespace(m, R));
    check_kind(m, D, NS_DISTRO, "distro NoGui");
    const struct model_process *init = proc_at(m, D, 1);
    CHECK(init && init->levels == 2 && init->pids[0] == 15);
    model_free(m);
    source_list_free(&sources);
}

static void kernel_cut_init_name_is_completed(void)
{
    struct source_list sources = {0};
    struct docb d = {0};
    docb_ns(&d, B, 0, 0);
    docb_proc(&d, B, "init(docker-des", 30, 1, 1LL);
    add_doc(&sources, SOURCE_FILE, NULL, docb_finish(&d, BOOT, B, "docker-desktop"));
    struct model *m = build(&sources);
    if (m)
        check_kind(m, B, NS_DISTRO, "distro docker-desktop");
    model_free(m);
    source_list_free(&sources);
    /* Without the view's own name, the cut text stays visibly cut. */
    docb_ns(&d, B, 0, 0);
    docb_proc(&d, B, "init(docker-des", 30, 1, 1LL);
    add_doc(&sources, SOURCE_FILE, NULL, docb_finish(&d, BOOT, B, NULL));
    m = build(&sources);
    if (m)
        check_kind(m, B, NS_DISTRO, "distro docker-des\xE2\x80\xA6");
    model_free(m);
    source_list_free(&sources);
}

static void systemd_distro_is_named_by_init_systemd(void)
{
    struct source_list sources = {0};
    struct docb d = {0};
    docb_ns(&d, B, 0, 0);
    docb_proc(&d, B, "systemd", 30, 1, 1LL);
    docb_proc(&d, B, "init-systemd(Deb", 31, 1, 2LL);
    add_doc(&sources, SOURCE_FILE, NULL, docb_finish(&d, BOOT, B, NULL));
    struct model *m = build(&sources);
    if (m)
        check_kind(m, B, NS_DISTRO, "distro Deb\xE2\x80\xA6");
    model_free(m);
    source_list_free(&sources);
}

/* WSL names the system distro's pid 1 init() (an instance without a name): that alone
 * makes it one, even seen from the VM root only and with WSLg not running in it. */
static void system_distro_is_named_by_empty_init(void)
{
    struct source_list sources = {0};
    struct docb d = {0};
    docb_ns(&d, R, 0, 1);
    docb_ns(&d, A, R, 1);
    docb_ns(&d, B, A, 1);
    docb_proc(&d, R, "mini_init", 10, 1, 1LL);
    docb_proc(&d, R, "GNS", 11, 1, 2LL);
    docb_proc(&d, R, "init", 12, 1, 3LL); /* the port tracker, argv[0] "localhost" */
    docb_proc(&d, A, "init()", 20, 2, 13LL, 1LL);
    docb_proc(&d, B, "init(Ubuntu)", 30, 3, 14LL, 2LL, 1LL);
    add_doc(&sources, SOURCE_FILE, NULL, docb_finish(&d, BOOT, R, NULL));
    struct model *m = build(&sources);
    if (m) {
        check_kind(m, R, NS_VM, "VM root");
        check_kind(m, A, NS_SYSTEM, "system distro of Ubuntu");
        check_kind(m, B, NS_DISTRO, "distro Ubuntu");
    }
    model_free(m);
    source_list_free(&sources);
}

static void cycles_are_reported_and_broken(void)
{
    struct source_list sources = {0};
    struct docb d = {0};
    docb_ns(&d, A, B, 1);
    docb_ns(&d, B, C, 1);
    docb_ns(&d, C, A, 1);
    docb_proc(&d, A, "a", 1, 1, 1LL);
    docb_proc(&d, B, "b", 1, 2, 2LL, 1LL);
    add_doc(&sources, SOURCE_FILE, NULL, docb_finish(&d, BOOT, A, NULL));
    /* A second view claims B is A's parent: a two-view cycle of another shape. */
    docb_ns(&d, B, A, 1);
    docb_ns(&d, A, B, 1);
    add_doc(&sources, SOURCE_FILE, NULL, docb_finish(&d, BOOT, B, NULL));
    struct model *m = build(&sources);
    if (!m)
        return;
    CHECK(has_diag(m, "model.namespace_cycle"));
    CHECK(has_diag(m, "model.parent_conflict"));
    CHECK(m->top_count >= 1);
    for (size_t i = 0; i < m->namespace_nr; i++) {
        size_t steps = 0;
        for (size_t at = i; at != MODEL_NONE && steps <= m->namespace_nr;
             at = m->namespaces[at].parent)
            steps++;
        CHECK(steps <= m->namespace_nr);
    }
    model_free(m);
    source_list_free(&sources);
}

static void another_boot_is_kept_apart(void)
{
    struct source_list sources = {0};
    add_doc(&sources, SOURCE_SYSTEM, "Ubuntu", system_doc());
    add_doc(&sources, SOURCE_DISTRO, "Ubuntu", distro_doc());
    struct source *old =
        add_doc(&sources, SOURCE_VM, NULL, vm_doc("99999999-dead-beef-0000-000000000000"));
    struct model *m = build(&sources);
    if (!m)
        return;
    CHECK_INT(old->status, SOURCE_FAILED);
    CHECK(old->reason && strstr(old->reason, "from another boot") &&
          strstr(old->reason, "99999999-dead"));
    CHECK(has_diag(m, "model.another_boot"));
    CHECK(model_find_namespace(m, R) == MODEL_NONE); /* nothing of it merged */
    CHECK(m->namespaces[m->tops[0]].placeholder);
    model_free(m);
    source_list_free(&sources);
}

static void view_without_boot_id_is_merged_and_said(void)
{
    struct source_list sources = {0};
    add_doc(&sources, SOURCE_SYSTEM, "Ubuntu", system_doc());
    char *doc = distro_doc();
    char *at = strstr(doc, "\"" BOOT "\"");
    CHECK(at != NULL);
    if (at) { /* the same document with "boot_id": null */
        char *patched = str_printf("%.*snull%s", (int)(at - doc), doc, at + strlen(BOOT) + 2);
        free(doc);
        doc = patched;
    }
    struct source *s = add_doc(&sources, SOURCE_DISTRO, "Ubuntu", doc);
    struct model *m = build(&sources);
    if (!m)
        return;
    CHECK_INT(s->status, SOURCE_OK);
    CHECK(has_diag(m, "model.boot_unknown"));
    CHECK_STR(m->boot_id, BOOT);
    check_kind(m, B, NS_DISTRO, "distro Ubuntu");
    model_free(m);
    source_list_free(&sources);
}

static void reused_pid_is_reported(void)
{
    struct source_list sources = {0};
    add_doc(&sources, SOURCE_VM, NULL, vm_doc(BOOT));
    struct docb d = {0};
    docb_ns(&d, B, 0, 0);
    docb_proc(&d, B, "init(Ubuntu)", 30, 1, 1LL);
    docb_proc(&d, B, "vim", 999, 1, 2LL); /* bash ended, vim got its pid */
    add_doc(&sources, SOURCE_DISTRO, "Ubuntu", docb_finish(&d, BOOT, B, "Ubuntu"));
    struct model *m = build(&sources);
    if (!m)
        return;
    CHECK(has_diag(m, "model.pid_reused"));
    const struct model_process *p = proc_at(m, B, 2);
    CHECK(p && strcmp(p->comm, "bash") == 0); /* the one seen with more levels */
    model_free(m);
    source_list_free(&sources);
}

static void nspid_depth_disagreeing_with_parents_is_reported(void)
{
    struct source_list sources = {0};
    struct docb d = {0};
    docb_ns(&d, B, 0, 0);
    docb_ns(&d, C, B, 1);
    docb_proc(&d, B, "init(Ubuntu)", 30, 1, 1LL);
    docb_proc(&d, C, "nginx", 40, 3, 7LL, 3LL, 1LL); /* 3 levels, but C is only 1 below the root */
    add_doc(&sources, SOURCE_DISTRO, "Ubuntu", docb_finish(&d, BOOT, B, "Ubuntu"));
    struct model *m = build(&sources);
    if (!m)
        return;
    CHECK(has_diag(m, "model.nspid_depth"));
    model_free(m);
    source_list_free(&sources);
}

static void diagnostics_are_capped_per_code(void)
{
    struct source_list sources = {0};
    struct docb d = {0};
    for (unsigned long long start = 1; start <= 2; start++) {
        docb_ns(&d, B, 0, 0);
        for (long long pid = 1; pid <= 500; pid++)
            docb_proc(&d, B, "x", start, 1, pid);
        add_doc(&sources, SOURCE_DISTRO, "Ubuntu", docb_finish(&d, BOOT, B, "Ubuntu"));
    }
    struct model *m = build(&sources);
    if (!m)
        return;
    size_t reused = 0;
    for (size_t i = 0; i < m->diag_nr; i++)
        reused += strcmp(m->diags[i].code, "model.pid_reused") == 0;
    CHECK_INT(reused, MODEL_MAX_DIAGS_PER_CODE + 1);
    CHECK(strstr(m->diags[m->diag_nr - 1].message, "more like the above") != NULL);
    model_free(m);
    source_list_free(&sources);
}

/* A process with a parent and an exact command line (JSON array text); nspid outermost
 * first, n levels. */
static void own_proc(struct docb *d, uint64_t pidns, const char *comm, long long ppid,
                     const char *cmdline, int n, long long outer, long long own)
{
    strbuf_printf(&d->procs, "%s{\"nspid\":[", d->proc_count++ ? "," : "");
    if (n == 2)
        strbuf_printf(&d->procs, "%lld,", outer);
    strbuf_printf(&d->procs,
                  "%lld],\"pid\":%lld,\"ppid\":%lld,\"pidns\":%llu,\"uid\":0,\"comm\":\"%s\","
                  "\"cmdline\":%s,\"starttime\":%lld}",
                  own, n == 2 ? outer : own, ppid, (unsigned long long)pidns, comm, cmdline,
                  1000 + own);
}

#define MARKER "wslns-run-00112233445566778899aabbccddeeff"
#define RUNNER "[\"sh\",\"-c\",\"d=$(mktemp -d) && cat > \\\"$d/wslns-probe\\\"\",\"" MARKER "\"]"

/* Distro B as seen from the VM root (two levels, pids 20..29) or from itself (one level,
 * 1..9): this run's runner (2) with a subshell (3), its mktemp (4) and the probe (5); and
 * three impostors: a copy of sleep named wslns-probe (6), a script like the runner without
 * the marker (7, with a child 9) and one with another run's marker (8). */
static void distro_b(struct docb *d, int levels)
{
    long long o = levels == 2 ? 20 : 0, root = levels == 2 ? 1 : 0;
    own_proc(d, B, "init(Ubuntu)", root, "[\"/init\"]", levels, o + 0, 1);
    own_proc(d, B, "sh", o ? o + 0 : 1, RUNNER, levels, o + 1, 2);
    own_proc(d, B, "sh", o ? o + 1 : 2, RUNNER, levels, o + 2, 3);
    own_proc(d, B, "mktemp", o ? o + 2 : 3, "[\"mktemp\",\"-d\"]", levels, o + 3, 4);
    own_proc(d, B, "wslns-probe", o ? o + 1 : 2, "[\"/tmp/tmp.x/wslns-probe\"]", levels, o + 4, 5);
    own_proc(d, B, "wslns-probe", o ? o + 0 : 1, "[\"./wslns-probe\",\"600\"]", levels, o + 5, 6);
    own_proc(d, B, "sh", o ? o + 0 : 1,
             "[\"sh\",\"-c\",\"d=$(mktemp -d) && cat > \\\"$d/wslns-probe\\\"\"]", levels, o + 6,
             7);
    own_proc(d, B, "sh", o ? o + 0 : 1, "[\"sh\",\"-c\",\"x\",\"wslns-run-0\"]", levels, o + 7, 8);
    own_proc(d, B, "sleep", o ? o + 6 : 7, "[\"sleep\",\"600\"]", levels, o + 8, 9);
    /* A launcher of this run caught before it execs the runner (env, a relay), its child. */
    own_proc(d, B, "env", o ? o + 0 : 1,
             "[\"env\",\"DISPLAY=:0\",\"sh\",\"-c\",\"d=$(mktemp -d)\",\"" MARKER "\"]", levels,
             o + 9, 10);
    own_proc(d, B, "cat", o ? o + 9 : 10, "[\"cat\"]", levels, o + 10, 11);
}

/* The VM root's view: mini_init, the debug shell's bash (5) and its probe (6, self). */
static char *own_vm_doc(void)
{
    struct docb d = {0};
    docb_ns(&d, R, 0, 1);
    docb_ns(&d, B, R, 1);
    own_proc(&d, R, "mini_init", 0, "[\"/init\"]", 1, 0, 1);
    own_proc(&d, R, "bash", 1, "[\"-bash\"]", 1, 0, 5);
    own_proc(&d, R, "wslns-probe", 5, "[\"/tmp/tmp.y/wslns-probe\"]", 1, 0, 6);
    distro_b(&d, 2);
    return docb_finish_self(&d, BOOT, R, NULL, 6);
}

static char *own_distro_doc(void)
{
    struct docb d = {0};
    docb_ns(&d, B, 0, 0);
    distro_b(&d, 1);
    return docb_finish_self(&d, BOOT, B, "Ubuntu", 5);
}

/* This run's processes are left out exactly (each view's probe and its shell, the runner
 * with this run's marker and what it started), seen from any view; impostors stay. */
static void own_processes_are_left_out_and_impostors_shown(void)
{
    struct source_list sources = {0};
    snprintf(sources.run_marker, sizeof sources.run_marker, "%s", MARKER);
    add_doc(&sources, SOURCE_VM, NULL, own_vm_doc());
    add_doc(&sources, SOURCE_DISTRO, "Ubuntu", own_distro_doc());
    struct model *m = build(&sources);
    if (!m)
        return;
    CHECK(proc_at(m, R, 1) != NULL);
    CHECK(proc_at(m, R, 5) == NULL); /* the probe's shell (debug shell) */
    CHECK(proc_at(m, R, 6) == NULL); /* the VM root's probe */
    CHECK(proc_at(m, B, 1) != NULL);
    for (int64_t pid = 2; pid <= 11; pid += pid == 5 ? 5 : 1) {
        if (proc_at(m, B, pid))
            fprintf(stderr, "  own process %lld of distro B is shown\n", (long long)pid);
        CHECK(proc_at(m, B, pid) == NULL);
    }
    for (int64_t pid = 6; pid <= 9; pid++) {
        if (!proc_at(m, B, pid))
            fprintf(stderr, "  impostor %lld of distro B is hidden\n", (long long)pid);
        CHECK(proc_at(m, B, pid) != NULL);
    }
    const struct model_process *imp = proc_at(m, B, 6);
    CHECK(imp && imp->pids[0] == 25); /* merged with the VM root's sighting */
    CHECK_INT(m->process_nr, 6);
    CHECK(has_diag(m, "model.own_processes_hidden"));
    model_free(m);
    source_list_free(&sources);
}

/* Distro C's runner shell (2) exits while the VM root is being read: that view sees it as a
 * zombie, whose command line is already gone, so the marker cannot name it. Its identity
 * (namespace, pid, start time) from C's own view still does. */
static void a_runner_seen_exiting_from_another_view_is_left_out(void)
{
    struct source_list sources = {0};
    snprintf(sources.run_marker, sizeof sources.run_marker, "%s", MARKER);
    struct docb vm = {0};
    docb_ns(&vm, R, 0, 1);
    docb_ns(&vm, C, R, 1);
    own_proc(&vm, R, "mini_init", 0, "[\"/init\"]", 1, 0, 1);
    own_proc(&vm, R, "bash", 1, "[\"-bash\"]", 1, 0, 5);
    own_proc(&vm, R, "wslns-probe", 5, "[\"/tmp/tmp.y/wslns-probe\"]", 1, 0, 6);
    own_proc(&vm, C, "init(Debian)", 1, "[\"/init\"]", 2, 30, 1);
    own_proc(&vm, C, "sh", 30, "[]", 2, 31, 2);
    own_proc(&vm, C, "sh", 30, "[]", 2, 33, 4); /* a user's zombie shell: shown */
    add_doc(&sources, SOURCE_VM, NULL, docb_finish_self(&vm, BOOT, R, NULL, 6));
    struct docb c = {0};
    docb_ns(&c, C, 0, 0);
    own_proc(&c, C, "init(Debian)", 0, "[\"/init\"]", 1, 0, 1);
    own_proc(&c, C, "sh", 1, RUNNER, 1, 0, 2);
    own_proc(&c, C, "wslns-probe", 2, "[\"/tmp/tmp.x/wslns-probe\"]", 1, 0, 3);
    add_doc(&sources, SOURCE_DISTRO, "Debian", docb_finish_self(&c, BOOT, C, "Debian", 3));
    struct model *m = build(&sources);
    if (!m)
        return;
    CHECK(proc_at(m, C, 1) != NULL);
    CHECK(proc_at(m, C, 2) == NULL);
    CHECK(proc_at(m, C, 3) == NULL);
    CHECK(proc_at(m, C, 4) != NULL);
    model_free(m);
    source_list_free(&sources);
}

/* Saved documents (--from) carry no marker: only each document's probe is left out. */
static void saved_documents_leave_out_only_the_probe(void)
{
    struct source_list sources = {0};
    add_doc(&sources, SOURCE_FILE, NULL, own_vm_doc());
    struct model *m = build(&sources);
    if (!m)
        return;
    CHECK(proc_at(m, R, 6) == NULL);
    CHECK(proc_at(m, R, 5) != NULL);
    for (int64_t pid = 20; pid <= 30; pid++)
        CHECK(proc_at(m, R, pid) != NULL);
    model_free(m);
    source_list_free(&sources);
}

/* Two views that give one pid namespace different other namespaces: the first view's are
 * kept, the contradiction is a diagnostic naming both; hostile members are unknown, said. */
static void namespace_types_conflict_is_said_first_kept(void)
{
    struct source_list sources = {0};
    struct docb d = {0};
    docb_ns_with(&d, B, 0, 0,
                 "{\"mnt\":11,\"uts\":12,\"ipc\":13,\"net\":14,\"user\":15,"
                 "\"cgroup\":16,\"time\":17}");
    docb_proc(&d, B, "init(Ubuntu)", 30, 1, 1LL);
    add_doc(&sources, SOURCE_DISTRO, "Ubuntu", docb_finish(&d, BOOT, B, "Ubuntu"));
    docb_ns(&d, A, 0, 0);
    /* net differs; mnt is hostile (a string), uts a fraction, time absent, one extra key */
    docb_ns_with(&d, B, A, 1,
                 "{\"mnt\":\"11\",\"uts\":1.5,\"ipc\":13,\"net\":99,\"user\":15,"
                 "\"cgroup\":null,\"pid\":4,\"time\":17}");
    docb_ns_with(&d, C, B, 1, "[1,2]");
    docb_proc(&d, A, "init", 20, 1, 1LL);
    docb_proc(&d, B, "init(Ubuntu)", 30, 2, 3LL, 1LL);
    docb_proc(&d, C, "nginx", 40, 2, 5LL, 1LL);
    add_doc(&sources, SOURCE_SYSTEM, "Ubuntu", docb_finish(&d, BOOT, A, NULL));
    struct model *m = build(&sources);
    if (!m)
        return;
    size_t b = model_find_namespace(m, B), c = model_find_namespace(m, C);
    CHECK(b != MODEL_NONE && c != MODEL_NONE);
    if (b != MODEL_NONE && c != MODEL_NONE) {
        const uint64_t want[VIEW_NS_TYPES] = {11, 12, 13, 14, 15, 16, 17};
        for (int t = 0; t < VIEW_NS_TYPES; t++)
            CHECK_INT(m->namespaces[b].types[t], want[t]);
        for (int t = 0; t < VIEW_NS_TYPES; t++)
            CHECK_INT(m->namespaces[c].types[t], 0);
    }
    CHECK(has_diag(m, "model.namespace_types_conflict"));
    CHECK(has_diag(m, "model.view_entry_dropped")); /* the hostile members, said */
    int conflicts = 0;
    for (size_t i = 0; i < m->diag_nr; i++) {
        if (strcmp(m->diags[i].code, "model.namespace_types_conflict") != 0)
            continue;
        conflicts++;
        CHECK(strstr(m->diags[i].message, "net:[14]") && strstr(m->diags[i].message, "net:[99]"));
    }
    CHECK_INT(conflicts, 1); /* only net: null, absent and hostile values contradict nothing */
    model_free(m);
    source_list_free(&sources);
}

static const struct check_case cases[] = {
    {"two views giving one namespace different types: the first kept, a diagnostic",
     namespace_types_conflict_is_said_first_kept},
    {"this run's own processes are left out exactly, impostors named like them are shown",
     own_processes_are_left_out_and_impostors_shown},
    {"a runner another view saw exiting (no command line left) is still left out",
     a_runner_seen_exiting_from_another_view_is_left_out},
    {"saved documents leave out only their probe", saved_documents_leave_out_only_the_probe},
    {"merge of vm + system + distro views gives every pid at every level",
     every_pid_at_every_level},
    {"merge without the debug shell hangs the tree below one placeholder",
     no_debug_shell_gives_a_placeholder},
    {"merge puts a GUI-off distro directly below the VM root", gui_off_distro_sits_below_the_root},
    {"merge completes a distro name the kernel cut at 15 bytes", kernel_cut_init_name_is_completed},
    {"merge names a systemd distro by its init-systemd(X) process",
     systemd_distro_is_named_by_init_systemd},
    {"merge knows a system distro by its pid 1 init() alone (no WSLg, VM root only)",
     system_distro_is_named_by_empty_init},
    {"merge reports and breaks namespace cycles", cycles_are_reported_and_broken},
    {"merge keeps a view from another boot apart and fails its source", another_boot_is_kept_apart},
    {"merge takes a view without boot_id on trust and says so",
     view_without_boot_id_is_merged_and_said},
    {"merge reports a pid reused between views", reused_pid_is_reported},
    {"merge reports NSpid depth that contradicts the parents",
     nspid_depth_disagreeing_with_parents_is_reported},
    {"merge keeps 20 diagnostics per code and counts the rest", diagnostics_are_capped_per_code},
};

int main(int argc, char **argv)
{
    return check_main(cases, CHECK_COUNT(cases), argc, argv);
}
