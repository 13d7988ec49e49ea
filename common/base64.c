#include "base64.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void base64_put_lines(struct strbuf *sb, const void *data, size_t n)
{
    const unsigned char *p = data;
    size_t col = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned long v = (unsigned long)p[i] << 16;
        if (i + 1 < n)
            v |= (unsigned long)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        char q[4] = {alphabet[(v >> 18) & 63], alphabet[(v >> 12) & 63], '=', '='};
        if (i + 1 < n)
            q[2] = alphabet[(v >> 6) & 63];
        if (i + 2 < n)
            q[3] = alphabet[v & 63];
        strbuf_append(sb, q, 4);
        col += 4;
        if (col == BASE64_LINE) {
            strbuf_putc(sb, '\n');
            col = 0;
        }
    }
    if (col)
        strbuf_putc(sb, '\n');
}
