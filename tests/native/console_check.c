/* console_check.c - console-check.exe, a Windows-only helper for the console tests in
 * tests/native/run.sh (console-timeout-windows, console-interrupt-windows). Two roles:
 *
 *   console-check.exe run RESULT MARKER PROGRAM ARGS...
 *       The checker. Run on a console (Wine's console on a pty). Puts the console into a
 *       known state (input and output code page 437, cooked input with echo, output
 *       without VT processing), then runs PROGRAM ARGS (wslns.exe) on the same console.
 *       Once MARKER exists (the stand-in below has started and done its worst), it notes
 *       the console state ("during") and then changes the console itself exactly as wsl.exe
 *       does, standing in for a wsl.exe that wslns could not keep off it. When PROGRAM has
 *       ended it notes the state again ("after"). RESULT (a file) gets one line per state,
 *       "before|during|after in=0x.. out=0x.. cp=N ocp=N", and "exit N" for PROGRAM.
 *       Exit 0 when all that worked; the test compares the lines.
 *
 *   console-check.exe ANYTHING...          (given to wslns as --wsl, so it runs as wsl.exe)
 *       The stand-in wsl.exe. Does to the console what WSL's ConsoleState does for every
 *       launch (WSL src/windows/common/ConsoleState.cpp, SetInteractiveMode (3e27a6a5)):
 *       opens CONIN$ and CONOUT$ whatever its standard handles are; input: code page UTF-8,
 *       +ENABLE_WINDOW_INPUT +ENABLE_VIRTUAL_TERMINAL_INPUT, -ENABLE_ECHO_INPUT
 *       -ENABLE_INSERT_MODE -ENABLE_LINE_INPUT -ENABLE_PROCESSED_INPUT; output: code page
 *       UTF-8, +ENABLE_PROCESSED_OUTPUT +ENABLE_VIRTUAL_TERMINAL_PROCESSING
 *       +DISABLE_NEWLINE_AUTO_RETURN. Writes what it could open to the file named by the
 *       environment variable CONSOLE_CHECK_MARKER, then hangs until killed (as wsl.exe's
 *       restore never runs when it is killed).
 */
#include <windows.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#ifndef ENABLE_VIRTUAL_TERMINAL_PROCESSING
#define ENABLE_VIRTUAL_TERMINAL_PROCESSING 0x0004
#endif
#ifndef DISABLE_NEWLINE_AUTO_RETURN
#define DISABLE_NEWLINE_AUTO_RETURN 0x0008
#endif
#ifndef ENABLE_VIRTUAL_TERMINAL_INPUT
#define ENABLE_VIRTUAL_TERMINAL_INPUT 0x0200
#endif

static HANDLE open_console(const wchar_t *name)
{
    return CreateFileW(name, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                       OPEN_EXISTING, 0, NULL);
}

/* What wsl.exe's ConsoleState::SetInteractiveMode does (see the top comment). */
static void change_like_wsl(HANDLE in, HANDLE out)
{
    DWORD mode;
    if (in != INVALID_HANDLE_VALUE) {
        SetConsoleCP(CP_UTF8);
        if (GetConsoleMode(in, &mode)) {
            mode |= ENABLE_WINDOW_INPUT | ENABLE_VIRTUAL_TERMINAL_INPUT;
            mode &= ~(DWORD)(ENABLE_ECHO_INPUT | ENABLE_INSERT_MODE | ENABLE_LINE_INPUT |
                             ENABLE_PROCESSED_INPUT);
            SetConsoleMode(in, mode);
        }
    }
    if (out != INVALID_HANDLE_VALUE) {
        SetConsoleOutputCP(CP_UTF8);
        if (GetConsoleMode(out, &mode)) {
            mode |= ENABLE_PROCESSED_OUTPUT | ENABLE_VIRTUAL_TERMINAL_PROCESSING |
                    DISABLE_NEWLINE_AUTO_RETURN;
            if (!SetConsoleMode(out, mode))
                SetConsoleMode(out, mode & ~(DWORD)DISABLE_NEWLINE_AUTO_RETURN);
        }
    }
}

static void stand_in(void)
{
    HANDLE in = open_console(L"CONIN$");
    DWORD in_error = in == INVALID_HANDLE_VALUE ? GetLastError() : 0;
    HANDLE out = open_console(L"CONOUT$");
    DWORD out_error = out == INVALID_HANDLE_VALUE ? GetLastError() : 0;
    change_like_wsl(in, out);
    const wchar_t *marker = _wgetenv(L"CONSOLE_CHECK_MARKER");
    FILE *f = marker ? _wfopen(marker, L"w") : NULL;
    if (f) {
        fprintf(f, "CONIN$ %s %lu, CONOUT$ %s %lu\n", in_error ? "failed" : "opened",
                (unsigned long)in_error, out_error ? "failed" : "opened", (unsigned long)out_error);
        fclose(f);
    }
    for (;;)
        Sleep(60000);
}

static void note_state(FILE *f, const char *label, HANDLE in, HANDLE out)
{
    DWORD in_mode = 0, out_mode = 0;
    GetConsoleMode(in, &in_mode);
    GetConsoleMode(out, &out_mode);
    fprintf(f, "%s in=0x%lx out=0x%lx cp=%u ocp=%u\n", label, (unsigned long)in_mode,
            (unsigned long)out_mode, GetConsoleCP(), GetConsoleOutputCP());
    fflush(f);
}

/* Appends one argument, in quotes when it has a blank (the tests' paths have no quotes). */
static void append_arg(wchar_t *cmdline, size_t cap, const wchar_t *arg)
{
    bool quote = !*arg || wcspbrk(arg, L" \t");
    if (*cmdline)
        wcsncat(cmdline, L" ", cap - wcslen(cmdline) - 1);
    if (quote)
        wcsncat(cmdline, L"\"", cap - wcslen(cmdline) - 1);
    wcsncat(cmdline, arg, cap - wcslen(cmdline) - 1);
    if (quote)
        wcsncat(cmdline, L"\"", cap - wcslen(cmdline) - 1);
}

static int checker(int argc, wchar_t **argv)
{
    if (argc < 5) {
        fputs("usage: console-check.exe run RESULT MARKER PROGRAM ARGS...\n", stderr);
        return 2;
    }
    FILE *result = _wfopen(argv[2], L"w");
    if (!result) {
        fputs("console-check: cannot create the result file\n", stderr);
        return 2;
    }
    HANDLE in = open_console(L"CONIN$"), out = open_console(L"CONOUT$");
    if (in == INVALID_HANDLE_VALUE || out == INVALID_HANDLE_VALUE) {
        fputs("no console\n", result);
        fclose(result);
        return 2;
    }
    /* A known state that differs from everything wsl.exe sets. */
    SetConsoleCP(437);
    SetConsoleOutputCP(437);
    SetConsoleMode(in, ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT |
                           ENABLE_INSERT_MODE | ENABLE_EXTENDED_FLAGS);
    SetConsoleMode(out, ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT);
    note_state(result, "before", in, out);

    static wchar_t cmdline[32768];
    for (int i = 4; i < argc; i++)
        append_arg(cmdline, sizeof cmdline / sizeof cmdline[0], argv[i]);
    STARTUPINFOW si;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    PROCESS_INFORMATION pi;
    /* As wslns does (platform_win32.c create_process): Wine fails a start-up a busy machine
     * delays with ERROR_INTERNAL_ERROR, and nothing ran, so try again. */
    BOOL started = FALSE;
    for (int attempt = 1; attempt <= 3 && !started; attempt++) {
        started = CreateProcessW(NULL, cmdline, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi);
        if (started || GetLastError() != ERROR_INTERNAL_ERROR)
            break;
        Sleep(100 * (DWORD)attempt);
    }
    if (!started) {
        fprintf(result, "cannot start the program: error %lu\n", (unsigned long)GetLastError());
        fclose(result);
        return 2;
    }
    CloseHandle(pi.hThread);
    /* The marker appears once the stand-in has done its worst; the program may also end
     * first (it could not start the stand-in), which the test then reports. */
    bool marked = false;
    while (WaitForSingleObject(pi.hProcess, 100) == WAIT_TIMEOUT) {
        if (GetFileAttributesW(argv[3]) != INVALID_FILE_ATTRIBUTES) {
            marked = true;
            break;
        }
    }
    if (marked) {
        note_state(result, "during", in, out);
        change_like_wsl(in, out);
        note_state(result, "changed", in, out);
    }
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 0;
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    note_state(result, "after", in, out);
    fprintf(result, "exit %lu\n", (unsigned long)code);
    fclose(result);
    return 0;
}

int wmain(int argc, wchar_t **argv);
int wmain(int argc, wchar_t **argv)
{
    if (argc >= 2 && wcscmp(argv[1], L"run") == 0)
        return checker(argc, argv);
    stand_in();
    return 0;
}
