/* platform.h - everything the host tool needs from the operating system. The only header
 * whose implementation differs between builds: platform_win32.c (Windows, the product)
 * and platform_posix.c (Linux, for tests and for running inside a distro). Nothing else in
 * win/ includes an OS header or tests _WIN32.
 *
 * Conventions:
 * - All strings are UTF-8 (the Windows layer converts to and from UTF-16).
 * - The house's error convention (common/errmsg.h): a function that can fail returns
 *   `errmsg`, NULL on success or an error message (malloc'd, the caller frees it) written for
 *   the user: what failed, on what, and why; its results go through out-parameters. A
 *   function returning `char *` returns a result (plat_getenv, plat_self_dir,
 *   plat_path_join), never an error.
 * - Memory returned through out-parameters is malloc'd and owned by the caller.
 */
#ifndef WSLNS_PLATFORM_H
#define WSLNS_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "errmsg.h"

/* The portable entry point, defined in main.c. The platform layer owns main()/wmain(),
 * converts the arguments to UTF-8, sets the console up and calls it. */
int wslns_main(int argc, char **argv);

/* ---- files ---- */

/* Opens a file by its UTF-8 path (Windows: _wfopen), like fopen. */
FILE *plat_fopen(const char *path, const char *mode);

/* The two below are written once over plat_fopen (files.c).
 * Reads at most max_bytes of a file. *truncated (may be NULL) says whether there was more.
 * The data is NUL-terminated (not counted in *len). */
errmsg plat_read_file(const char *path, size_t max_bytes, char **data, size_t *len,
                      bool *truncated);

/* Creates or replaces a file with exactly these bytes (no newline translation). */
errmsg plat_write_file(const char *path, const char *data, size_t len);

/* True when something (a file or a directory) exists at path. */
bool plat_path_exists(const char *path);

/* Creates the folder path (its parent must exist). NULL when it was created or already is a
 * folder, else why not (caller frees). */
errmsg plat_make_dir(const char *path);

/* The .wslconfig WSL reads, in *path (caller frees): the user profile's `.wslconfig`. Windows:
 * the profile directory of this process's user token (GetUserProfileDirectoryW), as WSL finds
 * it, not %USERPROFILE%; POSIX: $HOME/.wslconfig. NULL on success, or why there is none. */
errmsg plat_default_wslconfig_path(char **path);

/* ---- console and environment ---- */

/* True when the stream is an interactive console/terminal (not a file or pipe). */
bool plat_is_terminal(FILE *stream);

/* True when the stream is a terminal that renders ANSI/VT colour sequences (on Windows:
 * virtual-terminal processing could be enabled on it). */
bool plat_supports_color(FILE *stream);

/* Value of an environment variable as a new UTF-8 string, or NULL when unset. */
char *plat_getenv(const char *name);

/* Directory of the running executable (no trailing separator), or NULL. */
char *plat_self_dir(void);

/* Joins a directory and a file name with the platform's separator. Caller frees. */
char *plat_path_join(const char *dir, const char *name);

/* True when the process runs elevated (Windows: token elevation; POSIX: euid 0). */
bool plat_is_elevated(void);

/* The machine policy AllowDebugShell: a DWORD under HKLM\Software\Policies\WSL that WSL
 * honours only as 0 (debug shell off) or 1 (on); a missing key or value, another type or
 * another number leaves it allowed (WSL src/windows/inc/wslpolicies.h IsFeatureAllowed,
 * 3e27a6a5). POSIX has no such policy: always PLAT_POLICY_NOT_SET. */
enum plat_policy { PLAT_POLICY_NOT_SET, PLAT_POLICY_ALLOWED, PLAT_POLICY_DISALLOWED };
enum plat_policy plat_debug_shell_policy(void);

/* Monotonic time in seconds. */
double plat_now(void);

/* Fills buf with n bytes from the operating system's random generator (POSIX: getrandom;
 * Windows: rand_s, which is RtlGenRandom). The only source of randomness in the host tool:
 * nonces, per-run names and hash seeds all come from here, so a recording of a run can
 * replay them. Never fails: if the generator cannot answer, the bytes come from the clock
 * and the address space (still different per run, just not secret). */
void plat_random_bytes(void *buf, size_t n);

/* The wsl.exe to drive when the user names none (--wsl), in *path (caller frees); NULL on
 * success, or a message that says WSL is missing and how to install it. Never looks in the
 * current directory (a wsl.exe planted there must not run). Windows: System32's wsl.exe,
 * else the Store package's alias in %LOCALAPPDATA%\Microsoft\WindowsApps. POSIX (inside a
 * distro, through WSL interop): the first wsl.exe on PATH, absolute entries only. */
errmsg plat_find_wsl(char **path);

/* ---- interruption ---- */

/* From this call on, Ctrl+C and Ctrl+Break (Windows console) or SIGINT and SIGTERM (POSIX)
 * no longer end the process: they set a flag that plat_interrupted() reports, and a
 * plat_run_children in progress kills all of its children at once (result.interrupted),
 * so the caller can still show what it has. Closing the console window still ends the
 * process (Windows gives no choice); the job objects then take the children with it. */
void plat_catch_interrupts(void);

/* True once an interruption arrived after plat_catch_interrupts. */
bool plat_interrupted(void);

/* ---- child processes ---- */

/* Called with everything a child has written to stdout so far, after every read. Return
 * true to stop: the child is killed and its result has stopped_early set. Used for the
 * debug shell, which never exits on its own. On Windows it may run on a worker thread;
 * calls are never concurrent. */
typedef bool (*plat_stop_fn)(const char *out, size_t len, void *ctx);

/* For a conversation with a child (the debug shell, whose far side must be answered as it
 * goes): returns bytes to write to the child's stdin next, after stdin_data and what earlier
 * calls returned, with their length in *n (NULL or *n == 0: nothing now). The bytes are
 * copied before the function is called again. Called once when the child has started, after
 * every stdout read (with everything read so far, like plat_stop_fn) and at least every
 * feed_every_s seconds while the child runs, so a side that says nothing can still be
 * prodded. Not called once the child ended or is being killed. A child with a feed keeps
 * its stdin open. On Windows it may run on a worker thread; calls are never concurrent
 * (with each other, stop or done). */
typedef const char *(*plat_feed_fn)(const char *out, size_t len, size_t *n, void *ctx);

struct plat_child_result;

/* Called once per child when it has ended (exited, been killed, or failed to start) and its
 * pipes are drained, while the other children may still run: for progress displays. In r
 * only spawn_error, exit_code, timed_out, stopped_early and interrupted are filled in yet.
 * Calls are never concurrent with each other or with stop() (Windows: worker threads). */
typedef void (*plat_done_fn)(const struct plat_child_result *r, void *ctx);

struct plat_child_spec {
    const char *const *argv;   /* argv[0] is the program path; NULL-terminated */
    const char *const *env_add;/* "NAME=value" entries added to the inherited environment; NULL-terminated or NULL */
    const char *stdin_data;    /* bytes written to the child's stdin, then stdin is closed ... */
    size_t stdin_len;
    bool keep_stdin_open;      /* ... unless this is set: then it stays open until the child ends or is killed */
    double timeout_s;          /* the child is killed after this long; <= 0 means no limit */
    size_t max_output;         /* bytes kept per stream (0 = no limit); the rest is read and dropped (out_truncated) */
    plat_stop_fn stop;         /* may be NULL */
    void *stop_ctx;
    plat_done_fn done;         /* may be NULL */
    void *done_ctx;
    plat_feed_fn feed;         /* may be NULL */
    void *feed_ctx;
    double feed_every_s;       /* the longest pause between two feed calls; <= 0: 0.25 s */
};

struct plat_child_result {
    char *spawn_error;         /* set when the child could not be started; all else is empty then */
    int exit_code;             /* the child's exit code (Windows: the DWORD as int, so -1 for 0xFFFFFFFF);
                                  137 after the child was killed (timeout or stop) */
    bool timed_out;            /* killed because timeout_s passed */
    bool stopped_early;        /* killed because stop() returned true */
    bool interrupted;          /* killed because of Ctrl+C, SIGINT or SIGTERM (plat_catch_interrupts) */
    char *out; size_t out_len; bool out_truncated;   /* NUL-terminated, "" when empty; caller frees */
    char *err; size_t err_len; bool err_truncated;
    double seconds;            /* wall time from start to end */
};

/* Runs n children at the same time and waits for all of them. Every pipe is drained
 * concurrently, so no child can block on a full pipe. Never fails as a whole: each result
 * says what happened to its child. */
void plat_run_children(size_t n, const struct plat_child_spec *specs, struct plat_child_result *results);

/* Frees what a result owns and zeroes it. */
void plat_child_result_free(struct plat_child_result *result);

#endif
