/* Unit tests of win/wsl/wsl_list.c: decoding wsl.exe's text and reading `--list --verbose`.
 * The table cases are the outputs real builds print (see docs/wsl.md, W2),
 * each fed in the encodings wsl.exe uses. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "strbuf.h"
#include "wsl/wsl_list.h"

enum enc { UTF8, UTF8_BOM, UTF16, UTF16_BOM };

/* ASCII text as wsl.exe writes it without WSL_UTF8: UTF-16LE, optionally with a BOM. */
static char *encode(const char *text, enum enc enc, size_t *len)
{
    struct strbuf sb = STRBUF_INIT;
    if (enc == UTF8_BOM)
        strbuf_puts(&sb, "\xEF\xBB\xBF");
    if (enc == UTF16_BOM)
        strbuf_append(&sb, "\xFF\xFE", 2);
    for (const char *p = text; *p; p++) {
        strbuf_putc(&sb, *p);
        if (enc == UTF16 || enc == UTF16_BOM)
            strbuf_putc(&sb, '\0');
    }
    strbuf_putc(&sb, 'x'); /* strbuf_detach needs data even for empty text */
    sb.len--;
    return strbuf_detach(&sb, len);
}

/* The parsed table as "*name|State|2;name|State|1", or "error: <code> | <message>". */
static char *describe(const struct wsl_list *l)
{
    struct strbuf sb = STRBUF_INIT;
    if (l->error) {
        strbuf_printf(&sb, "error: %s | %s", l->error_code ? l->error_code : "-", l->error);
    } else {
        for (size_t i = 0; i < l->nr; i++)
            strbuf_printf(&sb, "%s%s%s|%s|%d", i ? ";" : "", l->distros[i].is_default ? "*" : "",
                          l->distros[i].name, l->distros[i].state_text, l->distros[i].version);
    }
    strbuf_puts(&sb, "");
    return strbuf_detach(&sb, NULL);
}

struct list_case {
    const char *name;
    const char *text;
    int exit_code;
    const char *expect; /* describe() of the result; for errors a prefix is enough */
};

#define HDR "  NAME            STATE           VERSION\r\n"
static const struct list_case list_cases[] = {
    {"one running default", HDR "* Ubuntu          Running         2\r\n", 0, "*Ubuntu|Running|2"},
    {"default not first in the registry",
     HDR "* Debian    Stopped         2\r\n  Ubuntu    Running         2\r\n", 0,
     "*Debian|Stopped|2;Ubuntu|Running|2"},
    {"all six states",
     HDR "* A    Running         2\r\n  B    Stopped         2\r\n  C    Installing      2\r\n"
         "  D    Uninstalling    2\r\n  E    Converting      2\r\n  F    Exporting       1\r\n",
     0, "*A|Running|2;B|Stopped|2;C|Installing|2;D|Uninstalling|2;E|Converting|2;F|Exporting|1"},
    {"WSL 1 row", HDR "* Legacy    Stopped         1\r\n", 0, "*Legacy|Stopped|1"},
    {"name with spaces",
     HDR "  My Distro    Stopped         2\r\n* Ubuntu       Running         2\r\n", 0,
     "My Distro|Stopped|2;*Ubuntu|Running|2"},
    {"name with double spaces kept inside", HDR "  Old  Box    Running         1\r\n", 0,
     "Old  Box|Running|1"},
    {"irregular spacing and tabs",
     "NAME STATE VERSION\n*Ubuntu\tRunning 2\n   Debian Stopped\t2   \n", 0,
     "*Ubuntu|Running|2;Debian|Stopped|2"},
    {"LF only", HDR "* Ubuntu  Running  2\n  NoGui  Running  2\n", 0,
     "*Ubuntu|Running|2;NoGui|Running|2"},
    {"CR CR LF of old builds", "  NAME      STATE      VERSION\r\r\n* Ubuntu    Running    2\r\r\n",
     0, "*Ubuntu|Running|2"},
    {"blank lines and banner before the header", "\r\n\r\n" HDR "* Ubuntu  Running  2\r\n\r\n", 0,
     "*Ubuntu|Running|2"},
    {"long names padded to the longest",
     HDR "* docker-desktop          Running         2\r\n  docker-desktop-data     Stopped         "
         "2\r\n",
     0, "*docker-desktop|Running|2;docker-desktop-data|Stopped|2"},
    {"unknown state word kept", HDR "* Ubuntu  Migrating  2\r\n", 0, "*Ubuntu|Migrating|2"},
    {"no distributions with an error code",
     "Windows Subsystem for Linux has no installed distributions.\r\nYou can resolve this by "
     "installing a distribution with the instructions below:\r\n\r\nUse 'wsl.exe --list --online' "
     "to list available distributions\r\nError code: Wsl/WSL_E_DEFAULT_DISTRO_NOT_FOUND\r\n",
     -1, ""},
    /* Current builds: WSL_E_DEFAULT_DISTRO_NOT_FOUND is printed without a code line
     * (WSL src/windows/common/WslClient.cpp wmain, 3e27a6a5), in the user's language. */
    {"no distributions, English, no code line",
     "Windows Subsystem for Linux has no installed distributions.\r\nYou can resolve this by "
     "installing a distribution with the instructions below:\r\n\r\nUse 'wsl.exe --list --online' "
     "to list available distributions\r\nand 'wsl.exe --install <Distro>' to install.\r\n",
     -1, ""},
    {"no distributions, German, no code line",
     "Windows-Subsystem f\xC3\xBCr Linux verf\xC3\xBCgt \xC3\xBC"
     "ber keine installierten "
     "Distributionen.\r\nSie k\xC3\xB6nnen dies beheben, indem Sie eine Distribution mit den "
     "folgenden Anweisungen installieren:\r\n\r\n\"wsl.exe --list --online' zum Auflisten "
     "verf\xC3\xBC"
     "gbarer Distributionen verwenden\r\nund \"wsl.exe --install <Distro>\".\r\n",
     -1, ""},
    {"no distributions, Japanese, no code line",
     "Linux \xE7\x94\xA8 Windows \xE3\x82\xB5\xE3\x83\x96\xE3\x82\xB7\xE3\x82\xB9\r\n\r\n"
     "'wsl.exe --list --online' \xE3\x82\x92\r\n\xE3\x81\x8A\xE3\x82\x88\xE3\x81\xB3 "
     "'wsl.exe --install <Distro>' \xE3\x82\x92\r\n",
     -1, ""},
    {"service error, German code label",
     "Der Dienst kann nicht gestartet werden.\r\nFehlercode: Wsl/Service/0x8007042c\r\n", -1,
     "error: Wsl/Service/0x8007042c | wsl.exe --list --verbose failed: Der Dienst"},
    {"service error, Japanese code label",
     "\xE3\x82\xB5\xE3\x83\xBC\xE3\x83\x93\xE3\x82\xB9\r\n\xE3\x82\xA8\xE3\x83\xA9\xE3\x83\xBC "
     "\xE3\x82\xB3\xE3\x83\xBC\xE3\x83\x89: Wsl/Service/0x8007042c\r\n",
     -1, "error: Wsl/Service/0x8007042c | wsl.exe --list --verbose failed: "},
    {"old build rejects --verbose, German", "Ung\xC3\xBCltige Befehlszeilenoption: --verbose\r\n",
     -1, "error: - | this wsl.exe does not know `--list --verbose`"},
    {"no distributions on an old build",
     "Windows Subsystem for Linux has no installed distributions.\r\n", -1, ""},
    {"empty output with success", "", 0, ""},
    {"header only", HDR, 0, ""},
    {"service error with a code",
     "The service cannot be started.\r\nError code: Wsl/Service/0x8007042c\r\n", -1,
     "error: Wsl/Service/0x8007042c | wsl.exe --list --verbose failed: The service cannot be "
     "started. "
     "(Error code: Wsl/Service/0x8007042c)"},
    {"localized error message, code still read",
     "Le service ne peut pas démarrer.\r\nError code: Wsl/E_ACCESSDENIED\r\n", -1,
     "error: Wsl/E_ACCESSDENIED | wsl.exe --list --verbose failed: Le service"},
    {"old build rejects --verbose",
     "Invalid command line option: --verbose\r\nUsage: wsl.exe [Argument] [Options...] "
     "[CommandLine]\r\n",
     -1, "error: - | this wsl.exe does not know `--list --verbose`"},
    {"old build prints usage only",
     "Copyright (c) Microsoft Corporation.\r\n\r\nUsage: wsl.exe "
     "[Argument]\r\n",
     -1, "error: - | this wsl.exe does not know `--list --verbose`"},
    {"garbage", "hello world\r\n", 0,
     "error: - | unexpected output from wsl.exe --list --verbose (exit 0): hello world"},
    {"empty output with failure", "", -1,
     "error: - | unexpected output from wsl.exe --list --verbose (exit -1): (nothing)"},
    {"row without a version", HDR "* Ubuntu  Running\r\n", 0, "error: - | unexpected row"},
    {"row with a non-numeric version", HDR "* Ubuntu  Running  two\r\n", 0,
     "error: - | unexpected row"},
    {"row with only a marker", HDR "*\r\n", 0, "error: - | unexpected row"},
};

static void run_list_case(const struct list_case *c, enum enc enc)
{
    size_t len;
    char *bytes = encode(c->text, enc, &len);
    struct wsl_list l;
    wsl_list_parse(bytes, len, c->exit_code, &l);
    char *got = describe(&l);
    bool ok = strncmp(c->expect, "error:", 6) == 0 ? strncmp(got, c->expect, strlen(c->expect)) == 0
                                                   : strcmp(got, c->expect) == 0;
    if (!ok) {
        static const char *const enc_names[] = {"UTF-8", "UTF-8 BOM", "UTF-16LE", "UTF-16LE BOM"};
        fprintf(stderr, "  case \"%s\" (%s):\n    got      %s\n    expected %s\n", c->name,
                enc_names[enc], got, c->expect);
        check_failures_in_case++;
    }
    free(got);
    wsl_list_free(&l);
    free(bytes);
}

static bool is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return false;
    return true;
}

static void table_in_every_encoding(void)
{
    for (size_t i = 0; i < CHECK_COUNT(list_cases); i++) {
        run_list_case(&list_cases[i], UTF8);
        run_list_case(&list_cases[i], UTF8_BOM);
        /* encode() widens bytes, which is UTF-16 only for ASCII */
        if (is_ascii(list_cases[i].text)) {
            run_list_case(&list_cases[i], UTF16);
            run_list_case(&list_cases[i], UTF16_BOM);
        }
    }
    CHECK(CHECK_COUNT(list_cases) >= 20);
}

static void decode_utf16_non_ascii(void)
{
    /* "Ubuntu-한" (U+D55C) and an emoji as a surrogate pair (U+1F600), CRLF, no BOM */
    static const char bytes[] = "U\0b\0\x5C\xD5"
                                "=\xD8\0\xDE"
                                "\r\0\n\0";
    char *t = wsl_text_decode(bytes, sizeof bytes - 1);
    CHECK_STR(t, "Ub\xED\x95\x9C\xF0\x9F\x98\x80\n");
    free(t);
}

static void decode_lone_surrogate_replaced(void)
{
    static const char bytes[] = "a\0\x00\xD8"
                                "b\0";
    char *t = wsl_text_decode(bytes, sizeof bytes - 1);
    CHECK_STR(t, "a\xEF\xBF\xBD"
                 "b");
    free(t);
}

static void decode_invalid_utf8_replaced(void)
{
    char *t = wsl_text_decode("ok\xFF\r\r\nx\ry", 9);
    CHECK_STR(t, "ok\xEF\xBF\xBD\nx\ny");
    free(t);
}

static void error_code_and_message(void)
{
    const char *text = "The debug shell is not available.\nSee the docs.\n\nError code: "
                       "Wsl/Service/CreateInstance/WSL_E_GUI_APPLICATIONS_DISABLED\n";
    char *code = wsl_error_code(text), *msg = wsl_error_message(text);
    CHECK_STR(code, "Wsl/Service/CreateInstance/WSL_E_GUI_APPLICATIONS_DISABLED");
    CHECK_STR(msg, "The debug shell is not available. See the docs.");
    CHECK(wsl_error_is(code, "WSL_E_GUI_APPLICATIONS_DISABLED"));
    CHECK(!wsl_error_is(code, "GUI_APPLICATIONS_DISABLED"));
    CHECK(wsl_error_is("Wsl/X", "Wsl/X"));
    CHECK(!wsl_error_is(NULL, "X"));
    CHECK(wsl_error_code("no code here\n") == NULL);
    CHECK(wsl_error_message("\n \n") == NULL);
    free(code);
    free(msg);
}

/* The label before the code is localized in all 22 languages of WSL's Resources.resw; only
 * the "Wsl/..." token after the colon counts, and a message line is never a code. */
static void localized_code_labels(void)
{
    static const char *const labels[] = {
        "Error code:",
        "Fehlercode:",
        "\xE3\x82\xA8\xE3\x83\xA9\xE3\x83\xBC \xE3\x82\xB3\xE3\x83\xBC\xE3\x83\x89:",
        "Code d'erreur\xC2\xA0:",
        "\xE9\x8C\xAF\xE8\xAA\xA4\xE7\xA2\xBC:",
        "\xEF\xBC\x9A"};
    for (size_t i = 0; i < CHECK_COUNT(labels); i++) {
        char *text = str_printf(
            "Meldung.\n%s Wsl/Service/CreateInstance/WSL_E_GUI_APPLICATIONS_DISABLED\n", labels[i]);
        char *code = wsl_error_code(text), *msg = wsl_error_message(text);
        CHECK_STR(code, "Wsl/Service/CreateInstance/WSL_E_GUI_APPLICATIONS_DISABLED");
        CHECK_STR(msg, "Meldung.");
        free(code);
        free(msg);
        free(text);
    }
    /* A token without a colon before it, or one that is not Wsl/..., is message text. */
    CHECK(wsl_error_code("see Wsl/Service/X\n") == NULL);
    CHECK(wsl_error_code("Error code: E_FAIL\n") == NULL);
    CHECK(wsl_error_code("Error code: Wsl/\n") == NULL);
}

static void addressable_names(void)
{
    CHECK(wsl_name_addressable("Ubuntu-22.04"));
    CHECK(wsl_name_addressable("docker_desktop"));
    CHECK(!wsl_name_addressable("My Distro"));
    CHECK(!wsl_name_addressable("\"Ubuntu\""));
    CHECK(!wsl_name_addressable("a;b"));
    CHECK(!wsl_name_addressable(""));
    char name[WSL_NAME_MAX + 2];
    memset(name, 'a', sizeof name - 1);
    name[WSL_NAME_MAX] = '\0';
    CHECK(wsl_name_addressable(name));
    name[WSL_NAME_MAX] = 'a';
    name[WSL_NAME_MAX + 1] = '\0';
    CHECK(!wsl_name_addressable(name));
}

static void states_are_classified(void)
{
    size_t len;
    char *bytes = encode(HDR "* A  Converting  2\r\n  B  Frobbing  2\r\n", UTF16, &len);
    struct wsl_list l;
    wsl_list_parse(bytes, len, 0, &l);
    CHECK_INT(l.nr, 2);
    if (l.nr == 2) {
        CHECK_INT(l.distros[0].state, WSL_STATE_CONVERTING);
        CHECK_INT(l.distros[1].state, WSL_STATE_OTHER);
        CHECK_STR(wsl_state_name(l.distros[0].state), "Converting");
    }
    wsl_list_free(&l);
    free(bytes);
}

static const struct check_case cases[] = {
    {"list parser reads every table case in UTF-8, UTF-8+BOM, UTF-16LE and UTF-16LE+BOM",
     table_in_every_encoding},
    {"decoder turns UTF-16LE with a surrogate pair into UTF-8", decode_utf16_non_ascii},
    {"decoder replaces a lone UTF-16 surrogate with U+FFFD", decode_lone_surrogate_replaced},
    {"decoder replaces invalid UTF-8 and folds CR CR LF and lone CR", decode_invalid_utf8_replaced},
    {"error code and message are read from wsl.exe's stdout", error_code_and_message},
    {"the code is read after any language's label (de, ja, fr, zh-TW, full-width colon)",
     localized_code_labels},
    {"names with spaces or quotes are not addressable with -d", addressable_names},
    {"states are classified, unknown words kept as OTHER", states_are_classified},
};

int main(int argc, char **argv)
{
    return check_main(cases, CHECK_COUNT(cases), argc, argv);
}
