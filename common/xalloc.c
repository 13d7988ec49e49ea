#include "xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

void xalloc_die(void)
{
    fputs("out of memory: stopped (exit 71)\n", stderr);
    exit(XALLOC_EXIT_CODE);
}

void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        xalloc_die();
    return p;
}

void *xcalloc(size_t count, size_t size)
{
    if (count && size > SIZE_MAX / count)
        xalloc_die();
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        xalloc_die();
    return p;
}

void *xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);
    if (!q)
        xalloc_die();
    return q;
}

void *xreallocarray(void *p, size_t count, size_t size)
{
    if (count && size > SIZE_MAX / count)
        xalloc_die();
    return xrealloc(p, count * size);
}

void *xgrow(void *p, size_t elem, size_t need, size_t *alloc)
{
    if (need <= *alloc)
        return p;
    size_t cap = *alloc < 16 ? 16 : *alloc;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    p = xreallocarray(p, cap, elem);
    *alloc = cap;
    return p;
}
