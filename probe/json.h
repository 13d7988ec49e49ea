/* json.h - builds the wslns-probe/1 document (docs/probe.md) from a scanned view and its
 * context.
 *
 * Contract:
 * - probe_json_document() returns a new cJSON tree the caller frees with cJSON_Delete() (never
 *   NULL: cJSON allocates through xmalloc, and out of memory ends the process). The view and
 * context are only read; the tree copies what it needs, so they may be released first.
 * - Bytes that come from the system (comm, cmdline, environment, files) may be anything.
 *   The byte escape keeps every document valid UTF-8 without losing a byte: text that is valid
 *   UTF-8 without NUL goes out as is (cJSON escapes control characters); otherwise the string
 *   is utf8_sanitize()d (U+FFFD per bad byte) and a sibling `<key>_hex` holds the exact bytes
 *   in lower-case hex. The helpers below apply it.
 */
#ifndef WSLNS_PROBE_JSON_H
#define WSLNS_PROBE_JSON_H

#include "context.h"
#include "scan.h"

#include <cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#define PROBE_SCHEMA "wslns-probe/1"

cJSON *probe_json_document(const struct probe_view *view, const struct probe_context *ctx);

/* The document as text followed by one newline: *len bytes, then a NUL not counted; the
 * caller frees (never NULL). pretty: cJSON_Print of probe_json_document. Else
 * exactly what cJSON_PrintUnformatted gives for it, but the processes array (nearly all of the
 * document: some 15 items per process) is written straight to text instead of built as a
 * tree first, which saved most of the probe's user time and memory at 10,000 processes. */
char *probe_json_text(const struct probe_view *view, const struct probe_context *ctx, bool pretty,
                      size_t *len);

/* Adds obj[key] = the bytes as a string, and obj[hex_key] when the escape needs it. key and
 * hex_key must be string literals (the tree keeps pointers to them). bytes[len] must be a NUL
 * byte, as it is for all text in struct probe_view and struct probe_context. */
void probe_json_add_text(cJSON *obj, const char *key, const char *hex_key, const char *bytes,
                         size_t len);

/* Adds obj["cmdline"] = [args...] from raw NUL-separated cmdline bytes (followed by a NUL
 * at bytes[len], so that the last argument is terminated too), and
 * obj["cmdline_hex"] = [hex of every arg...] (parallel to cmdline) only when some argument
 * needed the escape. */
void probe_json_add_cmdline(cJSON *obj, const char *bytes, size_t len);

#endif
