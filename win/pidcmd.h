/* pidcmd.h - `wslns pid PID [--in WHERE]`: which process has pid PID at the level WHERE
 * (vm | system:NAME | NAME), and what its pid is at every other level.
 *
 * Ownership: pidcmd_render sets *text to a new string (caller frees): the answer table when
 * it returns 0, an explanation for the user when it returns 1 (the level was not
 * collected, or no process has that pid there); never NULL.
 */
#ifndef WSLNS_PIDCMD_H
#define WSLNS_PIDCMD_H

#include <stdint.h>

#include "model.h"
#include "source.h"

int pidcmd_render(const struct model *m, const struct source_list *sources, int64_t pid,
                  const char *where, char **text);

#endif
