/* escape.h - how wslns shows text it does not control (process names and arguments, distro
 * names, wsl.conf values, probe and wsl.exe messages, file names): one rule for every output
 * channel - console tree, `wslns pid`, `wslns doctor`, error messages, HTML - so nothing in
 * such text can act on a terminal, start a line of its own, or hide from the reader.
 *
 * Contract:
 * - Text is read in units: one valid UTF-8 character, or one byte that does not start one.
 *   A unit is shown as an escape when it is
 *     a byte that is not valid UTF-8, or NUL    \xNN
 *     a C0 control or DEL                      \n \t \e (ESC), \xNN for the others
 *     utf8_is_deceptive (C1 controls, bidi     \u{XXXX} (at least 4 hex digits)
 *       controls, invisible characters)
 *   In data - process names and arguments, namespace labels - a backslash is shown doubled,
 *   so an escape someone typed ("\e" in a name reads "\\e") never looks like one wslns
 *   wrote. In messages - reasons, findings, errors, which quote Windows paths - it stays
 *   single: a message is read, not parsed, and C:\Users must read as itself. Everything
 *   else is shown as it is.
 * - A command-line argument is quoted ("...", with \" for a quote inside) when it is empty
 *   or holds a blank of any kind or a quote, so the arguments stay countable: the argument
 *   a" "b shows as "a\" \"b", never as two arguments.
 * - The result of the terminal form never holds a control character (C0, DEL, C1), an
 *   invalid byte or a deceptive character: it is safe on one line of any terminal.
 * - A sink says how each piece is written out: plain text and escapes separately, so HTML
 *   can entity-encode the one and mark the other (render_html.c). NULL means the terminal
 *   form (both written as they are).
 * - Nothing here allocates except escape_dup (caller frees; never NULL) and appends to a
 *   strbuf (strbuf.h); memory comes from xalloc.h.
 */
#ifndef WSLNS_ESCAPE_H
#define WSLNS_ESCAPE_H

#include <stddef.h>

#include "strbuf.h"

enum escape_mode { ESCAPE_MESSAGE, ESCAPE_DATA };

struct escape_sink {
    /* n bytes of text to show as they are (valid UTF-8, nothing deceptive) */
    void (*plain)(struct strbuf *sb, const char *s, size_t n);
    /* one escape as the contract shows it, e.g. "\\u{200b}" (NUL-terminated ASCII) */
    void (*escaped)(struct strbuf *sb, const char *form);
};

/* Appends the n bytes at s, escaped. */
void escape_text(struct strbuf *sb, const char *s, size_t n, enum escape_mode mode,
                 const struct escape_sink *sink);

/* Appends the n bytes at s as one command-line argument (data): escaped, and quoted when
 * needed. */
void escape_argument(struct strbuf *sb, const char *s, size_t n, const struct escape_sink *sink);

/* The terminal form of a NUL-terminated string: data, appended. */
void escape_terminal(struct strbuf *sb, const char *s);

/* The terminal form of a NUL-terminated message, appended. */
void escape_message(struct strbuf *sb, const char *s);

/* The terminal form of a NUL-terminated string as a new string. */
char *escape_dup(const char *s, enum escape_mode mode);

#endif
