/* collect.h - runs wsl.exe to list the distros and collect every view (in parallel).
 *
 * For every distro in `wsl.exe --list --verbose` (filtered by `only`) it adds sources:
 *   SOURCE_DISTRO  the distro itself           (wsl.exe -d X -u root -e sh -c <runner>)
 *   SOURCE_SYSTEM  its system distro           (wsl.exe --system -d X -u root ...)
 *   SOURCE_VM      once, the VM root            (wsl.exe --debug-shell, elevated only)
 * each ending OK (output holds the probe's JSON), FAILED (reason says why) or SKIPPED
 * (a normal reason: stopped, WSL 1, GUI apps off, not elevated, --no-system ...).
 * The probe's bytes travel through stdin into a private mktemp -d directory.
 * A view killed by Ctrl+C (platform.h: plat_catch_interrupts) fails with "interrupted".
 * An OK source may still carry a reason: a note for the user, e.g. "partial: ..." when the
 * probe exited 1 (some processes unreadable; its document lists them in "errors").
 */
#ifndef WSLNS_COLLECT_H
#define WSLNS_COLLECT_H

#include <stdbool.h>
#include <stddef.h>

#include "errmsg.h"
#include "source.h"

/* A view's state for a live progress display: the final word is the source's status. */
enum collect_state { COLLECT_PENDING, COLLECT_DONE, COLLECT_FAILED };
struct collect_view {
    const char *label; /* "VM root", "Ubuntu", "system:Ubuntu" */
    enum collect_state state;
};
/* Gets every view being collected; the array lives only for the call. Calls are never
 * concurrent, but may come from a worker thread (Windows). */
typedef void (*collect_progress_fn)(const struct collect_view *views, size_t n, void *ctx);

/* --timeout WHERE=SECONDS: the budget of one view; WHERE as `wslns pid --in` takes it:
 * "vm", "system:NAME" or "NAME" (names compare case-insensitively). */
struct collect_timeout {
    const char *where;
    double seconds;
};

/* How long one view may take before it is killed, and why (the words of its reason when it
 * runs out). A view of a running distro (and the VM root's) gets its --timeout alone; a view
 * that starts a stopped distro (--all) also gets WSL's own start budgets: 60 s to start the
 * distro and 10 s for systemd, plus 30 s to boot the VM when no WSL 2 distro runs. */
struct collect_budget {
    double seconds;
    char why[256]; /* "its budget: --timeout Debian=5", "... WSL's 60 s to start ..." */
};

struct collect_options {
    const char *wsl_path;    /* the wsl.exe to run */
    const char *probe_path;  /* the probe binary to send */
    const char *const *only; /* -d NAME filters, NULL-terminated; NULL = every distro */
    bool all;                /* also start and probe stopped distros */
    bool no_system;          /* do not run wsl --system */
    bool no_debug_shell;     /* do not run wsl --debug-shell */
    double timeout_s;        /* every view's budget (--timeout SECONDS), and wsl --list's */
    const struct collect_timeout *timeouts; /* one view's own (--timeout WHERE=S); may be NULL */
    size_t timeout_count;
    /* For a live display, may be NULL: called once before the views are collected and
     * again each time one ends. */
    collect_progress_fn progress;
    void *progress_ctx;
};

/* Appends one source per view to out. Returns NULL, or an error message (caller frees)
 * when nothing could be attempted at all (wsl.exe missing, probe unreadable, the distro
 * list unreadable). Problems of single views never make it fail: they are in the sources. */
errmsg collect_views(const struct collect_options *opt, struct source_list *out);

/* The budget of source s (kind and distro set) in this collection: starts says the view
 * starts a stopped distro, vm_boots that no WSL 2 distro runs, so WSL boots the VM first. */
void collect_budget_of(const struct collect_options *opt, const struct source *s, bool starts,
                       bool vm_boots, struct collect_budget *out);

/* The text of `wsl --version` (WSL, kernel, WSLg ... versions; labels are localized), decoded
 * from UTF-16 or UTF-8, or NULL when this wsl.exe has none (the inbox Windows 10 wsl.exe) or
 * it did not answer. wsl_path NULL: the system's wsl.exe (plat_find_wsl). Caller frees. */
char *collect_wsl_version(const char *wsl_path, double timeout_s);

#endif
