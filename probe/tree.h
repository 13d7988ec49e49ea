/* tree.h - the view as a readable tree (wslns-probe --tree): namespaces nested under their
 * parents with inode and level, each followed by its processes (pid chain outermost first,
 * comm, cmdline), then the context in a few lines and the errors.
 *
 * Contract:
 * - probe_tree_render() appends UTF-8 text to `out` (the caller owns and releases it); memory
 *   comes from xalloc.h, so it cannot fail. It reads the view and context, changes nothing.
 * - Text from processes is untrusted: it goes through common/escape.h, the host tool's
 *   escaper (control characters, C1 controls, bidi and invisible characters, backslashes and
 *   invalid UTF-8 as \n, \t, \e, \\, \xNN, \u{202e}), so nothing reaches a terminal raw.
 */
#ifndef WSLNS_PROBE_TREE_H
#define WSLNS_PROBE_TREE_H

#include "context.h"
#include "scan.h"
#include "strbuf.h"

#include <stdbool.h>

void probe_tree_render(const struct probe_view *view, const struct probe_context *ctx,
                       struct strbuf *out);

/* Appends the bytes with the escape described above. */
void probe_tree_escape(struct strbuf *out, const char *bytes, size_t len);

#endif
