/* source.h - one place a view was (or was not) collected from: a distro, its system
 * distro, the VM root through the debug shell, or a saved probe document (--from).
 *
 * collect.c fills sources from wsl.exe; main.c fills them from --from files; view.c parses
 * each one's output into a view; model.c merges the views; the renderers print sources in
 * their "views" section. A source owns every pointer in it.
 */
#ifndef WSLNS_SOURCE_H
#define WSLNS_SOURCE_H

#include <stddef.h>

struct view; /* view.h: a parsed wslns-probe/1 document */

enum source_kind { SOURCE_DISTRO, SOURCE_SYSTEM, SOURCE_VM, SOURCE_FILE };
enum source_status { SOURCE_OK, SOURCE_FAILED, SOURCE_SKIPPED };

struct source {
    enum source_kind kind;
    char *distro; /* the distro (for SYSTEM: the paired user distro); NULL for VM/FILE */
    char *path;   /* FILE: the document's path; NULL otherwise */
    enum source_status status;
    char *reason;    /* why it failed or was skipped, for the user; for an OK source an optional
                        note (e.g. "partial: ..." when the probe exited 1) */
    char *wsl_error; /* the "Wsl/..." code wsl.exe answered with instead of running the view
                        (e.g. ".../WSL_E_GUI_APPLICATIONS_DISABLED"), NULL if none: decide
                        from this, never from the reason (wsl.exe's words are localized) */
    char *output;    /* the probe's raw JSON (NUL-terminated), NULL if none */
    size_t output_len;
    struct view *view; /* parsed output, NULL until parsed or when parsing failed */
};

struct source_list {
    struct source *items;
    size_t nr, alloc; /* grown by ALLOC_GROW (xalloc.h) */
    /* collect.c: this run's marker, the last argument of every runner shell it starts
     * ("wslns-run-" and 32 random hex digits), so the merge can leave out its own processes
     * seen from other views (model.c); "" for --from. */
    char run_marker[48];
};

/* Appends a zeroed source of this kind and returns it (never NULL). */
struct source *source_list_add(struct source_list *list, enum source_kind kind);

/* Marks a source failed or skipped with a printf-style reason (replaces an older one). */
void source_fail(struct source *s, const char *fmt, ...);
void source_skip(struct source *s, const char *fmt, ...);

/* The report's names: "distro" "system" "vm" "file"; "ok" "failed" "skipped" (static). */
const char *source_kind_name(enum source_kind kind);
const char *source_status_name(enum source_status status);

/* "distro Ubuntu", "system distro of Ubuntu", "VM root", "file x.json": for messages. Caller frees.
 */
char *source_describe(const struct source *s);

void source_list_free(struct source_list *list);

#endif
