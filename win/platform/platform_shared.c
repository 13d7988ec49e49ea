/* What both platform layers do the same way (platform_shared.h). */
#include "platform/platform_shared.h"

#include "strbuf.h"

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

errmsg child_spec_check(const struct plat_child_spec *spec)
{
    if (!spec->argv || !spec->argv[0] || !spec->argv[0][0])
        return str_dup("cannot start a child process: no program given");
    return NULL;
}

bool child_keeps_stdin(const struct plat_child_spec *spec)
{
    return spec->keep_stdin_open || spec->feed;
}

double child_deadline(const struct plat_child_spec *spec, double start)
{
    return spec->timeout_s > 0 ? start + spec->timeout_s : 0;
}
