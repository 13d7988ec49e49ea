/* errmsg.h - the one error-return convention of wslns, so a signature says whether its
 * `char *` is an error or a result.
 *
 * Contract:
 * - A function that can fail returns `errmsg`: NULL on success, else a message written for
 *   the user (what failed, on what, and why), malloc'd, which the caller frees. Whatever it
 *   produces goes out through out-parameters (caller frees those too), never through the
 *   return value. A check that returns "NULL when fine, else what is wrong" is the same.
 * - A function that returns `char *` returns a result: a new string the caller frees. Where
 *   the result may be NULL, the function's comment says what NULL means (unset, none, no
 *   answer); it is never an error message.
 * - Nothing below main.c prints an errmsg: the caller adds context or passes it up, and the
 *   top level decides what to show.
 *
 * errmsg is the same type as char * (the compiler does not tell them apart): it documents;
 * the names and comments of callers keep to it (an errmsg goes into a variable named error).
 */
#ifndef WSLNS_ERRMSG_H
#define WSLNS_ERRMSG_H

typedef char *errmsg;

#endif
