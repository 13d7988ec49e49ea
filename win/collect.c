/* placeholder until collection lands */
#include "collect.h"
#include <stdlib.h>
#include <string.h>
#include "strbuf.h"
char *collect_views(const struct collect_options *opt, struct source_list *out)
{
    (void)opt; (void)out;
    return str_dup("collecting from wsl.exe is not implemented yet");
}
