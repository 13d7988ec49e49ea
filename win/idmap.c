#include "idmap.h"

#include <stdlib.h>
#include <string.h>

/* splitmix64's finaliser: inodes and pids are small, clustered numbers, so they must be
 * spread before their low bits pick a slot. */
static uint64_t mix(uint64_t a, uint64_t b)
{
    uint64_t x = a * 0x9E3779B97F4A7C15u ^ (b + 0x632BE59BD9B4E019u);
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9u;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBu;
    x ^= x >> 31;
    return x;
}

static struct idmap_slot *find_slot(struct idmap_slot *slots, size_t capacity, uint64_t a,
                                    uint64_t b)
{
    size_t mask = capacity - 1;
    size_t i = (size_t)mix(a, b) & mask;
    while (slots[i].value && (slots[i].a != a || slots[i].b != b))
        i = (i + 1) & mask;
    return &slots[i];
}

static bool grow(struct idmap *map)
{
    size_t capacity = map->capacity ? map->capacity * 2 : 64;
    struct idmap_slot *slots = calloc(capacity, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < map->capacity; i++) {
        const struct idmap_slot *old = &map->slots[i];
        if (old->value)
            *find_slot(slots, capacity, old->a, old->b) = *old;
    }
    free(map->slots);
    map->slots = slots;
    map->capacity = capacity;
    return true;
}

bool idmap_put(struct idmap *map, uint64_t a, uint64_t b, size_t value)
{
    if ((map->count + 1) * 2 > map->capacity && !grow(map))
        return false;
    struct idmap_slot *slot = find_slot(map->slots, map->capacity, a, b);
    if (!slot->value)
        map->count++;
    slot->a = a;
    slot->b = b;
    slot->value = value + 1;
    return true;
}

bool idmap_get(const struct idmap *map, uint64_t a, uint64_t b, size_t *value)
{
    if (!map->capacity)
        return false;
    const struct idmap_slot *slot = find_slot(map->slots, map->capacity, a, b);
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
