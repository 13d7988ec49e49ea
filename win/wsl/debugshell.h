/* debugshell.h - running the probe through `wsl.exe --debug-shell`, whose far side is a login
 * on a tty (agetty on hvc2 in the VM root; docs/wsl.md): input is echoed, lines end in CRLF, a
 * banner and prompts appear, and wsl.exe never exits on its own. Two more facts shape the
 * protocol (WSL src/windows/common/WslClient.cpp RunDebugShell and src/linux/init/main.cpp
 * StartDebugShell, 3e27a6a5):
 * - wsl.exe writes one LF and relays stdin at once; agetty -w takes the LF and runs
 *   `login -f root`, which flushes whatever input was queued before the shell started. So
 *   nothing that matters may be sent before the shell has proved it is listening.
 * - The session outlives wsl.exe: the next client finds the shell as the last one left it
 *   (echo off, inside a heredoc whose terminator never came, half a line typed).
 *
 * The conversation (debugshell_feed, a plat_feed_fn): first a numbered ready echo alone,
 * which a shell at its prompt (as every run leaves it) answers at once; a console that
 * prints something new and waits (a login's shell showing its prompt) gets a few more. A
 * console that echoes the line without running it, or stays silent, is reset (Ctrl+C,
 * Ctrl+U) and a moment later asked again; resets and ready echoes repeat, further apart
 * each time, until the answer to the LAST one sent arrives (so no Ctrl+C of ours is still on
 * its way to cut the script); only then the script goes. The answered echo line also turned
 * the tty's echo and line editing off. Every marker is printed with `echo "@@W""SLNS-..."`,
 * so the echoed command shows `"@@W""SLNS` while only the printed line holds `@@WSLNS`; a
 * per-run nonce in every marker and heredoc terminator keeps an old session's output and
 * input from matching.
 *
 * The script (debugshell_script): the probe travels base64-encoded in short lines (a
 * canonical-mode tty cuts lines at 4095 bytes) into a private directory named
 * DEBUGSHELL_TMP_TEMPLATE; nothing runs unless mktemp made it in this run (its exit is then
 * DEBUGSHELL_EXIT_NO_DIR). Directories of earlier runs are removed first
 * (DEBUGSHELL_STALE_CLEANUP, shared with the distro runner in collect.c).
 *
 * Contract:
 * - struct debugshell holds the markers and the conversation's state; it owns no memory (no
 *   release function needed). Initialise it with debugshell_init, then debugshell_start.
 * - debugshell_script returns a new string (caller frees), never NULL.
 * - debugshell_feed is a plat_feed_fn and debugshell_stop a plat_stop_fn: pass the struct
 *   debugshell as their ctx. stop returns true once the whole end-marker line has arrived.
 * - debugshell_cut returns NULL and sets *doc (a new string, caller frees; NUL-terminated,
 *   length in *doc_len) and *probe_exit, or returns an error message (caller frees).
 */
#ifndef WSLNS_DEBUGSHELL_H
#define WSLNS_DEBUGSHELL_H

#include <stdbool.h>
#include <stddef.h>

#include "errmsg.h"

/* Where the probe goes: recognisable by name, so a later run can remove what a killed one left. */
#define DEBUGSHELL_TMP_TEMPLATE "/tmp/wslns.XXXXXXXX"
/* One shell command (no line end): removes such directories of root's that are older than
 * any view may take (10 minutes), so none in use by a concurrent run. -type d and -user 0:
 * never a link or a directory a user of the distro planted in /tmp (sticky: nobody else can
 * swap root's directory for a link afterwards); -xdev: stays on /tmp's file system. */
#define DEBUGSHELL_STALE_CLEANUP                                                                   \
    "find /tmp -xdev -mindepth 1 -maxdepth 1 -type d -user 0 -name 'wslns.?\?\?\?\?\?\?\?' "       \
    "-mmin +10 -exec rm -rf {} + 2>/dev/null"
/* The script's exit status when mktemp could not make the directory: nothing ran. */
#define DEBUGSHELL_EXIT_NO_DIR 124
/* The debug-shell script's status when the probe did not arrive (its copy is empty). */
#define DEBUGSHELL_EXIT_NO_PROBE 125

struct debugshell {
    char nonce[17];
    char begin[48]; /* "@@WSLNS-BEGIN-<nonce>" */
    char end[48];   /* "@@WSLNS-END-<nonce>:" followed by the probe's exit status */
    char ready[64]; /* "@@WSLNS-READY-<nonce>-<n>": the answer to ready echo n (the last sent) */
    size_t scanned; /* debugshell_stop: bytes already searched */
    /* debugshell_feed */
    const char *script; /* borrowed from debugshell_start */
    size_t script_len;
    double (*now)(void);
    bool script_sent;
    bool line_due; /* Ctrl+C sent, its ready echo goes at line_at */
    double line_at;
    unsigned pings;        /* ready echoes sent (the number in the last one's marker) */
    unsigned resets;       /* Ctrl+C sent */
    unsigned free_echoes;  /* ready echoes sent after new output, without a reset */
    size_t ready_scanned;  /* output searched for the answer to the last one */
    size_t echo_len;       /* output length when the last ready echo was sent */
    size_t seen_len;       /* output length at the last call */
    double quiet_since;    /* when the output last grew or a ready echo went */
    double next_ping, gap; /* when to reset next, and the pause after that */
    char ping[160];        /* the bytes feed returned last */
};

/* The nonce is the seed in hexadecimal; any value works, a fresh one per run is better. */
void debugshell_init(struct debugshell *ds, unsigned long long seed);

/* The script debugshell_feed sends once the shell answers (kept, not copied: it must live
 * as long as the conversation), and the clock that spaces the ready echoes (seconds). */
void debugshell_start(struct debugshell *ds, const char *script, size_t script_len,
                      double (*now)(void));

/* plat_feed_fn: the next bytes of the conversation (see the top of this file). Call it at
 * least every DEBUGSHELL_FEED_EVERY_S seconds. */
#define DEBUGSHELL_FEED_EVERY_S 0.1
const char *debugshell_feed(const char *out, size_t len, size_t *n, void *ctx);

/* The text to send once the shell listens: remove earlier runs' directories, decode the
 * probe into a private mktemp -d directory, run it, print its stdout between the markers
 * with its exit status, remove the directory and give the console back as it was (echo and
 * line editing on; no logout, so the next debug-shell user finds a shell, not a login). */
char *debugshell_script(const struct debugshell *ds, const char *probe, size_t probe_len);

bool debugshell_stop(const char *out, size_t len, void *ctx);

errmsg debugshell_cut(const struct debugshell *ds, const char *out, size_t len, char **doc,
                      size_t *doc_len, int *probe_exit);

#endif
