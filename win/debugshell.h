/* debugshell.h - running the probe through `wsl.exe --debug-shell`, whose far side is a tty
 * (agetty on hvc2 in the VM root): input is echoed, lines end in CRLF, a banner and prompts
 * appear, and wsl.exe never exits on its own.
 *
 * So the probe travels base64-encoded in short lines (a canonical-mode tty cuts lines at
 * 4095 bytes), and its output is cut out of the stream between two sentinel lines that
 * the echoed input cannot contain: the script prints them with `echo "@@W""SLNS-..."`, so
 * the echoed command shows `"@@W""SLNS` while only the printed line holds `@@WSLNS`. A
 * per-run nonce keeps an old session's output from matching.
 *
 * Contract:
 * - struct debugshell holds the markers and the stop function's scan position; it owns no
 *   memory (no release function needed). Initialise it with debugshell_init.
 * - debugshell_script returns a new string (caller frees) or NULL when out of memory.
 * - debugshell_stop is a plat_stop_fn: pass the struct debugshell as its ctx. It returns true
 *   once the whole end-marker line has arrived.
 * - debugshell_cut returns NULL and sets *doc (a new string, caller frees; NUL-terminated,
 *   length in *doc_len) and *probe_exit, or returns an error message (caller frees).
 */
#ifndef WSLNS_DEBUGSHELL_H
#define WSLNS_DEBUGSHELL_H

#include <stdbool.h>
#include <stddef.h>

struct debugshell {
    char begin[48]; /* "@@WSLNS-BEGIN-<nonce>" */
    char end[48];   /* "@@WSLNS-END-<nonce>:" followed by the probe's exit status */
    size_t scanned; /* debugshell_stop: bytes already searched */
};

/* The nonce is the seed in hexadecimal; any value works, a fresh one per run is better. */
void debugshell_init(struct debugshell *ds, unsigned long long seed);

/* The text to send to the debug shell's stdin: decode the probe into a private mktemp -d
 * directory, run it, print its stdout between the markers with its exit status, remove
 * the directory and give the console back as it was (echo and line editing on; no logout,
 * so the next debug-shell user finds a shell, not a login in progress). */
char *debugshell_script(const struct debugshell *ds, const char *probe, size_t probe_len);

bool debugshell_stop(const char *out, size_t len, void *ctx);

char *debugshell_cut(const struct debugshell *ds, const char *out, size_t len, char **doc,
                     size_t *doc_len, int *probe_exit);

#endif
