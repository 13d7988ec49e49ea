/* model.h - every OK view merged into one tree of pid namespaces, with each process's pid
 * at every level (docs/report.md says what each field means).
 *
 * Identity: a namespace is its nsfs inode; a process is (own namespace, pid there), with
 * starttime as a guard against pid reuse. Only views from one kernel boot merge: sources
 * whose boot_id differs from the majority are marked failed ("from another boot ...").
 * Namespaces whose parent no view could see hang below one placeholder (id "unknown:1").
 * Whatever a document claims (cycles, self-parents, depth that contradicts the parents),
 * the merge terminates and reports what it could not reconcile as diagnostics.
 *
 * Ownership: model_build returns a model freed with model_free (NULL-safe). Process comm and
 * cmdline point into the views of the source list: free the model before the sources.
 * Indices (ns, parent, children, processes) index the model's own arrays; MODEL_NONE = none.
 */
#ifndef WSLNS_MODEL_H
#define WSLNS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "idmap.h"
#include "severity.h"
#include "source.h"
#include "view.h"

#define MODEL_NONE ((size_t)-1)
#define MODEL_MAX_DEPTH 64 /* deeper chains are cut (the kernel allows 32 levels) */
#define MODEL_MAX_DIAGS_PER_CODE 20

enum ns_kind { NS_VM, NS_SYSTEM, NS_DISTRO, NS_CONTAINER, NS_UNKNOWN };

struct model_namespace {
    char *id;       /* "pid:[<inode>]" or "unknown:<n>" for the placeholder */
    uint64_t inode; /* 0 for the placeholder */
    bool placeholder;
    size_t parent;
    size_t depth; /* 0 at the top of the tree */
    enum ns_kind kind;
    char *distro;     /* the distro this namespace belongs to; NULL for vm/unknown */
    char *label;      /* "VM root", "system distro of X", "distro X", ... */
    size_t *children; /* sorted by distro name, then kind (system first), then inode */
    size_t child_count;
    size_t *processes; /* processes whose own namespace this is, by own pid */
    size_t process_count;
    /* the other namespaces its pid 1 lives in (view_ns_types order: mnt, uts, ipc, net,
     * user, cgroup, time); 0 = no view said. Views that disagree: the first is kept and a
     * "model.namespace_types_conflict" diagnostic says so. */
    uint64_t types[VIEW_NS_TYPES];
    /* internal bookkeeping of the merge */
    uint64_t parent_inode;
    bool parent_hidden;
    size_t parent_source;
    size_t types_source[VIEW_NS_TYPES];
};

struct model_process {
    size_t ns;     /* own namespace */
    int64_t *pids; /* depth(ns) + 1 entries, the top level first; 0 = not known */
    size_t levels;
    int64_t ppid; /* the parent in the own namespace; 0 when it lies outside */
    int64_t uid;
    uint64_t starttime;
    const char *comm; /* exact bytes, borrowed from a view */
    char *const *cmdline;
    size_t args;
    bool kthread;  /* kernel thread: the tree counts them instead of listing them */
    char state;    /* 'Z' zombie, ...; '?' unknown */
    size_t source; /* the source whose view gave the most levels */
    /* internal: the chosen observation */
    const struct view_process *seen;
};

struct model_diag {
    enum severity severity;
    char *code; /* stable, area.snake_case: "model.nspid_depth", "model.namespace_cycle", ... */
    char *message;
};

struct model {
    char *boot_id; /* of the merged views; NULL when none was OK */
    struct model_namespace *namespaces;
    size_t namespace_nr, namespace_alloc; /* grown by ALLOC_GROW (xalloc.h) */
    struct model_process *processes;
    size_t process_nr, process_alloc;
    size_t *tops; /* namespaces without a parent (the VM root, the placeholder) */
    size_t top_count;
    struct model_diag *diags;
    size_t diag_nr, diag_alloc;
    struct idmap ns_by_inode;  /* inode -> namespace */
    struct idmap by_level_pid; /* (namespace, pid at that level) -> process */
    struct idmap diag_codes;   /* per code: how many messages so far */
};

/* Merges the OK sources (those with a parsed view). Marks sources of another boot failed.
 * Returns the model (never NULL: out of memory ends the process, xalloc.h). */
struct model *model_build(struct source_list *sources);

/* The namespace with this inode, or MODEL_NONE. */
size_t model_find_namespace(const struct model *m, uint64_t inode);

/* The process whose pid in namespace ns is pid, or MODEL_NONE. */
size_t model_find_pid(const struct model *m, size_t ns, int64_t pid);

/* The namespace of each level of a process, top first (levels entries). Caller frees. */
size_t *model_chain(const struct model *m, size_t ns, size_t *levels);

/* Distro names compare as WSL compares them: ASCII case-insensitively. A name known only
 * from a cut comm (ending in U+2026) matches every name it starts. */
bool model_distro_equal(const char *a, const char *b);

const char *model_kind_name(enum ns_kind kind);

void model_free(struct model *m);

#endif
