/* cli.h - the command line of docs/cli.md, parsed into options; no side effects.
 *
 *   wslns [map] [options] | wslns pid PID [--in WHERE] [options] | wslns doctor [options]
 *   wslns diff OLD.json NEW.json [--json FILE|-] [--color WHEN]
 *   wslns --help | -h | /? | --version
 *
 * Options take their value as the next argument or after '=' (--json=-). -d and --from
 * and --timeout may repeat. Ownership: cli_parse fills *opt with pointers into argv plus the
 * arrays it allocates (only, from, timeouts and their WHEREs); cli_free releases them. On a usage
 * error it returns a message (caller frees) that names the argument and how to fix it.
 */
#ifndef WSLNS_CLI_H
#define WSLNS_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errmsg.h"
#include "wsl/collect.h" /* struct collect_timeout */

enum cli_command { CLI_MAP, CLI_PID, CLI_DOCTOR, CLI_DIFF, CLI_HELP, CLI_VERSION };
enum cli_color { CLI_COLOR_AUTO, CLI_COLOR_ALWAYS, CLI_COLOR_NEVER };

struct cli_options {
    enum cli_command command;
    const char **only;          /* -d NAME..., NULL-terminated; NULL when none */
    size_t only_nr, only_alloc; /* grown by ALLOC_GROW (xalloc.h) */
    const char **from;          /* --from FILE..., NULL-terminated; NULL when none */
    size_t from_nr, from_alloc;
    bool all, no_system, no_debug_shell, ascii;
    const char *json_path; /* --json FILE or "-" */
    const char *html_path;
    const char *wsl_path;
    const char *probe_path;
    const char *wslconfig_path;
    double timeout_s;                 /* --timeout SECONDS: every view's budget; default 30 */
    struct collect_timeout *timeouts; /* --timeout WHERE=SECONDS, in order; NULL when none */
    size_t timeout_nr, timeout_alloc;
    enum cli_color color;
    int64_t pid;    /* CLI_PID: the pid to translate */
    const char *in; /* CLI_PID: "vm", "system:NAME" or "NAME"; default "vm" */
    /* CLI_DIFF: the two reports, as given */
    const char *diff_old, *diff_new;
    const char *record_dir; /* --record DIR: keep every exchange of the run (record.h) */
    const char *replay_dir; /* --replay DIR: answer the run from a recording; the command and
                               the collection options come from it, only --json, --html,
                               --color and --ascii from this command line */
};

errmsg cli_parse(int argc, char **argv, struct cli_options *opt);

/* The --help text (fits 80 columns). */
const char *cli_usage(void);

void cli_free(struct cli_options *opt);

#endif
