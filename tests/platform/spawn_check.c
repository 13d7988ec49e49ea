/* spawn_check.c - tests of the platform layer (platform.h), built for both platforms and
 * linked with the same platform_<os>.c as the host tool: spawn-check (POSIX) and
 * spawn-check.exe (run under Wine). Its children are spawn-child[.exe] from the same
 * directory. `spawn-check NAME` runs the cases whose name contains NAME (check.h).
 *
 * The relay cases (Windows build only) drive wsl-stand-in\wsl.exe and expect a running
 * wslns-relay-server whose emulator is tests/lab/fake_wsl.sh (relay_check.sh sets that
 * up and exports WSLNS_RELAY_PORT and WSLNS_RELAY_TEST_DIR).
 */
#ifdef _WIN32
#include <windows.h>
#else
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <time.h>
#endif
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "platform/platform.h"
#include "strbuf.h"
#include "utf8.h"

#ifdef _WIN32
#define EXE ".exe"
#else
#define EXE ""
#endif

/* The budget of a child that must end by itself: what a loaded machine (Wine, ASan, a busy
 * CTest) meets. Only children meant to hang get a short one. */
#define GOOD_S 120.0

static void remove_file(const char *utf8_path)
{
#ifdef _WIN32
    wchar_t wide[1024];
    if (MultiByteToWideChar(CP_UTF8, 0, utf8_path, -1, wide, 1024) > 0)
        _wremove(wide);
#else
    remove(utf8_path);
#endif
}

static char *child_path(void)
{
    char *dir = plat_self_dir();
    char *path = dir ? plat_path_join(dir, "spawn-child" EXE) : NULL;
    free(dir);
    return path;
}

/* Runs one spawn-child with mode and args; the spec is otherwise zero except as given. */
static void run_one(struct plat_child_spec spec, const char *const *args,
                    struct plat_child_result *r)
{
    char *path = child_path();
    const char *argv[64] = {path};
    size_t n = 1;
    for (; args[n - 1] && n < 63; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    spec.argv = argv;
    plat_run_children(1, &spec, r);
    free(path);
}

static const char *const tricky_args[] = {
    "plain",
    "with space",
    "",
    " ",
    "\t",
    "tab\there",
    "quote\"inside",
    "\"",
    "\"\"",
    "trailing\\",
    "trailing two\\\\",
    "back\\slash",
    "back\\\\\"quote",
    "\\\"",
    "a\\\\b c\\",
    "\xc3\x9cn\xc3\xaf"
    "c\xc3\xb8"
    "d\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac", /* Ünïcødé 日本 */
    "{\"json\": [1, 2]}",
    "%PATH%",
    "^&|<>()",
    "new\nline",
    "-e",
    "--",
    "end",
};

static void args_arrive_intact_in_mode(const char *mode)
{
    const size_t count = CHECK_COUNT(tricky_args);
    const char *args[CHECK_COUNT(tricky_args) + 2] = {mode};
    struct strbuf expected = STRBUF_INIT;
    for (size_t i = 0; i < count; i++) {
        args[i + 1] = tricky_args[i];
        char *hex = hex_encode(tricky_args[i], strlen(tricky_args[i]));
        strbuf_printf(&expected, "%s\n", hex);
        free(hex);
    }
    args[count + 1] = NULL;
    struct plat_child_result r;
    run_one((struct plat_child_spec){.timeout_s = GOOD_S}, args, &r);
    CHECK(r.spawn_error == NULL);
    CHECK_INT(r.exit_code, 0);
    CHECK_STR(r.out, expected.data);
    if (r.err_len)
        fprintf(stderr, "  child's stderr: %s\n", r.err);
    strbuf_release(&expected);
    plat_child_result_free(&r);
}

static void args_arrive_intact(void)
{
    args_arrive_intact_in_mode("args");
}

#ifdef _WIN32
static void args_survive_shell32(void)
{
    args_arrive_intact_in_mode("args-shell32");
}
#endif

static void stdin_arrives_exactly(void)
{
    const size_t len = 300000; /* several times any pipe buffer */
    char *data = malloc(len);
    for (size_t i = 0; i < len; i++)
        data[i] = (char)(i * 7 % 256); /* every byte value, NUL, CR and LF included */
    struct plat_child_result r;
    run_one((struct plat_child_spec){.stdin_data = data, .stdin_len = len, .timeout_s = GOOD_S},
            (const char *const[]){"cat", NULL}, &r);
    CHECK(r.spawn_error == NULL);
    CHECK_INT(r.exit_code, 0);
    CHECK_INT(r.out_len, len);
    CHECK(r.out_len == len && memcmp(r.out, data, len) == 0);
    free(data);
    plat_child_result_free(&r);
}

static bool is_pattern(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != (char)('a' + i % 4096 % 26))
            return false;
    return true;
}

static void big_output_on_both_streams(void)
{
    const size_t mb = 1024 * 1024;
    struct plat_child_result r;
    /* A deadlock (both pipes full) would end in the timeout, not in a slow run. */
    run_one((struct plat_child_spec){.timeout_s = GOOD_S},
            (const char *const[]){"flood", "1048576", NULL}, &r);
    CHECK(r.spawn_error == NULL);
    CHECK(!r.timed_out);
    CHECK_INT(r.exit_code, 0);
    CHECK_INT(r.out_len, mb);
    CHECK_INT(r.err_len, mb);
    CHECK(!r.out_truncated && !r.err_truncated);
    CHECK(r.out_len == mb && is_pattern(r.out, mb));
    CHECK(r.err_len == mb && is_pattern(r.err, mb));
    plat_child_result_free(&r);
}

static void output_beyond_max_is_dropped(void)
{
    struct plat_child_result r;
    run_one((struct plat_child_spec){.timeout_s = GOOD_S, .max_output = 1000},
            (const char *const[]){"flood", "200000", NULL}, &r);
    CHECK(!r.timed_out);
    CHECK_INT(r.exit_code, 0);
    CHECK_INT(r.out_len, 1000);
    CHECK_INT(r.err_len, 1000);
    CHECK(r.out_truncated && r.err_truncated);
    CHECK(r.out && strlen(r.out) == 1000 && is_pattern(r.out, 1000));
    plat_child_result_free(&r);
}

/* The child never exits by itself: that the call returns at all, flagged timed_out, is the
 * kill; that it was not before the deadline is a bound no load can break. */
static void timeout_kills(void)
{
    struct plat_child_result r;
    run_one((struct plat_child_spec){.timeout_s = 1.0}, (const char *const[]){"sleep", NULL}, &r);
    CHECK(r.spawn_error == NULL);
    CHECK(r.timed_out);
    CHECK(!r.stopped_early);
    CHECK(r.seconds >= 0.9);
    plat_child_result_free(&r);
}

/* Whether the process with this pid has ended within `wait_s` seconds. */
static bool process_gone(long pid, double wait_s)
{
    double until = plat_now() + wait_s;
    for (;;) {
#ifdef _WIN32
        HANDLE h = OpenProcess(SYNCHRONIZE, FALSE, (DWORD)pid);
        if (!h)
            return true;
        DWORD r = WaitForSingleObject(h, 100);
        CloseHandle(h);
        if (r == WAIT_OBJECT_0)
            return true;
#else
        /* Gone, or a zombie that init has not reaped yet (its parent, the child, is dead). */
        char path[64], state = 0;
        snprintf(path, sizeof path, "/proc/%ld/stat", pid);
        FILE *f = fopen(path, "r");
        if (!f)
            return true;
        int n = fscanf(f, "%*d (%*[^)]) %c", &state);
        fclose(f);
        if (n == 1 && (state == 'Z' || state == 'X'))
            return true;
#endif
        if (plat_now() >= until)
            return false;
#ifndef _WIN32
        nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
#endif
    }
}

static void timeout_kills_grandchildren(void)
{
    /* The grandchild holds stdout open, so the call cannot return before it is gone or the
     * one-second stray-writer grace passes; the pid check says which one it was. */
    struct plat_child_result r;
    double t0 = plat_now();
    run_one((struct plat_child_spec){.timeout_s = 1.0}, (const char *const[]){"tree", NULL}, &r);
    double took = plat_now() - t0;
    CHECK(r.timed_out);
    long pid = 0;
    CHECK(r.out && sscanf(r.out, "grandchild %ld", &pid) == 1 && pid > 0);
    /* Killed, not left: it would live forever, so any generous wait tells them apart. */
    CHECK(pid > 0 && process_gone(pid, GOOD_S));
    fprintf(stderr, "  the call took %.2f s (timeout 1 s)\n", took);
    plat_child_result_free(&r);
}

/* Each child waits for the others' marker files (spawn-child meet): they can all exit 0
 * only if they run at the same time. Run one after another, the first would wait alone
 * until its own limit. No clock decides. */
static void children_run_in_parallel(void)
{
    enum { N = 4 };
    char *path = child_path();
    char *dir = plat_self_dir();
    unsigned char token[8];
    plat_random_bytes(token, sizeof token);
    char name[64];
    snprintf(name, sizeof name, "meet-%02x%02x%02x%02x%02x%02x%02x%02x", token[0], token[1],
             token[2], token[3], token[4], token[5], token[6], token[7]);
    char *prefix = dir ? plat_path_join(dir, name) : NULL;
    CHECK(prefix != NULL);
    char index[N][12];
    const char *argv[N][6];
    struct plat_child_spec specs[N];
    struct plat_child_result results[N];
    for (int i = 0; i < N; i++) {
        snprintf(index[i], sizeof index[i], "%d", i);
        const char *a[] = {path, "meet", prefix ? prefix : "", index[i], "4", NULL};
        memcpy(argv[i], a, sizeof a);
        specs[i] = (struct plat_child_spec){.argv = argv[i], .timeout_s = GOOD_S};
    }
    plat_run_children(N, specs, results);
    for (int i = 0; i < N; i++) {
        CHECK(results[i].spawn_error == NULL);
        CHECK(!results[i].timed_out);
        CHECK_INT(results[i].exit_code, 0);
        plat_child_result_free(&results[i]);
        char marker[1100];
        snprintf(marker, sizeof marker, "%s-%d", prefix ? prefix : "", i);
        remove_file(marker);
    }
    free(prefix);
    free(dir);
    free(path);
}

static void many_children_finish(void)
{
    /* More than Windows' 64 handles per wait. */
    enum { N = 70 };
    char *path = child_path();
    const char *argv[] = {path, "exit", "7", NULL};
    struct plat_child_spec specs[N];
    struct plat_child_result results[N];
    for (int i = 0; i < N; i++)
        specs[i] = (struct plat_child_spec){.argv = argv, .timeout_s = GOOD_S};
    double t0 = plat_now();
    plat_run_children(N, specs, results);
    int ok = 0;
    for (int i = 0; i < N; i++) {
        ok += !results[i].spawn_error && !results[i].timed_out && results[i].exit_code == 7;
        plat_child_result_free(&results[i]);
    }
    CHECK_INT(ok, N);
    fprintf(stderr, "  %d children took %.2f s\n", N, plat_now() - t0);
    free(path);
}

static bool stop_at_ready(const char *out, size_t len, void *ctx)
{
    (*(int *)ctx)++;
    return len >= 5 && memcmp(out + len - 5, "READY", 5) == 0;
}

static void stop_callback_kills_early(void)
{
    int calls = 0;
    struct plat_child_result r;
    double t0 = plat_now();
    /* The child never exits: stopped_early without timed_out is the proof, not a clock. */
    run_one(
        (struct plat_child_spec){.timeout_s = GOOD_S, .stop = stop_at_ready, .stop_ctx = &calls},
        (const char *const[]){"say-then-sleep", "READY", NULL}, &r);
    CHECK(r.stopped_early);
    CHECK(!r.timed_out);
    CHECK_STR(r.out, "READY");
    CHECK(calls >= 1);
    fprintf(stderr, "  stopped after %.2f s\n", plat_now() - t0);
    plat_child_result_free(&r);
}

static void keep_stdin_open_until_killed(void)
{
    struct plat_child_result r;
    /* The hang under test is cat waiting for more input: only the timeout ends it. The
     * budget is also cat's good path (start, echo "x"), so it is one a loaded machine meets
     * under Wine, not a second. */
    run_one(
        (struct plat_child_spec){
            .stdin_data = "x", .stdin_len = 1, .keep_stdin_open = true, .timeout_s = 10},
        (const char *const[]){"cat", NULL}, &r);
    CHECK(r.timed_out);
    CHECK_STR(r.out, "x");
    plat_child_result_free(&r);
    /* The same child without keep_stdin_open sees end of input and ends by itself. */
    run_one((struct plat_child_spec){.stdin_data = "x", .stdin_len = 1, .timeout_s = GOOD_S},
            (const char *const[]){"cat", NULL}, &r);
    CHECK(!r.timed_out);
    CHECK_INT(r.exit_code, 0);
    CHECK_STR(r.out, "x");
    plat_child_result_free(&r);
}

/* A conversation: each answer decides what is sent next, and a side that says nothing is
 * prodded by the periodic calls. The child echoes stdin and never ends. */
struct talk {
    int calls, quiet_calls;
    size_t last_len;
};

static const char *talk_feed(const char *out, size_t len, size_t *n, void *ctx)
{
    struct talk *t = ctx;
    const char *say = NULL;
    t->calls++;
    if (len == t->last_len)
        t->quiet_calls++;
    t->last_len = len;
    if (t->calls == 1)
        say = "one\n"; /* at the start, before any output */
    else if (len == 4 && memcmp(out, "one\n", 4) == 0)
        say = "two\n"; /* the answer to one, once it is there */
    else if (len == 8 && t->quiet_calls >= 2)
        say = "three\n"; /* nothing came for two calls: only the periodic ones run */
    *n = say ? strlen(say) : 0;
    return say;
}

static bool stop_at_three(const char *out, size_t len, void *ctx)
{
    (void)ctx;
    return len >= 14 && memcmp(out, "one\ntwo\nthree\n", 14) == 0;
}

static void feed_converses_with_a_child(void)
{
    struct talk t = {0};
    struct plat_child_result r;
    run_one((struct plat_child_spec){.timeout_s = GOOD_S,
                                     .feed = talk_feed,
                                     .feed_ctx = &t,
                                     .feed_every_s = 0.05,
                                     .stop = stop_at_three},
            (const char *const[]){"cat", NULL}, &r);
    CHECK(r.stopped_early);
    CHECK(!r.timed_out);
    CHECK_STR(r.out, "one\ntwo\nthree\n");
    CHECK(t.quiet_calls >= 2);
    plat_child_result_free(&r);
}

static void env_add_reaches_child(void)
{
    const char *const env[] = {"WSL_UTF8=1", "WSLNS_TEST_\xc3\x9c=\xe6\x97\xa5", NULL};
    struct plat_child_result r;
    run_one((struct plat_child_spec){.env_add = env, .timeout_s = GOOD_S},
            (const char *const[]){"env", "WSL_UTF8", NULL}, &r);
    CHECK_STR(r.out, "1");
    plat_child_result_free(&r);
    run_one((struct plat_child_spec){.env_add = env, .timeout_s = GOOD_S},
            (const char *const[]){"env", "PATH", NULL}, &r);
    CHECK(r.out && strcmp(r.out, "(unset)") != 0 && r.out_len > 0);
    plat_child_result_free(&r);
    run_one((struct plat_child_spec){.timeout_s = GOOD_S},
            (const char *const[]){"env", "WSL_UTF8", NULL}, &r);
    CHECK_STR(r.out, "(unset)");
    plat_child_result_free(&r);
}

static void missing_program_gives_spawn_error(void)
{
    char *dir = plat_self_dir();
    char *missing = plat_path_join(dir, "no-such-program" EXE);
    const char *argv[] = {missing, "x", NULL};
    struct plat_child_spec spec = {.argv = argv, .timeout_s = GOOD_S};
    struct plat_child_result r;
    plat_run_children(1, &spec, &r);
    CHECK(r.spawn_error != NULL);
    CHECK(r.spawn_error && strstr(r.spawn_error, "no-such-program") != NULL);
    if (r.spawn_error)
        fprintf(stderr, "  spawn_error: %s\n", r.spawn_error);
    CHECK(!r.timed_out);
    CHECK_STR(r.out, "");
    CHECK_STR(r.err, "");
    plat_child_result_free(&r);
    CHECK(r.spawn_error == NULL && r.out == NULL);
    free(missing);
    free(dir);
}

static void exit_codes_come_back(void)
{
#ifdef _WIN32
    /* Windows keeps the whole 32-bit code: exit(-1) is 0xFFFFFFFF, reported as -1. */
    const int minus_one = -1;
#else
    const int minus_one = 255;
#endif
    const char *codes[] = {"0", "3", "255", "-1"};
    const int expected[] = {0, 3, 255, minus_one};
    for (size_t i = 0; i < CHECK_COUNT(codes); i++) {
        struct plat_child_result r;
        run_one((struct plat_child_spec){.timeout_s = GOOD_S},
                (const char *const[]){"exit", codes[i], NULL}, &r);
        CHECK_INT(r.exit_code, expected[i]);
        plat_child_result_free(&r);
    }
}

/* Open file descriptors (POSIX) or handles (Windows) of this process. */
static long open_handles(void)
{
#ifdef _WIN32
    DWORD count = 0;
    GetProcessHandleCount(GetCurrentProcess(), &count);
    return (long)count;
#else
    long count = 0;
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return -1;
    while (readdir(d))
        count++;
    closedir(d);
    return count;
#endif
}

static void run_mixed_batch(void)
{
    char *path = child_path();
    const char *cat[] = {path, "cat", NULL}, *sleep[] = {path, "sleep", NULL};
    const char *flood[] = {path, "flood", "100000", NULL}, *tree[] = {path, "tree", NULL};
    const char *missing[] = {"no-such-program-anywhere", NULL};
    struct plat_child_spec specs[] = {
        {.argv = cat, .stdin_data = "abc", .stdin_len = 3, .timeout_s = GOOD_S},
        {.argv = cat,
         .stdin_data = "abc",
         .stdin_len = 3,
         .keep_stdin_open = true,
         .timeout_s = 0.5},
        {.argv = sleep, .timeout_s = 0.5},
        {.argv = flood, .timeout_s = GOOD_S, .max_output = 10},
        {.argv = tree, .timeout_s = 0.5},
        {.argv = missing, .timeout_s = 1},
    };
    struct plat_child_result results[CHECK_COUNT(specs)];
    plat_run_children(CHECK_COUNT(specs), specs, results);
    for (size_t i = 0; i < CHECK_COUNT(specs); i++)
        plat_child_result_free(&results[i]);
    free(path);
}

static void nothing_leaks(void)
{
    run_mixed_batch(); /* the first call may set up things that stay (CRT, thread pool) */
    long before = open_handles();
    for (int i = 0; i < 3; i++)
        run_mixed_batch();
    long after = open_handles();
    CHECK(before > 0);
    CHECK_INT(after, before);
}

static void files_round_trip(void)
{
    char *dir = plat_self_dir();
    /* A non-ASCII name: on Windows this proves the UTF-8 -> UTF-16 path conversion. */
    char *path = plat_path_join(dir, "platform-test-f\xc3\xafl\xc3\xa9 \xe6\x97\xa5.bin");
    const char bytes[] = "line\nwindows\r\nnul\0end\xff";
    const size_t len = sizeof bytes - 1;
    char *err = plat_write_file(path, bytes, len);
    CHECK(err == NULL);
    free(err);
    char *data = NULL;
    size_t got = 0;
    bool truncated = true;
    err = plat_read_file(path, 1000, &data, &got, &truncated);
    CHECK(err == NULL);
    CHECK_INT(got, len);
    CHECK(data && got == len && memcmp(data, bytes, len) == 0 && data[len] == '\0');
    CHECK(!truncated);
    free(err);
    free(data);
    err = plat_read_file(path, 4, &data, &got, &truncated);
    CHECK(err == NULL);
    CHECK_INT(got, 4);
    CHECK(truncated);
    CHECK_STR(data, "line");
    free(err);
    free(data);
    err = plat_read_file(path, len, &data, &got, &truncated);
    CHECK(err == NULL && got == len && !truncated);
    free(err);
    free(data);
    char *missing = plat_path_join(dir, "no-such-file.json");
    err = plat_read_file(missing, 10, &data, &got, NULL);
    CHECK(err && strstr(err, "no-such-file.json"));
    CHECK(data == NULL);
    free(err);
    remove_file(path);
    free(missing);
    free(path);
    free(dir);
}

static void small_functions(void)
{
    char *dir = plat_self_dir();
    CHECK(dir != NULL);
    char *joined = plat_path_join("a", "b");
#ifdef _WIN32
    CHECK_STR(joined, "a\\b");
    free(joined);
    joined = plat_path_join("C:\\x\\", "b");
    CHECK_STR(joined, "C:\\x\\b");
#else
    CHECK_STR(joined, "a/b");
    free(joined);
    joined = plat_path_join("/x/", "b");
    CHECK_STR(joined, "/x/b");
#endif
    free(joined);
    char *value = plat_getenv("WSLNS_SURELY_UNSET_VARIABLE");
    CHECK(value == NULL);
    value = plat_getenv("PATH");
    CHECK(value != NULL);
    free(value);
    double a = plat_now(), b = plat_now();
    CHECK(a > 0 && b >= a);
    free(dir);
}

#ifdef _WIN32
static char *stand_in_path(void)
{
    char *dir = plat_self_dir();
    char *sub = dir ? plat_path_join(dir, "wsl-stand-in") : NULL;
    char *path = sub ? plat_path_join(sub, "wsl.exe") : NULL;
    free(sub);
    free(dir);
    return path;
}

static void relay_round_trip(void)
{
    char *wsl = stand_in_path();
    const char *argv[] = {wsl,
                          "echo-all",
                          "-d",
                          "My Distro",
                          "-e",
                          "sh",
                          "-c",
                          "echo \"hi\" \\ end\\",
                          "\xc3\x9cn\xc3\xaf"
                          "c\xc3\xb8"
                          "d\xc3\xa9",
                          NULL};
    const char *const env[] = {"WSL_UTF8=1", NULL};
    const char input[] = "line1\r\nline2\n\0\xff";
    struct plat_child_spec spec = {.argv = argv,
                                   .env_add = env,
                                   .stdin_data = input,
                                   .stdin_len = sizeof input - 1,
                                   .timeout_s = GOOD_S};
    struct plat_child_result r;
    plat_run_children(1, &spec, &r);
    CHECK(r.spawn_error == NULL);
    CHECK_INT(r.exit_code, 3);
    struct strbuf expected = STRBUF_INIT;
    for (size_t i = 1; argv[i]; i++)
        strbuf_printf(&expected, "[%s]\n", argv[i]);
    strbuf_append(&expected, input, sizeof input - 1);
    CHECK_INT(r.out_len, expected.len);
    CHECK(r.out_len == expected.len && memcmp(r.out, expected.data, expected.len) == 0);
    /* The raw command line, as wsl.exe would parse it itself. */
    const char *tail = " echo-all -d \"My Distro\" -e sh -c \"echo \\\"hi\\\" \\ end\\\\\" "
                       "\xc3\x9cn\xc3\xaf"
                       "c\xc3\xb8"
                       "d\xc3\xa9\n";
    CHECK(r.err && strstr(r.err, "WSL_UTF8=1\n") != NULL);
    CHECK(r.err && strstr(r.err, tail) != NULL);
    if (r.err && !strstr(r.err, tail))
        fprintf(stderr, "  stderr was: %s\n", r.err);
    strbuf_release(&expected);
    plat_child_result_free(&r);
    free(wsl);
}

static void relay_carries_bulk_data(void)
{
    /* More than the server buffers for an emulator's stdin (1 MiB), both ways at once. */
    const size_t len = 3 * 1024 * 1024;
    char *data = malloc(len);
    for (size_t i = 0; i < len; i++)
        data[i] = (char)(i * 131 % 251);
    char *wsl = stand_in_path();
    const char *argv[] = {wsl, "cat", NULL};
    struct plat_child_spec spec = {
        .argv = argv, .stdin_data = data, .stdin_len = len, .timeout_s = GOOD_S};
    struct plat_child_result r;
    double t0 = plat_now();
    plat_run_children(1, &spec, &r);
    fprintf(stderr, "  3 MiB each way took %.2f s\n", plat_now() - t0);
    CHECK(!r.timed_out);
    CHECK_INT(r.exit_code, 0);
    CHECK_INT(r.out_len, len);
    CHECK(r.out_len == len && memcmp(r.out, data, len) == 0);
    plat_child_result_free(&r);
    free(wsl);
    free(data);
}

static void relay_minus_one(void)
{
    char *wsl = stand_in_path();
    const char *argv[] = {wsl, "fail", NULL};
    struct plat_child_spec spec = {.argv = argv, .timeout_s = GOOD_S};
    struct plat_child_result r;
    plat_run_children(1, &spec, &r);
    CHECK_INT(r.exit_code, -1);
    CHECK_STR(r.out, "Error code: Wsl/Test/E_FAIL\r\n");
    plat_child_result_free(&r);
    free(wsl);
}

static void relay_kill_reaches_emulator(void)
{
    char *wsl = stand_in_path();
    const char *hang[] = {wsl, "hang", NULL};
    struct plat_child_spec spec = {.argv = hang, .timeout_s = 2, .keep_stdin_open = true};
    struct plat_child_result r;
    plat_run_children(1, &spec, &r);
    CHECK(r.timed_out);
    CHECK_STR(r.out, "hanging\n");
    plat_child_result_free(&r);
    /* The emulator and its background child must be gone soon after the stand-in died. */
    const char *check[] = {wsl, "is-dead", NULL};
    spec = (struct plat_child_spec){.argv = check, .timeout_s = GOOD_S};
    int code = -2;
    /* They would live forever: a generous wait tells killed from left behind. */
    double until = plat_now() + GOOD_S;
    for (;;) {
        plat_run_children(1, &spec, &r);
        code = r.exit_code;
        bool last = code == 0 || plat_now() >= until;
        if (code != 0 && last)
            fprintf(stderr, "  still alive: %s%s\n", r.out, r.err);
        plat_child_result_free(&r);
        if (last)
            break;
        Sleep(200);
    }
    CHECK_INT(code, 0);
    free(wsl);
}
#endif

static const struct check_case cases[] = {
    {"arguments with spaces, quotes, backslashes, tabs, empty strings and non-ASCII reach the "
     "child intact",
     args_arrive_intact},
    {"stdin bytes reach the child exactly", stdin_arrives_exactly},
    {"1 MB on stdout and stderr at once does not deadlock", big_output_on_both_streams},
    {"output beyond max_output is read, dropped and flagged", output_beyond_max_is_dropped},
    {"a child that never exits is killed at the timeout", timeout_kills},
    {"a timeout also kills the child's own children", timeout_kills_grandchildren},
    {"parallel children run at the same time (each waits for the others to start)",
     children_run_in_parallel},
    {"70 children at once all finish", many_children_finish},
    {"the stop callback kills the child early", stop_callback_kills_early},
    {"keep_stdin_open leaves stdin open until the child is killed", keep_stdin_open_until_killed},
    {"feed answers the child as it goes, and prods it when it says nothing",
     feed_converses_with_a_child},
    {"env_add reaches the child (WSL_UTF8=1)", env_add_reaches_child},
    {"a missing program gives spawn_error", missing_program_gives_spawn_error},
    {"exit codes 0, 3, 255 and -1 come back as the OS reports them", exit_codes_come_back},
    {"no pipe, process or thread handle outlives a call", nothing_leaks},
    {"files round-trip bytes exactly and max_bytes truncates", files_round_trip},
    {"path join, self dir, getenv and monotonic time", small_functions},
#ifdef _WIN32
    {"the same arguments survive CommandLineToArgvW (wsl.exe -e's parser)", args_survive_shell32},
    {"wsl.exe stand-in relays args, stdin, stdout, stderr and exit code", relay_round_trip},
    {"the relay carries 3 MiB each way without loss", relay_carries_bulk_data},
    {"an emulator exit of 255 reaches Windows as -1", relay_minus_one},
    {"killing the stand-in kills the emulator's process group", relay_kill_reaches_emulator},
#endif
};

int main(int argc, char **argv)
{
    return check_main(cases, CHECK_COUNT(cases), argc, argv);
}
