/* Regression tests for what fuzzing found (docs/fuzzing.md, "Findings"): each case replays
 * the input, reduced by hand to what matters, through the parser it broke. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "debugshell.h"
#include "strbuf.h"

#define NONCE 0x1234abcdULL

/* A stream whose end line carries the exit status with more digits than the stop function's
 * look-back window holds: read byte by byte (as a slow tty delivers it), stop and cut must
 * agree on whether the end line has arrived, or wslns waits for the view's whole timeout. */
static void debugshell_stop_and_cut_agree_on_a_long_status(void)
{
    struct debugshell ds;
    debugshell_init(&ds, NONCE);
    struct strbuf sb = STRBUF_INIT;
    strbuf_printf(&sb, "%s\r\n{}\r\n%s", ds.begin, ds.end);
    for (int i = 0; i < 100; i++)
        strbuf_putc(&sb, '0');
    strbuf_puts(&sb, "\r\n");
    CHECK(!sb.oom);
    bool stopped = false;
    for (size_t have = 1; have <= sb.len && !stopped; have++)
        stopped = debugshell_stop(sb.data, have, &ds);
    char *doc = NULL;
    size_t doc_len = 0;
    int status = -99;
    char *err = debugshell_cut(&ds, sb.data, sb.len, &doc, &doc_len, &status);
    CHECK_INT(stopped, err == NULL);
    free(err);
    free(doc);
    strbuf_release(&sb);
}

/* The exit status the shell prints ($?, 0..255) still ends the stream when read byte by byte:
 * the CR that ends the line is enough. */
static void debugshell_stop_sees_a_three_digit_status_byte_by_byte(void)
{
    struct debugshell ds;
    debugshell_init(&ds, NONCE);
    char *out = str_printf("%s\r\n{}\r\n%s125\r\nroot@(none) [ ~ ]# ", ds.begin, ds.end);
    CHECK(out != NULL);
    size_t len = out ? strlen(out) : 0, stopped_at = 0;
    for (size_t have = 1; have <= len && !stopped_at; have++)
        if (debugshell_stop(out, have, &ds))
            stopped_at = have;
    CHECK_INT(stopped_at, strstr(out, "125\r\n") + 4 - out);
    char *doc = NULL;
    size_t doc_len = 0;
    int status = -99;
    char *err = debugshell_cut(&ds, out, stopped_at, &doc, &doc_len, &status);
    CHECK(err == NULL);
    CHECK_STR(doc, "{}");
    CHECK_INT(status, 125);
    free(err);
    free(doc);
    free(out);
}

static const struct check_case cases[] = {
    {"debug shell: stop and cut agree on an end line with a 100-digit status",
     debugshell_stop_and_cut_agree_on_a_long_status},
    {"debug shell: stop sees a 3-digit status read byte by byte",
     debugshell_stop_sees_a_three_digit_status_byte_by_byte},
};

int main(int argc, char **argv)
{
    return check_main(cases, CHECK_COUNT(cases), argc, argv);
}
