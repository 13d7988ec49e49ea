/* platform_posix.c - platform.h for Linux and other POSIX systems: the build that drives the
 * wsl.exe emulator in tests and can run inside a distro through interop.
 *
 * Children: fork + execvp, one process group per child (so a timeout or stop kills what the
 * child started too), non-blocking pipes, and one poll() loop over every pipe of every child,
 * so no child can stall another. The layer starts no threads, which is what makes setting
 * `environ` between fork and exec safe. While plat_run_children runs, SIGPIPE is ignored
 * and SIGCHLD has its default disposition; both are restored afterwards.
 */
#define _POSIX_C_SOURCE 200809L

#include "platform/platform.h"
#include "platform/platform_shared.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "strbuf.h"
#include "xalloc.h"

extern char **environ;

/* ---- files ---- */

FILE *plat_fopen(const char *path, const char *mode)
{
    return fopen(path, mode);
}

/* ---- console and environment ---- */

bool plat_is_terminal(FILE *stream)
{
    return isatty(fileno(stream)) == 1;
}

bool plat_supports_color(FILE *stream)
{
    if (!plat_is_terminal(stream))
        return false;
    /* A terminal that declares itself dumb (or declares nothing) shows escapes literally. */
    const char *term = getenv("TERM");
    return term && *term && strcmp(term, "dumb") != 0;
}

char *plat_getenv(const char *name)
{
    const char *value = getenv(name);
    return value ? str_dup(value) : NULL;
}

char *plat_self_dir(void)
{
    /* /proc/self/exe is Linux's; the POSIX build only has to work on Linux (and WSL). */
    char path[4096];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0)
        return NULL;
    path[n] = '\0';
    char *slash = strrchr(path, '/');
    if (!slash)
        return NULL;
    if (slash == path)
        return str_dup("/");
    return str_ndup(path, (size_t)(slash - path));
}

char *plat_path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    if (n == 0)
        return str_dup(name);
    return str_printf("%s%s%s", dir, dir[n - 1] == '/' ? "" : "/", name);
}

bool plat_path_exists(const char *path)
{
    return access(path, F_OK) == 0;
}

errmsg plat_make_dir(const char *path)
{
    struct stat st;
    if (mkdir(path, 0777) == 0 || (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode)))
        return NULL;
    return str_printf("cannot create the folder %s: %s", path,
                      strerror(errno == EEXIST ? ENOTDIR : errno));
}

errmsg plat_default_wslconfig_path(char **path)
{
    *path = NULL;
    const char *home = getenv("HOME");
    if (!home || !*home)
        return str_dup("HOME is not set, so there is no default .wslconfig (name one with "
                       "--wslconfig PATH)");
    *path = plat_path_join(home, ".wslconfig");
    return NULL;
}

bool plat_is_elevated(void)
{
    return geteuid() == 0;
}

enum plat_policy plat_debug_shell_policy(void)
{
    return PLAT_POLICY_NOT_SET;
}

void plat_random_bytes(void *buf, size_t n)
{
    unsigned char *p = buf;
    size_t done = 0;
    while (done < n) {
        ssize_t got = getrandom(p + done, n - done, 0);
        if (got > 0) {
            done += (size_t)got;
        } else if (got < 0 && errno == EINTR) {
            continue;
        } else {
            break;
        }
    }
    if (done == n)
        return;
    /* No generator (a very old kernel or a seccomp filter): the clock and addresses. */
    unsigned long long seed = (unsigned long long)(plat_now() * 1e9) ^
                              (unsigned long long)(uintptr_t)buf ^
                              ((unsigned long long)getpid() << 32);
    fallback_random_fill(p + done, n - done, seed);
}

double plat_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

errmsg plat_find_wsl(char **path)
{
    *path = NULL;
    const char *search = getenv("PATH");
    /* Relative entries (and the empty one) mean the current directory: skipped. */
    for (const char *p = search ? search : ""; *p;) {
        size_t n = strcspn(p, ":");
        if (p[0] == '/') {
            char *dir = str_ndup(p, n);
            char *candidate = dir ? plat_path_join(dir, "wsl.exe") : NULL;
            free(dir);
            struct stat st;
            if (candidate && stat(candidate, &st) == 0 && S_ISREG(st.st_mode) &&
                access(candidate, X_OK) == 0) {
                *path = candidate;
                return NULL;
            }
            free(candidate);
        }
        p += n;
        if (*p == ':')
            p++;
    }
    return str_dup("no wsl.exe on PATH: this Linux build of wslns reaches wsl.exe only from "
                   "inside a WSL distro with Windows interop (PATH then has the Windows "
                   "folders); elsewhere name one with --wsl PATH");
}

/* ---- interruption ---- */

static volatile sig_atomic_t interrupt_seen;

static void on_interrupt(int sig)
{
    (void)sig;
    interrupt_seen = 1;
}

void plat_catch_interrupts(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: a blocking call returns EINTR, so the poll loop notices at once. */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

bool plat_interrupted(void)
{
    return interrupt_seen != 0;
}

/* ---- child processes ---- */

/* After the child itself has ended, how long to keep reading pipes that something outside
 * its process group (a daemon that called setsid) still holds open. */
#define STRAY_WRITER_GRACE_S 1.0

struct stream {
    int fd; /* our end, -1 once closed */
    struct strbuf buf;
    size_t kept_max; /* 0 = keep everything */
    bool truncated;
};

struct child {
    const struct plat_child_spec *spec;
    struct plat_child_result *result;
    pid_t pid; /* also the process group id; 0 when not started */
    int in_fd; /* our end of the child's stdin, -1 once closed */
    size_t in_off;
    struct strbuf fed; /* what spec->feed returned, from fed_off on not written yet */
    size_t fed_off;
    double next_feed;
    struct stream out, err;
    double start, deadline; /* deadline 0 = none */
    bool exited;            /* reaped */
    double exited_at;
    bool killed;
    bool finished; /* result filled in */
};

static void close_fd(int *fd)
{
    if (*fd >= 0) {
        close(*fd);
        *fd = -1;
    }
}

static bool make_pipe(int fds[2])
{
    if (pipe(fds) != 0)
        return false;
    for (int i = 0; i < 2; i++)
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
    return true;
}

/* environ plus env_add (an entry of env_add replaces an inherited one of the same name).
 * The array is new; its strings are borrowed. */
static char **build_environment(const char *const *env_add)
{
    size_t inherited = 0, added = 0;
    while (environ[inherited])
        inherited++;
    while (env_add && env_add[added])
        added++;
    char **env = xcalloc(inherited + added + 1, sizeof *env);
    size_t n = 0;
    for (size_t i = 0; i < inherited; i++) {
        const char *eq = strchr(environ[i], '=');
        size_t name_len = eq ? (size_t)(eq - environ[i]) : strlen(environ[i]);
        bool replaced = false;
        for (size_t j = 0; j < added && !replaced; j++)
            replaced =
                strncmp(env_add[j], environ[i], name_len) == 0 && env_add[j][name_len] == '=';
        if (!replaced)
            env[n++] = environ[i];
    }
    for (size_t j = 0; j < added; j++)
        env[n++] = (char *)env_add[j];
    return env;
}

/* In the forked child: only async-signal-safe calls until exec. Reports exec's errno
 * through report_fd (close-on-exec, so the parent reads EOF when exec worked). */
static void exec_child(const struct plat_child_spec *spec, char **env, int in_fd, int out_fd,
                       int err_fd, int report_fd)
{
    setpgid(0, 0);
    /* The parent ignores SIGPIPE while it writes stdin; the child must not inherit that. */
    signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0) {
        int e = errno;
        (void)!write(report_fd, &e, sizeof e);
        _exit(127);
    }
    environ = env;
    execvp(spec->argv[0], (char *const *)spec->argv);
    int e = errno;
    (void)!write(report_fd, &e, sizeof e);
    _exit(127);
}

/* True when exec failed in the child, with its errno in *child_errno: the child writes it to
 * report_fd, which closes on a successful exec (EOF). */
static bool exec_failed(int report_fd, int *child_errno)
{
    ssize_t n;
    do
        n = read(report_fd, child_errno, sizeof *child_errno);
    while (n < 0 && errno == EINTR);
    return n == (ssize_t)sizeof *child_errno;
}

/* Forks and execs the child in a process group of its own, with its environment and the
 * pipes' child ends as its stdin, stdout and stderr. NULL with *pid set, or why not (nothing
 * left running then). */
static errmsg spawn(const struct plat_child_spec *spec, int in[2], int out[2], int err[2],
                    int report[2], pid_t *pid)
{
    char **env = build_environment(spec->env_add);
    *pid = fork();
    if (*pid == 0)
        exec_child(spec, env, in[0], out[1], err[1], report[1]);
    int fork_errno = errno;
    free(env);
    if (*pid < 0)
        return str_printf("cannot run %s: fork failed: %s", spec->argv[0], strerror(fork_errno));
    /* Also set here: a kill right after fork must already reach the whole group. */
    setpgid(*pid, *pid);
    close_fd(&report[1]);
    int child_errno = 0;
    if (exec_failed(report[0], &child_errno)) {
        waitpid(*pid, NULL, 0);
        return str_printf("cannot run %s: %s", spec->argv[0], strerror(child_errno));
    }
    return NULL;
}

/* The started child takes our ends of its pipes (non-blocking; -1 left in the arrays), its
 * deadline, and has its stdin closed at once when nothing will be written to it. */
static void adopt_child(struct child *c, pid_t pid, int in[2], int out[2], int err[2])
{
    const struct plat_child_spec *spec = c->spec;
    c->pid = pid;
    c->in_fd = in[1];
    c->out.fd = out[0];
    c->err.fd = err[0];
    in[1] = out[0] = err[0] = -1;
    fcntl(c->in_fd, F_SETFL, fcntl(c->in_fd, F_GETFL) | O_NONBLOCK);
    fcntl(c->out.fd, F_SETFL, fcntl(c->out.fd, F_GETFL) | O_NONBLOCK);
    fcntl(c->err.fd, F_SETFL, fcntl(c->err.fd, F_GETFL) | O_NONBLOCK);
    c->deadline = child_deadline(spec, c->start);
    if (spec->stdin_len == 0 && !child_keeps_stdin(spec))
        close_fd(&c->in_fd);
}

static errmsg start_child(struct child *c)
{
    const struct plat_child_spec *spec = c->spec;
    c->start = plat_now();
    errmsg invalid = child_spec_check(spec);
    if (invalid)
        return invalid;
    int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1}, report[2] = {-1, -1};
    char *error = NULL;
    pid_t pid;
    if (!make_pipe(in) || !make_pipe(out) || !make_pipe(err) || !make_pipe(report))
        error =
            str_printf("cannot run %s: cannot create a pipe: %s", spec->argv[0], strerror(errno));
    else if (!(error = spawn(spec, in, out, err, report, &pid)))
        adopt_child(c, pid, in, out, err);
    for (int i = 0; i < 2; i++) {
        close_fd(&in[i]);
        close_fd(&out[i]);
        close_fd(&err[i]);
        close_fd(&report[i]);
    }
    return error;
}

static void kill_group(struct child *c)
{
    if (!c->exited)
        kill(-c->pid, SIGKILL);
    c->killed = true;
}

/* Reads what is there; returns false at EOF or on a read error (the stream is closed). */
static bool read_stream(struct stream *s)
{
    char chunk[65536];
    for (;;) {
        ssize_t n = read(s->fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return true;
        if (n <= 0) {
            close_fd(&s->fd);
            return false;
        }
        size_t keep = (size_t)n;
        if (s->kept_max && s->buf.len + keep > s->kept_max) {
            keep = s->kept_max - s->buf.len;
            s->truncated = true;
        }
        if (keep)
            strbuf_append(&s->buf, chunk, keep);
        return true;
    }
}

static bool stdin_pending(const struct child *c)
{
    return c->in_off < c->spec->stdin_len || c->fed_off < c->fed.len;
}

static void write_stdin(struct child *c)
{
    const struct plat_child_spec *spec = c->spec;
    while (stdin_pending(c)) {
        bool fed = c->in_off >= spec->stdin_len;
        const char *p = fed ? c->fed.data + c->fed_off : spec->stdin_data + c->in_off;
        size_t left = fed ? c->fed.len - c->fed_off : spec->stdin_len - c->in_off;
        ssize_t n = write(c->in_fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n < 0) {
            /* EPIPE: the child closed its stdin or ended; what it did not read is its business. */
            close_fd(&c->in_fd);
            return;
        }
        if (fed)
            c->fed_off += (size_t)n;
        else
            c->in_off += (size_t)n;
    }
    c->fed.len = c->fed_off = 0; /* all written: the buffer starts over */
    if (!child_keeps_stdin(spec))
        close_fd(&c->in_fd);
}

/* Asks spec->feed what to say next and queues it (written by the poll loop). */
static void run_feed(struct child *c, double now)
{
    const struct plat_child_spec *spec = c->spec;
    if (!spec->feed || c->exited || c->killed || c->in_fd < 0)
        return;
    c->next_feed = now + (spec->feed_every_s > 0 ? spec->feed_every_s : 0.25);
    size_t n = 0;
    const char *more =
        spec->feed(c->out.buf.data ? c->out.buf.data : "", c->out.buf.len, &n, spec->feed_ctx);
    if (more && n)
        strbuf_append(&c->fed, more, n);
}

static void record_exit(struct child *c, int status, double now)
{
    c->exited = true;
    c->exited_at = now;
    if (WIFEXITED(status))
        c->result->exit_code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        c->result->exit_code = 128 + WTERMSIG(status); /* the shell's convention */
    close_fd(&c->in_fd);
}

/* Reaps a child that has ended. Before reaping, whatever it left running in its process
 * group is killed: while the child is a zombie its pid cannot be reused, so the group id
 * still names only its own processes. */
static void check_exit(struct child *c, double now)
{
    siginfo_t info;
    memset(&info, 0, sizeof info);
    if (waitid(P_PID, (id_t)c->pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
        /* Someone else reaped it (the caller's own wait): it has ended, its code is lost. */
        if (errno == ECHILD) {
            c->result->exit_code = -1;
            c->exited = true;
            c->exited_at = now;
            close_fd(&c->in_fd);
        }
        return;
    }
    if (info.si_pid == 0)
        return;
    kill(-c->pid, SIGKILL);
    int status = 0;
    if (waitpid(c->pid, &status, 0) == c->pid)
        record_exit(c, status, now);
}

static bool child_done(const struct child *c)
{
    return c->pid == 0 || (c->exited && c->out.fd < 0 && c->err.fd < 0);
}

static void finish_child(struct child *c, double now)
{
    struct plat_child_result *r = c->result;
    close_fd(&c->in_fd);
    close_fd(&c->out.fd);
    close_fd(&c->err.fd);
    strbuf_release(&c->fed);
    r->out = strbuf_detach(&c->out.buf, &r->out_len);
    r->err = strbuf_detach(&c->err.buf, &r->err_len);
    r->out_truncated = c->out.truncated;
    r->err_truncated = c->err.truncated;
    r->seconds = now - c->start;
    c->finished = true;
    if (c->spec->done)
        c->spec->done(r, c->spec->done_ctx);
}

/* One plat_run_children call: its children and the poll set rebuilt every round (at most
 * stdin, stdout and stderr per child, with the child and stream each entry belongs to). */
struct run {
    size_t n;
    struct child *children;
    struct pollfd *fds;
    struct stream **fd_stream; /* NULL: the entry is the child's stdin */
    struct child **fd_child;
    size_t nfds;
    double wake; /* seconds until the next deadline; -1 = none */
    struct sigaction old_pipe, old_child;
};

/* SIGPIPE ignored while stdin is written; SIGCHLD ignored (or SA_NOCLDWAIT) would make the
 * kernel reap the children before their exit codes are read: default disposition while
 * they run. Both are put back by restore_signals. */
static void take_signals(struct run *run)
{
    struct sigaction ignore, child_default;
    memset(&ignore, 0, sizeof ignore);
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGPIPE, &ignore, &run->old_pipe);
    memset(&child_default, 0, sizeof child_default);
    child_default.sa_handler = SIG_DFL;
    sigemptyset(&child_default.sa_mask);
    sigaction(SIGCHLD, &child_default, &run->old_child);
}

static void restore_signals(const struct run *run)
{
    sigaction(SIGCHLD, &run->old_child, NULL);
    sigaction(SIGPIPE, &run->old_pipe, NULL);
}

/* Zeroes the results and allocates the run. */
static void alloc_run(struct run *run, struct plat_child_result *results)
{
    size_t n = run->n;
    run->children = xcalloc(n, sizeof *run->children);
    run->fds = xcalloc(3 * n, sizeof *run->fds);
    run->fd_stream = xcalloc(3 * n, sizeof *run->fd_stream);
    run->fd_child = xcalloc(3 * n, sizeof *run->fd_child);
    for (size_t i = 0; i < n; i++)
        memset(&results[i], 0, sizeof results[i]);
}

static void free_run(struct run *run)
{
    free(run->fd_child);
    free(run->fd_stream);
    free(run->fds);
    free(run->children);
}

/* Starts every child in order; one that cannot start is finished at once. */
static void start_children(struct run *run, const struct plat_child_spec *specs,
                           struct plat_child_result *results)
{
    for (size_t i = 0; i < run->n; i++) {
        struct child *c = &run->children[i];
        c->spec = &specs[i];
        c->result = &results[i];
        c->in_fd = c->out.fd = c->err.fd = -1;
        c->out.kept_max = c->err.kept_max = specs[i].max_output;
        results[i].spawn_error = start_child(c);
        if (results[i].spawn_error)
            finish_child(c, plat_now());
        else
            run_feed(c, plat_now());
    }
}

/* Reaps the child if it ended, stops waiting for stray writers after the grace period and
 * finishes it once it is done. True when the child is finished. */
static bool collect_child(struct child *c, double now)
{
    if (!c->exited)
        check_exit(c, now);
    if (c->exited && now - c->exited_at >= STRAY_WRITER_GRACE_S) {
        close_fd(&c->out.fd);
        close_fd(&c->err.fd);
    }
    if (child_done(c))
        finish_child(c, now);
    return c->finished;
}

/* Kills a running child on an interruption or when its deadline has passed. */
static void enforce_limits(struct child *c, double now, bool interrupt)
{
    if (interrupt && !c->exited && !c->killed) {
        c->result->interrupted = true;
        kill_group(c);
    }
    if (!c->exited && c->deadline > 0 && now >= c->deadline && !c->killed) {
        c->result->timed_out = true;
        kill_group(c);
    }
}

/* Feeds the child when its feed is due; returns the seconds until something about it is
 * due next (its deadline, the end of the grace period, its next feed), -1 for nothing. */
static double tend_child(struct child *c, double now)
{
    double until = -1;
    if (!c->exited && c->deadline > 0 && !c->killed)
        until = c->deadline - now;
    else if (c->exited)
        until = c->exited_at + STRAY_WRITER_GRACE_S - now;
    else if (c->out.fd < 0 && c->err.fd < 0)
        until = 0.01; /* pipes closed, exit not seen yet: it is imminent */
    if (c->spec->feed && !c->exited && !c->killed) {
        if (now >= c->next_feed)
            run_feed(c, now);
        if (until < 0 || c->next_feed - now < until)
            until = c->next_feed - now;
    }
    return until;
}

static void watch_fd(struct run *run, struct child *c, struct stream *s, int fd, short events)
{
    run->fds[run->nfds] = (struct pollfd){.fd = fd, .events = events};
    run->fd_child[run->nfds] = c;
    run->fd_stream[run->nfds++] = s;
}

/* Adds the child's open pipes to the poll set: stdin while bytes wait for it, stdout and
 * stderr until EOF. */
static void watch_child(struct run *run, struct child *c)
{
    if (c->in_fd >= 0 && stdin_pending(c))
        watch_fd(run, c, NULL, c->in_fd, POLLOUT);
    struct stream *streams[2] = {&c->out, &c->err};
    for (int s = 0; s < 2; s++)
        if (streams[s]->fd >= 0)
            watch_fd(run, c, streams[s], streams[s]->fd, POLLIN);
}

/* One round's bookkeeping over every child not finished yet: collect, kill, feed, and
 * build the poll set and the time to wake. False when every child is finished. */
static bool plan_round(struct run *run)
{
    double now = plat_now();
    bool interrupt = interrupt_seen != 0;
    bool pending = false;
    run->nfds = 0;
    run->wake = -1;
    for (size_t i = 0; i < run->n; i++) {
        struct child *c = &run->children[i];
        if (c->finished || collect_child(c, now))
            continue;
        pending = true;
        enforce_limits(c, now, interrupt);
        double until = tend_child(c, now);
        if (until >= 0 && (run->wake < 0 || until < run->wake))
            run->wake = until;
        watch_child(run, c);
    }
    return pending;
}

/* After a read from the child's stdout: asks stop() whether to kill it, then feed() what
 * to say next. */
static void after_stdout(struct child *c, size_t before)
{
    struct stream *s = &c->out;
    const struct plat_child_spec *spec = c->spec;
    if (spec->stop && !c->killed && !c->exited && (s->buf.len > before || s->truncated) &&
        spec->stop(s->buf.data ? s->buf.data : "", s->buf.len, spec->stop_ctx)) {
        c->result->stopped_early = true;
        kill_group(c);
    }
    if (s->buf.len > before)
        run_feed(c, plat_now());
}

/* Writes stdin or reads stdout/stderr for one ready poll entry. */
static void handle_io(struct child *c, struct stream *s)
{
    if (!s) {
        if (c->in_fd >= 0)
            write_stdin(c);
        return;
    }
    if (s->fd < 0)
        return;
    size_t before = s->buf.len;
    read_stream(s);
    if (s == &c->out)
        after_stdout(c, before);
}

/* Waits for I/O or the next deadline and handles every ready pipe. Exits are noticed by
 * polling: without a SIGCHLD handler (which would be global state the caller did not ask
 * for), a short cap keeps reaping prompt. */
static void poll_round(struct run *run)
{
    int timeout_ms = 50;
    if (run->wake >= 0 && run->wake * 1000 < timeout_ms)
        timeout_ms = (int)(run->wake * 1000) + 1;
    if (poll(run->fds, (nfds_t)run->nfds, timeout_ms) <= 0)
        return;
    for (size_t k = 0; k < run->nfds; k++)
        if (run->fds[k].revents)
            handle_io(run->fd_child[k], run->fd_stream[k]);
}

/* The shape of git's run_processes_parallel: start the children, then rounds of collecting
 * the finished ones, handling the others' I/O, until none is left. */
void plat_run_children(size_t n, const struct plat_child_spec *specs,
                       struct plat_child_result *results)
{
    if (n == 0)
        return;
    struct run run = {.n = n};
    take_signals(&run);
    alloc_run(&run, results);
    start_children(&run, specs, results);
    while (plan_round(&run))
        poll_round(&run);
    free_run(&run);
    restore_signals(&run);
}

void plat_child_result_free(struct plat_child_result *result)
{
    free(result->spawn_error);
    free(result->out);
    free(result->err);
    memset(result, 0, sizeof *result);
}
