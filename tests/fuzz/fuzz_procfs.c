/* libFuzzer target for the probe's /proc parsers (probe/procfs.h): status (and its CapEff), stat and cmdline.
 *
 * Input: the bytes of one /proc file as read() returned them. Each input goes through every
 * parser: libFuzzer hands over a buffer of exactly `size` bytes, so ASan catches any
 * read past the end (the parsers promise not to need a terminator). Besides the sanitizers,
 * it aborts when a result breaks procfs.h: text that points outside the buffer, an NSpid
 * longer than the kernel allows, a cmdline walk that does not end or disagrees with the count.
 */
#include <string.h>

#include "fuzz_support.h"
#include "procfs.h"

static void fuzz_status(const char *buf, size_t len)
{
    struct probe_status st;
    if (!probe_parse_status(buf, len, &st))
        return;
    FUZZ_REQUIRE(st.name_len <= PROBE_NAME_MAX);
    FUZZ_REQUIRE(st.nspid_len <= PROBE_MAX_LEVELS);
    FUZZ_REQUIRE(st.has_nspid == (st.nspid_len > 0));
    FUZZ_REQUIRE(st.ppid >= 0);
    for (size_t i = 0; i < st.nspid_len; i++)
        FUZZ_REQUIRE(st.nspid[i] > 0);
}

static void fuzz_cap_eff(const char *buf, size_t len)
{
    uint64_t caps = 0;
    (void)probe_parse_cap_eff(buf, len, &caps);
}

static void fuzz_unescape(const char *buf, size_t len)
{
    /* Never longer than the input, as the contract says: out needs only len bytes. */
    char out[256];
    size_t n = len < sizeof out ? len : sizeof out;
    size_t got = probe_unescape_name(buf, n, out);
    FUZZ_REQUIRE(got <= n);
}

static void fuzz_stat(const char *buf, size_t len)
{
    struct probe_stat st;
    if (!probe_parse_stat(buf, len, &st))
        return;
    FUZZ_REQUIRE(st.comm > buf && st.comm <= buf + len);
    FUZZ_REQUIRE(st.comm_len <= (size_t)(buf + len - st.comm));
    FUZZ_REQUIRE(st.comm[-1] == '(');
    FUZZ_REQUIRE(st.comm + st.comm_len < buf + len && st.comm[st.comm_len] == ')');
    FUZZ_REQUIRE(st.ppid >= 0);
}

static void fuzz_cmdline(const char *buf, size_t len)
{
    size_t pos = 0, count = 0, bytes = 0, arg_len;
    const char *arg;
    while (probe_cmdline_next(buf, len, &pos, &arg, &arg_len)) {
        FUZZ_REQUIRE(arg >= buf && arg + arg_len <= buf + len);
        FUZZ_REQUIRE(memchr(arg, '\0', arg_len) == NULL);
        FUZZ_REQUIRE(pos <= len);
        count++;
        bytes += arg_len;
        /* Each argument but a trailing unterminated one consumes its NUL: the walk ends. */
        FUZZ_REQUIRE(count <= len);
    }
    FUZZ_REQUIRE(count == probe_cmdline_count(buf, len));
    FUZZ_REQUIRE(bytes + count >= len && bytes + count <= len + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    fuzz_status(buf, size);
    fuzz_cap_eff(buf, size);
    fuzz_unescape(buf, size);
    fuzz_stat(buf, size);
    fuzz_cmdline(buf, size);
    return 0;
}
