/* idmap.h - a hash map from a pair of 64-bit integers to an index, for the merge: namespaces
 * by inode (b = 0) and processes by (pid-namespace inode, pid).
 *
 * Contract:
 * - A struct idmap starts zeroed (IDMAP_INIT) and owns its table; idmap_free releases it.
 * - Open addressing with linear probing, grown at 50% load. Slots are picked by SipHash-1-3
 *   under a secret key drawn per map (for its first table) from plat_random_bytes, so a
 *   hostile document cannot choose keys that collide: puts and gets take expected O(1)
 *   whatever values it holds. As a backstop, a put that would probe more than
 *   IDMAP_MAX_PROBE slots rebuilds the table under a new key (doubled if that is no better).
 * - Memory comes from xalloc.h: idmap_put cannot fail.
 */
#ifndef WSLNS_IDMAP_H
#define WSLNS_IDMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A put that would look at more slots than this rebuilds the table with a new seed. */
#define IDMAP_MAX_PROBE 128

struct idmap_slot {
    uint64_t a, b;
    size_t value; /* index + 1; 0 marks an empty slot */
};

struct idmap {
    struct idmap_slot *slots;
    size_t count, capacity; /* capacity is 0 or a power of two */
    size_t longest_probe;   /* the most slots one idmap_put looked at (for tests) */
    size_t rebuilds;        /* tables built so far: growths and re-keyings (for tests) */
    uint64_t key[2];        /* the hash key: secret, drawn for the first table and re-keyings */
};

#define IDMAP_INIT                                                                                 \
    {                                                                                              \
        0                                                                                          \
    }

/* Sets (a, b) -> value, replacing an older value. */
void idmap_put(struct idmap *map, uint64_t a, uint64_t b, size_t value);

/* The value stored for (a, b) in *value; false when absent. */
bool idmap_get(const struct idmap *map, uint64_t a, uint64_t b, size_t *value);

void idmap_free(struct idmap *map);

#endif
