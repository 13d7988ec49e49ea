#include "idmap.h"

#include <stdlib.h>
#include <string.h>

#include "platform/platform.h"
#include "xalloc.h"

/* SipHash-1-3 (Aumasson and Bernstein) of the 16 bytes (a, b) under the map's secret key.
 * A keyed PRF: without the key, which a hostile document never sees (it is drawn per map from
 * plat_random_bytes), keys that share a slot cannot be chosen. A fixed public mix, even a
 * good one like splitmix64's finaliser, is invertible: pids that all collide are then found
 * in seconds and turn every put into a walk along one run of slots. */
static uint64_t rotl(uint64_t x, unsigned b)
{
    return (x << b) | (x >> (64 - b));
}

#define SIPROUND                                                                                   \
    do {                                                                                           \
        v0 += v1;                                                                                  \
        v1 = rotl(v1, 13);                                                                         \
        v1 ^= v0;                                                                                  \
        v0 = rotl(v0, 32);                                                                         \
        v2 += v3;                                                                                  \
        v3 = rotl(v3, 16);                                                                         \
        v3 ^= v2;                                                                                  \
        v0 += v3;                                                                                  \
        v3 = rotl(v3, 21);                                                                         \
        v3 ^= v0;                                                                                  \
        v2 += v1;                                                                                  \
        v1 = rotl(v1, 17);                                                                         \
        v1 ^= v2;                                                                                  \
        v2 = rotl(v2, 32);                                                                         \
    } while (0)

static uint64_t keyed_hash(const uint64_t key[2], uint64_t a, uint64_t b)
{
    uint64_t v0 = key[0] ^ 0x736f6d6570736575u, v1 = key[1] ^ 0x646f72616e646f6du;
    uint64_t v2 = key[0] ^ 0x6c7967656e657261u, v3 = key[1] ^ 0x7465646279746573u;
    const uint64_t words[3] = {a, b, (uint64_t)16 << 56}; /* the last: the length, 16 bytes */
    for (int w = 0; w < 3; w++) {
        v3 ^= words[w];
        SIPROUND;
        v0 ^= words[w];
    }
    v2 ^= 0xff;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}

static struct idmap_slot *find_slot(const struct idmap *map, struct idmap_slot *slots,
                                    size_t capacity, uint64_t a, uint64_t b, size_t *probes)
{
    size_t mask = capacity - 1, n = 1;
    size_t i = (size_t)keyed_hash(map->key, a, b) & mask;
    while (slots[i].value && (slots[i].a != a || slots[i].b != b)) {
        i = (i + 1) & mask;
        n++;
    }
    if (probes)
        *probes = n;
    return &slots[i];
}

/* Moves every entry into a table of `capacity` slots; under a fresh key when rekey (the
 * first table of a map, or a probe that ran too long), else under the same one: a growth
 * needs no new secret, and every draw is one more entry in a recording (docs/recording.md). */
static void rebuild(struct idmap *map, size_t capacity, bool rekey)
{
    struct idmap_slot *slots = xcalloc(capacity, sizeof *slots);
    uint64_t old_key[2] = {map->key[0], map->key[1]};
    if (rekey)
        plat_random_bytes(map->key, sizeof map->key);
    size_t longest = 0;
    for (size_t i = 0; i < map->capacity; i++) {
        const struct idmap_slot *old = &map->slots[i];
        if (!old->value)
            continue;
        size_t probes;
        *find_slot(map, slots, capacity, old->a, old->b, &probes) = *old;
        longest = probes > longest ? probes : longest;
    }
    if (longest > IDMAP_MAX_PROBE && capacity == map->capacity) {
        /* Unlucky twice in a row at this size: keep the old table and try again bigger. */
        free(slots);
        map->key[0] = old_key[0];
        map->key[1] = old_key[1];
        rebuild(map, capacity * 2, true);
        return;
    }
    free(map->slots);
    map->slots = slots;
    map->capacity = capacity;
    map->longest_probe = longest;
    map->rebuilds++;
}

void idmap_put(struct idmap *map, uint64_t a, uint64_t b, size_t value)
{
    if ((map->count + 1) * 2 > map->capacity)
        rebuild(map, map->capacity ? map->capacity * 2 : 64, map->capacity == 0);
    size_t probes;
    struct idmap_slot *slot = find_slot(map, map->slots, map->capacity, a, b, &probes);
    if (probes > IDMAP_MAX_PROBE && !slot->value) {
        /* A run this long is vanishingly rare with a secret key (or the key leaked): rebuild
         * under a new one, so no hostile set of keys keeps a put this slow. */
        rebuild(map, map->capacity, true);
        slot = find_slot(map, map->slots, map->capacity, a, b, &probes);
    }
    if (probes > map->longest_probe)
        map->longest_probe = probes;
    if (!slot->value)
        map->count++;
    slot->a = a;
    slot->b = b;
    slot->value = value + 1;
}

bool idmap_get(const struct idmap *map, uint64_t a, uint64_t b, size_t *value)
{
    if (!map->capacity)
        return false;
    const struct idmap_slot *slot = find_slot(map, map->slots, map->capacity, a, b, NULL);
    if (!slot->value)
        return false;
    *value = slot->value - 1;
    return true;
}

void idmap_free(struct idmap *map)
{
    free(map->slots);
    memset(map, 0, sizeof *map);
}
