/* view.h - one wslns-probe/1 document, parsed and validated: what the probe saw from one
 * place (a distro, a system distro, the VM root).
 *
 * The document is untrusted (a tampered distro, a truncated pipe), so view_parse checks
 * everything it keeps:
 * - The document is rejected (an errmsg returned, *out NULL) when its shape is wrong: not JSON,
 *   another schema, a missing or mistyped top-level member, more than VIEW_MAX_* entries.
 * - A single bad entry (a pid out of range, an nspid whose last element is not the pid, a
 *   duplicate) is dropped and described in `warnings`, so one odd process does not cost
 *   the whole view.
 * - Every string is valid UTF-8 without NUL bytes, except comm and cmdline, which keep the
 *   exact bytes the probe reported through comm_hex/cmdline_hex (they may then hold invalid
 *   UTF-8; renderers escape or sanitize them).
 *
 * Ownership: view_parse sets *out to a view the caller frees with view_free (NULL-safe); the
 * view owns every pointer inside it. The errmsg is malloc'd, the caller frees it.
 */
#ifndef WSLNS_VIEW_H
#define WSLNS_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errmsg.h"

struct cJSON;

#define VIEW_MAX_PROCESSES 1000000
#define VIEW_MAX_NAMESPACES 100000
#define VIEW_MAX_LEVELS 64
#define VIEW_MAX_ERRORS 100000
#define VIEW_MAX_ARGS 65536
#define VIEW_MAX_WARNINGS 20    /* kept word for word; the rest are only counted */
#define VIEW_MAX_PID 2147483647 /* 2^31 - 1; the kernel's PID_MAX_LIMIT is far below */

/* The pid-namespace inode of the kernel's initial namespace (PROC_PID_INIT_INO): the VM root. */
#define VIEW_INIT_PIDNS 4026531836u

/* The other namespace types the probe reads per pid namespace ("ns"), in this order. */
#define VIEW_NS_TYPES 7
extern const char *const view_ns_types[VIEW_NS_TYPES]; /* "mnt", "uts", ..., "time" */

struct view_namespace {
    uint64_t inode;
    uint64_t parent;     /* 0 when unknown or none */
    bool parent_visible; /* false: a parent exists but lies outside this view */
    /* the inodes of its pid 1's other namespaces (view_ns_types order); 0 = unknown: absent
     * (an older probe), null, or not a positive integer (then a warning says so) */
    uint64_t types[VIEW_NS_TYPES];
};

struct view_process {
    int64_t pid;    /* in the view's root namespace: nspid[0] (the document's "pid" may
                       be either end of nspid; both conventions are accepted) */
    int64_t *nspid; /* outermost visible level first, own level last */
    size_t levels;  /* 1..VIEW_MAX_LEVELS */
    int64_t ppid;   /* 0 for a namespace's pid 1 whose parent is outside */
    uint64_t pidns; /* own pid-namespace inode; 0 when the probe could not read it */
    int64_t uid;
    uint64_t starttime; /* clock ticks after boot */
    char *comm;         /* exact bytes, NUL-terminated */
    char **cmdline;     /* exact bytes of each argument */
    size_t args;
    bool kthread; /* a kernel thread (optional "kthread"; false when absent) */
    char state;   /* status State letter ('Z' zombie ...), '?' when absent */
};

struct view {
    char *schema;
    char *kernel_release;
    char *boot_id; /* NULL when the probe could not read it */
    int64_t self_pid;
    uint64_t self_pidns; /* the namespace the probe ran in; 0 when unknown */
    uint64_t root_pidns; /* the view's outermost namespace (where nspid[0] lives); 0 if unknown */
    char *distro;        /* context.distro (WSL_DISTRO_NAME) or NULL */
    char *wsl2_distro_name; /* WSL2_DISTRO_NAME found in the context, or NULL */
    char *os_name;          /* os_release PRETTY_NAME (or NAME), or NULL */
    char *wsl_conf;         /* context.wsl_conf (/etc/wsl.conf as read), or NULL */
    /* The whole context object for later checks, or NULL. Untrusted and unchecked: its
     * strings may hold invalid UTF-8. */
    struct cJSON *context;
    struct view_namespace *namespaces;
    size_t namespace_count;
    struct view_process *processes;
    size_t process_count;
    char **errors; /* the probe's own errors, one readable line each */
    size_t error_count;
    char **warnings; /* entries this parser dropped, and why (at most VIEW_MAX_WARNINGS) */
    size_t warning_count;
    size_t warnings_dropped; /* further warnings not kept */
};

errmsg view_parse(const char *json, size_t len, struct view **out);

void view_free(struct view *view);

#endif
