/* finding.c - the one finding list of the config checks and the doctor (finding.h). */
#include "config/finding.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "xalloc.h"

static void finding_free(struct finding *f)
{
    free(f->distro);
    free(f->file);
    free(f->message);
    free(f->fix);
    memset(f, 0, sizeof *f);
}

void finding_add(struct finding_list *list, const char *code, enum severity severity,
                 const char *distro, const char *file, unsigned long line, char *message, char *fix)
{
    struct finding f = {.severity = severity,
                        .code = code,
                        .distro = distro ? str_dup(distro) : NULL,
                        .file = file ? str_dup(file) : NULL,
                        .line = line,
                        .message = message,
                        .fix = fix};
    ALLOC_GROW(list->items, list->nr + 1, list->alloc);
    list->items[list->nr++] = f;
}

void finding_add_copy(struct finding_list *list, const struct finding *f)
{
    finding_add(list, f->code, f->severity, f->distro, f->file, f->line, str_dup(f->message),
                f->fix ? str_dup(f->fix) : NULL);
}

void finding_drop_last(struct finding_list *list)
{
    if (list->nr)
        finding_free(&list->items[--list->nr]);
}

void finding_list_free(struct finding_list *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->nr; i++)
        finding_free(&list->items[i]);
    free(list->items);
    memset(list, 0, sizeof *list);
}
