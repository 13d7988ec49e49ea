/* libFuzzer target for the debug-shell stream cutter (win/wsl/debugshell.h): the stop function
 * fed the tty stream read by read, then the final cut.
 *
 * Input: byte 0 holds flags (bit 0: round trip, bits 1-2: the tty's line ending, bits 3-7:
 * the largest read), bytes 1-4 seed the sizes of the reads, the rest is the payload.
 * - Raw mode: the payload is the whole tty stream (the markers use nonce 1234abcd; the
 *   seeds and the dictionary hold them).
 * - Round trip: the payload is a probe document; the target wraps it as the debug shell
 *   would (banner, prompt, echoed command, markers, CRLF) and requires the cut to give the
 *   document back exactly with the exit status.
 * In both, the stop function fed read by read must answer as a fresh scan of the same bytes,
 * and a successful cut implies that stop had said yes (the platform stops reading there).
 * Raw mode also holds a conversation (debugshell_feed) over the stream: the script goes at
 * most once, only after the answer line to the last ready echo.
 */
#include <string.h>

#include "wsl/debugshell.h"
#include "fuzz_support.h"
#include "strbuf.h"

#define NONCE 0x1234abcdULL

static const char *const line_ends[] = {"\r\n", "\r\r\n", "\n", "\r\n"};

static uint32_t next_random(uint32_t *state)
{
    /* xorshift32: the read sizes only need to vary, reproducibly per input. */
    uint32_t x = *state ? *state : 0x9e3779b9u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

static bool fresh_stop(const char *out, size_t len)
{
    struct debugshell ds;
    debugshell_init(&ds, NONCE);
    return debugshell_stop(out, len, &ds);
}

/* Feeds out in random-sized reads as plat_run_children does; returns how many bytes were
 * read when stop said yes, or len when it never did. */
static size_t feed(const char *out, size_t len, uint32_t seed, size_t max_read, bool *stopped)
{
    struct debugshell ds;
    debugshell_init(&ds, NONCE);
    size_t have = 0;
    *stopped = false;
    while (have < len) {
        have += 1 + next_random(&seed) % max_read;
        if (have > len)
            have = len;
        bool stop = debugshell_stop(out, have, &ds);
        FUZZ_REQUIRE(stop == fresh_stop(out, have));
        if (stop) {
            *stopped = true;
            return have;
        }
    }
    return have;
}

/* Cuts out[0..len); checks what debugshell.h promises of a result. True on success. */
static bool cut(const char *out, size_t len, bool stopped, char **doc, size_t *doc_len, int *status)
{
    struct debugshell ds;
    debugshell_init(&ds, NONCE);
    char *err = debugshell_cut(&ds, out, len, doc, doc_len, status);
    if (err) {
        FUZZ_REQUIRE(*doc == NULL && *err != '\0');
        free(err);
        return false;
    }
    FUZZ_REQUIRE(*doc != NULL && (*doc)[*doc_len] == '\0' && *doc_len <= len);
    FUZZ_REQUIRE(stopped);
    for (size_t i = 0; i + 1 < *doc_len; i++)
        FUZZ_REQUIRE(!((*doc)[i] == '\r' && (*doc)[i + 1] == '\n'));
    return true;
}

/* The conversation (debugshell_feed) over the same stream read by read, on a clock that
 * moves 0.1 s per read: the script goes at most once, and only after the whole answer line
 * to the last ready echo sent has arrived. */
static double fake_clock;
static double clock_now(void)
{
    return fake_clock;
}

static void converse(const char *out, size_t len, uint32_t seed, size_t max_read)
{
    struct debugshell ds;
    debugshell_init(&ds, NONCE);
    debugshell_start(&ds, "SCRIPT", 6, clock_now);
    fake_clock = 0;
    size_t have = 0, sent_at = 0;
    unsigned scripts = 0, resets = 0;
    for (;;) {
        size_t n = 0;
        const char *p = debugshell_feed(out, have, &n, &ds);
        if (p && n == 6 && memcmp(p, "SCRIPT", 6) == 0) {
            scripts++;
            size_t m = strlen(ds.ready);
            bool answered = false;
            for (size_t i = sent_at; i + m < have && !answered; i++)
                answered =
                    memcmp(out + i, ds.ready, m) == 0 && (out[i + m] == '\r' || out[i + m] == '\n');
            FUZZ_REQUIRE(answered);
        } else if (p && n > 1) {
            /* the first ready echo goes alone, each later one follows its own Ctrl+C */
            FUZZ_REQUIRE(ds.pings == resets + 1);
            sent_at = have;
        } else if (p && n == 1) {
            FUZZ_REQUIRE(*p == '\x03');
            resets++;
        }
        if (have == len)
            break;
        have += 1 + next_random(&seed) % max_read;
        if (have > len)
            have = len;
        fake_clock += 0.1;
    }
    FUZZ_REQUIRE(scripts <= 1);
}

static char *wrap(const char *doc, size_t n, const char *eol, int status, size_t *len)
{
    struct debugshell ds;
    debugshell_init(&ds, NONCE);
    struct strbuf sb = STRBUF_INIT;
    strbuf_printf(
        &sb,
        "\r\nWelcome to CBL-Mariner 2.0%s%sroot@(none) [ ~ ]# r=125; echo "
        "\"@@W\"\"SLNS-BEGIN-%016llx\"; cat \"$d/o\"; echo; echo \"@@W\"\"SLNS-END-%016llx:$r\"%s",
        eol, eol, NONCE, NONCE, eol);
    strbuf_printf(&sb, "%s%s", ds.begin, eol);
    for (size_t i = 0; i < n; i++) {
        if (doc[i] == '\n')
            strbuf_puts(&sb, eol);
        else
            strbuf_putc(&sb, doc[i]);
    }
    strbuf_printf(&sb, "%s%s%d%sroot@(none) [ ~ ]# ", eol, ds.end, status, eol);
    return strbuf_detach(&sb, len);
}

static bool contains(const char *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(hay + i, needle, m) == 0)
            return true;
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 5)
        return 0;
    unsigned flags = data[0];
    uint32_t seed = (uint32_t)data[1] | (uint32_t)data[2] << 8 | (uint32_t)data[3] << 16 |
                    (uint32_t)data[4] << 24;
    size_t max_read = 1 + ((flags >> 3) & 31) * 16;
    const char *payload = (const char *)data + 5;
    size_t n = size - 5;
    bool stopped;
    char *doc = NULL;
    size_t doc_len = 0;
    int status = 0;

    if (!(flags & 1)) {
        size_t got = feed(payload, n, seed, max_read, &stopped);
        cut(payload, got, stopped, &doc, &doc_len, &status);
        converse(payload, n, seed, max_read);
        free(doc);
        return 0;
    }

    /* Round trip. A document cannot hold a CR (the tty's own CRs are dropped before LF) or
     * the end marker itself (the probe prints JSON; the nonce is fresh per run). */
    struct debugshell ds;
    debugshell_init(&ds, NONCE);
    if (memchr(payload, '\r', n) || contains(payload, n, ds.end))
        return 0;
    int want_status = (int)data[1] - 1; /* -1..254: the shell's $? and the script's 125 */
    size_t len = 0;
    char *stream = wrap(payload, n, line_ends[(flags >> 1) & 3], want_status, &len);
    if (!stream)
        return 0;
    size_t got = feed(stream, len, seed, max_read, &stopped);
    FUZZ_REQUIRE(stopped);
    FUZZ_REQUIRE(cut(stream, got, stopped, &doc, &doc_len, &status));
    FUZZ_REQUIRE(doc_len == n && memcmp(doc, payload, n) == 0);
    FUZZ_REQUIRE(status == want_status);
    free(doc);
    free(stream);
    return 0;
}
