#include "strbuf.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room for extra more bytes and the NUL. */
static void grow(struct strbuf *sb, size_t extra)
{
    if (extra > (size_t)-1 / 2 - sb->len)
        xalloc_die();
    ALLOC_GROW(sb->data, sb->len + extra + 1, sb->alloc);
}

void strbuf_append(struct strbuf *sb, const void *data, size_t len)
{
    grow(sb, len);
    if (len)
        memcpy(sb->data + sb->len, data, len);
    sb->len += len;
    sb->data[sb->len] = '\0';
}

void strbuf_puts(struct strbuf *sb, const char *s)
{
    strbuf_append(sb, s, strlen(s));
}

void strbuf_putc(struct strbuf *sb, char c)
{
    strbuf_append(sb, &c, 1);
}

/* A format the C library cannot render (vsnprintf < 0) appends nothing. */
static void vappendf(struct strbuf *sb, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return;
    grow(sb, (size_t)n);
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void strbuf_printf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vappendf(sb, fmt, ap);
    va_end(ap);
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
    char *data = sb->data ? sb->data : xcalloc(1, 1);
    if (len)
        *len = sb->len;
    memset(sb, 0, sizeof *sb);
    return data;
}

void strbuf_release(struct strbuf *sb)
{
    free(sb->data);
    memset(sb, 0, sizeof *sb);
}

char *str_ndup(const char *s, size_t n)
{
    if (n == (size_t)-1)
        xalloc_die();
    char *out = xmalloc(n + 1);
    memcpy(out, s, n);
    out[n] = '\0';
    return out;
}

char *str_dup(const char *s)
{
    return str_ndup(s, strlen(s));
}

char *str_vprintf(const char *fmt, va_list ap)
{
    struct strbuf sb = STRBUF_INIT;
    vappendf(&sb, fmt, ap);
    return strbuf_detach(&sb, NULL);
}

char *str_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *out = str_vprintf(fmt, ap);
    va_end(ap);
    return out;
}
