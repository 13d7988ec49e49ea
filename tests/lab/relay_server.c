/* relay_server.c - wslns-relay-server: the Linux end of the Wine relay. wslns.exe under Wine
 * cannot exec the Linux wsl.exe emulator, so it runs wsl-stand-in\wsl.exe, which connects
 * here; each connection runs the emulator once with the stand-in's arguments and pumps
 * stdin, stdout, stderr and the exit code (frames: tests/lab/relay_protocol.h).
 *
 *   wslns-relay-server [--port-file FILE] [--port N] [--raw-exit] -- EMULATOR [ARGS...]
 *
 * --port-file  listen on N (default 0: any free port) and write the port to FILE (atomically,
 *              so a reader that sees the file sees the whole number)
 * --raw-exit   pass exit status 255 through; by default it becomes -1, because real wsl.exe
 *              fails with 0xFFFFFFFF and a Linux emulator can only exit with 0..255
 *
 * The emulator gets the stand-in's arguments after ARGS, WSL_UTF8 exactly as the stand-in
 * had it (unset if it was unset), and the raw Windows command line in WSLNS_WSL_CMDLINE. It
 * runs in its own process group; when the stand-in disconnects before the emulator ends (the
 * host tool killed it: timeout, or the debug shell's end marker) the whole group is killed.
 * The server exits on SIGTERM/SIGINT or when its parent dies, and takes every connection
 * (and so every emulator) with it.
 */
#define _GNU_SOURCE

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "relay_protocol.h"
#include "strbuf.h"

static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t emulator_group; /* in a connection handler: the emulator's pgid */

static void on_stop_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void on_handler_signal(int sig)
{
    (void)sig;
    if (emulator_group > 0) {
        kill(-(pid_t)emulator_group, SIGKILL);
        waitpid((pid_t)emulator_group, NULL, 0); /* reaped here, not left to init */
    }
    _exit(1);
}

static int fail(const char *what, const char *detail)
{
    fprintf(stderr, "wslns-relay-server: %s%s\n", what, detail);
    return 1;
}

/* ---- frames ---- */

static bool send_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

static bool send_frame(int fd, int type, const void *data, size_t len)
{
    unsigned char header[RELAY_HEADER_SIZE] = {
        (unsigned char)type, (unsigned char)len, (unsigned char)(len >> 8),
        (unsigned char)(len >> 16), (unsigned char)(len >> 24)};
    return send_all(fd, header, sizeof header) && send_all(fd, data, len);
}

static bool send_exit(int fd, int32_t code)
{
    uint32_t u = (uint32_t)code;
    unsigned char le[4] = {(unsigned char)u, (unsigned char)(u >> 8), (unsigned char)(u >> 16),
                           (unsigned char)(u >> 24)};
    return send_frame(fd, RELAY_EXIT, le, sizeof le);
}

static bool recv_all(int fd, void *data, size_t len)
{
    char *p = data;
    while (len) {
        ssize_t n = recv(fd, p, len, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Reads one whole frame (blocking); the payload gets a NUL after it. */
static bool recv_frame(int fd, int *type, char **payload, size_t *len)
{
    unsigned char header[RELAY_HEADER_SIZE];
    if (!recv_all(fd, header, sizeof header))
        return false;
    uint32_t n = le32(header + 1);
    if (n > RELAY_MAX_FRAME)
        return false;
    char *data = malloc((size_t)n + 1);
    if (!data || !recv_all(fd, data, n)) {
        free(data);
        return false;
    }
    data[n] = '\0';
    *type = header[0];
    *payload = data;
    *len = n;
    return true;
}

/* ---- one connection ---- */

struct emulator {
    pid_t pid;
    int in_fd, out_fd, err_fd;
};

static pid_t start_emulator(char **cmd, int ncmd, const char *args, size_t args_len,
                            const char *cmdline, const char *env, size_t env_len,
                            struct emulator *e)
{
    size_t nargs = 0;
    for (size_t i = 0; i < args_len; i += strlen(args + i) + 1)
        nargs++;
    char **argv = calloc((size_t)ncmd + nargs + 1, sizeof *argv);
    if (!argv)
        return -1;
    int n = 0;
    for (int i = 0; i < ncmd; i++)
        argv[n++] = cmd[i];
    for (size_t i = 0; i < args_len; i += strlen(args + i) + 1)
        argv[n++] = (char *)args + i;
    int in[2], out[2], err[2];
    if (pipe(in) || pipe(out) || pipe(err)) {
        free(argv);
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        signal(SIGPIPE, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(err[1], 2);
        for (int fd = 3; fd < 1024; fd++)
            close(fd);
        /* WSL_UTF8 exactly as the stand-in had it, so the emulator can pick its output
         * encoding the way wsl.exe does. */
        unsetenv("WSL_UTF8");
        for (size_t i = 0; i < env_len; i += strlen(env + i) + 1)
            putenv((char *)env + i);
        setenv("WSLNS_WSL_CMDLINE", cmdline, 1);
        execvp(argv[0], argv);
        fprintf(stderr, "wslns-relay-server: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    free(argv);
    close(in[0]);
    close(out[1]);
    close(err[1]);
    if (pid < 0) {
        close(in[1]);
        close(out[0]);
        close(err[0]);
        return -1;
    }
    setpgid(pid, pid);
    emulator_group = pid;
    e->pid = pid;
    e->in_fd = in[1];
    e->out_fd = out[0];
    e->err_fd = err[0];
    fcntl(e->in_fd, F_SETFL, fcntl(e->in_fd, F_GETFL) | O_NONBLOCK);
    return pid;
}

static void close_fd(int *fd)
{
    if (*fd >= 0) {
        close(*fd);
        *fd = -1;
    }
}

/* Takes complete frames out of `in`: STDIN data joins `pending`, STDIN_EOF sets *eof. */
static bool take_frames(struct strbuf *in, struct strbuf *pending, bool *eof)
{
    size_t off = 0;
    while (in->len - off >= RELAY_HEADER_SIZE) {
        const unsigned char *h = (const unsigned char *)in->data + off;
        uint32_t n = le32(h + 1);
        if (n > RELAY_MAX_FRAME)
            return false;
        if (in->len - off - RELAY_HEADER_SIZE < n)
            break;
        if (h[0] == RELAY_STDIN)
            strbuf_append(pending, h + RELAY_HEADER_SIZE, n);
        else if (h[0] == RELAY_STDIN_EOF)
            *eof = true;
        else
            return false;
        off += RELAY_HEADER_SIZE + n;
    }
    memmove(in->data, in->data + off, in->len - off);
    in->len -= off;
    return true;
}

static int exit_code_of(int status, bool raw_exit)
{
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    int code = WEXITSTATUS(status);
    return code == 255 && !raw_exit ? -1 : code;
}

static int handle_connection(int sock, char **cmd, int ncmd, bool raw_exit)
{
    /* Small frames (a tty's echo) should not wait for Nagle. */
    int one = 1;
    setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_handler_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    if (getppid() == 1)
        return 1;

    char *frames[3] = {NULL, NULL, NULL};
    size_t lens[3] = {0, 0, 0};
    const int expected[3] = {RELAY_ARGS, RELAY_CMDLINE, RELAY_ENV};
    bool ok = true;
    for (int i = 0; i < 3 && ok; i++) {
        int type = 0;
        ok = recv_frame(sock, &type, &frames[i], &lens[i]) && type == expected[i];
    }
    struct emulator e;
    if (ok &&
        start_emulator(cmd, ncmd, frames[0], lens[0], frames[1], frames[2], lens[2], &e) < 0) {
        const char msg[] = "wslns-relay-server: cannot start the emulator\n";
        send_frame(sock, RELAY_STDERR, msg, sizeof msg - 1);
        send_exit(sock, 127);
        ok = false;
    }
    if (!ok) {
        for (int i = 0; i < 3; i++)
            free(frames[i]);
        return 1;
    }

    struct strbuf in = STRBUF_INIT, pending = STRBUF_INIT;
    size_t pending_off = 0;
    bool stdin_eof = false, client_gone = false, exited = false;
    int status = 0;
    while (!client_gone && (!exited || e.out_fd >= 0 || e.err_fd >= 0)) {
        struct pollfd fds[4];
        int nfds = 0, sock_i = -1, in_i = -1, out_i = -1, err_i = -1;
        /* Stop reading the client while much input waits: the emulator may not read stdin. */
        if (pending.len - pending_off < (1u << 20)) {
            sock_i = nfds;
            fds[nfds++] = (struct pollfd){.fd = sock, .events = POLLIN};
        }
        if (e.in_fd >= 0 && pending.len > pending_off) {
            in_i = nfds;
            fds[nfds++] = (struct pollfd){.fd = e.in_fd, .events = POLLOUT};
        }
        if (e.out_fd >= 0) {
            out_i = nfds;
            fds[nfds++] = (struct pollfd){.fd = e.out_fd, .events = POLLIN};
        }
        if (e.err_fd >= 0) {
            err_i = nfds;
            fds[nfds++] = (struct pollfd){.fd = e.err_fd, .events = POLLIN};
        }
        int ready = poll(fds, (nfds_t)nfds, 50);
        if (!exited) {
            siginfo_t info;
            memset(&info, 0, sizeof info);
            if (waitid(P_PID, (id_t)e.pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
                info.si_pid == e.pid) {
                /* While it is a zombie the group id cannot be reused: clear out what the
                 * emulator left behind, then reap it. */
                kill(-e.pid, SIGKILL);
                waitpid(e.pid, &status, 0);
                exited = true;
                emulator_group = 0;
                close_fd(&e.in_fd);
            }
        }
        if (ready <= 0)
            continue;
        if (sock_i >= 0 && fds[sock_i].revents) {
            char buf[65536];
            ssize_t n = recv(sock, buf, sizeof buf, 0);
            if (n <= 0 && !(n < 0 && errno == EINTR)) {
                client_gone = true;
                break;
            }
            if (n > 0)
                strbuf_append(&in, buf, (size_t)n);
            if (n > 0 && !take_frames(&in, &pending, &stdin_eof)) {
                client_gone = true;
                break;
            }
        }
        if (in_i >= 0 && fds[in_i].revents && e.in_fd >= 0) {
            ssize_t n = write(e.in_fd, pending.data + pending_off, pending.len - pending_off);
            if (n > 0)
                pending_off += (size_t)n;
            else if (n < 0 && errno != EAGAIN && errno != EINTR)
                close_fd(&e.in_fd); /* the emulator closed its stdin: drop the rest */
            if (pending_off == pending.len) {
                pending.len = pending_off = 0;
            }
        }
        if (e.in_fd >= 0 && stdin_eof && pending.len == pending_off)
            close_fd(&e.in_fd);
        int *out_fds[2] = {&e.out_fd, &e.err_fd};
        const int idx[2] = {out_i, err_i};
        const int types[2] = {RELAY_STDOUT, RELAY_STDERR};
        for (int s = 0; s < 2; s++) {
            if (idx[s] < 0 || !fds[idx[s]].revents || *out_fds[s] < 0)
                continue;
            char buf[65536];
            ssize_t n = read(*out_fds[s], buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                close_fd(out_fds[s]);
            else if (!send_frame(sock, types[s], buf, (size_t)n))
                client_gone = true;
        }
    }
    if (client_gone && !exited) {
        kill(-e.pid, SIGKILL);
        waitpid(e.pid, &status, 0);
        emulator_group = 0;
    } else if (!client_gone) {
        send_exit(sock, exit_code_of(status, raw_exit));
        shutdown(sock, SHUT_WR);
        /* Wait for the stand-in to close its end, so the exit frame is not lost to a reset. */
        char drain[4096];
        struct pollfd pfd = {.fd = sock, .events = POLLIN};
        while (poll(&pfd, 1, 5000) > 0 && recv(sock, drain, sizeof drain, 0) > 0)
            ;
    }
    close_fd(&e.in_fd);
    close_fd(&e.out_fd);
    close_fd(&e.err_fd);
    strbuf_release(&in);
    strbuf_release(&pending);
    for (int i = 0; i < 3; i++)
        free(frames[i]);
    return 0;
}

/* ---- the listener ---- */

static bool write_port_file(const char *path, unsigned port)
{
    char *tmp = str_printf("%s.tmp.%ld", path, (long)getpid());
    if (!tmp)
        return false;
    FILE *f = fopen(tmp, "w");
    bool ok = f && fprintf(f, "%u\n", port) > 0;
    if (f && fclose(f) != 0)
        ok = false;
    ok = ok && rename(tmp, path) == 0;
    if (!ok)
        unlink(tmp);
    free(tmp);
    return ok;
}

int main(int argc, char **argv)
{
    const char *port_file = NULL;
    unsigned port = 0;
    bool raw_exit = false;
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--port-file") == 0 && i + 1 < argc)
            port_file = argv[++i];
        else if (strcmp(argv[i], "--port") == 0 && i + 1 < argc)
            port = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--raw-exit") == 0)
            raw_exit = true;
        else if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else
            return fail("usage: wslns-relay-server [--port-file FILE] [--port N] [--raw-exit] "
                        "-- EMULATOR [ARGS...]; unknown option: ",
                        argv[i]);
    }
    if (i >= argc)
        return fail("no emulator command given after --", "");
    char **cmd = argv + i;
    int ncmd = argc - i;

    pid_t parent = getppid();
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    int listener = socket(AF_INET, SOCK_STREAM, 0);
    if (listener < 0)
        return fail("cannot create a socket: ", strerror(errno));
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons((uint16_t)port);
    socklen_t addr_len = sizeof addr;
    if (bind(listener, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(listener, 64) != 0 ||
        getsockname(listener, (struct sockaddr *)&addr, &addr_len) != 0)
        return fail("cannot listen on 127.0.0.1: ", strerror(errno));
    fcntl(listener, F_SETFD, FD_CLOEXEC);
    if (port_file && !write_port_file(port_file, ntohs(addr.sin_port)))
        return fail("cannot write the port to ", port_file);

    pid_t *handlers = NULL;
    size_t nhandlers = 0, cap = 0;
    while (!stop_requested && getppid() == parent) {
        int status;
        pid_t done;
        while ((done = waitpid(-1, &status, WNOHANG)) > 0)
            for (size_t k = 0; k < nhandlers; k++)
                if (handlers[k] == done)
                    handlers[k] = handlers[--nhandlers];
        struct pollfd pfd = {.fd = listener, .events = POLLIN};
        if (poll(&pfd, 1, 500) <= 0)
            continue;
        int conn = accept(listener, NULL, NULL);
        if (conn < 0)
            continue;
        if (nhandlers == cap) {
            size_t new_cap = cap ? cap * 2 : 16;
            pid_t *grown = realloc(handlers, new_cap * sizeof *grown);
            if (!grown) {
                close(conn);
                continue;
            }
            handlers = grown;
            cap = new_cap;
        }
        pid_t pid = fork();
        if (pid == 0) {
            close(listener);
            _exit(handle_connection(conn, cmd, ncmd, raw_exit));
        }
        close(conn);
        if (pid > 0)
            handlers[nhandlers++] = pid;
    }
    /* Each handler kills its emulator's group when told to stop. */
    for (size_t k = 0; k < nhandlers; k++)
        kill(handlers[k], SIGTERM);
    for (size_t k = 0; k < nhandlers; k++)
        waitpid(handlers[k], NULL, 0);
    free(handlers);
    close(listener);
    return 0;
}
