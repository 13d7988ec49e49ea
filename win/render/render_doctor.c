/* render_doctor.c - the doctor's report as text, as wslns-doctor/1 and as HTML sections. */
#include "render/render_doctor.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "strbuf.h"
#include "xalloc.h"

/* ---- text ---- */

/* Everything the doctor quotes - distro names, wsl.conf and .wslconfig values, the
 * /tmp/.X11-unix link target, file paths, wsl.exe's version text, with --from a document's
 * distro name - comes from places wslns does not control: every such piece goes through
 * escape.h, so nothing can act on the terminal or start a line of its own (a spoofed
 * "fix:" line). Only the doctor's own words and colours are written as they are. */
static void put(struct strbuf *sb, const char *text)
{
    escape_message(sb, text ? text : "");
}

static const char *gui_color(enum doctor_gui gui)
{
    switch (gui) {
    case DOCTOR_GUI_ON: return "\x1b[32m";
    case DOCTOR_GUI_OFF: return "\x1b[33m";
    case DOCTOR_GUI_BROKEN: return "\x1b[31m";
    case DOCTOR_GUI_UNKNOWN: break;
    }
    return "\x1b[2m";
}

/* The distro names, escaped (one per distro), and the column they are padded to. */
static char **escaped_names(const struct doctor_report *r, size_t *width)
{
    char **names = xcalloc(r->distro_count + 1, sizeof *names);
    *width = 6;
    for (size_t i = 0; i < r->distro_count; i++) {
        names[i] = escape_dup(r->distros[i].distro, ESCAPE_DATA);
        size_t n = strlen(names[i]);
        *width = n > *width ? n : *width;
    }
    *width = *width > 30 ? 30 : *width;
    return names;
}

static void text_header(struct strbuf *sb, const struct doctor_report *r)
{
    if (r->wsl_version) {
        strbuf_puts(sb, "WSL ");
        put(sb, r->wsl_version);
        strbuf_puts(sb, ", WSLg ");
        put(sb, r->wslg_version ? r->wslg_version : "unknown");
        strbuf_putc(sb, '\n');
    }
    strbuf_puts(sb, ".wslconfig: ");
    put(sb, r->wslconfig_path);
    if (r->wslconfig_unreadable)
        strbuf_puts(sb, " exists but cannot be read: checked as if absent\n");
    else if (!r->wslconfig_found)
        strbuf_puts(sb, " does not exist: GUI apps on by default\n");
    else if (r->wslconfig_line)
        strbuf_printf(sb, " line %lu decides guiApplications=%s%s\n", r->wslconfig_line,
                      r->wslconfig_value ? "true" : "false",
                      r->safe_mode ? " (and safe mode is on: off)" : "");
    else
        strbuf_printf(sb, " does not set guiApplications: on by default%s\n",
                      r->safe_mode ? " (but safe mode is on: off)" : "");
}

static void text_distros(struct strbuf *sb, const struct doctor_report *r, bool color)
{
    size_t w = 0;
    char **names = escaped_names(r, &w);
    for (size_t i = 0; i < r->distro_count; i++) {
        const struct doctor_distro *d = &r->distros[i];
        const char *gui = doctor_gui_name(d->gui);
        strbuf_printf(sb, "%-*s  GUI apps: %s%-7s%s  ", (int)w, names[i],
                      color ? gui_color(d->gui) : "", gui, color ? "\x1b[0m" : "");
        put(sb, d->cause);
        strbuf_putc(sb, '\n');
        if (d->fix) {
            strbuf_printf(sb, "%-*s  fix: ", (int)w, "");
            put(sb, d->fix);
            strbuf_putc(sb, '\n');
        }
        free(names[i]);
    }
    free(names);
    if (!r->distro_count)
        strbuf_puts(sb, "no distro was found to diagnose\n");
}

/* A finding that is already a distro's verdict line (its cause, with its fix below it). */
static bool is_verdict(const struct doctor_report *r, const struct finding *f)
{
    for (size_t i = 0; f->distro && i < r->distro_count; i++) {
        const struct doctor_distro *d = &r->distros[i];
        if (d->cause && strcmp(d->distro, f->distro) == 0 && strcmp(d->cause, f->message) == 0)
            return true;
    }
    return false;
}

static void text_findings(struct strbuf *sb, const struct doctor_report *r)
{
    bool any = false;
    for (size_t i = 0; i < r->findings.nr; i++) {
        const struct finding *f = &r->findings.items[i];
        if (f->severity == SEVERITY_INFO || is_verdict(r, f))
            continue;
        if (!any)
            strbuf_puts(sb, "\nfindings:\n");
        any = true;
        strbuf_printf(sb, "  %s %s: ", severity_name(f->severity), f->code);
        put(sb, f->message);
        strbuf_putc(sb, '\n');
        if (f->fix) {
            strbuf_puts(sb, "      fix: ");
            put(sb, f->fix);
            strbuf_putc(sb, '\n');
        }
    }
}

static void text_problems(struct strbuf *sb, const struct wslconf_result *w, const char *distro,
                          bool *header)
{
    for (size_t i = 0; i < w->problem_nr; i++) {
        if (!*header)
            strbuf_puts(sb, "\nconfig warnings (as WSL prints them):\n");
        *header = true;
        const struct wslconf_problem *p = &w->problems[i];
        strbuf_puts(sb, "  ");
        if (distro) {
            strbuf_putc(sb, '[');
            put(sb, distro);
            strbuf_puts(sb, "] ");
        }
        put(sb, p->message);
        strbuf_printf(sb, "%s\n", p->from_wsl ? "" : " (wslns)");
    }
}

char *render_doctor_text(const struct doctor_report *r, bool color)
{
    struct strbuf sb = STRBUF_INIT;
    text_header(&sb, r);
    strbuf_putc(&sb, '\n');
    text_distros(&sb, r, color);
    text_findings(&sb, r);
    bool header = false;
    text_problems(&sb, &r->wslconfig, NULL, &header);
    for (size_t i = 0; i < r->distro_count; i++)
        text_problems(&sb, &r->distros[i].wsl_conf, r->distros[i].distro, &header);
    return strbuf_detach(&sb, NULL);
}

/* ---- wslns-doctor/1 ---- */

static cJSON *text_or_null(const char *s)
{
    return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *line_or_null(unsigned long line)
{
    return line ? cJSON_CreateNumber((double)line) : cJSON_CreateNull();
}

static cJSON *problems_json(const struct wslconf_result *w)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < w->problem_nr; i++) {
        const struct wslconf_problem *p = &w->problems[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(arr, o);
        cJSON_AddNumberToObject(o, "line", (double)p->line);
        cJSON_AddStringToObject(o, "code", p->code);
        cJSON_AddStringToObject(o, "message", p->message);
        cJSON_AddNumberToObject(o, "wsl_line", (double)p->wsl_line);
        cJSON_AddBoolToObject(o, "from_wsl", p->from_wsl);
    }
    return arr;
}

static cJSON *setting_json(bool known, bool value, unsigned long line)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "value", known ? cJSON_CreateBool(value) : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "line", line_or_null(line));
    return o;
}

static const char *measure_names[] = {"unknown", "on", "off"};

static cJSON *distro_json(const struct doctor_distro *d)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "distro", d->distro);
    cJSON_AddStringToObject(o, "gui", doctor_gui_name(d->gui));
    cJSON_AddItemToObject(o, "cause", cJSON_CreateString(d->cause ? d->cause : ""));
    cJSON_AddItemToObject(o, "fix", text_or_null(d->fix));
    cJSON *conf = cJSON_AddObjectToObject(o, "wsl_conf");
    cJSON_AddItemToObject(
        conf, "gui_applications",
        setting_json(d->wsl_conf_value_known, d->wsl_conf_value, d->wsl_conf_line));
    cJSON_AddItemToObject(conf, "problems", problems_json(&d->wsl_conf));
    cJSON_AddItemToObject(conf, "exists",
                          d->have_wsl_conf ? cJSON_CreateBool(d->wsl_conf_exists)
                                           : cJSON_CreateNull());
    cJSON_AddBoolToObject(conf, "truncated", d->wsl_conf_truncated);
    cJSON_AddStringToObject(o, "measured", measure_names[d->measured]);
    cJSON_AddItemToObject(o, "evidence", text_or_null(d->evidence));
    cJSON_AddBoolToObject(o, "config_on", d->config_on);
    cJSON_AddStringToObject(o, "config_cause", d->config_cause_name);
    return o;
}

static cJSON *finding_json(const struct finding *f)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "code", f->code);
    cJSON_AddStringToObject(o, "severity", severity_name(f->severity));
    cJSON_AddItemToObject(o, "distro", text_or_null(f->distro));
    cJSON_AddItemToObject(o, "file", text_or_null(f->file));
    cJSON_AddItemToObject(o, "line", line_or_null(f->line));
    cJSON_AddStringToObject(o, "message", f->message);
    cJSON_AddItemToObject(o, "fix", text_or_null(f->fix));
    return o;
}

char *render_doctor_json(const struct doctor_report *r)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "schema", "wslns-doctor/1");
    cJSON *wc = cJSON_AddObjectToObject(doc, "wslconfig");
    cJSON_AddStringToObject(wc, "path", r->wslconfig_path);
    cJSON_AddBoolToObject(wc, "found", r->wslconfig_found);
    cJSON_AddItemToObject(wc, "gui_applications",
                          setting_json(true, r->wslconfig_value, r->wslconfig_line));
    cJSON_AddItemToObject(wc, "problems", problems_json(&r->wslconfig));
    cJSON_AddBoolToObject(wc, "safe_mode", r->safe_mode);
    cJSON_AddItemToObject(wc, "encoding", text_or_null(r->wslconfig.encoding));
    cJSON *distros = cJSON_AddArrayToObject(doc, "distros");
    for (size_t i = 0; i < r->distro_count; i++)
        cJSON_AddItemToArray(distros, distro_json(&r->distros[i]));
    cJSON *findings = cJSON_AddArrayToObject(doc, "findings");
    for (size_t i = 0; i < r->findings.nr; i++)
        cJSON_AddItemToArray(findings, finding_json(&r->findings.items[i]));
    cJSON_AddItemToObject(doc, "wsl_version", text_or_null(r->wsl_version));
    cJSON_AddItemToObject(doc, "wslg_version", text_or_null(r->wslg_version));
    char *text = cJSON_Print(doc);
    cJSON_Delete(doc);
    /* cJSON allocates with xmalloc (wslns_main sets the hooks), so the caller can free() it;
     * end it with a newline like every document wslns writes. */
    char *out = str_printf("%s\n", text);
    free(text);
    return out;
}

/* ---- HTML sections ---- */

static const char *verdict_severity(enum doctor_gui gui)
{
    switch (gui) {
    case DOCTOR_GUI_ON: return "ok";
    case DOCTOR_GUI_OFF: return "info";
    case DOCTOR_GUI_BROKEN: return "error";
    case DOCTOR_GUI_UNKNOWN: break;
    }
    return "warning";
}

static size_t problem_total(const struct doctor_report *r)
{
    size_t n = r->wslconfig.problem_nr;
    for (size_t i = 0; i < r->distro_count; i++)
        n += r->distros[i].wsl_conf.problem_nr;
    return n;
}

static size_t add_problems(struct html_finding *items, size_t k, const struct wslconf_result *w,
                           const char *subject)
{
    for (size_t i = 0; i < w->problem_nr; i++)
        items[k++] = (struct html_finding){w->problems[i].from_wsl ? "warning" : "info", subject,
                                           w->problems[i].message, NULL};
    return k;
}

void render_doctor_html_sections(const struct doctor_report *r, const char *json,
                                 struct doctor_html *out)
{
    memset(out, 0, sizeof *out);
    size_t total = r->distro_count + r->findings.nr + problem_total(r);
    out->items = xcalloc(total + 1, sizeof *out->items);
    out->verdicts = xcalloc(r->distro_count + 1, sizeof *out->verdicts);
    size_t k = 0;
    for (size_t i = 0; i < r->distro_count; i++) {
        const struct doctor_distro *d = &r->distros[i];
        char *line =
            str_printf("GUI apps: %s - %s", doctor_gui_name(d->gui), d->cause ? d->cause : "");
        out->verdicts[out->verdict_count++] = line;
        out->items[k++] = (struct html_finding){verdict_severity(d->gui), d->distro, line, d->fix};
    }
    out->sections[0] = (struct html_section){"GUI apps (WSLg) per distro",
                                             "What the config files ask for, set against what "
                                             "was measured in each distro.",
                                             out->items, r->distro_count};
    size_t start = k;
    for (size_t i = 0; i < r->findings.nr; i++) {
        const struct finding *f = &r->findings.items[i];
        out->items[k++] = (struct html_finding){
            severity_name(f->severity), f->distro ? f->distro : f->file, f->message, f->fix};
    }
    out->sections[1] =
        (struct html_section){"Doctor's findings", NULL, out->items + start, k - start};
    start = k;
    k = add_problems(out->items, k, &r->wslconfig, r->wslconfig_path);
    for (size_t i = 0; i < r->distro_count; i++)
        k = add_problems(out->items, k, &r->distros[i].wsl_conf, r->distros[i].distro);
    out->sections[2] = (struct html_section){"Config warnings (as WSL prints them)", NULL,
                                             out->items + start, k - start};
    out->extras = (struct html_extras){out->sections, 3, json ? "wslns-doctor" : NULL, json};
}

void doctor_html_free(struct doctor_html *h)
{
    for (size_t i = 0; i < h->verdict_count; i++)
        free(h->verdicts[i]);
    free(h->verdicts);
    free(h->items);
    memset(h, 0, sizeof *h);
}
