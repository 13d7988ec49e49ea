/* main.c - wslns_main: the command line, then collect (or read) views -> parse -> merge ->
 * render, and the exit code of docs/cli.md. The only place that prints. */
#include <cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "wsl/collect.h"
#include "diff.h"
#include "doctor/doctor.h"
#include "escape.h"
#include "errmsg.h"
#include "model.h"
#include "pidcmd.h"
#include "platform/platform.h"
#include "platform/record.h"
#include "render/render_doctor.h"
#include "render/render_html.h"
#include "render/render_json.h"
#include "render/render_tree.h"
#include "source.h"
#include "strbuf.h"
#include "utf8.h"
#include "view.h"
#include "wsl/wsl_list.h"
#include "wslns_version.h"
#include "xalloc.h"

#define MAX_DOCUMENT ((size_t)64 * 1024 * 1024)

enum exit_code {
    EXIT_ALL_OK = 0,
    EXIT_PARTIAL = 1,
    EXIT_USAGE = 2,
    EXIT_NOTHING = 3,
    EXIT_REPLAY_DIFFERS = 4 /* --replay: the run departed from the recording */
};

/* "wslns: <what><text>" on stderr, text escaped (escape.h): errors quote file names, distro
 * names, the user's own arguments and what wsl.exe or a probe said, none of which may act
 * on the terminal or start a line of its own. */
static void say_error(const char *what, const char *text)
{
    char *shown = escape_dup(text, ESCAPE_MESSAGE);
    fprintf(stderr, "wslns: %s%s\n", what, shown);
    free(shown);
}

/* The same for a whole printf-style message (every argument may be untrusted). */
static void say_errorf(const char *fmt, ...) WSLNS_PRINTF_LIKE(1, 2);
static void say_errorf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = str_vprintf(fmt, ap);
    va_end(ap);
    say_error("", text);
    free(text);
}

static void read_documents(const struct cli_options *opt, struct source_list *sources)
{
    for (size_t i = 0; i < opt->from_nr; i++) {
        struct source *s = source_list_add(sources, SOURCE_FILE);
        s->path = str_dup(opt->from[i]);
        bool truncated = false;
        char *error =
            plat_read_file(opt->from[i], MAX_DOCUMENT, &s->output, &s->output_len, &truncated);
        if (error) {
            source_fail(s, "%s", error);
            free(error);
        } else if (truncated) {
            source_fail(s, "larger than %zu MiB, far more than one view's document; not read",
                        MAX_DOCUMENT / (1024 * 1024));
        }
    }
}

static void parse_views(struct source_list *sources)
{
    for (size_t i = 0; i < sources->nr; i++) {
        struct source *s = &sources->items[i];
        if (s->status != SOURCE_OK)
            continue;
        char *error = view_parse(s->output, s->output_len, &s->view);
        if (!s->view) {
            source_fail(s, "not a usable wslns-probe/1 document: %s", error);
            free(error);
        }
    }
}

/* The wslns-probe beside the executable, in *path (caller frees); NULL, or why not. Never a
 * bare "wslns-probe" when the executable's folder is unknown: that is a file in the current
 * directory, where anyone may have put one, and the probe runs in every distro (and, from an
 * elevated prompt, as root in the VM). */
static errmsg default_probe(char **path)
{
    *path = NULL;
    char *dir = plat_self_dir();
    if (!dir)
        return str_dup("cannot tell which folder wslns runs from, so the wslns-probe beside "
                       "it cannot be found (one in the current directory is never used): "
                       "name the probe with --probe PATH");
    *path = plat_path_join(dir, "wslns-probe");
    free(dir);
    return NULL;
}

/* The progress line fits an 80-column console without wrapping (a wrapped line cannot be
 * rewritten with \r). */
#define PROGRESS_WIDTH 79

/* collect_progress_fn: one line on stderr, rewritten in place; ctx holds the length of
 * what is on screen, so a shorter line blanks the rest of the longer one. */
static void show_progress(const struct collect_view *views, size_t n, void *ctx)
{
    size_t *shown = ctx;
    size_t ended = 0, failed = 0;
    struct strbuf line = STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        ended += views[i].state != COLLECT_PENDING;
        failed += views[i].state == COLLECT_FAILED;
    }
    strbuf_printf(&line, "wslns: %zu of %zu views in", ended, n);
    if (failed)
        strbuf_printf(&line, " (%zu failed)", failed);
    const char *sep = "; waiting for ";
    for (size_t i = 0; i < n; i++) {
        if (views[i].state == COLLECT_PENDING) {
            strbuf_puts(&line, sep);
            escape_terminal(&line, views[i].label); /* distro names are not ours */
            sep = ", ";
        }
    }
    size_t len = line.len;
    if (len > PROGRESS_WIDTH) {
        len = PROGRESS_WIDTH - 3;
        /* Back to a character boundary: never half a UTF-8 sequence on the console. */
        while (len > 0 && ((unsigned char)line.data[len] & 0xC0) == 0x80)
            len--;
    }
    fprintf(stderr, "\r%.*s%s", (int)len, line.data, len < line.len ? "..." : "");
    size_t now_shown = len + (len < line.len ? 3 : 0);
    if (*shown > now_shown)
        fprintf(stderr, "%*s", (int)(*shown - now_shown), "");
    *shown = now_shown;
    fflush(stderr);
    strbuf_release(&line);
}

/* Finds wsl.exe and the probe where the options name none: *wsl and *probe are the found
 * paths (the caller frees them), NULL where the options name the file. */
static errmsg find_programs(const struct cli_options *opt, char **wsl, char **probe)
{
    *wsl = NULL;
    *probe = NULL;
    if (!opt->wsl_path) {
        char *error = plat_find_wsl(wsl);
        if (error)
            return error;
    }
    if (!opt->probe_path) {
        char *error = default_probe(probe);
        if (error) {
            free(*wsl);
            *wsl = NULL;
            return error;
        }
    }
    return NULL;
}

/* After a collection: clears the progress line and says whether Ctrl+C cut it short. */
static void end_collection(size_t shown)
{
    if (shown) {
        /* Flushed now: stderr may be buffered (Windows), and the tree must start on a
         * clean line. */
        fprintf(stderr, "\r%*s\r", (int)shown, "");
        fflush(stderr);
    }
    if (plat_interrupted())
        fputs("wslns: interrupted: the views that had not answered are marked failed\n", stderr);
}

/* Fills sources from --from files or from wsl.exe. NULL, or why nothing could be tried. */
static errmsg gather(const struct cli_options *opt, struct source_list *sources)
{
    if (opt->from_nr) {
        read_documents(opt, sources);
        return NULL;
    }
    char *wsl = NULL, *probe = NULL;
    char *error = find_programs(opt, &wsl, &probe);
    if (error)
        return error;
    record_note_probe(opt->probe_path ? opt->probe_path : probe);
    size_t shown = 0;
    struct collect_options c = {
        .wsl_path = opt->wsl_path ? opt->wsl_path : wsl,
        .probe_path = opt->probe_path ? opt->probe_path : probe,
        .only = opt->only,
        .all = opt->all,
        .no_system = opt->no_system,
        .no_debug_shell = opt->no_debug_shell,
        .timeout_s = opt->timeout_s,
        .timeouts = opt->timeouts,
        .timeout_count = opt->timeout_nr,
        /* Only a person watching a console wants it; a pipe or file gets the report only. */
        .progress = plat_is_terminal(stderr) ? show_progress : NULL,
        .progress_ctx = &shown,
    };
    /* Ctrl+C now stops the collection instead of the process: what came in is still shown. */
    plat_catch_interrupts();
    error = collect_views(&c, sources);
    end_collection(shown);
    free(probe);
    free(wsl);
    return error;
}

/* A warning or an error of the merge (entries a view sent that were dropped, a contradiction,
 * a cycle, another boot) means the report holds less than the views said: partial, as when a
 * view failed. */
static int outcome(const struct source_list *sources, const struct model *m)
{
    bool any_ok = false, any_failed = false;
    for (size_t i = 0; i < sources->nr; i++) {
        any_ok = any_ok || sources->items[i].status == SOURCE_OK;
        any_failed = any_failed || sources->items[i].status == SOURCE_FAILED;
    }
    for (size_t i = 0; i < m->diag_nr; i++)
        any_failed = any_failed || m->diags[i].severity >= SEVERITY_WARNING;
    if (!any_ok)
        return EXIT_NOTHING;
    return any_failed ? EXIT_PARTIAL : EXIT_ALL_OK;
}

static bool use_color(enum cli_color color)
{
    if (color != CLI_COLOR_AUTO)
        return color == CLI_COLOR_ALWAYS;
    char *no_color = plat_getenv("NO_COLOR");
    bool off = no_color && *no_color;
    free(no_color);
    return !off && plat_supports_color(stdout);
}

/* The same JSON document with every non-ASCII character as a \u escape (a surrogate pair
 * above U+FFFF), for stdout: PowerShell decodes a program's output with
 * [Console]::OutputEncoding (the OEM code page in Windows PowerShell 5.1), so raw UTF-8 would
 * reach ConvertFrom-Json mangled, while ASCII survives any decoding. Non-ASCII bytes only
 * occur inside JSON strings, where an escape means the same. */
static char *ascii_json(const char *text)
{
    struct strbuf sb = STRBUF_INIT;
    const unsigned char *p = (const unsigned char *)text;
    size_t left = strlen(text);
    while (left > 0) {
        if (*p < 0x80) {
            strbuf_putc(&sb, (char)*p);
            p++;
            left--;
            continue;
        }
        size_t n = utf8_sequence_length(p, left);
        unsigned long cp = 0xFFFD; /* a stray byte (the renderer never writes one) */
        if (n == 2)
            cp = (p[0] & 0x1Ful) << 6 | (p[1] & 0x3Ful);
        else if (n == 3)
            cp = (p[0] & 0x0Ful) << 12 | (p[1] & 0x3Ful) << 6 | (p[2] & 0x3Ful);
        else if (n == 4)
            cp = (p[0] & 0x07ul) << 18 | (p[1] & 0x3Ful) << 12 | (p[2] & 0x3Ful) << 6 |
                 (p[3] & 0x3Ful);
        if (n == 0)
            n = 1;
        if (cp >= 0x10000)
            strbuf_printf(&sb, "\\u%04lx\\u%04lx", 0xD800 + ((cp - 0x10000) >> 10),
                          0xDC00 + ((cp - 0x10000) & 0x3FF));
        else
            strbuf_printf(&sb, "\\u%04lx", cp);
        p += n;
        left -= n;
    }
    return strbuf_detach(&sb, NULL);
}

static bool write_text(const char *path, const char *text)
{
    if (strcmp(path, "-") == 0) {
        char *ascii = ascii_json(text);
        bool ok = fputs(ascii, stdout) >= 0;
        free(ascii);
        return ok;
    }
    char *error = plat_write_file(path, text, strlen(text));
    if (error) {
        say_error("cannot write the JSON report: ", error);
        free(error);
        return false;
    }
    return true;
}

/* The tree goes to stdout unless the JSON report does (--json -): never both mixed. */
static int render_map(const struct cli_options *opt, const struct model *m,
                      const struct source_list *sources)
{
    int code = outcome(sources, m);
    if (opt->html_path) {
        char *error = render_html_file(opt->html_path, m, sources, NULL);
        if (error) {
            say_error("cannot write the HTML report: ", error);
            free(error);
            code = code == EXIT_ALL_OK ? EXIT_PARTIAL : code;
        }
    }
    if (opt->json_path) {
        char *json = render_json(m, sources);
        if (!write_text(opt->json_path, json))
            code = code == EXIT_ALL_OK ? EXIT_PARTIAL : code;
        free(json);
        if (strcmp(opt->json_path, "-") == 0)
            return code;
    }
    struct render_options ro = {use_color(opt->color), opt->ascii, opt->only};
    char *tree = render_tree(m, sources, &ro);
    fputs(tree, stdout);
    free(tree);
    if (code == EXIT_NOTHING)
        fputs("wslns: no view could be collected (see the reasons above)\n", stderr);
    return code;
}

static int render_pid(const struct cli_options *opt, const struct model *m,
                      const struct source_list *sources)
{
    if (outcome(sources, m) == EXIT_NOTHING) {
        fputs("wslns: no view could be collected, so no pid can be translated:\n", stderr);
        /* Reasons may quote a probe's stderr or a file name: escape them for the terminal. */
        struct strbuf sb = STRBUF_INIT;
        for (size_t i = 0; i < sources->nr; i++) {
            char *what = source_describe(&sources->items[i]);
            strbuf_puts(&sb, "  ");
            escape_message(&sb, what);
            strbuf_puts(&sb, ": ");
            escape_message(&sb, sources->items[i].reason ? sources->items[i].reason : "ok");
            strbuf_putc(&sb, '\n');
            free(what);
        }
        if (sb.data)
            fputs(sb.data, stderr);
        strbuf_release(&sb);
        return EXIT_NOTHING;
    }
    char *text = NULL;
    int code = pidcmd_render(m, sources, opt->pid, opt->in, &text);
    if (code == 0)
        fputs(text, stdout);
    else
        fprintf(stderr, "wslns: %s\n", text); /* escaped piece by piece by pidcmd */
    free(text);
    return code;
}

/* ---- wslns doctor ---- */

#define MAX_WSLCONFIG ((size_t)1024 * 1024)

/* Reads .wslconfig into the doctor's input; what it fills is freed by the caller. */
static errmsg read_wslconfig(const struct cli_options *opt, struct doctor_input *in, char **path,
                             char **data, char **read_error)
{
    *path = *data = *read_error = NULL;
    if (opt->wslconfig_path) {
        *path = str_dup(opt->wslconfig_path);
    } else {
        char *error = plat_default_wslconfig_path(path);
        if (error)
            return error;
    }
    in->wslconfig_path = *path;
    if (!plat_path_exists(*path)) {
        if (opt->wslconfig_path)
            return str_printf("--wslconfig %s: no such file", *path);
        return NULL;
    }
    in->wslconfig_found = true;
    bool truncated = false;
    *read_error = plat_read_file(*path, MAX_WSLCONFIG, data, &in->wslconfig_len, &truncated);
    if (!*read_error && truncated) {
        free(*data);
        *data = NULL;
        *read_error = str_printf("larger than %zu KiB, far more than WSL's settings",
                                 MAX_WSLCONFIG / 1024);
    }
    in->wslconfig_error = *read_error;
    in->wslconfig_data = *data;
    return NULL;
}

static bool write_doctor_html(const struct cli_options *opt, const struct doctor_report *r,
                              const char *json, const struct model *m,
                              const struct source_list *sources)
{
    struct doctor_html h;
    render_doctor_html_sections(r, json, &h);
    char *error = render_html_file(opt->html_path, m, sources, &h.extras);
    doctor_html_free(&h);
    if (error) {
        say_error("cannot write the HTML report: ", error);
        free(error);
        return false;
    }
    return true;
}

/* Exit 0 when every distro's GUI apps are what the files intend and work, 1 on a finding
 * that asks for action (docs/doctor.md). */
static int render_doctor(const struct cli_options *opt, const struct doctor_report *r,
                         const struct model *m, const struct source_list *sources)
{
    int code = doctor_has_problem(r) ? EXIT_PARTIAL : EXIT_ALL_OK;
    char *json = render_doctor_json(r);
    record_set_report(json);
    if (opt->html_path && !write_doctor_html(opt, r, json, m, sources))
        code = EXIT_PARTIAL;
    if (opt->json_path && !write_text(opt->json_path, json))
        code = EXIT_PARTIAL;
    free(json);
    if (opt->json_path && strcmp(opt->json_path, "-") == 0)
        return code;
    char *text = render_doctor_text(r, use_color(opt->color));
    fputs(text, stdout);
    free(text);
    return code;
}

static int doctor(const struct cli_options *opt, const struct model *m,
                  const struct source_list *sources)
{
    struct doctor_input in = {.sources = sources, .model = m};
    char *path = NULL, *data = NULL, *read_error = NULL, *version = NULL;
    char *error = read_wslconfig(opt, &in, &path, &data, &read_error);
    if (error) {
        say_error("", error);
        free(error);
        free(path);
        return EXIT_USAGE;
    }
    if (!opt->from_nr) {
        version = collect_wsl_version(opt->wsl_path, opt->timeout_s);
        in.wsl_version_ran = true;
        in.wsl_version_text = version;
    }
    struct doctor_report r;
    error = doctor_evaluate(&in, &r);
    int code;
    if (error) {
        say_error("", error);
        free(error);
        code = EXIT_PARTIAL;
    } else {
        code = render_doctor(opt, &r, m, sources);
        doctor_report_free(&r);
    }
    free(path);
    free(data);
    free(read_error);
    free(version);
    return code;
}

static int run(const struct cli_options *opt)
{
    struct source_list sources = {0};
    char *error = gather(opt, &sources);
    if (error) {
        say_error("", error);
        free(error);
        source_list_free(&sources);
        return EXIT_NOTHING;
    }
    parse_views(&sources);
    struct model *m = model_build(&sources);
    if (record_active() && opt->command != CLI_DOCTOR) {
        /* A recording keeps the JSON report whatever the run printed. */
        char *json = render_json(m, &sources);
        record_set_report(json);
        free(json);
    }
    int code = opt->command == CLI_PID      ? render_pid(opt, m, &sources)
               : opt->command == CLI_DOCTOR ? doctor(opt, m, &sources)
                                            : render_map(opt, m, &sources);
    model_free(m);
    source_list_free(&sources);
    return code;
}

/* ---- wslns diff ---- */

/* One report for wslns diff, read under the --from cap. NULL, or why not (names the file). */
static errmsg read_report(const char *path, char **data, size_t *len)
{
    bool truncated = false;
    char *error = plat_read_file(path, MAX_DOCUMENT, data, len, &truncated);
    if (error)
        return error; /* "cannot open PATH: ..." */
    if (truncated) {
        free(*data);
        *data = NULL;
        return str_printf("%s: larger than %zu MiB, far more than a wslns report; not read", path,
                          MAX_DOCUMENT / (1024 * 1024));
    }
    return NULL;
}

/* Exit 0 when nothing changed, 1 when something did, 2 when a report is not usable or the
 * JSON could not be written (diff(1)'s convention; docs/diff.md). */
static int diff_command(const struct cli_options *opt)
{
    char *old_data = NULL, *new_data = NULL;
    size_t old_len = 0, new_len = 0;
    struct diff *d = NULL;
    char *error = read_report(opt->diff_old, &old_data, &old_len);
    if (!error)
        error = read_report(opt->diff_new, &new_data, &new_len);
    if (!error)
        error =
            diff_compare(opt->diff_old, old_data, old_len, opt->diff_new, new_data, new_len, &d);
    free(old_data);
    free(new_data);
    if (error) {
        say_error("diff: ", error);
        free(error);
        return EXIT_USAGE;
    }
    int code = diff_changed(d) ? 1 : 0;
    if (opt->json_path) {
        char *json = diff_render_json(d);
        if (!write_text(opt->json_path, json))
            code = EXIT_USAGE;
        free(json);
    }
    if (!opt->json_path || strcmp(opt->json_path, "-") != 0) {
        char *text = diff_render_text(d, use_color(opt->color));
        fputs(text, stdout);
        free(text);
    }
    diff_free(d);
    return code;
}

/* wslns --record DIR: the run, kept in DIR (record.h). */
static int record(const struct cli_options *opt, int argc, char **argv)
{
    char *error = record_start(opt->record_dir, argc, argv);
    if (error) {
        say_error("--record: ", error);
        free(error);
        return EXIT_USAGE;
    }
    int code = run(opt);
    error = record_finish(code);
    if (error) {
        say_errorf("--record: the recording in %s is incomplete: %s", opt->record_dir, error);
        free(error);
        return code == EXIT_ALL_OK ? EXIT_PARTIAL : code;
    }
    say_errorf("recorded this run in %s (docs/recording.md says what it holds: read it before you "
               "share it)",
               opt->record_dir);
    return code;
}

/* wslns --replay DIR: the recorded run again, its answers from DIR. Its own exit code when
 * it asked what the recorded run asked and gave the same report, else 4. */
static int replay(const struct cli_options *opt)
{
    int rargc = 0;
    char **rargv = NULL;
    char *error = replay_start(opt->replay_dir, &rargc, &rargv);
    if (error) {
        say_errorf("--replay %s: not a usable recording: %s", opt->replay_dir, error);
        free(error);
        return EXIT_USAGE;
    }
    struct cli_options recorded;
    error = cli_parse(rargc, rargv, &recorded);
    if (!error &&
        (recorded.command == CLI_HELP || recorded.command == CLI_VERSION || recorded.replay_dir))
        error = str_dup("it is not the recording of a run");
    if (error) {
        say_errorf("--replay %s: its command line is not usable: %s", opt->replay_dir, error);
        free(error);
        cli_free(&recorded);
        free(record_finish(EXIT_USAGE));
        return EXIT_USAGE;
    }
    /* Where the report goes and how it looks are this command line's. */
    recorded.json_path = opt->json_path;
    recorded.html_path = opt->html_path;
    recorded.color = opt->color;
    recorded.ascii = opt->ascii;
    recorded.record_dir = NULL;
    int code = run(&recorded);
    cli_free(&recorded);
    error = record_finish(code);
    if (error) {
        say_errorf("--replay %s: the run departed from the recording: %s", opt->replay_dir, error);
        free(error);
        return EXIT_REPLAY_DIFFERS;
    }
    say_errorf("--replay %s: the same report and exit code as the recorded run", opt->replay_dir);
    return code;
}

int wslns_main(int argc, char **argv)
{
    /* cJSON allocates through xmalloc too: out of memory ends the run (exit 71) in the
     * reports as everywhere else, so no renderer returns a partial document. */
    cJSON_InitHooks(&(cJSON_Hooks){.malloc_fn = xmalloc, .free_fn = free});
    struct cli_options opt;
    char *error = cli_parse(argc, argv, &opt);
    int code;
    if (error) {
        say_error("", error);
        fputs("Try 'wslns --help' for the options.\n", stderr);
        free(error);
        code = EXIT_USAGE;
    } else if (opt.command == CLI_HELP) {
        fputs(cli_usage(), stdout);
        code = EXIT_ALL_OK;
    } else if (opt.command == CLI_VERSION) {
        printf("wslns %s\n", WSLNS_VERSION);
        code = EXIT_ALL_OK;
    } else if (opt.command == CLI_DIFF) {
        code = diff_command(&opt);
    } else if (opt.replay_dir) {
        code = replay(&opt);
    } else if (opt.record_dir) {
        code = record(&opt, argc, argv);
    } else {
        code = run(&opt);
    }
    cli_free(&opt);
    fflush(stdout);
    return code;
}
