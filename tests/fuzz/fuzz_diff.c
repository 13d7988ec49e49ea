/* libFuzzer target for `wslns diff` (win/diff.h): two wslns-report/1 documents, compared and
 * rendered as main.c does.
 *
 * Input: the old and the new document separated by the byte 0x1E (RS, as in RFC 7464);
 * without one, the input is compared with itself. Besides the sanitizers' findings, it aborts
 * when a result breaks diff.h: an error without a message or with a result, a message that
 * does not name the file at fault, a document compared with itself that differs, a console
 * text holding a control byte but LF (no colour) or a C1 control, a wslns-diff/1 document that
 * is not valid UTF-8 and JSON with its schema and every member, or lists longer than the
 * documents allow. diff_free must leave nothing behind (LeakSanitizer).
 */
#include <cJSON.h>
#include <stdbool.h>
#include <string.h>

#include "diff.h"
#include "fuzz_support.h"
#include "utf8.h"

#define SEPARATOR '\x1e'

/* No C0 control but LF, no DEL, no C1 control (U+0080..U+009F) in the console text. */
static void check_text(const char *s)
{
    FUZZ_REQUIRE(s != NULL);
    FUZZ_REQUIRE(utf8_is_valid(s, strlen(s)));
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        FUZZ_REQUIRE(*p >= 0x20 || *p == '\n');
        FUZZ_REQUIRE(*p != 0x7F);
        FUZZ_REQUIRE(!(p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F));
    }
}

static void check_json(const char *s, bool self)
{
    FUZZ_REQUIRE(s != NULL && utf8_is_valid(s, strlen(s)));
    cJSON *doc = cJSON_Parse(s);
    FUZZ_REQUIRE(doc != NULL);
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(doc, "schema");
    FUZZ_REQUIRE(cJSON_IsString(schema) && strcmp(schema->valuestring, "wslns-diff/1") == 0);
    FUZZ_REQUIRE(cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(doc, "old")));
    FUZZ_REQUIRE(cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(doc, "new")));
    FUZZ_REQUIRE(cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(doc, "boot_changed")));
    const cJSON *procs = cJSON_GetObjectItemCaseSensitive(doc, "processes");
    const cJSON *nss = cJSON_GetObjectItemCaseSensitive(doc, "namespaces");
    const char *lists[][2] = {{"started", "ended"}, {"appeared", "gone"}};
    const cJSON *parents[] = {procs, nss};
    for (int k = 0; k < 2; k++)
        for (int j = 0; j < 2; j++) {
            const cJSON *a = cJSON_GetObjectItemCaseSensitive(parents[k], lists[k][j]);
            FUZZ_REQUIRE(cJSON_IsArray(a));
            FUZZ_REQUIRE(!self || cJSON_GetArraySize(a) == 0);
        }
    FUZZ_REQUIRE(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "sources")));
    FUZZ_REQUIRE(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "distros")));
    cJSON_Delete(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *sep = memchr(text, SEPARATOR, size);
    const char *old_data = text, *new_data = sep ? sep + 1 : text;
    size_t old_len = sep ? (size_t)(sep - text) : size;
    size_t new_len = sep ? size - old_len - 1 : size;
    struct diff *d = NULL;
    char *error = diff_compare("old.json", old_data, old_len, "new.json", new_data, new_len, &d);
    if (error) {
        FUZZ_REQUIRE(d == NULL);
        FUZZ_REQUIRE(strncmp(error, "old.json: ", 10) == 0 ||
                     strncmp(error, "new.json: ", 10) == 0 || strcmp(error, "out of memory") == 0);
        FUZZ_REQUIRE(sep || strncmp(error, "new.json: ", 10) != 0); /* one document: old fails */
        free(error);
        return 0;
    }
    FUZZ_REQUIRE(d != NULL);
    /* A document compared with itself: nothing changed. */
    FUZZ_REQUIRE(sep || !diff_changed(d));
    char *plain = diff_render_text(d, false);
    check_text(plain);
    free(plain);
    char *colored = diff_render_text(d, true);
    FUZZ_REQUIRE(colored != NULL && utf8_is_valid(colored, strlen(colored)));
    free(colored);
    char *json = diff_render_json(d);
    check_json(json, !sep);
    free(json);
    diff_free(d);
    return 0;
}
