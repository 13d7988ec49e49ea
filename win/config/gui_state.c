/* gui_state.c - the effective guiApplications value per distro and the findings that
 * explain it. See gui_state.h for the two places WSL decides, docs/config.md for the codes. */
#include "config/gui_state.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "xalloc.h"

#define KEY "guiApplications"
#define FAR_AWAY ((size_t)1000)

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* strlen up to max + 1: a 32 KiB section name costs no more than a short one. */
static size_t length_up_to(const char *s, size_t max)
{
    size_t n = 0;
    while (n <= max && s[n])
        n++;
    return n;
}

size_t gui_edit_distance(const char *a, const char *b)
{
    size_t n = length_up_to(a, 64), m = length_up_to(b, 64);
    if (n > 64 || m > 64)
        return FAR_AWAY;
    size_t d[65][65];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= n; i++) {
        for (size_t j = 1; j <= m; j++) {
            size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
            size_t best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best)
                best = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
                lower(a[i - 2]) == lower(b[j - 1]) && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[n][m];
}

/* What a value that WSL rejected was meant to say. Users who write the key at all nearly
 * always want GUI apps off (on is the default), so anything unrecognised counts as off. */
static bool meant_on(const char *value)
{
    static const char *const on_words[] = {"true", "1", "yes", "y", "on", "t", "enable", "enabled"};
    char word[16];
    size_t n = 0;
    while (value[n] && value[n] != ' ' && value[n] != '\t' && value[n] != ';' &&
           n + 1 < sizeof(word)) {
        word[n] = value[n];
        n++;
    }
    word[n] = '\0';
    for (size_t i = 0; i < sizeof(on_words) / sizeof(on_words[0]); i++)
        if (wslconf_name_equal(word, on_words[i]))
            return true;
    return false;
}

/* The value an entry asks for: its boolean when WSL's grammar accepts it, else its intent. */
static bool asks_for(const struct wslconf_entry *e)
{
    bool b;
    if (wslconf_parse_bool(e->value, &b))
        return b;
    return meant_on(e->value);
}

struct builder {
    struct gui_state *out;
};

/* Takes ownership of message and fix. */
static void add_finding(struct builder *b, const char *code, enum severity severity,
                        const char *distro, const char *file, unsigned long line, char *message,
                        char *fix)
{
    finding_add(&b->out->findings, code, severity, distro, file, line, message, fix);
}

/* One config file as the GUI check sees it. */
struct file_view {
    const struct wslconf_result *r;
    const char *distro;        /* NULL for .wslconfig */
    const char *section;       /* where the key belongs: "wsl2" or "general" */
    const char *other_section; /* where it belongs in the other file */
    const char *where;         /* "C:\...\.wslconfig" or "/etc/wsl.conf of distro X" */
    const char *apply;         /* "wsl --shutdown" or "wsl --terminate X" */
    bool scope_on;             /* GUI apps are on where this file applies */
};

static char *write_fix(const struct file_view *f, unsigned long line, bool value)
{
    return str_printf("in %s line %lu write `" KEY "=%s` under `[%s]`, then run `%s`", f->where,
                      line, value ? "true" : "false", f->section, f->apply);
}

/* A guiApplications line in the wrong place: where it is, and the code for that place. */
static const char *misplaced_code(const struct file_view *f, const struct wslconf_entry *e,
                                  char **where)
{
    if (e->section[0] == '\0') {
        *where = str_dup("above every section header, where WSL reads no key");
        return GUI_F_KEY_ABOVE_SECTIONS;
    }
    /* Names are quoted cut to WSLCONF_QUOTE_MAX bytes: a section name can fill the file. */
    if (!e->header_valid) {
        char *name = wslconf_quote_name(e);
        *where = str_printf("below the invalid section header on line %lu, so WSL files it as '%s'",
                            e->header_line, name);
        free(name);
        return GUI_F_INVALID_SECTION_HEADER;
    }
    const char *code = GUI_F_WRONG_SECTION;
    char *section = wslconf_quote(e->section);
    if (wslconf_name_equal(e->section, f->other_section)) {
        *where = str_printf("in section [%s], which belongs in %s", section,
                            f->distro ? ".wslconfig" : "/etc/wsl.conf");
        code =
            f->distro ? GUI_F_WSLCONFIG_SECTION_IN_WSL_CONF : GUI_F_WSL_CONF_SECTION_IN_WSLCONFIG;
    } else if (gui_edit_distance(e->section, f->section) <= 2) {
        *where = str_printf("in section [%s], a misspelling of [%s]", section, f->section);
        code = GUI_F_MISSPELLED_SECTION;
    } else {
        *where = str_printf("in section [%s]", section);
    }
    free(section);
    return code;
}

/* A stopped wsl.conf: why WSL gave up, for messages (a BOM explains the invalid line 1). */
static const char *stop_reason(const struct wslconf_result *r)
{
    const char *reason = "an invalid line";
    for (size_t i = r->problem_nr; i-- > 0;) {
        const struct wslconf_problem *pr = &r->problems[i];
        if (pr->line == r->stopped_line && (pr->from_wsl || strcmp(pr->code, WSLCONF_P_BOM) == 0))
            reason = pr->message;
    }
    return reason;
}

/* One guiApplications-like line being checked, with what the findings about it share. */
struct line_check {
    struct builder *b;
    const struct file_view *f;
    const struct wslconf_entry *e;
    bool wants;                     /* what the line asks for: GUI apps on */
    enum severity severity;         /* warning when that differs from what happens */
    char *value; /* quoted cut to WSLCONF_QUOTE_MAX bytes (the key is short: close to KEY) */
};

/* Takes ownership of message and fix. */
static void line_finding(const struct line_check *c, const char *code, enum severity severity,
                         char *message, char *fix)
{
    add_finding(c->b, code, severity, c->f->distro, c->f->r->display_path, c->e->line, message,
                fix);
}

static void after_stop(const struct line_check *c)
{
    const struct file_view *f = c->f;
    const struct wslconf_entry *e = c->e;
    line_finding(c, GUI_F_AFTER_PARSING_STOPPED, c->severity,
                 str_printf("%s line %lu: `%s=%s` is never read: WSL stopped reading the file at "
                            "line %lu (%s) and ignores everything below it, without a warning",
                            f->where, e->line, e->key, c->value, f->r->stopped_line,
                            stop_reason(f->r)),
                 str_printf("in %s fix line %lu or move line %lu above it, then run `%s`", f->where,
                            f->r->stopped_line, e->line, f->apply));
}

static void misspelled_key(const struct line_check *c)
{
    line_finding(c, GUI_F_MISSPELLED_KEY, c->severity,
                 str_printf("%s line %lu: '%s' is not a key WSL knows (did you mean '" KEY
                            "'?), so WSL ignores the line",
                            c->f->where, c->e->line, c->e->key),
                 write_fix(c->f, c->e->line, c->wants));
}

static void misplaced_key(const struct line_check *c)
{
    char *where = NULL;
    const char *code = misplaced_code(c->f, c->e, &where);
    line_finding(c, code, c->severity,
                 str_printf("%s line %lu: `%s=%s` is %s, so WSL ignores it", c->f->where,
                            c->e->line, c->e->key, c->value, where),
                 write_fix(c->f, c->e->line, c->wants));
    free(where);
}

static void invalid_value(const struct line_check *c)
{
    line_finding(c, GUI_F_INVALID_VALUE, SEVERITY_WARNING,
                 str_printf("%s line %lu: '%s' is not a boolean WSL accepts (only true, false, 1 "
                            "and 0; comments start with #, not ;), so WSL keeps the default "
                            "and GUI apps stay %s",
                            c->f->where, c->e->line, c->value, c->f->scope_on ? "on" : "off"),
                 write_fix(c->f, c->e->line, c->wants));
}

static void duplicate_ignored(const struct line_check *c, const struct wslconf_entry *winner)
{
    const struct file_view *f = c->f;
    const struct wslconf_entry *e = c->e;
    bool winner_value = winner->valid ? winner->bool_value : f->scope_on;
    line_finding(
        c, GUI_F_DUPLICATE_IGNORED, c->wants != winner_value ? SEVERITY_WARNING : SEVERITY_INFO,
        str_printf("%s line %lu: `%s=%s` is ignored because line %lu sets the key "
                   "first (WSL keeps the first occurrence)",
                   f->where, e->line, e->key, c->value, winner->line),
        str_printf("in %s line %lu write `" KEY "=%s` and delete line %lu, then run "
                   "`%s`",
                   f->where, winner->line, c->wants ? "true" : "false", e->line, f->apply));
}

/* Reports a guiApplications-like line that WSL does not act on (nothing for one it uses).
 * A line below a wsl.conf stop is reported as such first: until the stop is fixed, nothing
 * else about it matters (and its section is unreliable, the stopping line may be a header). */
static void check_entry(struct builder *b, const struct file_view *f, const struct wslconf_entry *e,
                        const struct wslconf_entry *winner)
{
    size_t distance = gui_edit_distance(e->key, KEY);
    if (distance > 2 || (distance > 0 && e->known))
        return;
    struct line_check c = {.b = b, .f = f, .e = e, .wants = asks_for(e)};
    c.severity = c.wants != f->scope_on ? SEVERITY_WARNING : SEVERITY_INFO;
    c.value = wslconf_quote(e->value);
    bool right_place = e->known && wslconf_name_equal(e->section, f->section);
    if (e->status == WSLCONF_AFTER_STOP)
        after_stop(&c);
    else if (distance > 0)
        misspelled_key(&c);
    else if (!right_place)
        misplaced_key(&c);
    else if (e->status == WSLCONF_INVALID_VALUE)
        invalid_value(&c);
    else if (e->status == WSLCONF_DUPLICATE && winner)
        duplicate_ignored(&c, winner);
    free(c.value);
}

/* Findings of one code past the cap: the first one's line and how many. */
struct dropped {
    const char *code;
    enum severity severity;
    unsigned long line;
    size_t more;
};

/* At most WSLCONF_MAX_PER_CODE findings of one code per file, then one line with the count:
 * 8,000 guiApplications lines must not become 8,000 findings. */
static void check_file(struct builder *b, const struct file_view *f, const char *full_name)
{
    const struct wslconf_entry *winner = wslconf_deciding_entry(f->r, full_name);
    struct finding_list *list = &b->out->findings;
    size_t first = list->nr;
    struct dropped dropped[16];
    size_t kinds = 0;
    for (size_t i = 0; i < f->r->entry_nr; i++) {
        size_t before = list->nr;
        check_entry(b, f, &f->r->entries[i], winner);
        if (list->nr == before)
            continue;
        const struct finding *added = &list->items[before];
        size_t same = 0;
        for (size_t k = first; k < before; k++)
            same += strcmp(list->items[k].code, added->code) == 0;
        if (same < WSLCONF_MAX_PER_CODE)
            continue;
        size_t d = 0;
        while (d < kinds && strcmp(dropped[d].code, added->code) != 0)
            d++;
        if (d == kinds && kinds < sizeof dropped / sizeof dropped[0])
            dropped[kinds++] = (struct dropped){added->code, added->severity, added->line, 0};
        if (d < kinds)
            dropped[d].more++;
        finding_drop_last(list);
    }
    for (size_t d = 0; d < kinds; d++)
        add_finding(b, dropped[d].code, dropped[d].severity, f->distro, f->r->display_path,
                    dropped[d].line,
                    str_printf("%s: ... and %zu more like the above, from line %lu on", f->where,
                               dropped[d].more, dropped[d].line),
                    NULL);
}

static char *distro_where(const char *distro)
{
    return str_printf("/etc/wsl.conf of distro %s", distro);
}

static void evaluate_global(struct builder *b, const struct gui_config_input *in)
{
    struct gui_state *s = b->out;
    s->wslconfig_value = true;
    s->global_cause = GUI_CAUSE_DEFAULT;
    const struct wslconf_entry *gui = NULL, *safe = NULL;
    if (in->wslconfig) {
        gui = wslconf_deciding_entry(in->wslconfig, "wsl2.guiApplications");
        safe = wslconf_deciding_entry(in->wslconfig, "wsl2.safeMode");
    }
    if (gui) {
        s->wslconfig_line = gui->line;
        if (gui->valid) {
            s->wslconfig_value = gui->bool_value;
            s->global_cause = gui->bool_value ? GUI_CAUSE_WSLCONFIG_ON : GUI_CAUSE_WSLCONFIG_OFF;
        }
    }
    if (safe && safe->valid && safe->bool_value) {
        s->safe_mode = true;
        s->safe_mode_line = safe->line;
        if (s->wslconfig_value)
            s->global_cause = GUI_CAUSE_SAFE_MODE;
    }
    s->global_on = s->wslconfig_value && !s->safe_mode;
    if (!in->wslconfig)
        return;
    const char *path = in->wslconfig->display_path;
    if (!s->wslconfig_value)
        add_finding(b, GUI_F_OFF_BY_WSLCONFIG, SEVERITY_INFO, NULL, path, s->wslconfig_line,
                    str_printf("GUI apps are off for every distro: %s line %lu sets [wsl2] " KEY
                               "=false, so WSL starts no system distro (WSLg)",
                               path, s->wslconfig_line),
                    str_printf("to turn them on: in %s line %lu write `" KEY "=true` under "
                               "`[wsl2]`, then run `wsl --shutdown`",
                               path, s->wslconfig_line));
    if (s->safe_mode)
        add_finding(b, GUI_F_OFF_BY_SAFE_MODE, SEVERITY_WARNING, NULL, path, s->safe_mode_line,
                    str_printf("safe mode is on (%s line %lu: [wsl2] safeMode=true): WSL turns GUI "
                               "apps off for every distro, whatever guiApplications says",
                               path, s->safe_mode_line),
                    str_printf("in %s line %lu write `safeMode=false` under `[wsl2]`, then run "
                               "`wsl --shutdown`",
                               path, s->safe_mode_line));
}

/* The words of each cause: the verdict is "<head> (<line>: <setting>)", or with line_first
 * "<head> <line> (<setting>)"; an off cause's fix writes fix_setting under [section]. */
static const struct cause_words {
    bool on;
    const char *head;
    bool line_first;
    const char *setting;     /* what the deciding line says; NULL when no line decides */
    const char *section;     /* where the fix goes */
    const char *fix_setting; /* what the fix writes; NULL when nothing is to be fixed */
} cause_words[] = {
    [GUI_CAUSE_DEFAULT] = {true, "on (default: no setting turns GUI apps off)", false, NULL, NULL,
                           NULL},
    [GUI_CAUSE_WSLCONFIG_ON] = {true, "on", false, "[wsl2] " KEY "=true", NULL, NULL},
    [GUI_CAUSE_WSL_CONF_ON] = {true, "on", false, "[general] " KEY "=true", NULL, NULL},
    [GUI_CAUSE_WSLCONFIG_OFF] = {false, "off by", true, "[wsl2] " KEY "=false", "wsl2",
                                 KEY "=true"},
    [GUI_CAUSE_SAFE_MODE] = {false, "off by safe mode", false, "[wsl2] safeMode=true", "wsl2",
                             "safeMode=false"},
    [GUI_CAUSE_WSL_CONF_OFF] = {false, "off by", true, "[general] " KEY "=false", "general",
                                KEY "=true"},
};

/* "off by /etc/wsl.conf line 2 of distro Ubuntu ([general] guiApplications=false)"; distro is
 * NULL for a line of .wslconfig. */
static char *cause_text(enum gui_cause cause, const char *file, unsigned long line,
                        const char *distro)
{
    const struct cause_words *w = &cause_words[cause];
    if (!w->setting)
        return str_dup(w->head);
    char *at = distro ? str_printf("%s line %lu of distro %s", file, line, distro)
                      : str_printf("%s line %lu", file, line);
    char *text = w->line_first ? str_printf("%s %s (%s)", w->head, at, w->setting)
                               : str_printf("%s (%s: %s)", w->head, at, w->setting);
    free(at);
    return text;
}

/* The edit that turns GUI apps back on, NULL for a cause that leaves them on. */
static char *cause_fix(enum gui_cause cause, const char *where, unsigned long line,
                       const char *apply)
{
    const struct cause_words *w = &cause_words[cause];
    if (!w->fix_setting)
        return NULL;
    return str_printf("in %s line %lu write `%s` under `[%s]`, then run `%s`", where, line,
                      w->fix_setting, w->section, apply);
}

/* .wslconfig turning GUI apps off decides for every distro (wsl.conf cannot turn them on);
 * else the distro's own valid value, else the global cause. */
static enum gui_cause decide_distro(const struct gui_state *s, const struct wslconf_entry *own)
{
    if (s->global_on && own && own->valid)
        return own->bool_value ? GUI_CAUSE_WSL_CONF_ON : GUI_CAUSE_WSL_CONF_OFF;
    return s->global_cause;
}

/* The distro's wsl.conf as init reads it: the deciding guiApplications line (NULL when none)
 * and the value init uses. */
static const struct wslconf_entry *read_wsl_conf(const struct gui_state *s,
                                                 const struct gui_distro_config *dc,
                                                 struct gui_distro_state *d)
{
    d->wsl_conf_known = dc->wsl_conf != NULL;
    d->wsl_conf_value = s->global_on;
    const struct wslconf_entry *own =
        dc->wsl_conf ? wslconf_deciding_entry(dc->wsl_conf, "general.guiApplications") : NULL;
    if (own) {
        d->wsl_conf_line = own->line;
        if (own->valid)
            d->wsl_conf_value = own->bool_value;
    }
    return own;
}

/* The distro's cause in words and its fix: from its wsl.conf line or from .wslconfig. */
static void describe_distro(const struct gui_state *s, const char *wslconfig_path,
                            const struct file_view *f, const struct wslconf_entry *own,
                            struct gui_distro_state *d)
{
    if (d->cause == GUI_CAUSE_WSL_CONF_ON || d->cause == GUI_CAUSE_WSL_CONF_OFF) {
        d->cause_text = cause_text(d->cause, "/etc/wsl.conf", own->line, f->distro);
        d->fix = cause_fix(d->cause, f->where, own->line, f->apply);
        return;
    }
    unsigned long line =
        s->global_cause == GUI_CAUSE_SAFE_MODE ? s->safe_mode_line : s->wslconfig_line;
    d->cause_text = cause_text(d->cause, wslconfig_path, line, NULL);
    d->fix = cause_fix(d->cause, wslconfig_path, line, "wsl --shutdown");
}

/* The distro's own guiApplications line, when it turns GUI apps off or tries to turn them on
 * under an off .wslconfig. */
static void distro_findings(struct builder *b, const char *wslconfig_path,
                            const struct file_view *f, const struct wslconf_entry *own,
                            const struct gui_distro_state *d)
{
    if (!own || !own->valid)
        return;
    const char *file = f->r->display_path;
    if (!b->out->global_on && own->bool_value)
        add_finding(b, GUI_F_WSL_CONF_CANNOT_ENABLE, SEVERITY_INFO, f->distro, file, own->line,
                    str_printf("%s line %lu sets " KEY "=true, but wsl.conf can only turn GUI "
                               "apps off: %s decides",
                               f->where, own->line, wslconfig_path),
                    NULL);
    else if (d->cause == GUI_CAUSE_WSL_CONF_OFF)
        add_finding(b, GUI_F_OFF_BY_WSL_CONF, SEVERITY_INFO, f->distro, file, own->line,
                    str_printf("GUI apps are off for distro %s: %s line %lu sets [general] " KEY
                               "=false, so it has no system distro (WSLg)",
                               f->distro, f->where, own->line),
                    str_printf("to turn them on: %s", d->fix));
}

static void evaluate_distro(struct builder *b, const struct gui_config_input *in, size_t i)
{
    struct gui_state *s = b->out;
    const struct gui_distro_config *dc = &in->distros[i];
    struct gui_distro_state *d = &s->distros[i];
    const char *wslconfig_path = in->wslconfig ? in->wslconfig->display_path : ".wslconfig";
    char *where = distro_where(dc->distro);
    /* wsl.exe cuts option values at the first blank and keeps quotes (docs/wsl.md W4b), so a
     * distro whose name has one can only be restarted with everything else. */
    char *apply = strpbrk(dc->distro, " \t") ? str_dup("wsl --shutdown")
                                             : str_printf("wsl --terminate %s", dc->distro);
    d->distro = str_dup(dc->distro);
    const struct wslconf_entry *own = read_wsl_conf(s, dc, d);
    d->cause = decide_distro(s, own);
    d->on = cause_words[d->cause].on;
    struct file_view f = {.r = dc->wsl_conf,
                          .distro = dc->distro,
                          .section = "general",
                          .other_section = "wsl2",
                          .where = where,
                          .apply = apply,
                          .scope_on = d->on};
    describe_distro(s, wslconfig_path, &f, own, d);
    if (dc->wsl_conf)
        distro_findings(b, wslconfig_path, &f, own, d);
    if (dc->wsl_conf)
        check_file(b, &f, "general.guiApplications");
    free(where);
    free(apply);
}

const char *gui_cause_name(enum gui_cause cause)
{
    switch (cause) {
    case GUI_CAUSE_WSLCONFIG_ON: return "wslconfig_on";
    case GUI_CAUSE_WSL_CONF_ON: return "wsl_conf_on";
    case GUI_CAUSE_WSLCONFIG_OFF: return "wslconfig_off";
    case GUI_CAUSE_SAFE_MODE: return "safe_mode";
    case GUI_CAUSE_WSL_CONF_OFF: return "wsl_conf_off";
    case GUI_CAUSE_DEFAULT: break;
    }
    return "default";
}

void gui_state_free(struct gui_state *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->distro_count; i++) {
        free(s->distros[i].distro);
        free(s->distros[i].cause_text);
        free(s->distros[i].fix);
    }
    finding_list_free(&s->findings);
    free(s->distros);
    memset(s, 0, sizeof(*s));
}

errmsg gui_state_evaluate(const struct gui_config_input *in, struct gui_state *out)
{
    memset(out, 0, sizeof(*out));
    if (!in || (in->distro_count && !in->distros))
        return str_dup("GUI-apps check: no input given");
    struct builder b = {.out = out};
    evaluate_global(&b, in);
    if (in->wslconfig) {
        struct file_view f = {.r = in->wslconfig,
                              .section = "wsl2",
                              .other_section = "general",
                              .where = in->wslconfig->display_path,
                              .apply = "wsl --shutdown",
                              .scope_on = out->global_on};
        check_file(&b, &f, "wsl2.guiApplications");
    }
    if (in->distro_count)
        out->distros = xcalloc(in->distro_count, sizeof(*out->distros));
    out->distro_count = in->distro_count;
    for (size_t i = 0; i < out->distro_count; i++)
        evaluate_distro(&b, in, i);
    return NULL;
}
