/* idmap.h - a hash map from a pair of 64-bit integers to an index, for the merge: namespaces
 * by inode (b = 0) and processes by (pid-namespace inode, pid).
 *
 * Contract:
 * - A struct idmap starts zeroed (IDMAP_INIT) and owns its table; idmap_free releases it.
 * - Open addressing with linear probing, grown at 50% load: lookups stay O(1) whatever
 *   values a hostile document holds (keys are mixed before use).
 * - idmap_put returns false only when memory runs out (the map is unchanged then).
 */
#ifndef WSLNS_IDMAP_H
#define WSLNS_IDMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct idmap_slot {
    uint64_t a, b;
    size_t value; /* index + 1; 0 marks an empty slot */
};

struct idmap {
    struct idmap_slot *slots;
    size_t count, capacity; /* capacity is 0 or a power of two */
};

#define IDMAP_INIT                                                                                 \
    {                                                                                              \
        0                                                                                          \
    }

/* Sets (a, b) -> value, replacing an older value. */
bool idmap_put(struct idmap *map, uint64_t a, uint64_t b, size_t value);

/* The value stored for (a, b) in *value; false when absent. */
bool idmap_get(const struct idmap *map, uint64_t a, uint64_t b, size_t *value);

void idmap_free(struct idmap *map);

#endif
