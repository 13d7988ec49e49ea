#include "wsl/wsl_list.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "utf8.h"
#include "xalloc.h"

static const char *const state_names[] = {
    [WSL_STATE_RUNNING] = "Running",       [WSL_STATE_STOPPED] = "Stopped",
    [WSL_STATE_INSTALLING] = "Installing", [WSL_STATE_UNINSTALLING] = "Uninstalling",
    [WSL_STATE_CONVERTING] = "Converting", [WSL_STATE_EXPORTING] = "Exporting",
};

const char *wsl_state_name(enum wsl_state state)
{
    return state < WSL_STATE_OTHER ? state_names[state] : "?";
}

/* wsl.exe's own text is UTF-16LE without a BOM unless WSL_UTF8=1 is honoured, and builds
 * that ignore the variable exist: a majority of NUL bytes in odd positions is the tell
 * (UTF-8 text never contains NUL). */
static bool looks_utf16le(const unsigned char *b, size_t len)
{
    if (len >= 2 && b[0] == 0xFF && b[1] == 0xFE)
        return true;
    size_t pairs = len / 2, odd_nul = 0;
    if (pairs == 0)
        return false;
    for (size_t i = 1; i < len; i += 2)
        odd_nul += b[i] == 0;
    return odd_nul * 2 >= pairs;
}

static void put_utf8(struct strbuf *sb, unsigned long cp)
{
    char u[4];
    if (cp < 0x80) {
        strbuf_putc(sb, (char)cp);
        return;
    }
    if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        strbuf_append(sb, u, 2);
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        strbuf_append(sb, u, 3);
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        strbuf_append(sb, u, 4);
    }
}

static void utf16le_to_utf8(struct strbuf *sb, const unsigned char *b, size_t len)
{
    size_t i = (len >= 2 && b[0] == 0xFF && b[1] == 0xFE) ? 2 : 0;
    for (; i + 1 < len; i += 2) {
        unsigned long u = b[i] | (unsigned long)b[i + 1] << 8;
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < len) {
            unsigned long lo = b[i + 2] | (unsigned long)b[i + 3] << 8;
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                put_utf8(sb, 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
                i += 2;
                continue;
            }
        }
        if (u >= 0xD800 && u <= 0xDFFF)
            u = 0xFFFD;
        else if (u == 0)
            continue;
        put_utf8(sb, u);
    }
}

char *wsl_text_decode(const char *bytes, size_t len)
{
    const unsigned char *b = (const unsigned char *)bytes;
    struct strbuf raw = STRBUF_INIT;
    if (looks_utf16le(b, len)) {
        utf16le_to_utf8(&raw, b, len);
    } else {
        if (len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
            b += 3, len -= 3;
        strbuf_append(&raw, b, len);
    }
    /* Old builds end lines with CR CR LF; a run of CRs with or without LF is one line end. */
    struct strbuf lines = STRBUF_INIT;
    strbuf_append(&lines, "", 0);
    for (size_t i = 0; i < raw.len; i++) {
        char c = raw.data[i];
        if (c == '\r') {
            while (i + 1 < raw.len && raw.data[i + 1] == '\r')
                i++;
            if (i + 1 < raw.len && raw.data[i + 1] == '\n')
                i++;
            c = '\n';
        }
        strbuf_putc(&lines, c);
    }
    strbuf_release(&raw);
    char *out = utf8_sanitize(lines.data, lines.len);
    strbuf_release(&lines);
    return out;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Sets *start and *end to the line at p trimmed of blanks; returns the start of the next line. */
static const char *next_line(const char *p, const char **start, const char **end)
{
    const char *eol = strchr(p, '\n');
    if (!eol)
        eol = p + strlen(p);
    const char *s = p, *e = eol;
    while (s < e && is_blank(*s))
        s++;
    while (e > s && is_blank(e[-1]))
        e--;
    *start = s;
    *end = e;
    return *eol ? eol + 1 : eol;
}

/* wsl.exe prints an error's code as MessageErrorCode: the message, then a line
 * "<label>: Wsl/<context>/<error>" whose label is localized ("Error code:", "Fehlercode:",
 * "エラー コード:", French "Code d'erreur\u00a0:"; localization/strings/<lang>/Resources.resw in
 * WSL 3e27a6a5, 22 languages, every one ending its label in ':'). So a code line is any line
 * whose last blank-separated token starts with "Wsl/" right after a colon (ASCII or
 * full-width); the label's words are never read. On success *tok is the token's start. */
static bool is_code_line(const char *s, const char *e, const char **tok)
{
    const char *t = e;
    while (t > s && !is_blank(t[-1]))
        t--;
    if (e - t <= 4 || strncmp(t, "Wsl/", 4) != 0)
        return false;
    const char *c = t;
    while (c > s && is_blank(c[-1]))
        c--;
    bool colon = (c > s && c[-1] == ':') ||
                 (c - s >= 3 && memcmp(c - 3, "\xEF\xBC\x9A", 3) == 0); /* U+FF1A */
    if (!colon)
        return false;
    *tok = t;
    return true;
}

char *wsl_error_code(const char *text)
{
    const char *s, *e, *tok, *found = NULL, *found_end = NULL;
    for (const char *p = text; *p;) {
        p = next_line(p, &s, &e);
        if (is_code_line(s, e, &tok)) {
            found = tok;
            found_end = e;
        }
    }
    return found ? str_ndup(found, (size_t)(found_end - found)) : NULL;
}

char *wsl_error_message(const char *text)
{
    struct strbuf sb = STRBUF_INIT;
    const char *s, *e, *tok;
    for (const char *p = text; *p;) {
        p = next_line(p, &s, &e);
        if (s == e || is_code_line(s, e, &tok))
            continue;
        if (sb.len)
            strbuf_putc(&sb, ' ');
        strbuf_append(&sb, s, (size_t)(e - s));
    }
    if (sb.len == 0) {
        strbuf_release(&sb);
        return NULL;
    }
    return strbuf_detach(&sb, NULL);
}

bool wsl_error_is(const char *code, const char *name)
{
    if (!code)
        return false;
    size_t lc = strlen(code), ln = strlen(name);
    if (lc == ln)
        return strcmp(code, name) == 0;
    return lc > ln && code[lc - ln - 1] == '/' && strcmp(code + lc - ln, name) == 0;
}

bool wsl_name_addressable(const char *name)
{
    if (!name || !*name || strlen(name) > WSL_NAME_MAX)
        return false;
    for (const char *p = name; *p; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

/* The header is English on every build ("  NAME  STATE  VERSION"), so it is safe to match. */
static bool is_header(const char *s, const char *e)
{
    static const char *const words[] = {"NAME", "STATE", "VERSION"};
    for (size_t w = 0; w < 3; w++) {
        while (s < e && is_blank(*s))
            s++;
        size_t n = strlen(words[w]);
        if ((size_t)(e - s) < n || strncmp(s, words[w], n) != 0)
            return false;
        s += n;
        if (s < e && !is_blank(*s))
            return false;
    }
    while (s < e && is_blank(*s))
        s++;
    return s == e;
}

/* The last blank-separated token of [s, e): its start goes to *tok; returns its end. */
static const char *last_token(const char *s, const char *e, const char **tok)
{
    while (e > s && is_blank(e[-1]))
        e--;
    const char *t = e;
    while (t > s && !is_blank(t[-1]))
        t--;
    *tok = t;
    return e;
}

static bool set_error(struct wsl_list *out, char *msg)
{
    free(out->error);
    out->error = msg;
    return false;
}

/* One row: the `*` marker (or a blank), the name (may contain spaces), STATE, VERSION.
 * The name column is padded to the longest name, so the row is read from the right. */
static bool parse_row(const char *s, const char *e, struct wsl_distro *d)
{
    bool is_default = false;
    if (s < e && *s == '*') {
        is_default = true;
        s++;
    }
    const char *vtok, *stok;
    const char *vend = last_token(s, e, &vtok);
    if (vtok == vend)
        return false;
    const char *send = last_token(s, vtok, &stok);
    if (stok == send)
        return false;
    const char *ns = s, *ne = stok;
    while (ns < ne && is_blank(*ns))
        ns++;
    while (ne > ns && is_blank(ne[-1]))
        ne--;
    if (ns == ne)
        return false;
    int version = 0;
    for (const char *p = vtok; p < vend; p++) {
        if (*p < '0' || *p > '9' || version > 1000)
            return false;
        version = version * 10 + (*p - '0');
    }
    d->is_default = is_default;
    d->version = version;
    d->name = str_ndup(ns, (size_t)(ne - ns));
    d->state_text = str_ndup(stok, (size_t)(send - stok));
    d->state = WSL_STATE_OTHER;
    for (int i = 0; i < WSL_STATE_OTHER; i++) {
        if (strcmp(d->state_text, state_names[i]) == 0)
            d->state = (enum wsl_state)i;
    }
    return true;
}

/* A short, printable excerpt of text for messages about output wslns did not expect. */
static char *excerpt(const char *text)
{
    struct strbuf sb = STRBUF_INIT;
    size_t len = strlen(text), cut = len > 120 ? 120 : len;
    /* text is decoded UTF-8: end the quote on a character, not inside one. */
    while (cut > 0 && cut < len && ((unsigned char)text[cut] & 0xC0) == 0x80)
        cut--;
    for (size_t i = 0; i < cut; i++) {
        char c = text[i];
        if (c == '\n')
            c = ' ';
        strbuf_putc(&sb, c);
    }
    if (len > 120)
        strbuf_puts(&sb, "...");
    return strbuf_detach(&sb, NULL);
}

/* No distro installed is a normal state, not a failure. Current builds throw
 * WSL_E_DEFAULT_DISTRO_NOT_FOUND, which wmain prints WITHOUT a code line (WSL
 * src/windows/common/WslClient.cpp 3e27a6a5), exit -1, as MessageNoDefaultDistro: localized,
 * but its "--list --online" and "--install" are locked against translation in all 22
 * languages, so those tokens identify it. Some builds printed the code line; the oldest
 * printed only an English sentence (kept for them). */
static bool says_none_installed(const char *code, const char *message, int exit_code)
{
    return wsl_error_is(code, "WSL_E_DEFAULT_DISTRO_NOT_FOUND") ||
           (!code && exit_code != 0 && message && strstr(message, "--list --online") &&
            strstr(message, "--install")) ||
           (!code && message && strstr(message, "no installed distributions"));
}

/* Output without the table's header: an old wsl.exe, an error without a code, or (empty,
 * exit 0) nothing installed on old builds, which is no error. */
static void no_table(struct wsl_list *out, const char *message, int exit_code)
{
    char *ex = excerpt(message ? message : "");
    bool empty_ok = !message && exit_code == 0;
    /* Builds without --verbose name the option they reject (in any language); the
     * oldest print an English usage text. */
    if (message && (strstr(message, "--verbose") || strstr(message, "Usage:")))
        set_error(out, str_printf("this wsl.exe does not know `--list --verbose` (it is "
                                  "older than Windows 10 1903); update WSL with `wsl "
                                  "--update` or from the Microsoft Store. It said: %s",
                                  ex));
    else if (!empty_ok)
        set_error(out, str_printf("unexpected output from wsl.exe --list --verbose "
                                  "(exit %d): %s",
                                  exit_code, *ex ? ex : "(nothing)"));
    free(ex);
}

/* p just past the table's header line, or NULL when there is none. */
static const char *after_header(const char *p)
{
    const char *s, *e;
    while (*p) {
        p = next_line(p, &s, &e);
        if (is_header(s, e))
            return p;
    }
    return NULL;
}

/* One distro per non-empty line from p on; stops at the first row that does not parse. */
static void parse_rows(const char *p, struct wsl_list *out)
{
    while (*p) {
        const char *row = p, *s, *e;
        p = next_line(p, &s, &e);
        if (s == e)
            continue;
        ALLOC_GROW(out->distros, out->nr + 1, out->alloc);
        struct wsl_distro *d = &out->distros[out->nr++];
        memset(d, 0, sizeof *d);
        if (!parse_row(s, e, d)) {
            char *line = str_ndup(row, (size_t)(e - row));
            char *ex = excerpt(line);
            set_error(out, str_printf("unexpected row in wsl.exe --list --verbose: \"%s\"", ex));
            free(ex);
            free(line);
            return;
        }
    }
}

static void parse_text(const char *text, int exit_code, struct wsl_list *out)
{
    char *code = wsl_error_code(text);
    char *message = wsl_error_message(text);
    const char *rows = after_header(text);
    if (says_none_installed(code, message, exit_code)) {
        free(code);
    } else if (code) {
        out->error_code = code;
        set_error(out, str_printf("wsl.exe --list --verbose failed: %s (Error code: %s)",
                                  message ? message : "no message", code));
    } else if (!rows) {
        no_table(out, message, exit_code);
    } else {
        parse_rows(rows, out);
    }
    free(message);
}

void wsl_list_parse(const char *bytes, size_t len, int exit_code, struct wsl_list *out)
{
    memset(out, 0, sizeof *out);
    char *text = wsl_text_decode(bytes, len);
    parse_text(text, exit_code, out);
    free(text);
    if (out->error) {
        for (size_t i = 0; i < out->nr; i++) {
            free(out->distros[i].name);
            free(out->distros[i].state_text);
        }
        free(out->distros);
        out->distros = NULL;
        out->nr = out->alloc = 0;
    }
}

void wsl_list_free(struct wsl_list *list)
{
    for (size_t i = 0; i < list->nr; i++) {
        free(list->distros[i].name);
        free(list->distros[i].state_text);
    }
    free(list->distros);
    free(list->error);
    free(list->error_code);
    memset(list, 0, sizeof *list);
}
