/* render_doctor.h - the doctor's report for people (text), for programs (wslns-doctor/1 JSON,
 * every member docs/doctor.md lists) and for the HTML report's extra sections.
 *
 * Ownership: render_doctor_text and render_doctor_json return a new NUL-terminated string
 * the caller frees (never NULL). render_doctor_html_sections fills a struct
 * doctor_html whose strings point into the report (which must outlive it) except the verdict
 * lines and arrays it owns; doctor_html_free releases those. Nothing is printed here.
 */
#ifndef WSLNS_RENDER_DOCTOR_H
#define WSLNS_RENDER_DOCTOR_H

#include <stdbool.h>

#include "doctor/doctor.h"
#include "render/render_html.h"

/* Per distro one verdict line ("Ubuntu  GUI apps: on  ...") with the cause and the fix, then
 * the other findings that ask for action, then every config-file warning as WSL prints it. */
char *render_doctor_text(const struct doctor_report *r, bool color);

char *render_doctor_json(const struct doctor_report *r);

struct doctor_html {
    struct html_section sections[3]; /* verdicts, findings, config warnings */
    struct html_finding *items;      /* backing store of the sections' findings */
    char **verdicts;                 /* "GUI apps: on - <cause>", one per distro (owned) */
    size_t verdict_count;
    struct html_extras extras; /* ready for render_html_file (json_id "wslns-doctor") */
};

/* json: the wslns-doctor/1 document to embed (may be NULL); kept by pointer. */
void render_doctor_html_sections(const struct doctor_report *r, const char *json,
                                 struct doctor_html *out);

void doctor_html_free(struct doctor_html *h);

#endif
