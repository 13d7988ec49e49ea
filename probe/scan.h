/* scan.h - the scanner: one pass over /proc that reads every process of the view and resolves
 * the parent of every distinct pid namespace.
 *
 * Contract:
 * - probe_scan() reads only through the /proc directory fd it is given (openat/fstatat/
 *   readlinkat relative to it) and writes nothing. It does not close procfd.
 * - It reads the pids with two threads when it may run on two CPUs (one otherwise; the second
 *   starts while the calling thread still lists /proc), yet the view is the same as one
 *   thread's: processes and errors in /proc order, namespaces and their parents resolved by
 *   the calling thread in that order, and the probe's own pid read by the calling thread
 *   while it runs (so its state is R). No thread outlives the call.
 * - The struct probe_view it fills owns all its memory (arrays and one arena for the text);
 *   probe_view_release() frees it and may be called on a zeroed or half-filled view.
 * - Races of a live /proc are deliberate, not errors: a process that vanishes at any step
 *   (ENOENT, ESRCH) is left out without a word. A step that is refused (EACCES, EPERM) or fails
 *   otherwise becomes an entry in view->errors; the process stays listed when what was read
 *   still identifies it (e.g. pidns 0 = unknown when ns/pid is refused).
 * - NS_GET_PARENT is called once per distinct namespace, then up through parents not yet
 *   known, so namespaces without a listed process (hidden by hidepid, say) still appear.
 * - On failure probe_scan returns a code and a message for the user in *message (caller frees);
 *   the view must still be released.
 */
#ifndef WSLNS_PROBE_SCAN_H
#define WSLNS_PROBE_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct probe_arena_block;

/* Bump allocator for the text of thousands of processes: few mallocs, freed at once. */
struct probe_arena {
    struct probe_arena_block *head;
};

struct probe_process {
    int pid; /* in the view's namespace (the /proc that was read) */
    int ppid;
    uint32_t uid;
    char state;
    bool kthread;
    uint64_t starttime;
    uint64_t pidns;   /* inode of its own pid namespace; 0 = could not be read */
    size_t nspid_len; /* 1..PROBE_MAX_LEVELS */
    const int *nspid; /* outermost visible level first, own level last (in the arena) */
    /* Raw bytes in the arena, each followed by one NUL not counted in the length, so that
     * comm and every cmdline argument (see probe_cmdline_next) are also C strings. */
    const char *comm; /* from stat */
    size_t comm_len;
    const char *cmdline; /* NUL-separated arguments; "" for kernel threads and zombies */
    size_t cmdline_len;
};

struct probe_namespace {
    uint64_t inode;
    uint64_t parent;     /* inode of the parent; 0 when none is known */
    bool parent_visible; /* false exactly when a parent exists but lies outside the view */
    int level;           /* 0 = the namespace of the /proc that was read, 1 below it, ... */
    size_t nprocesses;   /* listed processes whose own namespace this is */
    long init_index;     /* index in processes[] of its pid 1, or -1 when not listed */
    /* The other namespaces its lowest visible pid (pid 1 when listed) lives in, in the order
     * of probe_ns_types; 0 = not known (no listed process, or the link could not be read:
     * then the reason is in the errors, as "ns/<type>"). */
    uint64_t types[7];
};

/* "mnt", "uts", "ipc", "net", "user", "cgroup", "time": the order of probe_namespace.types. */
#define PROBE_NS_TYPES 7
extern const char *const probe_ns_types[PROBE_NS_TYPES];

struct probe_error {
    int pid;          /* 0 when the error is not about one process */
    const char *what; /* static text: the file or step, e.g. "ns/pid", "NS_GET_PARENT" */
    int err;          /* errno value */
};

struct probe_view {
    struct probe_process *processes;
    size_t process_nr, process_alloc;
    struct probe_namespace *namespaces; /* sorted by level, then inode, after probe_scan */
    size_t namespace_nr, namespace_alloc;
    struct probe_error *errors;
    size_t error_nr, error_alloc;
    long self_index; /* index of the probe itself in processes[] */
    /* inode -> namespace index + 1 (0 = empty slot); open addressing, power-of-two size */
    size_t *ns_slots;
    size_t ns_slots_len;
    struct probe_arena arena;
};

enum probe_scan_result {
    PROBE_SCAN_OK,
    PROBE_SCAN_NO_PROC,  /* /proc missing, not procfs, or this process is not in it */
    PROBE_SCAN_NO_NSPID, /* the kernel shows no NSpid: WSL 1 or no CONFIG_PID_NS */
    PROBE_SCAN_FAILED,   /* /proc could not be listed */
};

enum probe_scan_result probe_scan(int procfd, struct probe_view *view, char **message);

void probe_view_release(struct probe_view *view);

/* The namespace with that inode, or NULL. */
const struct probe_namespace *probe_view_namespace(const struct probe_view *view, uint64_t inode);

/* Appends an error to the list (grown with ALLOC_GROW: never fails, see xalloc.h). */
void probe_errors_add(struct probe_error **errors, size_t *nr, size_t *alloc, int pid,
                      const char *what, int err);

/* "EACCES", "ENOENT", ... for the errno values /proc gives, "E<number>" for others. */
const char *probe_errno_name(int err, char buf[16]);

/* Reads the whole file at dirfd/path with as few read() calls as possible: one into `small`
 * when it fits, otherwise the rest into *big (grown with ALLOC_GROW, owned by the caller, who
 * frees it; reused across calls). Returns 0 and the bytes in *data and *len, or an errno value. */
int probe_read_at(int dirfd, const char *path, char *small, size_t small_cap, char **big,
                  size_t *big_alloc, const char **data, size_t *len);

/* Arena: n bytes aligned for any type (never NULL: out of memory ends the process, xalloc.h). */
void *probe_arena_alloc(struct probe_arena *arena, size_t n);
void probe_arena_release(struct probe_arena *arena);

#endif
