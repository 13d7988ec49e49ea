/* lab_init.c - the process helper behind tests/lab/lab.sh (built as wslns-lab-init).
 *
 *   wslns-lab-init start STATE_DIR LAYOUT [TIMEOUT_S [OWNER_PID]]
 *       Build the process tree described by the LAYOUT file (format below) with real nested
 *       pid, mount and UTS namespaces (and IPC, network, cgroup ones where a view asks for
 *       them), write each view's record into STATE_DIR/views/, and
 *       return once every process of the lab exists (exit 0) or report why not (exit 1, and
 *       nothing of the lab is left running). With OWNER_PID (a pid in the caller's
 *       namespace), the lab ends itself when that process ends: a test killed by a timeout
 *       cannot run its trap, and its lab must not outlive it.
 *   wslns-lab-init enter PID PIDNS_INODE -- CMD [ARGS...]
 *       Run CMD in the pid, mount, UTS, IPC, network and cgroup namespaces of PID (a view's
 *       init, by its pid in the caller's namespace) with the caller's cwd when that path
 *       exists there, stdio passed through; exit with CMD's code (128+N when it died of
 *       signal N). PIDNS_INODE guards against a reused pid: the lab is gone when they
 *       disagree (exit 125).
 *   wslns-lab-init resume ...
 *       Internal: a view init that sets environment variables executes itself again with
 *       this, so that /proc/1/environ shows them (see reexec()).
 *
 * Layout: one process per line, two spaces of indent per tree level ('#' starts a comment):
 *   view NAME COMM [key=value...]  a new pid+mount+UTS namespace whose pid 1 is this process;
 *                                  keys: own=ipc,net,cgroup (more new namespaces: any of
 *                                  those, comma-separated; the others are its parent's),
 *                                  title= (its cmdline), host= (hostname), etc=DIR and
 *                                  mnt=DIR (DIR is laid over /etc or /mnt, read-only), env=K=V,
 *                                  and WSLg's layout (see setup_gui()): wslg=DIR (a system
 *                                  distro: DIR bound on /mnt/wslg), gui=ROOT (a distro with GUI
 *                                  apps: its [automount] root, ending in '/'), tmp=DIR (DIR
 *                                  bound on its /tmp), tmpmount=yes (a tmpfs over /tmp after
 *                                  WSL's mounts, as systemd's tmp.mount does)
 *   proc COMM [title=T] [listen=P] a process named COMM that starts its children and waits;
 *                                  with listen=, it listens on the unix socket P (and accepts
 *                                  and closes every connection), as WSLg's weston does on X0
 *   exec PROGRAM [ARGS...]         a real program (a leaf), found through PATH
 *   many COUNT COMM                COUNT idle leaf processes named COMM (for the benchmark)
 * The first line is the lab's root view. Children are forked in file order, so pids inside a
 * fresh namespace are predictable (pid 2 is the first child of pid 1).
 *
 * Lifetime: every lab process exits on SIGTERM; killing the root view's pid 1 kills the whole
 * lab (the kernel kills every process of a pid namespace when its init dies, and nested
 * namespaces' processes are members of it). The launcher does not stay around: the root init
 * is adopted by the caller's init, which reaps it.
 *
 * Readiness: every lab process inherits the write end of one pipe and closes it once its own
 * children exist (exec closes it through FD_CLOEXEC); the launcher's read sees EOF when the
 * whole tree is built. A process that fails writes one line into that pipe and exits.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "strbuf.h"

enum node_kind { NODE_VIEW, NODE_PROC, NODE_EXEC, NODE_MANY };

struct node {
    enum node_kind kind;
    int depth;
    int line;
    char *text;   /* the line's copy that words point into */
    char **words; /* the line's words after the kind; NULL-terminated */
    int nwords;
    /* parsed attributes (point into words) */
    const char *name; /* view name */
    const char *comm;
    const char *title;
    const char *host;
    const char *etc_dir;
    const char *mnt_dir;
    const char *wslg_dir; /* system view: the WSLg share, bound on /mnt/wslg */
    const char *gui_root; /* distro view with GUI apps: its automount root ("/mnt/") */
    const char *tmp_dir;  /* bound on /tmp (the view's own /tmp) */
    bool tmp_mount;       /* a tmpfs over /tmp after WSL's X11 mount (systemd's tmp.mount) */
    int own_flags;        /* view: CLONE_NEWIPC/NEWNET/NEWCGROUP beyond pid+mount+UTS */
    const char *listen;   /* proc: a unix socket path to listen on */
    const char *env[8];
    int nenv;
    long count; /* many */
    struct node *parent;
    struct node **kids;
    int nkids;
};

/* Everything a lab process needs after fork; inherited, never freed (the lab lives on it). */
static struct {
    const char *state_dir;
    int ready_fd;    /* write end of the readiness pipe */
    int hostproc_fd; /* the caller's /proc, to learn our pid as lab.sh sees it */
    int owner_fd;    /* pidfd of the process whose end ends the lab, or -1 */
    const char *layout_path;
} lab = {NULL, -1, -1, -1, NULL};

/* A lab process cannot print (its stdio is the lab log); it reports into the readiness pipe,
 * where the launcher picks the line up, and exits. */
static _Noreturn void die(const struct node *n, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static _Noreturn void die(const struct node *n, const char *fmt, ...)
{
    char msg[512];
    int off = snprintf(msg, sizeof msg, "line %d: ", n ? n->line : 0);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg + off, sizeof msg - (size_t)off, fmt, ap);
    va_end(ap);
    size_t len = strlen(msg);
    if (len + 1 < sizeof msg) {
        msg[len++] = '\n';
    }
    if (write(lab.ready_fd, msg, len) < 0) {
        /* the launcher is gone: nobody left to tell */
    }
    _exit(1);
}

static void on_term(int sig)
{
    (void)sig;
    _exit(0);
}

/* pid 1 of a namespace ignores signals that have no handler, so every lab process installs
 * one: SIGTERM from lab.sh or a test always ends it. */
static void catch_term(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_term;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
}

/* ---- layout file ---- */

static char **split_words(char *s, int *count)
{
    int cap = 8, n = 0;
    char **w = malloc(sizeof *w * (size_t)cap);
    if (!w) {
        return NULL;
    }
    for (char *tok = strtok(s, " \t\r\n"); tok; tok = strtok(NULL, " \t\r\n")) {
        if (n + 1 >= cap) {
            cap *= 2;
            char **grown = realloc(w, sizeof *w * (size_t)cap);
            if (!grown) {
                free(w);
                return NULL;
            }
            w = grown;
        }
        w[n++] = tok;
    }
    w[n] = NULL;
    *count = n;
    return w;
}

static bool add_kid(struct node *parent, struct node *kid)
{
    struct node **grown = realloc(parent->kids, sizeof *grown * (size_t)(parent->nkids + 1));
    if (!grown) {
        return false;
    }
    parent->kids = grown;
    parent->kids[parent->nkids++] = kid;
    kid->parent = parent;
    return true;
}

/* Reads key=value words from words[first..]; returns an error message or NULL. */
static const char *parse_attrs(struct node *n, int first)
{
    for (int i = first; i < n->nwords; i++) {
        char *w = n->words[i];
        char *eq = strchr(w, '=');
        if (!eq || eq == w) {
            return "expected key=value";
        }
        *eq = '\0';
        const char *v = eq + 1;
        if (strcmp(w, "title") == 0) {
            n->title = v;
        } else if (strcmp(w, "host") == 0 && n->kind == NODE_VIEW) {
            n->host = v;
        } else if (strcmp(w, "etc") == 0 && n->kind == NODE_VIEW) {
            n->etc_dir = v;
        } else if (strcmp(w, "mnt") == 0 && n->kind == NODE_VIEW) {
            n->mnt_dir = v;
        } else if (strcmp(w, "wslg") == 0 && n->kind == NODE_VIEW) {
            n->wslg_dir = v;
        } else if (strcmp(w, "gui") == 0 && n->kind == NODE_VIEW && v[0] == '/' &&
                   v[strlen(v) - 1] == '/') {
            n->gui_root = v;
        } else if (strcmp(w, "own") == 0 && n->kind == NODE_VIEW) {
            for (const char *t = v; *t;) {
                size_t len = strcspn(t, ",");
                if (len == 3 && strncmp(t, "ipc", 3) == 0) {
                    n->own_flags |= CLONE_NEWIPC;
                } else if (len == 3 && strncmp(t, "net", 3) == 0) {
                    n->own_flags |= CLONE_NEWNET;
                } else if (len == 6 && strncmp(t, "cgroup", 6) == 0) {
                    n->own_flags |= CLONE_NEWCGROUP;
                } else {
                    return "own= takes ipc, net and cgroup, comma-separated";
                }
                t += len + (t[len] == ',');
            }
        } else if (strcmp(w, "tmp") == 0 && n->kind == NODE_VIEW) {
            n->tmp_dir = v;
        } else if (strcmp(w, "tmpmount") == 0 && n->kind == NODE_VIEW && strcmp(v, "yes") == 0) {
            n->tmp_mount = true;
        } else if (strcmp(w, "listen") == 0 && n->kind == NODE_PROC && v[0] == '/' &&
                   strlen(v) < sizeof(((struct sockaddr_un *)0)->sun_path)) {
            n->listen = v;
        } else if (strcmp(w, "env") == 0 && n->kind == NODE_VIEW && strchr(v, '=')) {
            if (n->nenv == (int)(sizeof n->env / sizeof n->env[0])) {
                return "too many env= keys";
            }
            n->env[n->nenv++] = v;
        } else {
            return "unknown or misplaced key";
        }
    }
    return NULL;
}

static void free_tree(struct node *n)
{
    for (int i = 0; i < n->nkids; i++) {
        free_tree(n->kids[i]);
    }
    free(n->kids);
    free(n->text);
    free(n->words - 1);
    free(n);
}

/* Parses the layout; on error returns NULL and puts a message in *err (caller frees). */
static struct node *parse_layout(const char *path, char **err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        *err = str_printf("cannot open layout %s: %s", path, strerror(errno));
        return NULL;
    }
    struct node *root = NULL, *last = NULL;
    char *line = NULL;
    size_t cap = 0;
    int lineno = 0;
    *err = NULL;
    while (!*err && getline(&line, &cap, f) >= 0) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash) {
            *hash = '\0';
        }
        int indent = 0;
        while (line[indent] == ' ') {
            indent++;
        }
        char *copy = str_dup(line + indent);
        int nw = 0;
        char **words = copy ? split_words(copy, &nw) : NULL;
        if (!words) {
            *err = str_printf("out of memory reading %s", path);
            free(copy);
            break;
        }
        if (nw == 0) {
            free(words);
            free(copy);
            continue;
        }
        struct node *n = calloc(1, sizeof *n);
        if (!n) {
            *err = str_printf("out of memory reading %s", path);
            free(words);
            free(copy);
            break;
        }
        n->text = copy;
        n->line = lineno;
        n->depth = indent / 2;
        n->words = words + 1;
        n->nwords = nw - 1;
        const char *bad = NULL;
        bool attached = false;
        if (indent % 2) {
            bad = "indent must be a multiple of two spaces";
        } else if (strcmp(words[0], "view") == 0 && nw >= 3) {
            n->kind = NODE_VIEW;
            n->name = words[1];
            n->comm = words[2];
            bad = parse_attrs(n, 2);
        } else if (strcmp(words[0], "proc") == 0 && nw >= 2) {
            n->kind = NODE_PROC;
            n->comm = words[1];
            bad = parse_attrs(n, 1);
        } else if (strcmp(words[0], "exec") == 0 && nw >= 2) {
            n->kind = NODE_EXEC;
        } else if (strcmp(words[0], "many") == 0 && nw == 3) {
            n->kind = NODE_MANY;
            char *end;
            n->count = strtol(words[1], &end, 10);
            n->comm = words[2];
            if (*end || n->count < 1 || n->count > 100000) {
                bad = "many: COUNT must be 1..100000";
            }
        } else {
            bad = "expected: view NAME COMM | proc COMM | exec PROGRAM | many COUNT COMM";
        }
        if (!bad) {
            if (!root) {
                if (n->kind != NODE_VIEW || n->depth != 0) {
                    bad = "the first line must be the root view, not indented";
                } else {
                    root = n;
                    attached = true;
                }
            } else if (n->depth < 1 || n->depth > last->depth + 1) {
                bad = "indent must go at most one level deeper than the line above";
            } else {
                struct node *parent = last;
                while (parent->depth >= n->depth) {
                    parent = parent->parent;
                }
                if (parent->kind == NODE_EXEC || parent->kind == NODE_MANY) {
                    bad = "exec and many lines cannot have children";
                } else if (!add_kid(parent, n)) {
                    bad = "out of memory";
                } else {
                    attached = true;
                }
            }
        }
        if (bad) {
            *err = str_printf("%s:%d: %s", path, lineno, bad);
            if (!attached) {
                free_tree(n);
            }
            break;
        }
        last = n;
    }
    free(line);
    fclose(f);
    if (!*err && !root) {
        *err = str_printf("%s: no views in the layout", path);
    }
    if (*err && root) {
        free_tree(root);
        root = NULL;
    }
    return root;
}

/* ---- becoming a lab process ---- */

/* Shows `title` as the whole of /proc/PID/cmdline, the way setproctitle() does: the kernel
 * reads the argument area up to the first NUL when its last byte is not NUL. WSL's inits all
 * show "/init" there. */
static char *title_area; /* main's argument strings, back to back (the kernel lays them out so) */
static size_t title_room;

static void set_title(const char *title)
{
    size_t len = strlen(title);
    if (title_room < 2) {
        return;
    }
    if (len > title_room - 2) {
        len = title_room - 2;
    }
    memset(title_area, ' ', title_room);
    memcpy(title_area, title, len);
    title_area[len] = '\0';
}

static void write_file(const struct node *n, const char *path, const char *text)
{
    char *tmp = str_printf("%s.tmp", path);
    if (!tmp) {
        die(n, "out of memory");
    }
    FILE *f = fopen(tmp, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0 || rename(tmp, path) != 0) {
        die(n, "cannot write %s: %s", path, strerror(errno));
    }
    free(tmp);
}

static unsigned long long pidns_inode(const struct node *n, int dirfd, const char *path)
{
    struct stat st;
    if (fstatat(dirfd, path, &st, 0) != 0) {
        die(n, "cannot stat %s: %s", path, strerror(errno));
    }
    return (unsigned long long)st.st_ino;
}

static const char *view_kind(const struct node *n)
{
    if (!n->parent) {
        return "vm";
    }
    if (strncmp(n->name, "system:", 7) == 0) {
        return "system";
    }
    if (strncmp(n->name, "container:", 10) == 0) {
        return "container";
    }
    return "distro";
}

/* The distro a view belongs to: its own name, or the part after "system:"/"container:". */
static const char *view_distro(const struct node *n)
{
    const char *colon = strchr(n->name, ':');
    return n->parent ? (colon ? colon + 1 : n->name) : "";
}

static int view_depth(const struct node *n)
{
    int d = 0;
    for (const struct node *p = n->parent; p; p = p->parent) {
        if (p->kind == NODE_VIEW) {
            d++;
        }
    }
    return d;
}

static const struct node *enclosing_view(const struct node *n)
{
    const struct node *p = n->parent;
    while (p && p->kind != NODE_VIEW) {
        p = p->parent;
    }
    return p;
}

static void overlay(const struct node *n, const char *dir, const char *target)
{
    char *opts = str_printf("lowerdir=%s:%s", dir, target);
    if (!opts || mount("wslns-lab", target, "overlay", MS_RDONLY, opts) != 0) {
        die(n, "view %s: cannot lay %s over %s: %s", n->name, dir, target, strerror(errno));
    }
    free(opts);
}

/* Field 22 of /proc/self/stat: with the pid it names this process for good (a pid alone may
 * be reused once the lab is gone). */
static unsigned long long own_starttime(const struct node *n)
{
    char buf[1024];
    int fd = openat(lab.hostproc_fd, "self/stat", O_RDONLY | O_CLOEXEC);
    ssize_t got = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    if (fd >= 0) {
        close(fd);
    }
    if (got <= 0) {
        die(n, "view %s: cannot read my stat: %s", n->name, strerror(errno));
    }
    buf[got] = '\0';
    /* After the comm's closing parenthesis: state is field 3, starttime field 22. */
    char *at = strrchr(buf, ')');
    for (int field = 2; at && field < 22; field++) {
        at = strchr(at + 1, ' ');
    }
    if (!at) {
        die(n, "view %s: unexpected /proc/self/stat", n->name);
    }
    return strtoull(at + 1, NULL, 10);
}

/* A view's own inherited inodes, recorded in memory for the child views' records. */
static unsigned long long parent_view_pidns;

/* Runs as pid 1 of the view's fresh pid namespace, before it starts its children. */
static void setup_view(const struct node *n)
{
    /* WSL's mini_init clones each distro (or system distro) init with new mount, pid, UTS and
     * IPC namespaces, and a user distro's init from its system distro's with new mount, pid
     * and UTS ones only (WSL src/linux/init/main.cpp (3e27a6a5), LaunchDistro and the
     * "shared IPC namespace" clone); the layout says which view asks for IPC (own=). */
    if (unshare(CLONE_NEWNS | CLONE_NEWUTS | n->own_flags) != 0) {
        die(n, "view %s: unshare(mount, uts%s%s%s): %s", n->name,
            n->own_flags & CLONE_NEWIPC ? ", ipc" : "", n->own_flags & CLONE_NEWNET ? ", net" : "",
            n->own_flags & CLONE_NEWCGROUP ? ", cgroup" : "", strerror(errno));
    }
    /* Private first, so that nothing mounted here reaches the host or a sibling view. */
    if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
        die(n, "view %s: make / private: %s", n->name, strerror(errno));
    }
    /* A parent view's /etc overlay is not this view's: peel it off before laying our own. */
    const struct node *pv = enclosing_view(n);
    if (pv && pv->etc_dir && umount2("/etc", MNT_DETACH) != 0) {
        die(n, "view %s: unmount the parent view's /etc: %s", n->name, strerror(errno));
    }
    if (n->etc_dir) {
        overlay(n, n->etc_dir, "/etc");
    }
    if (n->mnt_dir) {
        overlay(n, n->mnt_dir, "/mnt");
    }
    /* WSL's mini_init mounts a tmpfs at /mnt/wslg for the system distro and its user distro to
     * share (WSL src/linux/init/main.cpp (3e27a6a5), "Create a tmpfs mount for a shared
     * folder"); here a lab directory stands in for it, so that the socket its weston binds
     * there is reachable from the distro's namespace too. */
    if (n->wslg_dir && mount(n->wslg_dir, "/mnt/wslg", NULL, MS_BIND, NULL) != 0) {
        die(n, "view %s: bind %s on /mnt/wslg: %s", n->name, n->wslg_dir, strerror(errno));
    }
    if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) {
        die(n, "view %s: mount /proc: %s", n->name, strerror(errno));
    }
    if (n->host && sethostname(n->host, strlen(n->host)) != 0) {
        die(n, "view %s: sethostname: %s", n->name, strerror(errno));
    }
    for (int i = 0; i < n->nenv; i++) {
        if (putenv((char *)n->env[i]) != 0) {
            die(n, "view %s: putenv: %s", n->name, strerror(errno));
        }
    }

    char self[32];
    ssize_t len = readlinkat(lab.hostproc_fd, "self", self, sizeof self - 1);
    if (len <= 0) {
        die(n, "view %s: cannot read my pid in the caller's /proc: %s", n->name, strerror(errno));
    }
    self[len] = '\0';
    unsigned long long ino = pidns_inode(n, AT_FDCWD, "/proc/self/ns/pid");
    unsigned long long start = own_starttime(n);

    char *base = str_printf("%s/views/%s", lab.state_dir, n->name);
    char *pidfile = base ? str_printf("%s.pid", base) : NULL;
    char *infofile = base ? str_printf("%s.info", base) : NULL;
    char *pidtext = str_printf("%s\n", self);
    char *parent = n->parent ? str_printf("%llu", parent_view_pidns) : str_dup("null");
    char *info =
        parent ? str_printf("name=%s\nkind=%s\ndistro=%s\npid=%s\nstarttime=%llu\npidns=%llu\n"
                            "parent=%s\ndepth=%d\n%s%s%s",
                            n->name, view_kind(n), view_distro(n), self, start, ino, parent,
                            view_depth(n), n->gui_root ? "gui_root=" : "",
                            n->gui_root ? n->gui_root : "", n->gui_root ? "\n" : "")
               : NULL;
    if (!pidfile || !infofile || !pidtext || !info) {
        die(n, "out of memory");
    }
    write_file(n, infofile, info);
    write_file(n, pidfile, pidtext);
    free(base);
    free(pidfile);
    free(infofile);
    free(pidtext);
    free(parent);
    free(info);
    parent_view_pidns = ino;
}

/* mkdir -p PATH (absolute), each missing component 0755. */
static void make_path(const struct node *n, const char *path)
{
    char *copy = str_dup(path);
    if (!copy) {
        die(n, "out of memory");
    }
    for (char *p = copy + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(copy, 0755) != 0 && errno != EEXIST) {
                die(n, "view %s: mkdir %s: %s", n->name, copy, strerror(errno));
            }
            *p = c;
            if (c == '\0') {
                break;
            }
        }
    }
    free(copy);
}

/* Host paths under /tmp that a view must still see once something hides the host's /tmp
 * there: the lab's state dir (tests use mktemp -d; the lab's processes and `lab.sh exec`
 * callers need it) and what lab.sh lists in <state>/keep, one path a line (the checkout and
 * the build, when a clone lives under /tmp: `lab.sh exec VIEW build/bin/...`). Each is opened
 * before /tmp is covered and bound back at the same path afterwards. */
#define KEEP_MAX 8
struct kept_paths {
    char *path[KEEP_MAX];
    int fd[KEEP_MAX];
    size_t n;
};

static void keep_add(const struct node *n, struct kept_paths *k, const char *path)
{
    if (strncmp(path, "/tmp/", 5) != 0 || k->n == KEEP_MAX) {
        return;
    }
    int fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        die(n, "view %s: open %s: %s", n->name, path, strerror(errno));
    }
    k->path[k->n] = str_dup(path);
    if (!k->path[k->n]) {
        die(n, "out of memory");
    }
    k->fd[k->n++] = fd;
}

static void keep_open(const struct node *n, struct kept_paths *k)
{
    k->n = 0;
    keep_add(n, k, lab.state_dir);
    char *list = str_printf("%s/keep", lab.state_dir);
    FILE *f = list ? fopen(list, "r") : NULL;
    char line[4096];
    while (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '/') {
            keep_add(n, k, line);
        }
    }
    if (f) {
        fclose(f);
    }
    free(list);
}

static void keep_bind_back(const struct node *n, const struct kept_paths *k)
{
    for (size_t i = 0; i < k->n; i++) {
        char source[64];
        snprintf(source, sizeof source, "/proc/self/fd/%d", k->fd[i]);
        make_path(n, k->path[i]);
        if (mount(source, k->path[i], NULL, MS_BIND, NULL) != 0) {
            die(n, "view %s: bind %s back: %s", n->name, k->path[i], strerror(errno));
        }
    }
}

static void keep_close(struct kept_paths *k)
{
    for (size_t i = 0; i < k->n; i++) {
        close(k->fd[i]);
        free(k->path[i]);
    }
    k->n = 0;
}

/* What WSL's init gives a distro with GUI apps, in its own mount namespace (runs in the view's
 * init after any re-exec, since the state dir may disappear from sight here):
 * - the system distro's share moves to <automount root>wslg (WSL src/linux/init/config.cpp
 *   (3e27a6a5) ConfigInitializeInstance: MoveMount to Config.DrvFsPrefix + WSLG_SHARED_FOLDER);
 *   for another root than /mnt/ the view's /mnt/wslg is unmounted, leaving the empty directory
 *   a distro's disk can keep after GUI apps were turned off;
 * - /tmp/.X11-unix: a directory (mkdir 0775) with <root>wslg/.X11-unix bind-mounted on it
 *   (MS_BIND | MS_REC), then remounted read-only (WSL src/linux/init/config.cpp (3e27a6a5)
 *   ConfigInitializeX11);
 * - tmp= gives the view a /tmp of its own first (a lab directory), so the host's /tmp is never
 *   touched; tmpmount=yes then mounts a tmpfs over /tmp as systemd's tmp.mount does, which
 *   hides WSL's mount and X0 with it (the broken case WSL's wslg.service exists for: WSL
 *   src/linux/init/init.cpp (3e27a6a5) GenerateSystemdUnits). */
static void setup_gui(const struct node *n)
{
    if (!n->gui_root && !n->tmp_dir && !n->tmp_mount) {
        return;
    }
    struct kept_paths kept;
    keep_open(n, &kept);
    char *share = n->gui_root ? str_printf("%swslg", n->gui_root) : NULL;
    char *x11 = share ? str_printf("%s/.X11-unix", share) : NULL;
    if (n->gui_root && (!share || !x11)) {
        die(n, "out of memory");
    }
    if (share && strcmp(share, "/mnt/wslg") != 0) {
        if (mount("/mnt/wslg", share, NULL, MS_BIND | MS_REC, NULL) != 0 ||
            umount2("/mnt/wslg", MNT_DETACH) != 0) {
            die(n, "view %s: move /mnt/wslg to %s: %s", n->name, share, strerror(errno));
        }
    }
    if (n->tmp_dir) {
        if (mount(n->tmp_dir, "/tmp", NULL, MS_BIND, NULL) != 0) {
            die(n, "view %s: bind %s on /tmp: %s", n->name, n->tmp_dir, strerror(errno));
        }
        keep_bind_back(n, &kept);
    }
    if (x11) {
        if (mkdir("/tmp/.X11-unix", 0775) != 0 && errno != EEXIST) {
            die(n, "view %s: mkdir /tmp/.X11-unix: %s", n->name, strerror(errno));
        }
        if (mount(x11, "/tmp/.X11-unix", NULL, MS_BIND | MS_REC, NULL) != 0 ||
            mount("none", "/tmp/.X11-unix", NULL, MS_RDONLY | MS_REMOUNT | MS_BIND, NULL) != 0) {
            die(n, "view %s: bind %s read-only on /tmp/.X11-unix: %s", n->name, x11,
                strerror(errno));
        }
    }
    if (n->tmp_mount) {
        if (mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") != 0) {
            die(n, "view %s: mount a tmpfs on /tmp: %s", n->name, strerror(errno));
        }
        keep_bind_back(n, &kept);
    }
    keep_close(&kept);
    free(share);
    free(x11);
}

/* The listening unix socket of a listen= process (bound before the lab reports ready). */
static int listen_on(const struct node *n)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    memcpy(addr.sun_path, n->listen, strlen(n->listen) + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    unlink(n->listen);
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        chmod(n->listen, 0777) != 0 || listen(fd, 64) != 0) {
        die(n, "listen on %s: %s", n->listen, strerror(errno));
    }
    return fd;
}

static _Noreturn void run_node(struct node *n);

static void on_child(int sig)
{
    (void)sig;
}

/* The root init's life when an owner is set: reap, and end with the owner (a pidfd polls
 * readable once its process has exited). SIGCHLD interrupts the poll so reaping stays
 * immediate. */
static _Noreturn void reap_until_owner_ends(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_child;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGCHLD, &sa, NULL);
    for (;;) {
        struct pollfd pfd = {.fd = lab.owner_fd, .events = POLLIN};
        if (poll(&pfd, 1, -1) > 0) {
            _exit(0);
        }
        while (waitpid(-1, NULL, WNOHANG) > 0) {
        }
    }
}

/* A listen= process's life: accept every connection and close it at once (a client that
 * only checks that the socket is alive, like the probe, must not fill the backlog), and reap
 * its children; SIGCHLD interrupts the poll. */
static _Noreturn void serve(int listener)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_child;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGCHLD, &sa, NULL);
    for (;;) {
        struct pollfd pfd = {.fd = listener, .events = POLLIN};
        if (poll(&pfd, 1, -1) > 0) {
            int c = accept4(listener, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
            if (c >= 0) {
                close(c);
            }
        }
        while (waitpid(-1, NULL, WNOHANG) > 0) {
        }
    }
}

/* Forks one child for n; a view child becomes pid 1 of a new pid namespace. */
static void spawn(struct node *kid)
{
    int own_ns = -1;
    if (kid->kind == NODE_VIEW) {
        /* unshare(CLONE_NEWPID) only moves our *future* children; switch back right after
         * the fork so that later siblings stay in our namespace. */
        own_ns = openat(lab.hostproc_fd, "self/ns/pid", O_RDONLY | O_CLOEXEC);
        if (own_ns < 0 || unshare(CLONE_NEWPID) != 0) {
            die(kid, "view %s: new pid namespace: %s", kid->name, strerror(errno));
        }
    }
    pid_t pid = fork();
    if (pid < 0) {
        die(kid, "fork: %s", strerror(errno));
    }
    if (pid == 0) {
        run_node(kid);
    }
    if (own_ns >= 0) {
        if (setns(own_ns, CLONE_NEWPID) != 0) {
            die(kid, "back to my pid namespace: %s", strerror(errno));
        }
        close(own_ns);
    }
}

static _Noreturn void idle(void)
{
    for (;;) {
        pause();
    }
}

static _Noreturn void live(struct node *n);

/* The kernel shows a process's environment as it was at exec (/proc/PID/environ), and WSL's
 * inits carry WSL2_DISTRO_NAME there, where the probe reads it. So a view init whose
 * environment differs from its parent's executes itself again and goes on with `resume`. */
static _Noreturn void reexec(const struct node *n)
{
    char line[16], view_ns[32], ready[16], hostproc[16];
    snprintf(line, sizeof line, "%d", n->line);
    snprintf(view_ns, sizeof view_ns, "%llu", parent_view_pidns);
    snprintf(ready, sizeof ready, "%d", lab.ready_fd);
    snprintf(hostproc, sizeof hostproc, "%d", lab.hostproc_fd);
    char *argv[] = {
        "wslns-lab-init",      "resume", (char *)lab.layout_path, line, view_ns, ready, hostproc,
        (char *)lab.state_dir, NULL};
    if (fcntl(lab.ready_fd, F_SETFD, 0) != 0 || fcntl(lab.hostproc_fd, F_SETFD, 0) != 0) {
        die(n, "view %s: fcntl: %s", n->name, strerror(errno));
    }
    execve("/proc/self/exe", argv, environ);
    die(n, "view %s: exec myself again: %s", n->name, strerror(errno));
}

static _Noreturn void run_node(struct node *n)
{
    catch_term();
    if (n->kind == NODE_EXEC) {
        execvp(n->words[0], n->words);
        die(n, "exec %s: %s", n->words[0], strerror(errno));
    }
    if (n->kind == NODE_VIEW) {
        setup_view(n);
        /* (The root view keeps its process: its owner's pidfd is not handed on.) */
        if (n->nenv > 0 && n->parent) {
            reexec(n);
        }
    }
    live(n);
}

/* A lab process's life once its namespaces are set up: its name, its children, reaping. */
static _Noreturn void live(struct node *n)
{
    if (n->kind == NODE_VIEW) {
        setup_gui(n);
    }
    if (prctl(PR_SET_NAME, n->comm, 0, 0, 0) != 0) {
        die(n, "prctl(PR_SET_NAME, %s): %s", n->comm, strerror(errno));
    }
    if (n->kind == NODE_MANY) {
        for (long i = 0; i < n->count; i++) {
            pid_t pid = fork();
            if (pid < 0) {
                die(n, "fork of idle process %ld of %ld: %s", i + 1, n->count, strerror(errno));
            }
            if (pid == 0) {
                close(lab.ready_fd);
                idle();
            }
        }
    } else {
        if (n->title) {
            set_title(n->title);
        }
        for (int i = 0; i < n->nkids; i++) {
            spawn(n->kids[i]);
        }
    }
    int listener = n->listen ? listen_on(n) : -1;
    close(lab.ready_fd);
    if (!n->parent && lab.owner_fd >= 0) {
        reap_until_owner_ends();
    }
    if (listener >= 0) {
        serve(listener);
    }
    /* Reap whatever ends below us (pid 1 adopts every orphan of its namespace). */
    for (;;) {
        if (waitpid(-1, NULL, 0) < 0 && errno == ECHILD) {
            idle();
        }
    }
}

/* ---- start ---- */

static int write_views_list(const struct node *n, FILE *out)
{
    if (n->kind == NODE_VIEW && fprintf(out, "%s\n", n->name) < 0) {
        return -1;
    }
    for (int i = 0; i < n->nkids; i++) {
        if (write_views_list(n->kids[i], out) != 0) {
            return -1;
        }
    }
    return 0;
}

/* The lab lives on after lab.sh returns, so it must not hold any descriptor of its caller: a
 * pipe's write end kept open here would leave the reader (a `$(...)`, a test runner) waiting
 * for an EOF that never comes. Keeps stdio and the lab's own descriptors. */
static void close_inherited(const struct node *root)
{
    DIR *dir = opendir("/proc/self/fd");
    if (!dir) {
        die(root, "cannot list my descriptors: %s", strerror(errno));
    }
    int own = dirfd(dir);
    int close_list[256];
    int count = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL && count < (int)(sizeof close_list / sizeof *close_list)) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') {
            continue;
        }
        int fd = atoi(e->d_name);
        if (fd > 2 && fd != own && fd != lab.ready_fd && fd != lab.hostproc_fd &&
            fd != lab.owner_fd) {
            close_list[count++] = fd;
        }
    }
    closedir(dir);
    for (int i = 0; i < count; i++) {
        close(close_list[i]);
    }
}

static int cmd_start(const char *state_dir, const char *layout, int timeout_s, long owner)
{
    char *err = NULL;
    struct node *root = parse_layout(layout, &err);
    if (!root) {
        fprintf(stderr, "wslns-lab-init: %s\n", err);
        free(err);
        return 1;
    }
    int rc = 1;
    struct strbuf errors = STRBUF_INIT;
    char *views_dir = str_printf("%s/views", state_dir);
    char *list_path = str_printf("%s/views.list", state_dir);
    char *log_path = str_printf("%s/lab.log", state_dir);
    if (!views_dir || !list_path || !log_path) {
        fprintf(stderr, "wslns-lab-init: out of memory\n");
        goto out;
    }
    if (mkdir(views_dir, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "wslns-lab-init: cannot create %s: %s\n", views_dir, strerror(errno));
        goto out;
    }
    FILE *list = fopen(list_path, "w");
    if (!list || write_views_list(root, list) != 0 || fclose(list) != 0) {
        fprintf(stderr, "wslns-lab-init: cannot write %s: %s\n", list_path, strerror(errno));
        goto out;
    }

    int pipefd[2];
    lab.state_dir = state_dir; /* a copy: set_title overwrites the arguments */
    lab.layout_path = layout;
    lab.hostproc_fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (lab.hostproc_fd < 0 || pipe2(pipefd, O_CLOEXEC) != 0) {
        fprintf(stderr, "wslns-lab-init: cannot open /proc or a pipe: %s\n", strerror(errno));
        goto out;
    }
    lab.ready_fd = pipefd[1];
    if (owner > 0) {
        lab.owner_fd = (int)syscall(SYS_pidfd_open, (pid_t)owner, 0);
        if (lab.owner_fd < 0) {
            fprintf(stderr, "wslns-lab-init: owner pid %ld: pidfd_open: %s\n", owner,
                    strerror(errno));
            goto out;
        }
    }
    /* Only the root init goes into the new pid namespace; switching back right after the fork
     * keeps anything else this process starts (e.g. LeakSanitizer's tracer at exit, in a
     * sanitizer build) in the caller's namespace. */
    int own_ns = openat(lab.hostproc_fd, "self/ns/pid", O_RDONLY | O_CLOEXEC);
    if (own_ns < 0 || unshare(CLONE_NEWPID) != 0) {
        fprintf(stderr, "wslns-lab-init: cannot create a pid namespace (are you root?): %s\n",
                strerror(errno));
        goto out;
    }
    pid_t vm = fork();
    if (vm < 0) {
        fprintf(stderr, "wslns-lab-init: fork: %s\n", strerror(errno));
        goto out;
    }
    if (vm == 0) {
        close(pipefd[0]);
        /* Detach from the caller: no terminal signals, and no inherited stdout that would keep
         * a `$(lab.sh start)` or a test runner waiting for EOF while the lab lives. */
        setsid();
        int null = open("/dev/null", O_RDONLY);
        int log = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (null < 0 || log < 0 || dup2(null, 0) < 0 || dup2(log, 1) < 0 || dup2(log, 2) < 0) {
            die(root, "cannot set up stdio: %s", strerror(errno));
        }
        close(null);
        close(log);
        close_inherited(root);
        run_node(root);
    }
    close(pipefd[1]);
    if (setns(own_ns, CLONE_NEWPID) != 0) {
        fprintf(stderr, "wslns-lab-init: back to my pid namespace: %s\n", strerror(errno));
        kill(vm, SIGKILL);
        goto out;
    }
    close(own_ns);

    struct pollfd pfd = {.fd = pipefd[0], .events = POLLIN};
    bool timed_out = false;
    for (;;) {
        int r = poll(&pfd, 1, timeout_s * 1000);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r == 0) {
            timed_out = true;
            break;
        }
        char buf[4096];
        ssize_t got = read(pipefd[0], buf, sizeof buf);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            break;
        }
        strbuf_append(&errors, buf, (size_t)got);
    }
    close(pipefd[0]);
    if (timed_out || errors.len > 0) {
        /* Killing the root init takes every other lab process with it. */
        kill(vm, SIGKILL);
        if (timed_out) {
            fprintf(stderr, "wslns-lab-init: the lab was not ready within %d s (see %s)\n",
                    timeout_s, log_path);
        }
        if (errors.len > 0) {
            fprintf(stderr, "wslns-lab-init: building %s failed:\n%s", layout, errors.data);
        }
        goto out;
    }
    rc = 0;
out:
    strbuf_release(&errors);
    free(views_dir);
    free(list_path);
    free(log_path);
    free_tree(root);
    return rc;
}

/* ---- enter ---- */

static pid_t child_pid;

static void forward(int sig)
{
    if (child_pid > 0) {
        kill(child_pid, sig);
    }
}

static int cmd_enter(const char *pid_text, const char *inode_text, char **cmd)
{
    char *end;
    long pid = strtol(pid_text, &end, 10);
    unsigned long long want = strtoull(inode_text, &end, 10);
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/ns/pid", pid);
    int pidns = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (pidns < 0 || fstat(pidns, &st) != 0 || (unsigned long long)st.st_ino != want) {
        fprintf(stderr,
                "wslns-lab-init: the view's init (pid %ld, pid:[%llu]) is gone: "
                "is the lab running?\n",
                pid, want);
        return 125;
    }
    snprintf(path, sizeof path, "/proc/%ld/ns/mnt", pid);
    int mntns = open(path, O_RDONLY | O_CLOEXEC);
    snprintf(path, sizeof path, "/proc/%ld/ns/uts", pid);
    int utsns = open(path, O_RDONLY | O_CLOEXEC);
    /* The view's other namespaces too, as `wsl -d` runs a command in all of its distro's. */
    static const struct {
        const char *name;
        int flag;
    } more[] = {{"ipc", CLONE_NEWIPC}, {"net", CLONE_NEWNET}, {"cgroup", CLONE_NEWCGROUP}};
    int more_fd[3];
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "/proc/%ld/ns/%s", pid, more[i].name);
        more_fd[i] = open(path, O_RDONLY | O_CLOEXEC);
        if (more_fd[i] < 0) {
            fprintf(stderr, "wslns-lab-init: cannot open %s: %s\n", path, strerror(errno));
            return 125;
        }
    }
    char *cwd = getcwd(NULL, 0);
    int own_pidns = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
    if (mntns < 0 || utsns < 0 || own_pidns < 0 || setns(pidns, CLONE_NEWPID) != 0) {
        fprintf(stderr, "wslns-lab-init: cannot enter pid %ld's namespaces: %s\n", pid,
                strerror(errno));
        return 125;
    }
    /* setns(CLONE_NEWPID) applies to children only: the command runs in a child, which also
     * takes the view's UTS and mount namespaces. This process stays outside, all of it, to
     * pass on its exit status and the signals a caller sends (and so that a sanitizer build's
     * leak checker, which reads /proc/<self> at exit, still works). */
    child_pid = fork();
    if (child_pid < 0) {
        fprintf(stderr, "wslns-lab-init: fork: %s\n", strerror(errno));
        return 125;
    }
    if (child_pid == 0) {
        /* If this relay is killed (a caller's timeout), the command must not live on. */
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        for (int i = 0; i < 3; i++) {
            if (setns(more_fd[i], more[i].flag) != 0) {
                fprintf(stderr, "wslns-lab-init: cannot enter pid %ld's %s namespace: %s\n", pid,
                        more[i].name, strerror(errno));
                _exit(125);
            }
        }
        if (setns(utsns, CLONE_NEWUTS) != 0 || setns(mntns, CLONE_NEWNS) != 0) {
            fprintf(stderr, "wslns-lab-init: cannot enter pid %ld's namespaces: %s\n", pid,
                    strerror(errno));
            _exit(125);
        }
        /* The caller's cwd, resolved again inside the view (the views share the root file
         * system), so relative paths given to CMD keep working. */
        if ((!cwd || chdir(cwd) != 0) && chdir("/") != 0) {
            fprintf(stderr, "wslns-lab-init: chdir /: %s\n", strerror(errno));
            _exit(125);
        }
        execvp(cmd[0], cmd);
        fprintf(stderr, "wslns-lab-init: %s: %s\n", cmd[0], strerror(errno));
        _exit(errno == ENOENT ? 127 : 126);
    }
    free(cwd);
    if (setns(own_pidns, CLONE_NEWPID) != 0) {
        fprintf(stderr, "wslns-lab-init: back to my pid namespace: %s\n", strerror(errno));
    }
    close(own_pidns);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = forward;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGQUIT, &sa, NULL);
    int status;
    while (waitpid(child_pid, &status, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "wslns-lab-init: waitpid: %s\n", strerror(errno));
            return 125;
        }
    }
    if (WIFSIGNALED(status)) {
        return 128 + WTERMSIG(status);
    }
    return WEXITSTATUS(status);
}

static struct node *find_line(struct node *n, int line)
{
    if (n->line == line) {
        return n;
    }
    for (int i = 0; i < n->nkids; i++) {
        struct node *found = find_line(n->kids[i], line);
        if (found) {
            return found;
        }
    }
    return NULL;
}

/* `resume LAYOUT LINE VIEW_PIDNS READY_FD HOSTPROC_FD STATE_DIR`: a view init after reexec(). */
static int cmd_resume(char **argv)
{
    lab.ready_fd = atoi(argv[5]);
    lab.hostproc_fd = atoi(argv[6]);
    fcntl(lab.ready_fd, F_SETFD, FD_CLOEXEC);
    fcntl(lab.hostproc_fd, F_SETFD, FD_CLOEXEC);
    lab.layout_path = str_dup(argv[2]);
    lab.state_dir = str_dup(argv[7]);
    parent_view_pidns = strtoull(argv[4], NULL, 10);
    char *err = NULL;
    struct node *root =
        lab.layout_path && lab.state_dir ? parse_layout(lab.layout_path, &err) : NULL;
    struct node *n = root ? find_line(root, atoi(argv[3])) : NULL;
    if (!n) {
        die(NULL, "resume: %s", err ? err : "no such layout line");
    }
    catch_term();
    live(n);
}

static int usage(void)
{
    fprintf(stderr, "usage: wslns-lab-init start STATE_DIR LAYOUT [TIMEOUT_S [OWNER_PID]]\n"
                    "       wslns-lab-init enter PID PIDNS_INODE -- CMD [ARGS...]\n"
                    "(normally run by tests/lab/lab.sh; see docs/lab.md)\n");
    return 2;
}

int main(int argc, char **argv)
{
    title_area = argv[0];
    title_room = (size_t)(argv[argc - 1] + strlen(argv[argc - 1]) + 1 - argv[0]);
    if (argc >= 4 && argc <= 6 && strcmp(argv[1], "start") == 0) {
        int timeout_s = argc >= 5 ? atoi(argv[4]) : 30;
        long owner = argc == 6 ? atol(argv[5]) : 0;
        /* Absolute, because view inits that execute themselves again read them from
         * wherever they are. */
        char *state_dir = realpath(argv[2], NULL);
        char *layout = realpath(argv[3], NULL);
        if (!state_dir || !layout) {
            fprintf(stderr, "wslns-lab-init: %s or %s: %s\n", argv[2], argv[3], strerror(errno));
            return 1;
        }
        int rc = cmd_start(state_dir, layout, timeout_s > 0 ? timeout_s : 30, owner);
        free(state_dir);
        free(layout);
        return rc;
    }
    if (argc == 8 && strcmp(argv[1], "resume") == 0) {
        return cmd_resume(argv);
    }
    if (argc >= 6 && strcmp(argv[1], "enter") == 0 && strcmp(argv[4], "--") == 0) {
        return cmd_enter(argv[2], argv[3], argv + 5);
    }
    return usage();
}
