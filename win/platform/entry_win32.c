/* entry_win32.c - wmain() of the Windows build: the arguments arrive as UTF-16 and are
 * handed to the portable core as UTF-8; the standard streams are set up so that what the
 * core prints (UTF-8 bytes, LF line ends) reaches consoles, files and pipes intact; and the
 * user's console is given back as it was found.
 *
 * The console outlives wslns (cmd.exe or PowerShell keeps it), so its state is saved first
 * thing - the input and output modes (of CONIN$ and CONOUT$, whatever the standard handles
 * are) and both code pages - and restored on every way out: after wslns_main returns (error
 * exits return too), from atexit (an exit() anywhere), and from the console handler (Ctrl+C
 * or Ctrl+Break outside a collection, closing the window, logoff, shutdown end the process
 * without atexit). wslns itself changes the output code page (UTF-8) and, for colour, the
 * output mode; its wsl.exe children run without a console (platform_win32.c start_child),
 * so none of theirs can stick. Only TerminateProcess (Task Manager, a parent's job) ends
 * it with no chance to restore.
 */
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0A00
#endif
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <fcntl.h>
#include <io.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "platform/platform.h"
#include "xalloc.h"

/* The console as wslns found it. A handle is INVALID_HANDLE_VALUE when there is no console
 * (a service, a detached process): then nothing is saved or restored. */
static HANDLE console_in = INVALID_HANDLE_VALUE, console_out = INVALID_HANDLE_VALUE;
static DWORD saved_in_mode, saved_out_mode;
static bool have_in_mode, have_out_mode;
static UINT saved_cp, saved_output_cp; /* 0: not saved */

static HANDLE open_console(const wchar_t *name)
{
    /* Not inheritable (no SECURITY_ATTRIBUTES): children get their handles explicitly. */
    return CreateFileW(name, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                       OPEN_EXISTING, 0, NULL);
}

static void save_console(void)
{
    console_in = open_console(L"CONIN$");
    console_out = open_console(L"CONOUT$");
    if (console_in != INVALID_HANDLE_VALUE) {
        have_in_mode = GetConsoleMode(console_in, &saved_in_mode) != 0;
        saved_cp = GetConsoleCP();
    }
    if (console_out != INVALID_HANDLE_VALUE) {
        have_out_mode = GetConsoleMode(console_out, &saved_out_mode) != 0;
        saved_output_cp = GetConsoleOutputCP();
    }
}

/* Safe to run more than once and from the console handler's thread. */
static void restore_console(void)
{
    if (saved_cp)
        SetConsoleCP(saved_cp);
    if (have_in_mode)
        SetConsoleMode(console_in, saved_in_mode);
    if (saved_output_cp)
        SetConsoleOutputCP(saved_output_cp);
    if (have_out_mode)
        SetConsoleMode(console_out, saved_out_mode);
}

/* atexit: the C runtime flushes the streams only after the atexit functions, and text still
 * buffered must be decoded with the code page it was written for. */
static void flush_and_restore_console(void)
{
    fflush(stdout);
    fflush(stderr);
    restore_console();
}

/* Runs when no later handler (plat_catch_interrupts' during a collection) took the event:
 * the process is about to end without atexit, so the console gets its state back here,
 * then the default handling goes on. */
static BOOL WINAPI on_console_event(DWORD event)
{
    (void)event;
    restore_console();
    return FALSE;
}

/* New UTF-8 copy of a UTF-16 string, or NULL when it cannot be converted. Caller frees. */
static char *utf8_of(const wchar_t *w)
{
    int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
    char *s = n > 0 ? xmalloc((size_t)n) : NULL;
    if (s && WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL) <= 0) {
        free(s);
        s = NULL;
    }
    return s;
}

/* The arguments as UTF-8, NULL-terminated (free_args frees them); NULL when one cannot be
 * converted. */
static char **utf8_args(int argc, wchar_t **wargv)
{
    char **argv = xcalloc((size_t)argc + 1, sizeof *argv);
    for (int i = 0; i < argc; i++) {
        argv[i] = utf8_of(wargv[i]);
        if (!argv[i]) {
            for (int j = 0; j < i; j++)
                free(argv[j]);
            free(argv);
            return NULL;
        }
    }
    return argv;
}

/* Frees what utf8_args returned. */
static void free_args(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    free(argv);
}

/* Sets stdout and stderr up so the core's UTF-8, LF-ended text reaches consoles, files and
 * pipes intact. */
static void set_up_streams(void)
{
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
    /* A console decodes the bytes with its output code page: make that UTF-8 while we run
     * (restore_console gives the user's back). */
    if (plat_is_terminal(stdout) || plat_is_terminal(stderr))
        SetConsoleOutputCP(CP_UTF8);
}

int wmain(int argc, wchar_t **wargv);
int wmain(int argc, wchar_t **wargv)
{
    /* Before anything else: every DLL loaded from now on comes from System32 alone, never
     * from wslns.exe's folder (which may be a user-writable download folder while wslns
     * runs elevated) nor the current directory. The static imports, resolved before wmain,
     * are all KnownDLLs (tests/native/run.sh imports-windows). */
    SetDefaultDllDirectories(LOAD_LIBRARY_SEARCH_SYSTEM32);
    /* Then, before anything can change the console. */
    save_console();
    if (console_in != INVALID_HANDLE_VALUE || console_out != INVALID_HANDLE_VALUE) {
        atexit(flush_and_restore_console);
        SetConsoleCtrlHandler(on_console_event, TRUE);
    }
    char **argv = utf8_args(argc, wargv);
    if (!argv) {
        /* Any UTF-16 converts (lone surrogates become U+FFFD): not expected to happen. */
        fputs("wslns: an argument cannot be converted to UTF-8\n", stderr);
        return 3;
    }
    set_up_streams();
    int code = wslns_main(argc, argv);
    free_args(argc, argv);
    flush_and_restore_console();
    return code;
}
