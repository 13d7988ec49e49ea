/* The probe's pure /proc parsers (probe/procfs.h), fed with fixtures and generated text. */
#include "check.h"
#include "procfs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads tests/probe/data/<name> whole; the caller frees. */
static char *fixture(const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", WSLNS_PROBE_DATA, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "  cannot open %s\n", path);
        *len = 0;
        return NULL;
    }
    char *buf = malloc(1 << 16);
    *len = buf ? fread(buf, 1, 1 << 16, f) : 0;
    fclose(f);
    return buf;
}

static void status_reads_five_levels(void)
{
    size_t len;
    char *text = fixture("status-5-levels.txt", &len);
    struct probe_status st;
    CHECK(text && probe_parse_status(text, len, &st));
    CHECK(st.has_nspid);
    CHECK_INT(st.nspid_len, 5);
    CHECK_INT(st.nspid[0], 48950);
    CHECK_INT(st.nspid[1], 4578);
    CHECK_INT(st.nspid[2], 4419);
    CHECK_INT(st.nspid[3], 12);
    CHECK_INT(st.nspid[4], 7);
    CHECK_INT(st.ppid, 48949);
    CHECK_INT(st.uid, 1000);
    CHECK_INT(st.state, 'S');
    free(text);
}

static void status_unescapes_name(void)
{
    size_t len;
    char *text = fixture("status-5-levels.txt", &len);
    struct probe_status st;
    CHECK(text && probe_parse_status(text, len, &st));
    /* The kernel wrote the name `my \odd<newline>(name)` as `my \\odd\n(name)`. */
    const char expected[] = "my \\odd\n(name)";
    CHECK_INT(st.name_len, sizeof expected - 1);
    CHECK(memcmp(st.name, expected, sizeof expected - 1) == 0);
    free(text);
}

static void status_without_nspid(void)
{
    size_t len;
    char *text = fixture("status-no-nspid.txt", &len);
    struct probe_status st;
    CHECK(text && probe_parse_status(text, len, &st));
    CHECK(!st.has_nspid);
    CHECK_INT(st.nspid_len, 0);
    CHECK_INT(st.name_len, 4);
    free(text);
}

/* NSpid of 1..5 levels, generated, each with the own pid last. */
static void status_reads_one_to_five_levels(void)
{
    for (int levels = 1; levels <= 5; levels++) {
        char text[512];
        int n = snprintf(text, sizeof text,
                         "Name:\tsleep\nState:\tS (sleeping)\nTgid:\t9\nPid:\t9\nPPid:\t1\n"
                         "Uid:\t0\t0\t0\t0\nNSpid:");
        for (int l = 0; l < levels; l++)
            n += snprintf(text + n, sizeof text - (size_t)n, "\t%d", 100 - 10 * l);
        n += snprintf(text + n, sizeof text - (size_t)n, "\nThreads:\t1\n");
        struct probe_status st;
        CHECK(probe_parse_status(text, (size_t)n, &st));
        CHECK_INT(st.nspid_len, levels);
        CHECK_INT(st.nspid[0], 100);
        CHECK_INT(st.nspid[levels - 1], 100 - 10 * (levels - 1));
    }
}

/* A process in 65,536 supplementary groups has a Groups line of several hundred KB; the
 * parser must read past it to the NSpid line. */
static void status_with_huge_groups_line(void)
{
    size_t cap = 200 * 1024, n = 0;
    char *text = malloc(cap);
    CHECK(text != NULL);
    if (!text)
        return;
    n += (size_t)snprintf(text, cap,
                          "Name:\tbig\nState:\tR (running)\nPPid:\t7\n"
                          "Uid:\t5\t5\t5\t5\nGroups:\t");
    while (n < 100 * 1024)
        n += (size_t)snprintf(text + n, cap - n, "%zu ", n);
    n += (size_t)snprintf(text + n, cap - n, "\nNStgid:\t3\t2\nNSpid:\t3\t2\nKthread:\t0\n");
    struct probe_status st;
    CHECK(probe_parse_status(text, n, &st));
    CHECK_INT(st.nspid_len, 2);
    CHECK_INT(st.nspid[1], 2);
    CHECK_INT(st.uid, 5);
    free(text);
}

static void status_rejects_garbage(void)
{
    struct probe_status st;
    CHECK(!probe_parse_status("", 0, &st));
    const char cut[] = "Name:\tx\nState:\tS\n"; /* cut before PPid and Uid */
    CHECK(!probe_parse_status(cut, sizeof cut - 1, &st));
    const char bad[] = "Name:\tx\nPPid:\t1\nUid:\t0\nNSpid:\t5\tx\n";
    CHECK(!probe_parse_status(bad, sizeof bad - 1, &st));
    /* The status buffer is not NUL-terminated: the parser must stop at len. */
    const char whole[] = "Name:\tx\nPPid:\t1\nUid:\t0\nNSpid:\t12345";
    CHECK(probe_parse_status(whole, sizeof whole - 3, &st));
    CHECK_INT(st.nspid[0], 123);
}

static void status_name_with_leading_tab_and_spaces(void)
{
    const char text[] = "Name:\t\t a b \nPPid:\t1\nUid:\t0\nNSpid:\t1\n";
    struct probe_status st;
    CHECK(probe_parse_status(text, sizeof text - 1, &st));
    /* Only the tab after the colon is syntax; the name is "<tab> a b ". */
    CHECK_INT(st.name_len, 6);
    CHECK(memcmp(st.name, "\t a b ", 6) == 0);
}

static void stat_comm_ends_at_last_paren(void)
{
    size_t len;
    char *text = fixture("stat-odd-comm.txt", &len);
    struct probe_stat st;
    CHECK(text && probe_parse_stat(text, len, &st));
    CHECK_INT(st.comm_len, 8);
    CHECK(st.comm && memcmp(st.comm, "a) (b) c", 8) == 0);
    CHECK_INT(st.state, 'S');
    CHECK_INT(st.ppid, 4418);
    CHECK(st.starttime == 123456789012ull);
    CHECK((st.flags & PROBE_PF_KTHREAD) == 0);
    free(text);
}

static void stat_of_kernel_thread(void)
{
    const char text[] = "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 26 0 0 "
                        "18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 17 1 0 0 0 0 0\n";
    struct probe_stat st;
    CHECK(probe_parse_stat(text, sizeof text - 1, &st));
    CHECK((st.flags & PROBE_PF_KTHREAD) != 0);
    CHECK(st.starttime == 26);
    CHECK_INT(st.comm_len, 8);
}

static void stat_with_empty_and_newline_comm(void)
{
    const char text[] = "7 (a\nb) R 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 99 0 0\n";
    struct probe_stat st;
    CHECK(probe_parse_stat(text, sizeof text - 1, &st));
    CHECK_INT(st.comm_len, 3);
    CHECK(st.starttime == 99);
    const char empty[] = "7 () R 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0\n";
    CHECK(probe_parse_stat(empty, sizeof empty - 1, &st));
    CHECK_INT(st.comm_len, 0);
    CHECK(!probe_parse_stat("7 (x) R 1", 9, &st)); /* cut before starttime */
    CHECK(!probe_parse_stat("no parens", 9, &st));
}

static void cmdline_of_kernel_thread_is_empty(void)
{
    size_t pos = 0, n;
    const char *arg;
    CHECK(!probe_cmdline_next("", 0, &pos, &arg, &n));
    CHECK_INT(probe_cmdline_count("", 0), 0);
}

static void cmdline_splits_on_nul(void)
{
    size_t len;
    char *text = fixture("cmdline-args.bin", &len);
    CHECK(text != NULL);
    if (!text)
        return;
    CHECK_INT(probe_cmdline_count(text, len), 4);
    size_t pos = 0, n;
    const char *arg;
    CHECK(probe_cmdline_next(text, len, &pos, &arg, &n));
    CHECK(n == 16 && memcmp(arg, "/usr/bin/python3", 16) == 0);
    CHECK(probe_cmdline_next(text, len, &pos, &arg, &n));
    CHECK(n == 2 && memcmp(arg, "-c", 2) == 0);
    CHECK(probe_cmdline_next(text, len, &pos, &arg, &n));
    CHECK(n == 12 && memcmp(arg, "print(\"a b\")", 12) == 0);
    CHECK(probe_cmdline_next(text, len, &pos, &arg, &n));
    CHECK(n == 10 && memcmp(arg, "--name=x\ny", 10) == 0);
    CHECK(!probe_cmdline_next(text, len, &pos, &arg, &n));
    free(text);
}

static void cmdline_last_arg_without_nul_counts(void)
{
    size_t len;
    char *text = fixture("cmdline-no-trailing-nul.bin", &len);
    CHECK(text != NULL);
    if (!text)
        return;
    CHECK_INT(probe_cmdline_count(text, len), 2);
    size_t pos = 0, n;
    const char *arg;
    probe_cmdline_next(text, len, &pos, &arg, &n);
    CHECK(probe_cmdline_next(text, len, &pos, &arg, &n));
    CHECK(n == 6 && memcmp(arg, "680001", 6) == 0);
    free(text);
}

static void cmdline_keeps_empty_args(void)
{
    const char text[] = "a\0\0b"; /* "a", "", "b" */
    CHECK_INT(probe_cmdline_count(text, 4), 3);
    const char trailing[] = "a\0\0"; /* "a", "" */
    CHECK_INT(probe_cmdline_count(trailing, 3), 2);
}

static void ns_link_gives_the_inode(void)
{
    uint64_t inode = 0;
    CHECK(probe_parse_ns_link("pid:[4026531836]", 16, &inode));
    CHECK(inode == 4026531836u);
    CHECK(!probe_parse_ns_link("net:[4026531840]", 16, &inode));
    CHECK(!probe_parse_ns_link("pid:[4026531836", 15, &inode));
    CHECK(!probe_parse_ns_link("pid:[]", 6, &inode));
    CHECK(!probe_parse_ns_link("pid:[12]x", 9, &inode));
    /* Not NUL-terminated, as readlink returns it: stop at len. */
    CHECK(probe_parse_ns_link("pid:[77]]]", 8, &inode));
    CHECK(inode == 77);
    /* the other types' links, for each namespace's "ns" object */
    CHECK(probe_parse_ns_link_of("cgroup", "cgroup:[4026531835]", 19, &inode));
    CHECK(inode == 4026531835u);
    CHECK(!probe_parse_ns_link_of("net", "mnt:[4026531840]", 16, &inode));
    CHECK(!probe_parse_ns_link_of("net", "net[4026531840]", 15, &inode));
    CHECK(!probe_parse_ns_link_of("time", "time:[]", 7, &inode));
    CHECK(!probe_parse_ns_link_of("uts", "uts:[0]", 7, &inode));
}

static void cap_eff_reads_the_effective_mask(void)
{
    size_t len;
    char *text = fixture("status-5-levels.txt", &len);
    uint64_t caps = 0;
    CHECK(text && probe_parse_cap_eff(text, len, &caps));
    CHECK(caps == UINT64_C(0x000001fffeffffff));
    CHECK((caps >> PROBE_CAP_SYS_PTRACE & 1) == 1);
    free(text);
    static const char none[] = "Name:\tx\nCapPrm:\tffffffffffffffff\nCapEff:\t0000000000000000\n";
    CHECK(probe_parse_cap_eff(none, sizeof none - 1, &caps) && caps == 0);
    static const char missing[] = "Name:\tx\nCapPrm:\tffffffffffffffff\n";
    CHECK(!probe_parse_cap_eff(missing, sizeof missing - 1, &caps));
    static const char too_long[] = "CapEff:\t00000000000000000\n";
    CHECK(!probe_parse_cap_eff(too_long, sizeof too_long - 1, &caps));
    static const char cut[] = "CapEff:\t";
    CHECK(!probe_parse_cap_eff(cut, sizeof cut - 1, &caps));
    static const char not_hex[] = "CapEff:\t00000000000000zz\n";
    CHECK(!probe_parse_cap_eff(not_hex, sizeof not_hex - 1, &caps));
}

/* A task being reaped: State X and its pids detached, so NSpid reads 0. The parser refuses
 * it (no pid to place) but has read State first, which the scan uses to skip it silently. */
static void status_of_a_dead_task_is_refused_with_state_x(void)
{
    const char text[] = "Name:\ttrue\nState:\tX (dead)\nTgid:\t623\nPid:\t623\nPPid:\t2\n"
                        "Uid:\t0\t0\t0\t0\nNStgid:\t0\nNSpid:\t0\nNSpgid:\t0\n";
    struct probe_status st;
    CHECK(!probe_parse_status(text, sizeof text - 1, &st));
    CHECK_INT(st.state, 'X');
}

static const struct check_case cases[] = {
    {"a dead task's status (State X, NSpid 0) is refused, its state read",
     status_of_a_dead_task_is_refused_with_state_x},
    {"status parser reads a 5-level NSpid, PPid, real Uid, State", status_reads_five_levels},
    {"status parser unescapes \\n and \\\\ in Name", status_unescapes_name},
    {"status parser flags a status without NSpid (WSL 1)", status_without_nspid},
    {"status parser reads NSpid of 1..5 levels", status_reads_one_to_five_levels},
    {"status parser reads past a 100 KB Groups line", status_with_huge_groups_line},
    {"status parser rejects cut or malformed text and stays within len", status_rejects_garbage},
    {"status parser keeps a Name's own leading tab and spaces",
     status_name_with_leading_tab_and_spaces},
    {"stat parser: comm with ') (' ends at the last ')'; starttime is field 22",
     stat_comm_ends_at_last_paren},
    {"stat parser sees PF_KTHREAD of a kernel thread", stat_of_kernel_thread},
    {"stat parser takes newline and empty comm, rejects cut text",
     stat_with_empty_and_newline_comm},
    {"cmdline of a kernel thread has no argument", cmdline_of_kernel_thread_is_empty},
    {"cmdline splits on NUL, keeping spaces, quotes and newlines", cmdline_splits_on_nul},
    {"cmdline's last argument without a trailing NUL still counts",
     cmdline_last_arg_without_nul_counts},
    {"cmdline keeps empty arguments", cmdline_keeps_empty_args},
    {"ns/pid link text gives the namespace inode", ns_link_gives_the_inode},
    {"status CapEff gives the effective capabilities (CAP_SYS_PTRACE among them)",
     cap_eff_reads_the_effective_mask},
};

int main(int argc, char **argv)
{
    return check_main(cases, CHECK_COUNT(cases), argc, argv);
}
