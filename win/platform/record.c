/* record.c - the platform functions that decide a run, recorded or replayed (record.h). */
#include "platform/record.h"

#include <cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "platform/platform.h"
#include "sha256.h"
#include "strbuf.h"
#include "utf8.h"
#include "wslns_version.h"
#include "xalloc.h"

/* The operating system's implementations, renamed by win/platform/CMakeLists.txt. __typeof__ keeps
 * their signatures tied to platform.h's. */
extern __typeof__(plat_run_children) plat_os_run_children;
extern __typeof__(plat_random_bytes) plat_os_random_bytes;
extern __typeof__(plat_is_elevated) plat_os_is_elevated;
extern __typeof__(plat_find_wsl) plat_os_find_wsl;
extern __typeof__(plat_self_dir) plat_os_self_dir;
extern __typeof__(plat_default_wslconfig_path) plat_os_default_wslconfig_path;
extern __typeof__(plat_path_exists) plat_os_path_exists;
extern __typeof__(plat_read_file) plat_os_read_file;
extern __typeof__(plat_now) plat_os_now;
extern __typeof__(plat_debug_shell_policy) plat_os_debug_shell_policy;

#define SCHEMA "wslns-recording/1"
#define MANIFEST "manifest.json"
#define REPORT "report.json"

/* Caps on what a replay reads (a recording may come from anyone). */
#define MAX_MANIFEST ((size_t)16 << 20)
#define MAX_REPORT ((size_t)256 << 20)
#define MAX_STREAM ((size_t)256 << 20) /* one stdout/stderr file, when the spec has no cap */
#define MAX_PROBE ((size_t)64 << 20)
#define MAX_EXCHANGES 1024
#define MAX_FILES 256
#define MAX_ANSWERS 4096 /* per query kind */
#define MAX_RANDOM 4096  /* bytes in one plat_random_bytes answer */
#define MAX_ARGS 256
#define MAX_READS ((size_t)1 << 20) /* stdout reads kept per exchange */

static const char probe_marker[] = "<<wslns-probe>>";
static const char probe_b64_marker[] = "<<wslns-probe-base64>>";
static const char placeholder[] = "<wslns-probe: replaced by its SHA-256 in the recording> ";

enum mode { OFF, RECORDING, REPLAYING };

/* One kind of answer: a JSON array and, replaying, the next entry to hand out. */
struct queue {
    const char *name; /* its key in the manifest's "calls" */
    cJSON *items;     /* owned by the manifest */
    int next;         /* replaying: answers handed out ... */
    cJSON *last;      /* ... and the last one (a cursor: no walk from the start each time) */
    bool *used;       /* keyed kinds: entries already matched */
};

/* Replaying: the next item of q, or NULL when none is left; counts it either way. */
static cJSON *pop(struct queue *q)
{
    cJSON *item = q->next == 0 ? (cJSON_IsArray(q->items) ? q->items->child : NULL)
                               : (q->last ? q->last->next : NULL);
    q->next++;
    q->last = item;
    return item;
}

enum {
    Q_RANDOM,
    Q_ELEVATED,
    Q_FIND_WSL,
    Q_SELF_DIR,
    Q_WSLCONFIG,
    Q_EXISTS,
    Q_FILES,
    Q_NOW,
    Q_POLICY,
    Q_COUNT
};
static const char *const queue_names[Q_COUNT] = {
    "random_bytes", "is_elevated", "find_wsl", "self_dir",          "default_wslconfig_path",
    "path_exists",  "read_file",   "now",      "debug_shell_policy"};

static struct {
    enum mode mode;
    char *dir;
    cJSON *root;
    struct queue q[Q_COUNT];
    cJSON *exchanges;
    bool *exchange_used;
    int batches;
    double t0;
    char *probe_path;        /* recording: record_note_probe */
    char *probe, *probe_b64; /* the bytes stdin is searched for, and their base64 */
    size_t probe_len, probe_b64_len;
    size_t *line_start, line_count; /* probe_b64's lines (BASE64_LINE characters, the last fewer) */
    size_t *line_order;             /* their indexes sorted by content, for lookups */
    char *report;                   /* record_set_report */
    bool have_report;
    char *divergence;  /* replaying: the first */
    char *write_error; /* recording: the first */
    /* plat_now: while a child's callback runs, its clock readings belong to its exchange
     * (children interleave differently in every run); otherwise to calls.now. */
    cJSON *child_clock;       /* recording: the exchange's "now" array, or NULL */
    struct queue child_queue; /* replaying: the same ... */
    bool in_child;            /* ... while a child's callback runs */
    double last_now;          /* replaying: the last reading handed out */
    char **argv;       /* replaying: the recorded command line */
    int argc;
} R;

bool record_active(void)
{
    return R.mode != OFF;
}

static void diverge(const char *fmt, ...) WSLNS_PRINTF_LIKE(1, 2);
static void diverge(const char *fmt, ...)
{
    if (R.divergence)
        return;
    va_list ap;
    va_start(ap, fmt);
    R.divergence = str_vprintf(fmt, ap);
    va_end(ap);
}

static void write_failed(char *error)
{
    if (!R.write_error)
        R.write_error = error;
    else
        free(error);
}

static double since_start(void)
{
    return (double)(int64_t)((plat_os_now() - R.t0) * 1000 + 0.5) / 1000;
}

/* ---- small helpers ---- */

/* "<what>-NNN.<suffix>" in the recording's folder: names never come from the manifest. */
static char *file_in_dir(const char *what, size_t index, const char *suffix)
{
    char name[64];
    snprintf(name, sizeof name, "%s-%03zu.%s", what, index, suffix);
    return plat_path_join(R.dir, name);
}

/* Decodes hex into out (n bytes); false when it is not exactly 2n hex digits. */
static bool unhex(const char *hex, unsigned char *out, size_t n)
{
    size_t got = 0;
    char *bytes = hex_decode(hex, &got);
    bool ok = bytes && got == n;
    if (ok)
        memcpy(out, bytes, n);
    free(bytes);
    return ok;
}

static const char *json_string(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool json_bool(const cJSON *o, const char *key)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* A non-negative whole number, or fallback. */
static double json_number(const cJSON *o, const char *key, double fallback)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : fallback;
}

static void add_string_or_null(cJSON *o, const char *key, const char *value)
{
    if (value)
        cJSON_AddStringToObject(o, key, value);
    else
        cJSON_AddNullToObject(o, key);
}

static cJSON *string_array(const char *const *list)
{
    cJSON *a = cJSON_CreateArray();
    for (; a && list && *list; list++)
        cJSON_AddItemToArray(a, cJSON_CreateString(*list));
    return a;
}

/* True when the JSON array holds exactly the strings of the NULL-terminated list. */
static bool same_strings(const cJSON *a, const char *const *list)
{
    if (!cJSON_IsArray(a))
        return !list || !*list;
    const cJSON *item = a->child;
    for (; list && *list; list++, item = item->next) {
        if (!item || !cJSON_IsString(item) || strcmp(item->valuestring, *list) != 0)
            return false;
    }
    return item == NULL;
}

/* Printable ASCII as is, the rest as \xNN (what a message may quote from a recording or a
 * distro), cut after max bytes with "...". */
static void put_escaped(struct strbuf *sb, const char *s, size_t max)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n && i < max; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7F && c != '\\')
            strbuf_putc(sb, (char)c);
        else
            strbuf_printf(sb, "\\x%02x", c);
    }
    if (n > max)
        strbuf_puts(sb, "...");
}

/* argv as one line for messages, each argument quoted when it has a blank, long ones cut. */
static char *describe_argv(const char *const *argv)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, "");
    for (size_t i = 0; argv && argv[i] && sb.len < 200; i++) {
        bool quote = strchr(argv[i], ' ') != NULL || !*argv[i];
        strbuf_puts(&sb, i ? (quote ? " '" : " ") : (quote ? "'" : ""));
        put_escaped(&sb, argv[i], 40);
        if (quote)
            strbuf_putc(&sb, '\'');
    }
    return strbuf_detach(&sb, NULL);
}

/* Up to 40 bytes from offset, printable ASCII as is, the rest as \xNN. */
static void put_excerpt(struct strbuf *sb, const char *data, size_t len, size_t offset)
{
    strbuf_putc(sb, '"');
    for (size_t i = offset; i < len && i < offset + 40; i++) {
        unsigned char c = (unsigned char)data[i];
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\')
            strbuf_putc(sb, (char)c);
        else if (c == '"' || c == '\\')
            strbuf_printf(sb, "\\%c", c);
        else if (c == '\n')
            strbuf_puts(sb, "\\n");
        else if (c == '\t')
            strbuf_puts(sb, "\\t");
        else
            strbuf_printf(sb, "\\x%02x", c);
    }
    strbuf_puts(sb, offset + 40 < len ? "...\"" : "\"");
}

/* "at byte N: recorded "...", now "..."" for two byte strings that differ. */
static char *first_difference(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t i = 0;
    while (i < alen && i < blen && a[i] == b[i])
        i++;
    size_t line = 1;
    for (size_t k = 0; k < i; k++)
        line += a[k] == '\n';
    struct strbuf sb = STRBUF_INIT;
    strbuf_printf(&sb, "at byte %zu (line %zu): recorded ", i, line);
    put_excerpt(&sb, a, alen, i);
    strbuf_puts(&sb, ", now ");
    put_excerpt(&sb, b, blen, i);
    return strbuf_detach(&sb, NULL);
}

/* ---- the probe in stdin ---- */

static bool at(const char *s, size_t len, size_t i, const char *needle, size_t n)
{
    return n > 0 && i + n <= len && s[i] == needle[0] && memcmp(s + i, needle, n) == 0;
}

static size_t line_length(size_t k)
{
    return k + 1 < R.line_count ? BASE64_LINE : R.probe_b64_len - R.line_start[k] - 1;
}

static int compare_lines(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    size_t lx = line_length(x), ly = line_length(y);
    int c = memcmp(R.probe_b64 + R.line_start[x], R.probe_b64 + R.line_start[y], lx < ly ? lx : ly);
    return c ? c : (lx > ly) - (lx < ly);
}

static void set_probe(const char *data, size_t len)
{
    free(R.probe);
    free(R.probe_b64);
    free(R.line_start);
    free(R.line_order);
    R.probe = R.probe_b64 = NULL;
    R.line_start = R.line_order = NULL;
    R.probe_len = R.probe_b64_len = R.line_count = 0;
    if (len == 0)
        return;
    R.probe = xmalloc(len);
    memcpy(R.probe, data, len);
    R.probe_len = len;
    struct strbuf b64 = STRBUF_INIT;
    base64_put_lines(&b64, data, len);
    R.probe_b64 = strbuf_detach(&b64, &R.probe_b64_len);
    size_t n = (R.probe_b64_len + BASE64_LINE) / (BASE64_LINE + 1);
    R.line_start = xcalloc(n, sizeof *R.line_start);
    R.line_order = xcalloc(n, sizeof *R.line_order);
    for (size_t k = 0; k < n; k++) {
        R.line_start[k] = k * (BASE64_LINE + 1);
        R.line_order[k] = k;
    }
    R.line_count = n;
    qsort(R.line_order, n, sizeof *R.line_order, compare_lines);
}

/* The index of the probe's base64 line that is exactly s[0..n), or -1. */
static long find_line(const char *s, size_t n)
{
    size_t lo = 0, hi = R.line_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2, k = R.line_order[mid];
        size_t lk = line_length(k);
        int c = memcmp(R.probe_b64 + R.line_start[k], s, lk < n ? lk : n);
        c = c ? c : (lk > n) - (lk < n);
        if (c == 0)
            return (long)k;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static const char line_marker[] = "<<wslns-probe-base64-line:";

/* A tty echoes what it is sent: the debug shell's transcript can hold lines of the probe's
 * base64. Each such line end (after any prompt, before any CR) becomes
 * <<wslns-probe-base64-line:K>>; restore_probe_lines puts line K of the replay's placeholder
 * back, which has the same length, so every read offset stays right. */
static char *hide_probe_lines(const char *data, size_t len, size_t *out_len)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, "");
    size_t s = 0;
    while (s < len) {
        const char *nl = memchr(data + s, '\n', len - s);
        size_t e = nl ? (size_t)(nl - data) + 1 : len, t = nl ? e - 1 : len;
        if (t > s && data[t - 1] == '\r')
            t--;
        long k = -1;
        size_t n = 0;
        if (R.line_count && t - s >= BASE64_LINE)
            k = find_line(data + t - BASE64_LINE, n = BASE64_LINE);
        if (k < 0 && R.line_count) {
            n = line_length(R.line_count - 1);
            if (n < BASE64_LINE && t - s >= n &&
                memcmp(data + t - n, R.probe_b64 + R.line_start[R.line_count - 1], n) == 0)
                k = (long)R.line_count - 1;
        }
        if (k >= 0) {
            strbuf_append(&sb, data + s, t - n - s);
            strbuf_printf(&sb, "%s%ld>>", line_marker, k);
            strbuf_append(&sb, data + t, e - t);
        } else {
            strbuf_append(&sb, data + s, e - s);
        }
        s = e;
    }
    return strbuf_detach(&sb, out_len);
}

/* The reverse of hide_probe_lines, with the placeholder's lines; *data is replaced. */
static void restore_probe_lines(char **data, size_t *len)
{
    const char *d = *data;
    size_t m = sizeof line_marker - 1;
    if (!R.line_count || !*len)
        return;
    struct strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, "");
    size_t start = 0;
    for (size_t i = 0; i + m < *len;) {
        if (!at(d, *len, i, line_marker, m)) {
            i++;
            continue;
        }
        size_t j = i + m, k = 0;
        while (j < *len && j - i - m < 9 && d[j] >= '0' && d[j] <= '9')
            k = k * 10 + (size_t)(d[j++] - '0');
        if (j == i + m || j + 2 > *len || d[j] != '>' || d[j + 1] != '>' || k >= R.line_count) {
            i++;
            continue;
        }
        strbuf_append(&sb, d + start, i - start);
        strbuf_append(&sb, R.probe_b64 + R.line_start[k], line_length(k));
        i = start = j + 2;
    }
    strbuf_append(&sb, d + start, *len - start);
    free(*data);
    *data = strbuf_detach(&sb, len);
}

/* stdin with every copy of the probe (raw or as base64 lines) replaced by a marker. */
static char *mark_probe(const char *s, size_t len, size_t *out_len)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, "");
    size_t start = 0, i = 0;
    while (i < len) {
        const char *marker = NULL;
        size_t skip = 0;
        if (at(s, len, i, R.probe, R.probe_len)) {
            marker = probe_marker;
            skip = R.probe_len;
        } else if (at(s, len, i, R.probe_b64, R.probe_b64_len)) {
            marker = probe_b64_marker;
            skip = R.probe_b64_len;
        }
        if (!marker) {
            i++;
            continue;
        }
        strbuf_append(&sb, s + start, i - start);
        strbuf_puts(&sb, marker);
        i += skip;
        start = i;
    }
    strbuf_append(&sb, s + start, len - start);
    return strbuf_detach(&sb, out_len);
}

/* ---- starting ---- */

static void reset(void)
{
    cJSON_Delete(R.root);
    free(R.dir);
    for (int k = 0; k < Q_COUNT; k++)
        free(R.q[k].used);
    free(R.exchange_used);
    free(R.probe_path);
    free(R.probe);
    free(R.probe_b64);
    free(R.line_start);
    free(R.line_order);
    free(R.report);
    free(R.divergence);
    free(R.write_error);
    for (int i = 0; i < R.argc; i++)
        free(R.argv[i]);
    free(R.argv);
    memset(&R, 0, sizeof R);
}

errmsg record_start(const char *dir, int argc, char **argv)
{
    reset();
    char *error = plat_make_dir(dir);
    if (error)
        return error;
    /* Another recording's files would mix with this one's (and go out with it). */
    char *old = plat_path_join(dir, MANIFEST);
    bool taken = old && plat_os_path_exists(old);
    free(old);
    if (taken)
        return str_printf("%s already holds a recording; name a new folder", dir);
    R.dir = str_dup(dir);
    R.root = cJSON_CreateObject();
    cJSON *calls = cJSON_CreateObject();
    cJSON_AddStringToObject(R.root, "schema", SCHEMA);
    cJSON_AddStringToObject(R.root, "wslns_version", WSLNS_VERSION);
    cJSON_AddStringToObject(R.root, "build", WSLNS_PLATFORM_NAME);
    cJSON *args = cJSON_AddArrayToObject(R.root, "command_line");
    for (int i = 1; args && i < argc; i++)
        cJSON_AddItemToArray(args, cJSON_CreateString(argv[i]));
    cJSON_AddItemToObject(R.root, "calls", calls);
    for (int k = 0; k < Q_COUNT; k++) {
        R.q[k].name = queue_names[k];
        R.q[k].items = cJSON_AddArrayToObject(calls, queue_names[k]);
    }
    R.exchanges = cJSON_AddArrayToObject(R.root, "exchanges");
    R.t0 = plat_os_now();
    R.mode = RECORDING;
    return NULL;
}

/* The manifest's shape, checked once so the replay can trust it; NULL or what is wrong. */
static errmsg check_manifest(void)
{
    const char *schema = json_string(R.root, "schema");
    if (!schema || strcmp(schema, SCHEMA) != 0)
        return str_printf("not a %s manifest (its schema is %s)", SCHEMA,
                          schema ? schema : "missing");
    const cJSON *args = cJSON_GetObjectItemCaseSensitive(R.root, "command_line");
    if (!cJSON_IsArray(args) || cJSON_GetArraySize(args) > MAX_ARGS)
        return str_printf("command_line is not an array of at most %d strings", MAX_ARGS);
    const cJSON *calls = cJSON_GetObjectItemCaseSensitive(R.root, "calls");
    for (int k = 0; k < Q_COUNT; k++) {
        cJSON *a = cJSON_GetObjectItemCaseSensitive(calls, queue_names[k]);
        if (a && (!cJSON_IsArray(a) || cJSON_GetArraySize(a) > MAX_ANSWERS))
            return str_printf("calls.%s is not an array of at most %d answers", queue_names[k],
                              MAX_ANSWERS);
        if (k == Q_FILES && a && cJSON_GetArraySize(a) > MAX_FILES)
            return str_printf("calls.read_file has more than %d files", MAX_FILES);
        R.q[k].name = queue_names[k];
        R.q[k].items = a;
    }
    R.exchanges = cJSON_GetObjectItemCaseSensitive(R.root, "exchanges");
    if (R.exchanges &&
        (!cJSON_IsArray(R.exchanges) || cJSON_GetArraySize(R.exchanges) > MAX_EXCHANGES))
        return str_printf("exchanges is not an array of at most %d exchanges", MAX_EXCHANGES);
    for (const cJSON *e = R.exchanges ? R.exchanges->child : NULL; e; e = e->next) {
        const cJSON *argv = cJSON_GetObjectItemCaseSensitive(e, "argv");
        if (!cJSON_IsArray(argv) || cJSON_GetArraySize(argv) > MAX_ARGS)
            return str_printf("an exchange has no argv array of at most %d strings", MAX_ARGS);
    }
    return NULL;
}

/* Reads and parses dir's manifest into R.root; NULL or why not. */
static errmsg load_manifest(const char *dir)
{
    char *path = plat_path_join(dir, MANIFEST);
    char *text = NULL;
    size_t len = 0;
    bool truncated = false;
    char *error = plat_os_read_file(path, MAX_MANIFEST, &text, &len, &truncated);
    free(path);
    if (error)
        return error;
    if (truncated) {
        free(text);
        return str_printf("its %s is larger than %zu MiB", MANIFEST, MAX_MANIFEST >> 20);
    }
    R.root = cJSON_ParseWithLength(text, len);
    free(text);
    if (!R.root)
        return str_printf("its %s is not JSON", MANIFEST);
    return NULL;
}

/* The recorded command line as R.argc and R.argv, "wslns" first; NULL or why not. */
static errmsg load_command_line(void)
{
    const cJSON *args = cJSON_GetObjectItemCaseSensitive(R.root, "command_line");
    int n = cJSON_GetArraySize(args);
    R.argv = xcalloc((size_t)n + 2, sizeof *R.argv);
    R.argv[0] = str_dup("wslns");
    R.argc = 1;
    for (const cJSON *a = args->child; a; a = a->next) {
        if (!cJSON_IsString(a))
            return str_dup("command_line holds something that is not a string");
        R.argv[R.argc++] = str_dup(a->valuestring);
    }
    return NULL;
}

/* One "used" flag per keyed answer and per exchange. */
static void alloc_used_flags(void)
{
    for (int k = 0; k < Q_COUNT; k++) {
        int n = cJSON_GetArraySize(R.q[k].items);
        R.q[k].used = xcalloc((size_t)n + 1, sizeof(bool));
    }
    R.exchange_used = xcalloc((size_t)cJSON_GetArraySize(R.exchanges) + 1, sizeof(bool));
}

errmsg replay_start(const char *dir, int *argc, char ***argv)
{
    reset();
    *argc = 0;
    *argv = NULL;
    char *error = load_manifest(dir);
    if (!error) {
        R.dir = str_dup(dir);
        error = check_manifest();
    }
    if (!error)
        error = load_command_line();
    if (!error)
        alloc_used_flags();
    if (error) {
        reset();
        return error;
    }
    R.mode = REPLAYING;
    *argc = R.argc;
    *argv = R.argv;
    return NULL;
}

void record_note_probe(const char *path)
{
    if (R.mode != RECORDING || !path)
        return;
    free(R.probe_path);
    R.probe_path = str_dup(path);
}

void record_set_report(const char *json)
{
    if (R.mode == OFF)
        return;
    free(R.report);
    R.report = json ? str_dup(json) : NULL;
    R.have_report = R.report != NULL;
}

/* ---- answers in order ---- */

static cJSON *next_answer(int k)
{
    struct queue *q = &R.q[k];
    cJSON *item = pop(q);
    if (!item)
        diverge("the run called %s more often than the recorded run (%d times)", q->name,
                q->next - 1);
    return item;
}

static void append(int k, cJSON *item)
{
    if (item && !cJSON_AddItemToArray(R.q[k].items, item))
        cJSON_Delete(item);
}

/* An answer that is a path or an error: {"path": ...} or {"error": ...}. */
static errmsg path_answer(int k, char **path, errmsg (*os)(char **))
{
    if (R.mode == OFF)
        return os(path);
    if (R.mode == RECORDING) {
        char *error = os(path);
        cJSON *o = cJSON_CreateObject();
        add_string_or_null(o, "path", *path);
        add_string_or_null(o, "error", error);
        append(k, o);
        return error;
    }
    *path = NULL;
    cJSON *o = next_answer(k);
    const char *p = json_string(o, "path"), *e = json_string(o, "error");
    if (p && !e) {
        *path = str_dup(p);
        return NULL;
    }
    return str_dup(e ? e : "wslns --replay: no answer in the recording");
}

void plat_random_bytes(void *buf, size_t n)
{
    if (R.mode == OFF) {
        plat_os_random_bytes(buf, n);
        return;
    }
    if (R.mode == RECORDING) {
        plat_os_random_bytes(buf, n);
        char *hex = hex_encode((const char *)buf, n);
        if (hex)
            append(Q_RANDOM, cJSON_CreateString(hex));
        free(hex);
        return;
    }
    /* Lenient on purpose: a draw the recording lacks, or of another size, gets bytes
     * derived from its position. A nonce that then differs shows as a divergence of stdin;
     * a hash seed changes nothing the report says, and a recording should outlive it. */
    struct queue *q = &R.q[Q_RANDOM];
    const cJSON *item = pop(q);
    size_t got = 0;
    char *bytes = cJSON_IsString(item) ? hex_decode(item->valuestring, &got) : NULL;
    uint64_t x = 0x9E3779B97F4A7C15u * (uint64_t)q->next;
    unsigned char *out = buf;
    for (size_t i = 0; i < n; i++) {
        if (i < MAX_RANDOM && bytes && i < got) {
            out[i] = (unsigned char)bytes[i];
            continue;
        }
        x ^= x >> 31;
        x *= 0xBF58476D1CE4E5B9u;
        out[i] = (unsigned char)(x >> 56);
    }
    free(bytes);
}

bool plat_is_elevated(void)
{
    if (R.mode == OFF)
        return plat_os_is_elevated();
    if (R.mode == RECORDING) {
        bool elevated = plat_os_is_elevated();
        append(Q_ELEVATED, cJSON_CreateBool(elevated));
        return elevated;
    }
    return cJSON_IsTrue(next_answer(Q_ELEVATED));
}

static const char *const policy_names[] = {"not_set", "allowed", "disallowed"};

enum plat_policy plat_debug_shell_policy(void)
{
    if (R.mode == OFF)
        return plat_os_debug_shell_policy();
    if (R.mode == RECORDING) {
        enum plat_policy p = plat_os_debug_shell_policy();
        append(Q_POLICY, cJSON_CreateString(policy_names[p]));
        return p;
    }
    const cJSON *item = next_answer(Q_POLICY);
    for (int p = 0; cJSON_IsString(item) && p < 3; p++) {
        if (strcmp(item->valuestring, policy_names[p]) == 0)
            return (enum plat_policy)p;
    }
    return PLAT_POLICY_NOT_SET;
}

errmsg plat_find_wsl(char **path)
{
    return path_answer(Q_FIND_WSL, path, plat_os_find_wsl);
}

errmsg plat_default_wslconfig_path(char **path)
{
    return path_answer(Q_WSLCONFIG, path, plat_os_default_wslconfig_path);
}

/* Clock readings decide what a conversation with a child sends next (the debug shell's
 * ready echoes), so they are recorded like any answer. One the recording lacks is the last
 * one plus a second: time moves on, and what it changes shows in what is sent. */
double plat_now(void)
{
    if (R.mode == OFF)
        return plat_os_now();
    if (R.mode == RECORDING) {
        double now = plat_os_now();
        cJSON *n = cJSON_CreateNumber(now);
        if (n && !cJSON_AddItemToArray(R.child_clock ? R.child_clock : R.q[Q_NOW].items, n))
            cJSON_Delete(n);
        return now;
    }
    const cJSON *item = pop(R.in_child ? &R.child_queue : &R.q[Q_NOW]);
    double now = cJSON_IsNumber(item) && item->valuedouble >= R.last_now && item->valuedouble < 1e15
                     ? item->valuedouble
                     : R.last_now + 1;
    R.last_now = now;
    return now;
}

char *plat_self_dir(void)
{
    if (R.mode == OFF)
        return plat_os_self_dir();
    if (R.mode == RECORDING) {
        char *dir = plat_os_self_dir();
        cJSON *o = cJSON_CreateObject();
        add_string_or_null(o, "dir", dir);
        append(Q_SELF_DIR, o);
        return dir;
    }
    const char *dir = json_string(next_answer(Q_SELF_DIR), "dir");
    return dir ? str_dup(dir) : NULL;
}

/* ---- answers by path ---- */

/* The first unused entry of kind k whose "path" is path, marked used; NULL (a divergence)
 * when there is none. */
static cJSON *find_by_path(int k, const char *path)
{
    struct queue *q = &R.q[k];
    int i = 0;
    for (cJSON *o = q->items ? q->items->child : NULL; o; o = o->next, i++) {
        const char *p = json_string(o, "path");
        if (!q->used[i] && p && strcmp(p, path) == 0) {
            q->used[i] = true;
            return o;
        }
    }
    diverge("the run called %s for %s, which the recorded run did not (that often)", q->name, path);
    return NULL;
}

bool plat_path_exists(const char *path)
{
    if (R.mode == OFF)
        return plat_os_path_exists(path);
    if (R.mode == RECORDING) {
        bool exists = plat_os_path_exists(path);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "path", path);
        cJSON_AddBoolToObject(o, "exists", exists);
        append(Q_EXISTS, o);
        return exists;
    }
    return json_bool(find_by_path(Q_EXISTS, path), "exists");
}

static errmsg record_read(const char *path, size_t max_bytes, char **data, size_t *len,
                          bool *truncated)
{
    bool cut = false;
    char *error = plat_os_read_file(path, max_bytes, data, len, &cut);
    if (truncated)
        *truncated = cut;
    int index = cJSON_GetArraySize(R.q[Q_FILES].items);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "path", path);
    add_string_or_null(o, "error", error);
    cJSON_AddBoolToObject(o, "truncated", cut);
    if (!error) {
        cJSON_AddNumberToObject(o, "length", (double)*len);
        bool probe = R.probe_path && strcmp(path, R.probe_path) == 0;
        cJSON_AddBoolToObject(o, "probe", probe);
        if (probe) {
            char hex[65];
            sha256_hex(*data, *len, hex);
            cJSON_AddStringToObject(o, "sha256", hex);
            set_probe(*data, *len);
        } else {
            char *file = file_in_dir("read", (size_t)index, "data");
            char *werr = plat_write_file(file, *data, *len);
            if (werr)
                write_failed(werr);
            free(file);
        }
    }
    append(Q_FILES, o);
    return error;
}

static errmsg replay_read(const char *path, size_t max_bytes, char **data, size_t *len,
                          bool *truncated)
{
    cJSON *o = find_by_path(Q_FILES, path);
    if (!o)
        return str_printf("cannot open %s: wslns --replay: not in the recording", path);
    const char *error = json_string(o, "error");
    if (error)
        return str_dup(error);
    bool cut = json_bool(o, "truncated");
    char *e = NULL;
    if (json_bool(o, "probe")) {
        double n = json_number(o, "length", 0);
        size_t want = n >= 0 && n <= (double)MAX_PROBE ? (size_t)n : 0;
        if (want > max_bytes) {
            want = max_bytes;
            cut = true;
        }
        *data = xmalloc(want + 1);
        for (size_t i = 0; i < want; i++)
            (*data)[i] = placeholder[i % (sizeof placeholder - 1)];
        (*data)[want] = '\0';
        *len = want;
        set_probe(*data, *len);
    } else {
        int index = 0;
        for (cJSON *x = R.q[Q_FILES].items->child; x && x != o; x = x->next)
            index++;
        char *file = file_in_dir("read", (size_t)index, "data");
        bool more = false;
        e = plat_os_read_file(file, max_bytes, data, len, &more);
        free(file);
        cut = cut || more;
        if (e) {
            diverge("the recording's read-%03d.data (%s): %s", index, path, e);
            free(e);
            return str_printf("cannot read %s: wslns --replay: its recorded copy is missing", path);
        }
    }
    if (truncated)
        *truncated = cut;
    return NULL;
}

errmsg plat_read_file(const char *path, size_t max_bytes, char **data, size_t *len, bool *truncated)
{
    if (R.mode == OFF)
        return plat_os_read_file(path, max_bytes, data, len, truncated);
    *data = NULL;
    *len = 0;
    if (truncated)
        *truncated = false;
    if (R.mode == RECORDING)
        return record_read(path, max_bytes, data, len, truncated);
    return replay_read(path, max_bytes, data, len, truncated);
}

/* ---- children ---- */

/* One stdout read: time since the start of the run, and the stdout length after it. */
struct stdout_read {
    double at;
    size_t len;
};

/* What a recording keeps of one child while it runs (stop and done are wrapped). */
struct child_log {
    const struct plat_child_spec *spec;
    cJSON *clock; /* its plat_now readings */
    cJSON *feeds; /* its feed calls, when it has a feed */
    double started, ended;
    struct stdout_read *reads; /* MAX_READS at most, grown by ALLOC_GROW */
    size_t read_nr, read_alloc;
};

static bool log_stop(const char *out, size_t len, void *ctx)
{
    struct child_log *c = ctx;
    if (c->read_nr < MAX_READS) {
        ALLOC_GROW(c->reads, c->read_nr + 1, c->read_alloc);
        c->reads[c->read_nr].at = since_start();
        c->reads[c->read_nr++].len = len;
    }
    R.child_clock = c->clock;
    bool stop = c->spec->stop ? c->spec->stop(out, len, c->spec->stop_ctx) : false;
    R.child_clock = NULL;
    return stop;
}

static void put_bytes(cJSON *o, const char *key, const char *data, size_t len);

/* plat_feed_fn: what the child was told, and when (after how many stdout reads). */
static const char *log_feed(const char *out, size_t len, size_t *n, void *ctx)
{
    struct child_log *c = ctx;
    R.child_clock = c->clock;
    const char *said = c->spec->feed(out, len, n, c->spec->feed_ctx);
    R.child_clock = NULL;
    size_t said_len = said && n ? *n : 0;
    if (c->feeds && cJSON_GetArraySize(c->feeds) < (int)MAX_READS) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "t", since_start());
        cJSON_AddNumberToObject(o, "stdout_length", (double)len);
        cJSON_AddNumberToObject(o, "after_reads", (double)c->read_nr);
        put_bytes(o, "sent", said_len ? said : "", said_len);
        if (o && !cJSON_AddItemToArray(c->feeds, o))
            cJSON_Delete(o);
    }
    return said;
}

static void log_done(const struct plat_child_result *r, void *ctx)
{
    struct child_log *c = ctx;
    c->ended = since_start();
    R.child_clock = c->clock;
    if (c->spec->done)
        c->spec->done(r, c->spec->done_ctx);
    R.child_clock = NULL;
}

/* Bytes sent to a child, with the probe marked: as text under key, or as hex under
 * key_hex when they are not UTF-8 text. */
static void put_bytes(cJSON *o, const char *key, const char *data, size_t len)
{
    size_t n = 0;
    char *marked = mark_probe(data, len, &n);
    if (!marked)
        return;
    if (utf8_is_valid(marked, n) && strlen(marked) == n) {
        cJSON_AddStringToObject(o, key, marked);
    } else {
        char *h = hex_encode((const char *)marked, n);
        char hex_key[32];
        snprintf(hex_key, sizeof hex_key, "%s_hex", key);
        if (h)
            cJSON_AddStringToObject(o, hex_key, h);
        free(h);
    }
    free(marked);
}

static void put_stdin(cJSON *o, const struct plat_child_spec *spec)
{
    const char *in = spec->stdin_data ? spec->stdin_data : "";
    char hex[65];
    sha256_hex(in, spec->stdin_len, hex);
    cJSON_AddNumberToObject(o, "stdin_length", (double)spec->stdin_len);
    cJSON_AddStringToObject(o, "stdin_sha256", hex);
    put_bytes(o, "stdin", in, spec->stdin_len);
}

static void write_stream(size_t index, const char *suffix, const char *data, size_t len)
{
    char *file = file_in_dir("exchange", index, suffix);
    size_t n = 0;
    char *hidden = hide_probe_lines(data ? data : "", len, &n);
    char *error = plat_write_file(file, hidden, n);
    if (error)
        write_failed(error);
    free(hidden);
    free(file);
}

static cJSON *exchange_json(struct child_log *c, const struct plat_child_result *r)
{
    const struct plat_child_spec *spec = c->spec;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "batch", R.batches);
    cJSON_AddItemToObject(o, "argv", string_array(spec->argv));
    cJSON_AddItemToObject(o, "env_add", string_array(spec->env_add));
    put_stdin(o, spec);
    cJSON_AddBoolToObject(o, "keep_stdin_open", spec->keep_stdin_open);
    cJSON_AddNumberToObject(o, "timeout_s", spec->timeout_s);
    cJSON_AddNumberToObject(o, "max_output", (double)spec->max_output);
    cJSON_AddNumberToObject(o, "started_s", c->started);
    cJSON_AddNumberToObject(o, "ended_s", c->ended);
    add_string_or_null(o, "spawn_error", r->spawn_error);
    cJSON_AddNumberToObject(o, "exit_code", r->exit_code);
    cJSON_AddBoolToObject(o, "timed_out", r->timed_out);
    cJSON_AddBoolToObject(o, "stopped_early", r->stopped_early);
    cJSON_AddBoolToObject(o, "interrupted", r->interrupted);
    cJSON_AddNumberToObject(o, "seconds", (double)(int64_t)(r->seconds * 1000 + 0.5) / 1000);
    cJSON_AddNumberToObject(o, "stdout_length", (double)r->out_len);
    cJSON_AddBoolToObject(o, "stdout_truncated", r->out_truncated);
    cJSON_AddNumberToObject(o, "stderr_length", (double)r->err_len);
    cJSON_AddBoolToObject(o, "stderr_truncated", r->err_truncated);
    if (cJSON_GetArraySize(c->clock) > 0) {
        cJSON_AddItemToObject(o, "now", c->clock);
        c->clock = NULL; /* the exchange owns it now */
    }
    if (c->feeds) {
        cJSON_AddItemToObject(o, "feeds", c->feeds);
        c->feeds = NULL;
    }
    cJSON *reads = cJSON_AddArrayToObject(o, "stdout_reads");
    for (size_t i = 0; i < c->read_nr; i++) {
        cJSON *pair = cJSON_CreateArray();
        cJSON_AddItemToArray(pair, cJSON_CreateNumber(c->reads[i].at));
        cJSON_AddItemToArray(pair, cJSON_CreateNumber((double)c->reads[i].len));
        cJSON_AddItemToArray(reads, pair);
    }
    return o;
}

static void record_children(size_t n, const struct plat_child_spec *specs,
                            struct plat_child_result *results)
{
    struct plat_child_spec *wrapped = xcalloc(n, sizeof *wrapped);
    struct child_log *logs = xcalloc(n, sizeof *logs);
    double started = since_start();
    for (size_t i = 0; i < n; i++) {
        logs[i].spec = &specs[i];
        logs[i].started = started;
        logs[i].clock = cJSON_CreateArray();
        logs[i].feeds = specs[i].feed ? cJSON_CreateArray() : NULL;
        wrapped[i] = specs[i];
        wrapped[i].stop = log_stop;
        wrapped[i].stop_ctx = &logs[i];
        wrapped[i].done = log_done;
        wrapped[i].done_ctx = &logs[i];
        /* Only a child that has a feed gets one: a feed keeps stdin open. */
        wrapped[i].feed = specs[i].feed ? log_feed : NULL;
        wrapped[i].feed_ctx = &logs[i];
    }
    plat_os_run_children(n, wrapped, results);
    for (size_t i = 0; i < n; i++) {
        size_t index = (size_t)cJSON_GetArraySize(R.exchanges);
        cJSON_AddItemToArray(R.exchanges, exchange_json(&logs[i], &results[i]));
        write_stream(index, "stdout", results[i].out, results[i].out_len);
        write_stream(index, "stderr", results[i].err, results[i].err_len);
        free(logs[i].reads);
        cJSON_Delete(logs[i].clock);
        cJSON_Delete(logs[i].feeds);
    }
    R.batches++;
    free(wrapped);
    free(logs);
}

/* Recorded bytes (key: marked text, key_hex: hex) against what this run sends; NULL when
 * they are the same or the recording leaves them out, else how they differ. */
static errmsg compare_bytes(const cJSON *e, const char *key, const char *data, size_t len)
{
    size_t now_len = 0;
    char *now = mark_probe(data ? data : "", len, &now_len);
    char hex_key[32];
    snprintf(hex_key, sizeof hex_key, "%s_hex", key);
    const char *text = json_string(e, key), *hex = json_string(e, hex_key);
    char *was = NULL;
    size_t was_len = 0;
    if (text) {
        was = str_dup(text);
        was_len = strlen(text);
    } else if (hex && strlen(hex) % 2 == 0) {
        was_len = strlen(hex) / 2;
        was = xmalloc(was_len + 1);
        if (!unhex(hex, (unsigned char *)was, was_len)) {
            free(was);
            was = NULL;
        }
    }
    char *diff = NULL;
    if (!text && !hex) {
        /* A hand-made recording may leave it out: nothing to compare. */
    } else if (!was) {
        diff = str_printf("its recorded %s is neither text nor hex", key);
    } else if (was_len != now_len || memcmp(was, now, now_len) != 0) {
        char *where = first_difference(was, was_len, now, now_len);
        diff = str_printf("%s differs %s", key, where ? where : "");
        free(where);
    }
    free(was);
    free(now);
    return diff;
}

/* A stream file of exchange index, capped by the spec's max_output like the platform. */
static errmsg read_stream(size_t index, const char *suffix, size_t cap, char **data, size_t *len,
                          bool *truncated)
{
    char *file = file_in_dir("exchange", index, suffix);
    bool more = false;
    char *error = plat_os_read_file(file, cap, data, len, &more);
    free(file);
    if (!error)
        restore_probe_lines(data, len);
    if (!error && *len > cap) {
        (*data)[cap] = '\0';
        *len = cap;
        more = true;
    }
    *truncated = *truncated || more;
    return error;
}

/* Calls the feeds recorded up to `reads` stdout reads; false once one diverged. */
static bool replay_feeds(const struct plat_child_spec *spec, const struct plat_child_result *r,
                         const cJSON **feed, size_t reads, size_t index, int *calls)
{
    for (; *feed && json_number(*feed, "after_reads", 0) <= (double)reads; *feed = (*feed)->next) {
        double at = json_number(*feed, "stdout_length", 0);
        size_t len = at > 0 && at < (double)r->out_len ? (size_t)at : at > 0 ? r->out_len : 0;
        size_t n = 0;
        const char *said = spec->feed(r->out, len, &n, spec->feed_ctx);
        char *diff = compare_bytes(*feed, "sent", said ? said : "", said ? n : 0);
        (*calls)++;
        if (diff) {
            diverge("exchange %zu: feed call %d: %s", index, *calls, diff);
            free(diff);
            return false;
        }
    }
    return true;
}

/* The stop and feed functions see the output as it arrived, read by read, in the recorded
 * order: stdout_reads are the reads (the stop calls), each feed call says after how many of
 * them it came. */
static void replay_callbacks(const struct plat_child_spec *spec, struct plat_child_result *r,
                             const cJSON *e, size_t index)
{
    const cJSON *feeds = cJSON_GetObjectItemCaseSensitive(e, "feeds");
    if (!spec->feed != !cJSON_IsArray(feeds)) {
        diverge("exchange %zu: %s", index,
                spec->feed ? "this run converses with the child (a feed), the recorded run did not"
                           : "the recorded run conversed with the child (a feed), this run does not");
        return;
    }
    if (r->spawn_error)
        return;
    const cJSON *feed = spec->feed ? feeds->child : NULL;
    int calls = 0;
    bool stopped = false, ok = replay_feeds(spec, r, &feed, 0, index, &calls);
    size_t last = 0, count = 0;
    const cJSON *reads = cJSON_GetObjectItemCaseSensitive(e, "stdout_reads");
    for (const cJSON *p = cJSON_IsArray(reads) ? reads->child : NULL; p && ok && !stopped;
         p = p->next) {
        const cJSON *l = cJSON_GetArrayItem(p, 1);
        if (!cJSON_IsNumber(l) || l->valuedouble < (double)last || count >= MAX_READS)
            continue;
        last = l->valuedouble > (double)r->out_len ? r->out_len : (size_t)l->valuedouble;
        count++;
        if (spec->stop)
            stopped = spec->stop(r->out, last, spec->stop_ctx);
        if (!stopped)
            ok = replay_feeds(spec, r, &feed, count, index, &calls);
    }
    if (ok && !stopped && spec->stop && last < r->out_len)
        spec->stop(r->out, r->out_len, spec->stop_ctx);
}

/* The first exchange not replayed yet that ran spec's argv (marked used), or NULL; its
 * index in *index. */
static cJSON *take_exchange(const struct plat_child_spec *spec, size_t *index)
{
    *index = 0;
    for (cJSON *x = R.exchanges ? R.exchanges->child : NULL; x; x = x->next, (*index)++) {
        if (!R.exchange_used[*index] &&
            same_strings(cJSON_GetObjectItemCaseSensitive(x, "argv"), spec->argv)) {
            R.exchange_used[*index] = true;
            return x;
        }
    }
    return NULL;
}

/* What this run asks of the child (its environment and stdin) against the recording. */
static void compare_request(const cJSON *e, const struct plat_child_spec *spec, size_t index,
                            const char *what)
{
    if (!same_strings(cJSON_GetObjectItemCaseSensitive(e, "env_add"), spec->env_add))
        diverge("exchange %zu (`%s`): the environment added differs from the recording", index,
                what);
    char *diff = compare_bytes(e, "stdin", spec->stdin_data, spec->stdin_len);
    if (diff)
        diverge("exchange %zu (`%s`): %s", index, what, diff);
    free(diff);
}

/* The recorded outcome, bounded: everything in r but the output. */
static void load_outcome(const cJSON *e, struct plat_child_result *r)
{
    const char *spawn_error = json_string(e, "spawn_error");
    if (spawn_error)
        r->spawn_error = str_dup(spawn_error);
    double code = json_number(e, "exit_code", 0);
    r->exit_code = code >= -2147483648.0 && code <= 2147483647.0 ? (int)code : -1;
    r->timed_out = json_bool(e, "timed_out");
    r->stopped_early = json_bool(e, "stopped_early");
    r->interrupted = json_bool(e, "interrupted");
    double seconds = json_number(e, "seconds", 0);
    r->seconds = seconds >= 0 && seconds < 1e9 ? seconds : 0;
    r->out_truncated = json_bool(e, "stdout_truncated");
    r->err_truncated = json_bool(e, "stderr_truncated");
}

/* The recorded stdout and stderr (of a child that started: no spawn_error recorded), capped
 * like the platform caps them; never NULL afterwards ("" when missing). */
static void load_output(const cJSON *e, const struct plat_child_spec *spec,
                        struct plat_child_result *r, size_t index)
{
    size_t cap = spec->max_output ? spec->max_output : MAX_STREAM;
    if (cap > MAX_STREAM)
        cap = MAX_STREAM;
    char *error = NULL;
    if (!json_string(e, "spawn_error")) {
        error = read_stream(index, "stdout", cap, &r->out, &r->out_len, &r->out_truncated);
        char *error2 = read_stream(index, "stderr", cap, &r->err, &r->err_len, &r->err_truncated);
        if (!error)
            error = error2;
        else
            free(error2);
    }
    if (error) {
        diverge("exchange %zu: %s", index, error);
        free(error);
    }
    if (!r->out)
        r->out = str_dup("");
    if (!r->err)
        r->err = str_dup("");
}

/* A child the recording does not have: it fails to start, and the replay diverged. */
static void not_recorded(struct plat_child_result *r, const char *what)
{
    diverge("the run ran `%s`, which the recorded run did not (that often)", what);
    r->spawn_error = str_dup("wslns --replay: this run is not in the recording");
    r->exit_code = -1;
    r->out = str_dup("");
    r->err = str_dup("");
}

/* Runs a child from the recording: the next exchange with its argv gives its outcome and
 * output, and its callbacks are called as they were, on the exchange's own clock. */
static void replay_child(const struct plat_child_spec *spec, struct plat_child_result *r)
{
    memset(r, 0, sizeof *r);
    size_t index;
    cJSON *e = take_exchange(spec, &index);
    char *what = describe_argv(spec->argv);
    if (!e) {
        not_recorded(r, what);
        free(what);
        return;
    }
    compare_request(e, spec, index, what);
    free(what);
    load_outcome(e, r);
    load_output(e, spec, r, index);

    /* The callbacks read this exchange's clock. */
    R.child_queue = (struct queue){.name = "now"};
    cJSON *clock = cJSON_GetObjectItemCaseSensitive(e, "now");
    R.child_queue.items = cJSON_IsArray(clock) ? clock : NULL;
    R.in_child = true;
    replay_callbacks(spec, r, e, index);
    if (spec->done)
        spec->done(r, spec->done_ctx);
    R.in_child = false;
}

void plat_run_children(size_t n, const struct plat_child_spec *specs,
                       struct plat_child_result *results)
{
    if (R.mode == OFF) {
        plat_os_run_children(n, specs, results);
    } else if (R.mode == RECORDING) {
        record_children(n, specs, results);
    } else {
        for (size_t i = 0; i < n; i++)
            replay_child(&specs[i], &results[i]);
    }
}

/* ---- the end ---- */

static errmsg write_recording(int exit_code)
{
    cJSON_AddNumberToObject(R.root, "exit_code", exit_code);
    if (R.have_report) {
        cJSON_AddStringToObject(R.root, "report", REPORT);
        char *file = plat_path_join(R.dir, REPORT);
        char *error = plat_write_file(file, R.report, strlen(R.report));
        if (error)
            write_failed(error);
        free(file);
    } else {
        cJSON_AddNullToObject(R.root, "report");
    }
    char *text = cJSON_Print(R.root);
    char *file = plat_path_join(R.dir, MANIFEST);
    char *error = plat_write_file(file, text, strlen(text));
    free(text);
    free(file);
    if (error)
        write_failed(error);
    char *result = R.write_error;
    R.write_error = NULL;
    return result;
}

/* Compares this run's report with the recorded one, byte for byte. */
static void compare_report(void)
{
    char *file = plat_path_join(R.dir, REPORT);
    char *was = NULL;
    size_t was_len = 0;
    bool cut = false;
    char *error = plat_os_read_file(file, MAX_REPORT, &was, &was_len, &cut);
    free(file);
    if (error) {
        diverge("the recorded %s: %s", REPORT, error);
    } else if (cut) {
        diverge("the recorded %s is larger than %zu MiB", REPORT, MAX_REPORT >> 20);
    } else if (was_len != strlen(R.report) || memcmp(was, R.report, was_len) != 0) {
        char *where = first_difference(was, was_len, R.report, strlen(R.report));
        diverge("the report differs from the recorded %s %s", REPORT, where ? where : "");
        free(where);
    }
    free(error);
    free(was);
}

static void check_replay_end(int exit_code)
{
    /* Exchanges the run did not make mean it took another path. */
    size_t index = 0;
    for (cJSON *x = R.exchanges ? R.exchanges->child : NULL; x; x = x->next, index++) {
        if (!R.exchange_used[index]) {
            const cJSON *argv = cJSON_GetObjectItemCaseSensitive(x, "argv");
            const cJSON *first = cJSON_GetArrayItem(argv, 1);
            struct strbuf sb = STRBUF_INIT;
            strbuf_puts(&sb, "");
            put_escaped(&sb, cJSON_IsString(first) ? first->valuestring : "", 40);
            diverge("the run did not make recorded exchange %zu (wsl.exe %s ...)", index,
                    sb.data ? sb.data : "");
            strbuf_release(&sb);
        }
    }
    if (R.divergence)
        return;
    bool had_report = cJSON_IsString(cJSON_GetObjectItemCaseSensitive(R.root, "report"));
    if (had_report != R.have_report) {
        diverge(had_report ? "the recorded run wrote a report, this one none"
                           : "this run wrote a report, the recorded run none");
        return;
    }
    if (had_report)
        compare_report();
    double recorded = json_number(R.root, "exit_code", -1);
    if (!R.divergence && recorded != exit_code)
        diverge("the run exited %d, the recorded run %g", exit_code, recorded);
}

errmsg record_finish(int exit_code)
{
    char *result = NULL;
    if (R.mode == RECORDING) {
        result = write_recording(exit_code);
    } else if (R.mode == REPLAYING) {
        check_replay_end(exit_code);
        result = R.divergence;
        R.divergence = NULL;
    }
    reset();
    return result;
}
