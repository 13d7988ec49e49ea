#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool grow(struct strbuf *sb, size_t extra)
{
    if (sb->oom)
        return false;
    if (extra > (size_t)-1 / 2 - sb->len) {
        sb->oom = true;
        return false;
    }
    size_t need = sb->len + extra + 1;
    if (need <= sb->cap)
        return true;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < need)
        cap *= 2;
    char *data = realloc(sb->data, cap);
    if (!data) {
        sb->oom = true;
        return false;
    }
    sb->data = data;
    sb->cap = cap;
    return true;
}

bool strbuf_append(struct strbuf *sb, const void *data, size_t len)
{
    if (!grow(sb, len))
        return false;
    if (len)
        memcpy(sb->data + sb->len, data, len);
    sb->len += len;
    sb->data[sb->len] = '\0';
    return true;
}

bool strbuf_puts(struct strbuf *sb, const char *s)
{
    return strbuf_append(sb, s, strlen(s));
}

bool strbuf_putc(struct strbuf *sb, char c)
{
    return strbuf_append(sb, &c, 1);
}

static bool vappendf(struct strbuf *sb, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0 || !grow(sb, (size_t)n))
        return false;
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
    return true;
}

bool strbuf_printf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bool ok = vappendf(sb, fmt, ap);
    va_end(ap);
    return ok;
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
    char *data = sb->data;
    if (!data && !sb->oom)
        data = calloc(1, 1);
    if (len)
        *len = sb->len;
    if (sb->oom) {
        free(data);
        data = NULL;
    }
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
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
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
    if (!vappendf(&sb, fmt, ap)) {
        strbuf_release(&sb);
        return NULL;
    }
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
