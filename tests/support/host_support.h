/* host_support.h - helpers for the host core's unit tests: build small wslns-probe/1
 * documents in code, turn them into sources with parsed views, read fixtures.
 *
 * Contract: every returned string is malloc'd and freed by the caller; sources added with
 * add_doc belong to the list (source_list_free). HOST_DATA_DIR (tests/support/data) is set by
 * wslns_host_test in tests/CMakeLists.txt.
 */
#ifndef WSLNS_TEST_HOST_SUPPORT_H
#define WSLNS_TEST_HOST_SUPPORT_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "strbuf.h"
#include "view.h"

struct docb {
    struct strbuf ns, procs;
    int ns_count, proc_count;
};

/* A namespace; with ns_json (not NULL), its "ns" member's JSON text as given. */
static inline void docb_ns_with(struct docb *d, uint64_t inode, uint64_t parent, int visible,
                                const char *ns_json)
{
    strbuf_printf(&d->ns, "%s{\"inode\":%llu,\"parent\":", d->ns_count++ ? "," : "",
                  (unsigned long long)inode);
    if (parent)
        strbuf_printf(&d->ns, "%llu", (unsigned long long)parent);
    else
        strbuf_puts(&d->ns, "null");
    strbuf_printf(&d->ns, ",\"parent_visible\":%s", visible ? "true" : "false");
    if (ns_json)
        strbuf_printf(&d->ns, ",\"ns\":%s", ns_json);
    strbuf_puts(&d->ns, "}");
}

static inline void docb_ns(struct docb *d, uint64_t inode, uint64_t parent, int visible)
{
    docb_ns_with(d, inode, parent, visible, NULL);
}

/* A process: its own namespace, comm, starttime and its nspid (n levels, outermost first). */
static inline void docb_proc(struct docb *d, uint64_t pidns, const char *comm, uint64_t starttime,
                             int n, ...)
{
    va_list ap;
    va_start(ap, n);
    strbuf_printf(&d->procs, "%s{\"nspid\":[", d->proc_count++ ? "," : "");
    long long first = 0;
    for (int i = 0; i < n; i++) {
        long long pid = va_arg(ap, long long);
        if (i == 0)
            first = pid;
        strbuf_printf(&d->procs, "%s%lld", i ? "," : "", pid);
    }
    va_end(ap);
    strbuf_printf(
        &d->procs,
        "],\"pid\":%lld,\"ppid\":0,\"pidns\":%llu,\"uid\":0,\"comm\":\"%s\",\"cmdline\":[\"/%s\"],"
        "\"starttime\":%llu}",
        first, (unsigned long long)pidns, comm, comm, (unsigned long long)starttime);
}

static inline char *docb_finish_self(struct docb *d, const char *boot_id, uint64_t self_pidns,
                                     const char *distro, long long self_pid)
{
    char *doc = str_printf(
        "{\"schema\":\"wslns-probe/"
        "1\",\"kernel\":{\"release\":\"6.6.87.2-microsoft-standard-WSL2\","
        "\"boot_id\":\"%s\"},\"self\":{\"pid\":%lld,\"nspid\":[%lld],\"pidns\":%llu},"
        "\"context\":{\"distro\":%s%s%s},\"namespaces\":[%s],\"processes\":[%s],\"errors\":[]}",
        boot_id, self_pid, self_pid, (unsigned long long)self_pidns, distro ? "\"" : "",
        distro ? distro : "null", distro ? "\"" : "", d->ns.data ? d->ns.data : "",
        d->procs.data ? d->procs.data : "");
    strbuf_release(&d->ns);
    strbuf_release(&d->procs);
    d->ns_count = d->proc_count = 0;
    return doc;
}

/* The same with self (the probe's own process) pid 999999, which no test lists. */
static inline char *docb_finish(struct docb *d, const char *boot_id, uint64_t self_pidns,
                                const char *distro)
{
    return docb_finish_self(d, boot_id, self_pidns, distro, 999999);
}

/* Adds a source holding doc (taken over) and parses it as main.c does. */
static inline struct source *add_doc(struct source_list *list, enum source_kind kind,
                                     const char *distro, char *doc)
{
    struct source *s = source_list_add(list, kind);
    s->distro = distro ? str_dup(distro) : NULL;
    s->output = doc;
    s->output_len = strlen(doc);
    char *error = view_parse(doc, s->output_len, &s->view);
    if (!s->view) {
        fprintf(stderr, "  test document rejected: %s\n", error);
        source_fail(s, "%s", error);
    }
    free(error);
    return s;
}

static inline char *read_fixture(const char *name, size_t *len)
{
    char *path = str_printf("%s/%s", HOST_DATA_DIR, name);
    FILE *f = path ? fopen(path, "rb") : NULL;
    free(path);
    if (!f)
        return NULL;
    struct strbuf sb = STRBUF_INIT;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        strbuf_append(&sb, buf, n);
    fclose(f);
    return strbuf_detach(&sb, len);
}

#endif
