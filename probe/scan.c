#include "scan.h"

#include "procfs.h"
#include "strbuf.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

/* NS_GET_PARENT from <linux/nsfs.h>, spelled out because musl's headers do not carry the
 * kernel's uapi headers. */
#define PROBE_NS_GET_PARENT _IO(0xb7, 0x2)

/* ---- arena ---- */

struct probe_arena_block {
    struct probe_arena_block *next;
    size_t used, cap;
    _Alignas(max_align_t) unsigned char data[];
};

#define ARENA_BLOCK 65536

void *probe_arena_alloc(struct probe_arena *arena, size_t n)
{
    size_t need = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
    struct probe_arena_block *b = arena->head;
    if (!b || b->cap - b->used < need) {
        size_t cap = need > ARENA_BLOCK ? need : ARENA_BLOCK;
        b = xmalloc(sizeof *b + cap);
        b->used = 0;
        b->cap = cap;
        /* An oversized block goes behind the current one so the current keeps filling. */
        if (arena->head && need > ARENA_BLOCK) {
            b->next = arena->head->next;
            arena->head->next = b;
        } else {
            b->next = arena->head;
            arena->head = b;
        }
    }
    void *p = b->data + b->used;
    b->used += need;
    return p;
}

void probe_arena_release(struct probe_arena *arena)
{
    struct probe_arena_block *b = arena->head;
    while (b) {
        struct probe_arena_block *next = b->next;
        free(b);
        b = next;
    }
    arena->head = NULL;
}

/* ---- small helpers ---- */

const char *probe_errno_name(int err, char buf[16])
{
    static const struct {
        int err;
        const char *name;
    } names[] = {
        {EACCES, "EACCES"},   {EPERM, "EPERM"},   {ENOENT, "ENOENT"}, {ESRCH, "ESRCH"},
        {EIO, "EIO"},         {ENOMEM, "ENOMEM"}, {EINVAL, "EINVAL"}, {ENOTTY, "ENOTTY"},
        {EMFILE, "EMFILE"},   {ENFILE, "ENFILE"}, {ENOSYS, "ENOSYS"}, {EBADMSG, "EBADMSG"},
        {ENOTDIR, "ENOTDIR"}, {ELOOP, "ELOOP"},   {EFBIG, "EFBIG"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (names[i].err == err)
            return names[i].name;
    }
    snprintf(buf, 16, "E%d", err);
    return buf;
}

void probe_errors_add(struct probe_error **errors, size_t *nr, size_t *alloc, int pid,
                      const char *what, int err)
{
    ALLOC_GROW(*errors, *nr + 1, *alloc);
    (*errors)[(*nr)++] = (struct probe_error){pid, what, err};
}

int probe_read_at(int dirfd, const char *path, char *small, size_t small_cap, char **big,
                  size_t *big_alloc, const char **data, size_t *len)
{
    int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return errno;
    ssize_t n = read(fd, small, small_cap);
    if (n < 0) {
        int err = errno;
        close(fd);
        return err;
    }
    /* /proc's seq files and cmdline fill the whole buffer when they can, so a short read is
     * the end of the file and saves the read() that would return 0. */
    if ((size_t)n < small_cap) {
        close(fd);
        *data = small;
        *len = (size_t)n;
        return 0;
    }
    /* Bigger than `small`: go on in *big, keeping at least a page free for each read(). */
    size_t used = (size_t)n;
    ALLOC_GROW(*big, used + 4096, *big_alloc);
    memcpy(*big, small, used);
    for (;;) {
        ssize_t m = read(fd, *big + used, *big_alloc - used);
        if (m < 0) {
            int err = errno;
            close(fd);
            return err;
        }
        if (m == 0)
            break;
        used += (size_t)m;
        ALLOC_GROW(*big, used + 4096, *big_alloc);
    }
    close(fd);
    *data = *big;
    *len = used;
    return 0;
}

/* ---- the namespace table ---- */

static size_t slot_of(uint64_t inode, size_t len)
{
    return (size_t)((inode * UINT64_C(0x9E3779B97F4A7C15)) >> 32) & (len - 1);
}

static long find_namespace(const struct probe_view *view, uint64_t inode)
{
    if (!view->ns_slots_len)
        return -1;
    for (size_t s = slot_of(inode, view->ns_slots_len);; s = (s + 1) & (view->ns_slots_len - 1)) {
        size_t v = view->ns_slots[s];
        if (v == 0)
            return -1;
        if (view->namespaces[v - 1].inode == inode)
            return (long)(v - 1);
    }
}

const struct probe_namespace *probe_view_namespace(const struct probe_view *view, uint64_t inode)
{
    long i = find_namespace(view, inode);
    return i < 0 ? NULL : &view->namespaces[i];
}

static void rebuild_slots(struct probe_view *view, size_t len)
{
    size_t *slots = xcalloc(len, sizeof *slots);
    for (size_t i = 0; i < view->namespace_nr; i++) {
        size_t s = slot_of(view->namespaces[i].inode, len);
        while (slots[s])
            s = (s + 1) & (len - 1);
        slots[s] = i + 1;
    }
    free(view->ns_slots);
    view->ns_slots = slots;
    view->ns_slots_len = len;
}

/* Adds an unresolved namespace; returns its index. */
static long add_namespace(struct probe_view *view, uint64_t inode, int level)
{
    ALLOC_GROW(view->namespaces, view->namespace_nr + 1, view->namespace_alloc);
    view->namespaces[view->namespace_nr++] =
        (struct probe_namespace){inode, 0, false, level, 0, -1, {0}};
    /* Keep the table at most half full so probes stay short. */
    if (view->namespace_nr * 2 > view->ns_slots_len) {
        rebuild_slots(view, view->ns_slots_len ? view->ns_slots_len * 2 : 64);
    } else {
        size_t s = slot_of(inode, view->ns_slots_len);
        while (view->ns_slots[s])
            s = (s + 1) & (view->ns_slots_len - 1);
        view->ns_slots[s] = view->namespace_nr;
    }
    return (long)view->namespace_nr - 1;
}

#define ADD_ERROR(view, pid, what, err)                                                            \
    probe_errors_add(&(view)->errors, &(view)->error_nr, &(view)->error_alloc, (pid), (what), (err))

/* Asks the kernel for the parent of the namespace at `index` (whose fd is nsfd, consumed) and
 * keeps walking up while the parent is new to the table. EPERM means "no parent" for the
 * initial namespace and "parent outside this view" for any other. */
static void resolve_parents(struct probe_view *view, long index, int nsfd, int pid)
{
    for (;;) {
        int parent_fd = ioctl(nsfd, PROBE_NS_GET_PARENT);
        int err = errno;
        close(nsfd);
        struct probe_namespace *ns = &view->namespaces[index];
        if (parent_fd < 0) {
            ns->parent = 0;
            ns->parent_visible = ns->inode == PROBE_INIT_PIDNS_INODE;
            if (err != EPERM)
                ADD_ERROR(view, pid, "NS_GET_PARENT", err);
            break;
        }
        struct stat st;
        if (fstat(parent_fd, &st) < 0) {
            err = errno;
            close(parent_fd);
            ns->parent_visible = false;
            ADD_ERROR(view, pid, "NS_GET_PARENT", err);
            break;
        }
        ns->parent = (uint64_t)st.st_ino;
        ns->parent_visible = true;
        int child_level = ns->level;
        long parent = find_namespace(view, (uint64_t)st.st_ino);
        if (parent >= 0) {
            close(parent_fd);
            break;
        }
        index = add_namespace(view, (uint64_t)st.st_ino, child_level - 1);
        nsfd = parent_fd;
    }
}

/* ---- per-process reading ---- */

/* Reusable buffers: sized so that one read() takes a typical file whole. */
struct scan_buffers {
    char status[4096];
    char stat[1024];
    char cmdline[4096];
    char *big;
    size_t big_alloc;
};

static bool vanished(int err)
{
    return err == ENOENT || err == ESRCH;
}

/* STEP_UNREAD: listed, not read yet. */
enum step { STEP_OK, STEP_SKIP, STEP_UNREAD };

/* What reading one pid gave, before it joins the view. The reading step records at most two
 * errors (ns/pid and cmdline, or status, or stat); the namespace step comes later, in order. */
struct scan_slot {
    int pid;
    unsigned char result; /* enum step */
    unsigned char nerrors;
    struct {
        const char *what;
        int err;
    } errors[2];
    struct probe_process process;
};

static void slot_error(struct scan_slot *slot, const char *what, int err)
{
    if (slot->nerrors < sizeof slot->errors / sizeof slot->errors[0]) {
        slot->errors[slot->nerrors].what = what;
        slot->errors[slot->nerrors].err = err;
        slot->nerrors++;
    }
}

/* Formats "<pid>/" into path; returns the length. */
static size_t pid_prefix(char *path, int pid)
{
    char digits[12];
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + pid % 10);
        pid /= 10;
    } while (pid);
    for (size_t i = 0; i < n; i++)
        path[i] = digits[n - 1 - i];
    path[n] = '/';
    return n + 1;
}

/* "<pid>/<file>" relative to procfd: measured faster than opening the pid directory and
 * using *at() calls on it, which costs an openat and a close per process. */
struct pid_path {
    char text[48];
    char *file; /* just after "<pid>/" */
};

static void pid_path_init(struct pid_path *path, int pid)
{
    path->file = path->text + pid_prefix(path->text, pid);
}

static const char *pid_file(struct pid_path *path, const char *name)
{
    strcpy(path->file, name);
    return path->text;
}

/* The read_* steps of one pid: each returns false when the process is left out, having
 * recorded in the slot why when that is not simply that the process is gone. */

/* status: State, PPid, Uid and NSpid, whose first pid must be the one listed. */
static bool read_status(int procfd, struct pid_path *path, struct scan_slot *slot,
                        struct scan_buffers *b, struct probe_status *status)
{
    const char *data = NULL;
    size_t len = 0;
    int err = probe_read_at(procfd, pid_file(path, "status"), b->status, sizeof b->status, &b->big,
                            &b->big_alloc, &data, &len);
    if (err) {
        if (!vanished(err))
            slot_error(slot, "status", err);
        return false;
    }
    if (!probe_parse_status(data, len, status) || !status->has_nspid ||
        status->nspid[0] != slot->pid) {
        /* What a process being reaped leaves behind: an empty status, or that of a dead task
         * ("State: X (dead)"), whose pids are already detached, so NSpid reads 0 (seen in
         * the churn test). Both mean gone, not malformed. */
        if (len && status->state != 'X')
            slot_error(slot, "status", EBADMSG);
        return false;
    }
    return true;
}

/* stat: comm, flags and starttime. fields->comm points into b until keep_ids copies it. */
static bool read_stat(int procfd, struct pid_path *path, struct scan_slot *slot,
                      struct scan_buffers *b, struct probe_stat *fields)
{
    const char *data = NULL;
    size_t len = 0;
    int err = probe_read_at(procfd, pid_file(path, "stat"), b->stat, sizeof b->stat, &b->big,
                            &b->big_alloc, &data, &len);
    if (!err && probe_parse_stat(data, len, fields))
        return true;
    if (err ? !vanished(err) : len != 0)
        slot_error(slot, "stat", err ? err : EBADMSG);
    return false;
}

/* The process as status and stat describe it, with comm and NSpid copied into the arena
 * (comm points into the read buffers, which the next read reuses). */
static void keep_ids(struct probe_arena *arena, const struct probe_status *status,
                     const struct probe_stat *fields, struct probe_process *p)
{
    char *comm = probe_arena_alloc(arena, fields->comm_len + 1);
    int *nspid = probe_arena_alloc(arena, status->nspid_len * sizeof *nspid);
    memcpy(comm, fields->comm, fields->comm_len);
    comm[fields->comm_len] = '\0';
    memcpy(nspid, status->nspid, status->nspid_len * sizeof *nspid);
    *p = (struct probe_process){
        .pid = status->nspid[0],
        .ppid = status->ppid,
        .uid = status->uid,
        .state = status->state,
        /* A kernel thread has no memory to hold arguments: its cmdline is always empty. */
        .kthread = (fields->flags & PROBE_PF_KTHREAD) != 0,
        .starttime = fields->starttime,
        .nspid_len = status->nspid_len,
        .nspid = nspid,
        .comm = comm,
        .comm_len = fields->comm_len,
        .cmdline = "",
    };
}

/* The ns/pid link's text "pid:[<inode>]" names the namespace: readlinkat measured a fifth
 * cheaper than fstatat, which has the kernel set up the nsfs dentry to stat it. A refused or
 * malformed link leaves the namespace unknown (0) and the process listed. */
static bool read_pidns(int procfd, struct pid_path *path, struct scan_slot *slot, uint64_t *pidns)
{
    char link[64];
    ssize_t len = readlinkat(procfd, pid_file(path, "ns/pid"), link, sizeof link);
    if (len > 0) {
        if (!probe_parse_ns_link(link, (size_t)len, pidns))
            slot_error(slot, "ns/pid", EBADMSG);
        return true;
    }
    if (vanished(errno))
        return false;
    slot_error(slot, "ns/pid", errno);
    return true;
}

/* cmdline into the arena, skipped for kernel threads. A refused read leaves it empty and the
 * process listed. STEP_OK or STEP_SKIP (gone). */
static enum step read_cmdline(struct probe_arena *arena, int procfd, struct pid_path *path,
                              struct scan_slot *slot, struct scan_buffers *b)
{
    struct probe_process *p = &slot->process;
    if (p->kthread)
        return STEP_OK;
    const char *data = NULL;
    size_t len = 0;
    int err = probe_read_at(procfd, pid_file(path, "cmdline"), b->cmdline, sizeof b->cmdline,
                            &b->big, &b->big_alloc, &data, &len);
    if (err) {
        if (vanished(err))
            return STEP_SKIP;
        slot_error(slot, "cmdline", err);
        return STEP_OK;
    }
    if (!len)
        return STEP_OK;
    char *copy = probe_arena_alloc(arena, len + 1);
    memcpy(copy, data, len);
    copy[len] = '\0';
    p->cmdline = copy;
    p->cmdline_len = len;
    return STEP_OK;
}

/* Reads one pid into its slot: status, stat, the ns/pid link and cmdline, in that order (the
 * order of the errors it records). Touches nothing shared but the slot, so two threads can
 * read different pids at once; text goes into the caller's own arena. Sets slot->result.
 * view_pidns: the namespace of the /proc being read when every link would be answered (see
 * may_read_every_link), else 0. A process whose NSpid has one pid lives in that namespace
 * (the kernel lists its pids from the /proc's namespace down to the process's own,
 * fs/proc/array.c task_state), so its link need not be read. */
static void read_pid(struct probe_arena *arena, int procfd, struct scan_slot *slot,
                     struct scan_buffers *b, uint64_t view_pidns)
{
    struct pid_path path;
    pid_path_init(&path, slot->pid);
    slot->result = STEP_SKIP;
    slot->nerrors = 0;
    struct probe_status status;
    struct probe_stat fields;
    if (!read_status(procfd, &path, slot, b, &status) ||
        !read_stat(procfd, &path, slot, b, &fields))
        return;
    keep_ids(arena, &status, &fields, &slot->process);
    if (view_pidns && slot->process.nspid_len == 1)
        slot->process.pidns = view_pidns;
    else if (!read_pidns(procfd, &path, slot, &slot->process.pidns))
        return;
    slot->result = read_cmdline(arena, procfd, &path, slot, b);
}

/* For a namespace new to the table: adds it and its parents (NS_GET_PARENT once per distinct
 * namespace). When ns/pid cannot be opened the error is recorded and the process stays,
 * its namespace unknown (0). STEP_OK or STEP_SKIP (gone). */
static enum step place_pidns(struct probe_view *view, int procfd, struct probe_process *process)
{
    if (!process->pidns || find_namespace(view, process->pidns) >= 0)
        return STEP_OK;
    struct pid_path path;
    pid_path_init(&path, process->pid);
    int nsfd = openat(procfd, pid_file(&path, "ns/pid"), O_RDONLY | O_CLOEXEC);
    if (nsfd < 0) {
        if (vanished(errno))
            return STEP_SKIP;
        ADD_ERROR(view, process->pid, "ns/pid", errno);
        process->pidns = 0;
        return STEP_OK;
    }
    long index = add_namespace(view, process->pidns, (int)process->nspid_len - 1);
    resolve_parents(view, index, nsfd, process->pid);
    return STEP_OK;
}

/* Adds what read_pid found to the view, in /proc order: its errors, then its namespace when
 * new (see place_pidns), then the process. */
static void place_pid(struct probe_view *view, int procfd, const struct scan_slot *slot)
{
    for (size_t i = 0; i < slot->nerrors; i++)
        ADD_ERROR(view, slot->pid, slot->errors[i].what, slot->errors[i].err);
    if (slot->result != STEP_OK)
        return;
    struct probe_process process = slot->process;
    if (place_pidns(view, procfd, &process) != STEP_OK)
        return;
    ALLOC_GROW(view->processes, view->process_nr + 1, view->process_alloc);
    view->processes[view->process_nr++] = process;
}

/* ---- reading with two threads ---- */

/* The kernel's work per pid (formatting status and stat, walking paths) is nearly all of the
 * probe's time, and pids are independent. The calling thread lists /proc and publishes the
 * pids in chunks of SCAN_CHUNK; a second thread starts reading the first chunk while the
 * listing goes on, and once it ends the calling thread reads too, each taking the next chunk
 * until none is left. place_pid then puts the results in order. */
#define SCAN_CHUNK 64
#define SCAN_THREADS 2

struct scan_chunk {
    size_t n;
    struct scan_slot slots[SCAN_CHUNK];
};

struct scan_shared {
    int procfd;
    uint64_t view_pidns; /* read_pid's view_pidns; set before the readers start */
    pthread_mutex_t lock;
    pthread_cond_t more; /* a chunk was published or the listing ended */
    /* Under the lock: */
    struct scan_chunk **chunks; /* published chunks, in /proc order */
    size_t chunk_nr, chunk_alloc;
    size_t next; /* the next chunk to read */
    bool listed; /* no more chunks will come */
};

struct scan_worker {
    struct scan_shared *shared;
    struct probe_arena arena;
    struct scan_buffers buffers;
};

/* The next published chunk to read, waiting for the listing when it is behind; NULL when
 * there is none left. */
static struct scan_chunk *take_chunk(struct scan_shared *s)
{
    struct scan_chunk *chunk = NULL;
    pthread_mutex_lock(&s->lock);
    for (;;) {
        if (s->next < s->chunk_nr) {
            chunk = s->chunks[s->next++];
            break;
        }
        if (s->listed)
            break;
        pthread_cond_wait(&s->more, &s->lock);
    }
    pthread_mutex_unlock(&s->lock);
    return chunk;
}

static void *scan_work(void *arg)
{
    struct scan_worker *w = arg;
    struct scan_shared *s = w->shared;
    struct scan_chunk *chunk;
    while ((chunk = take_chunk(s)) != NULL) {
        for (size_t i = 0; i < chunk->n; i++) {
            struct scan_slot *slot = &chunk->slots[i];
            /* The probe's own pid was read before the listing (see probe_scan). */
            if (slot->result != STEP_UNREAD)
                continue;
            read_pid(&w->arena, s->procfd, slot, &w->buffers, s->view_pidns);
        }
    }
    return NULL;
}

/* Hands a filled chunk to the readers. */
static void publish(struct scan_shared *s, struct scan_chunk *chunk)
{
    pthread_mutex_lock(&s->lock);
    ALLOC_GROW(s->chunks, s->chunk_nr + 1, s->chunk_alloc);
    s->chunks[s->chunk_nr++] = chunk;
    pthread_cond_signal(&s->more);
    pthread_mutex_unlock(&s->lock);
}

/* Moves every block of `from` into `to`. */
static void arena_splice(struct probe_arena *to, struct probe_arena *from)
{
    struct probe_arena_block *tail = from->head;
    if (!tail)
        return;
    while (tail->next)
        tail = tail->next;
    tail->next = to->head;
    to->head = from->head;
    from->head = NULL;
}

/* How many threads read: two when this process may run on two CPUs or more, else one. */
static int scan_threads(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) < 2)
        return 1;
    return SCAN_THREADS;
}

static int compare_namespaces(const void *a, const void *b)
{
    const struct probe_namespace *x = a, *y = b;
    if (x->level != y->level)
        return x->level < y->level ? -1 : 1;
    return x->inode < y->inode ? -1 : x->inode > y->inode;
}

const char *const probe_ns_types[PROBE_NS_TYPES] = {"mnt",  "uts",    "ipc", "net",
                                                    "user", "cgroup", "time"};

/* The other namespaces of the process at `index` (the lowest visible pid of namespace `ns`):
 * one readlink per type, once per pid namespace, never per process. */
static void read_types(struct probe_view *view, int procfd, struct probe_namespace *ns, long index)
{
    /* static text for the errors list */
    static const char *const what[PROBE_NS_TYPES] = {"ns/mnt",  "ns/uts",    "ns/ipc", "ns/net",
                                                     "ns/user", "ns/cgroup", "ns/time"};
    int pid = view->processes[index].pid;
    for (int t = 0; t < PROBE_NS_TYPES; t++) {
        char path[48], link[64];
        snprintf(path, sizeof path, "%d/ns/%s", pid, probe_ns_types[t]);
        ssize_t len = readlinkat(procfd, path, link, sizeof link);
        int err = len > 0 ? 0 : errno;
        if (len > 0 && !probe_parse_ns_link_of(probe_ns_types[t], link, (size_t)len, &ns->types[t]))
            err = EBADMSG;
        /* A kernel built without that type (no CONFIG_TIME_NS, ...) has the link nowhere,
         * not even for the probe: null, and nothing went wrong. */
        char self[32];
        snprintf(self, sizeof self, "self/ns/%s", probe_ns_types[t]);
        if (err == ENOENT && readlinkat(procfd, self, link, sizeof link) < 0 && errno == ENOENT)
            err = 0;
        if (err)
            ADD_ERROR(view, pid, what[t], err);
    }
}

/* Counts, init processes, each namespace's other types and the final order of namespaces,
 * once every process is in. */
static void finish(struct probe_view *view, int procfd)
{
    qsort(view->namespaces, view->namespace_nr, sizeof *view->namespaces, compare_namespaces);
    rebuild_slots(view, view->ns_slots_len);
    int *lowest = xcalloc(view->namespace_nr + 1, sizeof *lowest);
    long *lowest_index = xcalloc(view->namespace_nr + 1, sizeof *lowest_index);
    for (size_t i = 0; i < view->process_nr; i++) {
        const struct probe_process *p = &view->processes[i];
        long ns = p->pidns ? find_namespace(view, p->pidns) : -1;
        if (ns < 0)
            continue;
        struct probe_namespace *n = &view->namespaces[ns];
        /* the lowest visible pid of the namespace, in its own numbering */
        if (!n->nprocesses || p->nspid[p->nspid_len - 1] < lowest[ns]) {
            lowest[ns] = p->nspid[p->nspid_len - 1];
            lowest_index[ns] = (long)i;
        }
        n->nprocesses++;
        if (p->nspid[p->nspid_len - 1] == 1)
            n->init_index = (long)i;
    }
    for (size_t i = 0; i < view->namespace_nr; i++) {
        if (view->namespaces[i].nprocesses)
            read_types(view, procfd, &view->namespaces[i], lowest_index[i]);
    }
    free(lowest);
    free(lowest_index);
}

static bool parse_pid_name(const char *name, int *pid)
{
    long v = 0;
    if (*name < '1' || *name > '9')
        return false;
    for (; *name; name++) {
        if (*name < '0' || *name > '9' || v > INT32_MAX / 10)
            return false;
        v = v * 10 + (*name - '0');
    }
    if (v > INT32_MAX)
        return false;
    *pid = (int)v;
    return true;
}

/* A stream of /proc's entries on a descriptor of its own, so that procfd stays usable for
 * openat and the caller; NULL with *err set when /proc cannot be listed. */
static DIR *open_listing(int procfd, int *err)
{
    int list_fd = openat(procfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *dir = list_fd < 0 ? NULL : fdopendir(list_fd);
    if (!dir) {
        *err = errno;
        if (list_fd >= 0)
            close(list_fd);
    }
    return dir;
}

/* Puts pid in the chunk being filled (a new one when there is none), self copied as already
 * read, and publishes the chunk once full. */
static void add_listed(struct scan_shared *s, struct scan_chunk **chunk, int pid,
                       const struct scan_slot *self)
{
    if (!*chunk) {
        *chunk = xmalloc(sizeof **chunk);
        (*chunk)->n = 0;
    }
    struct scan_slot *slot = &(*chunk)->slots[(*chunk)->n++];
    if (pid == self->pid) {
        *slot = *self;
    } else {
        slot->pid = pid;
        slot->result = STEP_UNREAD;
        slot->nerrors = 0;
    }
    if ((*chunk)->n == SCAN_CHUNK) {
        publish(s, *chunk);
        *chunk = NULL;
    }
}

/* No more chunks will come: wakes every reader waiting for one. */
static void end_listing(struct scan_shared *s)
{
    pthread_mutex_lock(&s->lock);
    s->listed = true;
    pthread_cond_broadcast(&s->more);
    pthread_mutex_unlock(&s->lock);
}

/* Lists the pids in /proc and publishes them chunk by chunk; self (already read) is copied
 * into its place. Ends the listing for the readers whatever happens. 0 or an errno value. */
static int list_pids(int procfd, struct scan_shared *s, const struct scan_slot *self)
{
    int err = 0;
    DIR *dir = open_listing(procfd, &err);
    struct scan_chunk *chunk = NULL;
    while (dir && !err) {
        errno = 0;
        const struct dirent *entry = readdir(dir);
        if (!entry) {
            err = errno;
            break;
        }
        int pid;
        if (parse_pid_name(entry->d_name, &pid))
            add_listed(s, &chunk, pid, self);
    }
    if (chunk)
        publish(s, chunk);
    if (dir)
        closedir(dir);
    end_listing(s);
    return err;
}

/* The probe's own pid, from the /proc/self link. */
static enum probe_scan_result find_self(int procfd, int *self_pid, char **message)
{
    char name[32];
    ssize_t n = readlinkat(procfd, "self", name, sizeof name - 1);
    if (n > 0) {
        name[n] = '\0';
        if (parse_pid_name(name, self_pid))
            return PROBE_SCAN_OK;
    }
    *message = str_dup("/proc is not mounted here, or it belongs to a pid namespace this "
                       "process is not part of (/proc/self does not resolve); mount /proc "
                       "or run the probe inside the namespace whose /proc it is");
    return PROBE_SCAN_NO_PROC;
}

/* /proc/self/status must be procfs's and show the NSpid line, or there is nothing to map.
 * *caps: the effective capabilities it shows (0 when it shows none). */
static enum probe_scan_result check_self_status(int procfd, struct scan_buffers *b, char **message,
                                                uint64_t *caps)
{
    const char *data = NULL;
    size_t len = 0;
    struct probe_status status;
    int err = probe_read_at(procfd, "self/status", b->status, sizeof b->status, &b->big,
                            &b->big_alloc, &data, &len);
    if (err || !probe_parse_status(data, len, &status)) {
        *message = str_printf("cannot read /proc/self/status (%s): /proc does not look like "
                              "procfs",
                              err ? strerror(err) : "unexpected format");
        return PROBE_SCAN_NO_PROC;
    }
    if (!status.has_nspid) {
        *message = str_dup("this kernel shows no NSpid line in /proc/<pid>/status: it is WSL 1 "
                           "or a Linux kernel without pid namespaces (CONFIG_PID_NS) or older "
                           "than 4.1, so there are no pid namespaces to map");
        return PROBE_SCAN_NO_NSPID;
    }
    if (!probe_parse_cap_eff(data, len, caps))
        *caps = 0;
    return PROBE_SCAN_OK;
}

/* The kernel's PROC_USER_INIT_INO: the inode of the initial user namespace. */
#define PROBE_INIT_USERNS_INODE UINT64_C(4026531837)

/* Whether the kernel answers every process's ns/pid link to this process: it asks for ptrace
 * read access (ptrace_may_access, PTRACE_MODE_READ_FSCREDS), which CAP_SYS_PTRACE in the
 * initial user namespace grants over every task whatever its owner or dumpable flag. Only a
 * security module (SELinux, say) could still refuse root; read_pid then reports the
 * namespace, which is right, where the link would have been refused. */
static bool may_read_every_link(int procfd, uint64_t caps)
{
    if (!(caps >> PROBE_CAP_SYS_PTRACE & 1))
        return false;
    char link[64];
    uint64_t userns = 0;
    ssize_t len = readlinkat(procfd, "self/ns/user", link, sizeof link);
    return len > 0 && probe_parse_ns_link_of("user", link, (size_t)len, &userns) &&
           userns == PROBE_INIT_USERNS_INODE;
}

/* Starts the other readers, lists /proc, reads beside them until no chunk is left and waits
 * for them. Returns list_pids' result. */
static int read_all(struct scan_shared *shared, struct scan_worker workers[SCAN_THREADS],
                    const struct scan_slot *self)
{
    int nthreads = scan_threads();
    pthread_t threads[SCAN_THREADS];
    bool started[SCAN_THREADS] = {false};
    for (int t = 0; t < nthreads; t++) {
        workers[t].shared = shared;
        /* A thread that cannot start leaves its share to the others. */
        if (t > 0)
            started[t] = pthread_create(&threads[t], NULL, scan_work, &workers[t]) == 0;
    }
    int list_err = list_pids(shared->procfd, shared, self);
    scan_work(&workers[0]);
    for (int t = 1; t < nthreads; t++) {
        if (started[t])
            pthread_join(threads[t], NULL);
    }
    return list_err;
}

/* Places every chunk's pids in /proc order and notes where the probe itself went. */
static void place_all(struct probe_view *view, int procfd, const struct scan_shared *shared,
                      int self_pid)
{
    for (size_t c = 0; c < shared->chunk_nr; c++) {
        const struct scan_chunk *chunk = shared->chunks[c];
        for (size_t i = 0; i < chunk->n; i++) {
            place_pid(view, procfd, &chunk->slots[i]);
            if (chunk->slots[i].pid == self_pid && view->process_nr &&
                view->processes[view->process_nr - 1].pid == self_pid)
                view->self_index = (long)view->process_nr - 1;
        }
    }
}

/* Frees what the readers shared and hands their arenas (the text of every process) to the
 * view. */
static void end_readers(struct probe_view *view, struct scan_shared *shared,
                        struct scan_worker workers[SCAN_THREADS])
{
    for (size_t c = 0; c < shared->chunk_nr; c++)
        free(shared->chunks[c]);
    free(shared->chunks);
    pthread_cond_destroy(&shared->more);
    pthread_mutex_destroy(&shared->lock);
    for (int t = 0; t < SCAN_THREADS; t++) {
        arena_splice(&view->arena, &workers[t].arena);
        free(workers[t].buffers.big);
    }
}

enum probe_scan_result probe_scan(int procfd, struct probe_view *view, char **message)
{
    memset(view, 0, sizeof *view);
    view->self_index = -1;
    *message = NULL;
    struct scan_worker workers[SCAN_THREADS];
    memset(workers, 0, sizeof workers);
    int self_pid;
    uint64_t caps = 0;
    enum probe_scan_result result = find_self(procfd, &self_pid, message);
    if (result == PROBE_SCAN_OK)
        result = check_self_status(procfd, &workers[0].buffers, message, &caps);
    if (result != PROBE_SCAN_OK) {
        free(workers[0].buffers.big);
        return result;
    }

    /* The calling thread reads its own pid first, while it runs, so that its State is "R" as
     * in a scan by one thread (a thread-group leader waiting for the others shows "S"). */
    struct scan_slot self = {.pid = self_pid};
    read_pid(&workers[0].arena, procfd, &self, &workers[0].buffers, 0);

    struct scan_shared shared = {.procfd = procfd};
    if (self.result == STEP_OK && self.process.nspid_len == 1 && may_read_every_link(procfd, caps))
        shared.view_pidns = self.process.pidns;
    pthread_mutex_init(&shared.lock, NULL);
    pthread_cond_init(&shared.more, NULL);
    int list_err = read_all(&shared, workers, &self);
    if (list_err) {
        *message = str_printf("cannot list /proc: %s", strerror(list_err));
        result = PROBE_SCAN_FAILED;
    } else {
        place_all(view, procfd, &shared, self_pid);
    }
    end_readers(view, &shared, workers);
    if (result == PROBE_SCAN_OK)
        finish(view, procfd);
    if (result == PROBE_SCAN_OK && view->self_index < 0) {
        *message = str_dup("the probe did not find itself in /proc: /proc belongs to another "
                           "pid namespace than the one it runs in");
        result = PROBE_SCAN_NO_PROC;
    }
    return result;
}

void probe_view_release(struct probe_view *view)
{
    free(view->processes);
    free(view->namespaces);
    free(view->errors);
    free(view->ns_slots);
    probe_arena_release(&view->arena);
    memset(view, 0, sizeof *view);
    view->self_index = -1;
}
