#include "wsl/collect.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wsl/debugshell.h"
#include "platform/platform.h"
#include "strbuf.h"
#include "xalloc.h"
#include "wsl/wsl_list.h"

/* A VM root with thousands of processes stays far below this; a runaway view must not eat
 * the host's memory. */
#define VIEW_OUTPUT_CAP ((size_t)64 << 20)
#define LIST_OUTPUT_CAP ((size_t)1 << 20)
#define PROBE_SIZE_CAP ((size_t)64 << 20)

/* Exactly one argv item after `sh -c`: with -e wsl.exe splits the rest of its command line
 * with CommandLineToArgvW, so the platform layer's quoting must carry it as one. The probe's
 * bytes arrive on stdin; the private directory keeps a local user from racing a fixed
 * path into running code as root, and nothing runs without it (exit 124). A killed view
 * (timeout) leaves its directory behind: it is named like the debug shell's, and the next
 * run removes it (debugshell.h). The argument after the script (sh's $0, unused by it)
 * is this run's random marker (source_list.run_marker): the merge recognises the runner
 * shells of this run by it in views taken meanwhile, and leaves out exactly them and what
 * they started (model.c), never a process that merely has a similar name. */
#define EXIT_STR_(n) #n
#define EXIT_STR(n) EXIT_STR_(n)
static const char runner[] = DEBUGSHELL_STALE_CLEANUP
    "; d=$(mktemp -d " DEBUGSHELL_TMP_TEMPLATE ") && [ -n \"$d\" ] "
    "|| exit " EXIT_STR(DEBUGSHELL_EXIT_NO_DIR) "; cat > \"$d/wslns-probe\" && "
                                                "chmod 700 \"$d/wslns-probe\" && "
                                                "\"$d/wslns-probe\"; r=$?; rm -rf \"$d\"; exit $r";

/* WSL_UTF8=1 asks current builds for UTF-8; old ones ignore it, so output is decoded either way. */
static const char *const wsl_env[] = {"WSL_UTF8=1", NULL};

#define JOB_ARGV_MAX 12

struct job {
    size_t source; /* index into the source list (which may move while it grows) */
    const char *argv[JOB_ARGV_MAX];
    struct collect_budget budget;
};

struct plan {
    struct job *jobs;
    size_t nr, alloc;   /* grown by ALLOC_GROW (xalloc.h) */
    const char *marker; /* the run's marker, the runners' last argument */
};

static struct job *plan_add(struct plan *p, size_t source)
{
    ALLOC_GROW(p->jobs, p->nr + 1, p->alloc);
    struct job *j = &p->jobs[p->nr++];
    memset(j, 0, sizeof *j);
    j->source = source;
    return j;
}

static int ascii_casecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'A' && ca <= 'Z')
            ca += 'a' - 'A';
        if (cb >= 'A' && cb <= 'Z')
            cb += 'a' - 'A';
        if (ca != cb || !ca)
            return ca - cb;
    }
}

/* wsl.exe looks names up case-insensitively, so -d filters do too. */
static bool wanted(const struct collect_options *opt, const char *name)
{
    if (!opt->only)
        return true;
    for (const char *const *o = opt->only; *o; o++) {
        if (ascii_casecmp(*o, name) == 0)
            return true;
    }
    return false;
}

/* Why a distro's views are not collected, or NULL when they are (caller frees). */
static char *distro_skip_reason(const struct wsl_distro *d, const struct collect_options *opt)
{
    if (!wsl_name_addressable(d->name))
        return str_printf("not addressable with -d (name has %s); wslns cannot look up its "
                          "--distribution-id in the Windows registry yet",
                          strchr(d->name, ' ') ? "spaces"
                          : strlen(d->name) > WSL_NAME_MAX
                              ? "more than 256 characters"
                              : "characters outside a-z A-Z 0-9 . _ -");
    if (d->version == 1)
        return str_dup("WSL 1 has no pid namespaces");
    if (d->state == WSL_STATE_STOPPED && !opt->all)
        return str_dup("stopped (use --all to start it)");
    if (d->state != WSL_STATE_RUNNING && d->state != WSL_STATE_STOPPED)
        return str_printf("%s: wsl.exe cannot run anything in it now", d->state_text);
    return NULL;
}

#define ESCAPED_START_MAX 40

/* The first bytes, printable ASCII as is and the rest as \xNN: safe in any message. */
static char *escaped_start(const char *data, size_t len)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, "");
    const char *end = data + (len > ESCAPED_START_MAX ? ESCAPED_START_MAX : len);
    for (const char *p = data; p < end; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c < 0x7F && c != '\\')
            strbuf_putc(&sb, (char)c);
        else if (c == '\n')
            strbuf_puts(&sb, "\\n");
        else if (c == '\r')
            strbuf_puts(&sb, "\\r");
        else
            strbuf_printf(&sb, "\\x%02x", c);
    }
    if (len > ESCAPED_START_MAX)
        strbuf_puts(&sb, "...");
    return strbuf_detach(&sb, NULL);
}

static bool starts_like_json(const char *data, size_t len)
{
    size_t i = 0;
    while (i < len && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t'))
        i++;
    return i < len && data[i] == '{';
}

/* wsl.exe's own text from both streams (it writes errors to stdout, warnings to stderr). */
static char *wsl_text(const struct plat_child_result *r)
{
    char *out = wsl_text_decode(r->out ? r->out : "", r->out_len);
    char *err = wsl_text_decode(r->err ? r->err : "", r->err_len);
    char *both = str_printf("%s\n%s", out, err);
    free(out);
    free(err);
    return both;
}

/* The first non-empty line of the probe's stderr, for "cannot map" and crash reasons. */
static char *first_line(const char *text)
{
    if (!text)
        return str_dup("");
    while (*text == '\n' || *text == '\r' || *text == ' ')
        text++;
    size_t n = strcspn(text, "\r\n");
    if (n > 200) {
        /* Cut on a character boundary, not inside a UTF-8 sequence. */
        n = 200;
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
            n--;
    }
    return str_ndup(text, n);
}

static void take_document(struct source *s, char **doc, size_t len, int probe_exit)
{
    s->output = *doc;
    s->output_len = len;
    *doc = NULL;
    s->status = SOURCE_OK;
    if (probe_exit == 1)
        s->reason = str_dup("partial: the probe could not read some processes (they are "
                            "listed in its errors)");
}

/* The probe's exit status and stdout, once wsl.exe itself did not complain. */
static void finish_probe_output(struct source *s, char **out, size_t len, int probe_exit,
                                const char *probe_err)
{
    if (starts_like_json(*out, len) && (probe_exit == 0 || probe_exit == 1)) {
        take_document(s, out, len, probe_exit);
        return;
    }
    char *line = first_line(probe_err);
    if (probe_exit == DEBUGSHELL_EXIT_NO_DIR && len == 0) {
        source_fail(s,
                    "cannot create a private directory for the probe (mktemp -d %s failed%s%s); "
                    "nothing was run",
                    DEBUGSHELL_TMP_TEMPLATE, *line ? ": " : "", line);
    } else if (probe_exit == 3) {
        source_fail(s, "the probe cannot map this view (exit 3)%s%s", *line ? ": " : "", line);
    } else if (probe_exit == XALLOC_EXIT_CODE) {
        source_fail(s, "the probe ran out of memory in this view (exit %d)", XALLOC_EXIT_CODE);
    } else if ((probe_exit == 0 || probe_exit == 1) && len == 0) {
        source_fail(s, "not a probe document: (no output)");
    } else if (probe_exit == 0 || probe_exit == 1) {
        char *start = escaped_start(*out, len);
        source_fail(s, "not a probe document: %s", start);
        free(start);
    } else {
        source_fail(s, "the probe's command exited with %d%s%s", probe_exit, *line ? ": " : "",
                    line);
    }
    free(line);
}

/* wsl.exe answered with an error of its own instead of running the command. Returns true
 * when it did (and s says what it means). Decisions come from the "Wsl/..." code and from
 * option names wsl.exe echoes, never from its words: they are in the user's language. */
static bool finish_wsl_error(struct source *s, const struct plat_child_result *r)
{
    char *text = wsl_text(r);
    char *code = wsl_error_code(text);
    char *msg = wsl_error_message(text);
    bool handled = true;
    free(s->wsl_error);
    s->wsl_error = code ? str_dup(code) : NULL;
    if (s->kind == SOURCE_SYSTEM && wsl_error_is(code, "WSL_E_GUI_APPLICATIONS_DISABLED")) {
        source_skip(s,
                    "GUI apps are off for %s (guiApplications=false), so it has no system "
                    "distro",
                    s->distro);
    } else if (wsl_error_is(code, "WSL_E_WSL2_NEEDED")) {
        source_skip(s, "WSL 1 has no pid namespaces");
    } else if (code) {
        source_fail(s, "wsl.exe failed: %s (Error code: %s)", msg ? msg : "no message", code);
    } else if (s->kind == SOURCE_SYSTEM && r->exit_code != 0 && msg && strstr(msg, "--system")) {
        /* A wsl.exe that rejects an option names it, in any language, without a code. */
        source_skip(s, "this wsl.exe has no --system (the inbox Windows 10 wsl.exe; WSL from "
                       "the Microsoft Store has it)");
    } else {
        handled = false;
    }
    free(text);
    free(code);
    free(msg);
    return handled;
}

/* WSL's own budgets for starting what a view needs (milliseconds in WSL, seconds here):
 * wsl2.kernelBootTimeout and wsl2.distributionStartTimeout in WSL
 * src/windows/common/WslCoreConfig.h, boot.initTimeout (systemd's start) in
 * src/linux/init/WslDistributionConfig.h (3e27a6a5). Users can raise them in .wslconfig and
 * wsl.conf; wslns does not read those yet, so a raised budget needs a --timeout to match. */
#define WSL_VM_BOOT_S 30
#define WSL_DISTRO_START_S 60
#define WSL_SYSTEMD_START_S 10

/* Whether WHERE ("vm", "system:NAME", "NAME") names source s. */
static bool names_view(const char *where, const struct source *s)
{
    if (ascii_casecmp(where, "vm") == 0)
        return s->kind == SOURCE_VM;
    if (strncmp(where, "system:", 7) == 0)
        return s->kind == SOURCE_SYSTEM && ascii_casecmp(where + 7, s->distro) == 0;
    return s->kind == SOURCE_DISTRO && ascii_casecmp(where, s->distro) == 0;
}

void collect_budget_of(const struct collect_options *opt, const struct source *s, bool starts,
                       bool vm_boots, struct collect_budget *out)
{
    double own = opt->timeout_s;
    const char *where = NULL;
    for (size_t i = 0; opt->timeouts && i < opt->timeout_count; i++) {
        /* The last one given wins, as with every other repeated option value. */
        if (names_view(opt->timeouts[i].where, s)) {
            own = opt->timeouts[i].seconds;
            where = opt->timeouts[i].where;
        }
    }
    char given[100];
    if (where)
        snprintf(given, sizeof given, "--timeout %.70s=%g", where, own);
    else
        snprintf(given, sizeof given, "--timeout %g", own);
    out->seconds = own;
    if (!starts || s->kind == SOURCE_VM) {
        snprintf(out->why, sizeof out->why, "its budget: %s", given);
        return;
    }
    out->seconds += WSL_DISTRO_START_S + WSL_SYSTEMD_START_S + (vm_boots ? WSL_VM_BOOT_S : 0);
    snprintf(out->why, sizeof out->why,
             "its budget, as the distro was stopped: WSL's %s%d s to start the distro + %d s "
             "for systemd + %s",
             vm_boots ? "30 s to boot the VM + " : "", WSL_DISTRO_START_S, WSL_SYSTEMD_START_S,
             given);
}

#define INTERRUPTED_REASON "interrupted (Ctrl+C) before it answered"

static void finish_distro_view(struct source *s, struct plat_child_result *r,
                               const struct collect_budget *budget)
{
    if (r->spawn_error) {
        source_fail(s, "cannot run wsl.exe: %s", r->spawn_error);
    } else if (r->interrupted) {
        source_fail(s, INTERRUPTED_REASON);
    } else if (r->timed_out) {
        source_fail(s, "no answer within %g s (killed; %s)", budget->seconds, budget->why);
    } else if (r->out_truncated) {
        source_fail(s, "the output passed the %zu MiB cap (the rest was dropped)",
                    VIEW_OUTPUT_CAP >> 20);
    } else if (starts_like_json(r->out, r->out_len) || !finish_wsl_error(s, r)) {
        char *err = wsl_text_decode(r->err ? r->err : "", r->err_len);
        finish_probe_output(s, &r->out, r->out_len, r->exit_code, err);
        free(err);
    }
}

/* wsl.exe's own output when it refuses the debug shell is one short message: anything
 * longer came from a shell. */
#define REFUSAL_OUTPUT_MAX 4096

/* RunDebugShell (WSL src/windows/common/WslClient.cpp 3e27a6a5) returns 1 without a code
 * line in exactly two cases: the pipe is ACCESS_DENIED and wsl.exe is not elevated, or the
 * pipe is missing and the AllowDebugShell policy is 0. Its message is localized, so the
 * signature is exit 1, no code, no shell output; which case it was comes from this process's
 * own elevation (wsl.exe inherits it) and the policy value. */
static bool debug_shell_refused(const struct plat_child_result *r, const char *code)
{
    return !code && !r->timed_out && !r->stopped_early && !r->out_truncated && r->exit_code == 1 &&
           r->out_len + r->err_len <= REFUSAL_OUTPUT_MAX;
}

static void finish_refusal(struct source *s, const char *msg)
{
    const char *said = msg ? msg : "no message";
    if (!plat_is_elevated())
        source_skip(s, "run from an elevated prompt to see the VM level (wsl.exe: %s)", said);
    else if (plat_debug_shell_policy() == PLAT_POLICY_DISALLOWED)
        source_skip(s,
                    "the debug shell is disabled by policy (AllowDebugShell=0 under "
                    "HKLM\\Software\\Policies\\WSL), so the VM level cannot be seen "
                    "(wsl.exe: %s)",
                    said);
    else
        source_skip(s,
                    "wsl.exe refused the debug shell (exit 1 without an error code, which it "
                    "does only when not elevated or when the AllowDebugShell policy is 0), so "
                    "the VM level cannot be seen (wsl.exe: %s)",
                    said);
}

/* Says why the debug shell gave no probe document: wsl.exe's error, a refusal, the budget,
 * the cap, or what the shell printed (cut). */
static void finish_vm_failure(struct source *s, const struct plat_child_result *r,
                              const struct collect_budget *budget, const char *cut, bool vm_running)
{
    char *text = wsl_text(r);
    char *code = wsl_error_code(text);
    char *msg = wsl_error_message(text);
    s->wsl_error = code ? str_dup(code) : NULL;
    /* ERROR_FILE_NOT_FOUND: no debug-shell pipe. The service makes it when the VM starts,
     * unless the VM runs without one (safe mode, wsl2.virtio=false, builds before it, or a
     * pipe named after another account's SID): a running WSL 2 distro tells these apart. */
    if (wsl_error_is(code, "ERROR_FILE_NOT_FOUND") && vm_running)
        source_skip(s, "wsl --debug-shell is not available although the WSL 2 VM runs (it has "
                       "none in safe mode, with wsl2.virtio=false, in older WSL builds, or "
                       "when the VM was started by another Windows account)");
    else if (wsl_error_is(code, "ERROR_FILE_NOT_FOUND"))
        source_skip(s, "the WSL 2 VM is not running, and wsl --debug-shell never starts it "
                       "(start a distro first)");
    else if (code)
        source_fail(s, "wsl.exe failed: %s (Error code: %s)", msg ? msg : "no message", code);
    else if (debug_shell_refused(r, code))
        finish_refusal(s, msg);
    else if (r->timed_out)
        source_fail(s, "no answer within %g s (killed; %s): %s", budget->seconds, budget->why, cut);
    else if (r->out_truncated)
        source_fail(s, "the output passed the %zu MiB cap (the rest was dropped)",
                    VIEW_OUTPUT_CAP >> 20);
    else
        source_fail(s, "%s (wsl.exe exit %d)", cut, r->exit_code);
    free(text);
    free(code);
    free(msg);
}

static void finish_vm_view(struct source *s, struct plat_child_result *r,
                           const struct collect_budget *budget, const struct debugshell *ds,
                           bool vm_running)
{
    if (r->spawn_error) {
        source_fail(s, "cannot run wsl.exe: %s", r->spawn_error);
        return;
    }
    char *doc = NULL;
    size_t doc_len = 0;
    int probe_exit = 0;
    char *cut = debugshell_cut(ds, r->out ? r->out : "", r->out_len, &doc, &doc_len, &probe_exit);
    if (!cut && probe_exit == DEBUGSHELL_EXIT_NO_PROBE && doc_len == 0) {
        source_fail(s, "the probe did not arrive in the VM root (its decoded copy is empty)");
        free(doc);
        return;
    }
    if (!cut) {
        finish_probe_output(s, &doc, doc_len, probe_exit, NULL);
        free(doc);
        return;
    }
    if (r->interrupted) {
        source_fail(s, INTERRUPTED_REASON);
        free(cut);
        return;
    }
    finish_vm_failure(s, r, budget, cut, vm_running);
    free(cut);
}

/* A running WSL 2 distro means the VM runs (WSL 1 distros run without it). */
static bool wsl2_running(const struct wsl_list *list)
{
    for (size_t i = 0; i < list->nr; i++)
        if (list->distros[i].state == WSL_STATE_RUNNING && list->distros[i].version >= 2)
            return true;
    return false;
}

/* The distro list; NULL on success or the error for collect_views to return. */
static errmsg list_distros(const struct collect_options *opt, struct wsl_list *list)
{
    const char *argv[] = {opt->wsl_path, "--list", "--verbose", NULL};
    struct plat_child_spec spec = {.argv = argv,
                                   .env_add = wsl_env,
                                   .timeout_s = opt->timeout_s,
                                   .max_output = LIST_OUTPUT_CAP};
    struct plat_child_result r = {0};
    plat_run_children(1, &spec, &r);
    char *err = NULL;
    memset(list, 0, sizeof *list);
    if (r.spawn_error)
        err = str_printf("cannot run %s: %s (use --wsl PATH)", opt->wsl_path, r.spawn_error);
    else if (r.interrupted)
        err = str_dup("interrupted (Ctrl+C) while wsl.exe listed the distros");
    else if (r.timed_out)
        err = str_printf("wsl.exe --list --verbose gave no answer within %g s (killed; its "
                         "budget: --timeout %g)",
                         opt->timeout_s, opt->timeout_s);
    /* A cut list would lose distros without a word. */
    else if (r.out_truncated)
        err = str_printf("wsl.exe --list --verbose wrote more than %zu MiB, far more than a "
                         "distro list; not read",
                         LIST_OUTPUT_CAP >> 20);
    if (!err) {
        wsl_list_parse(r.out ? r.out : "", r.out_len, r.exit_code, list);
        if (list->error)
            err = str_dup(list->error);
    }
    plat_child_result_free(&r);
    return err;
}

static void add_distro_job(struct plan *plan, size_t index, const struct collect_options *opt,
                           const struct source *s, bool starts, bool vm_boots)
{
    struct job *j = plan_add(plan, index);
    if (!j)
        return;
    collect_budget_of(opt, s, starts, vm_boots, &j->budget);
    const char *wsl = opt->wsl_path, *name = s->distro;
    bool system = s->kind == SOURCE_SYSTEM;
    size_t a = 0;
    j->argv[a++] = wsl;
    if (system)
        j->argv[a++] = "--system";
    j->argv[a++] = "-d";
    j->argv[a++] = name;
    j->argv[a++] = "-u";
    j->argv[a++] = "root";
    j->argv[a++] = "-e";
    j->argv[a++] = "sh";
    j->argv[a++] = "-c";
    j->argv[a++] = runner;
    j->argv[a++] = plan->marker;
    j->argv[a] = NULL;
}

/* Adds the sources of one distro and the jobs that collect them. */
static void plan_distro(const struct collect_options *opt, const struct wsl_distro *d,
                        bool vm_boots, struct source_list *out, struct plan *plan)
{
    char *skip = distro_skip_reason(d, opt);
    for (int system = 0; system <= 1; system++) {
        struct source *s = source_list_add(out, system ? SOURCE_SYSTEM : SOURCE_DISTRO);
        s->distro = str_dup(d->name);
        if (skip)
            source_skip(s, "%s", skip);
        else if (system && opt->no_system)
            source_skip(s, "--no-system was given");
        else
            add_distro_job(plan, out->nr - 1, opt, s, d->state == WSL_STATE_STOPPED, vm_boots);
    }
    free(skip);
}

/* -d names that wsl.exe does not list fail loudly: the user asked for them. */
static void plan_missing(const struct collect_options *opt, const struct wsl_list *list,
                         struct source_list *out)
{
    for (const char *const *o = opt->only; o && *o; o++) {
        bool found = false;
        for (size_t i = 0; i < list->nr && !found; i++)
            found = ascii_casecmp(*o, list->distros[i].name) == 0;
        if (found)
            continue;
        struct source *s = source_list_add(out, SOURCE_DISTRO);
        s->distro = str_dup(*o);
        struct strbuf names = STRBUF_INIT;
        for (size_t i = 0; i < list->nr; i++)
            strbuf_printf(&names, "%s%s", i ? ", " : "", list->distros[i].name);
        source_fail(s, "no distro named %s (wsl --list --verbose shows: %s)", *o,
                    names.len ? names.data : "none");
        strbuf_release(&names);
    }
}

/* The live progress of the views being collected (collect_options.progress). */
struct progress {
    const struct collect_options *opt;
    struct collect_view *views; /* one per job, labels owned */
    size_t count;
};

struct progress_slot {
    struct progress *progress;
    size_t index;
};

static char *view_label(const struct source *s)
{
    if (s->kind == SOURCE_VM)
        return str_dup("VM root");
    if (s->kind == SOURCE_SYSTEM)
        return str_printf("system:%s", s->distro);
    return str_dup(s->distro);
}

/* plat_done_fn: only the exit is known yet, so this is a guess the report may refine (a
 * wsl.exe refusal counted as failed here can end up a normal skip). */
static void view_ended(const struct plat_child_result *r, void *ctx)
{
    struct progress_slot *slot = ctx;
    struct progress *p = slot->progress;
    bool answered = r->stopped_early || r->exit_code == 0 || r->exit_code == 1;
    bool ok = !r->spawn_error && !r->timed_out && !r->interrupted && answered;
    p->views[slot->index].state = ok ? COLLECT_DONE : COLLECT_FAILED;
    p->opt->progress(p->views, p->count, p->opt->progress_ctx);
}

/* Sets the done callbacks up and shows the first state. */
static void progress_start(struct progress *p, struct progress_slot *slots,
                           struct plat_child_spec *specs, const struct plan *plan,
                           const struct source_list *out)
{
    p->views = xcalloc(plan->nr, sizeof *p->views);
    p->count = plan->nr;
    for (size_t i = 0; i < plan->nr; i++) {
        p->views[i].label = view_label(&out->items[plan->jobs[i].source]);
        slots[i] = (struct progress_slot){p, i};
        specs[i].done = view_ended;
        specs[i].done_ctx = &slots[i];
    }
    p->opt->progress(p->views, p->count, p->opt->progress_ctx);
}

static void progress_free(struct progress *p)
{
    for (size_t i = 0; p->views && i < p->count; i++)
        free((char *)p->views[i].label);
    free(p->views);
}

/* One collection, as collect_views plans, runs and finishes it. */
struct collection {
    const struct collect_options *opt;
    struct source_list *out;
    char *probe; /* the probe's bytes, sent to every view */
    size_t probe_len;
    struct wsl_list list;
    struct plan plan;
    struct debugshell ds; /* the VM root's conversation */
    char *script;         /* what ds sends once the shell listens */
    size_t vm_job;        /* the debug shell's index in plan.jobs, or NO_VM_JOB */
};

#define NO_VM_JOB ((size_t)-1)

static errmsg read_probe(struct collection *c)
{
    bool truncated = false;
    char *error =
        plat_read_file(c->opt->probe_path, PROBE_SIZE_CAP, &c->probe, &c->probe_len, &truncated);
    if (error) {
        char *msg = str_printf("cannot read the probe: %s (use --probe PATH)", error);
        free(error);
        return msg;
    }
    if (truncated) {
        free(c->probe);
        c->probe = NULL;
        return str_printf("the probe %s is larger than %zu MiB: not a wslns-probe binary",
                          c->opt->probe_path, PROBE_SIZE_CAP >> 20);
    }
    return NULL;
}

/* Unguessable, and not the debug shell's nonce: a distro's users can read it from /proc
 * while the runners run. */
static void set_run_marker(struct source_list *out)
{
    unsigned long long marker[2];
    plat_random_bytes(marker, sizeof marker);
    snprintf(out->run_marker, sizeof out->run_marker, "wslns-run-%016llx%016llx", marker[0],
             marker[1]);
}

/* The VM root's source, and its job when the debug shell may run: the conversation's
 * script is built and ds started. */
static void plan_vm_view(struct collection *c)
{
    const struct collect_options *opt = c->opt;
    /* The nonce must differ from older runs' output and be unguessable from inside a distro. */
    unsigned long long seed;
    plat_random_bytes(&seed, sizeof seed);
    debugshell_init(&c->ds, seed);
    struct source *vm = source_list_add(c->out, SOURCE_VM);
    if (opt->no_debug_shell) {
        source_skip(vm, "--no-debug-shell was given");
    } else if (!plat_is_elevated()) {
        source_skip(vm, "run from an elevated prompt to see the VM level");
    } else if (plat_debug_shell_policy() == PLAT_POLICY_DISALLOWED) {
        source_skip(vm, "the debug shell is disabled by policy (AllowDebugShell=0 under "
                        "HKLM\\Software\\Policies\\WSL), so the VM level cannot be seen");
    } else {
        c->script = debugshell_script(&c->ds, c->probe, c->probe_len);
        debugshell_start(&c->ds, c->script, strlen(c->script), plat_now);
        struct job *j = plan_add(&c->plan, c->out->nr - 1);
        j->argv[0] = opt->wsl_path;
        j->argv[1] = "--debug-shell";
        collect_budget_of(opt, vm, false, false, &j->budget);
        c->vm_job = c->plan.nr - 1;
    }
}

/* The sources and jobs of the wanted distros, and the sources of those named but missing. */
static void plan_distros(struct collection *c)
{
    const struct wsl_list *list = &c->list;
    /* With no WSL 2 distro running, starting one boots the VM first. */
    bool vm_boots = true;
    for (size_t i = 0; i < list->nr; i++) {
        if (list->distros[i].state == WSL_STATE_RUNNING && list->distros[i].version != 1)
            vm_boots = false;
    }
    for (size_t i = 0; i < list->nr; i++) {
        if (wanted(c->opt, list->distros[i].name))
            plan_distro(c->opt, &list->distros[i], vm_boots, c->out, &c->plan);
    }
    plan_missing(c->opt, list, c->out);
}

/* One child per job: wsl.exe with the probe on stdin, or the debug shell's conversation. */
static struct plat_child_spec *build_specs(struct collection *c)
{
    struct plat_child_spec *specs = xcalloc(c->plan.nr, sizeof *specs);
    for (size_t i = 0; i < c->plan.nr; i++) {
        struct plat_child_spec *sp = &specs[i];
        sp->argv = c->plan.jobs[i].argv;
        sp->env_add = wsl_env;
        sp->timeout_s = c->plan.jobs[i].budget.seconds;
        sp->max_output = VIEW_OUTPUT_CAP;
        if (i == c->vm_job) {
            /* The far side is a login on a tty that never ends: a conversation (the
             * script goes only once the shell answers), stopped at the end marker. */
            sp->feed = debugshell_feed;
            sp->feed_ctx = &c->ds;
            sp->feed_every_s = DEBUGSHELL_FEED_EVERY_S;
            sp->stop = debugshell_stop;
            sp->stop_ctx = &c->ds;
        } else {
            sp->stdin_data = c->probe;
            sp->stdin_len = c->probe_len;
        }
    }
    return specs;
}

/* Runs every job at once, with the live progress when the caller wants it. */
static void run_views(struct collection *c, struct plat_child_spec *specs,
                      struct plat_child_result *results)
{
    size_t nr = c->plan.nr;
    struct progress progress = {.opt = c->opt};
    struct progress_slot *slots = c->opt->progress ? xcalloc(nr, sizeof *slots) : NULL;
    if (slots && nr)
        progress_start(&progress, slots, specs, &c->plan, c->out);
    if (nr)
        plat_run_children(nr, specs, results);
    progress_free(&progress);
    free(slots);
}

/* Each job's result into its source (and freed). */
static void finish_views(struct collection *c, struct plat_child_result *results)
{
    for (size_t i = 0; i < c->plan.nr; i++) {
        struct source *s = &c->out->items[c->plan.jobs[i].source];
        if (i == c->vm_job)
            finish_vm_view(s, &results[i], &c->plan.jobs[i].budget, &c->ds, wsl2_running(&c->list));
        else
            finish_distro_view(s, &results[i], &c->plan.jobs[i].budget);
        plat_child_result_free(&results[i]);
    }
}

errmsg collect_views(const struct collect_options *opt, struct source_list *out)
{
    struct collection c = {.opt = opt, .out = out, .vm_job = NO_VM_JOB};
    char *error = read_probe(&c);
    if (error)
        return error;
    error = list_distros(opt, &c.list);
    if (error) {
        wsl_list_free(&c.list);
        free(c.probe);
        return error;
    }
    set_run_marker(out);
    c.plan.marker = out->run_marker;
    plan_vm_view(&c);
    plan_distros(&c);
    struct plat_child_spec *specs = build_specs(&c);
    struct plat_child_result *results = xcalloc(c.plan.nr, sizeof *results);
    run_views(&c, specs, results);
    finish_views(&c, results);
    free(specs);
    free(results);
    free(c.plan.jobs);
    free(c.script);
    free(c.probe);
    wsl_list_free(&c.list);
    return NULL;
}

char *collect_wsl_version(const char *wsl_path, double timeout_s)
{
    /* The same wsl.exe the collection runs (collect_views finds it the same way). */
    char *found = NULL;
    if (!wsl_path) {
        char *error = plat_find_wsl(&found);
        free(error);
        if (!found)
            return NULL;
    }
    const char *argv[] = {wsl_path ? wsl_path : found, "--version", NULL};
    struct plat_child_spec spec = {
        .argv = argv, .env_add = wsl_env, .timeout_s = timeout_s, .max_output = 65536};
    struct plat_child_result r = {0};
    plat_run_children(1, &spec, &r);
    char *text = NULL;
    if (!r.spawn_error && r.exit_code == 0 && r.out_len)
        text = wsl_text_decode(r.out, r.out_len);
    plat_child_result_free(&r);
    free(found);
    return text;
}
