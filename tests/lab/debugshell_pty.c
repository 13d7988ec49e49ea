/* debugshell_pty.c - wslns-debugshell: the emulator's `wsl.exe --debug-shell`, built the way
 * WSL builds it (docs/wsl-emulator.md, "The debug shell"):
 *
 * - The VM side is a console that outlives every client. WSL's init runs
 *   `setsid agetty -w -L hvc2 -a root` in a loop (WSL src/linux/init/main.cpp StartDebugShell,
 *   3e27a6a5); the Windows service connects hvc2 to a named pipe, and wsl.exe is only a
 *   client of that pipe (src/windows/common/WslClient.cpp RunDebugShell). Here a server
 *   process per state dir holds the console: a real pty whose shell keeps running between
 *   clients, reached through DIR/hvc2.sock.
 * - wsl.exe writes one LF as soon as the pipe is open ("agetty waits for a LF before printing
 *   the prompt", RunDebugShell), then relays stdin at once and stdout until the pipe breaks;
 *   it never exits on its own.
 * - `agetty -w -a root` waits for that LF, prints /etc/issue ("Welcome to CBL-Mariner ...
 *   (hvc2)") and "<host> login: root (automatic login)", and runs `login -f root`, which
 *   flushes the input queued on the tty before the shell starts: here, client input is read
 *   and thrown away for --flush seconds after the LF, then the shell starts on the pty.
 *   When the shell ends, agetty runs again and waits for the next LF.
 * - The VM's hostname is the Windows computer name (WslCoreVm.cpp GetLinuxHostName), so the
 *   prompt is `root@<COMPUTERNAME> [ ~ ]# ` (Azure Linux's bashrc: `\u@\h [ \W ]\$ `).
 *
 * Usage (the client; it starts the server for DIR when none answers):
 *   wslns-debugshell [--flush S] [--host NAME] [--state fresh|idle|heredoc|noecho|halfline]
 *                    [--stall N] DIR -- CMD [ARGS...]
 * --state   how a server started now finds its console: fresh (default: agetty waits for
 *           the LF, then the flushing login) or a session an earlier client left behind,
 *           already logged in: idle at its prompt, inside an open heredoc, with echo off, or
 *           with half a line typed (which opens a quote)
 * --stall N this client relays only N bytes of its stdin, then stops reading it (a wsl.exe
 *           killed in the middle of a script, seen from the console)
 * CMD       the shell to run on the pty (the server's; later clients' CMD is ignored)
 * The server ends when DIR/hvc2.sock is removed or replaced, or when the process named by
 * WSLNS_LAB_OWNER (if set) is gone; it writes its log to DIR/server.log.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

struct opts {
    double flush_s;
    const char *host, *state, *dir;
    long stall; /* -1: none */
    char **cmd;
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
    fprintf(stderr, "wslns-debugshell: %s: %s\n", what, strerror(errno));
    exit(1);
}

static bool write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == ENOTSOCK)
            w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && errno == EAGAIN) {
            struct pollfd pfd = {.fd = fd, .events = POLLOUT};
            poll(&pfd, 1, 1000);
            continue;
        }
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

static void sock_path(const struct opts *o, struct sockaddr_un *sa)
{
    memset(sa, 0, sizeof *sa);
    sa->sun_family = AF_UNIX;
    if ((size_t)snprintf(sa->sun_path, sizeof sa->sun_path, "%s/hvc2.sock", o->dir) >=
        sizeof sa->sun_path) {
        errno = ENAMETOOLONG;
        die(o->dir);
    }
}

/* ---- the server: the console and its shell ---- */

enum console { AGETTY, LOGIN, SHELL };

struct server {
    const struct opts *o;
    enum console state;
    double flush_until;
    int master; /* -1 without a shell */
    pid_t shell;
    int client;          /* -1 without a client */
    char pending[65536]; /* client input the pty has not taken yet */
    size_t pending_len;
};

static void start_shell(struct server *s)
{
    pid_t pid = forkpty(&s->master, NULL, NULL, NULL);
    if (pid < 0) {
        s->master = -1;
        return;
    }
    if (pid == 0) {
        if (chdir("/root") != 0 && chdir("/") != 0)
            _exit(127);
        setenv("HOME", "/root", 1);
        setenv("TERM", "vt220", 1); /* agetty's default for a serial line */
        execvp(s->o->cmd[0], s->o->cmd);
        _exit(127);
    }
    s->shell = pid;
    fcntl(s->master, F_SETFL, fcntl(s->master, F_GETFL) | O_NONBLOCK);
    fcntl(s->master, F_SETFD, FD_CLOEXEC);
    s->state = SHELL;
    s->pending_len = 0;
}

static void end_shell(struct server *s)
{
    if (s->master >= 0)
        close(s->master);
    s->master = -1;
    if (s->shell > 0) {
        kill(s->shell, SIGHUP);
        waitpid(s->shell, NULL, 0);
    }
    s->shell = 0;
    s->state = AGETTY; /* init starts agetty again; it waits for the next LF */
}

static void to_client(struct server *s, const char *p, size_t n)
{
    if (s->client >= 0 && !write_all(s->client, p, n)) {
        close(s->client);
        s->client = -1;
    }
}

static void banner(struct server *s)
{
    char kernel[128] = "6.6.36.3-microsoft-standard-WSL2";
    FILE *f = fopen("/proc/sys/kernel/osrelease", "r");
    if (f) {
        if (fgets(kernel, sizeof kernel, f))
            kernel[strcspn(kernel, "\n")] = '\0';
        fclose(f);
    }
    char text[600];
    int n = snprintf(text, sizeof text,
                     "\r\nWelcome to CBL-Mariner 2.0 (x86_64) - Kernel %s (hvc2)\r\n\r\n"
                     "%s login: root (automatic login)\r\n\r\n",
                     kernel, s->o->host);
    to_client(s, text, (size_t)n);
}

/* Client input: agetty takes up to the LF, login's flush eats what follows, the shell
 * gets the rest. */
static void client_input(struct server *s, const char *p, size_t n)
{
    if (s->state == AGETTY) {
        const char *lf = memchr(p, '\n', n);
        const char *cr = memchr(p, '\r', n);
        if (!lf || (cr && cr < lf))
            lf = cr;
        if (!lf)
            return;
        banner(s);
        s->state = LOGIN;
        s->flush_until = now() + s->o->flush_s;
        return; /* the rest was queued before login's flush */
    }
    if (s->state == LOGIN)
        return;
    size_t room = sizeof s->pending - s->pending_len;
    if (n > room)
        n = room; /* cannot happen: the client is not read while pending is full */
    memcpy(s->pending + s->pending_len, p, n);
    s->pending_len += n;
}

static void feed_pty(struct server *s)
{
    while (s->master >= 0 && s->pending_len) {
        ssize_t w = write(s->master, s->pending, s->pending_len);
        if (w <= 0)
            return;
        memmove(s->pending, s->pending + w, s->pending_len - (size_t)w);
        s->pending_len -= (size_t)w;
    }
}

/* A session an earlier client left behind: logged in, and in this state. */
static void stale_session(struct server *s)
{
    const char *typed = NULL;
    if (strcmp(s->o->state, "heredoc") == 0)
        typed = "cat > /dev/null <<'STALE-HEREDOC-END'\nleft over from an earlier client\n";
    else if (strcmp(s->o->state, "noecho") == 0)
        typed = "stty -echo\n";
    else if (strcmp(s->o->state, "halfline") == 0)
        typed = "echo \"half a line typed by an earlier cli"; /* and an open quote */
    else if (strcmp(s->o->state, "idle") == 0)
        typed = "";
    if (!typed)
        return;
    start_shell(s);
    client_input(s, typed, strlen(typed));
}

static bool still_wanted(const struct opts *o, ino_t ino)
{
    struct sockaddr_un sa;
    sock_path(o, &sa);
    struct stat st;
    if (stat(sa.sun_path, &st) != 0 || st.st_ino != ino)
        return false;
    const char *owner = getenv("WSLNS_LAB_OWNER");
    if (owner && *owner && kill((pid_t)atol(owner), 0) != 0 && errno == ESRCH)
        return false;
    return true;
}

static void serve(const struct opts *o, int listener, ino_t ino)
{
    struct server s = {.o = o, .state = AGETTY, .master = -1, .client = -1};
    signal(SIGPIPE, SIG_IGN);
    stale_session(&s);
    double next_check = now() + 1;
    for (;;) {
        struct pollfd fds[3];
        int nfds = 0, i_listen = -1, i_client = -1, i_master = -1;
        if (s.client < 0) {
            fds[nfds] = (struct pollfd){.fd = listener, .events = POLLIN};
            i_listen = nfds++;
        } else if (s.pending_len < sizeof s.pending / 2) {
            fds[nfds] = (struct pollfd){.fd = s.client, .events = POLLIN};
            i_client = nfds++;
        }
        if (s.master >= 0) {
            fds[nfds] =
                (struct pollfd){.fd = s.master, .events = POLLIN | (s.pending_len ? POLLOUT : 0)};
            i_master = nfds++;
        }
        int timeout = 200;
        if (s.state == LOGIN) {
            double left = s.flush_until - now();
            timeout = left <= 0 ? 0 : (int)(left * 1000) + 1;
        }
        int r = poll(fds, (nfds_t)nfds, timeout);
        double t = now();
        if (t >= next_check) {
            if (!still_wanted(o, ino))
                break;
            next_check = t + 1;
        }
        if (s.state == LOGIN && t >= s.flush_until)
            start_shell(&s);
        if (r <= 0)
            continue;
        if (i_listen >= 0 && (fds[i_listen].revents & POLLIN)) {
            s.client = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
        }
        if (i_client >= 0 && fds[i_client].revents) {
            char buf[4096];
            size_t room = sizeof s.pending - s.pending_len;
            ssize_t n = read(s.client, buf, room < sizeof buf ? room : sizeof buf);
            if (n <= 0) {
                close(s.client);
                s.client = -1;
            } else {
                client_input(&s, buf, (size_t)n);
            }
        }
        if (i_master >= 0 && s.master >= 0 && fds[i_master].revents) {
            feed_pty(&s);
            if (fds[i_master].revents & (POLLIN | POLLHUP | POLLERR)) {
                char buf[4096];
                ssize_t n = read(s.master, buf, sizeof buf);
                if (n > 0)
                    to_client(&s, buf, (size_t)n); /* no client: the console drops it */
                else if (n == 0 || (errno != EAGAIN && errno != EINTR))
                    end_shell(&s);
            }
        }
        if (s.master >= 0)
            feed_pty(&s);
    }
    end_shell(&s);
}

/* Starts a server for o->dir in the background (a session of its own, so killing the
 * client's process group leaves the console alone). Returns once it listens. */
static void spawn_server(const struct opts *o)
{
    struct sockaddr_un sa;
    sock_path(o, &sa);
    unlink(sa.sun_path);
    int listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener < 0 || bind(listener, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        listen(listener, 8) != 0)
        die("cannot listen on the console socket");
    struct stat st;
    if (stat(sa.sun_path, &st) != 0)
        die("stat console socket");
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid > 0) {
        close(listener);
        waitpid(pid, NULL, 0);
        return;
    }
    setsid();
    if (fork() != 0)
        _exit(0);
    char log[4200];
    snprintf(log, sizeof log, "%s/server.log", o->dir);
    int null = open("/dev/null", O_RDWR);
    int lf = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    dup2(null, 0);
    dup2(lf >= 0 ? lf : null, 1);
    dup2(lf >= 0 ? lf : null, 2);
    for (int fd = 3; fd < 256; fd++) {
        if (fd != listener)
            close(fd);
    }
    serve(o, listener, st.st_ino);
    _exit(0);
}

/* ---- the client: wsl.exe --debug-shell ---- */

static int connect_console(const struct opts *o)
{
    char lock[4200];
    snprintf(lock, sizeof lock, "%s/hvc2.lock", o->dir);
    int lk = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lk < 0 || flock(lk, LOCK_EX) != 0)
        die("cannot lock the console");
    struct sockaddr_un sa;
    sock_path(o, &sa);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        die("socket");
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        spawn_server(o);
        if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
            die("cannot reach the console server");
    }
    close(lk);
    return fd;
}

static void client(const struct opts *o)
{
    int fd = connect_console(o);
    signal(SIGPIPE, SIG_IGN);
    if (!write_all(fd, "\n", 1))
        die("write");
    bool in_open = true;
    long relayed = 0;
    for (;;) {
        bool want_in = in_open && (o->stall < 0 || relayed < o->stall);
        struct pollfd fds[2] = {{.fd = fd, .events = POLLIN},
                                {.fd = want_in ? 0 : -1, .events = POLLIN}};
        if (poll(fds, 2, -1) < 0 && errno != EINTR)
            die("poll");
        if (fds[0].revents) {
            char buf[4096];
            ssize_t n = read(fd, buf, sizeof buf);
            if (n <= 0) {
                /* The pipe broke: wsl.exe prints a newline and fails (HCS_E_CONNECTION_CLOSED). */
                (void)!write(1, "\n", 1);
                exit(255);
            }
            if (!write_all(1, buf, (size_t)n))
                exit(255);
        }
        if (want_in && fds[1].revents) {
            char buf[4096];
            size_t cap = sizeof buf;
            if (o->stall >= 0 && (size_t)(o->stall - relayed) < cap)
                cap = (size_t)(o->stall - relayed);
            ssize_t n = read(0, buf, cap);
            if (n <= 0)
                in_open = false; /* stdin ended: wsl.exe stops relaying it and stays */
            else if (!write_all(fd, buf, (size_t)n))
                exit(255);
            else
                relayed += n;
        }
    }
}

int main(int argc, char **argv)
{
    struct opts o = {.flush_s = 0.5, .host = "DESKTOP-WSLNS", .state = "fresh", .stall = -1};
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--flush") == 0 && i + 1 < argc)
            o.flush_s = atof(argv[++i]);
        else if (strcmp(argv[i], "--host") == 0 && i + 1 < argc)
            o.host = argv[++i];
        else if (strcmp(argv[i], "--state") == 0 && i + 1 < argc)
            o.state = argv[++i];
        else if (strcmp(argv[i], "--stall") == 0 && i + 1 < argc)
            o.stall = atol(argv[++i]);
        else
            break;
    }
    if (i + 2 >= argc || strcmp(argv[i + 1], "--") != 0) {
        fprintf(stderr, "usage: wslns-debugshell [--flush S] [--host NAME] [--state S] "
                        "[--stall N] DIR -- CMD [ARGS...]\n");
        return 2;
    }
    o.dir = argv[i];
    o.cmd = argv + i + 2;
    if (mkdir(o.dir, 0700) != 0 && errno != EEXIST)
        die(o.dir);
    client(&o);
    return 0;
}
