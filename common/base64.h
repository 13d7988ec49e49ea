/* base64.h - base64 as `base64 -w BASE64_LINE` writes it: RFC 4648's standard alphabet with
 * '=' padding, in lines of BASE64_LINE characters. The debug shell's script sends the probe
 * this way, and a recording finds the probe in that script by the same lines, so both use
 * this one encoder. The lines are long because the shell's work (a read, a PS2, a line of
 * the heredoc) is per line, yet well inside the 4095 bytes a canonical-mode tty takes in one
 * line (N_TTY_BUF_SIZE 4096 less the line end; more is dropped).
 *
 * Contract: base64_put_lines appends the encoding of the n bytes at p to sb, a '\n' after
 * every BASE64_LINE characters and after a last, shorter line; nothing when n is 0. It
 * cannot fail (strbuf.h).
 */
#ifndef WSLNS_BASE64_H
#define WSLNS_BASE64_H

#include <stddef.h>

#include "strbuf.h"

#define BASE64_LINE 2048

void base64_put_lines(struct strbuf *sb, const void *p, size_t n);

#endif
