/* libFuzzer target for the reader of wsl.exe's own output (win/wsl/wsl_list.h): the text
 * decoder (UTF-16LE or UTF-8, every line ending), the "Error code:" readers and the
 * `wsl --list --verbose` table.
 *
 * Input: the first byte is wsl.exe's exit code as a signed byte (0xFF is the -1 wsl.exe
 * returns on errors); the rest is what wsl.exe wrote to stdout, raw. Besides the sanitizers'
 * findings, it aborts when a result breaks wsl_list.h: decoded text that is not UTF-8 or
 * still holds a CR, an error that is not UTF-8 or comes with distros, a row whose fields
 * are empty, padded or span lines, a state word that does not match its enum.
 */
#include <string.h>

#include "fuzz_support.h"
#include "utf8.h"
#include "wsl/wsl_list.h"

static void require_line(const char *s)
{
    FUZZ_REQUIRE(s != NULL && *s != '\0');
    FUZZ_REQUIRE(utf8_is_valid(s, strlen(s)));
    FUZZ_REQUIRE(strchr(s, '\n') == NULL);
}

static void fuzz_text(const char *bytes, size_t len)
{
    char *text = wsl_text_decode(bytes, len);
    if (!text)
        return; /* out of memory only */
    size_t n = strlen(text);
    FUZZ_REQUIRE(utf8_is_valid(text, n));
    FUZZ_REQUIRE(strchr(text, '\r') == NULL);
    /* Decoded text is plain UTF-8 with LF: decoding it again changes nothing, except a
     * leading U+FEFF, which the second pass takes for a UTF-8 byte-order mark. */
    if (n < 3 || memcmp(text, "\xEF\xBB\xBF", 3) != 0) {
        char *again = wsl_text_decode(text, n);
        FUZZ_REQUIRE(!again || strcmp(again, text) == 0);
        free(again);
    }
    char *code = wsl_error_code(text);
    if (code) {
        require_line(code);
        FUZZ_REQUIRE(code[0] != ' ' && code[0] != '\t');
    }
    char *message = wsl_error_message(text);
    if (message)
        require_line(message);
    free(message);
    free(code);
    free(text);
}

static void fuzz_list(const char *bytes, size_t len, int exit_code)
{
    struct wsl_list list;
    wsl_list_parse(bytes, len, exit_code, &list);
    FUZZ_REQUIRE(!list.error_code || list.error);
    if (list.error) {
        FUZZ_REQUIRE(list.nr == 0 && list.distros == NULL);
        /* It quotes decoded text, which is UTF-8: a shortened quote must stay UTF-8 too. */
        FUZZ_REQUIRE(*list.error != '\0' && utf8_is_valid(list.error, strlen(list.error)));
    }
    for (size_t i = 0; i < list.nr; i++) {
        const struct wsl_distro *d = &list.distros[i];
        require_line(d->name);
        size_t n = strlen(d->name);
        FUZZ_REQUIRE(d->name[0] != ' ' && d->name[0] != '\t');
        FUZZ_REQUIRE(d->name[n - 1] != ' ' && d->name[n - 1] != '\t');
        require_line(d->state_text);
        FUZZ_REQUIRE(strpbrk(d->state_text, " \t") == NULL);
        /* OTHER exactly for words that name no known state ("?" itself is such a word). */
        for (int k = 0; k < WSL_STATE_OTHER; k++)
            FUZZ_REQUIRE((d->state == (enum wsl_state)k) ==
                         (strcmp(d->state_text, wsl_state_name((enum wsl_state)k)) == 0));
        FUZZ_REQUIRE(d->version >= 0);
        if (wsl_name_addressable(d->name))
            FUZZ_REQUIRE(strpbrk(d->name, " \t*") == NULL);
    }
    wsl_list_free(&list);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int exit_code = (int)(int8_t)data[0];
    const char *bytes = (const char *)data + 1;
    fuzz_text(bytes, size - 1);
    fuzz_list(bytes, size - 1, exit_code);
    return 0;
}
