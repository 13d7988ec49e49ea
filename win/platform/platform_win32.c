/* platform_win32.c - platform.h for Windows (the product). Strings cross this boundary as
 * UTF-8 and become UTF-16 only here, right before a W function is called.
 *
 * Children (see docs/platform.md for the full story):
 * - The command line is built with the quoting that CommandLineToArgvW and the MSVCRT
 *   startup code undo, so every argument arrives exactly as given.
 * - Each child gets three named pipes whose parent ends are overlapped (random names, a
 *   DACL for this user alone, one instance, no remote clients), runs without a console
 *   (wsl.exe would reconfigure the user's), and is created suspended, put in a Job
 *   object of its own (JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE: a kill takes its descendants
 *   too, and nothing outlives this process) and then resumed.
 *   PROC_THREAD_ATTRIBUTE_HANDLE_LIST limits inheritance to the child's own pipe ends, and
 *   children are created one after another from one thread, so even where the attribute
 *   is ignored (Wine) no child inherits another child's pipe.
 * - One worker thread per child waits on at most five handles (process, stdout read,
 *   stderr read, stdin write, interrupt), so WaitForMultipleObjects' 64-handle limit never
 *   applies however many children run; the caller's thread only joins the workers.
 * - stop() and done() run on the worker threads, one call at a time (a lock serialises
 *   them), so a callback may share state between children without locking of its own.
 * - After plat_catch_interrupts, Ctrl+C sets an event every worker also waits on: each
 *   kills its child's job at once.
 */
/* rand_s (plat_random_bytes) is declared by stdlib.h only with this defined. */
#define _CRT_RAND_S
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0A00
#endif
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <process.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "platform/platform.h"
#include "platform/platform_shared.h"
#include "strbuf.h"
#include "xalloc.h"

#ifndef ENABLE_VIRTUAL_TERMINAL_PROCESSING
#define ENABLE_VIRTUAL_TERMINAL_PROCESSING 0x0004
#endif
#ifndef PIPE_REJECT_REMOTE_CLIENTS
#define PIPE_REJECT_REMOTE_CLIENTS 0x00000008
#endif

/* ---- UTF-8 <-> UTF-16 ---- */

/* New UTF-16 copy of a UTF-8 string (invalid bytes become U+FFFD), or NULL. Caller frees. */
static wchar_t *to_wide(const char *s)
{
    int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
    if (n <= 0)
        return NULL;
    wchar_t *w = xcalloc((size_t)n, sizeof *w);
    if (MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n) <= 0) {
        free(w);
        w = NULL;
    }
    return w;
}

/* New UTF-8 copy of len UTF-16 units (len < 0: NUL-terminated), or NULL. Caller frees. */
static char *to_utf8(const wchar_t *w, int len)
{
    if (len == 0)
        return str_dup("");
    int n = WideCharToMultiByte(CP_UTF8, 0, w, len, NULL, 0, NULL, NULL);
    if (n <= 0)
        return NULL;
    char *s = xmalloc((size_t)n + 1);
    WideCharToMultiByte(CP_UTF8, 0, w, len, s, n, NULL, NULL);
    s[n] = '\0';
    return s;
}

/* The system's message for a Win32 error code, without the trailing newline. Caller frees. */
static char *win_error(DWORD code)
{
    wchar_t *msg = NULL;
    DWORD n = FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
                                 FORMAT_MESSAGE_IGNORE_INSERTS,
                             NULL, code, 0, (LPWSTR)&msg, 0, NULL);
    while (msg && n > 0 &&
           (msg[n - 1] == L'\r' || msg[n - 1] == L'\n' || msg[n - 1] == L' ' || msg[n - 1] == L'.'))
        n--;
    char *text = n > 0 ? to_utf8(msg, (int)n) : NULL;
    if (msg)
        LocalFree(msg);
    char *full = text ? str_printf("%s (error %lu)", text, (unsigned long)code)
                      : str_printf("error %lu", (unsigned long)code);
    free(text);
    return full;
}

/* "<what>: <message for code>". Caller frees. */
static errmsg error_with(const char *what, DWORD code)
{
    char *msg = win_error(code);
    char *full = str_printf("%s: %s", what, msg ? msg : "unknown error");
    free(msg);
    return full;
}

/* ---- files ---- */

FILE *plat_fopen(const char *path, const char *mode)
{
    wchar_t *wpath = to_wide(path), *wmode = to_wide(mode);
    FILE *f = wpath && wmode ? _wfopen(wpath, wmode) : NULL;
    free(wpath);
    free(wmode);
    return f;
}

/* ---- console and environment ---- */

static HANDLE stream_handle(FILE *stream)
{
    int fd = _fileno(stream);
    return fd < 0 ? INVALID_HANDLE_VALUE : (HANDLE)_get_osfhandle(fd);
}

bool plat_is_terminal(FILE *stream)
{
    /* Only a console has a console mode; _isatty would also say yes for NUL. */
    DWORD mode;
    return GetConsoleMode(stream_handle(stream), &mode) != 0;
}

/* The console whose mode plat_supports_color changed, and its mode before: the console
 * outlives us (cmd.exe keeps it), so it gets its mode back at exit. */
static HANDLE changed_console;
static DWORD changed_console_mode;

static void restore_console_mode(void)
{
    SetConsoleMode(changed_console, changed_console_mode);
}

bool plat_supports_color(FILE *stream)
{
    HANDLE h = stream_handle(stream);
    DWORD mode;
    if (!GetConsoleMode(h, &mode))
        return false;
    if (mode & ENABLE_VIRTUAL_TERMINAL_PROCESSING)
        return true;
    /* Windows 10 consoles render VT sequences once asked to; older ones refuse the flag. */
    if (!SetConsoleMode(h, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING))
        return false;
    if (!changed_console) {
        changed_console = h;
        changed_console_mode = mode;
        atexit(restore_console_mode);
    }
    return true;
}

char *plat_getenv(const char *name)
{
    wchar_t *wname = to_wide(name);
    if (!wname)
        return NULL;
    char *value = NULL;
    SetLastError(0); /* a variable set to "" returns 0 without setting an error */
    DWORD n = GetEnvironmentVariableW(wname, NULL, 0);
    if (n > 0) {
        wchar_t *w = xcalloc((size_t)n, sizeof *w);
        DWORD got = GetEnvironmentVariableW(wname, w, n);
        if (got < n)
            value = to_utf8(w, (int)got);
        free(w);
    } else if (GetLastError() != ERROR_ENVVAR_NOT_FOUND) {
        value = str_dup(""); /* set, but empty */
    }
    free(wname);
    return value;
}

char *plat_self_dir(void)
{
    DWORD cap = MAX_PATH;
    for (;;) {
        wchar_t *w = xcalloc(cap, sizeof *w);
        DWORD n = GetModuleFileNameW(NULL, w, cap);
        if (n == 0) {
            free(w);
            return NULL;
        }
        if (n < cap) {
            while (n > 0 && w[n - 1] != L'\\' && w[n - 1] != L'/')
                n--;
            char *dir = n > 1 ? to_utf8(w, (int)n - 1) : NULL;
            free(w);
            return dir;
        }
        free(w);
        if (cap >= 32768)
            return NULL;
        cap *= 2;
    }
}

char *plat_path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    if (n == 0)
        return str_dup(name);
    bool has_sep = dir[n - 1] == '\\' || dir[n - 1] == '/';
    return str_printf("%s%s%s", dir, has_sep ? "" : "\\", name);
}

bool plat_path_exists(const char *path)
{
    wchar_t *wpath = to_wide(path);
    DWORD attributes = wpath ? GetFileAttributesW(wpath) : INVALID_FILE_ATTRIBUTES;
    free(wpath);
    return attributes != INVALID_FILE_ATTRIBUTES;
}

errmsg plat_make_dir(const char *path)
{
    wchar_t *wpath = to_wide(path);
    if (!wpath)
        return str_printf("cannot create the folder %s: its name is not valid UTF-8", path);
    DWORD error = CreateDirectoryW(wpath, NULL) ? 0 : GetLastError();
    if (error == ERROR_ALREADY_EXISTS) {
        DWORD attributes = GetFileAttributesW(wpath);
        if (attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_DIRECTORY))
            error = 0;
    }
    free(wpath);
    if (!error)
        return NULL;
    char *what = str_printf("cannot create the folder %s", path);
    char *message = error_with(what, error);
    free(what);
    return message;
}

/* userenv.dll's GetUserProfileDirectoryW, loaded from System32 alone. userenv is not a
 * KnownDLL: imported, the loader would look for it in wslns.exe's own folder first, and a
 * userenv.dll planted beside an unzipped wslns.exe would run (elevated, when wslns is).
 * Only KnownDLLs are imported (tests/native/run.sh imports-windows checks wslns.exe). */
typedef BOOL(WINAPI *get_profile_dir_fn)(HANDLE token, LPWSTR dir, LPDWORD size);

static get_profile_dir_fn load_get_user_profile_directory(void)
{
    HMODULE userenv = LoadLibraryExW(L"userenv.dll", NULL, LOAD_LIBRARY_SEARCH_SYSTEM32);
    FARPROC f = userenv ? GetProcAddress(userenv, "GetUserProfileDirectoryW") : NULL;
    return (get_profile_dir_fn)(void (*)(void))f;
}

/* WSL's service finds .wslconfig through the user token's profile directory, so a changed
 * USERPROFILE variable does not move it; ask the same way (userenv). */
errmsg plat_default_wslconfig_path(char **path)
{
    *path = NULL;
    get_profile_dir_fn get_profile_dir = load_get_user_profile_directory();
    if (!get_profile_dir)
        return error_with("cannot load GetUserProfileDirectoryW from System32's userenv.dll to "
                          "find the user profile",
                          GetLastError());
    HANDLE token;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
        return error_with("cannot open this process's token to find the user profile",
                          GetLastError());
    DWORD size = 0;
    get_profile_dir(token, NULL, &size);
    DWORD size_error = GetLastError();
    wchar_t *dir = size ? xcalloc((size_t)size, sizeof *dir) : NULL;
    char *error = NULL;
    if (size == 0) {
        error = error_with("cannot find the user profile directory", size_error);
    } else if (!get_profile_dir(token, dir, &size)) {
        error = error_with("cannot find the user profile directory", GetLastError());
    } else {
        char *utf8 = to_utf8(dir, -1);
        if (utf8)
            *path = plat_path_join(utf8, ".wslconfig");
        else
            error = error_with("cannot convert the user profile directory's name to UTF-8",
                               GetLastError());
        free(utf8);
    }
    free(dir);
    CloseHandle(token);
    return error;
}

bool plat_is_elevated(void)
{
    HANDLE token;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
        return false;
    TOKEN_ELEVATION elevation = {0};
    DWORD size = sizeof elevation;
    bool elevated = GetTokenInformation(token, TokenElevation, &elevation, size, &size) &&
                    elevation.TokenIsElevated;
    CloseHandle(token);
    return elevated;
}

enum plat_policy plat_debug_shell_policy(void)
{
    /* WSL reads the 64-bit view; Software\Policies is shared, but say so for 32-bit builds. */
    HKEY key;
    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"Software\\Policies\\WSL", 0,
                      KEY_READ | KEY_WOW64_64KEY, &key) != ERROR_SUCCESS)
        return PLAT_POLICY_NOT_SET;
    DWORD value = 0, type = 0, size = sizeof value;
    LONG rc = RegQueryValueExW(key, L"AllowDebugShell", NULL, &type, (BYTE *)&value, &size);
    RegCloseKey(key);
    if (rc != ERROR_SUCCESS || type != REG_DWORD || size != sizeof value)
        return PLAT_POLICY_NOT_SET;
    return value == 0 ? PLAT_POLICY_DISALLOWED : value == 1 ? PLAT_POLICY_ALLOWED : PLAT_POLICY_NOT_SET;
}

void plat_random_bytes(void *buf, size_t n)
{
    unsigned char *p = buf;
    size_t done = 0;
    unsigned int r;
    while (done < n && rand_s(&r) == 0) {
        for (size_t i = 0; i < sizeof r && done < n; i++, done++)
            p[done] = (unsigned char)(r >> (8 * i));
    }
    if (done == n)
        return;
    /* rand_s failed (it should not): the clock and addresses, different per run. */
    LARGE_INTEGER now;
    QueryPerformanceCounter(&now);
    unsigned long long seed = (unsigned long long)now.QuadPart ^
                              (unsigned long long)(uintptr_t)buf ^
                              ((unsigned long long)GetCurrentProcessId() << 32);
    fallback_random_fill(p + done, n - done, seed);
}

double plat_now(void)
{
    static LARGE_INTEGER frequency;
    LARGE_INTEGER now;
    if (frequency.QuadPart == 0)
        QueryPerformanceFrequency(&frequency);
    QueryPerformanceCounter(&now);
    return (double)now.QuadPart / (double)frequency.QuadPart;
}

static bool is_file(const char *path)
{
    wchar_t *w = to_wide(path);
    DWORD attributes = w ? GetFileAttributesW(w) : INVALID_FILE_ATTRIBUTES;
    free(w);
    /* The Store's wsl.exe is an app execution alias (a reparse point): that counts. */
    return attributes != INVALID_FILE_ATTRIBUTES && !(attributes & FILE_ATTRIBUTE_DIRECTORY);
}

errmsg plat_find_wsl(char **path)
{
    *path = NULL;
    wchar_t system[MAX_PATH];
    UINT n = GetSystemDirectoryW(system, MAX_PATH);
    char *system_dir = n > 0 && n < MAX_PATH ? to_utf8(system, (int)n) : NULL;
    char *local = plat_getenv("LOCALAPPDATA");
    char *candidates[2] = {
        system_dir ? plat_path_join(system_dir, "wsl.exe") : NULL,
        local && *local ? plat_path_join(local, "Microsoft\\WindowsApps\\wsl.exe") : NULL,
    };
    for (int i = 0; i < 2 && !*path; i++) {
        if (candidates[i] && is_file(candidates[i])) {
            *path = candidates[i];
            candidates[i] = NULL;
        }
    }
    char *error = NULL;
    if (!*path)
        error = str_printf(
            "WSL is not installed: found neither %s nor %s. Install it from an elevated "
            "prompt with `wsl --install` (or `winget install Microsoft.WSL`), restart Windows "
            "if asked, then run wslns again; or name a wsl.exe with --wsl PATH",
            candidates[0] ? candidates[0] : "System32\\wsl.exe",
            candidates[1] ? candidates[1] : "%LOCALAPPDATA%\\Microsoft\\WindowsApps\\wsl.exe");
    free(candidates[0]);
    free(candidates[1]);
    free(system_dir);
    free(local);
    return error;
}

/* ---- interruption ---- */

/* Set by the console handler (which Windows runs on a thread of its own); the workers of
 * plat_run_children wait on it next to their child. Manual reset: it stays set. */
static HANDLE interrupt_event;
static volatile LONG interrupt_seen;

static BOOL WINAPI on_console_interrupt(DWORD event)
{
    /* Closing the window, logoff and shutdown end the process whatever a handler says. */
    if (event != CTRL_C_EVENT && event != CTRL_BREAK_EVENT)
        return FALSE;
    InterlockedExchange(&interrupt_seen, 1);
    if (interrupt_event)
        SetEvent(interrupt_event);
    return TRUE;
}

void plat_catch_interrupts(void)
{
    if (!interrupt_event)
        interrupt_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    SetConsoleCtrlHandler(on_console_interrupt, TRUE);
}

bool plat_interrupted(void)
{
    return InterlockedCompareExchange(&interrupt_seen, 0, 0) != 0;
}

/* ---- command line and environment block ---- */

/* Appends one argument so that CommandLineToArgvW (and the MSVCRT/UCRT startup code, which
 * parse the same way) give it back unchanged: no quotes when nothing needs them; otherwise
 * in quotes, where a run of backslashes is doubled when a quote follows it (an embedded one,
 * escaped as \", or the closing one) and left alone elsewhere. */
static void append_quoted(struct strbuf *sb, const char *arg)
{
    if (*arg && !strpbrk(arg, " \t\n\v\"")) {
        strbuf_puts(sb, arg);
        return;
    }
    strbuf_putc(sb, '"');
    for (const char *p = arg;; p++) {
        size_t backslashes = 0;
        while (*p == '\\') {
            p++;
            backslashes++;
        }
        if (*p == '\0') {
            for (size_t i = 0; i < 2 * backslashes; i++)
                strbuf_putc(sb, '\\');
            break;
        }
        size_t count = *p == '"' ? 2 * backslashes + 1 : backslashes;
        for (size_t i = 0; i < count; i++)
            strbuf_putc(sb, '\\');
        strbuf_putc(sb, *p);
    }
    strbuf_putc(sb, '"');
}

/* The whole command line in *out (caller frees); NULL, or why not. argv[0] is parsed by other
 * rules (up to the next blank, or between quotes, with no escapes), so it is only put in
 * quotes. */
static errmsg build_command_line(const char *const *argv, wchar_t **out)
{
    *out = NULL;
    if (strchr(argv[0], '"'))
        return str_printf("cannot run %s: a program path cannot contain '\"'", argv[0]);
    struct strbuf sb = STRBUF_INIT;
    strbuf_putc(&sb, '"');
    strbuf_puts(&sb, argv[0]);
    strbuf_putc(&sb, '"');
    for (size_t i = 1; argv[i]; i++) {
        strbuf_putc(&sb, ' ');
        append_quoted(&sb, argv[i]);
    }
    wchar_t *w = to_wide(sb.data);
    strbuf_release(&sb);
    if (!w)
        return str_printf("cannot run %s: its command line is not convertible to UTF-16", argv[0]);
    if (wcslen(w) >= 32767) {
        free(w);
        return str_printf("cannot run %s: the command line is longer than Windows allows "
                          "(32767 characters)",
                          argv[0]);
    }
    *out = w;
    return NULL;
}

/* Length of an environment entry's name. A leading '=' belongs to the name (the hidden
 * per-drive "=C:=C:\dir" entries). */
static size_t env_name_length(const wchar_t *entry)
{
    const wchar_t *eq = wcschr(entry + (entry[0] == L'='), L'=');
    return eq ? (size_t)(eq - entry) : wcslen(entry);
}

static int compare_env_entries(const void *a, const void *b)
{
    const wchar_t *x = *(const wchar_t *const *)a, *y = *(const wchar_t *const *)b;
    size_t nx = env_name_length(x), ny = env_name_length(y);
    int c = _wcsnicmp(x, y, nx < ny ? nx : ny);
    return c ? c : (nx > ny) - (nx < ny);
}

/* Sorts entries by name and joins them into one environment block: each entry ends with a
 * NUL, and one more NUL ends the block. Caller frees. */
static wchar_t *env_block(const wchar_t **entries, size_t n)
{
    qsort(entries, n, sizeof *entries, compare_env_entries);
    size_t total = 1;
    for (size_t i = 0; i < n; i++)
        total += wcslen(entries[i]) + 1;
    wchar_t *block = xcalloc(total, sizeof *block);
    wchar_t *out = block;
    for (size_t i = 0; i < n; i++) {
        size_t len = wcslen(entries[i]) + 1;
        memcpy(out, entries[i], len * sizeof *out);
        out += len;
    }
    *out = L'\0';
    return block;
}

/* The inherited environment plus env_add (replacing entries of the same name, compared
 * case-insensitively as Windows does), sorted by name as Windows expects a block to be.
 * Caller frees; NULL when the environment cannot be read or converted. */
static wchar_t *build_environment(const char *const *env_add)
{
    wchar_t *inherited = GetEnvironmentStringsW();
    if (!inherited)
        return NULL;
    size_t n_inherited = 0, n_added = 0;
    for (const wchar_t *p = inherited; *p; p += wcslen(p) + 1)
        n_inherited++;
    while (env_add[n_added])
        n_added++;
    wchar_t **added = xcalloc(n_added + 1, sizeof *added);
    const wchar_t **entries = xcalloc(n_inherited + n_added + 1, sizeof *entries);
    wchar_t *block = NULL;
    bool ok = true;
    for (size_t j = 0; ok && j < n_added; j++)
        ok = (added[j] = to_wide(env_add[j])) != NULL;
    if (ok) {
        size_t n = 0;
        for (const wchar_t *p = inherited; *p; p += wcslen(p) + 1) {
            size_t name = env_name_length(p);
            bool replaced = false;
            for (size_t j = 0; j < n_added && !replaced; j++)
                replaced = env_name_length(added[j]) == name && _wcsnicmp(added[j], p, name) == 0;
            if (!replaced)
                entries[n++] = p;
        }
        for (size_t j = 0; j < n_added; j++)
            entries[n++] = added[j];
        block = env_block(entries, n);
    }
    for (size_t j = 0; j < n_added; j++)
        free(added[j]);
    free(added);
    free(entries);
    FreeEnvironmentStringsW(inherited);
    return block;
}

/* ---- child processes ---- */

/* After the child itself has ended, how long to keep reading pipes that something outside
 * its job (a process that broke away) still holds open. */
#define STRAY_WRITER_GRACE_MS 1000
#define IO_CHUNK 65536
/* The exit code given to a killed child: the same number the POSIX build reports for
 * SIGKILL, so both builds say the same thing. */
#define KILLED_EXIT_CODE 137

static SRWLOCK stop_lock = SRWLOCK_INIT;

struct stream {
    HANDLE h; /* our end, NULL once closed */
    OVERLAPPED ov;
    bool pending;
    char chunk[IO_CHUNK];
    struct strbuf buf;
    size_t kept_max; /* 0 = keep everything */
    bool truncated;
};

struct child {
    const struct plat_child_spec *spec;
    struct plat_child_result *result;
    HANDLE process, job, thread;
    HANDLE in; /* our end of the child's stdin, NULL once closed */
    OVERLAPPED in_ov;
    bool in_pending;
    size_t in_off;
    struct strbuf fed; /* what spec->feed returned, from fed_off on not written yet */
    size_t fed_off;
    bool writing_fed; /* the pending write is from in_chunk (a copy of fed) */
    char in_chunk[IO_CHUNK];
    double next_feed;
    struct stream out, err;
    double start, deadline; /* deadline 0 = none */
    bool exited, killed;
    double exited_at;
};

/* ---- the children's pipes ---- */

/* The security attributes of every pipe: a DACL with one entry, full access for the user of
 * this process's token, protected from inheritance. Without it a pipe gets the default DACL,
 * which other accounts (and, elevated, the non-elevated same user) may open. Built once. */
static INIT_ONCE pipe_security_once = INIT_ONCE_STATIC_INIT;
static SECURITY_DESCRIPTOR pipe_sd;
static SECURITY_ATTRIBUTES pipe_sa;
static DWORD pipe_security_error; /* set when it could not be built */

static BOOL CALLBACK build_pipe_security(PINIT_ONCE once, PVOID param, PVOID *context)
{
    (void)once;
    (void)param;
    (void)context;
    HANDLE token = NULL;
    TOKEN_USER *user = NULL;
    ACL *acl = NULL;
    DWORD size = 0;
    bool ok = OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token);
    if (ok) {
        GetTokenInformation(token, TokenUser, NULL, 0, &size);
        user = size > 0 ? xmalloc(size) : NULL;
        ok = user && GetTokenInformation(token, TokenUser, user, size, &size);
    }
    if (ok) {
        PSID sid = user->User.Sid;
        DWORD acl_size = (DWORD)(sizeof(ACL) + sizeof(ACCESS_ALLOWED_ACE) + GetLengthSid(sid));
        /* Kept for the life of the process: pipe_sd points at it. */
        acl = xmalloc(acl_size);
        ok = InitializeAcl(acl, acl_size, ACL_REVISION) &&
             AddAccessAllowedAce(acl, ACL_REVISION, FILE_ALL_ACCESS, sid) &&
             InitializeSecurityDescriptor(&pipe_sd, SECURITY_DESCRIPTOR_REVISION) &&
             SetSecurityDescriptorDacl(&pipe_sd, TRUE, acl, FALSE) &&
             SetSecurityDescriptorControl(&pipe_sd, SE_DACL_PROTECTED, SE_DACL_PROTECTED);
    }
    if (ok) {
        pipe_sa.nLength = sizeof pipe_sa;
        pipe_sa.lpSecurityDescriptor = &pipe_sd;
        pipe_sa.bInheritHandle = FALSE;
    } else {
        pipe_security_error = GetLastError() ? GetLastError() : ERROR_NOT_ENOUGH_MEMORY;
        free(acl);
    }
    free(user);
    if (token)
        CloseHandle(token);
    return TRUE;
}

/* The attributes above, or NULL with the last error set. */
static SECURITY_ATTRIBUTES *pipe_security(void)
{
    InitOnceExecuteOnce(&pipe_security_once, build_pipe_security, NULL, NULL);
    if (pipe_security_error) {
        SetLastError(pipe_security_error);
        return NULL;
    }
    return &pipe_sa;
}

/* \\.\pipe\wslns-<32 hex digits>: 128 random bits, so no other process can guess the next
 * name and create it first (FILE_FLAG_FIRST_PIPE_INSTANCE would then fail our creation
 * rather than hand us a pipe someone else owns). In this file plat_random_bytes is the
 * operating system's generator (win/platform/CMakeLists.txt renames it), so pipe names are no part
 * of a recording and a replay, which starts no children, stays in step. */
#define PIPE_NAME_CAP 64
static void new_pipe_name(wchar_t name[PIPE_NAME_CAP])
{
    unsigned char random[16];
    plat_random_bytes(random, sizeof random);
    int n = _snwprintf(name, PIPE_NAME_CAP, L"\\\\.\\pipe\\wslns-");
    for (size_t i = 0; i < sizeof random; i++)
        n += _snwprintf(name + n, PIPE_NAME_CAP - (size_t)n, L"%02x", random[i]);
}

/* A named pipe whose parent end is overlapped (anonymous pipes cannot be) and whose child
 * end is inheritable. inbound: the child writes, we read. Only this user may open it, only
 * locally, and only one instance exists: the child's end, opened right here. name
 * (PIPE_NAME_CAP) receives its name. */
static bool make_named_pipe(bool inbound, HANDLE *ours, HANDLE *theirs, wchar_t *name)
{
    *ours = *theirs = NULL;
    SECURITY_ATTRIBUTES *security = pipe_security();
    if (!security)
        return false;
    new_pipe_name(name);
    *ours = CreateNamedPipeW(name,
                             (inbound ? PIPE_ACCESS_INBOUND : PIPE_ACCESS_OUTBOUND) |
                                 FILE_FLAG_OVERLAPPED | FILE_FLAG_FIRST_PIPE_INSTANCE,
                             PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT |
                                 PIPE_REJECT_REMOTE_CLIENTS,
                             1, IO_CHUNK, IO_CHUNK, 0, security);
    if (*ours == INVALID_HANDLE_VALUE) {
        *ours = NULL;
        return false;
    }
    SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
    *theirs = CreateFileW(
        name, inbound ? GENERIC_WRITE | FILE_READ_ATTRIBUTES : GENERIC_READ | FILE_WRITE_ATTRIBUTES,
        0, &inherit, OPEN_EXISTING, SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION, NULL);
    if (*theirs == INVALID_HANDLE_VALUE) {
        DWORD e = GetLastError();
        CloseHandle(*ours);
        *ours = *theirs = NULL;
        SetLastError(e);
        return false;
    }
    return true;
}

static bool make_pipe(bool inbound, HANDLE *ours, HANDLE *theirs)
{
    wchar_t name[PIPE_NAME_CAP];
    return make_named_pipe(inbound, ours, theirs, name);
}

static void close_handle(HANDLE *h)
{
    if (*h) {
        CloseHandle(*h);
        *h = NULL;
    }
}

/* A job that kills every process in it when its last handle closes. NULL if the system
 * will not give one; the child then runs without (a kill reaches only the child). */
static HANDLE make_job(void)
{
    HANDLE job = CreateJobObjectW(NULL, NULL);
    if (!job)
        return NULL;
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits;
    memset(&limits, 0, sizeof limits);
    limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    if (!SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof limits)) {
        CloseHandle(job);
        return NULL;
    }
    return job;
}

/* A PROC_THREAD_ATTRIBUTE_HANDLE_LIST naming only the child's three pipe ends (std, which
 * must outlive the list), so it inherits nothing else of ours; NULL when the system will
 * not make one: the child then inherits every inheritable handle. */
static LPPROC_THREAD_ATTRIBUTE_LIST inherit_only(HANDLE std[3])
{
    SIZE_T attrs_size = 0;
    InitializeProcThreadAttributeList(NULL, 1, 0, &attrs_size);
    LPPROC_THREAD_ATTRIBUTE_LIST attrs = xmalloc(attrs_size);
    if (!InitializeProcThreadAttributeList(attrs, 1, 0, &attrs_size)) {
        free(attrs);
        return NULL;
    }
    if (!UpdateProcThreadAttribute(attrs, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, std,
                                   3 * sizeof *std, NULL, NULL)) {
        DeleteProcThreadAttributeList(attrs);
        free(attrs);
        return NULL;
    }
    return attrs;
}

/* CreateProcessW, tried again on ERROR_INTERNAL_ERROR: that means the new process died
 * before its start-up finished, so nothing ran: Wine returns it when a busy machine delays
 * that start-up (seen under CTest on 2 cores), and trying again is safe. Any other failure
 * is final at once. On failure *failure is GetLastError(). */
static BOOL create_with_retries(wchar_t *cmdline, DWORD flags, wchar_t *env, STARTUPINFOEXW *si,
                                PROCESS_INFORMATION *pi, DWORD *failure)
{
    BOOL started = FALSE;
    for (int attempt = 1; attempt <= 3 && !started; attempt++) {
        started =
            CreateProcessW(NULL, cmdline, NULL, NULL, TRUE, flags, env, NULL, &si->StartupInfo, pi);
        *failure = started ? 0 : GetLastError();
        if (*failure != ERROR_INTERNAL_ERROR)
            break;
        Sleep(100 * (DWORD)attempt);
    }
    return started;
}

/* The child's process, suspended, with std (stdin, stdout, stderr) as its standard handles.
 * NULL on success, else why not (caller frees). */
static errmsg create_process(const struct plat_child_spec *spec, wchar_t *cmdline, wchar_t *env,
                             HANDLE std[3], PROCESS_INFORMATION *pi)
{
    LPPROC_THREAD_ATTRIBUTE_LIST attrs = inherit_only(std);
    STARTUPINFOEXW si;
    memset(&si, 0, sizeof si);
    si.StartupInfo.cb = attrs ? sizeof si : sizeof si.StartupInfo;
    si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
    si.StartupInfo.hStdInput = std[0];
    si.StartupInfo.hStdOutput = std[1];
    si.StartupInfo.hStdError = std[2];
    si.lpAttributeList = attrs;
    /* No console at all (DETACHED_PROCESS). wsl.exe opens CONIN$ and CONOUT$ whatever its
     * standard handles are, switches them to raw VT input, VT output and UTF-8 code pages,
     * and restores them only when it ends normally (WSL src/windows/common/ConsoleState.cpp,
     * used by svccomm.cpp LaunchProcess and WslClient.cpp's debug shell (3e27a6a5)). Many
     * run at once here and some are killed, so on the user's console their saves and
     * restores would race and a killed one would leave it raw. Without a console its
     * CreateFileW(CONIN$/CONOUT$) fails and ConsoleState skips every change and restore;
     * the pipes below are its standard handles all the same. (CREATE_NO_WINDOW instead
     * would give each child a hidden console of its own, a conhost process per child.)
     * A process group of its own: Ctrl+C would reach a child on our console, and a wsl.exe
     * that ended on its own then would look like a failed view instead of an interrupted
     * one. wslns alone decides, and kills the job (POSIX: setpgid does this). */
    DWORD flags = CREATE_SUSPENDED | CREATE_UNICODE_ENVIRONMENT | CREATE_NEW_PROCESS_GROUP |
                  DETACHED_PROCESS | (attrs ? EXTENDED_STARTUPINFO_PRESENT : 0);
    char *error = NULL;
    DWORD failure = 0;
    if (!create_with_retries(cmdline, flags, env, &si, pi, &failure)) {
        char *what = str_printf("cannot run %s", spec->argv[0]);
        error = error_with(what, failure);
        free(what);
    }
    if (attrs) {
        DeleteProcThreadAttributeList(attrs);
        free(attrs);
    }
    return error;
}

/* Puts the suspended process in its job before it runs a single instruction, so nothing it
 * starts escapes, then lets it run. */
static void run_in_job(struct child *c, PROCESS_INFORMATION *pi)
{
    const struct plat_child_spec *spec = c->spec;
    c->job = make_job();
    if (c->job && !AssignProcessToJobObject(c->job, pi->hProcess))
        close_handle(&c->job);
    ResumeThread(pi->hThread);
    CloseHandle(pi->hThread);
    c->process = pi->hProcess;
    c->deadline = child_deadline(spec, c->start);
    if (spec->stdin_len == 0 && !child_keeps_stdin(spec))
        close_handle(&c->in);
}

static errmsg start_child(struct child *c)
{
    const struct plat_child_spec *spec = c->spec;
    c->start = plat_now();
    errmsg invalid = child_spec_check(spec);
    if (invalid)
        return invalid;
    wchar_t *cmdline = NULL;
    char *error = build_command_line(spec->argv, &cmdline);
    if (error)
        return error;
    wchar_t *env = NULL;
    if (spec->env_add && spec->env_add[0] && !(env = build_environment(spec->env_add))) {
        free(cmdline);
        return str_printf("cannot run %s: cannot build its environment", spec->argv[0]);
    }
    HANDLE std[3] = {NULL, NULL, NULL}; /* the child's ends */
    PROCESS_INFORMATION pi;
    if (!make_pipe(false, &c->in, &std[0]) || !make_pipe(true, &c->out.h, &std[1]) ||
        !make_pipe(true, &c->err.h, &std[2]))
        error = error_with("cannot create a pipe", GetLastError());
    else if (!(error = create_process(spec, cmdline, env, std, &pi)))
        run_in_job(c, &pi);
    if (error) {
        close_handle(&c->in);
        close_handle(&c->out.h);
        close_handle(&c->err.h);
    }
    for (int i = 0; i < 3; i++)
        close_handle(&std[i]);
    free(env);
    free(cmdline);
    return error;
}

static void kill_child(struct child *c)
{
    if (c->exited || c->killed)
        return;
    if (!c->job || !TerminateJobObject(c->job, KILLED_EXIT_CODE))
        TerminateProcess(c->process, KILLED_EXIT_CODE);
    c->killed = true;
}

static void close_stream(struct stream *s)
{
    if (s->pending) {
        CancelIoEx(s->h, &s->ov);
        DWORD n;
        GetOverlappedResult(s->h, &s->ov, &n, TRUE);
        s->pending = false;
    }
    close_handle(&s->h);
}

static void close_stdin(struct child *c)
{
    if (c->in_pending) {
        CancelIoEx(c->in, &c->in_ov);
        DWORD n;
        GetOverlappedResult(c->in, &c->in_ov, &n, TRUE);
        c->in_pending = false;
    }
    close_handle(&c->in);
}

/* Starts the next read. Its completion (even an immediate one) signals ov.hEvent, so
 * results are always collected in one place, finish_read. */
static void start_read(struct stream *s)
{
    if (!s->h)
        return;
    if (ReadFile(s->h, s->chunk, sizeof s->chunk, NULL, &s->ov) ||
        GetLastError() == ERROR_IO_PENDING)
        s->pending = true;
    else
        close_handle(&s->h); /* ERROR_BROKEN_PIPE: every writer is gone */
}

/* Collects a finished read; returns the number of bytes kept. */
static size_t finish_read(struct stream *s)
{
    DWORD n = 0;
    s->pending = false;
    if (!GetOverlappedResult(s->h, &s->ov, &n, FALSE)) {
        close_handle(&s->h); /* ERROR_BROKEN_PIPE: every writer is gone */
        return 0;
    }
    size_t keep = n;
    if (s->kept_max && s->buf.len + keep > s->kept_max) {
        keep = s->kept_max - s->buf.len;
        s->truncated = true;
    }
    if (keep)
        strbuf_append(&s->buf, s->chunk, keep);
    return keep;
}

/* Writes stdin_data, then what feed returned. A write from fed goes through in_chunk: fed
 * may grow (and move) while the write is pending. */
static void start_write(struct child *c)
{
    const struct plat_child_spec *spec = c->spec;
    if (!c->in || c->in_pending)
        return;
    const char *from;
    size_t left;
    c->writing_fed = c->in_off >= spec->stdin_len;
    if (!c->writing_fed) {
        from = spec->stdin_data + c->in_off;
        left = spec->stdin_len - c->in_off;
    } else if (c->fed_off < c->fed.len) {
        left = c->fed.len - c->fed_off;
        if (left > IO_CHUNK)
            left = IO_CHUNK;
        memcpy(c->in_chunk, c->fed.data + c->fed_off, left);
        from = c->in_chunk;
    } else {
        c->fed.len = c->fed_off = 0; /* all written: the buffer starts over */
        if (!child_keeps_stdin(spec))
            close_handle(&c->in);
        return;
    }
    DWORD chunk = left > IO_CHUNK ? IO_CHUNK : (DWORD)left;
    if (WriteFile(c->in, from, chunk, NULL, &c->in_ov) || GetLastError() == ERROR_IO_PENDING)
        c->in_pending = true;
    else
        close_handle(&c->in); /* the child closed its stdin or ended */
}

static void finish_write(struct child *c)
{
    DWORD n = 0;
    c->in_pending = false;
    if (!GetOverlappedResult(c->in, &c->in_ov, &n, FALSE)) {
        close_handle(&c->in);
        return;
    }
    if (c->writing_fed)
        c->fed_off += n;
    else
        c->in_off += n;
    start_write(c);
}

/* Asks spec->feed what to say next and starts writing it. */
static void run_feed(struct child *c)
{
    const struct plat_child_spec *spec = c->spec;
    if (!spec->feed || c->exited || c->killed || !c->in)
        return;
    c->next_feed = plat_now() + (spec->feed_every_s > 0 ? spec->feed_every_s : 0.25);
    size_t n = 0;
    AcquireSRWLockExclusive(&stop_lock);
    const char *more =
        spec->feed(c->out.buf.data ? c->out.buf.data : "", c->out.buf.len, &n, spec->feed_ctx);
    if (more && n)
        strbuf_append(&c->fed, more, n);
    ReleaseSRWLockExclusive(&stop_lock);
    start_write(c);
}

static void note_exit(struct child *c)
{
    DWORD code = 0;
    GetExitCodeProcess(c->process, &code);
    c->result->exit_code = (int)code;
    /* A child that failed after Ctrl+C (before its worker killed it) was interrupted. */
    if (code != 0 && !c->killed && plat_interrupted())
        c->result->interrupted = true;
    c->exited = true;
    c->exited_at = plat_now();
    close_stdin(c);
    /* Whatever the child left running would keep its pipes open: end it with the child. */
    if (c->job)
        TerminateJobObject(c->job, KILLED_EXIT_CODE);
}

static DWORD ms_until(double when)
{
    double left = when - plat_now();
    return left <= 0 ? 0 : (DWORD)(left * 1000) + 1;
}

static void report_done(struct child *c)
{
    if (!c->spec->done)
        return;
    AcquireSRWLockExclusive(&stop_lock);
    c->spec->done(c->result, c->spec->done_ctx);
    ReleaseSRWLockExclusive(&stop_lock);
}

/* What run_child waits for: the process, each pending read or write, an interruption. */
enum wait_kind { EV_PROCESS, EV_STDOUT, EV_STDERR, EV_STDIN, EV_INTERRUPT };

struct waits {
    HANDLE handles[5];
    enum wait_kind kinds[5];
    DWORD n;
};

static void add_wait(struct waits *w, HANDLE h, enum wait_kind kind)
{
    w->handles[w->n] = h;
    w->kinds[w->n++] = kind;
}

static void list_waits(const struct child *c, struct waits *w)
{
    w->n = 0;
    if (!c->exited)
        add_wait(w, c->process, EV_PROCESS);
    if (c->out.pending)
        add_wait(w, c->out.ov.hEvent, EV_STDOUT);
    if (c->err.pending)
        add_wait(w, c->err.ov.hEvent, EV_STDERR);
    if (c->in_pending)
        add_wait(w, c->in_ov.hEvent, EV_STDIN);
    if (interrupt_event && !c->exited && !c->killed)
        add_wait(w, interrupt_event, EV_INTERRUPT);
}

/* Until the end of the grace period once the child exited, else its deadline or its next
 * feed, whichever comes first. */
static DWORD wait_timeout(const struct child *c)
{
    DWORD timeout = INFINITE;
    if (c->exited)
        timeout = ms_until(c->exited_at + STRAY_WRITER_GRACE_MS / 1000.0);
    else if (c->deadline > 0 && !c->killed)
        timeout = ms_until(c->deadline);
    bool feeding = c->spec->feed && !c->exited && !c->killed && c->in;
    if (feeding && ms_until(c->next_feed) < timeout)
        timeout = ms_until(c->next_feed);
    return timeout;
}

/* A wait timed out on a running child: its deadline passed, or its feed is due. */
static void on_timeout(struct child *c)
{
    if (c->deadline > 0 && !c->killed && plat_now() >= c->deadline) {
        c->result->timed_out = true;
        kill_child(c);
    } else {
        run_feed(c);
    }
}

/* A read from stdout finished: asks stop() whether to kill the child, feed() what to say
 * next, and reads on. */
static void on_stdout(struct child *c)
{
    size_t kept = finish_read(&c->out);
    if (c->spec->stop && !c->exited && !c->killed && (kept || c->out.truncated)) {
        AcquireSRWLockExclusive(&stop_lock);
        bool stop = c->spec->stop(c->out.buf.data ? c->out.buf.data : "", c->out.buf.len,
                                  c->spec->stop_ctx);
        ReleaseSRWLockExclusive(&stop_lock);
        if (stop) {
            c->result->stopped_early = true;
            kill_child(c);
        }
    }
    if (kept)
        run_feed(c);
    start_read(&c->out);
}

static void on_event(struct child *c, enum wait_kind kind)
{
    switch (kind) {
    case EV_PROCESS: note_exit(c); break;
    case EV_STDOUT: on_stdout(c); break;
    case EV_STDERR:
        finish_read(&c->err);
        start_read(&c->err);
        break;
    case EV_STDIN: finish_write(c); break;
    case EV_INTERRUPT:
        c->result->interrupted = true;
        kill_child(c);
        break;
    }
}

/* On the child's worker: drives its pipes, deadline and feed until it has exited and its
 * pipes are drained (or the grace period for stray writers is over). */
static void run_child(struct child *c)
{
    start_read(&c->out);
    start_read(&c->err);
    start_write(c);
    run_feed(c);
    while (!c->exited || c->out.h || c->err.h) {
        struct waits w;
        list_waits(c, &w);
        DWORD r = WaitForMultipleObjects(w.n, w.handles, FALSE, wait_timeout(c));
        if (r == WAIT_TIMEOUT && c->exited)
            break;
        if (r == WAIT_TIMEOUT) {
            on_timeout(c);
        } else if (r >= WAIT_OBJECT_0 + w.n) {
            /* Cannot wait (should not happen): end the child rather than spin. */
            kill_child(c);
            WaitForSingleObject(c->process, INFINITE);
            note_exit(c);
            break;
        } else {
            on_event(c, w.kinds[r - WAIT_OBJECT_0]);
        }
    }
    report_done(c);
}

static void finish_child(struct child *c)
{
    struct plat_child_result *r = c->result;
    close_stdin(c);
    close_stream(&c->out);
    close_stream(&c->err);
    close_handle(&c->process);
    close_handle(&c->job); /* kills anything still in it */
    strbuf_release(&c->fed);
    r->out = strbuf_detach(&c->out.buf, &r->out_len);
    r->err = strbuf_detach(&c->err.buf, &r->err_len);
    r->out_truncated = c->out.truncated;
    r->err_truncated = c->err.truncated;
    r->seconds = plat_now() - c->start;
}

static unsigned __stdcall child_thread(void *arg)
{
    run_child(arg);
    return 0;
}

static bool make_events(struct child *c)
{
    c->out.ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    c->err.ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    c->in_ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    return c->out.ov.hEvent && c->err.ov.hEvent && c->in_ov.hEvent;
}

static void free_events(struct child *c)
{
    close_handle(&c->out.ov.hEvent);
    close_handle(&c->err.ov.hEvent);
    close_handle(&c->in_ov.hEvent);
}

void plat_run_children(size_t n, const struct plat_child_spec *specs,
                       struct plat_child_result *results)
{
    if (n == 0)
        return;
    struct child *children = xcalloc(n, sizeof *children);
    for (size_t i = 0; i < n; i++)
        memset(&results[i], 0, sizeof results[i]);
    /* Created one after another from this thread: see the top of the file. */
    for (size_t i = 0; i < n; i++) {
        struct child *c = &children[i];
        c->spec = &specs[i];
        c->result = &results[i];
        c->out.kept_max = c->err.kept_max = specs[i].max_output;
        c->start = plat_now();
        if (!make_events(c))
            results[i].spawn_error = error_with("cannot create an event", GetLastError());
        else
            results[i].spawn_error = start_child(c);
        if (results[i].spawn_error) {
            report_done(c);
            continue;
        }
        /* A small stack: the worker only waits and copies; its buffers are in *c. */
        c->thread = (HANDLE)_beginthreadex(NULL, 64 * 1024, child_thread, c,
                                           STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
    }
    for (size_t i = 0; i < n; i++) {
        struct child *c = &children[i];
        if (!results[i].spawn_error) {
            if (c->thread) {
                WaitForSingleObject(c->thread, INFINITE);
                close_handle(&c->thread);
            } else {
                run_child(c); /* no thread to spare: drain it here, later than the rest */
            }
        }
        finish_child(c);
        free_events(c);
    }
    free(children);
}

void plat_child_result_free(struct plat_child_result *result)
{
    free(result->spawn_error);
    free(result->out);
    free(result->err);
    memset(result, 0, sizeof *result);
}
