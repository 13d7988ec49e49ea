/* check.h - the unit-test harness: a table of named cases, each a function that uses CHECK.
 *
 *   static void status_reads_nspid(void) { CHECK(x == 3); CHECK_STR(a, "b"); }
 *   static const struct check_case cases[] = {
 *       {"status parser reads a 3-level NSpid", status_reads_nspid},
 *   };
 *   int main(int argc, char **argv) { return check_main(cases, CHECK_COUNT(cases), argc, argv); }
 *
 * `exe` runs every case; `exe SUBSTRING` only those whose name contains it; `exe --list`
 * prints the names. Every case prints "ok - name" or "FAIL - name" with the failed checks;
 * the exit code is 1 when any check failed, so CTest sees it.
 */
#ifndef WSLNS_CHECK_H
#define WSLNS_CHECK_H

#include <stdio.h>
#include <string.h>

struct check_case {
    const char *name;
    void (*run)(void);
};

static int check_failures_in_case;

#define CHECK_COUNT(a) (sizeof(a) / sizeof((a)[0]))

#define CHECK(cond)                                                                    \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            fprintf(stderr, "  %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            check_failures_in_case++;                                                  \
        }                                                                              \
    } while (0)

#define CHECK_INT(actual, expected)                                                     \
    do {                                                                                \
        long long check_a_ = (long long)(actual), check_e_ = (long long)(expected);     \
        if (check_a_ != check_e_) {                                                     \
            fprintf(stderr, "  %s:%d: %s is %lld, expected %lld\n", __FILE__, __LINE__, \
                    #actual, check_a_, check_e_);                                       \
            check_failures_in_case++;                                                   \
        }                                                                               \
    } while (0)

#define CHECK_STR(actual, expected)                                                         \
    do {                                                                                    \
        const char *check_a_ = (actual), *check_e_ = (expected);                            \
        if (!check_a_ || !check_e_ || strcmp(check_a_, check_e_) != 0) {                    \
            fprintf(stderr, "  %s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, \
                    #actual, check_a_ ? check_a_ : "(null)", check_e_ ? check_e_ : "(null)"); \
            check_failures_in_case++;                                                       \
        }                                                                                   \
    } while (0)

static inline int check_main(const struct check_case *cases, size_t n, int argc, char **argv)
{
    const char *filter = argc > 1 ? argv[1] : NULL;
    if (filter && strcmp(filter, "--list") == 0) {
        for (size_t i = 0; i < n; i++)
            printf("%s\n", cases[i].name);
        return 0;
    }
    int failed = 0, ran = 0;
    for (size_t i = 0; i < n; i++) {
        if (filter && !strstr(cases[i].name, filter))
            continue;
        check_failures_in_case = 0;
        cases[i].run();
        ran++;
        printf("%s - %s\n", check_failures_in_case ? "FAIL" : "ok", cases[i].name);
        fflush(stdout);
        if (check_failures_in_case)
            failed++;
    }
    printf("%d passed, %d failed\n", ran - failed, failed);
    return failed || ran == 0 ? 1 : 0;
}

#endif
