/* Regression tests for what fuzzing found (docs/fuzzing.md, "Findings"): each case replays
 * the input, reduced by hand to what matters, through the parser it broke. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "wsl/debugshell.h"
#include "model.h"
#include "pidcmd.h"
#include "source.h"
#include "strbuf.h"
#include "utf8.h"
#include "view.h"
#include "wsl/wsl_list.h"

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

/* A one-process wslns-probe/1 document of pid namespace 11 with this boot_id (JSON text). */
static void add_view(struct source_list *list, enum source_kind kind, const char *distro,
                     const char *boot_id_json)
{
    struct source *s = source_list_add(list, kind);
    CHECK(s != NULL);
    if (!s)
        return;
    s->distro = distro ? str_dup(distro) : NULL;
    s->output = str_printf(
        "{\"schema\":\"wslns-probe/1\",\"kernel\":{\"release\":\"6.6\",\"boot_id\":\"%s\"},"
        "\"self\":{\"pid\":1,\"nspid\":[1],\"pidns\":11},\"context\":{\"distro\":null},"
        "\"namespaces\":[{\"inode\":11,\"parent\":null,\"parent_visible\":false}],"
        "\"processes\":[{\"pid\":1,\"nspid\":[1],\"ppid\":0,\"pidns\":11,\"uid\":0,"
        "\"comm\":\"init\",\"cmdline\":[\"/init\"],\"starttime\":5}],\"errors\":[]}",
        boot_id_json);
    s->output_len = s->output ? strlen(s->output) : 0;
    s->view = NULL;
    char *error = s->output ? view_parse(s->output, s->output_len, &s->view) : NULL;
    CHECK(s->view != NULL);
    free(error);
}

/* A view set aside as "from another boot" quotes its boot_id in its reason; `wslns pid
 * --in system:NAME` then explains the missing level with that reason. The boot_id comes from
 * the probed system, so an escape sequence in it must not reach the terminal raw. */
static void pid_explanation_escapes_a_hostile_reason(void)
{
    struct source_list sources = {0};
    add_view(&sources, SOURCE_VM, NULL, "b1");
    add_view(&sources, SOURCE_DISTRO, "Ubuntu", "b1");
    add_view(&sources, SOURCE_SYSTEM, "Ubuntu", "b2\\u001b]0;owned\\u0007");
    struct model *m = NULL;
    m = model_build(&sources);
    char *text = NULL;
    if (m)
        CHECK_INT(pidcmd_render(m, &sources, 1, "system:Ubuntu", &text), 1);
    CHECK(text != NULL);
    if (text) {
        CHECK(strchr(text, 0x1b) == NULL && strchr(text, 0x07) == NULL);
        CHECK(strstr(text, "b2\\e]0;owned\\x07") != NULL);
    }
    free(text);
    model_free(m);
    source_list_free(&sources);
}

/* Unexpected output is quoted shortened to 120 bytes; the cut must not split a character, or
 * the message printed for the user is not UTF-8. */
static void wsl_list_quote_of_unexpected_output_stays_utf8(void)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_putc(&sb, 'x');
    for (int i = 0; i < 150; i++)
        strbuf_puts(&sb, "\xC3\xA9"); /* U+00E9 */
    strbuf_puts(&sb, "\r\n");
    struct wsl_list list;
    wsl_list_parse(sb.data, sb.len, 0, &list);
    CHECK(list.error != NULL);
    if (list.error) {
        CHECK(utf8_is_valid(list.error, strlen(list.error)));
        CHECK(strstr(list.error, "...") != NULL);
    }
    wsl_list_free(&list);
    strbuf_release(&sb);
}

static const struct check_case cases[] = {
    {"debug shell: stop and cut agree on an end line with a 100-digit status",
     debugshell_stop_and_cut_agree_on_a_long_status},
    {"debug shell: stop sees a 3-digit status read byte by byte",
     debugshell_stop_sees_a_three_digit_status_byte_by_byte},
    {"wsl --list: the shortened quote of unexpected output stays UTF-8",
     wsl_list_quote_of_unexpected_output_stays_utf8},
    {"wslns pid: a hostile reason is escaped in the explanation",
     pid_explanation_escapes_a_hostile_reason},
};

int main(int argc, char **argv)
{
    return check_main(cases, CHECK_COUNT(cases), argc, argv);
}
