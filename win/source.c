#include "source.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"

struct source *source_list_add(struct source_list *list, enum source_kind kind)
{
    if (list->count == list->capacity) {
        size_t cap = list->capacity ? list->capacity * 2 : 8;
        struct source *items = realloc(list->items, cap * sizeof *items);
        if (!items)
            return NULL;
        list->items = items;
        list->capacity = cap;
    }
    struct source *s = &list->items[list->count++];
    memset(s, 0, sizeof *s);
    s->kind = kind;
    return s;
}

static char *vformat(const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return NULL;
    char *out = malloc((size_t)n + 1);
    if (out)
        vsnprintf(out, (size_t)n + 1, fmt, ap);
    return out;
}

static void set_status(struct source *s, enum source_status status, const char *fmt, va_list ap)
{
    free(s->reason);
    s->reason = vformat(fmt, ap);
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

static char *join2(const char *a, const char *b)
{
    size_t la = strlen(a), lb = b ? strlen(b) : 0;
    char *out = malloc(la + lb + 1);
    if (!out)
        return NULL;
    memcpy(out, a, la);
    if (lb)
        memcpy(out + la, b, lb);
    out[la + lb] = '\0';
    return out;
}

char *source_describe(const struct source *s)
{
    switch (s->kind) {
    case SOURCE_DISTRO: return join2("distro ", s->distro ? s->distro : "?");
    case SOURCE_SYSTEM: return join2("system distro of ", s->distro ? s->distro : "?");
    case SOURCE_VM: return join2("VM root (debug shell)", NULL);
    case SOURCE_FILE: return join2("file ", s->path ? s->path : "?");
    }
    return join2("?", NULL);
}

void source_list_free(struct source_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        struct source *s = &list->items[i];
        free(s->distro);
        free(s->path);
        free(s->reason);
        free(s->output);
        view_free(s->view);
    }
    free(list->items);
    memset(list, 0, sizeof *list);
}
