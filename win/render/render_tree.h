/* render_tree.h - the console tree: namespaces nested with their label, kind and id,
 * each process under its own namespace with its pid at every level (outermost first,
 * "?" where no view saw that level), then the views and the diagnostics.
 *
 * Text from the probed systems (comm, cmdline, distro names, reasons) is untrusted: it goes
 * through escape.h (control bytes, escape sequences, invalid UTF-8, bidi and invisible
 * characters shown as \e, \xff, \u{202e}; arguments quoted), so nothing reaches the
 * terminal raw.
 *
 * Ownership: render_tree returns a new NUL-terminated string the caller frees (never NULL).
 * Nothing is printed here; main decides where the text goes.
 */
#ifndef WSLNS_RENDER_TREE_H
#define WSLNS_RENDER_TREE_H

#include <stdbool.h>

#include "model.h"
#include "source.h"
#include "strbuf.h"

struct render_options {
    bool color;              /* ANSI colours (the caller decided: --color, NO_COLOR, terminal) */
    bool ascii;              /* "|-" instead of box drawing */
    const char *const *only; /* -d filters (NULL-terminated, NULL = everything) */
};

char *render_tree(const struct model *m, const struct source_list *sources,
                  const struct render_options *opt);

/* Appends a process's pids, outermost first: "48950 / 4578 / 1", "?" for unknown levels;
 * each right-aligned in widths[level] columns when widths is not NULL. */
void render_pid_chain(struct strbuf *sb, const struct model_process *p, const int *widths);

/* The ancestor a namespace shares its namespace of type `type` (view_ns_types index) with:
 * the nearest one with the same inode, then up as long as the inode stays the same (the
 * level that made it, e.g. the VM root for net). MODEL_NONE when no ancestor has it (its
 * own) or the type is unknown. Bounded by the namespace count whatever the parents say. */
size_t render_type_owner(const struct model *m, const struct model_namespace *ns, int type);

/* Appends the isolation line of a namespace: the types of its own and those it shares,
 * grouped by the ancestor that has them (the topmost of the run of ancestors with the same
 * inode, e.g. "VM root" for net), types no view gave last: "own: mnt uts  shares: ipc with
 * <label>, net user cgroup time with <label>  unknown: time". label() appends an owner's
 * name (escaped for the output channel by the caller's function). Appends nothing for a
 * namespace without a parent or without any known type. */
void render_types_line(struct strbuf *sb, const struct model *m, const struct model_namespace *ns,
                       void (*label)(struct strbuf *sb, const struct model_namespace *owner,
                                     void *ctx),
                       void *ctx);

/* True when a namespace belongs to one of the -d distros (case-insensitive). */
bool render_matches_filter(const struct model_namespace *ns, const char *const *only);

#endif
