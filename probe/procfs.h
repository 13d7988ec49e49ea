/* procfs.h - pure parsers for the /proc files the probe reads (status, stat, cmdline).
 *
 * Contract:
 * - Every function works on a byte buffer (pointer + length) exactly as read() returned it: no
 *   NUL terminator is needed or assumed, nothing is read outside [buf, buf + len), nothing is
 *   allocated and no system call is made. Unit tests feed them fixtures.
 * - Results that are text point INTO the caller's buffer (stat comm, cmdline arguments) or are
 *   copied into fixed arrays inside the result struct (status Name): they live as long as the
 *   buffer / the struct.
 * - Parsers return false when the text does not have the shape the kernel writes (a file cut
 *   short, not a /proc file); fields the kernel may legitimately omit are flagged instead
 *   (`has_nspid` is false on kernels before 4.1 and on WSL 1).
 */
#ifndef WSLNS_PROBE_PROCFS_H
#define WSLNS_PROBE_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The kernel nests pid namespaces at most 32 deep (MAX_PID_NS_LEVEL); 33 pids is the longest
 * NSpid line. A longer line is refused as malformed rather than cut. */
#define PROBE_MAX_LEVELS 33

/* Name in status is the task comm (at most 15 bytes), but kernel worker threads show
 * "kworker/u8:2-events_unbound"-style names up to 63 bytes. Escaped, a byte takes 2. */
#define PROBE_NAME_MAX 64

/* The kernel's PROC_PID_INIT_INO: the inode of the initial pid namespace, which has no parent. */
#define PROBE_INIT_PIDNS_INODE UINT64_C(4026531836)

struct probe_status {
    char name[PROBE_NAME_MAX]; /* unescaped Name (see probe_parse_status), not NUL-terminated */
    size_t name_len;
    char state; /* first letter of State ('R', 'S', 'Z', ...), '?' when absent */
    int ppid;
    uint32_t uid; /* real uid: first number of the Uid line */
    int nspid[PROBE_MAX_LEVELS];
    size_t nspid_len; /* 0 when there is no NSpid line */
    bool has_nspid;
};

/* Parses status text. Name is unescaped: the kernel writes '\n' as the two bytes "\n" and '\\'
 * as "\\" (string_escape_mem with ESCAPE_SPACE|ESCAPE_SPECIAL limited to "\n\\"); every other
 * byte is written raw. Requires Name, PPid and Uid lines; NSpid is optional. */
bool probe_parse_status(const char *buf, size_t len, struct probe_status *out);

/* Reverses the kernel's escaping of status Name into out (room for n bytes is enough: the
 * result is never longer than the input). Returns the unescaped length. */
size_t probe_unescape_name(const char *in, size_t n, char *out);

struct probe_stat {
    const char *comm; /* raw comm bytes between the first '(' and the LAST ')' */
    size_t comm_len;
    char state;
    int ppid;
    uint32_t flags;     /* field 9: PF_* flags; PF_KTHREAD marks kernel threads */
    uint64_t starttime; /* field 22: clock ticks after boot */
};

/* The kernel's PF_KTHREAD bit in stat's flags field. */
#define PROBE_PF_KTHREAD 0x00200000u

/* CAP_SYS_PTRACE: its bit in the capability masks of status. */
#define PROBE_CAP_SYS_PTRACE 19

/* Reads the CapEff line of status text (the effective capabilities: hexadecimal, up to 16
 * digits) into *caps. False when there is no such line or it is malformed. */
bool probe_parse_cap_eff(const char *buf, size_t len, uint64_t *caps);

/* Parses stat text. comm may contain anything, including ") (" and spaces: it ends at the
 * last ')' of the line, which is safe because no later field can contain ')'. */
bool probe_parse_stat(const char *buf, size_t len, struct probe_stat *out);

/* Parses the target of a /proc/<pid>/ns/pid link, "pid:[4026531836]", into the namespace's
 * inode (the same number fstat gives). False for any other text. */
bool probe_parse_ns_link(const char *buf, size_t len, uint64_t *inode);

/* The same for a link of any type: "<type>:[<inode>]" (type "mnt", "net", ...). */
bool probe_parse_ns_link_of(const char *type, const char *buf, size_t len, uint64_t *inode);

/* Walks the NUL-separated arguments of cmdline text. Start with *pos = 0; each call stores the
 * next argument in *arg / *arg_len and returns true, or returns false when none is left. A last
 * argument without a trailing NUL still counts; an empty buffer (kernel threads, zombies) has
 * no argument; "a\0\0b" has three ("a", "", "b"). */
bool probe_cmdline_next(const char *buf, size_t len, size_t *pos, const char **arg,
                        size_t *arg_len);

/* Number of arguments probe_cmdline_next would return. */
size_t probe_cmdline_count(const char *buf, size_t len);

#endif
