/* wslconf.h - reads WSL's two config files exactly as WSL does: %UserProfile%\.wslconfig
 * (read by the Windows service) and a distro's /etc/wsl.conf (read by the distro's init).
 *
 * The reader copies the behaviour of WSL's parser (src/shared/configfile/configfile.cpp in
 * github.com/microsoft/WSL, rules and line references in docs/config.md), including its quirks:
 * an invalid line is skipped in .wslconfig but ends parsing in wsl.conf, the first of two
 * duplicate keys wins even when its value is invalid, only `#` starts a comment, and the line
 * numbers WSL prints drift on CRLF wsl.conf files. The doctor uses it to say what WSL will do
 * with a file and why, with the warnings WSL itself would print.
 *
 * Contract:
 * - wslconf_parse is a pure function of its input: no I/O, nothing printed, no global state.
 *   It returns NULL on success or an error message (malloc'd, the caller frees it) when the
 *   arguments are unusable; *out is then empty (memory comes from xalloc.h: never a failure). Problems in the file are
 *   never errors: they are in out->problems.
 * - Everything in a struct wslconf_result is owned by it; wslconf_result_free releases it all
 *   and zeroes the struct (safe on a zeroed or already freed result).
 * - Every string in the result is NUL-terminated valid UTF-8 (bytes WSL would see that are
 *   not UTF-8 are shown as U+FFFD), so callers can print or put them into JSON directly.
 * - Lines are 1-based. `line` is the physical line (counting LF) where the statement starts:
 *   what a user finds in an editor. `wsl_line` is the number WSL itself puts in its messages;
 *   it equals `line` except in the rare cases docs/config.md lists (CRLF in wsl.conf, a lone
 *   CR, backslash-continued values).
 * - The key tables given in wslconf_input must outlive the result (entries point into them).
 * - Cost is linear in the file: a section name is stored once and shared by the entries below
 *   its header, a message quotes at most WSLCONF_QUOTE_MAX bytes of any name or value (cut on
 *   a character boundary and ended with an ellipsis), and at most WSLCONF_MAX_PER_CODE
 *   problems of one code are kept word for word; one closing problem per capped code counts
 *   the rest ("... and N more 'Unknown key' warnings"). A hostile /etc/wsl.conf (a distro's
 *   root writes it) cannot make the doctor's memory or output grow faster than the file.
 */
#ifndef WSLNS_WSLCONF_H
#define WSLNS_WSLCONF_H

#include <stdbool.h>
#include <stddef.h>

#include "errmsg.h"

enum wslconf_kind {
    WSLCONF_WSLCONFIG, /* %UserProfile%\.wslconfig: BOMs honoured, CRLF, invalid lines skipped */
    WSLCONF_WSL_CONF,  /* /etc/wsl.conf: raw bytes, the first invalid line ends parsing */
};

/* How WSL checks a key's value. WSLCONF_TEXT covers strings, paths and the values this reader
 * does not check (memory sizes, enums, MAC and IP addresses): they are always "valid" here. */
enum wslconf_type { WSLCONF_TEXT, WSLCONF_BOOL, WSLCONF_INT };

/* A key the reader of the file knows. `name` is "section.key" as WSL spells it; `alias` is an
 * older spelling that shares the same setting (so using both is a duplicate), or NULL. */
struct wslconf_key {
    const char *name;
    const char *alias;
    enum wslconf_type type;
};

/* The keys WSL reads from each file (from WslCoreConfig.h and WslDistributionConfig.cpp). */
const struct wslconf_key *wslconf_known_keys(enum wslconf_kind kind, size_t *count);

struct wslconf_input {
    const char *data; /* the file's bytes as stored (BOM and all); may hold NULs */
    size_t len;
    enum wslconf_kind kind;
    const char *display_path;       /* how WSL names the file in messages, e.g.
                                       "C:\\Users\\x\\.wslconfig" or "/etc/wsl.conf" */
    const struct wslconf_key *keys; /* what the reader knows; NULL = wslconf_known_keys(kind) */
    size_t key_count;
};

enum wslconf_status {
    WSLCONF_APPLIED,       /* WSL uses this value */
    WSLCONF_INVALID_VALUE, /* known key, first occurrence, value rejected: the default stays,
                              and later occurrences still lose to this one */
    WSLCONF_DUPLICATE,     /* a later occurrence of a key already seen: ignored */
    WSLCONF_UNKNOWN,       /* no such key (also every key above the first section): ignored */
    WSLCONF_AFTER_STOP,    /* wsl.conf only: below the line that ended parsing; WSL never
                              read it (the reader still parses it, like .wslconfig, so the
                              doctor can point at it) */
};

#define WSLCONF_QUOTE_MAX 256   /* bytes of a name or value a message quotes */
#define WSLCONF_MAX_PER_CODE 20 /* problems of one code kept word for word */

struct wslconf_entry {
    const char *section;  /* the section WSL files the key under, "" above every section;
                             shared by the entries of one header, owned by the result */
    size_t section_len;   /* strlen(section) */
    char *key;            /* the key as written */
    bool name_is_section; /* WSL's name is cut at a NUL of its padding (below a broken header)
                             and is the section alone; else "section.key" ("key" above every
                             section): wslconf_entry_name builds it */
    char *value;   /* the value as WSL hands it on: quotes removed, escapes applied,
                      trailing blanks trimmed, cut at the first NUL */
    unsigned long line, wsl_line;
    enum wslconf_status status;
    bool valid;                      /* status == WSLCONF_APPLIED */
    const struct wslconf_key *known; /* the matching key, NULL when unknown */
    bool bool_value;                 /* for a valid WSLCONF_BOOL key: the value */
    unsigned long first_line;        /* for a duplicate: the line of the occurrence that won */
    unsigned long header_line;       /* the line of the last section header before the key, valid
                                        or not (0 when none); WSL may misfile a key below an
                                        invalid header, see docs/config.md */
    bool header_valid;
};

struct wslconf_problem {
    unsigned long line, wsl_line;
    const char *code; /* static string, one of the WSLCONF_P_* codes below */
    char *message;    /* the warning WSL prints ("wsl: Unknown key 'a.b' in path:3"), or
                         for codes WSL has no message for, an explanation (from_wsl false) */
    bool from_wsl;
};

#define WSLCONF_P_INVALID_SECTION "config.invalid_section"   /* `[` not followed by a letter */
#define WSLCONF_P_EXPECTED_BRACKET "config.expected_bracket" /* [name must end with ] */
#define WSLCONF_P_EXPECTED_EOL "config.expected_eol"         /* text after [section] */
#define WSLCONF_P_INVALID_KEY "config.invalid_key"           /* line starts with a non-letter */
#define WSLCONF_P_EXPECTED_EQUALS "config.expected_equals"   /* key not followed by = */
#define WSLCONF_P_INVALID_ESCAPE "config.invalid_escape"     /* backslash + other character */
#define WSLCONF_P_EXPECTED_QUOTE "config.expected_quote"     /* unterminated quote */
#define WSLCONF_P_UNKNOWN_KEY "config.unknown_key"
#define WSLCONF_P_INVALID_BOOLEAN "config.invalid_boolean"
#define WSLCONF_P_INVALID_INTEGER "config.invalid_integer"
#define WSLCONF_P_DUPLICATE_KEY "config.duplicate_key"
#define WSLCONF_P_PARSING_STOPPED "config.parsing_stopped" /* wsl.conf: nothing below is read */
#define WSLCONF_P_BOM "config.bom_in_wsl_conf"             /* wsl.conf starts with a UTF-8 BOM */

struct wslconf_result {
    enum wslconf_kind kind;
    char *display_path;
    /* Grown by ALLOC_GROW (xalloc.h): count nr, capacity alloc. */
    char **sections; /* the shared section names the entries point to */
    size_t section_nr, section_alloc;
    struct wslconf_entry *entries; /* in file order */
    size_t entry_nr, entry_alloc;
    struct wslconf_problem *problems; /* in file order */
    size_t problem_nr, problem_alloc;
    unsigned long stopped_line; /* wsl.conf: the line that ended parsing, 0 if none */
    const char *encoding;       /* "utf-8", "utf-8 with BOM", "utf-16le with BOM", "bytes" */
};

errmsg wslconf_parse(const struct wslconf_input *in, struct wslconf_result *out);

void wslconf_result_free(struct wslconf_result *r);

/* The occurrence of a known key that decides its value (the first one WSL read, applied or
 * rejected), or NULL when WSL read none. `name` is matched case-insensitively against the
 * key's name and alias. */
const struct wslconf_entry *wslconf_deciding_entry(const struct wslconf_result *r,
                                                   const char *name);

/* The full name WSL matches (case-insensitively) for an entry: "section.key", malloc'd. As
 * long as the file's section name: for messages use
 * wslconf_quote_name. */
char *wslconf_entry_name(const struct wslconf_entry *e);

/* The entry's name as a message quotes it: at most WSLCONF_QUOTE_MAX bytes, cut with "…".
 * malloc'd. */
char *wslconf_quote_name(const struct wslconf_entry *e);

/* text as a message quotes it: at most WSLCONF_QUOTE_MAX bytes, cut on a UTF-8 character
 * boundary and ended with "…" when longer. malloc'd. */
char *wslconf_quote(const char *text);

/* WSL's boolean grammar: "1", "0", "true", "false" (any case); nothing else. */
bool wslconf_parse_bool(const char *value, bool *result);

/* ASCII case-insensitive comparison, as WSL matches names (strcasecmp is not C11). */
bool wslconf_name_equal(const char *a, const char *b);

#endif
