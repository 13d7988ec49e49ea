/* wslns-probe: maps the pid namespaces visible from here and prints them as one JSON document
 * (wslns-probe/1, docs/probe.md) or as a tree. Read-only: it writes nothing but stdout and
 * stderr. Exit: 0 ok; 1 partial (see "errors"); 2 usage; 3 cannot map; 71 out of memory
 * (xalloc.h). */
#include "context.h"
#include "json.h"
#include "scan.h"
#include "strbuf.h"
#include "tree.h"
#include "wslns_version.h"
#include "xalloc.h"

#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { EXIT_PARTIAL = 1, EXIT_USAGE = 2, EXIT_CANNOT_MAP = 3 };

static const char usage[] =
    "usage: wslns-probe [--pretty | --tree]\n"
    "\n"
    "Maps the pid namespaces visible from here: every process with its pid at every level\n"
    "(NSpid), every namespace with its parent (NS_GET_PARENT), and what tells where this runs\n"
    "(kernel, distro, WSL variables, WSLg, /etc/wsl.conf). Read-only.\n"
    "\n"
    "  (no option)   one JSON document (schema wslns-probe/1) on stdout, on one line\n"
    "  --pretty      the same document, indented\n"
    "  --tree        the same view as a readable tree\n"
    "  --version     print the version\n"
    "  --help, -h    this text\n"
    "\n"
    "exit: 0 ok; 1 partial (some processes unreadable, listed in \"errors\"); 2 usage;\n"
    "      3 cannot map (no /proc, or no NSpid: WSL 1 or a kernel without pid namespaces);\n"
    "      71 out of memory\n";

static bool write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += n;
        len -= (size_t)n;
    }
    return true;
}

/* Renders the view; returns the exit code. */
static int emit(const struct probe_view *view, const struct probe_context *ctx, bool tree,
                bool pretty)
{
    char *text = NULL;
    size_t len = 0;
    if (tree) {
        struct strbuf sb = STRBUF_INIT;
        probe_tree_render(view, ctx, &sb);
        text = strbuf_detach(&sb, &len);
    } else {
        /* The document ends with a newline so that shells and line readers see it whole. */
        text = probe_json_text(view, ctx, pretty, &len);
    }
    bool written = write_all(STDOUT_FILENO, text, len);
    int err = errno;
    free(text);
    if (!written) {
        fprintf(stderr, "wslns-probe: cannot write the output: %s\n", strerror(err));
        return EXIT_CANNOT_MAP;
    }
    return view->error_nr || ctx->error_nr ? EXIT_PARTIAL : EXIT_SUCCESS;
}

/* Reads the options into *tree and *pretty. Returns -1 to go on, else the exit code (help,
 * version, or a usage error already told on stderr). */
static int parse_args(int argc, char **argv, bool *tree, bool *pretty)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return EXIT_SUCCESS;
        } else if (strcmp(a, "--version") == 0) {
            printf("wslns-probe %s\n", WSLNS_VERSION);
            return EXIT_SUCCESS;
        } else if (strcmp(a, "--pretty") == 0) {
            *pretty = true;
        } else if (strcmp(a, "--tree") == 0) {
            *tree = true;
        } else {
            fprintf(stderr, "wslns-probe: unknown argument '%s' (see wslns-probe --help)\n", a);
            return EXIT_USAGE;
        }
    }
    if (*tree && *pretty) {
        fputs("wslns-probe: --tree and --pretty exclude each other (--pretty indents the JSON "
              "document)\n",
              stderr);
        return EXIT_USAGE;
    }
    return -1;
}

int main(int argc, char **argv)
{
    /* cJSON allocates through xmalloc too: out of memory ends the probe with exit 71. */
    cJSON_InitHooks(&(cJSON_Hooks){.malloc_fn = xmalloc, .free_fn = free});
    bool tree = false, pretty = false;
    int done = parse_args(argc, argv, &tree, &pretty);
    if (done >= 0)
        return done;

    int procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (procfd < 0) {
        fprintf(stderr,
                "wslns-probe: cannot open /proc: %s; the probe needs procfs mounted at "
                "/proc\n",
                strerror(errno));
        return EXIT_CANNOT_MAP;
    }
    struct probe_view view;
    char *message = NULL;
    enum probe_scan_result scanned = probe_scan(procfd, &view, &message);
    if (scanned != PROBE_SCAN_OK) {
        fprintf(stderr, "wslns-probe: %s\n", message);
        free(message);
        probe_view_release(&view);
        close(procfd);
        return EXIT_CANNOT_MAP;
    }
    struct probe_context ctx;
    probe_context_collect(procfd, environ, &ctx);
    close(procfd);
    int code = emit(&view, &ctx, tree, pretty);
    probe_context_release(&ctx);
    probe_view_release(&view);
    return code;
}
