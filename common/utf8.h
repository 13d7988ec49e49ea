/* utf8.h - UTF-8 checking for text that comes from places wslns does not control
 * (comm and cmdline of processes, probe documents, wsl.exe output).
 *
 * Contract:
 * - "Valid" means RFC 3629 UTF-8: no overlong forms, no surrogates (U+D800..DFFF), nothing
 *   above U+10FFFF. NUL bytes are treated as invalid so results are safe C strings.
 * - Functions returning char * return a new NUL-terminated string the caller frees with
 *   free(), or NULL when out of memory. Inputs are never modified.
 */
#ifndef WSLNS_UTF8_H
#define WSLNS_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Length (1..4) of the valid, non-NUL UTF-8 sequence starting at s[0], or 0 if the bytes
 * at s (at most n of them) do not start one. */
size_t utf8_sequence_length(const unsigned char *s, size_t n);

/* True when all n bytes form valid UTF-8 without NUL bytes. */
bool utf8_is_valid(const char *s, size_t n);

/* A copy in which every byte that is not part of a valid sequence becomes U+FFFD. */
char *utf8_sanitize(const char *s, size_t n);

/* Lower-case hexadecimal of the n bytes at s ("" for n == 0). */
char *hex_encode(const char *s, size_t n);

#endif
