/* Tests of win/wsl/collect.c against the real wsl.exe emulator (tests/lab/wsl) on top of a
 * namespace-free stand-in lab (tests/lab/emu_fake_lab.sh) and a stand-in probe
 * (tests/lab/emu_fake_probe.sh): every decision collect makes - which views run, which are
 * skipped and why, timeouts, garbage, the debug shell's pty stream - in seconds, no root
 * needed. The real lab and probe are covered by the end-to-end tests. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "wsl/collect.h"
#include "platform/platform.h"

#ifndef WSLNS_LAB_SRC
#error "WSLNS_LAB_SRC (the tests/lab directory) must be defined by the build"
#endif

static const char *const knobs[] = {"EMU_DISTROS",     "EMU_ELEVATED",    "EMU_GUI",
                                    "EMU_HANG",        "EMU_GARBAGE",     "EMU_LATENCY",
                                    "EMU_VM",          "EMU_DEBUG_SHELL", "EMU_NO_SYSTEM_OPTION",
                                    "EMU_LIST",        "EMU_IGNORE_UTF8", "EMU_START_DELAY",
                                    "FAKE_CANNOT_MAP", "FAKE_PARTIAL",    "FAKE_LAB_VIEWS",
                                    "FAKE_HUGE",       "FAKE_OOM",        "EMU_LANG",
                                    "EMU_GONE"};

/* A fresh scenario: no knobs, an empty state dir (no emu.conf; the debug shell's console
 * lives there and keeps the knobs it started with, so each scenario gets a new one), the
 * stand-in lab. The consoles end when their state dir goes (atexit) or this process does. */
static char state_dir[64];

static void remove_state_dir(void)
{
    if (state_dir[0]) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", state_dir);
        if (system(cmd) != 0)
            fprintf(stderr, "  could not remove %s\n", state_dir);
        state_dir[0] = '\0';
    }
}

static void scenario(void)
{
    for (size_t i = 0; i < CHECK_COUNT(knobs); i++)
        unsetenv(knobs[i]);
    setenv("WSLNS_LAB_SH", WSLNS_LAB_SRC "/emu_fake_lab.sh", 1);
    if (!state_dir[0])
        atexit(remove_state_dir);
    remove_state_dir();
    strcpy(state_dir, "/tmp/wslns-collect-test.XXXXXX");
    CHECK(mkdtemp(state_dir) != NULL);
    setenv("WSLNS_LAB_DIR", state_dir, 1);
    char owner[32];
    snprintf(owner, sizeof owner, "%ld", (long)getpid());
    setenv("WSLNS_LAB_OWNER", owner, 1);
    setenv("EMU_DISTROS",
           "*Ubuntu:Running:2,NoGui:Running:2,Debian:Running:2,Alpine:Stopped:2,"
           "Legacy:Stopped:1,My Distro:Stopped:2,New:Installing:2",
           1);
}

static struct collect_options options(void)
{
    struct collect_options o = {.wsl_path = WSLNS_LAB_SRC "/wsl",
                                .probe_path = WSLNS_LAB_SRC "/emu_fake_probe.sh",
                                .timeout_s = 120};
    return o;
}

static const struct source *find(const struct source_list *l, enum source_kind kind,
                                 const char *distro)
{
    for (size_t i = 0; i < l->nr; i++) {
        const struct source *s = &l->items[i];
        if (s->kind == kind && (!distro || (s->distro && strcmp(s->distro, distro) == 0)))
            return s;
    }
    return NULL;
}

static const char *status_name(enum source_status st)
{
    return st == SOURCE_OK ? "ok" : st == SOURCE_FAILED ? "failed" : "skipped";
}

/* The source's status and reason (or output for an OK one) as one string to compare. */
static void expect(const struct source_list *l, enum source_kind kind, const char *distro,
                   enum source_status st, const char *text_prefix)
{
    const struct source *s = find(l, kind, distro);
    CHECK(s != NULL);
    if (!s) {
        fprintf(stderr, "  no source of kind %d for %s\n", kind, distro ? distro : "(vm)");
        return;
    }
    const char *text = st == SOURCE_OK ? s->output : s->reason;
    bool ok = s->status == st && text && strncmp(text, text_prefix, strlen(text_prefix)) == 0;
    if (!ok) {
        fprintf(stderr, "  %s %s: %s \"%s\" (output \"%.80s\"), expected %s \"%s...\"\n",
                kind == SOURCE_VM       ? "vm"
                : kind == SOURCE_SYSTEM ? "system"
                                        : "distro",
                distro ? distro : "", status_name(s->status), s->reason ? s->reason : "(null)",
                s->output ? s->output : "", status_name(st), text_prefix);
        check_failures_in_case++;
    }
}

/* How a refused debug shell is reported: a process that is not elevated never runs it. */
static const char *refused(void)
{
    return plat_is_elevated() ? "wsl.exe refused the debug shell (exit 1 without an error code"
                              : "run from an elevated prompt to see the VM level";
}

static void default_scenario(void)
{
    scenario();
    struct collect_options o = options();
    struct source_list l = {0};
    char *err = collect_views(&o, &l);
    CHECK(err == NULL);
    expect(&l, SOURCE_VM, NULL, SOURCE_OK, "{\"schema\":\"fake\",\"view\":\"vm\",\"uid\":0}");
    expect(&l, SOURCE_DISTRO, "Ubuntu", SOURCE_OK, "{\"schema\":\"fake\",\"view\":\"Ubuntu\"");
    expect(&l, SOURCE_SYSTEM, "Ubuntu", SOURCE_OK,
           "{\"schema\":\"fake\",\"view\":\"system:Ubuntu\"");
    expect(&l, SOURCE_DISTRO, "NoGui", SOURCE_OK, "{\"schema\":\"fake\",\"view\":\"NoGui\"");
    expect(&l, SOURCE_SYSTEM, "NoGui", SOURCE_SKIPPED,
           "GUI apps are off for NoGui (guiApplications=false), so it has no system distro");
    expect(&l, SOURCE_DISTRO, "Alpine", SOURCE_SKIPPED, "stopped (use --all to start it)");
    expect(&l, SOURCE_SYSTEM, "Alpine", SOURCE_SKIPPED, "stopped (use --all to start it)");
    expect(&l, SOURCE_DISTRO, "Legacy", SOURCE_SKIPPED, "WSL 1 has no pid namespaces");
    expect(&l, SOURCE_DISTRO, "My Distro", SOURCE_SKIPPED,
           "not addressable with -d (name has spaces); wslns cannot look up its --distribution-id");
    expect(&l, SOURCE_DISTRO, "New", SOURCE_SKIPPED, "Installing: wsl.exe cannot run anything");
    CHECK_INT(l.nr, 1 + 7 * 2);
    free(err);
    source_list_free(&l);
}

static void not_elevated(void)
{
    scenario();
    setenv("EMU_ELEVATED", "no", 1);
    struct collect_options o = options();
    struct source_list l = {0};
    char *err = collect_views(&o, &l);
    CHECK(err == NULL);
    /* As root (elevated) wsl.exe's refusal stays ambiguous on POSIX: no policy to read. */
    expect(&l, SOURCE_VM, NULL, SOURCE_SKIPPED, refused());
    const struct source *vm = find(&l, SOURCE_VM, NULL);
    CHECK(!plat_is_elevated() ||
          (vm && vm->reason &&
           strstr(vm->reason, "(wsl.exe: Running the debug shell requires running wsl.exe as "
                              "Administrator.)")));
    expect(&l, SOURCE_DISTRO, "Ubuntu", SOURCE_OK, "{");
    free(err);
    source_list_free(&l);
}

static void debug_shell_refusals(void)
{
    scenario();
    setenv("EMU_VM", "stopped", 1);
    struct collect_options o = options();
    struct source_list l = {0};
    char *err = collect_views(&o, &l);
    expect(&l, SOURCE_VM, NULL, SOURCE_SKIPPED, "the WSL 2 VM is not running");
    free(err);
    source_list_free(&l);

    scenario();
    setenv("EMU_DEBUG_SHELL", "policy", 1);
    err = collect_views(&o, &l);
    expect(&l, SOURCE_VM, NULL, SOURCE_SKIPPED, refused());
    free(err);
    source_list_free(&l);
}

/* Only the hanging view has a short budget (--timeout debian=2); the good ones keep the
 * generous default, so a loaded machine cannot fail them. */
static void hanging_distro_times_out_alone(void)
{
    scenario();
    setenv("EMU_HANG", "Debian", 1);
    struct collect_options o = options();
    const struct collect_timeout t[] = {{"debian", 2}};
    o.timeouts = t;
    o.timeout_count = 1;
    struct source_list l = {0};
    char *err = collect_views(&o, &l);
    CHECK(err == NULL);
    expect(&l, SOURCE_DISTRO, "Debian", SOURCE_FAILED,
           "no answer within 2 s (killed; its budget: --timeout debian=2)");
    expect(&l, SOURCE_SYSTEM, "Debian", SOURCE_OK, "{");
    expect(&l, SOURCE_DISTRO, "Ubuntu", SOURCE_OK, "{");
    expect(&l, SOURCE_VM, NULL, SOURCE_OK, "{");
    free(err);
    source_list_free(&l);
}

/* WSL gives a stopped distro 60 s to start and systemd 10 s more before anything runs in it:
 * --all must not count that against the probe's own budget. Here the start takes 3 s and
 * the views' own budget is 1 s; the running views keep a generous one. */
static void started_distro_gets_wsl_start_budget(void)
{
    scenario();
    setenv("EMU_DISTROS", "*Ubuntu:Running:2,NoGui:Stopped:2", 1);
    setenv("EMU_START_DELAY", "3", 1);
    struct collect_options o = options();
    o.all = true;
    const struct collect_timeout t[] = {{"NoGui", 1}};
    o.timeouts = t;
    o.timeout_count = 1;
    struct source_list l = {0};
    char *err = collect_views(&o, &l);
    CHECK(err == NULL);
    expect(&l, SOURCE_DISTRO, "NoGui", SOURCE_OK, "{\"schema\":\"fake\",\"view\":\"NoGui\"");
    expect(&l, SOURCE_DISTRO, "Ubuntu", SOURCE_OK, "{");
    free(err);
    source_list_free(&l);
}

/* Which budget a view gets, and the words that say which one ran out. */
static void budgets_say_which_ran_out(void)
{
    struct collect_options o = options();
    o.timeout_s = 30;
    const struct collect_timeout t[] = {
        {"vm", 200}, {"system:UBUNTU", 7}, {"Ubuntu", 5}, {"ubuntu", 6}};
    o.timeouts = t;
    o.timeout_count = 4;
    struct source vm = {.kind = SOURCE_VM};
    struct source ubuntu = {.kind = SOURCE_DISTRO, .distro = "Ubuntu"};
    struct source sys = {.kind = SOURCE_SYSTEM, .distro = "Ubuntu"};
    struct source debian = {.kind = SOURCE_DISTRO, .distro = "Debian"};
    struct collect_budget b;
    collect_budget_of(&o, &vm, false, false, &b);
    CHECK(b.seconds == 200);
    CHECK_STR(b.why, "its budget: --timeout vm=200");
    collect_budget_of(&o, &ubuntu, false, false, &b); /* the last one given wins */
    CHECK(b.seconds == 6);
    CHECK_STR(b.why, "its budget: --timeout ubuntu=6");
    collect_budget_of(&o, &sys, false, false, &b);
    CHECK(b.seconds == 7);
    collect_budget_of(&o, &debian, false, false, &b);
    CHECK(b.seconds == 30);
    CHECK_STR(b.why, "its budget: --timeout 30");
    collect_budget_of(&o, &debian, true, false, &b);
    CHECK(b.seconds == 60 + 10 + 30);
    CHECK_STR(b.why, "its budget, as the distro was stopped: WSL's 60 s to start the distro + "
                     "10 s for systemd + --timeout 30");
    collect_budget_of(&o, &sys, true, true, &b);
    CHECK(b.seconds == 30 + 60 + 10 + 7);
    CHECK_STR(b.why, "its budget, as the distro was stopped: WSL's 30 s to boot the VM + 60 s to "
                     "start the distro + 10 s for systemd + --timeout system:UBUNTU=7");
    /* The debug shell never starts the VM: nothing to add. */
    collect_budget_of(&o, &vm, true, true, &b);
    CHECK(b.seconds == 200);
}

static void garbage_fails_one_view(void)
{
    scenario();
    setenv("EMU_GARBAGE", "Ubuntu", 1);
    struct collect_options o = options();
    struct source_list l = {0};
    char *err = collect_views(&o, &l);
    expect(&l, SOURCE_DISTRO, "Ubuntu", SOURCE_FAILED,
           "not a probe document: Segmentation fault\\n\\x01\\x02 not json at all\\n");
    expect(&l, SOURCE_SYSTEM, "Ubuntu", SOURCE_OK, "{");
    free(err);
    source_list_free(&l);
}

static void gui_off_everywhere(void)
{
    scenario();
    setenv("EMU_GUI", "off", 1);
    struct collect_options o = options();
    struct source_list l = {0};
    char *err = collect_views(&o, &l);
    expect(&l, SOURCE_SYSTEM, "Ubuntu", SOURCE_SKIPPED, "GUI apps are off for Ubuntu");
    expect(&l, SOURCE_SYSTEM, "Debian", SOURCE_SKIPPED, "GUI apps are off for Debian");
    expect(&l, SOURCE_DISTRO, "Debian", SOURCE_OK, "{");
    free(err);
    source_list_free(&l);
}

static void options_turn_views_off(void)
{
    scenario();
    struct collect_options o = options();
    o.no_system = true;
    o.no_debug_shell = true;
    const char *only[] = {"ubuntu", "Nope", NULL};
    o.only = only;
    struct source_list l = {0};
    char *err = collect_views(&o, &l);
    expect(&l, SOURCE_VM, NULL, SOURCE_SKIPPED, "--no-debug-shell was given");
    expect(&l, SOURCE_SYSTEM, "Ubuntu", SOURCE_SKIPPED, "--no-system was given");
    expect(&l, SOURCE_DISTRO, "Ubuntu", SOURCE_OK, "{");
    expect(&l, SOURCE_DISTRO, "Nope", SOURCE_FAILED,
           "no distro named Nope (wsl --list --verbose shows: Ubuntu, NoGui, Debian, Alpine");
    CHECK(find(&l, SOURCE_DISTRO, "Debian") == NULL);
    free(err);
    source_list_free(&l);
}

static void all_starts_stopped_distros(void)
{
    scenario();
    setenv("EMU_DISTROS", "*Ubuntu:Stopped:2", 1);
    struct collect_options o = options();
    o.all = true;
    struct source_list l = {0};
    char *err = collect_views(&o, &l);
    expect(&l, SOURCE_DISTRO, "Ubuntu", SOURCE_OK, "{");
    expect(&l, SOURCE_SYSTEM, "Ubuntu", SOURCE_OK, "{");
    free(err);
    source_list_free(&l);
}

static void probe_exit_codes(void)
{
    scenario();
    setenv("FAKE_CANNOT_MAP", "NoGui", 1);
    setenv("FAKE_PARTIAL", "Ubuntu", 1);
    struct collect_options o = options();
    struct source_list l = {0};
    char *err = collect_views(&o, &l);
    expect(&l, SOURCE_DISTRO, "NoGui", SOURCE_FAILED,
           "the probe cannot map this view (exit 3): no NSpid line in /proc/self/status");
    expect(&l, SOURCE_DISTRO, "Ubuntu", SOURCE_OK, "{\"schema\":\"fake\",\"view\":\"Ubuntu\"");
    const struct source *s = find(&l, SOURCE_DISTRO, "Ubuntu");
    CHECK(s && s->reason && strncmp(s->reason, "partial:", 8) == 0);
    free(err);
    source_list_free(&l);
}

static void probe_out_of_memory_fails_the_view_by_name(void)
{
    scenario();
    setenv("FAKE_OOM", "NoGui", 1);
    struct collect_options o = options();
    struct source_list l = {0};
    char *err = collect_views(&o, &l);
    expect(&l, SOURCE_DISTRO, "NoGui", SOURCE_FAILED,
           "the probe ran out of memory in this view (exit 71)");
    expect(&l, SOURCE_DISTRO, "Ubuntu", SOURCE_OK, "{\"schema\":\"fake\",\"view\":\"Ubuntu\"");
    free(err);
    source_list_free(&l);
}

static void output_cap(void)
{
    scenario();
    setenv("FAKE_HUGE", "NoGui", 1);
    struct collect_options o = options();
    struct source_list l = {0};
    char *err = collect_views(&o, &l);
    expect(&l, SOURCE_DISTRO, "NoGui", SOURCE_FAILED,
           "the output passed the 64 MiB cap (the rest was dropped)");
    expect(&l, SOURCE_DISTRO, "Ubuntu", SOURCE_OK, "{");
    free(err);
    source_list_free(&l);
}

static void utf16_answers_of_old_builds(void)
{
    scenario();
    setenv("EMU_IGNORE_UTF8", "yes", 1);
    setenv("EMU_GUI", "off", 1);
    struct collect_options o = options();
    struct source_list l = {0};
    char *err = collect_views(&o, &l);
    CHECK(err == NULL);
    expect(&l, SOURCE_DISTRO, "Ubuntu", SOURCE_OK, "{");
    expect(&l, SOURCE_SYSTEM, "Ubuntu", SOURCE_SKIPPED, "GUI apps are off for Ubuntu");
    free(err);
    source_list_free(&l);
}

static void inbox_wsl_without_system(void)
{
    scenario();
    setenv("EMU_NO_SYSTEM_OPTION", "yes", 1);
    struct collect_options o = options();
    struct source_list l = {0};
    char *err = collect_views(&o, &l);
    expect(&l, SOURCE_SYSTEM, "Ubuntu", SOURCE_SKIPPED, "this wsl.exe has no --system");
    expect(&l, SOURCE_DISTRO, "Ubuntu", SOURCE_OK, "{");
    free(err);
    source_list_free(&l);
}

static void list_failures_stop_collection(void)
{
    scenario();
    setenv("EMU_LIST", "old", 1);
    struct collect_options o = options();
    struct source_list l = {0};
    char *err = collect_views(&o, &l);
    CHECK(err && strstr(err, "does not know `--list --verbose`"));
    CHECK_INT(l.nr, 0);
    free(err);

    o.wsl_path = "/nonexistent/wsl.exe";
    err = collect_views(&o, &l);
    CHECK(err && strstr(err, "cannot run /nonexistent/wsl.exe"));
    free(err);

    o = options();
    o.probe_path = "/nonexistent/probe";
    err = collect_views(&o, &l);
    CHECK(err && strstr(err, "cannot read the probe"));
    free(err);
    source_list_free(&l);
}

static void empty_system(void)
{
    scenario();
    setenv("EMU_LIST", "empty", 1);
    setenv("EMU_VM", "stopped", 1);
    struct collect_options o = options();
    struct source_list l = {0};
    char *err = collect_views(&o, &l);
    CHECK(err == NULL);
    CHECK_INT(l.nr, 1);
    expect(&l, SOURCE_VM, NULL, SOURCE_SKIPPED, "the WSL 2 VM is not running");
    free(err);
    source_list_free(&l);
}

/* wsl.exe speaks the user's language, "Error code:" label included (EMU_LANG gives WSL's
 * real de-DE and ja-JP strings): every decision must come out the same in each. */
static const char *const langs[] = {"en", "de", "ja"};

static void refusals_in_every_language(void)
{
    for (size_t i = 0; i < CHECK_COUNT(langs); i++) {
        fprintf(stderr, "  language %s\n", langs[i]);
        scenario();
        setenv("EMU_LANG", langs[i], 1);
        setenv("EMU_GONE", "Debian", 1);
        setenv("EMU_NO_SYSTEM_OPTION", "yes", 1);
        struct collect_options o = options();
        struct source_list l = {0};
        char *err = collect_views(&o, &l);
        CHECK(err == NULL);
        expect(&l, SOURCE_DISTRO, "Debian", SOURCE_FAILED, "wsl.exe failed: ");
        const struct source *s = find(&l, SOURCE_DISTRO, "Debian");
        CHECK(s && s->reason &&
              strstr(s->reason, "(Error code: Wsl/Service/WSL_E_DISTRO_NOT_FOUND)"));
        expect(&l, SOURCE_SYSTEM, "Ubuntu", SOURCE_SKIPPED, "this wsl.exe has no --system");
        expect(&l, SOURCE_DISTRO, "Ubuntu", SOURCE_OK, "{");
        free(err);
        source_list_free(&l);

        /* Old builds ignore WSL_UTF8: UTF-16LE and CR CR LF, umlauts and kana included. */
        scenario();
        setenv("EMU_LANG", langs[i], 1);
        setenv("EMU_GUI", "off", 1);
        setenv("EMU_ELEVATED", "no", 1);
        setenv("EMU_IGNORE_UTF8", "yes", 1);
        err = collect_views(&o, &l);
        CHECK(err == NULL);
        expect(&l, SOURCE_SYSTEM, "Ubuntu", SOURCE_SKIPPED, "GUI apps are off for Ubuntu");
        s = find(&l, SOURCE_SYSTEM, "Ubuntu");
        CHECK(s && s->wsl_error &&
              strcmp(s->wsl_error, "Wsl/Service/CreateInstance/WSL_E_GUI_APPLICATIONS_DISABLED") ==
                  0);
        expect(&l, SOURCE_VM, NULL, SOURCE_SKIPPED, refused());
        free(err);
        source_list_free(&l);

        scenario();
        setenv("EMU_LANG", langs[i], 1);
        setenv("EMU_DEBUG_SHELL", "policy", 1);
        err = collect_views(&o, &l);
        expect(&l, SOURCE_VM, NULL, SOURCE_SKIPPED, refused());
        free(err);
        source_list_free(&l);

        scenario();
        setenv("EMU_LANG", langs[i], 1);
        setenv("EMU_LIST", "empty", 1);
        setenv("EMU_VM", "stopped", 1);
        err = collect_views(&o, &l);
        CHECK(err == NULL);
        CHECK_INT(l.nr, 1);
        expect(&l, SOURCE_VM, NULL, SOURCE_SKIPPED, "the WSL 2 VM is not running");
        free(err);
        source_list_free(&l);
    }
}

/* ERROR_FILE_NOT_FOUND means no debug-shell pipe: the VM is off, or it runs without one. */
static void debug_shell_missing_while_vm_runs(void)
{
    for (size_t i = 0; i < CHECK_COUNT(langs); i++) {
        scenario();
        setenv("EMU_LANG", langs[i], 1);
        setenv("EMU_DEBUG_SHELL", "unavailable", 1);
        struct collect_options o = options();
        struct source_list l = {0};
        char *err = collect_views(&o, &l);
        expect(&l, SOURCE_VM, NULL, SOURCE_SKIPPED,
               "wsl --debug-shell is not available although the WSL 2 VM runs");
        expect(&l, SOURCE_DISTRO, "Ubuntu", SOURCE_OK, "{");
        free(err);
        source_list_free(&l);
    }
}

static const struct check_case cases[] = {
    {"collect: refusals are classified alike in English, German and Japanese",
     refusals_in_every_language},
    {"collect: a missing debug-shell pipe while a WSL 2 distro runs is not 'VM not running'",
     debug_shell_missing_while_vm_runs},
    {"collect: every running distro, its system distro and the VM root; skips with reasons",
     default_scenario},
    {"collect: a refused debug shell (not elevated) is skipped with wsl.exe's reason",
     not_elevated},
    {"collect: VM not running and policy-disabled debug shell are skipped", debug_shell_refusals},
    {"collect: a hanging distro times out while the others are collected",
     hanging_distro_times_out_alone},
    {"collect: a stopped distro started by --all gets WSL's start budget beyond its own",
     started_distro_gets_wsl_start_budget},
    {"collect: per-view budgets (--timeout WHERE=S) and the words saying which ran out",
     budgets_say_which_ran_out},
    {"collect: a garbage answer fails only that view", garbage_fails_one_view},
    {"collect: GUI apps off globally skips every system distro", gui_off_everywhere},
    {"collect: --no-system, --no-debug-shell and -d filters (case-insensitive, missing name fails)",
     options_turn_views_off},
    {"collect: --all collects stopped distros", all_starts_stopped_distros},
    {"collect: probe exit 3 fails the view, exit 1 keeps it with a partial note", probe_exit_codes},
    {"collect: a probe out of memory (exit 71) fails its view, named so",
     probe_out_of_memory_fails_the_view_by_name},
    {"collect: a view past the 64 MiB output cap fails and says so", output_cap},
    {"collect: UTF-16 answers of builds that ignore WSL_UTF8 are understood",
     utf16_answers_of_old_builds},
    {"collect: an inbox wsl.exe without --system skips system distros", inbox_wsl_without_system},
    {"collect: an unreadable list, a missing wsl.exe or probe fail the whole collection",
     list_failures_stop_collection},
    {"collect: no distributions installed is not an error", empty_system},
};

int main(int argc, char **argv)
{
    return check_main(cases, CHECK_COUNT(cases), argc, argv);
}
