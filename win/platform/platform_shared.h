/* platform_shared.h - what platform_posix.c and platform_win32.c both need and do the same
 * way, so the logic exists once. Not part of platform.h: nothing outside win/platform/ uses it.
 *
 * Contract:
 * - fallback_random_fill(p, n, seed) fills p[0..n) from a xorshift generator started at
 *   seed. Only for when the operating system's generator fails (it should not): the caller
 *   mixes what differs per run (a clock, an address, its process id) into seed. Never a
 *   source of secrets; plat_random_bytes says so in its callers' terms.
 */
#ifndef WSLNS_PLATFORM_SHARED_H
#define WSLNS_PLATFORM_SHARED_H

#include <stddef.h>

void fallback_random_fill(unsigned char *p, size_t n, unsigned long long seed);

#endif
