/* entry_win32.c - wmain() of the Windows build: the arguments arrive as UTF-16 and are
 * handed to the portable core as UTF-8; the standard streams are set up so that what the
 * core prints (UTF-8 bytes, LF line ends) reaches consoles, files and pipes intact.
 */
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0A00
#endif
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>

#include "platform.h"

static UINT original_output_cp;

static void restore_console_cp(void)
{
    SetConsoleOutputCP(original_output_cp);
}

/* Ctrl+C / Ctrl+Break / closing the window end the process without running atexit: give
 * the code page back here too, then let the default handling go on. */
static BOOL WINAPI on_console_event(DWORD event)
{
    (void)event;
    restore_console_cp();
    return FALSE;
}

/* New UTF-8 copy of a UTF-16 string, or NULL. Caller frees. */
static char *utf8_of(const wchar_t *w)
{
    int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
    char *s = n > 0 ? malloc((size_t)n) : NULL;
    if (s && WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL) <= 0) {
        free(s);
        s = NULL;
    }
    return s;
}

int wmain(int argc, wchar_t **wargv);
int wmain(int argc, wchar_t **wargv)
{
    char **argv = calloc((size_t)argc + 1, sizeof *argv);
    if (!argv) {
        fputs("wslns: out of memory\n", stderr);
        return 3;
    }
    for (int i = 0; i < argc; i++) {
        argv[i] = utf8_of(wargv[i]);
        if (!argv[i]) {
            /* Any UTF-16 converts (lone surrogates become U+FFFD): only memory can fail. */
            fputs("wslns: out of memory\n", stderr);
            for (int j = 0; j < i; j++)
                free(argv[j]);
            free(argv);
            return 3;
        }
    }
    /* Binary mode: text mode would turn every \n into \r\n and corrupt JSON written to a
     * pipe or file. A console shows LF-only lines correctly. */
    _setmode(_fileno(stdout), _O_BINARY);
    _setmode(_fileno(stderr), _O_BINARY);
    /* The C runtime leaves a console stream unbuffered, and MinGW's printf then hands it to
     * the console one byte at a time; the console decodes every write on its own, so each
     * byte of a UTF-8 sequence became U+FFFD (seen under Wine's console). Buffered, text
     * reaches it in whole pieces. The Windows CRT has no line buffering (_IOLBF is _IOFBF),
     * so stderr shows when flushed: the progress line flushes itself, messages at exit. */
    static char out_buffer[1 << 16], err_buffer[1 << 12];
    if (plat_is_terminal(stdout))
        setvbuf(stdout, out_buffer, _IOFBF, sizeof out_buffer);
    if (plat_is_terminal(stderr))
        setvbuf(stderr, err_buffer, _IOFBF, sizeof err_buffer);
    /* A console decodes the bytes with its output code page: make that UTF-8 while we run,
     * and give the user's code page back afterwards. */
    if (plat_is_terminal(stdout) || plat_is_terminal(stderr)) {
        original_output_cp = GetConsoleOutputCP();
        if (original_output_cp != CP_UTF8 && SetConsoleOutputCP(CP_UTF8)) {
            atexit(restore_console_cp);
            SetConsoleCtrlHandler(on_console_event, TRUE);
        }
    }
    int code = wslns_main(argc, argv);
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    free(argv);
    return code;
}
