/* platform_shared.h - what platform_posix.c and platform_win32.c both need and do the same
 * way, so the logic exists once. Not part of platform.h: nothing outside win/platform/ uses it.
 *
 * Contract:
 * - fallback_random_fill(p, n, seed) fills p[0..n) from a xorshift generator started at
 *   seed. Only for when the operating system's generator fails (it should not): the caller
 *   mixes what differs per run (a clock, an address, its process id) into seed. Never a
 *   source of secrets; plat_random_bytes says so in its callers' terms.
 * - The child spec's rules both plat_run_children follow (platform.h, struct
 *   plat_child_spec): child_spec_check says why a spec cannot start (NULL: it can);
 *   child_keeps_stdin whether the child's stdin stays open once stdin_data is written (a
 *   feed or keep_stdin_open); child_deadline when the child is killed, from its start
 *   (plat_now() seconds; 0 = never).
 */
#ifndef WSLNS_PLATFORM_SHARED_H
#define WSLNS_PLATFORM_SHARED_H

#include <stdbool.h>
#include <stddef.h>

#include "errmsg.h"
#include "platform/platform.h"

void fallback_random_fill(unsigned char *p, size_t n, unsigned long long seed);

errmsg child_spec_check(const struct plat_child_spec *spec);
bool child_keeps_stdin(const struct plat_child_spec *spec);
double child_deadline(const struct plat_child_spec *spec, double start);

#endif
