/* The command line of docs/cli.md: commands, options, values and usage errors. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cli.h"

static char *parse(struct cli_options *opt, int argc, const char *const *argv)
{
    return cli_parse(argc, (char **)argv, opt);
}

static void defaults_to_map(void)
{
    const char *argv[] = {"wslns", NULL};
    struct cli_options opt;
    char *error = parse(&opt, 1, argv);
    CHECK(error == NULL);
    CHECK_INT(opt.command, CLI_MAP);
    CHECK_INT((long long)opt.timeout_s, 30);
    CHECK(opt.only == NULL && opt.from == NULL);
    cli_free(&opt);
}

static void reads_every_option(void)
{
    const char *argv[] = {"wslns",
                          "map",
                          "-d",
                          "Ubuntu",
                          "--distribution=Debian",
                          "--all",
                          "--no-system",
                          "--no-debug-shell",
                          "--from",
                          "a.json",
                          "--from=b.json",
                          "--json",
                          "-",
                          "--wsl",
                          "w.exe",
                          "--probe",
                          "p",
                          "--wslconfig",
                          "c",
                          "--timeout",
                          "2.5",
                          "--color",
                          "never",
                          "--ascii",
                          NULL};
    struct cli_options opt;
    char *error = parse(&opt, 24, argv);
    CHECK(error == NULL);
    CHECK_INT(opt.only_nr, 2);
    CHECK_STR(opt.only[1], "Debian");
    CHECK(opt.only[2] == NULL);
    CHECK_INT(opt.from_nr, 2);
    CHECK_STR(opt.from[1], "b.json");
    CHECK(opt.all && opt.no_system && opt.no_debug_shell && opt.ascii);
    CHECK_STR(opt.json_path, "-");
    CHECK_STR(opt.wsl_path, "w.exe");
    CHECK_STR(opt.probe_path, "p");
    CHECK_STR(opt.wslconfig_path, "c");
    CHECK(opt.timeout_s == 2.5);
    CHECK_INT(opt.color, CLI_COLOR_NEVER);
    cli_free(&opt);
}

static void pid_command(void)
{
    const char *argv[] = {"wslns", "pid", "48950", "--in", "system:Ubuntu", NULL};
    struct cli_options opt;
    char *error = parse(&opt, 5, argv);
    CHECK(error == NULL);
    CHECK_INT(opt.command, CLI_PID);
    CHECK_INT(opt.pid, 48950);
    CHECK_STR(opt.in, "system:Ubuntu");
    cli_free(&opt);
    const char *argv2[] = {"wslns", "pid", "7", NULL};
    error = parse(&opt, 3, argv2);
    CHECK(error == NULL);
    CHECK_STR(opt.in, "vm");
    cli_free(&opt);
}

static void per_view_timeouts(void)
{
    const char *argv[] = {"wslns",     "--timeout", "120",
                          "--timeout", "vm=5",      "--timeout=system:Ubuntu=7.5",
                          "--timeout", "My=D=2",    NULL};
    struct cli_options opt;
    char *error = parse(&opt, 8, argv);
    CHECK(error == NULL);
    CHECK(opt.timeout_s == 120);
    CHECK_INT(opt.timeout_nr, 3);
    if (opt.timeout_nr == 3) {
        CHECK_STR(opt.timeouts[0].where, "vm");
        CHECK(opt.timeouts[0].seconds == 5);
        CHECK_STR(opt.timeouts[1].where, "system:Ubuntu");
        CHECK(opt.timeouts[1].seconds == 7.5);
        CHECK_STR(opt.timeouts[2].where, "My=D"); /* SECONDS never holds '=' */
    }
    free(error);
    cli_free(&opt);
}

static void help_forms(void)
{
    static const char *const forms[] = {"--help", "-h", "/?"};
    for (size_t i = 0; i < CHECK_COUNT(forms); i++) {
        struct cli_options opt;
        const char *argv[] = {"wslns", forms[i], NULL};
        char *error = parse(&opt, 2, argv);
        CHECK(error == NULL);
        CHECK_INT(opt.command, CLI_HELP);
        cli_free(&opt);
    }
    /* The usage fits 80 columns. */
    const char *u = cli_usage();
    size_t col = 0, widest = 0;
    for (; *u; u++) {
        col = *u == '\n' ? 0 : col + 1;
        widest = col > widest ? col : widest;
    }
    CHECK(widest <= 80);
}

struct usage_case {
    int argc;
    const char *argv[6];
    const char *error;
};

static void usage_errors(void)
{
    static const struct usage_case cases[] = {
        {2, {"wslns", "--frobnicate"}, "unknown option '--frobnicate'"},
        {2, {"wslns", "--from"}, "--from needs a value"},
        {2, {"wslns", "mapp"}, "unknown command 'mapp'"},
        {2, {"wslns", "pid"}, "pid needs a PID"},
        {3, {"wslns", "pid", "-3"}, "unknown option '-3'"},
        {3, {"wslns", "pid", "x12"}, "'x12' is not a pid"},
        {3, {"wslns", "--timeout", "0"}, "--timeout"},
        {3, {"wslns", "--timeout", "vm=0"}, "not a number from 0.1"},
        {3, {"wslns", "--timeout", "vm="}, "WHERE=SECONDS"},
        {3, {"wslns", "--timeout", "=5"}, "needs a view before '='"},
        {3, {"wslns", "--timeout", "system:=5"}, "needs a view before '='"},
        {3, {"wslns", "--color", "sometimes"}, "auto, always or never"},
        {2, {"wslns", "--all=yes"}, "--all takes no value"},
        {3, {"wslns", "--in", "vm"}, "--in only goes with the pid command"},
        {3, {"wslns", "map", "extra"}, "unexpected argument 'extra'"},
        {3, {"wslns", "diff", "a.json"}, "diff needs two reports"},
        {5, {"wslns", "diff", "a", "b", "c"}, "unexpected argument 'c'"},
        {6, {"wslns", "diff", "a", "b", "--from", "c"}, "'--from' does not go with diff"},
    };
    for (size_t i = 0; i < CHECK_COUNT(cases); i++) {
        struct cli_options opt;
        char *error = parse(&opt, cases[i].argc, cases[i].argv);
        if (!error || !strstr(error, cases[i].error))
            fprintf(stderr, "  case %zu: %s\n", i, error ? error : "(accepted)");
        CHECK(error && strstr(error, cases[i].error));
        free(error);
        cli_free(&opt);
    }
}

static void diff_command(void)
{
    const char *argv[] = {"wslns",    "diff",    "old.json", "--json=-",
                          "new.json", "--color", "never",    NULL};
    struct cli_options opt;
    char *error = parse(&opt, 7, argv);
    CHECK(error == NULL);
    free(error);
    CHECK_INT(opt.command, CLI_DIFF);
    CHECK_STR(opt.diff_old, "old.json");
    CHECK_STR(opt.diff_new, "new.json");
    CHECK_STR(opt.json_path, "-");
    CHECK_INT(opt.color, CLI_COLOR_NEVER);
    cli_free(&opt);
}

static const struct check_case cases[] = {
    {"cli defaults to map with a 30 s timeout", defaults_to_map},
    {"cli reads diff OLD NEW with --json and --color", diff_command},
    {"cli reads every option, with a value after a space or '='", reads_every_option},
    {"cli reads pid PID --in WHERE, vm by default", pid_command},
    {"cli reads --timeout WHERE=SECONDS per view beside --timeout SECONDS", per_view_timeouts},
    {"cli knows --help, -h and /? and its usage fits 80 columns", help_forms},
    {"cli names the argument at fault in usage errors", usage_errors},
};

int main(int argc, char **argv)
{
    return check_main(cases, CHECK_COUNT(cases), argc, argv);
}
