/* xalloc.h - the one policy for running out of memory, shared by the probe and the host tool:
 * allocation never fails as a value. Every allocation goes through these functions (and the
 * string helpers of strbuf.h, which use them); when memory runs out they write one short line
 * to stderr and end the process with XALLOC_EXIT_CODE, as util-linux's xalloc.h and git do.
 * So no caller checks for NULL, carries an "out of memory" flag or prints a "?" in place of a
 * string it could not build: a result is either complete or the process is gone.
 *
 * Contract:
 * - XALLOC_EXIT_CODE (71, sysexits.h's EX_OSERR) is used for nothing else by wslns or
 *   wslns-probe (docs/cli.md, docs/probe.md "Exit codes"); the host names it when a probe
 *   ends with it.
 * - xmalloc/xcalloc/xrealloc never return NULL (a request of 0 bytes gets a valid, unique
 *   pointer). xcalloc and xreallocarray check the multiplication count * size for overflow;
 *   an overflowing size is treated as running out of memory.
 * - xalloc_die writes its line with fputs to the unbuffered stderr (no allocation) and calls
 *   exit(), so atexit handlers (the Windows console restore) still run. It may be called
 *   from any thread.
 * - ALLOC_GROW(items, need, alloc) makes the array `items` (any element type) hold at least
 *   `need` elements; `alloc` (a size_t lvalue) is its capacity in elements, updated. The
 *   capacity grows by doubling from 16 (amortised O(1) per appended element), the byte size is
 *   overflow-checked, and elements already there are kept (realloc). The house names the
 *   count and the capacity of a grown array `nr` and `alloc`:
 *       ALLOC_GROW(list->items, list->nr + 1, list->alloc);
 *       list->items[list->nr++] = item;
 *   `items` and `alloc` are evaluated more than once: pass plain lvalues.
 */
#ifndef WSLNS_XALLOC_H
#define WSLNS_XALLOC_H

#include <stddef.h>

#define XALLOC_EXIT_CODE 71

#if defined(__GNUC__)
#define XALLOC_NORETURN __attribute__((noreturn))
#define XALLOC_MALLOC __attribute__((malloc, returns_nonnull))
#else
#define XALLOC_NORETURN
#define XALLOC_MALLOC
#endif

void xalloc_die(void) XALLOC_NORETURN;
void *xmalloc(size_t size) XALLOC_MALLOC;
void *xcalloc(size_t count, size_t size) XALLOC_MALLOC;
void *xrealloc(void *p, size_t size);
void *xreallocarray(void *p, size_t count, size_t size);

/* The function behind ALLOC_GROW: returns p grown to hold need elements of elem bytes each,
 * *alloc updated (unchanged and p returned as is when it already does). */
void *xgrow(void *p, size_t elem, size_t need, size_t *alloc);

#define ALLOC_GROW(items, need, alloc) ((items) = xgrow((items), sizeof *(items), (need), &(alloc)))

#endif
