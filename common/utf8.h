/* utf8.h - UTF-8 checking for text that comes from places wslns does not control
 * (comm and cmdline of processes, probe documents, wsl.exe output).
 *
 * Contract:
 * - "Valid" means RFC 3629 UTF-8: no overlong forms, no surrogates (U+D800..DFFF), nothing
 *   above U+10FFFF. NUL bytes are treated as invalid so results are safe C strings.
 * - Functions returning char * return a new NUL-terminated string the caller frees with
 *   free() (memory from xalloc.h: never NULL for want of it). Inputs are never modified.
 */
#ifndef WSLNS_UTF8_H
#define WSLNS_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Length (1..4) of the valid, non-NUL UTF-8 sequence starting at s[0], or 0 if the bytes
 * at s (at most n of them) do not start one. */
size_t utf8_sequence_length(const unsigned char *s, size_t n);

/* The code point of a valid sequence of len (1..4) bytes, as utf8_sequence_length found it. */
unsigned utf8_decode(const unsigned char *s, size_t len);

/* True for characters that must be shown, not obeyed, when printing untrusted text: C1
 * controls (a terminal may take U+009B as CSI), the characters that reorder or break lines
 * (a bidi override can make a command line read differently from what runs) and the
 * invisible ones (a zero-width space makes two names look the same): Unicode 15.0.0's
 * Default_Ignorable_Code_Point and Bidi_Control, plus U+2028/U+2029. Every renderer escapes
 * them (escape.h). */
bool utf8_is_deceptive(unsigned cp);

/* True when all n bytes form valid UTF-8 without NUL bytes. */
bool utf8_is_valid(const char *s, size_t n);

/* A copy in which every byte that is not part of a valid sequence becomes U+FFFD. */
char *utf8_sanitize(const char *s, size_t n);

/* The value of the hexadecimal digit c (either case), or -1 when c is not one. */
int hex_digit_value(char c);

/* Lower-case hexadecimal of the n bytes at s ("" for n == 0). */
char *hex_encode(const char *s, size_t n);

/* The bytes written as hexadecimal in hex (either case), NUL-terminated (the terminator is
 * not counted in *len; the bytes may contain NULs). NULL when hex is malformed (odd length,
 * a non-hex character). */
char *hex_decode(const char *hex, size_t *len);

#endif
