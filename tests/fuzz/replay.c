/* replay.c - runs a fuzz target's entry point over files, without libFuzzer: the driver
 * behind the "seeds replay" tests, so every build tree (gcc, and the ASan/UBSan tree)
 * feeds the committed corpus through the same contract checks the fuzzer applies.
 *
 *   replay_<target> PATH...     each PATH a file or a directory of files (not recursive)
 *
 * Exit 0 when every input ran (a broken contract aborts, as under libFuzzer), 1 when a
 * path cannot be read or no input was found. Prints how many inputs it replayed.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_support.h"
#include "strbuf.h"

static bool replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return false;
    }
    struct strbuf sb = STRBUF_INIT;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        strbuf_append(&sb, buf, n);
    bool ok = !ferror(f);
    fclose(f);
    if (!ok) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        strbuf_release(&sb);
        return false;
    }
    /* An exact-size copy, as libFuzzer hands it over, so ASan sees reads past the end. */
    uint8_t *data = malloc(sb.len ? sb.len : 1);
    if (!data) {
        strbuf_release(&sb);
        return false;
    }
    if (sb.len)
        memcpy(data, sb.data, sb.len);
    LLVMFuzzerTestOneInput(data, sb.len);
    free(data);
    strbuf_release(&sb);
    return true;
}

int main(int argc, char **argv)
{
    size_t replayed = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: no such file or directory: %s\n", argv[i]);
            return 1;
        }
        if (!S_ISDIR(st.st_mode)) {
            if (!replay_file(argv[i]))
                return 1;
            replayed++;
            continue;
        }
        DIR *dir = opendir(argv[i]);
        if (!dir) {
            fprintf(stderr, "replay: cannot list %s\n", argv[i]);
            return 1;
        }
        struct dirent *e;
        while ((e = readdir(dir)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            char *path = str_printf("%s/%s", argv[i], e->d_name);
            bool ok = path && replay_file(path);
            free(path);
            if (!ok) {
                closedir(dir);
                return 1;
            }
            replayed++;
        }
        closedir(dir);
    }
    printf("replayed %zu inputs\n", replayed);
    return replayed ? 0 : 1;
}
