/* severity.h - how bad a diagnosis is: the one scale of the merge's diagnostics (model.h) and
 * the config checks' and doctor's findings (config/finding.h).
 *
 * Contract:
 * - The values rise: anything above SEVERITY_INFO asks the user to act, and callers compare
 *   with < and >= on that order.
 * - severity_name gives the word every output uses (console, JSON, HTML): "info", "warning",
 *   "error". It returns a static string.
 */
#ifndef WSLNS_SEVERITY_H
#define WSLNS_SEVERITY_H

enum severity { SEVERITY_INFO, SEVERITY_WARNING, SEVERITY_ERROR };

const char *severity_name(enum severity severity);

#endif
