/* render_html.h - the HTML report: one self-contained file (inline style sheet and script, no
 * network, no external resource) that reads without JavaScript and adds search, pid
 * highlighting and expand/collapse with it. docs/html.md describes the page.
 *
 * Sections, in order: header (when, where, versions, views and why some failed or were
 * skipped), the picture of the hierarchy (render_svg.h: nested boxes linking to the tree),
 * the views, legend, namespace tree (<details id="ns-..."> per namespace, a process table per
 * namespace with one pid column per level), diagnostics, the doctor's findings (html_extras),
 * then the wslns-report/1 document of render_json, embedded in <script type="application/json"
 * id="wslns-report"> so scripts can re-read it, and the page's own script.
 *
 * Safety: every string from a probe or a file is untrusted. Text nodes and attributes are
 * HTML-escaped; invalid UTF-8, control characters and bidi overrides are shown escaped (\xNN,
 * \u{202e}); the embedded JSON escapes < > & U+2028 U+2029 so it cannot end its element; a
 * Content-Security-Policy allows no script but the page's own (by its SHA-256).
 *
 * Ownership: the structs below are read only during the call; the caller owns them.
 * render_html returns a new NUL-terminated string the caller frees (never NULL);
 * render_html_file returns NULL or an error message the caller frees. Nothing is printed
 * here.
 */
#ifndef WSLNS_RENDER_HTML_H
#define WSLNS_RENDER_HTML_H

#include <stddef.h>

#include "errmsg.h"
#include "model.h"
#include "source.h"
#include "strbuf.h"

/* One verdict or finding of the doctor, as it should read. Every field but message may be NULL. */
struct html_finding {
    const char *severity; /* "error", "warning", "info" or "ok": the badge and its colour */
    const char *subject;  /* what it is about: "Ubuntu", ".wslconfig line 3", ... */
    const char *message;
    const char *fix; /* what to do about it */
};

/* A group of findings with a heading ("GUI apps per distro", ".wslconfig", ...). */
struct html_section {
    const char *title;
    const char *intro; /* a sentence above the list; may be NULL */
    const struct html_finding *findings;
    size_t finding_count;
};

/* What other commands add to the report (wslns doctor --html). All optional. */
struct html_extras {
    const struct html_section *sections;
    size_t section_count;
    const char *json_id; /* with json: a second embedded document, e.g. "wslns-doctor" */
    const char *json;    /* e.g. the wslns-doctor/1 document */
};

/* Facts about the run the model does not hold. NULL fields are left out of the page. */
struct html_page {
    const char *generated;   /* when the report was made, e.g. "2026-11-30 14:40:12 UTC" */
    const char *computer;    /* where: the Windows computer's name */
    const char *wsl_version; /* WSL's version when known */
    const struct html_extras *extras;
};

/* Appends the n bytes at s with & < > " ' entity-encoded: the plain text of every HTML
 * text node and attribute of the page (render_svg.c uses it too). */
void html_plain(struct strbuf *sb, const char *s, size_t n);

char *render_html(const struct model *m, const struct source_list *sources,
                  const struct html_page *page);

/* render_html with the current time and computer name (COMPUTERNAME, else HOSTNAME), written
 * to path with plat_write_file. extras may be NULL. "-" is refused (an HTML page belongs in
 * a file the user can open). */
errmsg render_html_file(const char *path, const struct model *m, const struct source_list *sources,
                        const struct html_extras *extras);

#endif
