#!/usr/bin/python3
"""lab_truth.py STATE_DIR - the lab's ground truth (wslns-lab-truth/1) on stdout.

Runs at the lab's VM-root level (lab.sh truth enters it), so /proc here is the VM root's and
every NSpid line shows the whole chain, outermost first. A lab process is one whose parent
chain reaches the VM root's pid 1; anything entered from outside (this script, a probe that
`lab.sh exec` runs) has parent 0 at every level and is left out.

Namespace parents are what the lab built (each view's init recorded its pid namespace and
its parent's when it started, STATE_DIR/views/*.info); each one is checked against the
kernel with ioctl(NS_GET_PARENT), and a disagreement is an error (exit 1), not a silent fix.

Each namespace's "types" are the other namespaces its init lives in, as the kernel says
(the inode of /proc/INIT/ns/TYPE for mnt, uts, ipc, net, user, cgroup and time).
"""
import fcntl
import json
import os
import sys

NS_GET_PARENT = 0xB702  # _IO(0xb7, 0x2), linux/nsfs.h
NS_TYPES = ("mnt", "uts", "ipc", "net", "user", "cgroup", "time")


def read_views(state_dir):
    views = []
    with open(os.path.join(state_dir, "views.list")) as f:
        names = [line.strip() for line in f if line.strip()]
    for name in names:
        info = {}
        with open(os.path.join(state_dir, "views", name + ".info")) as f:
            for line in f:
                key, _, value = line.rstrip("\n").partition("=")
                info[key] = value
        views.append(info)
    return views


def read_process(pid):
    """(nspid list, ppid, comm, pidns inode) of pid, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            status = f.read()
        with open(f"/proc/{pid}/comm") as f:
            comm = f.read().rstrip("\n")
        pidns = os.stat(f"/proc/{pid}/ns/pid").st_ino
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = {}
    for line in status.splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    if fields.get("State", "").startswith("Z"):
        return None
    nspid = [int(x) for x in fields["NSpid"].split()]
    return nspid, int(fields["PPid"]), comm, pidns


def kernel_parent(pid):
    """The parent pid namespace's inode of pid's namespace, None when it lies outside ours."""
    fd = os.open(f"/proc/{pid}/ns/pid", os.O_RDONLY)
    try:
        parent_fd = fcntl.ioctl(fd, NS_GET_PARENT)
    except PermissionError:
        return None
    finally:
        os.close(fd)
    try:
        return os.fstat(parent_fd).st_ino
    finally:
        os.close(parent_fd)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: lab_truth.py STATE_DIR")
    views = read_views(sys.argv[1])

    procs = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            p = read_process(int(entry))
            if p:
                procs[int(entry)] = p

    def in_lab(pid):
        seen = set()
        while pid != 1:
            if pid not in procs or pid in seen:
                return False
            seen.add(pid)
            pid = procs[pid][1]
        return True

    problems = []
    namespaces = []
    by_inode = {}
    for v in views:
        inode = int(v["pidns"])
        recorded = None if v["parent"] == "null" else int(v["parent"])
        # The view's init, found by its namespace and pid 1 inside it.
        init = [pid for pid, (nspid, _, _, ns) in procs.items() if ns == inode and nspid[-1] == 1]
        if not init:
            problems.append(f"view {v['name']}: no init in pid:[{inode}]")
            continue
        actual = kernel_parent(init[0])
        if actual != recorded:
            problems.append(f"view {v['name']}: recorded parent {recorded}, kernel says {actual}")
        types = {t: os.stat(f"/proc/{init[0]}/ns/{t}").st_ino for t in NS_TYPES}
        namespaces.append({"inode": inode, "parent": recorded, "types": types})
        by_inode[inode] = v

    processes = []
    for pid in sorted(procs):
        nspid, ppid, comm, pidns = procs[pid]
        if not in_lab(pid):
            continue
        if pidns not in by_inode:
            problems.append(f"pid {pid} ({comm}) is in pid:[{pidns}], which no view recorded")
        processes.append({"nspid": nspid, "pidns": pidns, "ppid": ppid, "comm": comm})

    if problems:
        sys.exit("lab_truth: " + "\nlab_truth: ".join(problems))

    def view_entry(v):
        return {"name": v["name"], "kind": v["kind"], "distro": v["distro"] or None,
                "pidns": int(v["pidns"])}

    json.dump({"schema": "wslns-lab-truth/1",
               "views": [view_entry(v) for v in views],
               "namespaces": namespaces,
               "processes": processes}, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
