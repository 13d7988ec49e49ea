/* The probe's other text handling: os-release parsing and wsl.conf's [automount] root
 * (probe/context.h), and the tree's terminal-safe escape (probe/tree.h). */
#include "check.h"
#include "context.h"
#include "tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *value_of(const struct probe_pairs *pairs, const char *key)
{
    for (size_t i = 0; i < pairs->nr; i++) {
        if (strcmp(pairs->items[i].key.data, key) == 0)
            return pairs->items[i].value.data;
    }
    return NULL;
}

static void os_release_of_ubuntu(void)
{
    const char text[] = "PRETTY_NAME=\"Ubuntu 24.04.1 LTS\"\n"
                        "NAME=\"Ubuntu\"\n"
                        "VERSION_ID=\"24.04\"\n"
                        "ID=ubuntu\n"
                        "ID_LIKE=debian\n"
                        "# a comment\n"
                        "\n"
                        "UBUNTU_CODENAME=noble\n";
    struct probe_pairs pairs = {0};
    probe_parse_os_release(text, sizeof text - 1, &pairs);
    CHECK_INT(pairs.nr, 6);
    CHECK_STR(value_of(&pairs, "PRETTY_NAME"), "Ubuntu 24.04.1 LTS");
    CHECK_STR(value_of(&pairs, "ID"), "ubuntu");
    CHECK_STR(value_of(&pairs, "UBUNTU_CODENAME"), "noble");
    probe_pairs_release(&pairs);
}

static void os_release_quotes_escapes_and_crlf(void)
{
    const char text[] = "NAME='Azure Linux'\r\n"
                        "PRETTY_NAME=\"CBL-Mariner \\\"2.0\\\" \\\\ x\"\n"
                        "ID=mariner\r\n"
                        "not an assignment\n"
                        "EMPTY=\n"
                        "LAST=no-newline";
    struct probe_pairs pairs = {0};
    probe_parse_os_release(text, sizeof text - 1, &pairs);
    CHECK_STR(value_of(&pairs, "NAME"), "Azure Linux");
    CHECK_STR(value_of(&pairs, "PRETTY_NAME"), "CBL-Mariner \"2.0\" \\ x");
    CHECK_STR(value_of(&pairs, "ID"), "mariner");
    CHECK_STR(value_of(&pairs, "EMPTY"), "");
    CHECK_STR(value_of(&pairs, "LAST"), "no-newline");
    CHECK_INT(pairs.nr, 5);
    probe_pairs_release(&pairs);
}

/* The root as WSL's init uses it for the WSLg share: its [automount] section only, the first
 * root, a '/' appended; NULL when unset (the caller's default is /mnt/). */
static void automount_root_as_wsl_uses_it(void)
{
    size_t len = 0;
    const char a[] = "[boot]\nroot=/nope\n[AutoMount] # drives\n  Root = /mnt/host  # here\n"
                     "root=/second\n";
    char *r = probe_automount_root(a, sizeof a - 1, &len);
    CHECK_STR(r, "/mnt/host/");
    CHECK(r && len == 10);
    free(r);
    const char b[] = "[automount]\r\nroot=\"/c d/\"\r\n";
    r = probe_automount_root(b, sizeof b - 1, &len);
    CHECK_STR(r, "/c d/");
    free(r);
    const char c[] = "[automount]\nenabled=false\n[general]\nroot=/x\n";
    CHECK(probe_automount_root(c, sizeof c - 1, &len) == NULL);
    const char d[] = "[automount]\nroot=/";
    r = probe_automount_root(d, sizeof d - 1, &len);
    CHECK_STR(r, "/");
    free(r);
    /* a value longer than the cap is not used */
    char *big = malloc(PROBE_AUTOMOUNT_ROOT_MAX + 32);
    CHECK(big != NULL);
    if (big) {
        size_t n = (size_t)sprintf(big, "[automount]\nroot=");
        memset(big + n, 'a', PROBE_AUTOMOUNT_ROOT_MAX + 1);
        CHECK(probe_automount_root(big, n + PROBE_AUTOMOUNT_ROOT_MAX + 1, &len) == NULL);
        free(big);
    }
}

/* mountinfo lines as the kernel writes them, and as a distro's root can shape them through
 * mount point names (escaped by the kernel) and lengths. */
static void mountinfo_lines_parse_safely(void)
{
    struct probe_mount_line m;
    const char a[] = "512 480 254:1 /tmp/lab/fs/wslg-Ubuntu/.X11-unix /tmp/.X11-unix "
                     "ro,relatime shared:5 - ext4 /dev/vda rw,discard";
    CHECK(probe_parse_mount_line(a, a + sizeof a - 1, &m));
    CHECK(m.id == 512 && m.read_only);
    CHECK_STR(m.point, "/tmp/.X11-unix");
    CHECK(m.fstype && m.fstype_len == 4 && strncmp(m.fstype, "ext4", 4) == 0);
    const char b[] = "7 1 0:30 / /mnt/my\\040dir\\012x rw,rox - tmpfs tmpfs rw";
    CHECK(probe_parse_mount_line(b, b + sizeof b - 1, &m));
    CHECK_STR(m.point, "/mnt/my dir\nx");
    CHECK(!m.read_only && m.fstype_len == 5);
    const char c[] = "9 1 0:30 / /tmp rw";
    CHECK(probe_parse_mount_line(c, c + sizeof c - 1, &m) && m.fstype == NULL);
    const char d[] = "garbage";
    CHECK(!probe_parse_mount_line(d, d + sizeof d - 1, &m));
    /* a mount point longer than the buffer is refused, not cut */
    size_t n = 8 + 5000 + 16;
    char *big = malloc(n + 1);
    CHECK(big != NULL);
    if (big) {
        memcpy(big, "1 1 0:1 / /", 11);
        memset(big + 11, 'a', n - 11 - 4);
        memcpy(big + n - 4, " rw", 4);
        CHECK(!probe_parse_mount_line(big, big + strlen(big), &m));
        free(big);
    }
}

static void tree_escape_keeps_terminal_safe(void)
{
    struct strbuf sb = STRBUF_INIT;
    const char odd[] =
        "a\\b\nc\td\x1b[31m\x7f\xc2\x9b\xff caf\xc3\xa9 rtl\xe2\x80\xaez\xe2\x80\x8bw";
    probe_tree_escape(&sb, odd, sizeof odd - 1);
    CHECK_STR(sb.data,
              "a\\\\b\\nc\\td\\e[31m\\x7f\\u{009b}\\xff caf\xc3\xa9 rtl\\u{202e}z\\u{200b}w");
    strbuf_release(&sb);
}

static const struct check_case cases[] = {
    {"os-release parser reads Ubuntu's file, skipping comments and blank lines",
     os_release_of_ubuntu},
    {"os-release parser removes single and double quotes, unescapes, trims CR",
     os_release_quotes_escapes_and_crlf},
    {"wsl.conf [automount] root: its section, first key, '/' appended, capped",
     automount_root_as_wsl_uses_it},
    {"mountinfo lines: escapes undone, ro, fstype, odd and oversized lines refused",
     mountinfo_lines_parse_safely},
    {"tree escape writes controls, C1, bidi and invisible characters, backslashes and bad bytes "
     "as escapes",
     tree_escape_keeps_terminal_safe},
};

int main(int argc, char **argv)
{
    return check_main(cases, CHECK_COUNT(cases), argc, argv);
}
