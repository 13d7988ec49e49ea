/* Unit tests of win/wsl/debugshell.c: the conversation with `wsl --debug-shell` (feed), the
 * script it sends (run in a real bash: mktemp failure, a killed run's directory) and cutting
 * the probe's document out of the tty stream (echo, CRLF, banner, prompts, split reads). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "wsl/debugshell.h"
#include "strbuf.h"

static const char banner[] = "\r\nWelcome to CBL-Mariner 2.0 (x86_64) - Kernel "
                             "5.15.167.4-microsoft-standard-WSL2 (hvc2)\r\n\r\n"
                             "localhost login: root (automatic login)\r\n\r\n";
static const char prompt[] = "root@DESKTOP-WSLNS [ ~ ]# ";

static struct debugshell ds;

static void init(void)
{
    debugshell_init(&ds, 0x1234abcdULL);
}

/* A stream as the tty shows it: banner, prompt, the echoed (marker-free) command, the
 * printed markers around doc with the given line ending, and a prompt after. */
static char *stream(const char *doc, const char *eol, int status, size_t *len)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, banner);
    strbuf_printf(
        &sb, "%secho \"@@W\"\"SLNS-BEGIN-%016llx\"; cat o; echo \"@@W\"\"SLNS-END-%016llx:$r\"%s",
        prompt, 0x1234abcdULL, 0x1234abcdULL, eol);
    strbuf_printf(&sb, "%s%s", ds.begin, eol);
    for (const char *p = doc; *p; p++) {
        if (*p == '\n')
            strbuf_puts(&sb, eol);
        else
            strbuf_putc(&sb, *p);
    }
    strbuf_printf(&sb, "%s%s%d%s%s", eol, ds.end, status, eol, prompt);
    return strbuf_detach(&sb, len);
}

static void check_cut(const char *out, size_t len, const char *want_doc, int want_exit)
{
    char *doc = NULL;
    size_t doc_len = 0;
    int status = -99;
    char *err = debugshell_cut(&ds, out, len, &doc, &doc_len, &status);
    CHECK(err == NULL);
    if (err)
        fprintf(stderr, "  error: %s\n", err);
    CHECK_STR(doc, want_doc);
    CHECK_INT(doc_len, strlen(want_doc));
    CHECK_INT(status, want_exit);
    free(err);
    free(doc);
}

static void check_cut_fails(const char *out, size_t len, const char *want_error)
{
    char *doc = NULL;
    size_t doc_len = 0;
    int status = 0;
    char *err = debugshell_cut(&ds, out, len, &doc, &doc_len, &status);
    CHECK_STR(err, want_error);
    CHECK(doc == NULL);
    free(err);
    free(doc);
}

static void cut_crlf_with_banner_and_prompts(void)
{
    init();
    size_t len;
    char *out = stream("{\"schema\":\"wslns-probe/1\",\n \"processes\":[]}\n", "\r\n", 0, &len);
    check_cut(out, len, "{\"schema\":\"wslns-probe/1\",\n \"processes\":[]}\n", 0);
    free(out);
}

static void cut_cr_cr_lf(void)
{
    init();
    size_t len;
    char *out = stream("{\"a\":1}\n", "\r\r\n", 0, &len);
    check_cut(out, len, "{\"a\":1}\n", 0);
    free(out);
}

static void cut_plain_lf(void)
{
    init();
    size_t len;
    char *out = stream("{}\n", "\n", 0, &len);
    check_cut(out, len, "{}\n", 0);
    free(out);
}

static void cut_reads_exit_status(void)
{
    init();
    size_t len;
    char *out = stream("{\"partial\":true}\n", "\r\n", 1, &len);
    check_cut(out, len, "{\"partial\":true}\n", 1);
    free(out);
    out = stream("", "\r\n", 3, &len);
    check_cut(out, len, "", 3);
    free(out);
}

static void cut_ignores_echoed_markers(void)
{
    init();
    /* Typed-ahead input echoed in the middle of the banner, the heredoc prompts and an
     * echoed marker command split over lines by the terminal width. */
    struct strbuf sb = STRBUF_INIT;
    strbuf_printf(&sb,
                  "Welcome\r\nstty -echo; d=$(mktemp -d)\r\n> QUJD\r\n> @@EOF\r\n%s"
                  "r=125; echo \"@@W\"\"SLNS-BEGIN-%016llx\"; cat; echo \"@@W\"\r\n"
                  "\"SLNS-END-%016llx:$r\"\r\n%s\r\n{\"x\":[1,\r\n2]}\r\n\r\n%s0\r\n%s",
                  prompt, 0x1234abcdULL, 0x1234abcdULL, ds.begin, ds.end, prompt);
    check_cut(sb.data, sb.len, "{\"x\":[1,\n2]}\n", 0);
    strbuf_release(&sb);
}

/* With echo off the Enter is not echoed either, so the printed begin marker follows the
 * prompt on the same line. */
static void cut_accepts_begin_marker_after_a_prompt(void)
{
    init();
    struct strbuf sb = STRBUF_INIT;
    strbuf_printf(&sb, "%s> > %s\r\n{}\r\n%s0\r\n", prompt, ds.begin, ds.end);
    check_cut(sb.data, sb.len, "{}", 0);
    strbuf_release(&sb);
}

static void cut_ignores_markers_of_another_run(void)
{
    struct debugshell old;
    debugshell_init(&old, 0x99ULL);
    init();
    struct strbuf sb = STRBUF_INIT;
    strbuf_printf(&sb, "%s\r\n{\"old\":1}\r\n%s0\r\n%s\r\n{\"new\":1}\r\n%s0\r\n", old.begin,
                  old.end, ds.begin, ds.end);
    check_cut(sb.data, sb.len, "{\"new\":1}", 0);
    strbuf_release(&sb);
}

static void cut_keeps_cr_inside_a_line(void)
{
    init();
    struct strbuf sb = STRBUF_INIT;
    strbuf_printf(&sb, "%s\r\na\rb\r\n%s0\r\n", ds.begin, ds.end);
    check_cut(sb.data, sb.len, "a\rb", 0);
    strbuf_release(&sb);
}

static void truncated_stream_fails(void)
{
    init();
    size_t len;
    char *out = stream("{\"a\":1}\n", "\r\n", 0, &len);
    /* cut inside the end marker's line, before its line end */
    char *end = strstr(out, ds.end);
    CHECK(end != NULL);
    if (end)
        check_cut_fails(out, (size_t)(end - out) + strlen(ds.end) + 1,
                        "debug shell output ended before the end marker");
    free(out);
}

static void missing_begin_fails(void)
{
    init();
    check_cut_fails(banner, strlen(banner),
                    "debug shell output ended before the begin marker (the script did not run: "
                    "no shell prompt, or a login that did not finish)");
    check_cut_fails("", 0, "the debug shell printed nothing");
}

static void garbage_fails_safely(void)
{
    init();
    char junk[4096];
    unsigned s = 12345;
    for (size_t i = 0; i < sizeof junk; i++) {
        s = s * 1103515245u + 12345u;
        junk[i] = (char)(s >> 16);
    }
    memcpy(junk + 100, ds.end, strlen(ds.end)); /* an end marker without digits */
    char *doc;
    size_t n;
    int st;
    char *err = debugshell_cut(&ds, junk, sizeof junk, &doc, &n, &st);
    CHECK(err != NULL);
    CHECK(!debugshell_stop(junk, sizeof junk, &ds));
    free(err);
}

static void stop_waits_for_the_whole_end_line(void)
{
    init();
    size_t len;
    char *out = stream("{\"a\":1}\n", "\r\n", 10, &len);
    const char *end = strstr(out, ds.end);
    size_t complete = (size_t)(end - out) + strlen(ds.end) + 3; /* "10\r" */
    /* one byte per read: the marker and its status arrive split across reads */
    size_t first_true = 0;
    for (size_t n = 1; n <= len && !first_true; n++) {
        if (debugshell_stop(out, n, &ds))
            first_true = n;
    }
    CHECK_INT(first_true, complete);
    check_cut(out, complete, "{\"a\":1}\n", 10);
    free(out);
}

static void stop_after_large_reads(void)
{
    init();
    size_t len;
    char *out = stream("{}\n", "\r\n", 0, &len);
    CHECK(!debugshell_stop(out, len / 3, &ds));
    CHECK(debugshell_stop(out, len, &ds));
    free(out);
}

/* The probe goes in few long lines (bash's work and the console's PS2 are per line), each
 * well inside the 4095 bytes a canonical-mode tty takes in one line (N_TTY_BUF_SIZE). */
static void script_sends_the_probe_in_few_lines_a_tty_takes_whole(void)
{
    init();
    static char probe[100000];
    for (size_t i = 0; i < sizeof probe; i++)
        probe[i] = (char)(i * 7);
    char *script = debugshell_script(&ds, probe, sizeof probe);
    CHECK(script != NULL);
    if (!script)
        return;
    CHECK(strstr(script, "@@WSLNS") == NULL);
    CHECK(strchr(script, '\t') == NULL);
    CHECK(strchr(script, '\r') == NULL);
    size_t longest = 0, lines = 0;
    for (const char *p = script; *p;) {
        const char *nl = strchr(p, '\n');
        CHECK(nl != NULL); /* every line, the last one too, is complete */
        if (!nl)
            break;
        if ((size_t)(nl - p) > longest)
            longest = (size_t)(nl - p);
        lines++;
        p = nl + 1;
    }
    CHECK(longest <= 3072);
    CHECK(lines <= sizeof probe * 4 / 3 / 1024 + 4);
    free(script);
}

/* Runs the script in a real shell (no tty: the stty calls fail quietly) with a stand-in
 * probe, so the decode-run-print-cleanup round trip is proven, not just its text. */
static void script_runs_in_a_shell(void)
{
    init();
    static const char probe[] = "#!/bin/sh\nprintf '{\"ok\":%s}\\n' \"$(id -u)\"\nexit 1\n";
    char *script = debugshell_script(&ds, probe, sizeof probe - 1);
    char path[] = "/tmp/wslns-ds-test-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0 && script);
    if (fd < 0 || !script) {
        free(script);
        return;
    }
    FILE *f = fdopen(fd, "w");
    fputs(script, f);
    fclose(f);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "TMPDIR=/tmp bash %s 2>&1", path);
    FILE *p = popen(cmd, "r");
    struct strbuf sb = STRBUF_INIT;
    char buf[512];
    size_t n;
    while (p && (n = fread(buf, 1, sizeof buf, p)) > 0)
        strbuf_append(&sb, buf, n);
    if (p)
        pclose(p);
    remove(path);
    CHECK(debugshell_stop(sb.data, sb.len, &ds));
    char id[32];
    snprintf(id, sizeof id, "{\"ok\":%u}\n", (unsigned)geteuid());
    check_cut(sb.data ? sb.data : "", sb.len, id, 1);
    strbuf_release(&sb);
    free(script);
}

/* Runs `bash` on setup (shell text) followed by the script; returns its output. */
static char *run_script(const char *setup, const char *script, size_t *len)
{
    char path[] = "/tmp/wslns-ds-test-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "w");
    fputs(setup, f);
    fputs(script, f);
    fclose(f);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "bash %s 2>&1", path);
    FILE *p = popen(cmd, "r");
    struct strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, "");
    char buf[512];
    size_t n;
    while (p && (n = fread(buf, 1, sizeof buf, p)) > 0)
        strbuf_append(&sb, buf, n);
    if (p)
        pclose(p);
    remove(path);
    return strbuf_detach(&sb, len);
}

/* mktemp fails: the script says so (status 124) and runs nothing after it: the commands a
 * script could run with an empty directory name log themselves, and none does. */
static void script_runs_nothing_when_mktemp_fails(void)
{
    init();
    char dir[] = "/tmp/wslns-ds-shim-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char *setup =
        str_printf("printf '#!/bin/sh\\necho \"mktemp $*\" >> %s/trace\\nexit 1\\n' > %s/mktemp\n"
                   "for c in cat rm chmod base64; do printf '#!/bin/sh\\necho \"%%s $*\" >> "
                   "%s/trace\\nPATH=/usr/bin:/bin exec %%s \"$@\"\\n' $c $c > %s/$c; done\n"
                   "chmod 755 %s/*; PATH=%s:$PATH\n",
                   dir, dir, dir, dir, dir, dir);
    /* The script's own chmod/cat/rm would be logged; so would a probe left at /wslns-probe. */
    char *script = debugshell_script(&ds, "#!/bin/sh\necho '{}'\n", 17);
    size_t len = 0;
    char *out = setup && script ? run_script(setup, script, &len) : NULL;
    char *doc = NULL;
    size_t doc_len = 0;
    int status = -1;
    char *err = out ? debugshell_cut(&ds, out, len, &doc, &doc_len, &status) : NULL;
    CHECK(out && err == NULL);
    CHECK_INT(status, DEBUGSHELL_EXIT_NO_DIR);
    CHECK_STR(doc, "");
    char *trace_path = str_printf("%s/trace", dir), *trace = NULL;
    size_t trace_len = 0;
    FILE *f = fopen(trace_path, "r");
    struct strbuf sb = STRBUF_INIT;
    char line[512];
    while (f && fgets(line, sizeof line, f))
        strbuf_puts(&sb, line);
    if (f)
        fclose(f);
    trace = strbuf_detach(&sb, &trace_len);
    CHECK_STR(trace, "mktemp -d /tmp/wslns.XXXXXXXX\n");
    char *rm = str_printf("rm -rf %s", dir);
    if (rm && system(rm) != 0)
        fprintf(stderr, "  could not remove %s\n", dir);
    free(rm);
    free(trace);
    free(trace_path);
    free(err);
    free(doc);
    free(out);
    free(script);
    free(setup);
}

/* The shell outlives each client: a run killed after mktemp left its directory in $d (and
 * its nonce in $w); the next script removes it first. A $d that is not wslns's is left. */
static void script_removes_a_killed_runs_directory(void)
{
    init();
    char left[] = "/tmp/wslns.XXXXXXXX";
    CHECK(mkdtemp(left) != NULL);
    char *setup = str_printf("w=0123456789abcdef; d=%s\n", left);
    char *script = debugshell_script(&ds, "#!/bin/sh\necho '{}'\n", 17);
    size_t len = 0;
    char *out = setup && script ? run_script(setup, script, &len) : NULL;
    CHECK(out && debugshell_stop(out, len, &ds));
    struct stat st;
    CHECK(stat(left, &st) != 0);
    free(out);
    free(setup);
    /* Not a wslns directory: stays. */
    char other[] = "/tmp/wslns-ds-other-XXXXXX";
    CHECK(mkdtemp(other) != NULL);
    setup = str_printf("w=0123456789abcdef; d=%s\n", other);
    out = setup ? run_script(setup, script, &len) : NULL;
    CHECK(stat(other, &st) == 0);
    rmdir(other);
    free(out);
    free(setup);
    free(script);
}

/* ---- the conversation (debugshell_feed) on a clock the test moves ---- */

static double fake_now;
static double clock_now(void)
{
    return fake_now;
}

static const char *feed(const char *out, size_t *n)
{
    return debugshell_feed(out, strlen(out), n, &ds);
}

/* The ready echo the feed sends as echo number K. */
static void ready_line(char *buf, size_t size, unsigned k)
{
    snprintf(buf, size,
             "\x15"
             "stty -echo 2>/dev/null; set +o emacs +o vi 2>/dev/null; PS2=; echo "
             "\"@@W\"\"SLNS-READY-%016llx-%u\"\n",
             0x1234abcdULL, k);
}

static void feed_asks_an_idle_shell_first_and_sends_the_script_without_a_reset(void)
{
    init();
    fake_now = 100;
    static const char script[] = "the script\n";
    debugshell_start(&ds, script, strlen(script), clock_now);
    size_t n = 0;
    const char *p = feed("", &n);
    char want[256];
    ready_line(want, sizeof want, 1);
    /* The ready echo alone first, before wsl.exe has said anything: no Ctrl+C. */
    CHECK(p && n == strlen(want) && memcmp(p, want, n) == 0);
    /* Its echo is not its answer. */
    char out[1024];
    snprintf(out, sizeof out, "\r\nroot@host [ ~ ]# %.*s\r\n", (int)(strlen(want) - 2), want + 1);
    fake_now += 0.05;
    CHECK(feed(out, &n) == NULL || n == 0);
    /* The answer split across two reads: only the whole line counts. */
    char answer[128];
    snprintf(answer, sizeof answer, "@@WSLNS-READY-%016llx-1", 0x1234abcdULL);
    strcat(out, answer);
    CHECK(feed(out, &n) == NULL || n == 0);
    strcat(out, "\r\n");
    p = feed(out, &n);
    CHECK(p == script && n == strlen(script));
    /* Once. */
    fake_now += 100;
    CHECK(feed(out, &n) == NULL && n == 0);
}

/* Sent bytes and whether they are ready echo K (alone, no Ctrl+C). */
static bool is_ready(const char *p, size_t n, unsigned k)
{
    char want[256];
    ready_line(want, sizeof want, k);
    return p && n == strlen(want) && memcmp(p, want, n) == 0;
}

static void feed_resets_a_console_that_echoes_the_line_without_running_it(void)
{
    init();
    fake_now = 100;
    static const char script[] = "the script\n";
    debugshell_start(&ds, script, strlen(script), clock_now);
    size_t n = 0;
    const char *first = feed("", &n);
    CHECK(is_ready(first, n, 1));
    /* A console inside a heredoc: "> " for wsl.exe's LF, then the line echoed, not run. */
    char want[256], out[1024];
    ready_line(want, sizeof want, 1);
    snprintf(out, sizeof out, "> %.*s\r\n> ", (int)(strlen(want) - 2), want + 1);
    fake_now += 0.1;
    CHECK(feed(out, &n) == NULL || n == 0);
    fake_now += 0.2; /* quiet for a moment: it took the line and did not run it */
    const char *p = feed(out, &n);
    CHECK(n == 1 && p && p[0] == '\x03'); /* Ctrl+C alone */
    strcat(out, "^C\r\n# ");
    CHECK(feed(out, &n) == NULL || n == 0); /* the ready echo waits for readline */
    fake_now += 0.3;
    p = feed(out, &n);
    CHECK(is_ready(p, n, 2));
    /* A late answer to the first echo does not count: a Ctrl+C of ours came after it. */
    size_t l = strlen(out);
    snprintf(out + l, sizeof out - l, "@@WSLNS-READY-%016llx-1\r\n", 0x1234abcdULL);
    CHECK(feed(out, &n) == NULL || n == 0);
    l = strlen(out);
    snprintf(out + l, sizeof out - l, "@@WSLNS-READY-%016llx-2\r\n", 0x1234abcdULL);
    p = feed(out, &n);
    CHECK(p == script && n == strlen(script));
}

static void feed_asks_again_without_a_reset_when_a_login_shows_its_prompt(void)
{
    init();
    fake_now = 100;
    static const char script[] = "the script\n";
    debugshell_start(&ds, script, strlen(script), clock_now);
    size_t n = 0;
    const char *first = feed("", &n);
    CHECK(is_ready(first, n, 1));
    /* wsl.exe's LF woke agetty; login flushes the first echo. */
    const char *p = NULL;
    char out[1024] = "\r\nWelcome to CBL-Mariner 2.0\r\n\r\nhost login: root (automatic login)\r\n";
    fake_now += 0.3;
    CHECK(feed(out, &n) == NULL || n == 0);
    fake_now += 0.2;
    p = feed(out, &n);
    CHECK(is_ready(p, n, 2)); /* quiet: maybe waiting for input; flushed too */
    /* The login takes its time (less than the silence that resets): nothing is sent. */
    for (int i = 0; i < 8; i++) {
        fake_now += 0.1;
        CHECK(feed(out, &n) == NULL || n == 0);
    }
    strcat(out, "root@host [ ~ ]# ");
    CHECK(feed(out, &n) == NULL || n == 0);
    fake_now += 0.2;
    p = feed(out, &n);
    CHECK(is_ready(p, n, 3)); /* the shell's prompt, no Ctrl+C */
    size_t l = strlen(out);
    snprintf(out + l, sizeof out - l, "@@WSLNS-READY-%016llx-3\r\n", 0x1234abcdULL);
    p = feed(out, &n);
    CHECK(p == script && n == strlen(script));
}

static void feed_resets_after_a_few_free_echoes_that_get_no_answer(void)
{
    init();
    fake_now = 100;
    debugshell_start(&ds, "S", 1, clock_now);
    size_t n = 0;
    const char *first = feed("", &n);
    CHECK(is_ready(first, n, 1));
    /* A heredoc with echo off (a killed run's console): "> " for every line, no echo. */
    char out[256] = "";
    unsigned echoes = 1;
    const char *p = NULL;
    for (int i = 0; i < 40; i++) {
        fake_now += 0.1;
        p = feed(out, &n);
        if (p && n == 1)
            break;
        if (p && n > 1) {
            CHECK(is_ready(p, n, ++echoes));
            strcat(out, "> ");
        }
        if (i == 0)
            strcat(out, "> > ");
    }
    CHECK(n == 1 && p && p[0] == '\x03');
    CHECK_INT(echoes, 4); /* the first and three more */
}

static void feed_asks_a_long_logins_prompt_without_another_reset(void)
{
    init();
    fake_now = 100;
    debugshell_start(&ds, "S", 1, clock_now);
    size_t n = 0;
    const char *p = feed("", &n);
    CHECK(is_ready(p, n, 1));
    /* The banner, a free echo, then the login stays silent: a reset, its ready echo. */
    char out[512] = "\r\nWelcome\r\nhost login: root (automatic login)\r\n";
    unsigned resets = 0, echoes = 1;
    for (int i = 0; i < 20; i++) {
        fake_now += 0.1;
        p = feed(out, &n);
        resets += p && n == 1;
        echoes += p && n > 1;
    }
    CHECK_INT(resets, 1);
    CHECK_INT(echoes, 3);
    /* The shell's prompt at last: a ready echo, no Ctrl+C before it or right behind it. */
    strcat(out, "root@host [ ~ ]# ");
    unsigned before = echoes;
    for (int i = 0; i < 5; i++) {
        fake_now += 0.1;
        p = feed(out, &n);
        CHECK(!(p && n == 1));
        if (p && n > 1)
            CHECK(is_ready(p, n, ++echoes));
    }
    CHECK_INT(echoes, before + 1);
    size_t l = strlen(out);
    snprintf(out + l, sizeof out - l, "@@WSLNS-READY-%016llx-%u\r\n", 0x1234abcdULL, echoes);
    p = feed(out, &n);
    CHECK(p && n == 1 && *p == 'S');
}

static void feed_repeats_with_backoff_and_waits_for_the_last_answer(void)
{
    init();
    fake_now = 0;
    debugshell_start(&ds, "S", 1, clock_now);
    size_t n = 0;
    double sent_at[6];
    int lines = 0;
    /* Nothing answers, nothing is said (wsl.exe slow to connect, a login flushing): the
     * first echo alone, then resets and ready echoes, further apart. */
    for (double t = 0; t < 20 && lines < 6; t += 0.05) {
        fake_now = t;
        const char *p = feed("", &n);
        if (p && n > 1)
            sent_at[lines++] = t;
    }
    CHECK_INT(lines, 6);
    /* line k goes 0.3 s after its Ctrl+C, which goes gap(k-1) after line k-1; the first
     * Ctrl+C 1 s after the first line when the console says nothing */
    double gaps[] = {1, 0.5, 1, 2, 4};
    for (int k = 1; k < lines; k++) {
        double d = sent_at[k] - sent_at[k - 1];
        CHECK(d > gaps[k - 1] + 0.25 && d < gaps[k - 1] + 0.45);
    }
    /* The answer to echo 5 comes while 6 was sent: not yet (a Ctrl+C of ours came after). */
    char out[256];
    snprintf(out, sizeof out, "@@WSLNS-READY-%016llx-5\r\n", 0x1234abcdULL);
    CHECK(feed(out, &n) == NULL || n != 1 || true);
    CHECK(ds.script_sent == false);
    size_t l = strlen(out);
    snprintf(out + l, sizeof out - l, "@@WSLNS-READY-%016llx-6\r\n", 0x1234abcdULL);
    const char *p = feed(out, &n);
    CHECK(p && n == 1 && *p == 'S');
}

static const struct check_case cases[] = {
    {"debug shell cut: CRLF stream with banner, echo and prompts before and after",
     cut_crlf_with_banner_and_prompts},
    {"debug shell cut: CR CR LF line ends", cut_cr_cr_lf},
    {"debug shell script: mktemp failing runs nothing (status 124)",
     script_runs_nothing_when_mktemp_fails},
    {"debug shell script: removes the directory a killed run left in the same shell",
     script_removes_a_killed_runs_directory},
    {"debug shell feed: an idle shell gets the ready echo alone, then the script (no Ctrl+C)",
     feed_asks_an_idle_shell_first_and_sends_the_script_without_a_reset},
    {"debug shell feed: a console that echoes the line without running it is reset",
     feed_resets_a_console_that_echoes_the_line_without_running_it},
    {"debug shell feed: a login's prompt gets another ready echo, no reset",
     feed_asks_again_without_a_reset_when_a_login_shows_its_prompt},
    {"debug shell feed: after four unanswered echoes without an echo back, a reset",
     feed_resets_after_a_few_free_echoes_that_get_no_answer},
    {"debug shell feed: a long login's prompt gets a ready echo, no Ctrl+C near it",
     feed_asks_a_long_logins_prompt_without_another_reset},
    {"debug shell feed: repeats with backoff and waits for the last echo's answer",
     feed_repeats_with_backoff_and_waits_for_the_last_answer},
    {"debug shell cut: plain LF line ends", cut_plain_lf},
    {"debug shell cut: the probe's exit status comes from the end marker", cut_reads_exit_status},
    {"debug shell cut: echoed input with marker text does not match", cut_ignores_echoed_markers},
    {"debug shell cut: a begin marker after a prompt on the same line (echo off) counts",
     cut_accepts_begin_marker_after_a_prompt},
    {"debug shell cut: markers with another run's nonce are ignored",
     cut_ignores_markers_of_another_run},
    {"debug shell cut: a CR inside a line is kept", cut_keeps_cr_inside_a_line},
    {"debug shell cut: no end marker is an error (truncation)", truncated_stream_fails},
    {"debug shell cut: no begin marker is an error", missing_begin_fails},
    {"debug shell cut: garbage is an error, never a crash", garbage_fails_safely},
    {"debug shell stop: waits for the whole end line when it arrives byte by byte",
     stop_waits_for_the_whole_end_line},
    {"debug shell stop: sees the end marker after large reads", stop_after_large_reads},
    {"debug shell script: the probe in few lines a canonical tty takes whole, no tabs, no "
     "marker text",
     script_sends_the_probe_in_few_lines_a_tty_takes_whole},
    {"debug shell script: decodes, runs and cleans up the probe in a shell",
     script_runs_in_a_shell},
};

int main(int argc, char **argv)
{
    return check_main(cases, CHECK_COUNT(cases), argc, argv);
}
