/* fuzz_support.h - what every libFuzzer target of tests/fuzz shares: the entry point's
 * prototype and FUZZ_REQUIRE, which turns a broken contract into a finding.
 *
 * Contract: header only, no state. FUZZ_REQUIRE prints the condition and its line to stderr
 * and aborts, so libFuzzer keeps the input as a crash file and the log says which promise of
 * which parser the input broke (a bare abort() would only give a stack).
 */
#ifndef WSLNS_FUZZ_SUPPORT_H
#define WSLNS_FUZZ_SUPPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_REQUIRE(cond)                                                                         \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: contract broken: %s\n", __FILE__, __LINE__, #cond);            \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#endif
