#include "escape.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

#define FORM_MAX 16 /* "\u{10ffff}" and its NUL, with room the compiler can prove */

/* The unit at p (n > 0 bytes): its length, and its escape in form ("" when it is shown as
 * it is). A backslash is not an escape here: the callers double it as plain text. */
static size_t unit(const unsigned char *p, size_t n, char form[FORM_MAX], unsigned *cp)
{
    size_t len = utf8_sequence_length(p, n);
    form[0] = '\0';
    if (len == 0) {
        *cp = p[0];
        snprintf(form, FORM_MAX, "\\x%02x", p[0]);
        return 1;
    }
    *cp = utf8_decode(p, len);
    if (*cp == '\n')
        strcpy(form, "\\n");
    else if (*cp == '\t')
        strcpy(form, "\\t");
    else if (*cp == 0x1B)
        strcpy(form, "\\e");
    else if (*cp < 0x20 || *cp == 0x7F)
        snprintf(form, FORM_MAX, "\\x%02x", *cp);
    else if (utf8_is_deceptive(*cp))
        snprintf(form, FORM_MAX, "\\u{%04x}", *cp);
    return len;
}

/* A blank of any kind (Unicode White_Space that is not escaped anyway): inside an argument
 * it would read as the space between two arguments. */
static bool is_blank(unsigned cp)
{
    return cp == ' ' || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
           cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

static void plain_as_is(struct strbuf *sb, const char *s, size_t n)
{
    strbuf_append(sb, s, n);
}

static void escaped_as_is(struct strbuf *sb, const char *form)
{
    strbuf_puts(sb, form);
}

static const struct escape_sink terminal = {plain_as_is, escaped_as_is};

/* The shared loop; quoted: inside "...", where a quote is written \". */
static void put_units(struct strbuf *sb, const char *s, size_t n, const struct escape_sink *sink,
                      bool data, bool quoted)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t run = 0; /* start of the plain text not yet handed to the sink */
    for (size_t i = 0; i < n;) {
        char form[FORM_MAX];
        unsigned cp;
        size_t len = unit(p + i, n - i, form, &cp);
        const char *extra = NULL;
        if (cp == '\\' && len == 1 && data)
            extra = "\\";
        else if (cp == '"' && quoted)
            extra = "\\";
        if (form[0] || extra) {
            sink->plain(sb, s + run, i - run);
            if (form[0]) {
                sink->escaped(sb, form);
            } else {
                sink->plain(sb, extra, 1);
                sink->plain(sb, s + i, 1);
            }
            run = i + len;
        }
        i += len;
    }
    sink->plain(sb, s + run, n - run);
}

void escape_text(struct strbuf *sb, const char *s, size_t n, enum escape_mode mode,
                 const struct escape_sink *sink)
{
    put_units(sb, s, n, sink ? sink : &terminal, mode == ESCAPE_DATA, false);
}

void escape_argument(struct strbuf *sb, const char *s, size_t n, const struct escape_sink *sink)
{
    sink = sink ? sink : &terminal;
    const unsigned char *p = (const unsigned char *)s;
    bool quote = n == 0;
    for (size_t i = 0; i < n && !quote;) {
        size_t len = utf8_sequence_length(p + i, n - i);
        unsigned cp = len ? utf8_decode(p + i, len) : 0;
        quote = cp == '"' || cp == '\'' || is_blank(cp);
        i += len ? len : 1;
    }
    if (quote)
        sink->plain(sb, "\"", 1);
    put_units(sb, s, n, sink, true, quote);
    if (quote)
        sink->plain(sb, "\"", 1);
}

void escape_terminal(struct strbuf *sb, const char *s)
{
    put_units(sb, s, strlen(s), &terminal, true, false);
}

void escape_message(struct strbuf *sb, const char *s)
{
    put_units(sb, s, strlen(s), &terminal, false, false);
}

char *escape_dup(const char *s, enum escape_mode mode)
{
    struct strbuf sb = STRBUF_INIT;
    put_units(&sb, s, strlen(s), &terminal, mode == ESCAPE_DATA, false);
    return strbuf_detach(&sb, NULL);
}
