/* diff.h - `wslns diff OLD.json NEW.json`: what changed between two wslns-report/1 documents
 * (docs/diff.md), as text for the console and as a wslns-diff/1 document.
 *
 * Contract:
 * - diff_compare parses both documents (the bytes as read, any length; the caller caps the
 *   size as for --from) and checks every member it uses for its type: a document that is not
 *   a wslns-report/1 report gives an error naming its path and the first bad member
 *   ("old.json: not a wslns-report/1 document: processes[3].starttime: expected a whole
 *   number from 0 to 2^53"), never a crash or a guess. Caller frees the message.
 * - A process is the same in both reports when its own namespace, its pid there and its
 *   start time (clock ticks after boot) are: a pid reused by a new process is one ended and
 *   one started. A namespace is the same when its id is ("pid:[INODE]"). A view (source) is
 *   the same when its kind, distro and (for --from files) path are; it changed when its
 *   status did. A distro's GUI state is whether its system distro's namespace is in the
 *   report (distros[].system_ns); only distros in both reports are compared.
 * - When both reports carry a boot id and the ids differ, the reports are from two boots:
 *   every process and namespace of the old one ended or went away, every one of the new one
 *   started or appeared (inodes and start times repeat across boots, so nothing is matched).
 * - Cost: O(n log n) in the size of the documents (sort and merge, never a pairwise search),
 *   whatever they hold.
 * - The text form shows every string from the documents through escape.h (labels, names and
 *   arguments as data; paths, statuses and reasons as messages). The JSON form re-emits
 *   processes and namespaces in their wslns-report/1 shape with only the members that shape
 *   has, every string made valid UTF-8.
 * - A struct diff keeps the parsed documents; diff_free releases everything. The render
 *   functions return a new string (caller frees), never NULL.
 */
#ifndef WSLNS_DIFF_H
#define WSLNS_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "errmsg.h"

struct diff;

/* Compares the report old_data (read from old_path) with new_data (from new_path). NULL and
 * *out set, or why one of them is not usable (caller frees; *out is NULL then). */
errmsg diff_compare(const char *old_path, const char *old_data, size_t old_len,
                    const char *new_path, const char *new_data, size_t new_len, struct diff **out);

/* True when anything differs: another boot, a process, a namespace, a view, a GUI state. */
bool diff_changed(const struct diff *d);

/* The console form; color adds ANSI colours (+ green, - red, another boot yellow). */
char *diff_render_text(const struct diff *d, bool color);

/* The wslns-diff/1 document (docs/diff.md), pretty-printed, ending in a newline. */
char *diff_render_json(const struct diff *d);

void diff_free(struct diff *d);

#endif
