/* strbuf.h - a growable byte buffer and small string helpers, shared by the probe and the
 * host tool (plain C11: no strdup/asprintf, which MinGW and -std=c11 do not all provide).
 *
 * Contract:
 * - A struct strbuf starts zeroed (STRBUF_INIT); data is always NUL-terminated once
 *   anything was appended (len excludes the NUL). strbuf_release frees it and re-zeroes.
 * - Nothing here fails as a value: memory comes from xalloc.h, which ends the process with
 *   XALLOC_EXIT_CODE when it runs out. len is the bytes held, alloc the capacity (ALLOC_GROW).
 * - A format the C library cannot render (vsnprintf < 0) appends nothing.
 * - strbuf_detach hands the data to the caller (who frees it; "" when nothing was appended)
 *   and re-zeroes the buffer.
 * - str_dup/str_ndup/str_printf return new strings the caller frees, never NULL.
 */
#ifndef WSLNS_STRBUF_H
#define WSLNS_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* MinGW builds use its C99-conforming printf (__USE_MINGW_ANSI_STDIO, set by CMake), whose
 * format archetype is gnu_printf; elsewhere plain printf. */
#if defined(__MINGW_PRINTF_FORMAT)
#define STRBUF_PRINTF_FORMAT __MINGW_PRINTF_FORMAT
#else
#define STRBUF_PRINTF_FORMAT printf
#endif

/* Marks a printf-like function (format string is argument f, arguments start at a) so the
 * compiler checks its callers. Use this, not format(printf, ...), which MinGW reads as msvcrt's. */
#if defined(__GNUC__)
#define WSLNS_PRINTF_LIKE(f, a) __attribute__((format(STRBUF_PRINTF_FORMAT, f, a)))
#else
#define WSLNS_PRINTF_LIKE(f, a)
#endif

struct strbuf {
    char *data;
    size_t len, alloc;
};

#define STRBUF_INIT {0}

void strbuf_append(struct strbuf *sb, const void *data, size_t len);
void strbuf_puts(struct strbuf *sb, const char *s);
void strbuf_putc(struct strbuf *sb, char c);
void strbuf_printf(struct strbuf *sb, const char *fmt, ...) WSLNS_PRINTF_LIKE(2, 3);
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_release(struct strbuf *sb);

char *str_dup(const char *s);
char *str_ndup(const char *s, size_t n);
char *str_printf(const char *fmt, ...) WSLNS_PRINTF_LIKE(1, 2);
char *str_vprintf(const char *fmt, va_list ap) WSLNS_PRINTF_LIKE(1, 0);

#endif
