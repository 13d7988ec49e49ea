#include "utf8.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

size_t utf8_sequence_length(const unsigned char *s, size_t n)
{
    if (n == 0 || s[0] == 0)
        return 0;
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned int min, cp;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2; min = 0x80; cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3; min = 0x800; cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4; min = 0x10000; cp = c & 0x07u;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

unsigned utf8_decode(const unsigned char *s, size_t len)
{
    switch (len) {
    case 1: return s[0];
    case 2: return (s[0] & 0x1Fu) << 6 | (s[1] & 0x3Fu);
    case 3: return (s[0] & 0x0Fu) << 12 | (s[1] & 0x3Fu) << 6 | (s[2] & 0x3Fu);
    default:
        return (s[0] & 0x07u) << 18 | (s[1] & 0x3Fu) << 12 | (s[2] & 0x3Fu) << 6 | (s[3] & 0x3Fu);
    }
}

/* Shown escaped, never obeyed or hidden: the C1 controls (a terminal may take U+009B as CSI,
 * U+0085 as a line end), the line and paragraph separators, and every code point that is
 * Default_Ignorable_Code_Point (DerivedCoreProperties.txt) or Bidi_Control (PropList.txt) in
 * Unicode 15.0.0: zero-width and invisible characters that make two names look alike, and
 * the controls that reorder text so a command line reads differently from what runs. Sorted,
 * non-overlapping; tests/render/test_render.c checks it against the Unicode data files
 * when the machine has them (Debian's unicode-data). */
static const struct {
    unsigned first, last;
} deceptive_ranges[] = {
    {0x0080, 0x009F},   /* C1 controls */
    {0x00AD, 0x00AD},   /* soft hyphen */
    {0x034F, 0x034F},   /* combining grapheme joiner */
    {0x061C, 0x061C},   /* Arabic letter mark */
    {0x115F, 0x1160},   /* Hangul fillers */
    {0x17B4, 0x17B5},   /* Khmer inherent vowels */
    {0x180B, 0x180F},   /* Mongolian variation selectors and vowel separator */
    {0x200B, 0x200F},   /* zero width space, joiners, LRM, RLM */
    {0x2028, 0x202E},   /* line and paragraph separators, embeddings and overrides */
    {0x2060, 0x206F},   /* word joiner, invisible operators, isolates, deprecated formats */
    {0x3164, 0x3164},   /* Hangul filler */
    {0xFE00, 0xFE0F},   /* variation selectors */
    {0xFEFF, 0xFEFF},   /* zero width no-break space (BOM) */
    {0xFFA0, 0xFFA0},   /* halfwidth Hangul filler */
    {0xFFF0, 0xFFF8},   /* unassigned, default ignorable */
    {0x1BCA0, 0x1BCA3}, /* shorthand format controls */
    {0x1D173, 0x1D17A}, /* musical symbol formats */
    {0xE0000, 0xE0FFF}, /* tags, variation selectors supplement */
};

bool utf8_is_deceptive(unsigned cp)
{
    size_t lo = 0, hi = sizeof deceptive_ranges / sizeof *deceptive_ranges;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < deceptive_ranges[mid].first)
            hi = mid;
        else if (cp > deceptive_ranges[mid].last)
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

bool utf8_is_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t len = utf8_sequence_length(p + i, n - i);
        if (len == 0)
            return false;
        i += len;
    }
    return true;
}

char *utf8_sanitize(const char *s, size_t n)
{
    /* Worst case: every byte becomes the 3-byte U+FFFD. */
    char *out = xcalloc(n + 1, 3);
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, o = 0;
    while (i < n) {
        size_t len = utf8_sequence_length(p + i, n - i);
        if (len == 0) {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i += 1;
        } else {
            memcpy(out + o, p + i, len);
            o += len;
            i += len;
        }
    }
    out[o] = '\0';
    return out;
}

char *hex_encode(const char *s, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char *out = xcalloc(n + 1, 2);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        out[2 * i] = digits[c >> 4];
        out[2 * i + 1] = digits[c & 0x0F];
    }
    out[2 * n] = '\0';
    return out;
}

int hex_digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char *hex_decode(const char *hex, size_t *len)
{
    size_t n = strlen(hex);
    if (n % 2)
        return NULL;
    char *out = xmalloc(n / 2 + 1);
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hex_digit_value(hex[2 * i]), lo = hex_digit_value(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            free(out);
            return NULL;
        }
        out[i] = (char)(hi << 4 | lo);
    }
    out[n / 2] = '\0';
    if (len)
        *len = n / 2;
    return out;
}
