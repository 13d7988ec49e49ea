/* The merge of real probe documents, taken in every view of a running lab, against the
 * lab's ground truth (every process's full NSpid read from the VM-root level). */
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "model.h"
#include "host_support.h"

struct lab_view {
    const char *file;
    enum source_kind kind;
    const char *distro;
};

static const struct lab_view VIEWS[] = {
    {"vm.json", SOURCE_VM, NULL},
    {"system-Ubuntu.json", SOURCE_SYSTEM, "Ubuntu"},
    {"Ubuntu.json", SOURCE_DISTRO, "Ubuntu"},
    {"system-Ubuntu-18.04.json", SOURCE_SYSTEM, "Ubuntu-18.04"},
    {"Ubuntu-18.04.json", SOURCE_DISTRO, "Ubuntu-18.04"},
    {"NoGui.json", SOURCE_DISTRO, "NoGui"},
    {"system-Debian.json", SOURCE_SYSTEM, "Debian"},
    {"Debian.json", SOURCE_DISTRO, "Debian"},
    {"system-docker-desktop.json", SOURCE_SYSTEM, "docker-desktop"},
    {"docker-desktop.json", SOURCE_DISTRO, "docker-desktop"},
    {"container-docker-desktop.json", SOURCE_FILE, NULL},
};

/* as_files: every document as --from gives it (no source kind, no distro name). */
static struct model *merge_lab(struct source_list *sources, bool as_files)
{
    for (size_t i = 0; i < CHECK_COUNT(VIEWS); i++) {
        char *name = str_printf("lab/%s", VIEWS[i].file);
        char *doc = read_fixture(name, NULL);
        free(name);
        CHECK(doc != NULL);
        if (doc)
            add_doc(sources, as_files ? SOURCE_FILE : VIEWS[i].kind,
                    as_files ? NULL : VIEWS[i].distro, doc);
    }
    struct model *m = NULL;
    m = model_build(sources);
    return m;
}

static cJSON *truth(void)
{
    char *text = read_fixture("lab/truth.json", NULL);
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    free(text);
    CHECK(doc != NULL);
    return doc;
}

static void every_truth_process_has_its_full_chain(bool as_files)
{
    struct source_list sources = {0};
    struct model *m = merge_lab(&sources, as_files);
    cJSON *t = truth();
    if (!m || !t)
        goto out;
    const cJSON *vm_view =
        cJSON_GetArrayItem(cJSON_GetObjectItem(t, "views"), 0); /* views[0] is "vm" */
    size_t vm =
        model_find_namespace(m, (uint64_t)cJSON_GetObjectItem(vm_view, "pidns")->valuedouble);
    const cJSON *p;
    size_t checked = 0;
    cJSON_ArrayForEach(p, cJSON_GetObjectItem(t, "processes"))
    {
        const cJSON *nspid = cJSON_GetObjectItem(p, "nspid");
        int n = cJSON_GetArraySize(nspid);
        size_t index = model_find_pid(m, vm, (int64_t)cJSON_GetArrayItem(nspid, 0)->valuedouble);
        CHECK(index != MODEL_NONE);
        if (index == MODEL_NONE)
            continue;
        const struct model_process *mp = &m->processes[index];
        CHECK_INT(m->namespaces[mp->ns].inode,
                  (uint64_t)cJSON_GetObjectItem(p, "pidns")->valuedouble);
        CHECK_INT(mp->levels, n);
        for (int j = 0; j < n && (size_t)j < mp->levels; j++)
            CHECK_INT(mp->pids[j], (int64_t)cJSON_GetArrayItem(nspid, j)->valuedouble);
        CHECK_STR(mp->comm, cJSON_GetObjectItem(p, "comm")->valuestring);
        checked++;
    }
    CHECK(checked > 40);
    const cJSON *ns;
    cJSON_ArrayForEach(ns, cJSON_GetObjectItem(t, "namespaces"))
    {
        size_t index =
            model_find_namespace(m, (uint64_t)cJSON_GetObjectItem(ns, "inode")->valuedouble);
        CHECK(index != MODEL_NONE);
        const cJSON *parent = cJSON_GetObjectItem(ns, "parent");
        if (index == MODEL_NONE || cJSON_IsNull(parent))
            continue;
        size_t up = m->namespaces[index].parent;
        CHECK(up != MODEL_NONE && m->namespaces[up].inode == (uint64_t)parent->valuedouble);
    }
    /* Nothing to say but that each view's probe is left out (wslns's own process). */
    for (size_t i = 0; i < m->diag_nr; i++)
        CHECK_STR(m->diags[i].code, "model.own_processes_hidden");
out:
    cJSON_Delete(t);
    model_free(m);
    source_list_free(&sources);
}

static void chains_from_collected_views(void)
{
    every_truth_process_has_its_full_chain(false);
}

static void chains_from_saved_files(void)
{
    every_truth_process_has_its_full_chain(true);
}

/* Each view of the lab is the namespace of that kind and distro, named from the sources
 * (collected) or only from what the documents hold (saved files). */
static void kinds_and_distros(bool as_files)
{
    struct source_list sources = {0};
    struct model *m = merge_lab(&sources, as_files);
    cJSON *t = truth();
    if (!m || !t)
        goto out;
    const cJSON *v;
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(t, "views"))
    {
        size_t index =
            model_find_namespace(m, (uint64_t)cJSON_GetObjectItem(v, "pidns")->valuedouble);
        CHECK(index != MODEL_NONE);
        if (index == MODEL_NONE)
            continue;
        const struct model_namespace *ns = &m->namespaces[index];
        const char *kind = cJSON_GetObjectItem(v, "kind")->valuestring;
        const cJSON *distro = cJSON_GetObjectItem(v, "distro");
        if (strcmp(model_kind_name(ns->kind), kind) != 0)
            fprintf(stderr, "  view %s: kind %s, expected %s\n",
                    cJSON_GetObjectItem(v, "name")->valuestring, model_kind_name(ns->kind), kind);
        CHECK_STR(model_kind_name(ns->kind), kind);
        if (cJSON_IsString(distro))
            CHECK_STR(ns->distro, distro->valuestring);
    }
out:
    cJSON_Delete(t);
    model_free(m);
    source_list_free(&sources);
}

static void kinds_from_collected_views(void)
{
    kinds_and_distros(false);
}

static void kinds_from_saved_files(void)
{
    kinds_and_distros(true);
}

static const struct check_case cases[] = {
    {"lab views merge into every process's true pid at every level", chains_from_collected_views},
    {"lab documents given as files merge into the same chains", chains_from_saved_files},
    {"lab views get their kind and distro (vm, system, distro, container)",
     kinds_from_collected_views},
    {"lab documents given as files get kind and distro from their content", kinds_from_saved_files},
};

int main(int argc, char **argv)
{
    return check_main(cases, CHECK_COUNT(cases), argc, argv);
}
