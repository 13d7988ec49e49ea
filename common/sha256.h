/* sha256.h - SHA-256 (FIPS 180-4), for naming bytes by their hash: a recording stores the
 * probe binary only as its SHA-256 (docs/recording.md).
 *
 * Contract: sha256_init, then sha256_update any number of times, then sha256_final writes
 * the 32-byte digest. sha256_hex hashes one buffer and writes 64 lowercase hex digits and a
 * NUL into hex[65]. No allocation, no failure; the input length is limited only by size_t.
 */
#ifndef WSLNS_SHA256_H
#define WSLNS_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
    uint32_t state[8];
    uint64_t bytes;          /* total input so far */
    unsigned char block[64]; /* pending input, bytes % 64 of it */
};

void sha256_init(struct sha256 *h);
void sha256_update(struct sha256 *h, const void *data, size_t len);
void sha256_final(struct sha256 *h, unsigned char digest[32]);
void sha256_hex(const void *data, size_t len, char hex[65]);

#endif
