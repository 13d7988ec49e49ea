/* render_svg.h - the picture at the top of the HTML report: the pid namespace hierarchy as
 * nested boxes (the drawing the WSL isolation article made by hand), as static inline SVG.
 * docs/html.md describes it.
 *
 * Contract:
 * - One box per namespace of the model, nested as in the tree: a box's children sit inside
 *   it, side by side in rows that wrap at a fixed width (deterministic: the model's child
 *   order, no measurement by a browser). Each box is a <g class="box k-KIND"> holding an
 *   <a href="#ANCHOR"> (rect, label, kind and process count) followed by the <g> of every
 *   child, so the DOM nests like the tree; data-ns carries the namespace id.
 * - When a view gave the namespace's other types (model types: mnt uts ipc net user cgroup
 *   time), a line follows the count: one <text class="types"> with a <tspan> per type, class
 *   t-own (its own namespace of that type: not the level above's, or the top), t-shared (the
 *   level above's), t-unknown (either not known; the name then ends in "?"); the box's
 *   <title> gives each type's inode, a line each.
 * - ANCHOR is render_svg_anchor's id, which the page gives the namespace's section.
 * - Labels are untrusted: escaped as the rest of the page does (escape.h, then entity-
 *   encoded; escapes marked by <tspan class="raw">), cut with U+2026 to fit the box (the full
 *   label is the box's <title>). Widths assume a monospace font of at most SVG_CHAR_WIDTH
 *   pixels a column, a character outside ASCII two columns, so text stays inside its box.
 * - Kind colours come from the page's style sheet (report.css: .pic .k-vm ...), the same
 *   variables as the tree's. Nothing external: no href but "#...", no script, no style.
 * - Appends to a strbuf (strbuf.h); nothing printed.
 */
#ifndef WSLNS_RENDER_SVG_H
#define WSLNS_RENDER_SVG_H

#include <stddef.h>

#include "model.h"
#include "strbuf.h"

#define SVG_CHAR_WIDTH 7.5 /* px per column at the picture's 12px monospace font */

/* Appends the picture section (<section id="picture"> with the SVG); a sentence instead of
 * a picture when the model has no namespace. */
void render_svg(struct strbuf *out, const struct model *m);

/* Appends the id of namespace ns's section in the page: "ns-<inode>", or "ns-unknown-<ns>"
 * for the placeholder. */
void render_svg_anchor(struct strbuf *out, const struct model *m, size_t ns);

#endif
