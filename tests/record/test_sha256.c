/* Unit tests of common/sha256.c against the FIPS 180-4 / NIST example vectors, fed whole and
 * in pieces that straddle the 64-byte blocks. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sha256.h"

static void hex_of(const void *data, size_t len, size_t piece, char out[65])
{
    static const char digits[] = "0123456789abcdef";
    struct sha256 h;
    unsigned char d[32];
    sha256_init(&h);
    const unsigned char *p = data;
    for (size_t off = 0; off < len; off += piece)
        sha256_update(&h, p + off, len - off < piece ? len - off : piece);
    sha256_final(&h, d);
    for (int i = 0; i < 32; i++) {
        out[2 * i] = digits[d[i] >> 4];
        out[2 * i + 1] = digits[d[i] & 15];
    }
    out[64] = '\0';
}

static void empty_input_has_the_nist_digest(void)
{
    char hex[65];
    sha256_hex("", 0, hex);
    CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void abc_has_the_nist_digest(void)
{
    char hex[65];
    sha256_hex("abc", 3, hex);
    CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void two_block_message_has_the_nist_digest_in_any_pieces(void)
{
    static const char m[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    char hex[65];
    for (size_t piece = 1; piece <= 70; piece++) {
        hex_of(m, strlen(m), piece, hex);
        CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    }
}

static void a_million_a_has_the_nist_digest(void)
{
    size_t n = 1000000;
    char *m = malloc(n);
    CHECK(m != NULL);
    if (!m)
        return;
    memset(m, 'a', n);
    char hex[65];
    hex_of(m, n, 4093, hex);
    CHECK_STR(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(m);
}

static const struct check_case cases[] = {
    {"sha256 of the empty input is the NIST digest", empty_input_has_the_nist_digest},
    {"sha256 of abc is the NIST digest", abc_has_the_nist_digest},
    {"sha256 of the 448-bit message is the NIST digest whatever the pieces",
     two_block_message_has_the_nist_digest_in_any_pieces},
    {"sha256 of a million a is the NIST digest", a_million_a_has_the_nist_digest},
};

int main(int argc, char **argv)
{
    return check_main(cases, CHECK_COUNT(cases), argc, argv);
}
