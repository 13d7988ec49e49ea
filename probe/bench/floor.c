/* floor.c - the cheapest possible scan of /proc that still gets what the probe cannot do
 * without: for every pid, openat+read+close of <pid>/status and fstatat of <pid>/ns/pid.
 * The probe's speed target is measured against this loop (probe/bench/bench.sh).
 *
 *   wslns-probe-floor [ROUNDS]     prints "<pids> pids, <microseconds> us per round"
 *   wslns-probe-floor ROUNDS reads the same loop over every file the probe itself must read per
 *                                  pid as root (status, stat, cmdline, and the ns/pid link
 *                                  where NSpid has more than one pid): what one thread
 *                                  cannot go below, for scripts/bench-probe.sh
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static long scan_once(int procfd)
{
    int dup_fd = dup(procfd);
    if (dup_fd < 0)
        return -1;
    DIR *dir = fdopendir(dup_fd);
    if (!dir) {
        close(dup_fd);
        return -1;
    }
    rewinddir(dir);
    long count = 0;
    char path[300], buf[4096];
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] < '1' || entry->d_name[0] > '9')
            continue;
        snprintf(path, sizeof path, "%s/status", entry->d_name);
        int fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            if (read(fd, buf, sizeof buf) > 0)
                count++;
            close(fd);
        }
        struct stat st;
        snprintf(path, sizeof path, "%s/ns/pid", entry->d_name);
        fstatat(procfd, path, &st, 0);
    }
    closedir(dir);
    return count;
}

static ssize_t read_file(int procfd, const char *path, char *buf, size_t size, long *count)
{
    ssize_t n = -1;
    int fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        n = read(fd, buf, size);
        if (n > 0)
            (*count)++;
        close(fd);
    }
    return n;
}

/* Whether status text shows more than one pid on its NSpid line. */
static int nested(const char *status, ssize_t len)
{
    const char *line = len > 0 ? memmem(status, (size_t)len, "\nNSpid:", 7) : NULL;
    if (!line)
        return 0;
    const char *end = memchr(line + 1, '\n', (size_t)(status + len - line - 1));
    int tabs = 0;
    for (const char *p = line + 7; p < (end ? end : status + len); p++)
        tabs += *p == '\t';
    return tabs > 1;
}

/* The probe's own reads, as it makes them (probe/scan.c) as root, in one thread, without
 * parsing or output (cmdline of kernel threads too, which costs next to nothing; the ns/pid
 * link only where NSpid has more than one pid). */
static long scan_reads(int procfd)
{
    int dup_fd = dup(procfd);
    if (dup_fd < 0)
        return -1;
    DIR *dir = fdopendir(dup_fd);
    if (!dir) {
        close(dup_fd);
        return -1;
    }
    rewinddir(dir);
    long count = 0, files = 0;
    char path[300], buf[4096], link[64];
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] < '1' || entry->d_name[0] > '9')
            continue;
        snprintf(path, sizeof path, "%s/status", entry->d_name);
        int below = nested(buf, read_file(procfd, path, buf, sizeof buf, &count));
        snprintf(path, sizeof path, "%s/stat", entry->d_name);
        read_file(procfd, path, buf, sizeof buf, &files);
        snprintf(path, sizeof path, "%s/ns/pid", entry->d_name);
        if (below && readlinkat(procfd, path, link, sizeof link) > 0)
            files++;
        snprintf(path, sizeof path, "%s/cmdline", entry->d_name);
        read_file(procfd, path, buf, sizeof buf, &files);
    }
    closedir(dir);
    return count;
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 20;
    if (rounds < 1)
        rounds = 1;
    int procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (procfd < 0) {
        perror("/proc");
        return 1;
    }
    struct timespec a, b;
    long count = 0;
    clock_gettime(CLOCK_MONOTONIC, &a);
    int reads = argc > 2 && strcmp(argv[2], "reads") == 0;
    for (int i = 0; i < rounds; i++)
        count = reads ? scan_reads(procfd) : scan_once(procfd);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double us = ((double)(b.tv_sec - a.tv_sec) * 1e6 + (double)(b.tv_nsec - a.tv_nsec) / 1e3);
    printf("%ld pids, %.0f us per round\n", count, us / rounds);
    return count < 0;
}
