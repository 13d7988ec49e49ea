/* finding.h - one diagnosis for the user, as the config checks (gui_state) and the doctor
 * report them: how bad it is (common/severity.h), a stable code, what it is about, what is
 * wrong and what to do. The doctor renders them (render/render_doctor.c: text, wslns-doctor/1
 * JSON, HTML).
 *
 * Codes are `area.snake_case` ("gui.invalid_value", "doctor.still_off"); each area lists its
 * codes in its header and docs/ page (docs/config.md, docs/doctor.md).
 *
 * Contract:
 * - A struct finding_list starts zeroed; finding_list_free releases every string in it and
 *   zeroes it again (safe on a zeroed or already freed list).
 * - finding_add copies distro and file and takes ownership of message (never NULL) and fix.
 *   The list grows by ALLOC_GROW (xalloc.h): adding cannot fail.
 * - `code` is never copied: it must be a static string.
 */
#ifndef WSLNS_FINDING_H
#define WSLNS_FINDING_H

#include <stdbool.h>
#include <stddef.h>

#include "severity.h"

struct finding {
    enum severity severity;
    const char *code;   /* static, stable */
    char *distro;       /* NULL for findings about .wslconfig or WSL as a whole */
    char *file;         /* the file's display path, NULL when about no file */
    unsigned long line; /* 0 when about no single line */
    char *message;
    char *fix; /* NULL when there is nothing to change */
};

struct finding_list {
    struct finding *items;
    size_t nr, alloc; /* grown by ALLOC_GROW (xalloc.h) */
};

void finding_add(struct finding_list *list, const char *code, enum severity severity,
                 const char *distro, const char *file, unsigned long line, char *message,
                 char *fix);

/* Appends a copy of f (all its strings copied). */
void finding_add_copy(struct finding_list *list, const struct finding *f);

/* Removes and frees the last finding (nothing when the list is empty). */
void finding_drop_last(struct finding_list *list);

void finding_list_free(struct finding_list *list);

#endif
