#include "procfs.h"

#include <string.h>

#include "utf8.h"

/* Reads a non-negative decimal number at *p (not past end); advances *p. False when there are
 * no digits or the value does not fit in `max`. */
static bool read_uint(const char **p, const char *end, uint64_t max, uint64_t *out)
{
    const char *s = *p;
    uint64_t v = 0;
    if (s >= end || *s < '0' || *s > '9')
        return false;
    while (s < end && *s >= '0' && *s <= '9') {
        unsigned digit = (unsigned)(*s - '0');
        if (v > (max - digit) / 10)
            return false;
        v = v * 10 + digit;
        s++;
    }
    *p = s;
    *out = v;
    return true;
}


static void skip_blanks(const char **p, const char *end)
{
    while (*p < end && (**p == ' ' || **p == '\t'))
        (*p)++;
}

size_t probe_unescape_name(const char *in, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (in[i] == '\\' && i + 1 < n && (in[i + 1] == 'n' || in[i + 1] == '\\')) {
            out[o++] = in[i + 1] == 'n' ? '\n' : '\\';
            i++;
        } else {
            out[o++] = in[i];
        }
    }
    return o;
}

/* Whether the line of n bytes starts with "<key>:" (the key a string literal): the same as
 * "the text before the line's first colon is key", with no search for the colon. */
#define LINE_HAS_KEY(line, n, key) ((n) >= sizeof key && memcmp(line, key ":", sizeof key) == 0)

static bool parse_nspid(const char *p, const char *end, struct probe_status *out)
{
    size_t n = 0;
    for (;;) {
        skip_blanks(&p, end);
        if (p == end)
            break;
        uint64_t v;
        if (n == PROBE_MAX_LEVELS || !read_uint(&p, end, INT32_MAX, &v) || v == 0)
            return false;
        out->nspid[n++] = (int)v;
    }
    if (n == 0)
        return false;
    out->nspid_len = n;
    out->has_nspid = true;
    return true;
}

/* The status keys a document needs, as bits of `have`. */
enum { HAVE_NAME = 1, HAVE_PPID = 2, HAVE_UID = 4, HAVE_ALL = 7 };

/* Name's value is text: only the one tab the kernel puts after the colon is syntax, a
 * leading space or tab after it belongs to the name. */
static bool parse_name(const char *colon, const char *line_end, struct probe_status *out)
{
    const char *v = colon + 1 < line_end && colon[1] == '\t' ? colon + 2 : colon + 1;
    size_t raw = (size_t)(line_end - v);
    if (raw > (size_t)2 * PROBE_NAME_MAX)
        return false;
    char tmp[2 * PROBE_NAME_MAX];
    size_t n = probe_unescape_name(v, raw, tmp);
    if (n > PROBE_NAME_MAX)
        return false;
    memcpy(out->name, tmp, n);
    out->name_len = n;
    return true;
}

/* A value after "<key>:" and the blanks that follow it. */
static const char *value_of(const char *line, size_t key_len, const char *line_end)
{
    const char *v = line + key_len + 1;
    skip_blanks(&v, line_end);
    return v;
}

/* One "Key:<tab>value" line; adds the key's bit to *have when it is a required one. False
 * when a value we use is malformed. Only Name, State, PPid, Uid and NSpid are read, so the
 * first byte alone passes over most lines. */
static bool parse_status_line(const char *line, const char *line_end, struct probe_status *out,
                              unsigned *have)
{
    size_t n = (size_t)(line_end - line);
    uint64_t num;
    const char *v;
    switch (n ? line[0] : '\0') {
    case 'N':
        if (LINE_HAS_KEY(line, n, "Name")) {
            *have |= HAVE_NAME;
            return parse_name(line + 4, line_end, out);
        }
        return !LINE_HAS_KEY(line, n, "NSpid") ||
               parse_nspid(value_of(line, 5, line_end), line_end, out);
    case 'S':
        if (!LINE_HAS_KEY(line, n, "State"))
            return true;
        v = value_of(line, 5, line_end);
        if (v < line_end)
            out->state = *v;
        return true;
    case 'P':
        if (!LINE_HAS_KEY(line, n, "PPid"))
            return true;
        v = value_of(line, 4, line_end);
        if (!read_uint(&v, line_end, INT32_MAX, &num))
            return false;
        out->ppid = (int)num;
        *have |= HAVE_PPID;
        return true;
    case 'U':
        if (!LINE_HAS_KEY(line, n, "Uid"))
            return true;
        v = value_of(line, 3, line_end);
        if (!read_uint(&v, line_end, UINT32_MAX, &num))
            return false;
        out->uid = (uint32_t)num;
        *have |= HAVE_UID;
        return true;
    }
    return true;
}

bool probe_parse_status(const char *buf, size_t len, struct probe_status *out)
{
    memset(out, 0, sizeof *out);
    out->state = '?';
    unsigned have = 0;
    const char *p = buf, *end = buf + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = nl ? nl : end;
        if (!parse_status_line(p, line_end, out, &have))
            return false;
        /* NSpid follows Name, State, PPid and Uid in every kernel that has it; the forty
         * lines after it are not needed. */
        if (out->has_nspid && have == HAVE_ALL)
            break;
        p = nl ? nl + 1 : end;
    }
    return have == HAVE_ALL;
}

bool probe_parse_cap_eff(const char *buf, size_t len, uint64_t *caps)
{
    const char *p = buf, *end = buf + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = nl ? nl : end;
        if (LINE_HAS_KEY(p, (size_t)(line_end - p), "CapEff")) {
            const char *v = value_of(p, 6, line_end);
            uint64_t mask = 0;
            size_t digits = 0;
            for (; v < line_end && digits < 17; v++, digits++) {
                int d = hex_digit_value(*v);
                if (d < 0)
                    break;
                mask = mask << 4 | (uint64_t)d;
            }
            if (digits == 0 || digits > 16 || v != line_end)
                return false;
            *caps = mask;
            return true;
        }
        p = nl ? nl + 1 : end;
    }
    return false;
}

/* comm is what lies between the first '(' and the last ')' (no later field can hold ')').
 * Returns that ')', or NULL when the text has no such pair. */
static const char *find_comm(const char *buf, size_t len, struct probe_stat *out)
{
    const char *open = memchr(buf, '(', len);
    if (!open)
        return NULL;
    /* Forward from '(' with memchr, which tests a word at a time: faster than a byte loop
     * back from the end over the forty numeric fields. */
    const char *end = buf + len, *close = NULL;
    for (const char *s = open; (s = memchr(s, ')', (size_t)(end - s))) != NULL; s++)
        close = s;
    if (!close)
        return NULL;
    out->comm = open + 1;
    out->comm_len = (size_t)(close - open - 1);
    return close;
}

bool probe_parse_stat(const char *buf, size_t len, struct probe_stat *out)
{
    memset(out, 0, sizeof *out);
    const char *end = buf + len;
    const char *close = find_comm(buf, len, out);
    if (!close)
        return false;
    /* Fields 3.. follow the comm, separated by single spaces. */
    const char *p = close + 1;
    for (int field = 3; field <= 22; field++) {
        if (p >= end || *p != ' ')
            return false;
        p++;
        uint64_t v;
        switch (field) {
        case 3:
            if (p >= end)
                return false;
            out->state = *p++;
            break;
        case 4:
            if (!read_uint(&p, end, INT32_MAX, &v))
                return false;
            out->ppid = (int)v;
            break;
        case 9:
            if (!read_uint(&p, end, UINT32_MAX, &v))
                return false;
            out->flags = (uint32_t)v;
            break;
        case 22:
            if (!read_uint(&p, end, UINT64_MAX, &v))
                return false;
            out->starttime = v;
            break;
        default:
            /* Fields we do not use may be negative (priority, nice, tty_nr, tpgid). */
            while (p < end && *p != ' ' && *p != '\n')
                p++;
            break;
        }
    }
    return true;
}

bool probe_parse_ns_link(const char *buf, size_t len, uint64_t *inode)
{
    return probe_parse_ns_link_of("pid", buf, len, inode);
}

bool probe_parse_ns_link_of(const char *type, const char *buf, size_t len, uint64_t *inode)
{
    const char *p = buf, *end = buf + len;
    uint64_t v;
    size_t tlen = strlen(type);
    if (len < tlen + 4 || memcmp(buf, type, tlen) != 0 || memcmp(buf + tlen, ":[", 2) != 0)
        return false;
    p += tlen + 2;
    if (!read_uint(&p, end, UINT64_MAX, &v) || v == 0 || p + 1 != end || *p != ']')
        return false;
    *inode = v;
    return true;
}

bool probe_cmdline_next(const char *buf, size_t len, size_t *pos, const char **arg, size_t *arg_len)
{
    if (*pos >= len)
        return false;
    const char *start = buf + *pos;
    const char *nul = memchr(start, '\0', len - *pos);
    size_t n = nul ? (size_t)(nul - start) : len - *pos;
    *arg = start;
    *arg_len = n;
    *pos += n + (nul ? 1 : 0);
    return true;
}

size_t probe_cmdline_count(const char *buf, size_t len)
{
    size_t pos = 0, count = 0, n;
    const char *arg;
    while (probe_cmdline_next(buf, len, &pos, &arg, &n))
        count++;
    return count;
}
