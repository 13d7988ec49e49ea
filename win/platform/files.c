/* plat_read_file and plat_write_file: the same on every platform once plat_fopen has
 * turned the UTF-8 path into whatever the OS takes (platform_<os>.c). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/platform.h"
#include "strbuf.h"

errmsg plat_read_file(const char *path, size_t max_bytes, char **data, size_t *len, bool *truncated)
{
    *data = NULL;
    *len = 0;
    if (truncated)
        *truncated = false;
    FILE *f = plat_fopen(path, "rb");
    if (!f)
        return str_printf("cannot open %s: %s", path, strerror(errno));
    struct strbuf sb = STRBUF_INIT;
    char chunk[65536];
    bool more = false;
    for (;;) {
        size_t want = sizeof chunk;
        if (max_bytes - sb.len < want)
            want = max_bytes - sb.len;
        if (want == 0) {
            /* One more byte tells "exactly max_bytes" from "longer". */
            more = fread(chunk, 1, 1, f) == 1;
            break;
        }
        size_t got = fread(chunk, 1, want, f);
        if (got)
            strbuf_append(&sb, chunk, got);
        if (got < want)
            break;
    }
    int read_errno = ferror(f) ? errno : 0;
    fclose(f);
    if (read_errno) {
        strbuf_release(&sb);
        return str_printf("cannot read %s: %s", path, strerror(read_errno));
    }
    *data = strbuf_detach(&sb, len);
    if (truncated)
        *truncated = more;
    return NULL;
}

errmsg plat_write_file(const char *path, const char *data, size_t len)
{
    FILE *f = plat_fopen(path, "wb");
    if (!f)
        return str_printf("cannot create %s: %s", path, strerror(errno));
    bool ok = fwrite(data, 1, len, f) == len;
    int write_errno = errno;
    if (fclose(f) != 0 && ok) {
        ok = false;
        write_errno = errno;
    }
    if (!ok)
        return str_printf("cannot write %s: %s", path, strerror(write_errno));
    return NULL;
}
