/* render_json.h - the wslns-report/1 document (every field is described in
 * docs/report.md): sources, namespaces, processes with their pid at every level, config,
 * diagnostics, plus the documented extras "tool", "boot_id" and "distros".
 *
 * Text is always valid UTF-8 in the report: comm and cmdline arguments that are not are
 * written with U+FFFD and their exact bytes in comm_hex / cmdline_hex.
 *
 * Ownership: render_json returns a new NUL-terminated string (with a final newline) the
 * caller frees, never NULL: cJSON allocates through xmalloc (xalloc.h; wslns_main installs
 * the hooks), so a document is whole or the process has ended.
 */
#ifndef WSLNS_RENDER_JSON_H
#define WSLNS_RENDER_JSON_H

#include "model.h"
#include "source.h"

char *render_json(const struct model *m, const struct source_list *sources);

/* The report as the HTML page embeds it (docs/html.md): unindented, and "processes" only
 * with what the page's rows do not show, by column in the rows' order - {"count", "starttime":
 * [...], "state": one character each ('?' not known), "kthread": [row, ...], "comm_hex":
 * [[row, hex], ...], "cmdline_hex": [[row, [hex, ...]], ...]} - so the page carries each
 * fact once. Same ownership. */
char *render_json_for_page(const struct model *m, const struct source_list *sources);

#endif
