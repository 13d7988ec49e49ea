/* wslconf.c - WSL's config-file grammar, re-implemented from the rules of
 * src/shared/configfile/configfile.cpp (microsoft/WSL); docs/config.md maps every rule to
 * the lines of that file. The parser mirrors WSL's character-at-a-time reader so that the
 * odd cases (line counting, keys below a broken section header, a value cut at a NUL) come
 * out the way WSL sees them, not the way a tidier grammar would. */
#include "config/wslconf.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "utf8.h"
#include "xalloc.h"

/* ---- the keys WSL knows ---- */

/* WslCoreConfig.h (ConfigSetting) with the types of the members they fill in WslCoreConfig.cpp. */
static const struct wslconf_key wslconfig_keys[] = {
    {"wsl2.kernel", NULL, WSLCONF_TEXT},
    {"wsl2.kernelCommandLine", NULL, WSLCONF_TEXT},
    {"wsl2.kernelModules", NULL, WSLCONF_TEXT},
    {"wsl2.memory", NULL, WSLCONF_TEXT},
    {"wsl2.processors", NULL, WSLCONF_INT},
    {"wsl2.debugConsole", NULL, WSLCONF_BOOL},
    {"wsl2.earlyBootLogging", NULL, WSLCONF_BOOL},
    {"wsl2.swap", NULL, WSLCONF_TEXT},
    {"wsl2.swapFile", NULL, WSLCONF_TEXT},
    {"wsl2.localhostForwarding", NULL, WSLCONF_BOOL},
    {"wsl2.nestedVirtualization", NULL, WSLCONF_BOOL},
    {"wsl2.virtio9p", NULL, WSLCONF_BOOL},
    {"wsl2.virtiofs", NULL, WSLCONF_BOOL},
    {"wsl2.kernelDebugPort", NULL, WSLCONF_INT},
    {"wsl2.gpuSupport", NULL, WSLCONF_BOOL},
    {"wsl2.guiApplications", NULL, WSLCONF_BOOL},
    {"wsl2.systemDistro", NULL, WSLCONF_TEXT},
    {"wsl2.telemetry", NULL, WSLCONF_BOOL},
    {"wsl2.vmIdleTimeout", NULL, WSLCONF_INT},
    {"wsl2.debugConsoleLogFile", NULL, WSLCONF_TEXT},
    {"wsl2.kernelBootTimeout", NULL, WSLCONF_INT},
    {"wsl2.distributionStartTimeout", NULL, WSLCONF_INT},
    {"wsl2.virtio", NULL, WSLCONF_BOOL},
    {"wsl2.hostFileSystemAccess", NULL, WSLCONF_BOOL},
    {"wsl2.mountDeviceTimeout", NULL, WSLCONF_INT},
    {"wsl2.hardwarePerformanceCounters", NULL, WSLCONF_BOOL},
    {"wsl2.vmSwitch", NULL, WSLCONF_TEXT},
    {"wsl2.macAddress", NULL, WSLCONF_TEXT},
    {"wsl2.dhcp", NULL, WSLCONF_BOOL},
    {"wsl2.dhcpTimeout", NULL, WSLCONF_INT},
    {"wsl2.ipv6", NULL, WSLCONF_BOOL},
    {"wsl2.dnsProxy", NULL, WSLCONF_BOOL},
    {"wsl2.safeMode", NULL, WSLCONF_BOOL},
    {"wsl2.defaultVhdSize", NULL, WSLCONF_TEXT},
    {"wsl2.crashDumpFolder", NULL, WSLCONF_TEXT},
    {"wsl2.maxCrashDumpCount", NULL, WSLCONF_INT},
    {"general.distributionInstallPath", NULL, WSLCONF_TEXT},
    {"general.instanceIdleTimeout", NULL, WSLCONF_INT},
    {"wsl2.loadDefaultKernelModules", NULL, WSLCONF_BOOL},
    {"wsl2.loadKernelModules", NULL, WSLCONF_TEXT},
    {"wsl2.isolateDistroCgroup", NULL, WSLCONF_BOOL},
    {"wsl2.networkingMode", "experimental.networkingMode", WSLCONF_TEXT},
    {"wsl2.dnsTunneling", "experimental.dnsTunneling", WSLCONF_BOOL},
    {"wsl2.firewall", "experimental.firewall", WSLCONF_BOOL},
    {"wsl2.autoProxy", "experimental.autoProxy", WSLCONF_BOOL},
    {"experimental.autoMemoryReclaim", NULL, WSLCONF_TEXT},
    {"experimental.sparseVhd", NULL, WSLCONF_BOOL},
    {"experimental.bestEffortDnsParsing", NULL, WSLCONF_BOOL},
    {"experimental.dnsTunnelingIpAddress", NULL, WSLCONF_TEXT},
    {"experimental.initialAutoProxyTimeout", NULL, WSLCONF_INT},
    {"experimental.ignoredPorts", NULL, WSLCONF_TEXT},
    {"experimental.hostAddressLoopback", NULL, WSLCONF_BOOL},
    {"experimental.setVersionDebug", NULL, WSLCONF_BOOL},
    {"experimental.swiotlb", NULL, WSLCONF_TEXT},
    {"experimental.virtioFsAggregateShares", NULL, WSLCONF_BOOL},
};

/* src/linux/init/WslDistributionConfig.cpp (the full reader init uses for wsl.conf). */
static const struct wslconf_key wsl_conf_keys[] = {
    {"automount.enabled", NULL, WSLCONF_BOOL},
    {"automount.root", NULL, WSLCONF_TEXT},
    {"automount.options", NULL, WSLCONF_TEXT},
    {"automount.mountFsTab", NULL, WSLCONF_BOOL},
    {"automount.ldconfig", NULL, WSLCONF_BOOL},
    {"automount.cgroups", NULL, WSLCONF_TEXT},
    {"filesystem.umask", NULL, WSLCONF_INT},
    {"interop.appendWindowsPath", NULL, WSLCONF_BOOL},
    {"interop.enabled", NULL, WSLCONF_BOOL},
    {"network.generateHosts", NULL, WSLCONF_BOOL},
    {"network.generateResolvConf", NULL, WSLCONF_BOOL},
    {"network.hostname", NULL, WSLCONF_TEXT},
    {"time.useWindowsTimezone", NULL, WSLCONF_BOOL},
    {"fileServer.enabled", NULL, WSLCONF_BOOL},
    {"fileServer.logFile", NULL, WSLCONF_TEXT},
    {"fileServer.logLevel", NULL, WSLCONF_INT},
    {"fileServer.logTruncate", NULL, WSLCONF_BOOL},
    {"gpu.enabled", NULL, WSLCONF_BOOL},
    {"gpu.appendLibPath", NULL, WSLCONF_BOOL},
    {"user.default", NULL, WSLCONF_TEXT},
    {"boot.command", NULL, WSLCONF_TEXT},
    {"boot.systemd", NULL, WSLCONF_BOOL},
    {"boot.initTimeout", NULL, WSLCONF_INT},
    {"boot.protectBinfmt", NULL, WSLCONF_BOOL},
    {"general.guiApplications", NULL, WSLCONF_BOOL},
};

const struct wslconf_key *wslconf_known_keys(enum wslconf_kind kind, size_t *count)
{
    if (kind == WSLCONF_WSLCONFIG) {
        *count = sizeof(wslconfig_keys) / sizeof(wslconfig_keys[0]);
        return wslconfig_keys;
    }
    *count = sizeof(wsl_conf_keys) / sizeof(wsl_conf_keys[0]);
    return wsl_conf_keys;
}

/* ---- character classes: WSL runs in the "C" locale on both sides (UCRT's isalpha is false
 * above 0xFF, musl's for everything but ASCII letters), so only ASCII counts. ---- */

#define END_OF_INPUT UINT32_MAX

static bool is_alpha(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_alnum(uint32_t c)
{
    return is_alpha(c) || (c >= '0' && c <= '9');
}

static bool is_blank(uint32_t c)
{
    return c == ' ' || c == '\t';
}

static char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* strlen, but looks at no more than max bytes (strnlen is POSIX, not C11). */
static size_t strnlen_capped(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

bool wslconf_name_equal(const char *a, const char *b)
{
    while (*a && ascii_lower(*a) == ascii_lower(*b)) {
        a++;
        b++;
    }
    return ascii_lower(*a) == ascii_lower(*b);
}

/* ---- decoding: what fgetwc hands WSL's parser ---- */

struct units {
    uint32_t *u;
    size_t nr, alloc;
};

static void units_put(struct units *us, uint32_t c)
{
    ALLOC_GROW(us->u, us->nr + 1, us->alloc);
    us->u[us->nr++] = c;
}

/* wsl.conf: init is built with musl and never calls setlocale, and musl's "C" locale hands
 * every byte over as one character: ASCII as itself, 0x80..0xFF as 0xDF80..0xDFFF (never a
 * letter, and cast back to the same byte when stored in a value). */
static void decode_bytes(const unsigned char *p, size_t n, struct units *us)
{
    for (size_t i = 0; i < n; i++)
        units_put(us, p[i] < 0x80 ? p[i] : (0xDF00u | p[i]));
}

static void put_code_point(struct units *us, uint32_t cp)
{
    if (cp > 0xFFFF) {
        cp -= 0x10000;
        units_put(us, 0xD800u + (cp >> 10));
        units_put(us, 0xDC00u + (cp & 0x3FF));
    } else {
        units_put(us, cp);
    }
}

/* .wslconfig: the service opens it with _wfopen(path, L"rt,ccs=UTF-8"), so the CRT decodes
 * UTF-8 (or UTF-16LE after an FF FE BOM) into UTF-16 code units, drops the BOM, turns CR LF
 * into LF and ends the text at a Ctrl-Z (text mode). Invalid UTF-8 becomes U+FFFD. */
static const char *decode_wslconfig(const unsigned char *p, size_t n, struct units *us)
{
    struct units raw = {0};
    const char *encoding;
    if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE) {
        encoding = "utf-16le with BOM";
        for (size_t i = 2; i + 1 < n; i += 2)
            units_put(&raw, (uint32_t)p[i] | ((uint32_t)p[i + 1] << 8));
    } else {
        size_t i = 0;
        encoding = "utf-8";
        if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
            encoding = "utf-8 with BOM";
            i = 3;
        }
        while (i < n) {
            if (p[i] == 0) {
                units_put(&raw, 0);
                i++;
                continue;
            }
            size_t len = utf8_sequence_length(p + i, n - i);
            if (len == 0) {
                units_put(&raw, 0xFFFD);
                i++;
                continue;
            }
            uint32_t cp = len == 1 ? p[i] : (uint32_t)(p[i] & (0xFF >> (len + 1)));
            for (size_t k = 1; k < len; k++)
                cp = (cp << 6) | (p[i + k] & 0x3F);
            put_code_point(&raw, cp);
            i += len;
        }
    }
    for (size_t i = 0; i < raw.nr; i++) {
        if (raw.u[i] == 0x1A)
            break;
        if (raw.u[i] == '\r' && i + 1 < raw.nr && raw.u[i + 1] == '\n')
            continue;
        units_put(us, raw.u[i]);
    }
    free(raw.u);
    return encoding;
}

/* ---- the parser ---- */

struct parser {
    const struct wslconf_input *in;
    struct wslconf_result *out;
    const struct wslconf_key *keys;
    size_t key_count;
    size_t *slot; /* per known key: index of the entry that decided it, or SIZE_MAX */

    const uint32_t *u; /* the input as characters */
    size_t n, pos;
    bool eof;         /* a read hit the end (feof) */
    unsigned long lf; /* LFs consumed so far: the physical line is lf + 1 */

    unsigned long wsl_line;  /* WSL's own line counter, kept exactly as it keeps it */
    unsigned long stmt_line; /* physical line where the current statement starts */
    struct strbuf name; /* WSL's key buffer: section name, then "section.key" */
    size_t section_len; /* length of the section prefix of `name` (WSL's sectionLength) */
    unsigned long header_line;
    bool header_valid;
    bool stopped; /* wsl.conf: an invalid line ended WSL's parsing */

    /* The section prefix of `name` changes only at a header: entries share one copy per
     * header (a 32 KiB name above 8,000 keys is stored once, not 8,000 times). */
    unsigned long section_gen, shared_gen;
    const char *shared_section;
    size_t shared_len;

    /* Problems per code (index in problem_codes), and where the first one not kept was. */
    size_t code_count[16];
    unsigned long code_line[16], code_wsl_line[16];
};

/* Every problem code, with the words its count line uses. */
static const struct {
    const char *code, *what;
} problem_codes[] = {
    {WSLCONF_P_INVALID_SECTION, "Invalid section name"},
    {WSLCONF_P_EXPECTED_BRACKET, "Expected ']'"},
    {WSLCONF_P_EXPECTED_EOL, "Expected ' ' or '\\n'"},
    {WSLCONF_P_INVALID_KEY, "Invalid key name"},
    {WSLCONF_P_EXPECTED_EQUALS, "Expected '='"},
    {WSLCONF_P_INVALID_ESCAPE, "Invalid escaped character"},
    {WSLCONF_P_EXPECTED_QUOTE, "Expected \""},
    {WSLCONF_P_UNKNOWN_KEY, "Unknown key"},
    {WSLCONF_P_INVALID_BOOLEAN, "Invalid boolean value"},
    {WSLCONF_P_INVALID_INTEGER, "Invalid integer value"},
    {WSLCONF_P_DUPLICATE_KEY, "Duplicated config key"},
    {WSLCONF_P_PARSING_STOPPED, "parsing stopped"},
    {WSLCONF_P_BOM, "byte order mark"},
};

static size_t code_index(const char *code)
{
    size_t n = sizeof problem_codes / sizeof problem_codes[0];
    for (size_t i = 0; i < n; i++)
        if (strcmp(problem_codes[i].code, code) == 0)
            return i;
    return n; /* unknown codes share the last counter */
}

static uint32_t next_char(struct parser *p)
{
    if (p->pos >= p->n) {
        p->eof = true;
        return END_OF_INPUT;
    }
    uint32_t c = p->u[p->pos++];
    if (c == '\n')
        p->lf++;
    return c;
}

static void unread_char(struct parser *p, uint32_t c)
{
    if (c == END_OF_INPUT)
        return;
    p->pos--;
    if (c == '\n')
        p->lf--;
}

static void add_problem(struct parser *p, const char *code, bool from_wsl, unsigned long line,
                        unsigned long wsl_line, char *message)
{
    struct wslconf_result *r = p->out;
    size_t c = code_index(code);
    if (++p->code_count[c] > WSLCONF_MAX_PER_CODE) {
        if (p->code_count[c] == WSLCONF_MAX_PER_CODE + 1) {
            p->code_line[c] = line;
            p->code_wsl_line[c] = wsl_line;
        }
        free(message);
        return;
    }
    ALLOC_GROW(r->problems, r->problem_nr + 1, r->problem_alloc);
    r->problems[r->problem_nr++] = (struct wslconf_problem){
        .line = line, .wsl_line = wsl_line, .code = code, .message = message, .from_wsl = from_wsl};
}

/* ---- quoting: what a message may hold of a name or value ---- */

#define ELLIPSIS "\xE2\x80\xA6"

/* Appends at most *budget bytes of s[0..n) to sb, never splitting a UTF-8 sequence; false
 * (and an ellipsis appended) when s did not fit. */
static bool append_capped(struct strbuf *sb, const char *s, size_t n, size_t *budget)
{
    if (n <= *budget) {
        strbuf_append(sb, s, n);
        *budget -= n;
        return true;
    }
    size_t cut = *budget;
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    strbuf_append(sb, s, cut);
    strbuf_puts(sb, ELLIPSIS);
    *budget = 0;
    return false;
}

char *wslconf_quote(const char *text)
{
    struct strbuf sb = STRBUF_INIT;
    size_t budget = WSLCONF_QUOTE_MAX;
    append_capped(&sb, text, strnlen_capped(text, WSLCONF_QUOTE_MAX + 1), &budget);
    return strbuf_detach(&sb, NULL);
}

/* Builds the entry's name into sb, at most *budget bytes of it (SIZE_MAX: all). */
static void put_name(struct strbuf *sb, const struct wslconf_entry *e, size_t budget)
{
    if (!append_capped(sb, e->section, e->section_len, &budget) || e->name_is_section)
        return;
    if (e->section_len && !append_capped(sb, ".", 1, &budget))
        return;
    append_capped(sb, e->key, strlen(e->key), &budget);
}

static char *name_with_budget(const struct wslconf_entry *e, size_t budget)
{
    struct strbuf sb = STRBUF_INIT;
    put_name(&sb, e, budget);
    return strbuf_detach(&sb, NULL);
}

char *wslconf_entry_name(const struct wslconf_entry *e)
{
    return name_with_budget(e, SIZE_MAX);
}

char *wslconf_quote_name(const struct wslconf_entry *e)
{
    return name_with_budget(e, WSLCONF_QUOTE_MAX);
}

/* True when a problem of `code` for the current statement would be kept word for word. When
 * not, it is counted here as add_problem would, so the caller need not build its message. */
static bool worth_a_message(struct parser *p, const char *code)
{
    if (p->stopped)
        return false; /* wsl_warning keeps nothing once wsl.conf parsing stopped */
    size_t c = code_index(code);
    if (p->code_count[c] < WSLCONF_MAX_PER_CODE)
        return true;
    if (++p->code_count[c] == WSLCONF_MAX_PER_CODE + 1) {
        p->code_line[c] = p->stmt_line;
        p->code_wsl_line[c] = p->wsl_line;
    }
    return false;
}

/* A warning WSL prints for the current statement; nothing once wsl.conf parsing stopped,
 * because WSL reads no further. */
static void wsl_warning(struct parser *p, const char *code, char *message)
{
    if (p->stopped) {
        free(message);
        return;
    }
    add_problem(p, code, true, p->stmt_line, p->wsl_line, message);
}

/* "wsl: Expected ']' in /etc/wsl.conf:3" and friends (MessageConfigExpected etc.). */
static void warn_simple(struct parser *p, const char *code, const char *what)
{
    wsl_warning(p, code, str_printf("wsl: %s in %s:%lu", what, p->out->display_path, p->wsl_line));
}

/* An invalid line: .wslconfig skips to the next LF; wsl.conf stops (InvalidLine label). */
static void invalid_line(struct parser *p, uint32_t *ch)
{
    if (p->in->kind == WSLCONF_WSL_CONF && !p->stopped) {
        p->out->stopped_line = p->stmt_line;
        add_problem(p, WSLCONF_P_PARSING_STOPPED, false, p->stmt_line, p->wsl_line,
                    str_printf("WSL stops reading %s at line %lu: every line below it is ignored, "
                               "without a warning",
                               p->out->display_path, p->stmt_line));
        p->stopped = true;
    }
    while (*ch != END_OF_INPUT && *ch != '\n')
        *ch = next_char(p);
}

bool wslconf_parse_bool(const char *value, bool *result)
{
    if (strcmp(value, "1") == 0 || wslconf_name_equal(value, "true")) {
        *result = true;
        return true;
    }
    if (strcmp(value, "0") == 0 || wslconf_name_equal(value, "false")) {
        *result = false;
        return true;
    }
    return false;
}

/* strtol(value, &end, 0) with WSL's checks. `long` is 32 bits on Windows, where strtol
 * saturates at INT_MIN/INT_MAX and the range check can never fail; on Linux it is 64 bits. */
static bool parse_int(const char *v, enum wslconf_kind kind)
{
    char *end;
    errno = 0;
    long long number = strtoll(v, &end, 0);
    if (*v == '\0' || *end != '\0')
        return false;
    if (kind == WSLCONF_WSLCONFIG)
        return true;
    return errno != ERANGE && number >= INT_MIN && number <= INT_MAX;
}

static const struct wslconf_key *find_key(const struct parser *p, const char *name, size_t *found)
{
    for (size_t i = 0; i < p->key_count; i++) {
        const struct wslconf_key *k = &p->keys[i];
        if (wslconf_name_equal(k->name, name) || (k->alias && wslconf_name_equal(k->alias, name))) {
            *found = i;
            return k;
        }
    }
    return NULL;
}

static struct wslconf_entry *new_entry(struct parser *p)
{
    struct wslconf_result *r = p->out;
    ALLOC_GROW(r->entries, r->entry_nr + 1, r->entry_alloc);
    struct wslconf_entry *e = &r->entries[r->entry_nr++];
    memset(e, 0, sizeof(*e));
    return e;
}

/* The section prefix of the key buffer as a string the entries share: made once per header. */
static const char *shared_section(struct parser *p, size_t section_len)
{
    if (p->shared_section && p->shared_gen == p->section_gen)
        return p->shared_section;
    struct wslconf_result *r = p->out;
    ALLOC_GROW(r->sections, r->section_nr + 1, r->section_alloc);
    char *copy = str_ndup(p->name.data, section_len);
    r->sections[r->section_nr++] = copy;
    p->shared_section = copy;
    p->shared_len = section_len;
    p->shared_gen = p->section_gen;
    return copy;
}

/* A new entry for the key in WSL's key buffer, filed under the section WSL files it under;
 * NULL when memory ran out. */
static struct wslconf_entry *add_entry(struct parser *p, size_t key_start, const char *v)
{
    const char *name = p->name.data; /* WSL passes key.c_str(): cut at a NUL of the padding */
    /* The prefix is the same for every key below one header: measured once per header. */
    size_t section_len = 0;
    if (p->shared_section && p->shared_gen == p->section_gen)
        section_len = p->shared_len;
    else
        while (section_len < p->section_len && name[section_len])
            section_len++;
    struct wslconf_entry *e = new_entry(p);
    e->section = shared_section(p, section_len);
    e->section_len = section_len;
    e->name_is_section = section_len < p->section_len;
    e->key = str_dup(p->name.data + key_start);
    e->value = utf8_sanitize(v, strlen(v));
    e->line = p->stmt_line;
    e->wsl_line = p->wsl_line;
    e->header_line = p->header_line;
    e->header_valid = p->header_valid;
    return e;
}

static void unknown_key(struct parser *p, struct wslconf_entry *e)
{
    e->status = WSLCONF_UNKNOWN;
    if (!worth_a_message(p, WSLCONF_P_UNKNOWN_KEY))
        return;
    char *shown = wslconf_quote_name(e);
    wsl_warning(
        p, WSLCONF_P_UNKNOWN_KEY,
        str_printf("wsl: Unknown key '%s' in %s:%lu", shown, p->out->display_path, p->wsl_line));
    free(shown);
}

static void duplicate_key(struct parser *p, struct wslconf_entry *e,
                          const struct wslconf_entry *first)
{
    e->status = WSLCONF_DUPLICATE;
    e->first_line = first->line;
    if (!worth_a_message(p, WSLCONF_P_DUPLICATE_KEY))
        return;
    const char *path = p->out->display_path;
    char *shown = wslconf_quote_name(e), *first_shown = wslconf_quote_name(first);
    wsl_warning(p, WSLCONF_P_DUPLICATE_KEY,
                str_printf("wsl: Duplicated config key '%s' in %s:%lu (Conflicting key: '%s' in "
                           "%s:%lu)",
                           shown, path, p->wsl_line, first_shown, path, first->wsl_line));
    free(first_shown);
    free(shown);
}

/* The first occurrence of a known key: WSL applies the value when its type accepts it, else
 * warns and keeps the default. */
static void check_value(struct parser *p, struct wslconf_entry *e, const char *v)
{
    const char *code = NULL, *type = NULL;
    if (e->known->type == WSLCONF_BOOL && !wslconf_parse_bool(v, &e->bool_value)) {
        code = WSLCONF_P_INVALID_BOOLEAN;
        type = "boolean";
    } else if (e->known->type == WSLCONF_INT && !parse_int(v, p->in->kind)) {
        code = WSLCONF_P_INVALID_INTEGER;
        type = "integer";
    }
    e->status = code ? WSLCONF_INVALID_VALUE : WSLCONF_APPLIED;
    e->valid = !code;
    if (!code)
        return;
    char *shown = wslconf_quote_name(e), *value_shown = wslconf_quote(e->value);
    wsl_warning(p, code,
                str_printf("wsl: Invalid %s value '%s' for key '%s' in %s:%lu", type, value_shown,
                           shown, p->out->display_path, p->wsl_line));
    free(value_shown);
    free(shown);
}

/* What WSL's SetConfig and ConfigKey::Parse do with one key = value. Messages quote the name
 * and value cut to WSLCONF_QUOTE_MAX bytes, and are only built while their code is under its
 * cap (8,000 unknown keys build 20 messages, not 8,000). */
static void set_config(struct parser *p, size_t key_start, const struct strbuf *value)
{
    struct wslconf_entry *e = add_entry(p, key_start, value->data ? value->data : "");
    size_t key_index = 0;
    /* WSL matches key.c_str(): the buffer cut at a NUL of the padding. */
    e->known = find_key(p, p->name.data, &key_index);
    if (p->stopped) {
        e->status = WSLCONF_AFTER_STOP;
    } else if (!e->known) {
        unknown_key(p, e);
    } else if (p->slot[key_index] != SIZE_MAX) {
        duplicate_key(p, e, &p->out->entries[p->slot[key_index]]);
    } else {
        p->slot[key_index] = p->out->entry_nr - 1;
        check_value(p, e, value->data ? value->data : "");
    }
}

/* `[section]`; the `[` is read. False for an invalid line. */
static bool parse_section(struct parser *p, uint32_t *ch, bool *trailing_comment)
{
    p->header_line = p->stmt_line;
    p->header_valid = false;
    *ch = next_char(p);
    if (!is_alpha(*ch)) {
        warn_simple(p, WSLCONF_P_INVALID_SECTION, "Invalid section name");
        return false;
    }
    /* The name overwrites WSL's key buffer at once, but the section length is only updated
     * on success: keys below a broken header get a prefix cut from the broken name. */
    p->name.len = 0;
    p->section_gen++; /* the section prefix changes: entries below share a new copy */
    do {
        strbuf_putc(&p->name, (char)*ch);
        *ch = next_char(p);
    } while (is_alnum(*ch));
    if (*ch != ']') {
        warn_simple(p, WSLCONF_P_EXPECTED_BRACKET, "Expected ']'");
        return false;
    }
    do
        *ch = next_char(p);
    while (is_blank(*ch));
    if (*ch == '#') {
        *trailing_comment = true;
    } else if (*ch != END_OF_INPUT && *ch != '\n' && *ch != '\r') {
        warn_simple(p, WSLCONF_P_EXPECTED_EOL, "Expected ' ' or '\\n'");
        return false;
    }
    p->section_len = p->name.len;
    p->header_valid = true;
    return true;
}

static void set_name_to_section(struct parser *p)
{
    if (p->name.len > p->section_len) {
        p->name.len = p->section_len;
        if (p->name.data)
            p->name.data[p->name.len] = '\0';
    }
    while (p->name.len < p->section_len)
        strbuf_putc(&p->name, '\0');
    if (p->name.len > 0)
        strbuf_putc(&p->name, '.');
}

/* The character an invalid escape names in WSL's message; U+FFFD where WSL would print a
 * character that is not text. */
static void describe_char(uint32_t c, char out[8])
{
    if (c >= 0x20 && c < 0x7F) {
        out[0] = (char)c;
        out[1] = '\0';
    } else if (c >= 0xA0 && c <= 0xFFFF && (c < 0xD800 || c > 0xDFFF)) {
        if (c < 0x800) {
            out[0] = (char)(0xC0 | (c >> 6));
            out[1] = (char)(0x80 | (c & 0x3F));
            out[2] = '\0';
        } else {
            out[0] = (char)(0xE0 | (c >> 12));
            out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[2] = (char)(0x80 | (c & 0x3F));
            out[3] = '\0';
        }
    } else {
        memcpy(out, "\xEF\xBF\xBD", 4);
    }
}

/* The key into WSL's key buffer after the section prefix (its start in *key_start), then
 * `=` between blanks; the key's first letter is in *ch. False for an invalid line. */
static bool read_key(struct parser *p, uint32_t *ch, size_t *key_start)
{
    set_name_to_section(p);
    *key_start = p->name.len;
    do {
        strbuf_putc(&p->name, (char)*ch);
        *ch = next_char(p);
    } while (is_alnum(*ch));
    while (is_blank(*ch))
        *ch = next_char(p);
    if (*ch != '=') {
        warn_simple(p, WSLCONF_P_EXPECTED_EQUALS, "Expected '='");
        return false;
    }
    do
        *ch = next_char(p);
    while (is_blank(*ch));
    return true;
}

/* A backslash in a value: appends what the escape stands for. False (with WSL's warning) for
 * an escape WSL rejects, which makes the line invalid. */
static bool read_escape(struct parser *p, struct strbuf *value)
{
    uint32_t escaped = next_char(p);
    switch (escaped) {
    case '\\':
    case '"': strbuf_putc(value, (char)escaped); return true;
    case 'b': strbuf_putc(value, '\b'); return true;
    case 'n': strbuf_putc(value, '\n'); return true;
    case 't': strbuf_putc(value, '\t'); return true;
    case '\r': return true;
    case '\n': p->wsl_line++; return true;
    default: break;
    }
    char shown[8];
    describe_char(escaped, shown);
    wsl_warning(p, WSLCONF_P_INVALID_ESCAPE,
                str_printf("wsl: Invalid escaped character: '%s' in %s:%lu", shown,
                           p->out->display_path, p->wsl_line));
    return false;
}

/* The value to the end of the line or a comment, as WSL hands it on: quotes removed, escapes
 * applied, trailing blanks trimmed. False for an invalid line. */
static bool read_value(struct parser *p, uint32_t *ch, struct strbuf *value, bool *trailing_comment)
{
    size_t trimmed = 0;
    bool in_quote = false;
    while (*ch != END_OF_INPUT && *ch != '\n' && *ch != '\r') {
        if (*ch == '#' && !in_quote) {
            *trailing_comment = true;
            break;
        }
        if (*ch == '"') {
            in_quote = !in_quote;
        } else if (*ch == '\\') {
            if (!read_escape(p, value))
                return false;
        } else {
            /* WSL stores static_cast<char>(wide char): the low byte of the code unit. */
            strbuf_putc(value, (char)(*ch & 0xFF));
        }
        if (!is_blank(*ch))
            trimmed = value->len;
        *ch = next_char(p);
    }
    if (in_quote) {
        warn_simple(p, WSLCONF_P_EXPECTED_QUOTE, "Expected \"");
        return false;
    }
    value->len = trimmed;
    if (value->data)
        value->data[trimmed] = '\0';
    return true;
}

/* `key = value`; the key's first letter is in *ch. False for an invalid line. */
static bool parse_key_value(struct parser *p, uint32_t *ch, bool *trailing_comment)
{
    size_t key_start = 0;
    if (!read_key(p, ch, &key_start))
        return false;
    struct strbuf value = STRBUF_INIT;
    bool ok = read_value(p, ch, &value, trailing_comment);
    if (ok)
        set_config(p, key_start, &value);
    strbuf_release(&value);
    return ok;
}

/* A comment runs to LF; a CR swallows the character after it. */
static void skip_comment(struct parser *p, uint32_t *ch)
{
    do {
        *ch = next_char(p);
        if (*ch == '\r')
            *ch = next_char(p);
        if (*ch == '\n')
            p->wsl_line++;
    } while (*ch != '\n' && *ch != END_OF_INPUT);
}

/* Past blank lines and comments to the first character of a statement, left in *ch. False at
 * the end of the input (or when memory ran out). */
static bool next_statement(struct parser *p, uint32_t *ch, bool *trailing_comment)
{
    for (;;) {
        if (*ch == '#') {
            skip_comment(p, ch);
            *trailing_comment = false;
        }
        if (p->eof)
            return false;
        do
            *ch = next_char(p);
        while (is_blank(*ch));
        if (*ch == '\r') {
            uint32_t after = next_char(p);
            if (after == '\n')
                p->wsl_line++;
            else
                unread_char(p, after);
            continue;
        }
        if (*ch == '\n')
            p->wsl_line++;
        if (*ch != END_OF_INPUT && *ch != '\n' && *ch != '#')
            return true;
    }
}

/* The NewLine loop of ParseConfigFile: blank lines, comments, then one statement. */
static void parse_all(struct parser *p)
{
    uint32_t ch = 0;
    bool trailing_comment = false;
    for (;;) {
        if (!trailing_comment)
            p->wsl_line++;
        if (!next_statement(p, &ch, &trailing_comment))
            return;
        p->stmt_line = p->lf + 1;
        bool ok;
        if (ch == '[') {
            ok = parse_section(p, &ch, &trailing_comment);
        } else if (is_alpha(ch)) {
            ok = parse_key_value(p, &ch, &trailing_comment);
        } else {
            warn_simple(p, WSLCONF_P_INVALID_KEY, "Invalid key name");
            ok = false;
        }
        if (!ok)
            invalid_line(p, &ch);
    }
}

/* One closing problem per code past WSLCONF_MAX_PER_CODE, at the line of the first one not
 * kept, so the count is never lost. */
static void add_count_lines(struct parser *p)
{
    size_t n = sizeof problem_codes / sizeof problem_codes[0];
    for (size_t c = 0; c < n; c++) {
        if (p->code_count[c] <= WSLCONF_MAX_PER_CODE)
            continue;
        size_t more = p->code_count[c] - WSLCONF_MAX_PER_CODE;
        p->code_count[c] = 0; /* the count line itself is always kept */
        add_problem(p, problem_codes[c].code, false, p->code_line[c], p->code_wsl_line[c],
                    str_printf("... and %zu more '%s' warning%s", more, problem_codes[c].what,
                               more == 1 ? "" : "s"));
    }
}

void wslconf_result_free(struct wslconf_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->entry_nr; i++) {
        free(r->entries[i].key);
        free(r->entries[i].value);
    }
    for (size_t i = 0; i < r->section_nr; i++)
        free(r->sections[i]);
    free(r->sections);
    for (size_t i = 0; i < r->problem_nr; i++)
        free(r->problems[i].message);
    free(r->entries);
    free(r->problems);
    free(r->display_path);
    memset(r, 0, sizeof(*r));
}

errmsg wslconf_parse(const struct wslconf_input *in, struct wslconf_result *out)
{
    memset(out, 0, sizeof(*out));
    if (!in || (!in->data && in->len > 0) || !in->display_path)
        return str_dup("config reader: no file data or no display path given");
    out->kind = in->kind;
    out->display_path = utf8_sanitize(in->display_path, strlen(in->display_path));

    struct units us = {0};
    const unsigned char *bytes = (const unsigned char *)in->data;
    if (in->kind == WSLCONF_WSLCONFIG) {
        out->encoding = decode_wslconfig(bytes, in->len, &us);
    } else {
        out->encoding = "bytes";
        decode_bytes(bytes, in->len, &us);
    }

    struct parser p = {.in = in, .out = out, .section_gen = 1};
    p.keys = in->keys ? in->keys : wslconf_known_keys(in->kind, &p.key_count);
    if (in->keys)
        p.key_count = in->key_count;
    p.slot = xcalloc(p.key_count, sizeof(*p.slot));
    for (size_t i = 0; i < p.key_count; i++)
        p.slot[i] = SIZE_MAX;
    p.u = us.u;
    p.n = us.nr;

    /* init reads the BOM as three non-letters at the start of line 1: an invalid key name. */
    if (in->kind == WSLCONF_WSL_CONF && in->len >= 3 && memcmp(in->data, "\xEF\xBB\xBF", 3) == 0)
        add_problem(&p, WSLCONF_P_BOM, false, 1, 1,
                    str_printf("%s starts with a UTF-8 byte order mark: WSL reads it as an invalid "
                               "key name on line 1 and stops there; save the file as UTF-8 "
                               "without BOM",
                               out->display_path));
    parse_all(&p);
    add_count_lines(&p);

    free(p.slot);
    free(us.u);
    strbuf_release(&p.name);
    return NULL;
}

const struct wslconf_entry *wslconf_deciding_entry(const struct wslconf_result *r, const char *name)
{
    for (size_t i = 0; i < r->entry_nr; i++) {
        const struct wslconf_entry *e = &r->entries[i];
        if (e->known && (e->status == WSLCONF_APPLIED || e->status == WSLCONF_INVALID_VALUE) &&
            (wslconf_name_equal(e->known->name, name) ||
             (e->known->alias && wslconf_name_equal(e->known->alias, name))))
            return e;
    }
    return NULL;
}
