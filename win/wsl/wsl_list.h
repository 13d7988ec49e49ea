/* wsl_list.h - reading what wsl.exe itself prints: its text encoding (UTF-16LE or UTF-8),
 * its localized "Error code: Wsl/..." lines, and the distro table of
 * `wsl.exe --list --verbose`.
 *
 * Pure functions on bytes: nothing here runs wsl.exe (collect.c does) or prints anything.
 *
 * Contract:
 * - wsl_text_decode returns a new UTF-8 string (caller frees): UTF-16LE is recognised by a
 *   BOM or by NUL bytes in odd positions (WSL_UTF8=1 is ignored by old builds), every line
 *   ending (CRLF, CR CR LF, LF, lone CR) becomes LF, invalid bytes become U+FFFD.
 * - wsl_error_code / wsl_error_message work on decoded text and return new strings (caller
 *   frees) or NULL when there is no code line / no message text. The code line's label is
 *   localized ("Fehlercode:", "エラー コード:"): only the "Wsl/..." token after its colon
 *   is read, never the label or the message's words.
 * - wsl_list_parse fills a struct wsl_list that owns everything in it; wsl_list_free
 *   releases it. It never fails as a whole: on bad input `error` says why (and `error_code`
 *   holds wsl.exe's code when it printed one) and `nr` is 0.
 */
#ifndef WSLNS_WSL_LIST_H
#define WSLNS_WSL_LIST_H

#include <stdbool.h>
#include <stddef.h>

enum wsl_state {
    WSL_STATE_RUNNING,
    WSL_STATE_STOPPED,
    WSL_STATE_INSTALLING,
    WSL_STATE_UNINSTALLING,
    WSL_STATE_CONVERTING,
    WSL_STATE_EXPORTING,
    WSL_STATE_OTHER /* a word this build of wslns does not know; see state_text */
};

struct wsl_distro {
    char *name; /* as wsl.exe printed it (may contain spaces) */
    enum wsl_state state;
    char *state_text; /* the STATE column as printed ("Running") */
    int version;      /* as listed: 1 or 2 today; any number up to 10000 is kept, so a future version is reported, not dropped */
    bool is_default;  /* the row had the `*` marker */
};

struct wsl_list {
    struct wsl_distro *distros;
    size_t nr, alloc; /* grown by ALLOC_GROW (xalloc.h) */
    char *error;      /* NULL when the table was read (an empty table is not an error) */
    char *error_code; /* "Wsl/..." when wsl.exe printed an Error code line, else NULL */
};

char *wsl_text_decode(const char *bytes, size_t len);

/* The "Wsl/..." token of the last code line ("Error code: Wsl/Service/CreateInstance/WSL_E_..."
 * in any language), or NULL. */
char *wsl_error_code(const char *text);

/* Every non-empty line except the code line, trimmed and joined with a space. */
char *wsl_error_message(const char *text);

/* True when code (may be NULL) ends with "/<name>" or is exactly name. */
bool wsl_error_is(const char *code, const char *name);

/* Parses the bytes wsl.exe wrote to stdout for `--list --verbose` and its exit code. */
void wsl_list_parse(const char *bytes, size_t len, int exit_code, struct wsl_list *out);

void wsl_list_free(struct wsl_list *list);

/* The STATE word for a state ("Running"); "?" for WSL_STATE_OTHER. */
const char *wsl_state_name(enum wsl_state state);

/* True when the name is one WSL's registration accepts, ^[a-zA-Z0-9._-]{1,256}$ (WSL
 * src/windows/service/exe/LxssUserSession.cpp s_ValidateDistroName, 3e27a6a5), so `-d`
 * takes it as one token. Other names (spaces, quotes) exist only when a third-party tool such
 * as LxRunOffline wrote the registry; those need --distribution-id. */
#define WSL_NAME_MAX 256
bool wsl_name_addressable(const char *name);

#endif
