#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "xalloc.h"

static const char USAGE[] =
    "usage: wslns [map] [options]       the pid-namespace tree of WSL 2 (default)\n"
    "       wslns pid PID [--in WHERE]  one process's pid at every level\n"
    "       wslns doctor [options]      why GUI apps (WSLg) work or not\n"
    "       wslns diff OLD.json NEW.json [--json FILE|-] [--color WHEN]\n"
    "                                   what changed between two --json reports\n"
    "       wslns --help | -h | /?      this text;  wslns --version\n"
    "\n"
    "WHERE is the level PID belongs to: vm (the VM root, as eBPF, perf and the\n"
    "kernel log report it; the default), system:NAME (the system distro of NAME)\n"
    "or NAME (the distro itself).  Example: wslns pid 48950 --in vm\n"
    "\n"
    "options:\n"
    "  -d, --distribution NAME  only this distro (repeatable)\n"
    "      --all                also start and probe stopped distros\n"
    "      --no-system          do not use wsl --system (no system distros)\n"
    "      --no-debug-shell     do not use wsl --debug-shell (no VM root)\n"
    "      --from FILE          offline: a saved wslns-probe document instead of\n"
    "                           wsl.exe (repeatable; run wslns-probe > FILE inside\n"
    "                           each distro first)\n"
    "      --json FILE|-        also write the JSON report (wslns-report/1)\n"
    "      --html FILE          also write the HTML report\n"
    "      --wsl PATH           the wsl.exe to drive (default: the system's)\n"
    "      --probe PATH         the probe to send (default: wslns-probe next to\n"
    "                           wslns)\n"
    "      --wslconfig PATH     the .wslconfig to check (default: your profile's)\n"
    "      --timeout SECONDS    every view's budget (default 30); a view that starts\n"
    "                           a stopped distro (--all) also gets WSL's start budget\n"
    "                           (60 s + 10 s for systemd, + 30 s if the VM boots)\n"
    "      --timeout WHERE=SECONDS  one view's own budget (repeatable); WHERE as\n"
    "                           for --in: --timeout vm=120 --timeout Debian=5\n"
    "      --color WHEN         auto (default), always or never; NO_COLOR is honoured\n"
    "      --ascii              draw the tree with ASCII instead of box drawing\n"
    "      --record DIR         also save every wsl.exe exchange and the report in\n"
    "                           the folder DIR, for a bug report (docs/recording.md)\n"
    "      --replay DIR         run again from a recording instead of wsl.exe (with\n"
    "                           --json, --html, --color, --ascii only)\n"
    "\n"
    "The VM root needs `wsl --debug-shell`, which needs an elevated prompt (Run as\n"
    "Administrator); without it the distros hang below a \"not visible\" parent.\n"
    "\n"
    "examples (cmd.exe):\n"
    "  wslns                               the tree of every running distro\n"
    "  wslns -d Ubuntu --json report.json  one distro, also as a JSON file\n"
    "  wslns pid 48950 --in vm             where a VM pid is in the distros\n"
    "examples (PowerShell):\n"
    "  wslns --json - | ConvertFrom-Json   the report as objects\n"
    "  wslns --json - > report.json        the same as a UTF-8 file\n"
    "  Start-Process wslns -Verb RunAs     an elevated window (shows the VM level)\n"
    "Ctrl+C stops the collection and prints the views that arrived (exit 1).\n"
    "\n"
    "exit: 0 every view that could be collected was; 1 a view failed, or entries were\n"
    "dropped or contradicted (reasons are printed); 2 usage error; 3 nothing could be\n"
    "collected.  doctor: 0 GUI apps are what the config files intend and work; 1 a\n"
    "finding asks for action.  diff: 0 nothing changed; 1 something did; 2 a file\n"
    "is not a usable wslns-report/1.\n";

const char *cli_usage(void)
{
    return USAGE;
}

enum option_id {
    OPT_DISTRO,
    OPT_ALL,
    OPT_NO_SYSTEM,
    OPT_NO_DEBUG_SHELL,
    OPT_FROM,
    OPT_JSON,
    OPT_HTML,
    OPT_WSL,
    OPT_PROBE,
    OPT_WSLCONFIG,
    OPT_TIMEOUT,
    OPT_COLOR,
    OPT_ASCII,
    OPT_IN,
    OPT_HELP,
    OPT_VERSION,
    OPT_RECORD,
    OPT_REPLAY
};

struct option_spec {
    const char *long_name;
    const char *short_name;
    bool takes_value;
    enum option_id id;
};

static const struct option_spec OPTIONS[] = {
    {"--distribution", "-d", true, OPT_DISTRO},
    {"--all", NULL, false, OPT_ALL},
    {"--no-system", NULL, false, OPT_NO_SYSTEM},
    {"--no-debug-shell", NULL, false, OPT_NO_DEBUG_SHELL},
    {"--from", NULL, true, OPT_FROM},
    {"--json", NULL, true, OPT_JSON},
    {"--html", NULL, true, OPT_HTML},
    {"--wsl", NULL, true, OPT_WSL},
    {"--probe", NULL, true, OPT_PROBE},
    {"--wslconfig", NULL, true, OPT_WSLCONFIG},
    {"--timeout", NULL, true, OPT_TIMEOUT},
    {"--color", NULL, true, OPT_COLOR},
    {"--ascii", NULL, false, OPT_ASCII},
    {"--in", NULL, true, OPT_IN},
    {"--help", "-h", false, OPT_HELP},
    {"--version", NULL, false, OPT_VERSION},
    {"--record", NULL, true, OPT_RECORD},
    {"--replay", NULL, true, OPT_REPLAY},
};

/* Matches "--name", "-d" and "--name=value"; *inline_value points after '=' if present. */
static const struct option_spec *find_option(const char *arg, const char **inline_value)
{
    *inline_value = NULL;
    for (size_t i = 0; i < sizeof OPTIONS / sizeof *OPTIONS; i++) {
        const struct option_spec *o = &OPTIONS[i];
        size_t n = strlen(o->long_name);
        if (strcmp(arg, o->long_name) == 0 || (o->short_name && strcmp(arg, o->short_name) == 0))
            return o;
        if (strncmp(arg, o->long_name, n) == 0 && arg[n] == '=') {
            *inline_value = arg + n + 1;
            return o;
        }
    }
    return NULL;
}

/* Appends to a NULL-terminated list of nr entries. */
static void push(const char ***list, size_t *nr, size_t *alloc, const char *value)
{
    ALLOC_GROW(*list, *nr + 2, *alloc);
    (*list)[(*nr)++] = value;
    (*list)[*nr] = NULL;
}

static errmsg parse_number(const char *text, double min, double max, double *out)
{
    char *end = NULL;
    double d = strtod(text, &end);
    if (!*text || *end || !isfinite(d) || d < min || d > max)
        return str_printf("'%s' is not a number from %g to %g", text, min, max);
    *out = d;
    return NULL;
}

static errmsg set_color(struct cli_options *opt, const char *value)
{
    if (strcmp(value, "auto") == 0)
        opt->color = CLI_COLOR_AUTO;
    else if (strcmp(value, "always") == 0)
        opt->color = CLI_COLOR_ALWAYS;
    else if (strcmp(value, "never") == 0)
        opt->color = CLI_COLOR_NEVER;
    else
        return str_printf("--color takes auto, always or never, not '%s'", value);
    return NULL;
}

/* --timeout SECONDS or --timeout WHERE=SECONDS (the last '=': SECONDS never has one). */
static errmsg set_timeout(struct cli_options *opt, const char *value)
{
    const char *eq = strrchr(value, '=');
    const char *number = eq ? eq + 1 : value;
    double seconds = 0;
    char *error = parse_number(number, 0.1, 86400, &seconds);
    if (error) {
        char *full =
            str_printf("--timeout: %s (seconds; --timeout SECONDS or WHERE=SECONDS)", error);
        free(error);
        return full;
    }
    if (!eq) {
        opt->timeout_s = seconds;
        return NULL;
    }
    size_t n = (size_t)(eq - value);
    if (n == 0 || (n == 7 && strncmp(value, "system:", 7) == 0))
        return str_printf("--timeout '%s': WHERE=SECONDS needs a view before '=': vm, "
                          "system:NAME or NAME",
                          value);
    ALLOC_GROW(opt->timeouts, opt->timeout_nr + 1, opt->timeout_alloc);
    opt->timeouts[opt->timeout_nr++] = (struct collect_timeout){str_ndup(value, n), seconds};
    return NULL;
}

static errmsg apply_option(struct cli_options *opt, enum option_id id, const char *value)
{
    switch (id) {
    case OPT_DISTRO: push(&opt->only, &opt->only_nr, &opt->only_alloc, value); break;
    case OPT_FROM: push(&opt->from, &opt->from_nr, &opt->from_alloc, value); break;
    case OPT_ALL: opt->all = true; break;
    case OPT_NO_SYSTEM: opt->no_system = true; break;
    case OPT_NO_DEBUG_SHELL: opt->no_debug_shell = true; break;
    case OPT_ASCII: opt->ascii = true; break;
    case OPT_JSON: opt->json_path = value; break;
    case OPT_HTML: opt->html_path = value; break;
    case OPT_WSL: opt->wsl_path = value; break;
    case OPT_PROBE: opt->probe_path = value; break;
    case OPT_WSLCONFIG: opt->wslconfig_path = value; break;
    case OPT_IN: opt->in = value; break;
    case OPT_TIMEOUT: return set_timeout(opt, value);
    case OPT_COLOR: return set_color(opt, value);
    case OPT_HELP: opt->command = CLI_HELP; break;
    case OPT_VERSION: opt->command = CLI_VERSION; break;
    case OPT_RECORD: opt->record_dir = value; break;
    case OPT_REPLAY: opt->replay_dir = value; break;
    }
    return NULL;
}

/* The first bare word picks the command; for `pid` the next one is the pid. */
static errmsg positional(struct cli_options *opt, const char *arg, bool *have_command,
                         bool *have_pid)
{
    if (!*have_command) {
        *have_command = true;
        if (strcmp(arg, "map") == 0)
            opt->command = CLI_MAP;
        else if (strcmp(arg, "pid") == 0)
            opt->command = CLI_PID;
        else if (strcmp(arg, "doctor") == 0)
            opt->command = CLI_DOCTOR;
        else if (strcmp(arg, "diff") == 0)
            opt->command = CLI_DIFF;
        else
            return str_printf("unknown command '%s' (commands: map, pid, doctor, diff)", arg);
        return NULL;
    }
    if (opt->command == CLI_DIFF && (!opt->diff_old || !opt->diff_new)) {
        *(opt->diff_old ? &opt->diff_new : &opt->diff_old) = arg;
        return NULL;
    }
    if (opt->command == CLI_PID && !*have_pid) {
        double d = 0;
        char *error = parse_number(arg, 1, 2147483647, &d);
        if (error || d != floor(d)) {
            free(error);
            return str_printf("'%s' is not a pid (a whole number from 1 to 2147483647)", arg);
        }
        opt->pid = (int64_t)d;
        *have_pid = true;
        return NULL;
    }
    return str_printf("unexpected argument '%s'", arg);
}

/* Options `wslns diff` takes: it reads two reports, it collects nothing. */
static bool diff_may_take(enum option_id id)
{
    return id == OPT_JSON || id == OPT_COLOR || id == OPT_HELP || id == OPT_VERSION;
}

/* Options a --replay run may take: the rest comes from the recording. */
static bool replay_may_take(enum option_id id)
{
    return id == OPT_JSON || id == OPT_HTML || id == OPT_COLOR || id == OPT_ASCII ||
           id == OPT_REPLAY || id == OPT_HELP || id == OPT_VERSION;
}

/* Reads the option at argv[*i] and its value: from "--name=value", or the next argument,
 * which it then consumes. */
static errmsg read_option(int argc, char **argv, int *i, const struct option_spec **spec,
                          const char **value)
{
    const char *arg = argv[*i];
    const struct option_spec *o = find_option(arg, value);
    if (!o)
        return str_printf("unknown option '%s'", arg);
    if (o->takes_value && !*value) {
        if (*i + 1 >= argc)
            return str_printf("%s needs a value", arg);
        *value = argv[++*i];
    }
    if (!o->takes_value && *value)
        return str_printf("%s takes no value", o->long_name);
    *spec = o;
    return NULL;
}

/* Once every argument is read: what the command lacks, and what does not go together. */
static errmsg check_combination(const struct cli_options *opt, bool have_pid,
                                const char *not_for_diff, const char *not_for_replay)
{
    if (opt->command == CLI_PID && !have_pid)
        return str_dup("pid needs a PID: wslns pid PID [--in vm|system:NAME|NAME]");
    if (opt->command == CLI_DIFF && !opt->diff_new)
        return str_dup("diff needs two reports: wslns diff OLD.json NEW.json (each written by "
                       "wslns --json FILE)");
    if (opt->command == CLI_DIFF && not_for_diff)
        return str_printf("'%s' does not go with diff, which compares two saved reports "
                          "(only --json and --color)",
                          not_for_diff);
    if (opt->in && opt->command != CLI_PID)
        return str_dup("--in only goes with the pid command");
    if (opt->replay_dir && not_for_replay)
        return str_printf("--replay takes the command and what to collect from the recording; "
                          "'%s' cannot go with it (only --json, --html, --color, --ascii)",
                          not_for_replay);
    return NULL;
}

static errmsg parse_args(int argc, char **argv, struct cli_options *opt)
{
    bool have_command = false, have_pid = false, help = false;
    const char *not_for_replay = NULL; /* the first argument --replay cannot go with */
    const char *not_for_diff = NULL;   /* the first option diff cannot go with */
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *value = NULL;
        if (strcmp(arg, "/?") == 0) {
            help = true;
            continue;
        }
        if (arg[0] != '-' || strcmp(arg, "-") == 0) {
            not_for_replay = not_for_replay ? not_for_replay : arg;
            char *error = positional(opt, arg, &have_command, &have_pid);
            if (error)
                return error;
            continue;
        }
        const struct option_spec *o = NULL;
        char *error = read_option(argc, argv, &i, &o, &value);
        if (error)
            return error;
        if (!replay_may_take(o->id) && !not_for_replay)
            not_for_replay = arg;
        if (!diff_may_take(o->id) && !not_for_diff)
            not_for_diff = arg;
        error = apply_option(opt, o->id, value);
        if (error)
            return error;
        help = help || opt->command == CLI_HELP;
    }
    if (help) {
        opt->command = CLI_HELP;
        return NULL;
    }
    return check_combination(opt, have_pid, not_for_diff, not_for_replay);
}

errmsg cli_parse(int argc, char **argv, struct cli_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->command = CLI_MAP;
    opt->timeout_s = 30;
    char *error = parse_args(argc, argv, opt);
    if (opt->command == CLI_PID && !opt->in)
        opt->in = "vm";
    return error;
}

void cli_free(struct cli_options *opt)
{
    free(opt->only);
    free(opt->from);
    for (size_t i = 0; i < opt->timeout_nr; i++)
        free((char *)opt->timeouts[i].where);
    free(opt->timeouts);
    opt->timeouts = NULL;
    opt->timeout_nr = 0;
    opt->only = opt->from = NULL;
    opt->only_nr = opt->from_nr = 0;
}
