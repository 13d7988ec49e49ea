#include "source.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "view.h"
#include "xalloc.h"

struct source *source_list_add(struct source_list *list, enum source_kind kind)
{
    ALLOC_GROW(list->items, list->nr + 1, list->alloc);
    struct source *s = &list->items[list->nr++];
    memset(s, 0, sizeof *s);
    s->kind = kind;
    return s;
}

static void set_status(struct source *s, enum source_status status, const char *fmt, va_list ap)
{
    free(s->reason);
    s->reason = str_vprintf(fmt, ap);
    s->status = status;
}

void source_fail(struct source *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_status(s, SOURCE_FAILED, fmt, ap);
    va_end(ap);
}

void source_skip(struct source *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_status(s, SOURCE_SKIPPED, fmt, ap);
    va_end(ap);
}

const char *source_kind_name(enum source_kind kind)
{
    switch (kind) {
    case SOURCE_DISTRO: return "distro";
    case SOURCE_SYSTEM: return "system";
    case SOURCE_VM: return "vm";
    case SOURCE_FILE: break;
    }
    return "file";
}

const char *source_status_name(enum source_status status)
{
    switch (status) {
    case SOURCE_OK: return "ok";
    case SOURCE_FAILED: return "failed";
    case SOURCE_SKIPPED: break;
    }
    return "skipped";
}

char *source_describe(const struct source *s)
{
    switch (s->kind) {
    case SOURCE_DISTRO: return str_printf("distro %s", s->distro ? s->distro : "?");
    case SOURCE_SYSTEM: return str_printf("system distro of %s", s->distro ? s->distro : "?");
    case SOURCE_VM: return str_dup("VM root (debug shell)");
    case SOURCE_FILE: return str_printf("file %s", s->path ? s->path : "?");
    }
    return str_dup("?");
}

void source_list_free(struct source_list *list)
{
    for (size_t i = 0; i < list->nr; i++) {
        struct source *s = &list->items[i];
        free(s->distro);
        free(s->path);
        free(s->reason);
        free(s->wsl_error);
        free(s->output);
        view_free(s->view);
    }
    free(list->items);
    memset(list, 0, sizeof *list);
}
