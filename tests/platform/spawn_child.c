/* spawn_child.c - the child that spawn_check.c runs through plat_run_children, built for
 * both platforms (spawn-child, spawn-child.exe). The first argument picks what it does:
 *
 *   args A B ...     prints each following argument hex-encoded (UTF-8), one per line
 *   args-shell32 ... the same, but on Windows the arguments come from CommandLineToArgvW
 *                    (the parser wsl.exe applies after -e) instead of the C runtime's
 *   cat              copies stdin to stdout byte for byte, then exits 0
 *   flood N          writes N bytes to stdout and N to stderr, interleaved, then exits 0
 *   env NAME         prints the variable's value, or "(unset)"
 *   exit N           exits with N (may be negative)
 *   sleep-ms N       sleeps N milliseconds, then exits 0
 *   sleep            never exits
 *   say-then-sleep T prints T, then never exits
 *   meet PREFIX I N  creates the file PREFIX-I, then waits until PREFIX-0 .. PREFIX-(N-1) all
 *                    exist and exits 0 (3 after 100 s without them): N of these can all end
 *                    only when they run at the same time
 *   tree             starts a grandchild that sleeps forever holding stdout and stderr,
 *                    prints "grandchild PID", then sleeps forever itself (a kill must take
 *                    the grandchild too)
 *
 * On Windows the arguments come from wmain (UTF-16) and are converted to UTF-8 here, so
 * "args" shows exactly what the command line parser handed over. Streams are binary.
 */
#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#include <windows.h>
#include <shellapi.h>
#else
#define _POSIX_C_SOURCE 200809L
#include <time.h>
#include <unistd.h>
#endif

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "utf8.h"

static void sleep_ms(long ms)
{
#ifdef _WIN32
    Sleep((DWORD)ms);
#else
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
#endif
}

static void sleep_forever(void)
{
    for (;;)
        sleep_ms(60000);
}

static bool marker_exists(const char *prefix, int i)
{
    char path[1024];
    snprintf(path, sizeof path, "%s-%d", prefix, i);
    FILE *f = fopen(path, "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

/* The "meet" mode: a rendezvous through marker files, no clock in the verdict. */
static int meet(const char *prefix, int me, int n)
{
    char path[1024];
    snprintf(path, sizeof path, "%s-%d", prefix, me);
    FILE *f = fopen(path, "wb");
    if (!f)
        return 2;
    fclose(f);
    for (int tries = 0; tries < 5000; tries++) {
        int seen = 0;
        for (int i = 0; i < n; i++)
            seen += marker_exists(prefix, i);
        if (seen == n)
            return 0;
        sleep_ms(20);
    }
    return 3;
}

/* Starts "self sleep" with our stdout and stderr; returns its pid, or 0. */
static long start_grandchild(const char *self)
{
#ifdef _WIN32
    (void)self;
    wchar_t path[MAX_PATH * 4];
    DWORD n = GetModuleFileNameW(NULL, path, MAX_PATH * 4);
    if (n == 0 || n >= MAX_PATH * 4)
        return 0;
    wchar_t cmdline[MAX_PATH * 4 + 16];
    _snwprintf(cmdline, sizeof cmdline / sizeof cmdline[0], L"\"%ls\" sleep", path);
    STARTUPINFOW si;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    PROCESS_INFORMATION pi;
    if (!CreateProcessW(NULL, cmdline, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi))
        return 0;
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    return (long)pi.dwProcessId;
#else
    pid_t pid = fork();
    if (pid < 0)
        return 0;
    if (pid == 0) {
        execl(self, self, "sleep", (char *)NULL);
        _exit(127);
    }
    return (long)pid;
#endif
}

static int run(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: spawn-child MODE [ARGS...]\n");
        return 2;
    }
    const char *mode = argv[1];
    if (strcmp(mode, "args") == 0 || strcmp(mode, "args-shell32") == 0) {
        for (int i = 2; i < argc; i++) {
            char *hex = hex_encode(argv[i], strlen(argv[i]));
            if (!hex)
                return 1;
            printf("%s\n", hex);
            free(hex);
        }
        return 0;
    }
    if (strcmp(mode, "cat") == 0) {
        /* read(), not fread(): pass on what arrives at once, without waiting for a full
         * buffer, so a parent that keeps stdin open sees the echo. */
        char buf[65536];
        for (;;) {
#ifdef _WIN32
            int n = _read(0, buf, sizeof buf);
#else
            ssize_t n = read(0, buf, sizeof buf);
#endif
            if (n <= 0)
                return n == 0 ? 0 : 1;
            if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n || fflush(stdout) != 0)
                return 1;
        }
    }
    if (strcmp(mode, "flood") == 0 && argc > 2) {
        long total = atol(argv[2]);
        char chunk[4096];
        for (size_t i = 0; i < sizeof chunk; i++)
            chunk[i] = (char)('a' + i % 26);
        /* Small alternating writes: a parent that drains only one pipe at a time blocks
         * this child on the other one long before either stream is complete. */
        for (long done = 0; done < total; done += (long)sizeof chunk) {
            size_t len =
                (size_t)(total - done < (long)sizeof chunk ? total - done : (long)sizeof chunk);
            if (fwrite(chunk, 1, len, stdout) != len || fwrite(chunk, 1, len, stderr) != len)
                return 1;
        }
        return 0;
    }
    if (strcmp(mode, "env") == 0 && argc > 2) {
        const char *value = getenv(argv[2]);
        printf("%s", value ? value : "(unset)");
        return 0;
    }
    if (strcmp(mode, "exit") == 0 && argc > 2)
        return atoi(argv[2]);
    if (strcmp(mode, "sleep-ms") == 0 && argc > 2) {
        sleep_ms(atol(argv[2]));
        return 0;
    }
    if (strcmp(mode, "sleep") == 0)
        sleep_forever();
    if (strcmp(mode, "say-then-sleep") == 0 && argc > 2) {
        printf("%s", argv[2]);
        fflush(stdout);
        sleep_forever();
    }
    if (strcmp(mode, "meet") == 0 && argc > 4)
        return meet(argv[2], atoi(argv[3]), atoi(argv[4]));
    if (strcmp(mode, "tree") == 0) {
        long pid = start_grandchild(argv[0]);
        if (pid == 0)
            return 1;
        printf("grandchild %ld\n", pid);
        fflush(stdout);
        sleep_forever();
    }
    fprintf(stderr, "spawn-child: unknown mode or missing argument: %s\n", mode);
    return 2;
}

#ifdef _WIN32
int wmain(int argc, wchar_t **wargv);
int wmain(int argc, wchar_t **wargv)
{
    _setmode(_fileno(stdin), _O_BINARY);
    _setmode(_fileno(stdout), _O_BINARY);
    _setmode(_fileno(stderr), _O_BINARY);
    if (argc > 1 && wcscmp(wargv[1], L"args-shell32") == 0) {
        wargv = CommandLineToArgvW(GetCommandLineW(), &argc);
        if (!wargv)
            return 1;
    }
    char **argv = calloc((size_t)argc + 1, sizeof *argv);
    if (!argv)
        return 1;
    for (int i = 0; i < argc; i++) {
        int n = WideCharToMultiByte(CP_UTF8, 0, wargv[i], -1, NULL, 0, NULL, NULL);
        argv[i] = malloc(n > 0 ? (size_t)n : 1);
        if (!argv[i])
            return 1;
        argv[i][0] = '\0';
        if (n > 0)
            WideCharToMultiByte(CP_UTF8, 0, wargv[i], -1, argv[i], n, NULL, NULL);
    }
    return run(argc, argv);
}
#else
int main(int argc, char **argv)
{
    return run(argc, argv);
}
#endif
