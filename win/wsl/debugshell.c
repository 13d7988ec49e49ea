#include "wsl/debugshell.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "strbuf.h"

void debugshell_init(struct debugshell *ds, unsigned long long seed)
{
    memset(ds, 0, sizeof *ds);
    snprintf(ds->nonce, sizeof ds->nonce, "%016llx", seed);
    snprintf(ds->begin, sizeof ds->begin, "@@WSLNS-BEGIN-%s", ds->nonce);
    snprintf(ds->end, sizeof ds->end, "@@WSLNS-END-%s:", ds->nonce);
}

void debugshell_start(struct debugshell *ds, const char *script, size_t script_len,
                      double (*now)(void))
{
    ds->script = script;
    ds->script_len = script_len;
    ds->now = now;
    ds->script_sent = false;
    ds->line_due = false;
    ds->pings = 0;
    ds->resets = 0;
    ds->free_echoes = 0;
}

/* A console that wrote something new since the last ready echo and then kept quiet for
 * QUIET_S waits for input: if it echoed that line back without running it (an open heredoc
 * or quote, a command reading the tty) it is reset, else it gets another ready echo alone
 * (a login that flushed the last one shows its shell's prompt), at most FREE_ECHOES times;
 * after that, new output that is no answer means a reset. A console that stays silent is
 * reset SILENT_S after the first echo (wsl.exe still connecting, a long login, a program
 * that echoes nothing), and again each GAP after a reset's ready echo, the gap starting at
 * FIRST_GAP_S and doubling up to MAX_GAP_S: a login takes about a second, and a loaded
 * machine must not be flooded. */
#define QUIET_S 0.15
#define FREE_ECHOES 3
#define SILENT_S 1.0
#define FIRST_GAP_S 0.5
#define MAX_GAP_S 4.0
/* How long after Ctrl+C the ready echo follows (debugshell_feed). */
#define SETTLE_S 0.3

/* `echo "@@W""SLNS-REST"`: prints @@WSLNS-REST, while its echo never contains it. */
static void put_marker_echo(struct strbuf *sb, const char *marker, const char *suffix)
{
    strbuf_printf(sb, "echo \"%.3s\"\"%s%s\"", marker, marker + 3, suffix);
}

static const char *find(const char *hay, size_t n, const char *needle);

/* The answer to the last ready echo: the marker and then a line end (so ready 1 is not
 * mistaken for ready 12). Searches only output that arrived since it was sent. */
static bool ready_answered(struct debugshell *ds, const char *out, size_t len)
{
    size_t m = strlen(ds->ready);
    const char *p = out + ds->ready_scanned, *stop = out + len;
    while ((p = find(p, (size_t)(stop - p), ds->ready)) != NULL) {
        const char *q = p + m;
        if (q == stop)
            break; /* the line end may come with the next read */
        if (*q == '\r' || *q == '\n')
            return true;
        p++;
    }
    /* Next time, re-scan only the tail a marker split across two reads can start in. */
    if (len > m && len - m > ds->ready_scanned)
        ds->ready_scanned = len - m;
    return false;
}

/* The next ready echo: Ctrl+U (drop a half-typed line), then the echo of a new marker. Echo
 * and line editing go off on the same line: a shell that answers has run them, so none of the
 * script comes back through the tty and bash reads it as whole lines from the tty instead of
 * through readline one character at a time. PS2 goes empty on it too (it must be set before
 * the heredoc's command line is read): bash prints PS2 for every heredoc line, which would
 * be output the console sends back for nothing. No tabs anywhere (readline completes on
 * them). */
static const char *ready_echo(struct debugshell *ds, size_t len, double t, size_t *n)
{
    ds->pings++;
    snprintf(ds->ready, sizeof ds->ready, "@@WSLNS-READY-%s-%u", ds->nonce, ds->pings);
    ds->ready_scanned = len;
    ds->echo_len = len;
    ds->quiet_since = t;
    int k = snprintf(ds->ping, sizeof ds->ping,
                     "\x15"
                     "stty -echo 2>/dev/null; set +o emacs +o vi 2>/dev/null; PS2=; "
                     "echo \"%.3s\"\"%s\"\n",
                     ds->ready, ds->ready + 3);
    *n = k > 0 ? (size_t)k : 0;
    return ds->ping;
}

/* Whether the output since the last ready echo holds that line as typed (`"SLNS-READY-...-n"`,
 * quotes included), which its answer never does: the tty or readline echoed it. */
static bool echo_seen(const struct debugshell *ds, const char *out, size_t len)
{
    char typed[80];
    snprintf(typed, sizeof typed, "\"%s\"", ds->ready + 3);
    return len > ds->echo_len && find(out + ds->echo_len, len - ds->echo_len, typed) != NULL;
}

/* Ctrl+C ends whatever the shell was in (a command, a heredoc, a quote); Ctrl+U, sent with
 * the ready echo SETTLE_S later, drops a half-typed line. Not together: readline acts on the
 * Ctrl+C's signal only after reading on, and a Ctrl+U read meanwhile makes it drop the next
 * character typed (seen with bash 5.2). A login may flush all this and a busy shell may eat
 * it: repeated until answered. */
static const char *reset(struct debugshell *ds, double t, size_t *n)
{
    ds->gap = ds->resets == 0 ? FIRST_GAP_S : ds->gap * 2 > MAX_GAP_S ? MAX_GAP_S : ds->gap * 2;
    ds->resets++;
    ds->line_due = true;
    ds->line_at = t + SETTLE_S;
    *n = 1;
    return "\x03";
}

/* The last ready echo is not answered yet: sends the one a reset promised, echoes again when
 * the console went quiet, or resets a shell that stays silent. NULL: nothing to send yet. */
static const char *keep_asking(struct debugshell *ds, const char *out, size_t len, double t,
                               size_t *n)
{
    if (len != ds->seen_len) {
        ds->seen_len = len;
        ds->quiet_since = t;
    }
    if (ds->line_due) {
        if (t < ds->line_at)
            return NULL;
        ds->line_due = false;
        ds->next_ping = t + ds->gap;
        return ready_echo(ds, len, t, n);
    }
    if (len > ds->echo_len && t - ds->quiet_since >= QUIET_S) {
        if (!echo_seen(ds, out, len) && ds->free_echoes < FREE_ECHOES) {
            ds->free_echoes++;
            if (ds->resets && ds->next_ping < t + FIRST_GAP_S)
                ds->next_ping = t + FIRST_GAP_S; /* no Ctrl+C right behind it */
            return ready_echo(ds, len, t, n);
        }
        if (ds->resets == 0)
            return reset(ds, t, n); /* after a reset, the gaps keep growing */
    }
    if (ds->resets == 0 ? t - ds->quiet_since < SILENT_S : t < ds->next_ping)
        return NULL;
    return reset(ds, t, n);
}

const char *debugshell_feed(const char *out, size_t len, size_t *n, void *ctx)
{
    struct debugshell *ds = ctx;
    *n = 0;
    if (ds->script_sent || !ds->script)
        return NULL;
    double t = ds->now ? ds->now() : 0;
    if (ds->pings && !ds->line_due && ready_answered(ds, out, len)) {
        /* Everything sent before that echo has been read by the shell: no Ctrl+C of ours
         * is still on its way, and no login can flush what comes now. */
        ds->script_sent = true;
        *n = ds->script_len;
        return ds->script;
    }
    if (ds->pings == 0) {
        /* A console the last run gave back waits at its prompt: the ready echo alone is
         * answered at once, and the script follows without a reset. Sent before wsl.exe has
         * connected, it reaches the shell right after wsl.exe's LF; a Ctrl+C sent with it
         * would arrive in the same read and spoil it (see reset). */
        ds->seen_len = len;
        return ready_echo(ds, len, t, n);
    }
    return keep_asking(ds, out, len, t, n);
}

char *debugshell_script(const struct debugshell *ds, const char *probe, size_t probe_len)
{
    struct strbuf sb = STRBUF_INIT;
    const char *w = ds->nonce;
    /* Echo and line editing are off: the answered ready echo turned them off
     * (debugshell_feed). No tabs anywhere (readline completes on them). */
    /* This shell outlives each client: a run killed before its end left its directory in
     * $d (and its nonce in $w): remove it now. Then older runs' directories, then ours. $w
     * holds this run's nonce only once mktemp made a directory in this run: every later
     * step checks it, so an empty or stale $d never names a path to write or run. */
    strbuf_printf(
        &sb,
        "case \"$w:$d\" in ?*:/tmp/wslns.?\?\?\?\?\?\?\?) rm -rf \"$d\";; esac; w=; d=; %s; "
        "d=$(mktemp -d %s) && [ -n \"$d\" ] && [ -d \"$d\" ] && chmod 700 \"$d\" && "
        "w=%s && base64 -d > \"$d/wslns-probe\" <<'@@EOF-%s'\n",
        DEBUGSHELL_STALE_CLEANUP, DEBUGSHELL_TMP_TEMPLATE, w, w);
    base64_put_lines(&sb, probe, probe_len);
    strbuf_printf(&sb, "@@EOF-%s\n", w);
    /* The last line does all the printing, so no later input can be echoed into the cut. */
    strbuf_printf(&sb,
                  "r=%d; if [ \"$w\" != %s ]; then r=%d; elif [ -s \"$d/wslns-probe\" ]; then "
                  "chmod 700 \"$d/wslns-probe\" && \"$d/wslns-probe\" > \"$d/o\"; r=$?; fi; ",
                  DEBUGSHELL_EXIT_NO_PROBE, w, DEBUGSHELL_EXIT_NO_DIR);
    put_marker_echo(&sb, ds->begin, "");
    strbuf_printf(&sb,
                  "; if [ \"$w\" = %s ]; then cat \"$d/o\" 2>/dev/null; rm -rf \"$d\"; fi; "
                  "echo; ",
                  w);
    put_marker_echo(&sb, ds->end, "$r");
    /* Echo, editing and bash's default PS2 back on, and no logout: the hvc2 console outlives
     * wsl.exe, and a new login (which flushes typed-ahead input) would be a worse state for
     * the next user. */
    strbuf_puts(&sb, "; w=; d=; PS2='> '; stty echo 2>/dev/null; set -o emacs 2>/dev/null\n");
    return strbuf_detach(&sb, NULL);
}

static const char *find(const char *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++) {
        if (hay[i] == needle[0] && memcmp(hay + i, needle, m) == 0)
            return hay + i;
    }
    return NULL;
}

/* The end marker followed by digits and a line end: the complete last line. Returns the
 * marker's position, or NULL while it has not fully arrived. */
static const char *find_end(const struct debugshell *ds, const char *out, size_t len, int *status)
{
    const char *p = out, *stop = out + len;
    size_t m = strlen(ds->end);
    while ((p = find(p, (size_t)(stop - p), ds->end)) != NULL) {
        const char *d = p + m;
        int v = 0;
        bool neg = d < stop && *d == '-';
        if (neg)
            d++;
        const char *digits = d;
        /* At most 6 digits (the shell prints 0..255): debugshell_stop re-scans only a short
         * tail, so a longer line would be cut here yet never seen by the stop function. */
        while (d < stop && *d >= '0' && *d <= '9' && d - digits < 6)
            v = v * 10 + (*d++ - '0');
        if (d > digits && d < stop && (*d == '\r' || *d == '\n')) {
            if (status)
                *status = neg ? -v : v;
            return p;
        }
        p++;
    }
    return NULL;
}

bool debugshell_stop(const char *out, size_t len, void *ctx)
{
    struct debugshell *ds = ctx;
    /* Re-scan only the tail a marker split across two reads can start in. */
    size_t back = sizeof ds->end + 16;
    size_t from = ds->scanned > back ? ds->scanned - back : 0;
    if (from > len)
        from = 0;
    ds->scanned = len;
    return find_end(ds, out + from, len - from, NULL) != NULL;
}

/* The begin marker up to its line end. The echoed command line cannot contain it; what comes
 * before it on its line is a prompt (with echo off the Enter is not echoed, so the output
 * starts on the prompt's line). */
static const char *find_begin_line(const struct debugshell *ds, const char *out, size_t len)
{
    size_t m = strlen(ds->begin);
    for (const char *p = out; (p = find(p, (size_t)(out + len - p), ds->begin)) != NULL; p++) {
        const char *q = p + m;
        while (q < out + len && *q == '\r')
            q++;
        if (q < out + len && *q == '\n')
            return q + 1;
    }
    return NULL;
}

errmsg debugshell_cut(const struct debugshell *ds, const char *out, size_t len, char **doc,
                      size_t *doc_len, int *probe_exit)
{
    *doc = NULL;
    *doc_len = 0;
    const char *body = find_begin_line(ds, out, len);
    if (!body)
        return str_dup(len ? "debug shell output ended before the begin marker (the script "
                             "did not run: no shell prompt, or a login that did not finish)"
                           : "the debug shell printed nothing");
    int status = 0;
    const char *end = find_end(ds, body, (size_t)(out + len - body), &status);
    if (!end)
        return str_dup("debug shell output ended before the end marker");
    /* The tty turns LF into CRLF (old consoles CR CR LF): drop CRs that end a line. The
     * script adds one newline before the end marker; it is not the probe's. */
    struct strbuf sb = STRBUF_INIT;
    strbuf_append(&sb, "", 0);
    for (const char *p = body; p < end; p++) {
        if (*p == '\r') {
            const char *q = p;
            while (q < end && *q == '\r')
                q++;
            if (q == end || *q == '\n') {
                p = q - 1;
                continue;
            }
        }
        strbuf_putc(&sb, *p);
    }
    if (sb.len && sb.data[sb.len - 1] == '\n')
        sb.data[--sb.len] = '\0';
    *doc = strbuf_detach(&sb, doc_len);
    *probe_exit = status;
    return NULL;
}
