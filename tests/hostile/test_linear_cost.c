/* Hostile input must cost linear work (docs/hostile.md, "Super-linear paths"). No clock here:
 * each case checks a counter of work or the exact result on an input built to be slow. */
#include <cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "idmap.h"
#include "model.h"
#include "pidcmd.h"
#include "render/render_json.h"
#include "strbuf.h"
#include "host_support.h"
#include "view.h"

/* ---- idmap ---- */

/* The fixed public hash idmap used before its keys were secret (splitmix64's finaliser over
 * a * golden ^ (b + constant)). Being public and invertible, anyone could pick keys that all
 * land in one slot: the inverse below does it here. */
#define OLD_A 0x9E3779B97F4A7C15u
#define OLD_B 0x632BE59BD9B4E019u
#define OLD_M1 0xBF58476D1CE4E5B9u
#define OLD_M2 0x94D049BB133111EBu

static uint64_t unxorshift(uint64_t y, unsigned s)
{
    uint64_t x = y;
    for (unsigned k = 0; k < 64 / s + 1; k++)
        x = y ^ (x >> s);
    return x;
}

static uint64_t mul_inverse(uint64_t c)
{
    uint64_t inv = c; /* Newton: each step doubles the correct low bits (c is odd) */
    for (int k = 0; k < 6; k++)
        inv *= 2 - c * inv;
    return inv;
}

/* The key a (with b = 0) whose old hash is exactly h. */
static uint64_t old_preimage(uint64_t h)
{
    uint64_t x = unxorshift(h, 31);
    x *= mul_inverse(OLD_M2);
    x = unxorshift(x, 27);
    x *= mul_inverse(OLD_M1);
    x = unxorshift(x, 30);
    return (x ^ OLD_B) * mul_inverse(OLD_A);
}

static uint64_t old_hash(uint64_t a)
{
    uint64_t x = a * OLD_A ^ OLD_B;
    x ^= x >> 30;
    x *= OLD_M1;
    x ^= x >> 27;
    x *= OLD_M2;
    x ^= x >> 31;
    return x;
}

#define COLLIDING 100000

static void idmap_keys_colliding_under_a_public_hash_keep_probes_short(void)
{
    /* Every key's old hash ends in 32 zero bits: one slot in any table below 2^32 slots. */
    uint64_t *keys = malloc(COLLIDING * sizeof *keys);
    CHECK(keys != NULL);
    if (!keys)
        return;
    for (uint64_t i = 0; i < COLLIDING; i++)
        keys[i] = old_preimage((i + 1) << 32);
    CHECK(old_hash(keys[0]) == (uint64_t)1 << 32 && old_hash(keys[7]) == (uint64_t)8 << 32);

    struct idmap map = IDMAP_INIT;
    for (size_t i = 0; i < COLLIDING; i++)
        idmap_put(&map, keys[i], 0, i);
    CHECK_INT(map.count, COLLIDING);
    size_t found = 0;
    for (size_t i = 0; i < COLLIDING; i++) {
        size_t v = SIZE_MAX;
        if (idmap_get(&map, keys[i], 0, &v) && v == i)
            found++;
    }
    CHECK_INT(found, COLLIDING);
    size_t v;
    CHECK(!idmap_get(&map, keys[0] + 1, 0, &v) || keys[0] + 1 == keys[1]);
    /* Expected longest run for 100,000 random keys at load <= 1/2 is a few dozen. */
    if (map.longest_probe > IDMAP_MAX_PROBE)
        fprintf(stderr, "  longest probe: %zu slots\n", map.longest_probe);
    CHECK(map.longest_probe <= IDMAP_MAX_PROBE);
    idmap_free(&map);
    free(keys);
}

static void idmap_two_maps_hash_the_same_keys_differently(void)
{
    /* A per-map secret seed: the order of keys in the table differs between two maps. */
    struct idmap a = IDMAP_INIT, b = IDMAP_INIT;
    for (size_t i = 0; i < 40; i++) {
        idmap_put(&a, i, 0, i);
        idmap_put(&b, i, 0, i);
    }
    CHECK_INT(a.capacity, b.capacity);
    bool same = true;
    for (size_t i = 0; i < a.capacity && same; i++)
        same = a.slots[i].value == b.slots[i].value;
    CHECK(!same);
    idmap_free(&a);
    idmap_free(&b);
}

/* ---- view: cmdline_hex ---- */

static void many_arguments_with_hex_twins_decode_each_to_its_own_bytes(void)
{
    /* 65,536 arguments (VIEW_MAX_ARGS), every one with a hex twin, one of them invalid UTF-8. */
    enum { N = VIEW_MAX_ARGS };
    struct strbuf cmd = STRBUF_INIT, hex = STRBUF_INIT;
    for (int i = 0; i < N; i++) {
        char arg[16];
        int n = snprintf(arg, sizeof arg, "a%d", i);
        strbuf_printf(&cmd, "%s\"%s\"", i ? "," : "", i == 4242 ? "\\ufffd" : arg);
        strbuf_puts(&hex, i ? ",\"" : "\"");
        if (i == 4242)
            strbuf_puts(&hex, "ff");
        else
            for (int k = 0; k < n; k++)
                strbuf_printf(&hex, "%02x", (unsigned char)arg[k]);
        strbuf_putc(&hex, '"');
    }
    char *json = str_printf(
        "{\"schema\":\"wslns-probe/1\",\"kernel\":{\"release\":\"6.6\",\"boot_id\":\"b\"},"
        "\"self\":{\"pid\":7,\"pidns\":4026532200},\"namespaces\":[{\"inode\":4026532200,"
        "\"parent\":null,\"parent_visible\":false}],\"processes\":[{\"pid\":7,\"nspid\":[7],"
        "\"ppid\":0,\"pidns\":4026532200,\"uid\":0,\"comm\":\"x\",\"starttime\":5,"
        "\"cmdline\":[%s],\"cmdline_hex\":[%s]}]}",
        cmd.data, hex.data);
    strbuf_release(&cmd);
    strbuf_release(&hex);
    struct view *v = NULL;
    char *error = json ? view_parse(json, strlen(json), &v) : NULL;
    CHECK(v != NULL);
    if (v) {
        CHECK_INT(v->process_count, 1);
        CHECK_INT(v->processes[0].args, N);
        size_t right = 0;
        for (int i = 0; i < N && v->process_count; i++) {
            char arg[16];
            snprintf(arg, sizeof arg, "a%d", i);
            if (strcmp(v->processes[0].cmdline[i], i == 4242 ? "\xff" : arg) == 0)
                right++;
        }
        CHECK_INT(right, N);
        CHECK_INT(v->warning_count, 0);
    }
    view_free(v);
    free(error);
    free(json);
}

/* ---- wslns pid ---- */

static void a_long_label_does_not_widen_every_row_of_wslns_pid(void)
{
    /* A container whose pid 1 has a 10,000-byte name (a document can say so): the name is in
     * the answer twice (comm and argument), its label once there and once in its own row;
     * the other rows and the heading are not padded to it (80 KB before, 40 KB now). */
    enum { LONG = 10000 };
    char *comm = malloc(LONG + 1);
    CHECK(comm != NULL);
    if (!comm)
        return;
    memset(comm, 'x', LONG);
    comm[LONG] = '\0';
    const uint64_t r = 4026531836u, a = 4026532200u, b = 4026532201u, c = 4026532202u;
    struct docb d = {0};
    docb_ns(&d, r, 0, 1);
    docb_ns(&d, a, r, 1);
    docb_ns(&d, b, a, 1);
    docb_ns(&d, c, b, 1);
    docb_proc(&d, r, "mini_init", 10, 1, 1LL);
    docb_proc(&d, a, "init", 20, 2, 10LL, 1LL);
    docb_proc(&d, b, "init(Ubuntu)", 30, 3, 12LL, 3LL, 1LL);
    docb_proc(&d, c, comm, 40, 4, 14LL, 5LL, 3LL, 1LL);
    struct source_list sources = {0};
    add_doc(&sources, SOURCE_VM, NULL, docb_finish(&d, "b1", r, NULL));
    struct model *m = NULL;
    m = model_build(&sources);
    char *text = NULL;
    if (m) {
        CHECK_INT(pidcmd_render(m, &sources, 14, "vm", &text), 0);
        CHECK(text && strlen(text) < 5 * LONG);
        if (text && strlen(text) >= 5 * LONG)
            fprintf(stderr, "  wslns pid printed %zu bytes\n", strlen(text));
    }
    free(text);
    model_free(m);
    source_list_free(&sources);
    free(comm);
}

/* ---- the JSON report's distros list (built by sorting names, not searching) ---- */

static void distros_keep_the_order_names_first_appear_in(void)
{
    const uint64_t r = 4026531836u, s1 = 4026532201u, d1 = 4026532202u, s2 = 4026532203u,
                   d2 = 4026532204u, d3 = 4026532205u;
    struct docb d = {0};
    docb_ns(&d, r, 0, 1);
    docb_ns(&d, s1, r, 1);
    docb_ns(&d, d1, s1, 1);
    docb_ns(&d, s2, r, 1);
    docb_ns(&d, d2, s2, 1);
    docb_ns(&d, d3, r, 1);
    docb_proc(&d, r, "mini_init", 10, 1, 1LL);
    docb_proc(&d, s1, "init", 20, 2, 10LL, 1LL);
    docb_proc(&d, d1, "init(Zed)", 30, 3, 11LL, 3LL, 1LL);
    docb_proc(&d, s2, "init", 40, 2, 20LL, 1LL);
    docb_proc(&d, d2, "init(Alpha)", 50, 3, 21LL, 3LL, 1LL);
    docb_proc(&d, d3, "init(Mid)", 60, 2, 30LL, 1LL);
    struct source_list sources = {0};
    add_doc(&sources, SOURCE_VM, NULL, docb_finish(&d, "b1", r, NULL));
    struct model *m = NULL;
    m = model_build(&sources);
    char *text = m ? render_json(m, &sources) : NULL;
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(doc, "distros");
    CHECK(cJSON_IsArray(list));
    struct strbuf got = STRBUF_INIT;
    const cJSON *e;
    cJSON_ArrayForEach(e, list)
    {
        const cJSON *ns = cJSON_GetObjectItemCaseSensitive(e, "ns");
        const cJSON *sys = cJSON_GetObjectItemCaseSensitive(e, "system_ns");
        strbuf_printf(&got, "%s %s %s;", cJSON_GetStringValue(cJSON_GetObjectItem(e, "name")),
                      cJSON_IsString(ns) ? ns->valuestring : "null",
                      cJSON_IsString(sys) ? sys->valuestring : "null");
    }
    CHECK_STR(got.data, "Zed pid:[4026532202] pid:[4026532201];"
                        "Alpha pid:[4026532204] pid:[4026532203];"
                        "Mid pid:[4026532205] null;");
    strbuf_release(&got);
    cJSON_Delete(doc);
    free(text);
    model_free(m);
    source_list_free(&sources);
}

static const struct check_case cases[] = {
    {"idmap: 100,000 keys colliding under a public hash are all found, probes stay short",
     idmap_keys_colliding_under_a_public_hash_keep_probes_short},
    {"idmap: two maps place the same keys differently (a secret seed per map)",
     idmap_two_maps_hash_the_same_keys_differently},
    {"view: 65,536 arguments with hex twins decode each to its own bytes",
     many_arguments_with_hex_twins_decode_each_to_its_own_bytes},
    {"wslns pid: a long label does not widen every row",
     a_long_label_does_not_widen_every_row_of_wslns_pid},
    {"JSON report: distros keep the order their names first appear in",
     distros_keep_the_order_names_first_appear_in},
};

int main(int argc, char **argv)
{
    return check_main(cases, CHECK_COUNT(cases), argc, argv);
}
