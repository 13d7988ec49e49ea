/* record.h - recording every exchange a run has with the operating system, and replaying a
 * recording instead of the operating system (wslns --record DIR / --replay DIR; the folder's
 * format is docs/recording.md, schema wslns-recording/1).
 *
 * Where it sits: at the platform boundary. The build renames the operating system's
 * implementations of the functions that decide what a run reports (win/platform/CMakeLists.txt:
 * plat_run_children becomes plat_os_run_children, and so on) and record.c defines the
 * public names of platform.h over them:
 *   plat_run_children         every wsl.exe exchange: argv, env_add, stdin, stdout and stderr
 *                             (stdout with a timestamp per read), exit code and flags
 *   plat_random_bytes         the run's nonces and seeds (hex)
 *   plat_is_elevated, plat_debug_shell_policy, plat_find_wsl, plat_self_dir,
 *   plat_default_wslconfig_path,
 *   plat_path_exists, plat_read_file   (the .wslconfig, --from documents, the probe)
 *   plat_now                  clock readings (a conversation with a child is paced by them);
 *                             those made in a child's callback belong to its exchange
 * Off (no --record, no --replay) every call goes straight to the operating system.
 * Recording, it goes there too and the question and the answer are kept. Replaying, nothing
 * reaches the operating system: the answers come from the recording, exchanges found by
 * their argv and ordinal (children run in parallel, so never by timing), files by path and
 * ordinal, the other answers in the order they were given. A question the recording cannot
 * answer (another argv, another stdin, one call too many) is a divergence: the call gets a
 * harmless answer (a spawn error, "not elevated", no path) and record_finish names the
 * first one. Random draws are the exception: one the recording lacks gets bytes derived
 * from its position (a new hash seed must not break old recordings; a changed nonce shows
 * in stdin anyway). A new platform query that changes what a run reports must be wrapped here.
 *
 * The probe binary never goes into a recording: record_note_probe names the file, whose
 * read is kept as SHA-256 and length only; in stdin the probe's bytes (raw, or as base64(1)
 * lines) become a marker. Replaying, the probe file is a placeholder of the same length, so
 * the same stdin yields the same marked text.
 *
 * A recording may come from anyone: replaying reads it with caps on every size and count,
 * takes no file name from it (the files are named by index), and costs time linear in its
 * size (exchanges, files and reads are capped so the argv/path matching stays small).
 *
 * Calls: one of record_start or replay_start, then the run, record_set_report with the
 * JSON report the run wrote (if any), then record_finish, which ends the mode and frees
 * everything. All functions run on the main thread; the wrapped callbacks (stop, done) only
 * touch per-child state.
 */
#ifndef WSLNS_RECORD_H
#define WSLNS_RECORD_H

#include <stdbool.h>

#include "errmsg.h"

/* Starts recording into the folder dir (created if missing; one that already holds a
 * manifest.json is refused). argv[1..argc-1] is kept as the run's command line. NULL, or
 * why not. */
errmsg record_start(const char *dir, int argc, char **argv);

/* Starts replaying the recording in dir. *argc and *argv get the recorded command line
 * (argv[0] is "wslns"; the strings stay valid until record_finish). NULL, or why the
 * folder is not a usable recording (nothing is left active then). */
errmsg replay_start(const char *dir, int *argc, char ***argv);

/* True while recording or replaying. */
bool record_active(void);

/* The file at path is the probe binary: its read is recorded as a hash, never as bytes. */
void record_note_probe(const char *path);

/* The run's JSON report (wslns-report/1, or the doctor's). The last call counts. */
void record_set_report(const char *json);

/* Ends recording or replaying with the run's exit code and frees all. Recording: writes
 * report.json and manifest.json; NULL, or what could not be written. Replaying: NULL when
 * the run asked exactly what was recorded and gave the recorded report and exit code, else
 * the first difference. */
errmsg record_finish(int exit_code);

#endif
