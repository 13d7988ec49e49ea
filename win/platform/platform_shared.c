/* What both platform layers do the same way (platform_shared.h). */
#include "platform/platform_shared.h"

void fallback_random_fill(unsigned char *p, size_t n, unsigned long long seed)
{
    unsigned long long x = seed ? seed : 0x9E3779B97F4A7C15ull; /* xorshift must not start at 0 */
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        p[i] = (unsigned char)x;
    }
}
