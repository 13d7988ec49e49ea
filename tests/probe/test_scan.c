/* The scanner's building blocks (probe/scan.h): whole-file reads with one fixed buffer and a
 * growable one, errno names, and one scan of this machine's /proc. */
#include "check.h"
#include "scan.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Writes n bytes of a pattern to a new temporary file; returns its path (static). */
static const char *temp_file(size_t n)
{
    static char path[] = "/tmp/wslns-probe-test-XXXXXX";
    strcpy(path, "/tmp/wslns-probe-test-XXXXXX");
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    char *bytes = malloc(n ? n : 1);
    CHECK(bytes != NULL);
    for (size_t i = 0; bytes && i < n; i++)
        bytes[i] = (char)('a' + i % 26);
    CHECK(bytes && write(fd, bytes, n) == (ssize_t)n);
    free(bytes);
    close(fd);
    return path;
}

static void read_at_small_file_uses_the_fixed_buffer(void)
{
    const char *path = temp_file(100);
    char small[256], *big = NULL;
    size_t big_alloc = 0, len = 0;
    const char *data = NULL;
    CHECK_INT(probe_read_at(AT_FDCWD, path, small, sizeof small, &big, &big_alloc, &data, &len), 0);
    CHECK_INT(len, 100);
    CHECK(data == small);
    CHECK(big == NULL);
    unlink(path);
}

static void read_at_large_file_continues_in_the_growable_buffer(void)
{
    const char *path = temp_file(300 * 1024 + 7);
    char small[64], *big = NULL;
    size_t big_alloc = 0, len = 0;
    const char *data = NULL;
    CHECK_INT(probe_read_at(AT_FDCWD, path, small, sizeof small, &big, &big_alloc, &data, &len), 0);
    CHECK_INT(len, 300 * 1024 + 7);
    CHECK(data == big);
    bool same = data != NULL;
    for (size_t i = 0; same && i < len; i++)
        same = data[i] == (char)('a' + i % 26);
    CHECK(same);
    /* Exactly the size of the fixed buffer: the read that returns 0 ends it. */
    unlink(path);
    path = temp_file(64);
    CHECK_INT(probe_read_at(AT_FDCWD, path, small, sizeof small, &big, &big_alloc, &data, &len), 0);
    CHECK_INT(len, 64);
    CHECK(memcmp(data, "abcdefghijklmnopqrstuvwxyz", 26) == 0);
    free(big);
    unlink(path);
}

static void read_at_reports_errno(void)
{
    char small[16], *big = NULL;
    size_t big_alloc = 0, len;
    const char *data;
    CHECK_INT(probe_read_at(AT_FDCWD, "/nonexistent/wslns", small, sizeof small, &big, &big_alloc,
                            &data, &len),
              ENOENT);
}

static void errno_names(void)
{
    char buf[16];
    CHECK_STR(probe_errno_name(EACCES, buf), "EACCES");
    CHECK_STR(probe_errno_name(ESRCH, buf), "ESRCH");
    CHECK_STR(probe_errno_name(9999, buf), "E9999");
}

static void scan_of_this_machine_finds_itself(void)
{
    int procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    CHECK(procfd >= 0);
    struct probe_view view;
    char *message = NULL;
    CHECK_INT(probe_scan(procfd, &view, &message), PROBE_SCAN_OK);
    CHECK(message == NULL);
    CHECK(view.self_index >= 0);
    if (view.self_index >= 0) {
        const struct probe_process *self = &view.processes[view.self_index];
        CHECK_INT(self->nspid[0], self->pid);
        CHECK(self->pidns != 0);
        const struct probe_namespace *ns = probe_view_namespace(&view, self->pidns);
        CHECK(ns != NULL);
        CHECK(ns && ns->level == (int)self->nspid_len - 1);
        CHECK(ns && ns->nprocesses >= 1);
        CHECK(self->comm_len > 0 && self->comm[self->comm_len] == '\0');
    }
    for (size_t i = 1; i < view.namespace_nr; i++)
        CHECK(view.namespaces[i - 1].level <= view.namespaces[i].level);
    free(message);
    probe_view_release(&view);
    close(procfd);
}

static const struct check_case cases[] = {
    {"read_at takes a small file with one read into the fixed buffer",
     read_at_small_file_uses_the_fixed_buffer},
    {"read_at continues a large file in the growable buffer, byte for byte",
     read_at_large_file_continues_in_the_growable_buffer},
    {"read_at returns the errno of a failed open", read_at_reports_errno},
    {"errno names for errors[]", errno_names},
    {"scan of this machine lists the probe with its namespace", scan_of_this_machine_finds_itself},
};

int main(int argc, char **argv)
{
    return check_main(cases, CHECK_COUNT(cases), argc, argv);
}
