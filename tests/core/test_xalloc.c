/* Unit tests of common/xalloc.h: ALLOC_GROW keeps what an array holds while it grows, and
 * running out of memory (or a size that overflows) ends the process with exit 71 and its one
 * line on stderr, never a NULL the caller would have to check. The dying cases run in a
 * forked child, whose exit status and stderr are the proof. */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "xalloc.h"

static void grow_keeps_elements_and_counts_capacity(void)
{
    int *items = NULL;
    size_t nr = 0, alloc = 0;
    for (int i = 0; i < 1000; i++) {
        ALLOC_GROW(items, nr + 1, alloc);
        items[nr++] = i;
    }
    CHECK(alloc >= nr);
    CHECK_INT((long)alloc, 1024); /* 16 doubled six times */
    int kept = 1;
    for (int i = 0; i < 1000; i++)
        kept &= items[i] == i;
    CHECK(kept);
    size_t before = alloc;
    ALLOC_GROW(items, 10, alloc); /* already enough: nothing moves */
    CHECK_INT((long)alloc, (long)before);
    free(items);
}

static void zero_bytes_is_a_pointer(void)
{
    void *a = xmalloc(0), *b = xmalloc(0);
    CHECK(a != NULL && b != NULL && a != b);
    free(a);
    free(b);
}

/* Runs f in a child; returns its exit code (-1 if it did not exit) and its stderr in err. */
static int run_dying(void (*f)(void), char *err, size_t cap)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -2;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        f();
        _exit(0); /* f returned: xalloc did not stop the process */
    }
    close(fds[1]);
    size_t n = 0;
    ssize_t r;
    while (n + 1 < cap && (r = read(fds[0], err + n, cap - 1 - n)) > 0)
        n += (size_t)r;
    err[n] = '\0';
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void overflowing_array(void)
{
    void *p = xreallocarray(NULL, SIZE_MAX / 2, 4);
    free(p);
}

static void overflowing_grow(void)
{
    long long *items = NULL;
    size_t alloc = 0;
    ALLOC_GROW(items, SIZE_MAX / 4, alloc);
    free(items);
}

static void impossible_request(void)
{
    void *p = xmalloc(SIZE_MAX - 64);
    free(p);
}

static void exits_71_with_its_line(void (*f)(void))
{
    char err[256];
    int code = run_dying(f, err, sizeof err);
    CHECK_INT(code, XALLOC_EXIT_CODE);
    CHECK_INT(XALLOC_EXIT_CODE, 71);
    /* Its line comes last (a sanitizer may have warned before it). */
    const char *line = "out of memory: stopped (exit 71)\n";
    size_t n = strlen(err), k = strlen(line);
    CHECK(n >= k && strcmp(err + n - k, line) == 0 && (n == k || err[n - k - 1] == '\n'));
}

static void overflow_in_count_times_size_exits_71(void)
{
    exits_71_with_its_line(overflowing_array);
}

static void overflow_in_growth_exits_71(void)
{
    exits_71_with_its_line(overflowing_grow);
}

static void memory_the_system_refuses_exits_71(void)
{
    exits_71_with_its_line(impossible_request);
}

static const struct check_case cases[] = {
    {"ALLOC_GROW keeps every element and doubles from 16", grow_keeps_elements_and_counts_capacity},
    {"xmalloc(0) gives a distinct pointer, never NULL", zero_bytes_is_a_pointer},
    {"count * size that overflows ends the process with exit 71",
     overflow_in_count_times_size_exits_71},
    {"a growth that overflows ends the process with exit 71", overflow_in_growth_exits_71},
    {"memory the system refuses ends the process with exit 71", memory_the_system_refuses_exits_71},
};

int main(int argc, char **argv)
{
    return check_main(cases, CHECK_COUNT(cases), argc, argv);
}
